#include "solve/detail/dense.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <string>

namespace pk::solve::detail {
namespace {

using Adjacency = std::vector<std::vector<std::int32_t>>;

InputError bad_matrix(const std::string& what) { return InputError("rate matrix", 0, what); }

/// Adjacency lists of the edges of positive weight, forward or reversed.
Adjacency adjacency(const network::RateMatrix& rm, bool reversed) {
  Adjacency adj(static_cast<std::size_t>(rm.n));
  for (std::int32_t i = 0; i < rm.n; ++i)
    for (std::int64_t e = rm.row_offsets[i]; e < rm.row_offsets[i + 1]; ++e) {
      const std::int32_t j = rm.targets[e];
      if (rm.values[e] > 0.0 && j != i) (reversed ? adj[j] : adj[i]).push_back(reversed ? i : j);
    }
  return adj;
}

Mask breadth_first(const Adjacency& adj, const Mask& sources, const Mask& blocked) {
  Mask seen(sources);
  std::deque<std::int32_t> queue;
  for (std::size_t i = 0; i < seen.size(); ++i)
    if (seen[i]) queue.push_back(static_cast<std::int32_t>(i));
  while (!queue.empty()) {
    const std::int32_t x = queue.front();
    queue.pop_front();
    for (std::int32_t y : adj[x])
      if (!seen[y] && !blocked[y]) {
        seen[y] = 1;
        queue.push_back(y);
      }
  }
  return seen;
}

}  // namespace

void validate(const network::RateMatrix& rm) {
  if (rm.n < 0 || rm.row_offsets.size() != static_cast<std::size_t>(rm.n) + 1 || rm.row_offsets.front() != 0)
    throw bad_matrix("row_offsets must have n + 1 entries starting at 0");
  if (rm.targets.size() != rm.values.size() ||
      rm.row_offsets.back() != static_cast<std::int64_t>(rm.targets.size()))
    throw bad_matrix("targets and values must both have row_offsets[n] entries");
  for (std::int32_t i = 0; i < rm.n; ++i) {
    if (rm.row_offsets[i + 1] < rm.row_offsets[i]) throw bad_matrix("row_offsets must not decrease");
    double row_sum = 0.0;
    for (std::int64_t e = rm.row_offsets[i]; e < rm.row_offsets[i + 1]; ++e) {
      if (rm.targets[e] < 0 || rm.targets[e] >= rm.n)
        throw bad_matrix("row " + std::to_string(i) + " has a target outside 0.." + std::to_string(rm.n - 1));
      if (!std::isfinite(rm.values[e]) || rm.values[e] < 0.0)
        throw bad_matrix("row " + std::to_string(i) + " has a value that is negative or not finite");
      row_sum += rm.values[e];
    }
    if (rm.discrete_time() && std::abs(row_sum - 1.0) > 1e-9)
      throw bad_matrix("discrete-time row " + std::to_string(i) + " sums to " + std::to_string(row_sum) +
                       ", expected 1");
  }
  if (!std::isfinite(rm.lag_time_s) || rm.lag_time_s < 0.0) throw bad_matrix("lag time must be finite and >= 0");
}

RowMatrix offdiagonal_weights(const network::RateMatrix& rm) {
  RowMatrix w = RowMatrix::Zero(rm.n, rm.n);
  for (std::int32_t i = 0; i < rm.n; ++i)
    for (std::int64_t e = rm.row_offsets[i]; e < rm.row_offsets[i + 1]; ++e)
      if (rm.targets[e] != i) w(i, rm.targets[e]) += rm.values[e];
  return w;
}

Eigen::MatrixXd dense_matrix(const network::RateMatrix& rm) {
  const RowMatrix w = offdiagonal_weights(rm);
  Eigen::MatrixXd m = w;
  if (rm.discrete_time()) {
    for (std::int32_t i = 0; i < rm.n; ++i)
      for (std::int64_t e = rm.row_offsets[i]; e < rm.row_offsets[i + 1]; ++e)
        if (rm.targets[e] == i) m(i, i) += rm.values[e];
  } else {
    for (std::int32_t i = 0; i < rm.n; ++i) m(i, i) = -w.row(i).sum();
  }
  return m;
}

Mask mask_of(const std::vector<std::int32_t>& set, std::int32_t n, const char* what) {
  Mask mask(static_cast<std::size_t>(n), 0);
  for (std::int32_t s : set) {
    if (s < 0 || s >= n)
      throw UsageError(std::string(what) + " holds state " + std::to_string(s) + ", outside 0.." +
                       std::to_string(n - 1));
    mask[s] = 1;
  }
  return mask;
}

Mask can_reach(const network::RateMatrix& rm, const Mask& goal, const Mask& blocked) {
  return breadth_first(adjacency(rm, true), goal, blocked);
}

bool irreducible(const network::RateMatrix& rm) {
  if (rm.n == 0) return false;
  Mask start(static_cast<std::size_t>(rm.n), 0), none(static_cast<std::size_t>(rm.n), 0);
  start[0] = 1;
  for (bool reversed : {false, true}) {
    const Mask seen = breadth_first(adjacency(rm, reversed), start, none);
    for (char s : seen)
      if (!s) return false;
  }
  return true;
}

std::optional<std::vector<double>> reversible_log_weights(const network::RateMatrix& rm) {
  // W_ij from the sorted row (no dense copy: the sparse solver asks this of
  // 10^5-state networks).
  const auto w = [&rm](std::int32_t i, std::int32_t j) {
    const auto first = rm.targets.begin() + rm.row_offsets[i];
    const auto last = rm.targets.begin() + rm.row_offsets[i + 1];
    const auto at = std::lower_bound(first, last, j);
    return at != last && *at == j ? rm.values[static_cast<std::size_t>(at - rm.targets.begin())] : 0.0;
  };
  const Adjacency adj = adjacency(rm, false);
  std::vector<double> log_w(static_cast<std::size_t>(rm.n), 0.0);
  Mask seen(static_cast<std::size_t>(rm.n), 0);
  for (std::int32_t root = 0; root < rm.n; ++root) {
    if (seen[root]) continue;
    seen[root] = 1;
    std::deque<std::int32_t> queue{root};
    while (!queue.empty()) {
      const std::int32_t i = queue.front();
      queue.pop_front();
      for (std::int32_t j : adj[i]) {
        if (!(w(j, i) > 0.0)) return std::nullopt;  // an edge without its reverse
        const double expected = log_w[i] + std::log(w(i, j)) - std::log(w(j, i));
        if (!seen[j]) {
          seen[j] = 1;
          log_w[j] = expected;
          queue.push_back(j);
        } else if (std::abs(log_w[j] - expected) > 1e-8 + 1e-13 * std::abs(expected)) {
          return std::nullopt;  // a cycle whose rate products differ
        }
      }
    }
  }
  return log_w;
}

std::vector<std::int32_t> indices_where(const Mask& mask, bool want) {
  std::vector<std::int32_t> out;
  for (std::size_t i = 0; i < mask.size(); ++i)
    if (static_cast<bool>(mask[i]) == want) out.push_back(static_cast<std::int32_t>(i));
  return out;
}

void validate_times(const std::vector<double>& times_s) {
  for (double t : times_s)
    if (!std::isfinite(t) || t < 0.0) throw UsageError("times must be finite and >= 0 s");
}

void validate_distribution(const std::vector<double>& p, std::int32_t n) {
  if (p.size() != static_cast<std::size_t>(n))
    throw UsageError("start distribution has " + std::to_string(p.size()) + " entries, expected " +
                     std::to_string(n));
  for (double x : p)
    if (!std::isfinite(x) || x < 0.0) throw UsageError("start distribution entries must be finite and >= 0");
}

}  // namespace pk::solve::detail
