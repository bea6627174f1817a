// Exact superbasin escape for the KMC walk (src/kmc/superbasin.hpp has the
// method): a walker in a basin draws its exit time from the basin's
// phase-type survival function, its last state inside the basin from the
// transient distribution at that time, and its exit edge from that state's
// edges out of the basin. Each occupancy grid point passed inside the basin
// gets a state drawn from the exact marginal of the Markov bridge between the
// entry and the exit, so occupancy stays exact. Per-walker work arrays of
// kMaxBasin doubles.
#pragma once

#include "philox.hpp"
#include "pk_compat.hpp"

#include <cstdint>

namespace pk::kernels {

/// Largest basin (src/kmc/superbasin.hpp: kMaxBasinStates).
constexpr std::int32_t kMaxBasin = 256;

/// Key offsets of the basin's extra random streams: one Philox call more
/// per basin step (exit edge), one per occupancy grid point inside a basin
/// (counter: the grid index, unique per walker).
constexpr std::uint64_t kBasinEdgeKey = 0x6A09E667F3BCC909ULL;
constexpr std::uint64_t kBasinBridgeKey = 0xBB67AE8584CAA73BULL;

/// One basin's tables for one rate table (offsets already applied).
struct KmcBasinLaw {
  std::int32_t m;
  const double* lambda;  // m
  const double* vec;     // m x m, row = member, column = mode
  const double* sw;      // m
  const double* alpha;   // m
  const double* beta;    // m
  const double* exit;    // m: rate out of the basin
};

/// Modes are sorted from the slowest. The modes that still count at time t
/// (t >= 0): those with (lambda_k - lambda_0) t > -kBasinModeCut, a prefix.
/// A mode skipped has decayed by e^-50 (2e-22) relative to the slowest one;
/// its terms carry at most that relative weight times 1/sw_i.
constexpr double kBasinModeCut = 50.0;
KOKKOS_INLINE_FUNCTION std::int32_t basin_modes(const KmcBasinLaw& L, double t) {
  std::int32_t K = 1;
  while (K < L.m && (L.lambda[K] - L.lambda[0]) * t > -kBasinModeCut) ++K;
  return K;
}

/// Survival sum_k V_ik alpha_k exp(lambda_k t) / sw_i and its density
/// (minus the derivative).
KOKKOS_INLINE_FUNCTION void basin_survival(const KmcBasinLaw& L, std::int32_t i, double t, double& surv, double& dens) {
  double s = 0, f = 0;
  const double* vi = L.vec + static_cast<std::int64_t>(i) * L.m;
  const std::int32_t K = basin_modes(L, t);
  for (std::int32_t k = 0; k < K; ++k) {
    const double x = vi[k] * compat::exp(L.lambda[k] * t);
    s += x * L.alpha[k];
    f += x * L.beta[k];
  }
  surv = s / L.sw[i];
  dens = f / L.sw[i];
}

/// Exit time from entry member i: the t with survival(t) = r, r in (0, 1]
/// (bracketed Newton on the monotone survival function).
KOKKOS_INLINE_FUNCTION double basin_exit_time(const KmcBasinLaw& L, std::int32_t i, double r) {
  double lo = 0, hi = -1.0 / L.lambda[0], s = 1, f = 0;  // the slowest mode's time
  for (int n = 0; n < 2100; ++n) {  // survival(hi) < r
    basin_survival(L, i, hi, s, f);
    if (s < r) break;
    lo = hi;
    hi *= 2;
  }
  double t = 0.5 * (lo + hi);
  for (int it = 0; it < 200; ++it) {
    basin_survival(L, i, t, s, f);
    if (s > r) lo = t;
    else hi = t;
    if (hi - lo <= 1e-14 * hi) break;
    double next = f > 0 ? t + (s - r) / f : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    t = next;
  }
  return t;
}

/// Draws member b with weight w_b = max(0, sum_k<Kx x_k V_bk) * max(0, sum_k<Ky y_k V_bk)
/// (y == nullptr: the second factor is exit_b sw_b), by u in [0, 1).
KOKKOS_INLINE_FUNCTION std::int32_t basin_draw(const KmcBasinLaw& L, const double* x, std::int32_t Kx, const double* y,
                                              std::int32_t Ky, double u) {
  double w[kMaxBasin];
  double total = 0;
  for (std::int32_t b = 0; b < L.m; ++b) {
    const double* vb = L.vec + static_cast<std::int64_t>(b) * L.m;
    double p = 0, q = 0;
    for (std::int32_t k = 0; k < Kx; ++k) p += x[k] * vb[k];
    if (y)
      for (std::int32_t k = 0; k < Ky; ++k) q += y[k] * vb[k];
    const double wb = (p > 0 ? p : 0.0) * (y ? (q > 0 ? q : 0.0) : L.exit[b] * L.sw[b]);
    w[b] = wb;
    total += wb;
  }
  const double target = u * total;
  double cum = 0;
  std::int32_t last = 0;
  for (std::int32_t b = 0; b < L.m; ++b) {
    if (w[b] <= 0) continue;
    last = b;
    cum += w[b];
    if (target < cum) return b;
  }
  return last;
}

/// The member from which a walker entering at i leaves, given its exit time t:
/// P(at a at t) * exit_a.
KOKKOS_INLINE_FUNCTION std::int32_t basin_exit_member(const KmcBasinLaw& L, std::int32_t i, double t, double u) {
  double x[kMaxBasin];
  const double* vi = L.vec + static_cast<std::int64_t>(i) * L.m;
  const std::int32_t K = basin_modes(L, t);
  for (std::int32_t k = 0; k < K; ++k) x[k] = vi[k] * compat::exp(L.lambda[k] * t);
  return basin_draw(L, x, K, nullptr, 0, u);
}

/// The state at time t0 + d1 of a walker that was at member b0 at t0 and is
/// at member a at t0 + d1 + d2 (the Markov bridge; the Boltzmann factors
/// cancel): weight (sum_k V_b0k V_bk e^(lambda_k d1)) (sum_k V_bk V_ak e^(lambda_k d2)).
KOKKOS_INLINE_FUNCTION std::int32_t basin_bridge(const KmcBasinLaw& L, std::int32_t b0, double d1, std::int32_t a,
                                                double d2, double u) {
  double x[kMaxBasin], y[kMaxBasin];
  const double* v0 = L.vec + static_cast<std::int64_t>(b0) * L.m;
  const double* va = L.vec + static_cast<std::int64_t>(a) * L.m;
  const std::int32_t K1 = basin_modes(L, d1), K2 = basin_modes(L, d2);
  for (std::int32_t k = 0; k < K1; ++k) x[k] = v0[k] * compat::exp(L.lambda[k] * d1);
  for (std::int32_t k = 0; k < K2; ++k) y[k] = va[k] * compat::exp(L.lambda[k] * d2);
  return basin_draw(L, x, K1, y, K2, u);
}

}  // namespace pk::kernels
