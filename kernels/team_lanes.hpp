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

/// `size` lanes of a Kokkos team, lanes `base` .. base + size - 1, seen as a
/// team of their own (`lane` = this thread's rank in the group).
template <class Member>
struct LaneGroup {
  int lane = 0, size = 1;
  unsigned mask = 1u;  ///< CUDA: the group's lanes within the warp

  /// The group of `size` lanes (a power of two dividing the team size) that
  /// this thread of `m` belongs to; `group` gets its index in the team.
  KOKKOS_INLINE_FUNCTION LaneGroup(const Member& member, int group_size, int& group)
      : lane(member.team_rank() % group_size), size(group_size) {
    group = member.team_rank() / group_size;
    const int base = group * group_size % 32;
    mask = (group_size >= 32 ? 0xffffffffu : ((1u << group_size) - 1u)) << base;
  }
  KOKKOS_INLINE_FUNCTION int team_rank() const { return lane; }
  KOKKOS_INLINE_FUNCTION int team_size() const { return size; }
  KOKKOS_INLINE_FUNCTION void team_barrier() const {
#if defined(__CUDA_ARCH__)
    __syncwarp(mask);
#endif  // host backends: groups of one thread, nothing to wait for
  }
};

/// f(i) for i in [0, n), spread over the lanes of a team or a group.
template <class Member, class F>
KOKKOS_INLINE_FUNCTION void lanes_for(const Member& m, int n, const F& f) {
  Kokkos::parallel_for(Kokkos::TeamThreadRange(m, n), f);
}
template <class Member, class F>
KOKKOS_INLINE_FUNCTION void lanes_for(const LaneGroup<Member>& g, int n, const F& f) {
  for (int i = g.lane; i < n; i += g.size) f(i);
}

/// The sum of a double over a group's lanes; every lane gets it (a butterfly
/// of shuffles: each lane adds the same values in the same pairs, so every
/// lane holds bitwise the same sum).
template <class Member>
KOKKOS_INLINE_FUNCTION double lane_sum(const LaneGroup<Member>& g, double v) {
#if defined(__CUDA_ARCH__)
  for (int o = g.size / 2; o > 0; o /= 2) v += __shfl_xor_sync(g.mask, v, o);
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
template <class Member, class F, class T>
KOKKOS_INLINE_FUNCTION void lanes_reduce(const LaneGroup<Member>& g, int n, const F& f, T& result) {
  T acc{};
  for (int i = g.lane; i < n; i += g.size) f(i, acc);
  result = lane_sum(g, acc);
}

}  // namespace pk::kernels
