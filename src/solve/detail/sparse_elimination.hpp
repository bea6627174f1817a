// Subtraction-free elimination on the sparse edge graph of a network: the
// state-reduction (GTH) arithmetic of elimination.hpp, but eliminating states
// in minimum-degree order and storing only the edges that exist or fill in.
// Sparse landscapes (a few neighbours per state, thousands of states) then
// cost about the square of the separator sizes instead of n^3. Every stored
// weight is a sum of products of non-negative rates, so results keep full
// relative accuracy on stiff networks. Once the fill has made the remaining
// states' rows dense (a tenth of a full block), they are eliminated as a
// dense block with the same arithmetic. Internal to src/solve.
#pragma once

#include "network/network.hpp"
#include "solve/detail/dense.hpp"

#include <vector>

namespace pk::solve::detail {

/// pi with pi Q = 0 (pi P = pi), sum 1. Throws pk::InputError for a
/// reducible chain.
std::vector<double> sparse_stationary(const network::RateMatrix& rates);

/// Probability to reach `to` before `from` per state: 1 on `to`, 0 on
/// `from`, NaN where neither set can be reached.
std::vector<double> sparse_committor(const network::RateMatrix& rates, const Mask& from, const Mask& to);

}  // namespace pk::solve::detail
