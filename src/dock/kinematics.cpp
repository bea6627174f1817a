// Host side of the torsion-tree kinematics: the tree of a parsed ligand and
// atom coordinates of a conformation (the kernels' code over host vectors).
#include "dock/kinematics.hpp"

#include "core/error.hpp"
#include "dock/molecule.hpp"

#include <cmath>
#include <string>

namespace pk::dock {

TreeHost tree_of(const Ligand& lig) {
  if (lig.n_torsions() > kMaxTorsions)
    throw InputError(lig.file, 0, "a ligand with " + std::to_string(lig.n_torsions()) + " torsions: at most " +
                                      std::to_string(kMaxTorsions) +
                                      " are supported (the search would not finish; make bonds rigid, e.g. fewer BRANCH records)");
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

namespace {

// The same kinematics code as the kernels, over plain host vectors: no Kokkos
// allocation per call (on OpenMP every View allocation opens a parallel
// region, which costs milliseconds on a busy machine).
struct HostTree {
  static constexpr int kFrameSlots = kernels::dock::TorsionTree<Kokkos::HostSpace>::kFrameSlots;
  int n_atoms = 0, n_nodes = 0;
  const int* atom_node_ = nullptr;
  const int* node_parent_ = nullptr;
  const double* atom_ref_ = nullptr;  ///< 3 per atom
  const double* origin_ = nullptr;    ///< 3 per node
  const double* axis_ = nullptr;      ///< 3 per node
  KOKKOS_INLINE_FUNCTION int atom_node(int a) const { return atom_node_[a]; }
  KOKKOS_INLINE_FUNCTION double atom_ref(int a, int d) const { return atom_ref_[3 * a + d]; }
  KOKKOS_INLINE_FUNCTION int node_parent(int k) const { return node_parent_[k]; }
  KOKKOS_INLINE_FUNCTION double node_origin_ref(int k, int d) const { return origin_[3 * k + d]; }
  KOKKOS_INLINE_FUNCTION double node_axis_ref(int k, int d) const { return axis_[3 * k + d]; }
  KOKKOS_INLINE_FUNCTION int n_torsions() const { return n_nodes - 1; }
  KOKKOS_INLINE_FUNCTION int conf_size() const { return 7 + n_torsions(); }
  KOKKOS_INLINE_FUNCTION int frame_size() const { return kFrameSlots * n_nodes; }
};

struct VecSpan {
  double* p;
  KOKKOS_INLINE_FUNCTION double& operator[](int k) const { return p[k]; }
  KOKKOS_INLINE_FUNCTION double& operator()(int a, int d) const { return p[3 * a + d]; }
  KOKKOS_INLINE_FUNCTION VecSpan shifted(int k) const { return VecSpan{p + k}; }
};

}  // namespace

std::vector<std::array<double, 3>> coordinates_of(const TreeHost& tree, const std::vector<double>& conf) {
  HostTree h;
  h.n_atoms = tree.n_atoms();
  h.n_nodes = static_cast<int>(tree.node_parent.size());
  std::vector<double> ref(3 * h.n_atoms), origin(3 * h.n_nodes, 0.0), axis(3 * h.n_nodes, 0.0);
  for (int a = 0; a < h.n_atoms; ++a)
    for (int d = 0; d < 3; ++d) ref[3 * a + d] = tree.atom_ref[a][d];
  for (int d = 0; d < 3; ++d) origin[d] = tree.root_origin[d];
  for (int k = 1; k < h.n_nodes; ++k) {
    const auto& to = tree.atom_ref[tree.node_axis_to[k]];
    const auto& from = tree.atom_ref[tree.node_axis_from[k]];
    double len = 0;
    for (int d = 0; d < 3; ++d) len += (to[d] - from[d]) * (to[d] - from[d]);
    len = std::sqrt(len);
    for (int d = 0; d < 3; ++d) origin[3 * k + d] = to[d], axis[3 * k + d] = (to[d] - from[d]) / len;
  }
  h.atom_node_ = tree.atom_node.data();
  h.node_parent_ = tree.node_parent.data();
  h.atom_ref_ = ref.data();
  h.origin_ = origin.data();
  h.axis_ = axis.data();
  const int C = h.conf_size(), F = h.frame_size(), n = h.n_atoms;
  std::vector<double> work(C + F + 3 * n, 0.0);
  for (int i = 0; i < C; ++i) work[i] = conf[i];
  const VecSpan row{work.data()};
  kernels::dock::conformation_to_coords(h, row, row.shifted(C), row.shifted(C + F));
  std::vector<std::array<double, 3>> xyz(n);
  for (int a = 0; a < n; ++a)
    for (int d = 0; d < 3; ++d) xyz[a][d] = work[C + F + 3 * a + d];
  return xyz;
}

}  // namespace pk::dock
