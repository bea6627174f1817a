// The time-reversed chain, shared by the renewal rates and transition-path
// theory. Internal to src/solve.
#pragma once

#include "network/network.hpp"

#include <vector>

namespace pk::solve::detail {

/// Rates (or probabilities) of the time-reversed chain, k~_ji = pi_i k_ij / pi_j,
/// on the reversed edges; edges into a state with pi = 0 get weight 0.
network::RateMatrix time_reversed(const network::RateMatrix& m, const std::vector<double>& pi);

}  // namespace pk::solve::detail
