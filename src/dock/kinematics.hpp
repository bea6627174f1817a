// Upload of a host torsion tree (dock/tree.hpp) to device views for the
// kernels in kernels/dock_kinematics.hpp. Header-only because it is templated
// on the memory space.
#pragma once

#include "dock/tree.hpp"
#include "dock_kinematics.hpp"

#include <Kokkos_Core.hpp>

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace pk::dock {

/// A copy of `v` in `MemorySpace`.
template <class MemorySpace>
Kokkos::View<int*, MemorySpace> int_view(const std::vector<int>& v, const char* label) {
  Kokkos::View<int*, MemorySpace> d(std::string(label), v.size());
  Kokkos::deep_copy(d, Kokkos::View<const int*, Kokkos::HostSpace, Kokkos::MemoryUnmanaged>(v.data(), v.size()));
  return d;
}

/// Copies the tree to `MemorySpace`.
template <class MemorySpace>
kernels::dock::TorsionTree<MemorySpace> upload_tree(const TreeHost& t) {
  const int n = t.n_atoms(), m = static_cast<int>(t.node_parent.size());
  Kokkos::View<int*, MemorySpace> atom_node("pk::dock::atom_node", n), node_parent("pk::dock::node_parent", m);
  Kokkos::View<double* [3], MemorySpace> atom_ref("pk::dock::atom_ref", n),
      origin("pk::dock::node_origin_ref", m), axis("pk::dock::node_axis_ref", m);
  auto h_atom_node = Kokkos::create_mirror_view(atom_node);
  auto h_parent = Kokkos::create_mirror_view(node_parent);
  auto h_ref = Kokkos::create_mirror_view(atom_ref);
  auto h_origin = Kokkos::create_mirror_view(origin);
  auto h_axis = Kokkos::create_mirror_view(axis);
  for (int a = 0; a < n; ++a) {
    h_atom_node(a) = t.atom_node[a];
    for (int d = 0; d < 3; ++d) h_ref(a, d) = t.atom_ref[a][d];
  }
  for (int k = 0; k < m; ++k) {
    h_parent(k) = t.node_parent[k];
    if (k == 0) {
      for (int d = 0; d < 3; ++d) h_origin(k, d) = t.root_origin[d], h_axis(k, d) = 0;
      continue;
    }
    const auto& to = t.atom_ref[t.node_axis_to[k]];
    const auto& from = t.atom_ref[t.node_axis_from[k]];
    double len = 0;
    for (int d = 0; d < 3; ++d) len += (to[d] - from[d]) * (to[d] - from[d]);
    len = std::sqrt(len);
    for (int d = 0; d < 3; ++d) h_origin(k, d) = to[d], h_axis(k, d) = (to[d] - from[d]) / len;
  }
  // Each node's atoms in atom order.
  Kokkos::View<int*, MemorySpace> node_atom_start("pk::dock::node_atom_start", m + 1), node_atoms("pk::dock::node_atoms", n);
  auto h_start = Kokkos::create_mirror_view(node_atom_start);
  auto h_atoms = Kokkos::create_mirror_view(node_atoms);
  for (int k = 0; k <= m; ++k) h_start(k) = 0;
  for (int a = 0; a < n; ++a) ++h_start(t.atom_node[a] + 1);
  for (int k = 0; k < m; ++k) h_start(k + 1) += h_start(k);
  for (int k = 0, q = 0; k < m; ++k)
    for (int a = 0; a < n; ++a)
      if (t.atom_node[a] == k) h_atoms(q++) = a;
  // Each node's path from the root.
  std::vector<int> path_start(m + 1, 0), path;
  for (int k = 0; k < m; ++k) {
    std::vector<int> up;
    for (int i = k; i >= 0; i = t.node_parent[i]) up.push_back(i);
    path.insert(path.end(), up.rbegin(), up.rend());
    path_start[k + 1] = static_cast<int>(path.size());
  }
  // Each node's subtree: the nodes whose path passes through it.
  std::vector<int> sub_start(m + 1, 0), sub;
  for (int k = 0; k < m; ++k) {
    for (int i = k; i < m; ++i)
      for (int q = path_start[i]; q < path_start[i + 1]; ++q)
        if (path[q] == k) sub.push_back(i);
    sub_start[k + 1] = static_cast<int>(sub.size());
  }
  Kokkos::deep_copy(node_atom_start, h_start);
  Kokkos::deep_copy(node_atoms, h_atoms);
  Kokkos::deep_copy(atom_node, h_atom_node);
  Kokkos::deep_copy(node_parent, h_parent);
  Kokkos::deep_copy(atom_ref, h_ref);
  Kokkos::deep_copy(origin, h_origin);
  Kokkos::deep_copy(axis, h_axis);
  kernels::dock::TorsionTree<MemorySpace> tree;
  tree.n_atoms = n;
  tree.n_nodes = m;
  tree.atom_node = atom_node;
  tree.atom_ref = atom_ref;
  tree.node_parent = node_parent;
  tree.node_origin_ref = origin;
  tree.node_axis_ref = axis;
  tree.node_atom_start = node_atom_start;
  tree.node_atoms = node_atoms;
  tree.node_path_start = int_view<MemorySpace>(path_start, "pk::dock::node_path_start");
  tree.node_path = int_view<MemorySpace>(path, "pk::dock::node_path");
  tree.node_subtree_start = int_view<MemorySpace>(sub_start, "pk::dock::node_subtree_start");
  tree.node_subtree = int_view<MemorySpace>(sub, "pk::dock::node_subtree");
  return tree;
}

}  // namespace pk::dock
