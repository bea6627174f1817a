// Kinematics of a ligand torsion tree (device-callable): a conformation is the
// root origin position, a unit quaternion for the root orientation and one
// angle per torsion; atom coordinates follow from it, and the gradient of an
// energy with respect to the conformation follows from per-atom gradients
// (position: their sum; orientation: torque about the root origin; torsion:
// the subtree torque projected on the bond axis), as in AutoDock Vina.
//
// Per-chain working storage lives in a 2-D view (chain, slot); ChainSpan gives
// one chain's slice. With the default layout the chain index is the fastest
// on GPUs (coalesced) and the slot index on CPUs (cache-friendly).
#pragma once

#include "pk_compat.hpp"

#include <Kokkos_Core.hpp>

namespace pk::kernels::dock {

#if KOKKOS_VERSION >= 30700
using Kokkos::cos;
using Kokkos::sin;
#else
using Kokkos::Experimental::cos;
using Kokkos::Experimental::sin;
#endif

/// One chain's slice [offset, ...) of a (chain, slot) scratch view.
template <class View2>
struct ChainSpan {
  View2 v;
  int chain = 0;
  int offset = 0;
  KOKKOS_INLINE_FUNCTION double& operator[](int k) const { return v(chain, offset + k); }
  /// Atom a, Cartesian component d of a coordinate array stored as 3 per atom.
  KOKKOS_INLINE_FUNCTION double& operator()(int a, int d) const { return v(chain, offset + 3 * a + d); }
  KOKKOS_INLINE_FUNCTION ChainSpan shifted(int k) const { return ChainSpan{v, chain, offset + k}; }
};

/// A span over plain memory (a team's scratch on the device): the same
/// interface as ChainSpan, 3 doubles per atom for coordinates.
struct PtrSpan {
  double* p = nullptr;
  KOKKOS_INLINE_FUNCTION double& operator[](int k) const { return p[k]; }
  KOKKOS_INLINE_FUNCTION double& operator()(int a, int d) const { return p[3 * a + d]; }
  KOKKOS_INLINE_FUNCTION PtrSpan shifted(int k) const { return PtrSpan{p + k}; }
};

/// PtrSpan as a base pointer and an offset: where threads of a warp work on
/// different rows of one scratch block (lane groups), every span keeps the
/// warp's common base and only its offset differs per lane, which on GPUs
/// takes fewer registers than a pointer per lane and span.
struct OffsetSpan {
  double* p = nullptr;
  int o = 0;  ///< first element, in doubles from p
  KOKKOS_INLINE_FUNCTION double& operator[](int k) const { return p[o + k]; }
  KOKKOS_INLINE_FUNCTION double& operator()(int a, int d) const { return p[o + 3 * a + d]; }
  KOKKOS_INLINE_FUNCTION OffsetSpan shifted(int k) const { return OffsetSpan{p, o + k}; }
};

/// The torsion tree on the device. Nodes are in preorder (parent < child);
/// node 0 is the root. Reference coordinates are the input pose, which is the
/// conformation (root_origin_ref, identity, all torsions 0).
template <class MemorySpace>
struct TorsionTree {
  int n_atoms = 0;
  int n_nodes = 0;  ///< 1 + number of torsions
  Kokkos::View<const int*, MemorySpace> atom_node;             ///< node that moves atom a
  Kokkos::View<const double* [3], MemorySpace> atom_ref;       ///< input coordinates, Å
  Kokkos::View<const int*, MemorySpace> node_parent;           ///< -1 for the root
  Kokkos::View<const double* [3], MemorySpace> node_origin_ref;  ///< frame origin, Å (child-side axis atom)
  Kokkos::View<const double* [3], MemorySpace> node_axis_ref;    ///< unit bond axis parent->child (root: unused)
  // The atoms of each node in atom order (for the team kernels):
  // node_atoms(node_atom_start(k) .. node_atom_start(k + 1) - 1).
  Kokkos::View<const int*, MemorySpace> node_atom_start;  ///< n_nodes + 1
  Kokkos::View<const int*, MemorySpace> node_atoms;       ///< n_atoms
  // The nodes on the path from the root to each node, root first:
  // node_path(node_path_start(k) .. node_path_start(k + 1) - 1), ending with k.
  Kokkos::View<const int*, MemorySpace> node_path_start;  ///< n_nodes + 1
  Kokkos::View<const int*, MemorySpace> node_path;
  // Each node's subtree (the node and its descendants, ascending):
  // node_subtree(node_subtree_start(k) .. node_subtree_start(k + 1) - 1).
  Kokkos::View<const int*, MemorySpace> node_subtree_start;  ///< n_nodes + 1
  Kokkos::View<const int*, MemorySpace> node_subtree;

