#include "landscape/passage.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <queue>
#include <string>
#include <tuple>
#include <unordered_map>

namespace pk::landscape {

namespace {

/// Slots of the directed weights (i -> j) between transient nodes, created on first use.
class SlotTable {
 public:
  explicit SlotTable(std::int32_t m) : m_(m) {}
  std::int32_t operator()(std::int32_t i, std::int32_t j) {
    const auto key = static_cast<std::int64_t>(i) * m_ + j;
    const auto [it, fresh] = slots_.emplace(key, static_cast<std::int32_t>(slots_.size()));
    return it->second;
  }
  std::size_t size() const { return slots_.size(); }

 private:
  std::int64_t m_;
  std::unordered_map<std::int64_t, std::int32_t> slots_;
};

/// `row` without `drop`, merged with `add` without `self` (both sorted).
std::vector<std::int32_t> merged(const std::vector<std::int32_t>& row, std::int32_t drop,
                                 const std::vector<std::int32_t>& add, std::int32_t self) {
  std::vector<std::int32_t> out;
  out.reserve(row.size() + add.size());
  std::set_union(row.begin(), row.end(), add.begin(), add.end(), std::back_inserter(out));
  out.erase(std::remove_if(out.begin(), out.end(), [&](std::int32_t x) { return x == drop || x == self; }),
            out.end());
  return out;
}

}  // namespace

std::vector<std::int32_t> PassagePlan::unreachable(std::int32_t n_nodes,
                                                   const std::vector<std::pair<std::int32_t, std::int32_t>>& links,
                                                   const std::vector<char>& absorbing) {
  std::vector<std::vector<std::int32_t>> adj(static_cast<std::size_t>(n_nodes));
  for (const auto& [a, b] : links) {
    adj[a].push_back(b);
    adj[b].push_back(a);
  }
  std::vector<char> seen(static_cast<std::size_t>(n_nodes), 0);
  std::vector<std::int32_t> stack;
  for (std::int32_t i = 0; i < n_nodes; ++i)
    if (absorbing[i]) {
      seen[i] = 1;
      stack.push_back(i);
    }
  while (!stack.empty()) {
    const std::int32_t i = stack.back();
    stack.pop_back();
    for (std::int32_t j : adj[i])
      if (!seen[j]) {
        seen[j] = 1;
        stack.push_back(j);
      }
  }
  std::vector<std::int32_t> out;
  for (std::int32_t i = 0; i < n_nodes; ++i)
    if (!seen[i]) out.push_back(i);
  return out;
}

PassagePlan::PassagePlan(std::int32_t n_nodes, const std::vector<std::pair<std::int32_t, std::int32_t>>& links,
                         const std::vector<char>& absorbing)
    : n_nodes_(n_nodes) {
  if (static_cast<std::int32_t>(absorbing.size()) != n_nodes)
    throw UsageError("PassagePlan: the absorbing mask has the wrong size");
  for (const auto& [a, b] : links)
    if (a < 0 || b < 0 || a >= n_nodes || b >= n_nodes || a == b)
      throw UsageError("PassagePlan: link (" + std::to_string(a) + ", " + std::to_string(b) + ") is not a pair of nodes");
  const std::vector<std::int32_t> lost = unreachable(n_nodes, links, absorbing);
  if (!lost.empty())
    throw UsageError("PassagePlan: node " + std::to_string(lost.front()) + " (and " + std::to_string(lost.size() - 1) +
                     " more) cannot reach the target set");
  local_.assign(static_cast<std::size_t>(n_nodes), -1);
  for (std::int32_t i = 0; i < n_nodes; ++i)
    if (!absorbing[i]) {
      local_[i] = static_cast<std::int32_t>(node_of_.size());
      node_of_.push_back(i);
    }
  const auto m = static_cast<std::int32_t>(node_of_.size());
  SlotTable slot(m);
  std::vector<std::vector<std::int32_t>> adj(static_cast<std::size_t>(m));
  for (const auto& [a, b] : links) {
    LinkSlots ls;
    const std::int32_t la = local_[a], lb = local_[b];
    if (la >= 0 && lb >= 0) {
      ls.forward = slot(la, lb);
      ls.backward = slot(lb, la);
      adj[la].push_back(lb);
      adj[lb].push_back(la);
    } else if (la >= 0) {
      ls.exit_a = la;
    } else if (lb >= 0) {
      ls.exit_b = lb;
    }
    link_slots_.push_back(ls);
  }
  for (auto& row : adj) {
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
  }

  // Minimum-degree order on the structure, with the fill each pivot leaves
  // (ties broken by index, so the plan is a function of the graph alone).
  using Key = std::tuple<std::size_t, std::int32_t, std::uint32_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> queue;
  std::vector<std::uint32_t> version(static_cast<std::size_t>(m), 0);
  std::vector<char> gone(static_cast<std::size_t>(m), 0);
  for (std::int32_t i = 0; i < m; ++i) queue.emplace(adj[i].size(), i, 0u);
  nb_offset_.push_back(0);
  fill_offset_.push_back(0);
  while (!queue.empty()) {
    const auto [degree, k, v] = queue.top();
    queue.pop();
    if (gone[k] || v != version[k]) continue;
    gone[k] = 1;
    order_.push_back(k);
    const std::vector<std::int32_t> nbrs = adj[k];
    for (std::int32_t j : nbrs) {
      nb_.push_back(j);
      out_slot_.push_back(slot(k, j));
      in_slot_.push_back(slot(j, k));
    }
    for (std::int32_t i : nbrs)
      for (std::int32_t j : nbrs)
        if (i != j) fill_slot_.push_back(slot(i, j));
    for (std::int32_t i : nbrs) {
      adj[i] = merged(adj[i], k, nbrs, i);
      queue.emplace(adj[i].size(), i, ++version[i]);
    }
    std::vector<std::int32_t>().swap(adj[k]);
    nb_offset_.push_back(static_cast<std::int64_t>(nb_.size()));
    fill_offset_.push_back(static_cast<std::int64_t>(fill_slot_.size()));
  }
  n_slots_ = slot.size();
}

std::vector<double> PassagePlan::mean_first_passage(const std::vector<double>& forward,
                                                    const std::vector<double>& backward) const {
  const auto m = static_cast<std::int32_t>(node_of_.size());
  std::vector<double> w(n_slots_, 0.0), exit(static_cast<std::size_t>(m), 0.0), rhs(static_cast<std::size_t>(m), 1.0),
      pivot(static_cast<std::size_t>(m), 0.0);
  for (std::size_t l = 0; l < link_slots_.size(); ++l) {
    const LinkSlots& ls = link_slots_[l];
    if (ls.forward >= 0) w[ls.forward] += forward[l];
    if (ls.backward >= 0) w[ls.backward] += backward[l];
    if (ls.exit_a >= 0) exit[ls.exit_a] += forward[l];
    if (ls.exit_b >= 0) exit[ls.exit_b] += backward[l];
  }
  const double inf = std::numeric_limits<double>::infinity();
  for (std::int32_t p = 0; p < m; ++p) {
    const std::int32_t k = order_[p];
    const std::int64_t o0 = nb_offset_[p], o1 = nb_offset_[p + 1];
    double total = exit[k];
    for (std::int64_t t = o0; t < o1; ++t) total += w[out_slot_[t]];
    if (!(total > 0.0) || !std::isfinite(total)) return std::vector<double>(static_cast<std::size_t>(n_nodes_), inf);
    pivot[p] = total;
    std::int64_t f = fill_offset_[p];
    for (std::int64_t t = o0; t < o1; ++t) {
      const std::int32_t i = nb_[t];
      const double share = w[in_slot_[t]] / total;  // probability of the step i -> k, censored on the rest
      exit[i] += share * exit[k];
      rhs[i] += share * rhs[k];
      for (std::int64_t u = o0; u < o1; ++u)
        if (u != t) w[fill_slot_[f++]] += share * w[out_slot_[u]];
    }
  }
  std::vector<double> tau(static_cast<std::size_t>(m), 0.0);
  for (std::int32_t p = m - 1; p >= 0; --p) {
    const std::int32_t k = order_[p];
    double sum = rhs[k];
    for (std::int64_t t = nb_offset_[p]; t < nb_offset_[p + 1]; ++t) sum += w[out_slot_[t]] * tau[nb_[t]];
    tau[k] = sum / pivot[p];
  }
  std::vector<double> out(static_cast<std::size_t>(n_nodes_), 0.0);
  for (std::int32_t a = 0; a < m; ++a) out[node_of_[a]] = std::isfinite(tau[a]) ? tau[a] : inf;
  return out;
}

}  // namespace pk::landscape
