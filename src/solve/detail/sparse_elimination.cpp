#include "solve/detail/sparse_elimination.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <string>
#include <tuple>
#include <utility>

namespace pk::solve::detail {
namespace {

using Entry = std::pair<std::int32_t, double>;  ///< (state, weight)
using Row = std::vector<Entry>;                 ///< sorted by state

/// One eliminated state: its weights to the states still present when it
/// went (out), the weights into it from those that keep rows (in, when
/// recorded), and the sum of `out`.
struct Pivot {
  std::int32_t state = 0;
  double total = 0.0;
  Row out;
  Row in;
};

/// The weight graph under state reduction. Eliminating k replaces every path
/// i -> k -> j by the edge weight W_ik W_kj / s_k (s_k: k's total weight to
/// the states left), which censors the chain on the remaining states.
class ReductionGraph {
 public:
  /// Rows are kept (and updated) for the states with has_row set; edges into
  /// any state are kept.
  ReductionGraph(const network::RateMatrix& rm, const Mask& has_row)
      : out_(static_cast<std::size_t>(rm.n)), in_(static_cast<std::size_t>(rm.n)),
        in_count_(static_cast<std::size_t>(rm.n), 0), version_(static_cast<std::size_t>(rm.n), 0),
        gone_(static_cast<std::size_t>(rm.n), 0), has_row_(has_row) {
    for (std::int32_t i = 0; i < rm.n; ++i) {
      if (!has_row_[i]) continue;
      for (std::int64_t e = rm.row_offsets[i]; e < rm.row_offsets[i + 1]; ++e) {
        const std::int32_t j = rm.targets[e];
        if (j == i || !(rm.values[e] > 0.0)) continue;
        out_[i].emplace_back(j, rm.values[e]);
        in_[j].push_back(i);
        ++in_count_[j];
        ++live_entries_;
      }
    }
  }

  /// Eliminates `count` states among the candidates, cheapest first (fewest
  /// in x out neighbours, the Markowitz count), and returns the pivots in
  /// elimination order. The candidates must be exactly the states with rows
  /// (the dense finish counts the entries of all rows).
  std::vector<Pivot> eliminate(const Mask& candidates, std::size_t count, bool record_in) {
    std::size_t live = 0;
    for (std::size_t k = 0; k < candidates.size(); ++k)
      if (candidates[k] && !gone_[k]) {
        push(static_cast<std::int32_t>(k));
        ++live;
      }
    std::vector<Pivot> pivots;
    pivots.reserve(count);
    while (pivots.size() < count && !queue_.empty()) {
      if (filled_in(live - pivots.size())) {
        finish_dense(candidates, count - pivots.size(), record_in, pivots);
        break;
      }
      const auto [cost, version, k] = queue_.top();
      queue_.pop();
      if (gone_[k] || version != version_[k]) continue;
      pivots.push_back(eliminate_one(k, record_in));
    }
    return pivots;
  }

  bool gone(std::int32_t k) const { return gone_[k] != 0; }

 private:
  using Key = std::tuple<std::int64_t, std::uint32_t, std::int32_t>;

  void push(std::int32_t k) {
    const auto cost = static_cast<std::int64_t>(in_count_[k]) * static_cast<std::int64_t>(out_[k].size());
    queue_.emplace(cost, ++version_[k], k);
  }

  Pivot eliminate_one(std::int32_t k, bool record_in) {
    Pivot p;
    p.state = k;
    for (const Entry& e : out_[k]) p.total += e.second;
    if (!(p.total > 0.0))
      throw InputError("rate matrix", 0,
                       "state " + std::to_string(k) +
                           " cannot leave the states it is confined to (the chain is reducible or the state "
                           "cannot reach the target)");
    gone_[k] = 1;
    for (std::int32_t i : in_[k]) {
      if (gone_[i] || !has_row_[i] || i == k) continue;
      const double w_ik = fold_into(i, k, p.total);
      if (record_in) p.in.emplace_back(i, w_ik);
      push(i);
    }
    for (const Entry& e : out_[k]) {
      --in_count_[e.first];
      if (has_row_[e.first] && !gone_[e.first]) push(e.first);
    }
    live_entries_ -= out_[k].size();
    p.out = std::move(out_[k]);
    out_[k] = Row();
    std::vector<std::int32_t>().swap(in_[k]);
    return p;
  }

  /// Row i loses its edge to k and gains W_ik W_kj / s_k on every edge k -> j
  /// (j != i). Returns W_ik.
  double fold_into(std::int32_t i, std::int32_t k, double s_k) {
    const Row& rk = out_[k];
    Row& ri = out_[i];
    const auto at = std::lower_bound(ri.begin(), ri.end(), Entry(k, 0.0),
                                     [](const Entry& a, const Entry& b) { return a.first < b.first; });
    const double w_ik = at->second;
    const double scale = w_ik / s_k;
    Row merged;
    merged.reserve(ri.size() + rk.size());
    auto a = ri.begin();
    auto b = rk.begin();
    while (a != ri.end() || b != rk.end()) {
      if (b == rk.end() || (a != ri.end() && a->first < b->first)) {
        if (a->first != k) merged.push_back(*a);
        ++a;
      } else if (a == ri.end() || b->first < a->first) {
        if (b->first != i) {
          merged.emplace_back(b->first, scale * b->second);
          in_[b->first].push_back(i);  // fill-in: a new edge i -> j
          ++in_count_[b->first];
        }
        ++b;
      } else {
        merged.emplace_back(a->first, a->second + scale * b->second);
        ++a;
        ++b;
      }
    }
    live_entries_ += merged.size();
    live_entries_ -= ri.size();
    ri.swap(merged);
    return w_ik;
  }