  KOKKOS_INLINE_FUNCTION int n_torsions() const { return n_nodes - 1; }
  /// Doubles in a conformation: position 3, quaternion 4, torsions.
  KOKKOS_INLINE_FUNCTION int conf_size() const { return 7 + n_torsions(); }
  /// Doubles in a change (gradient, search direction): position 3, rotation 3, torsions.
  KOKKOS_INLINE_FUNCTION int change_size() const { return 6 + n_torsions(); }
  /// Scratch doubles per node for the frames: origin 3, matrix 9, world axis 3, force 3, torque 3,
  /// and the node's local rotation 9 (the team kernels' first pass).
  static constexpr int kFrameSlots = 30;
  static constexpr int kLocalSlot = 21;
  KOKKOS_INLINE_FUNCTION int frame_size() const { return kFrameSlots * n_nodes; }
};

// ---- small vector and quaternion helpers ----------------------------------

KOKKOS_INLINE_FUNCTION void cross3(const double a[3], const double b[3], double c[3]) {
  c[0] = a[1] * b[2] - a[2] * b[1];
  c[1] = a[2] * b[0] - a[0] * b[2];
  c[2] = a[0] * b[1] - a[1] * b[0];
}

/// x wrapped into [-pi, pi) in constant time (a huge step from a steep
/// out-of-box gradient must not turn into a long loop); non-finite -> 0.
KOKKOS_INLINE_FUNCTION double normalize_angle(double x) {
  constexpr double kPi = 3.14159265358979323846;
  if (!(x > -1e300 && x < 1e300)) return 0.0;
  if (x >= -kPi && x < kPi) return x;
  return x - 2 * kPi * compat::floor((x + kPi) / (2 * kPi));
}

/// q = a * b (Hamilton product, w first).
KOKKOS_INLINE_FUNCTION void quat_mul(const double a[4], const double b[4], double q[4]) {
  q[0] = a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
  q[1] = a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2];
  q[2] = a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1];
  q[3] = a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0];
}

/// Quaternion of a rotation by |v| radians about v / |v|.
KOKKOS_INLINE_FUNCTION void quat_from_rotvec(const double v[3], double q[4]) {
  const double angle = compat::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (angle < 1e-12) {
    q[0] = 1;
    q[1] = 0.5 * v[0];
    q[2] = 0.5 * v[1];
    q[3] = 0.5 * v[2];
  } else {
    const double s = dock::sin(0.5 * angle) / angle;
    q[0] = dock::cos(0.5 * angle);
    q[1] = s * v[0];
    q[2] = s * v[1];
    q[3] = s * v[2];
  }
  const double n = compat::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  for (int i = 0; i < 4; ++i) q[i] /= n;
}

/// out = the unit quaternion q turned by the rotation vector rv (world
/// axes), renormalised.
KOKKOS_INLINE_FUNCTION void turn_quaternion(const double q[4], const double rv[3], double out[4]) {
  double dq[4], r[4];
  quat_from_rotvec(rv, dq);
  quat_mul(dq, q, r);
  const double n = compat::sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2] + r[3] * r[3]);
  for (int i = 0; i < 4; ++i) out[i] = r[i] / n;
}

/// Row-major rotation matrix of a unit quaternion.
KOKKOS_INLINE_FUNCTION void quat_to_matrix(const double q[4], double m[9]) {
  const double w = q[0], x = q[1], y = q[2], z = q[3];
  m[0] = 1 - 2 * (y * y + z * z);
  m[1] = 2 * (x * y - w * z);
  m[2] = 2 * (x * z + w * y);
  m[3] = 2 * (x * y + w * z);
  m[4] = 1 - 2 * (x * x + z * z);
  m[5] = 2 * (y * z - w * x);
  m[6] = 2 * (x * z - w * y);
  m[7] = 2 * (y * z + w * x);
  m[8] = 1 - 2 * (x * x + y * y);
}

