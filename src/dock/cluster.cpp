// RMSD bounds, clustering and the mode cut (see cluster.hpp).
#include "dock/cluster.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace pk::dock {

namespace {
double dist2(const std::array<double, 3>& a, const std::array<double, 3>& b) {
  const double x = a[0] - b[0], y = a[1] - b[1], z = a[2] - b[2];
  return x * x + y * y + z * z;
}
double lower_bound_one_way(const Coords& a, const Coords& b, const std::vector<int>& type) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < b.size(); ++j)
      if (type[i] == type[j]) best = std::min(best, dist2(a[i], b[j]));
    sum += best;
  }
  return a.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(a.size()));
}
}  // namespace

double rmsd_upper_bound(const Coords& a, const Coords& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += dist2(a[i], b[i]);
  return a.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(a.size()));
}

double rmsd_lower_bound(const Coords& a, const Coords& b, const std::vector<int>& type) {
  return std::max(lower_bound_one_way(a, b, type), lower_bound_one_way(b, a, type));
}

std::vector<int> cluster_poses(const std::vector<double>& energy, const std::vector<Coords>& heavy, double min_rmsd,
                               std::size_t max_kept) {
  std::vector<int> order(energy.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return energy[a] < energy[b]; });
  std::vector<int> kept;
  for (int i : order) {
    if (!std::isfinite(energy[i])) continue;
    bool distinct = true;
    for (int k : kept)
      if (rmsd_upper_bound(heavy[i], heavy[k]) < min_rmsd) {
        distinct = false;
        break;
      }
    if (distinct) kept.push_back(i);
    if (max_kept > 0 && kept.size() >= max_kept) break;
  }
  return kept;
}

int modes_to_keep(const std::vector<double>& sorted_energy, int num_modes, double energy_range) {
  int n = 0;
  for (double e : sorted_energy) {
    if (n >= num_modes || e > sorted_energy.front() + energy_range) break;
    ++n;
  }
  return n;
}

}  // namespace pk::dock
