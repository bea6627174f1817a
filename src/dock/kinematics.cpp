// Host evaluation of the torsion-tree kinematics (same code as the kernels,
// run on host views) for writing poses.
#include "dock/kinematics.hpp"

namespace pk::dock {

std::vector<std::array<double, 3>> coordinates_of(const TreeHost& tree, const std::vector<double>& conf) {
  using Host = Kokkos::HostSpace;
  const auto dev = upload_tree<Host>(tree);
  const int C = dev.conf_size(), F = dev.frame_size(), n = dev.n_atoms;
  Kokkos::View<double**, Kokkos::LayoutRight, Host> work("pk::dock::host_conf", 1, C + F + 3 * n);
  using Span = kernels::dock::ChainSpan<decltype(work)>;
  const Span row{work, 0, 0};
  for (int i = 0; i < C; ++i) row[i] = conf[i];
  kernels::dock::conformation_to_coords(dev, row, row.shifted(C), row.shifted(C + F));
  std::vector<std::array<double, 3>> xyz(n);
  for (int a = 0; a < n; ++a)
    for (int d = 0; d < 3; ++d) xyz[a][d] = work(0, C + F + 3 * a + d);
  return xyz;
}

}  // namespace pk::dock