// ---- coordinates from a conformation ---------------------------------------

/// The rotation node k applies in its own frame: for the root the matrix of
/// the (normalised) conformation quaternion, for a branch the rotation by its
/// torsion angle about its reference bond axis. Independent across nodes.
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void node_local_rotation(const Tree& tree, const Span& conf, int k, double m[9]) {
  if (k == 0) {
    double q[4] = {conf[3], conf[4], conf[5], conf[6]};
    const double n = compat::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
    for (int i = 0; i < 4; ++i) q[i] /= n;
    quat_to_matrix(q, m);
    return;
  }
  const double t = conf[7 + k - 1];
  double rv[3] = {tree.node_axis_ref(k, 0) * t, tree.node_axis_ref(k, 1) * t, tree.node_axis_ref(k, 2) * t};
  double qt[4];
  quat_from_rotvec(rv, qt);
  quat_to_matrix(qt, m);
}

/// Node k's frame (origin, rotation matrix, world bond axis) from its
/// parent's origin `po` and matrix `pm` and its own local rotation `mt`
/// (k > 0).
template <class Tree>
KOKKOS_INLINE_FUNCTION void compose_frame(const Tree& tree, int k, const double po[3], const double pm[9],
                                          const double mt[9], double origin[3], double m[9], double axis[3]) {
  const int j = tree.node_parent(k);
  double rel[3], ax[3];
  for (int d = 0; d < 3; ++d) {
    rel[d] = tree.node_origin_ref(k, d) - tree.node_origin_ref(j, d);
    ax[d] = tree.node_axis_ref(k, d);
  }
  // origin_k = origin_j + R_j rel; axis_world = R_j axis_ref
  for (int r = 0; r < 3; ++r) {
    origin[r] = po[r] + pm[3 * r] * rel[0] + pm[3 * r + 1] * rel[1] + pm[3 * r + 2] * rel[2];
    axis[r] = pm[3 * r] * ax[0] + pm[3 * r + 1] * ax[1] + pm[3 * r + 2] * ax[2];
  }
  // R_k = R_j * Rot(axis_ref, t_k)
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) m[3 * r + c] = pm[3 * r] * mt[c] + pm[3 * r + 1] * mt[3 + c] + pm[3 * r + 2] * mt[6 + c];
}

/// Stores a node's frame in its slots: origin (0-2), rotation matrix (3-11),
/// world bond axis (12-14).
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void store_frame(int k, const double origin[3], const double m[9], const double axis[3],
                                        const Span& frames) {
  constexpr int F = Tree::kFrameSlots;
  for (int d = 0; d < 3; ++d) {
    frames[F * k + d] = origin[d];
    frames[F * k + 12 + d] = axis[d];
  }
  for (int i = 0; i < 9; ++i) frames[F * k + 3 + i] = m[i];
}

/// Node k's frame from its parent's (in `frames`) and its local rotation
/// `mt`, stored in its slots.
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void chain_frame(const Tree& tree, const Span& conf, int k, const double mt[9],
                                        const Span& frames) {
  constexpr int F = Tree::kFrameSlots;
  double m[9], origin[3], axis[3] = {0, 0, 0};
  if (k == 0) {
    for (int i = 0; i < 9; ++i) m[i] = mt[i];
    for (int d = 0; d < 3; ++d) origin[d] = conf[d];
  } else {
    const int j = tree.node_parent(k);
    double po[3], pm[9];
    for (int d = 0; d < 3; ++d) po[d] = frames[F * j + d];
    for (int i = 0; i < 9; ++i) pm[i] = frames[F * j + 3 + i];
    compose_frame(tree, k, po, pm, mt, origin, m, axis);
  }
  store_frame<Tree>(k, origin, m, axis, frames);
}

