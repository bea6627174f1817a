// Mean first-passage times into an absorbing set of a network whose edges
// go both ways (every landscape edge has a forward and a backward rate), by
// sparse subtraction-free elimination. The elimination order (minimum degree)
// and the fill pattern depend on the graph only, so they are worked out once
// per complex (PassagePlan's constructor); each parameter set then costs one
// pass of plain arithmetic over precomputed slots (mean_first_passage).
//
// Why not a general sparse LU: the pivots of -Q restricted to the transient
// states are differences of nearly equal rates on stiff landscapes (pocket
// exchange at 1e10 1/s, escape at 1e-3 1/s), which LU loses entirely. Here
// every pivot is rebuilt as a sum of non-negative weights, the state
// reduction of Grassmann, Taksar & Heyman (Oper. Res. 33, 1107 (1985)), so the
// passage times keep full relative accuracy whatever the spread of rates.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace pk::landscape {

class PassagePlan {
 public:
  /// `links`: node pairs (a, b), a != b, each at most once, in either order;
  /// nodes 0..n_nodes-1; `absorbing[i]` marks the target set. Throws
  /// pk::UsageError when a transient node cannot reach the target (the
  /// caller names the file: see unreachable()).
  PassagePlan(std::int32_t n_nodes, const std::vector<std::pair<std::int32_t, std::int32_t>>& links,
              const std::vector<char>& absorbing);

  /// Per node, the mean first-passage time to the target (0 on it), for rates
  /// forward[l] (a -> b of links[l]) and backward[l] (b -> a), in the rates'
  /// inverse time unit. Non-finite results (a rate that underflowed to 0 cut
  /// the target off) come back as +inf.
  std::vector<double> mean_first_passage(const std::vector<double>& forward, const std::vector<double>& backward) const;

  /// Transient nodes with no path to the target (empty for a valid plan is
  /// guaranteed: the constructor throws otherwise); for messages.
  static std::vector<std::int32_t> unreachable(std::int32_t n_nodes,
                                               const std::vector<std::pair<std::int32_t, std::int32_t>>& links,
                                               const std::vector<char>& absorbing);

  std::int64_t fill_slots() const { return static_cast<std::int64_t>(n_slots_); }

 private:
  struct LinkSlots {
    std::int32_t forward = -1, backward = -1;  ///< weight slots (a -> b, b -> a), -1: into the target
    std::int32_t exit_a = -1, exit_b = -1;     ///< transient node whose exit weight the rate feeds, else -1
  };
  std::int32_t n_nodes_ = 0;
  std::size_t n_slots_ = 0;
  std::vector<std::int32_t> local_;      ///< node -> transient index, -1 on the target
  std::vector<std::int32_t> node_of_;    ///< transient index -> node
  std::vector<LinkSlots> link_slots_;
  std::vector<std::int32_t> order_;      ///< pivots (transient indices) in elimination order
  std::vector<std::int64_t> nb_offset_;  ///< per pivot: its neighbours left at elimination, [offset, next)
  std::vector<std::int32_t> nb_;         ///< those neighbours (transient indices)
  std::vector<std::int32_t> out_slot_;   ///< slot of pivot -> neighbour
  std::vector<std::int32_t> in_slot_;    ///< slot of neighbour -> pivot
  std::vector<std::int64_t> fill_offset_;  ///< per pivot: its fill updates, [offset, next), |N|(|N|-1) of them
  std::vector<std::int32_t> fill_slot_;    ///< slot of (N_t -> N_u), row-major over t, u != t
};

}  // namespace pk::landscape