  /// True once the rows left are so full that dense row operations beat
  /// sparse merges (a tenth of the entries of a square block, at least 64
  /// states, at most ~400 MB).
  bool filled_in(std::size_t live) const {
    const double m = static_cast<double>(live);
    return live >= 64 && static_cast<double>(live_entries_) >= 0.1 * m * m && m * m <= 5e7;
  }

  /// Eliminates `left` of the remaining candidates in a dense block: columns
  /// are the remaining candidates, then every other state their rows point to.
  void finish_dense(const Mask& candidates, std::size_t left, bool record_in, std::vector<Pivot>& pivots) {
    std::vector<std::int32_t> states;
    std::vector<std::int32_t> column(out_.size(), -1);
    for (std::size_t k = 0; k < candidates.size(); ++k)
      if (candidates[k] && !gone_[k]) {
        column[k] = static_cast<std::int32_t>(states.size());
        states.push_back(static_cast<std::int32_t>(k));
      }
    const std::size_t m = states.size();
    for (std::size_t a = 0; a < m; ++a)
      for (const Entry& e : out_[states[a]])
        if (column[e.first] < 0) {
          column[e.first] = static_cast<std::int32_t>(states.size());
          states.push_back(e.first);
        }
    const std::size_t width = states.size();
    std::vector<double> d(m * width, 0.0);
    for (std::size_t a = 0; a < m; ++a) {
      for (const Entry& e : out_[states[a]]) d[a * width + static_cast<std::size_t>(column[e.first])] = e.second;
      Row().swap(out_[states[a]]);
    }
    for (std::size_t k = 0; k < left; ++k) {
      double* rk = &d[k * width];
      Pivot p;
      p.state = states[k];
      for (std::size_t j = k + 1; j < width; ++j) p.total += rk[j];
      if (!(p.total > 0.0))
        throw InputError("rate matrix", 0, "state " + std::to_string(p.state) + " cannot leave the states it is confined to");
      for (std::size_t j = k + 1; j < width; ++j)
        if (rk[j] != 0.0) p.out.emplace_back(states[j], rk[j]);
      for (std::size_t i = k + 1; i < m; ++i) {
        double* ri = &d[i * width];
        const double w_ik = ri[k];
        if (w_ik == 0.0) continue;
        if (record_in) p.in.emplace_back(states[i], w_ik);
        const double scale = w_ik / p.total;
        ri[k] = 0.0;
        for (std::size_t j = k + 1; j < width; ++j) ri[j] += scale * rk[j];
        ri[i] = 0.0;  // the path i -> k -> i is a self-loop: dropped
      }
      gone_[p.state] = 1;
      pivots.push_back(std::move(p));
    }
  }

  std::vector<Row> out_;
  std::vector<std::vector<std::int32_t>> in_;  ///< row-owning in-neighbours (eliminated ones skipped on use)
  std::vector<std::int32_t> in_count_;         ///< live row-owning in-neighbours
  std::vector<std::uint32_t> version_;
  std::vector<char> gone_;
  Mask has_row_;
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> queue_;
  std::size_t live_entries_ = 0;  ///< entries in the rows of the states not yet eliminated
};

}  // namespace

std::vector<double> sparse_stationary(const network::RateMatrix& rates) {
  validate(rates);
  if (rates.n == 0) throw UsageError("stationary distribution of an empty network");
  const Mask all(static_cast<std::size_t>(rates.n), 1);
  ReductionGraph graph(rates, all);
  const std::vector<Pivot> pivots = graph.eliminate(all, static_cast<std::size_t>(rates.n - 1), true);
  std::vector<double> pi(static_cast<std::size_t>(rates.n), 0.0);
  for (std::int32_t i = 0; i < rates.n; ++i)
    if (!graph.gone(i)) pi[i] = 1.0;
  // Flow balance of k in the chain censored on k and the states left after it.
  for (auto p = pivots.rbegin(); p != pivots.rend(); ++p) {
    double inflow = 0.0;
    for (const Entry& e : p->in) inflow += pi[e.first] * e.second;
    pi[p->state] = inflow / p->total;
  }
  double sum = 0.0;
  for (double x : pi) sum += x;
  for (double& x : pi) x /= sum;
  return pi;
}

std::vector<double> sparse_committor(const network::RateMatrix& rates, const Mask& from, const Mask& to) {
  validate(rates);
  const std::size_t n = static_cast<std::size_t>(rates.n);
  Mask absorbing(n, 0);
  for (std::size_t i = 0; i < n; ++i) absorbing[i] = from[i] || to[i];
  Mask solvable = can_reach(rates, absorbing, absorbing);
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    solvable[i] = solvable[i] && !absorbing[i];
    count += solvable[i] ? 1 : 0;
  }
  ReductionGraph graph(rates, solvable);
  const std::vector<Pivot> pivots = graph.eliminate(solvable, count, false);
  // States that reach neither set absorb as misses (value 0) for the others.
  std::vector<double> q(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) q[i] = to[i] ? 1.0 : 0.0;
  for (auto p = pivots.rbegin(); p != pivots.rend(); ++p) {
    double hit = 0.0;
    for (const Entry& e : p->out) hit += e.second * q[e.first];
    q[p->state] = hit / p->total;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!absorbing[i] && !solvable[i]) q[i] = std::numeric_limits<double>::quiet_NaN();
  return q;
}

}  // namespace pk::solve::detail