/// Node k's frame computed on its own, without its ancestors' frames: the
/// root's frame composed with the local rotations `local(i)` (9 doubles
/// each) of the nodes on the path from the root to k, in the order
/// compute_frames composes them (so bitwise its result), stored in k's
/// slots.
template <class Tree, class Span, class Local>
KOKKOS_INLINE_FUNCTION void path_frame(const Tree& tree, const Span& conf, int k, const Local& local,
                                       const Span& frames) {
  double m[9], origin[3], axis[3] = {0, 0, 0};
  for (int i = 0; i < 9; ++i) m[i] = local(0)[i];
  for (int d = 0; d < 3; ++d) origin[d] = conf[d];
  for (int q = tree.node_path_start(k) + 1; q < tree.node_path_start(k + 1); ++q) {
    const int i = tree.node_path(q);
    const double po[3] = {origin[0], origin[1], origin[2]};
    double pm[9];
    for (int e = 0; e < 9; ++e) pm[e] = m[e];
    compose_frame(tree, i, po, pm, local(i), origin, m, axis);
  }
  store_frame<Tree>(k, origin, m, axis, frames);
}

/// Fills `frames` (tree.frame_size() doubles: every node's origin, rotation
/// matrix and world bond axis) from `conf` (tree.conf_size() doubles).
/// Serial over nodes: a node's frame needs its parent's.
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void compute_frames(const Tree& tree, const Span& conf, const Span& frames) {
  for (int k = 0; k < tree.n_nodes; ++k) {
    double mt[9];
    node_local_rotation(tree, conf, k, mt);
    chain_frame(tree, conf, k, mt, frames);
  }
}

/// Places atom `a` with the frames compute_frames produced.
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void place_atom(const Tree& tree, const Span& frames, int a, const Span& coords) {
  constexpr int F = Tree::kFrameSlots;
  const int k = tree.atom_node(a);
  double rel[3];
  for (int d = 0; d < 3; ++d) rel[d] = tree.atom_ref(a, d) - tree.node_origin_ref(k, d);
  for (int r = 0; r < 3; ++r)
    coords(a, r) = frames[F * k + r] + frames[F * k + 3 + 3 * r] * rel[0] + frames[F * k + 3 + 3 * r + 1] * rel[1] +
                   frames[F * k + 3 + 3 * r + 2] * rel[2];
}

/// Fills `frames` (tree.frame_size() doubles) and `coords` (3 per atom) from
/// `conf` (tree.conf_size() doubles).
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void conformation_to_coords(const Tree& tree, const Span& conf, const Span& frames,
                                                   const Span& coords) {
  compute_frames(tree, conf, frames);
  for (int a = 0; a < tree.n_atoms; ++a) place_atom(tree, frames, a, coords);
}

/// Node k's own force and torque (about its origin) from the gradients of
/// its atoms (tree.node_atoms), summed in atom order into the frame's slots
/// 15-20 (what the atom loop of coords_gradient_to_change adds, in the same
/// order).
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void node_force_torque(const Tree& tree, const Span& frames, const Span& coords,
                                              const Span& atom_grad, int k) {
  constexpr int F = Tree::kFrameSlots;
  double f[3] = {0, 0, 0}, tq[3] = {0, 0, 0};
  for (int q = tree.node_atom_start(k); q < tree.node_atom_start(k + 1); ++q) {
    const int a = tree.node_atoms(q);
    double r[3], g[3], t[3];
    for (int d = 0; d < 3; ++d) {
      r[d] = coords(a, d) - frames[F * k + d];
      g[d] = atom_grad(a, d);
      f[d] += g[d];
    }
    cross3(r, g, t);
    for (int d = 0; d < 3; ++d) tq[d] += t[d];
  }
  for (int d = 0; d < 3; ++d) {
    frames[F * k + 15 + d] = f[d];
    frames[F * k + 18 + d] = tq[d];
  }
}

