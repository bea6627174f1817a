// Dense views of a RateMatrix and graph questions about it, shared by the
// exact solvers. Internal to src/solve.
#pragma once

#include "network/network.hpp"

#include <Eigen/Dense>

#include <cstdint>
#include <optional>
#include <vector>

namespace pk::solve::detail {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Mask = std::vector<char>;

/// Throws pk::InputError unless the CSR arrays are consistent, every value is
/// finite and >= 0, and (discrete time) every row sums to 1 within 1e-9.
void validate(const network::RateMatrix& rm);

/// Dense off-diagonal weights W_ij (rates in 1/s, or transition probabilities
/// for discrete time); the diagonal is zero. Diagonals of generators are
/// always rebuilt from these sums, never from 1 - P_ii, so no digits cancel.
RowMatrix offdiagonal_weights(const network::RateMatrix& rm);

/// Dense generator Q (Q_ii = -sum of the row) or transition matrix P.
Eigen::MatrixXd dense_matrix(const network::RateMatrix& rm);

/// Membership mask of a set of state indices; throws pk::UsageError for an
/// index out of range. `what` names the set in the message.
Mask mask_of(const std::vector<std::int32_t>& set, std::int32_t n, const char* what);

/// States that can reach a state of `goal` through edges of positive weight
/// without passing through a `blocked` state (goal states are included).
Mask can_reach(const network::RateMatrix& rm, const Mask& goal, const Mask& blocked);

/// True when every state reaches every other (one closed class).
bool irreducible(const network::RateMatrix& rm);

/// Log detailed-balance weights ln w_i with w_i W_ij = w_j W_ji on every edge
/// (relative tolerance 1e-8), built along a spanning forest of the edge graph;
/// empty when some edge has no reverse or a cycle breaks the balance. Each
/// connected component has its own (arbitrary) scale.
std::optional<std::vector<double>> reversible_log_weights(const network::RateMatrix& rm);

/// Indices i with mask[i] == want, in increasing order.
std::vector<std::int32_t> indices_where(const Mask& mask, bool want);

/// Checks times: finite and >= 0 (pk::UsageError otherwise).
void validate_times(const std::vector<double>& times_s);

/// Checks a distribution over n states: finite, >= 0 (pk::UsageError otherwise).
void validate_distribution(const std::vector<double>& p, std::int32_t n);

}  // namespace pk::solve::detail
