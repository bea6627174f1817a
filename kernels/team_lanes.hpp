// Lane groups: a Kokkos team split into groups of lanes that each work on
// their own item as if they were a team (on CUDA: aligned groups of 1, 2, 4,
// 8, 16 or 32 lanes of a one-warp team, synchronised with __syncwarp over the
// group's mask and reduced with warp shuffles; on host backends: groups of
// one thread).
//
// Kernels written against lanes_for / lanes_reduce and the member's
// team_rank(), team_size() and team_barrier() run unchanged with a Kokkos
// team member (the calls forward to TeamThreadRange) or with a LaneGroup.
#pragma once

#include <Kokkos_Core.hpp>

namespace pk::kernels {

/// `W` lanes of a Kokkos team, seen as a team of their own (`lane` = this
/// thread's rank in the group). W is a compile-time constant, so the loops'
/// strides, the shuffles and the one-lane branches of the kernels are fixed
/// when they are compiled.
template <class Member, int W>
struct LaneGroup {
  static_assert(W >= 1 && W <= 32 && (W & (W - 1)) == 0, "a power of two of at most one warp's lanes");
  int lane = 0;
  unsigned mask = 1u;  ///< CUDA: the group's lanes within the warp

  /// The group of W lanes (W dividing the team size) that this thread of
  /// `member` belongs to; `group` gets its index in the team. On CUDA the
  /// team has vector length 1, so team rank r is lane r % 32 of its warp.
  KOKKOS_INLINE_FUNCTION LaneGroup(const Member& member, int& group) : lane(member.team_rank() % W) {
    group = member.team_rank() / W;
    mask = (W >= 32 ? 0xffffffffu : ((1u << (W % 32)) - 1u)) << (group * W % 32);
  }
  KOKKOS_INLINE_FUNCTION int team_rank() const { return lane; }
  KOKKOS_INLINE_FUNCTION constexpr int team_size() const { return W; }
  KOKKOS_INLINE_FUNCTION void team_barrier() const {
#if defined(__CUDA_ARCH__)
    if (W > 1) __syncwarp(mask);
#endif  // host backends: groups of one thread, nothing to wait for
  }
};

/// f(i) for i in [0, n), spread over the lanes of a team or a group.
template <class Member, class F>
KOKKOS_INLINE_FUNCTION void lanes_for(const Member& m, int n, const F& f) {
  Kokkos::parallel_for(Kokkos::TeamThreadRange(m, n), f);
}
template <class Member, int W, class F>
KOKKOS_INLINE_FUNCTION void lanes_for(const LaneGroup<Member, W>& g, int n, const F& f) {
  for (int i = g.lane; i < n; i += W) f(i);
}

/// The sum of a double over a group's lanes; every lane gets it (a butterfly
/// of shuffles: each lane adds the same values in the same pairs, so every
/// lane holds bitwise the same sum).
template <class Member, int W>
KOKKOS_INLINE_FUNCTION double lane_sum(const LaneGroup<Member, W>& g, double v) {
#if defined(__CUDA_ARCH__)
#pragma unroll
  for (int o = W / 2; o > 0; o /= 2) v += __shfl_xor_sync(g.mask, v, o);
#else
  (void)g;
#endif
  return v;
}

/// f(i, acc) for i in [0, n) over the lanes, the accumulators summed into
/// `result` on every lane. T: double, or a type with a lane_sum overload
/// (found by argument-dependent lookup) and a Kokkos reduction identity.
template <class Member, class F, class T>
KOKKOS_INLINE_FUNCTION void lanes_reduce(const Member& m, int n, const F& f, T& result) {
  Kokkos::parallel_reduce(Kokkos::TeamThreadRange(m, n), f, result);
}
template <class Member, int W, class F, class T>
KOKKOS_INLINE_FUNCTION void lanes_reduce(const LaneGroup<Member, W>& g, int n, const F& f, T& result) {
  T acc{};
  for (int i = g.lane; i < n; i += W) f(i, acc);
  result = lane_sum(g, acc);
}

}  // namespace pk::kernels