/// The leaf-to-root pass of coords_gradient_to_change: every node's force
/// and torque (slots 15-20) moved onto its parent, torsion derivatives and
/// the root's position and rotation derivatives written to `change`.
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void tree_gradient_pass(const Tree& tree, const Span& frames, const Span& change) {
  constexpr int F = Tree::kFrameSlots;
  for (int k = tree.n_nodes - 1; k >= 1; --k) {
    const int j = tree.node_parent(k);
    double r[3], f[3], t[3];
    for (int d = 0; d < 3; ++d) {
      r[d] = frames[F * k + d] - frames[F * j + d];
      f[d] = frames[F * k + 15 + d];
    }
    cross3(r, f, t);
    double proj = 0;
    for (int d = 0; d < 3; ++d) {
      proj += frames[F * k + 12 + d] * frames[F * k + 18 + d];
      frames[F * j + 15 + d] += f[d];
      frames[F * j + 18 + d] += frames[F * k + 18 + d] + t[d];
    }
    change[6 + k - 1] = proj;
  }
  for (int d = 0; d < 3; ++d) {
    change[d] = frames[15 + d];
    change[3 + d] = frames[18 + d];
  }
}

/// Node k's part of `change` from every node's own force and torque
/// (slots 15-20, node_force_torque), without the leaf-to-root pass: the
/// subtree's forces, and its torques moved to k's origin, summed over the
/// subtree (the pass's quantities, summed in another order). The root gives
/// the position and rotation derivatives, a branch its torsion derivative.
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void subtree_change(const Tree& tree, const Span& frames, int k, const Span& change) {
  constexpr int F = Tree::kFrameSlots;
  double f[3] = {0, 0, 0}, t[3] = {0, 0, 0};
  for (int q = tree.node_subtree_start(k); q < tree.node_subtree_start(k + 1); ++q) {
    const int i = tree.node_subtree(q);
    double r[3], fi[3], c[3];
    for (int d = 0; d < 3; ++d) {
      r[d] = frames[F * i + d] - frames[F * k + d];
      fi[d] = frames[F * i + 15 + d];
      f[d] += fi[d];
    }
    cross3(r, fi, c);
    for (int d = 0; d < 3; ++d) t[d] += frames[F * i + 18 + d] + c[d];
  }
  if (k == 0) {
    for (int d = 0; d < 3; ++d) change[d] = f[d], change[3 + d] = t[d];
    return;
  }
  double proj = 0;
  for (int d = 0; d < 3; ++d) proj += frames[F * k + 12 + d] * t[d];
  change[6 + k - 1] = proj;
}

/// dE/d(conformation change) from per-atom gradients dE/dx (3 per atom), for
/// the coordinates and frames conformation_to_coords last produced. `change`
/// gets tree.change_size() doubles: position 3, rotation vector 3 (torque
/// about the root origin), torsions.
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void coords_gradient_to_change(const Tree& tree, const Span& frames, const Span& coords,
                                                      const Span& atom_grad, const Span& change) {
  constexpr int F = Tree::kFrameSlots;
  for (int k = 0; k < tree.n_nodes; ++k)
    for (int i = 15; i < 21; ++i) frames[F * k + i] = 0;
  for (int a = 0; a < tree.n_atoms; ++a) {
    const int k = tree.atom_node(a);
    double r[3], g[3], t[3];
    for (int d = 0; d < 3; ++d) {
      r[d] = coords(a, d) - frames[F * k + d];
      g[d] = atom_grad(a, d);
      frames[F * k + 15 + d] += g[d];
    }
    cross3(r, g, t);
    for (int d = 0; d < 3; ++d) frames[F * k + 18 + d] += t[d];
  }
  tree_gradient_pass(tree, frames, change);
}

/// conf_out = conf_in moved by alpha * change (position added, orientation
/// rotated about world axes by the rotation vector, torsions added).
template <class Tree, class Span>
KOKKOS_INLINE_FUNCTION void apply_change(const Tree& tree, const Span& conf_in, const Span& change, double alpha,
                                         const Span& conf_out) {
  for (int d = 0; d < 3; ++d) conf_out[d] = conf_in[d] + alpha * change[d];
  const double rv[3] = {alpha * change[3], alpha * change[4], alpha * change[5]};
  const double q[4] = {conf_in[3], conf_in[4], conf_in[5], conf_in[6]};
  double out[4];
  turn_quaternion(q, rv, out);
  for (int i = 0; i < 4; ++i) conf_out[3 + i] = out[i];
  for (int k = 0; k < tree.n_torsions(); ++k) conf_out[7 + k] = normalize_angle(conf_in[7 + k] + alpha * change[6 + k]);
}

}  // namespace pk::kernels::dock
