// Host evaluation of the torsion-tree kinematics (same code as the kernels,
// run on host views) for writing poses.
#include "dock/kinematics.hpp"

#include "dock/molecule.hpp"

namespace pk::dock {

TreeHost tree_of(const Ligand& lig) {
  TreeHost t;
  t.atom_node = lig.atom_node;
  for (const auto& a : lig.atoms) t.atom_ref.push_back(a.xyz);
  for (const auto& n : lig.nodes) {
    t.node_parent.push_back(n.parent);
    t.node_axis_from.push_back(n.axis_from);
    t.node_axis_to.push_back(n.axis_to);
  }
  const int origin = lig.nodes.at(0).atoms.empty() ? 0 : lig.nodes[0].atoms.front();
  t.root_origin = lig.atoms.at(origin).xyz;
  return t;
}

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
