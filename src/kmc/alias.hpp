// Walker alias tables for the KMC's choice of the next edge (host side; the
// kernel's lookup is KmcAdvance::select_edge in kernels/kmc_walkers.hpp).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace pk::kmc {

// Walker's alias table of one row (Vose's construction): picking slot k
// uniformly and keeping it when a uniform in [0,1) is below threshold[k], else
// taking alias[k], selects edge j with probability p[j]. Thresholds are
// p*deg in double, so an edge of probability 1e-12 keeps its share.
inline void build_alias_row(const double* p, std::int32_t deg, double* threshold, std::int32_t* alias) {
  std::vector<double> q(static_cast<std::size_t>(deg));
  std::vector<std::int32_t> small, large;
  for (std::int32_t k = 0; k < deg; ++k) {
    q[k] = p[k] * deg;
    (q[k] < 1.0 ? small : large).push_back(k);
  }
  while (!small.empty() && !large.empty()) {
    const std::int32_t s = small.back(), l = large.back();
    small.pop_back();
    threshold[s] = q[s];
    alias[s] = l;
    q[l] = (q[l] + q[s]) - 1.0;
    if (q[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left has q = 1 up to rounding: kept always.
  for (std::int32_t k : large) threshold[k] = 1.0, alias[k] = k;
  for (std::int32_t k : small) threshold[k] = 1.0, alias[k] = k;
}

// A threshold in [0, 1] as the integer threshold * 2^64 (rounded; 1 becomes
// 2^64 - 1, "always keep", which the table pairs with alias = itself): the
// "packed-int" kernel keeps a slot when the low 64 bits of u * deg (u a 64-bit
// uniform) are below it, so every slot's share is exact to 2^-64.
inline std::uint64_t fixed_threshold(double threshold) {
  if (!(threshold < 1.0)) return ~std::uint64_t{0};
  if (!(threshold > 0.0)) return 0;
  const double scaled = std::round(std::ldexp(threshold, 64));  // < 2^64: threshold <= 1 - 2^-53
  return scaled >= 18446744073709551616.0 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(scaled);
}

}  // namespace pk::kmc
