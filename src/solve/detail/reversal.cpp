#include "solve/detail/reversal.hpp"

#include <algorithm>
#include <cstdint>

namespace pk::solve::detail {

network::RateMatrix time_reversed(const network::RateMatrix& m, const std::vector<double>& pi) {
  struct Triplet {
    std::int32_t from, to;
    double value;
  };
  std::vector<Triplet> t;
  t.reserve(m.targets.size());
  for (std::int32_t i = 0; i < m.n; ++i)
    for (std::int64_t e = m.row_offsets[i]; e < m.row_offsets[i + 1]; ++e)
      t.push_back({m.targets[e], i, pi[m.targets[e]] > 0 ? pi[i] * m.values[e] / pi[m.targets[e]] : 0.0});
  std::sort(t.begin(), t.end(), [](const Triplet& a, const Triplet& b) {
    return a.from != b.from ? a.from < b.from : a.to < b.to;
  });
  network::RateMatrix r;
  r.n = m.n;
  r.lag_time_s = m.lag_time_s;
  r.row_offsets.assign(static_cast<std::size_t>(m.n) + 1, 0);
  r.targets.reserve(t.size());
  r.values.reserve(t.size());
  for (const auto& x : t) {
    r.row_offsets[x.from + 1]++;
    r.targets.push_back(x.to);
    r.values.push_back(x.value);
  }
  for (std::int32_t i = 0; i < m.n; ++i) r.row_offsets[i + 1] += r.row_offsets[i];
  return r;
}

}  // namespace pk::solve::detail
