#include "solve/detail/dissection.hpp"

#include <algorithm>
#include <cstddef>

namespace pk::solve::detail {
namespace {

/// Parts at or below this size are ordered as they are (their fill is small).
constexpr std::size_t kLeafSize = 64;

class Dissection {
 public:
  Dissection(const std::vector<int>& offsets, const std::vector<int>& neighbours)
      : offsets_(offsets), neighbours_(neighbours), part_(offsets.size() - 1, -1),
        level_(offsets.size() - 1, -1) {}

  std::vector<int> run() {
    std::vector<int> all(part_.size());
    for (std::size_t v = 0; v < all.size(); ++v) all[v] = static_cast<int>(v);
    order_.reserve(all.size());
    // An explicit stack of parts (the recursion is as deep as the number of
    // disconnected pieces on degenerate graphs); a negative marker emits a
    // separator after both its halves.
    std::vector<std::vector<int>> stack{std::move(all)};
    std::vector<bool> is_separator{false};
    while (!stack.empty()) {
      std::vector<int> part = std::move(stack.back());
      const bool separator = is_separator.back();
      stack.pop_back();
      is_separator.pop_back();
      if (separator || part.size() <= kLeafSize) {
        order_.insert(order_.end(), part.begin(), part.end());
        continue;
      }
      std::vector<int> low, sep, high;
      split(part, low, sep, high);
      // Pushed in reverse: low, then high, then the separator are emitted.
      stack.push_back(std::move(sep));
      is_separator.push_back(true);
      stack.push_back(std::move(high));
      is_separator.push_back(false);
      stack.push_back(std::move(low));
      is_separator.push_back(false);
    }
    return order_;
  }

 private:
  /// Breadth-first levels from `root` inside the current part (tag); returns
  /// the vertices in visiting order.
  std::vector<int> levels(int root, int tag) {
    std::vector<int> queue{root};
    level_[static_cast<std::size_t>(root)] = 0;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const int v = queue[head];
      for (int e = offsets_[v]; e < offsets_[v + 1]; ++e) {
        const int w = neighbours_[static_cast<std::size_t>(e)];
        if (part_[static_cast<std::size_t>(w)] == tag && level_[static_cast<std::size_t>(w)] < 0) {
          level_[static_cast<std::size_t>(w)] = level_[static_cast<std::size_t>(v)] + 1;
          queue.push_back(w);
        }
      }
    }
    return queue;
  }

  void split(const std::vector<int>& part, std::vector<int>& low, std::vector<int>& sep, std::vector<int>& high) {
    const int tag = ++tag_;
    for (int v : part) part_[static_cast<std::size_t>(v)] = tag;
    const auto reset = [&](const std::vector<int>& seen) {
      for (int v : seen) level_[static_cast<std::size_t>(v)] = -1;
    };
    // Pseudo-peripheral root: restart from the farthest vertex of least degree
    // while the depth grows.
    int root = part.front();
    std::vector<int> seen = levels(root, tag);
    for (int round = 0; round < 4; ++round) {
      const int depth = level_[static_cast<std::size_t>(seen.back())];
      int best = seen.back();
      for (auto it = seen.rbegin(); it != seen.rend() && level_[static_cast<std::size_t>(*it)] == depth; ++it)
        if (offsets_[*it + 1] - offsets_[*it] < offsets_[best + 1] - offsets_[best]) best = *it;
      reset(seen);
      std::vector<int> again = levels(best, tag);
      if (level_[static_cast<std::size_t>(again.back())] <= depth) {
        seen = std::move(again);
        break;
      }
      root = best;
      seen = std::move(again);
    }
    if (seen.size() < part.size()) {
      // Disconnected: the reached component and the rest are independent.
      reset(seen);
      for (int v : seen) part_[static_cast<std::size_t>(v)] = -tag;
      for (int v : part) (part_[static_cast<std::size_t>(v)] == -tag ? low : high).push_back(v);
      return;
    }
    // The smallest level whose removal leaves both sides with at least 30%
    // of the part separates (the middle level by count if none); only its
    // vertices adjacent to the next level need to be in the separator.
    const int depth = level_[static_cast<std::size_t>(seen.back())];
    std::vector<std::size_t> count(static_cast<std::size_t>(depth) + 1, 0);
    for (int v : seen) ++count[static_cast<std::size_t>(level_[static_cast<std::size_t>(v)])];
    int middle = level_[static_cast<std::size_t>(seen[seen.size() / 2])];
    std::size_t below = 0;
    for (int l = 0; l <= depth; ++l) {
      const std::size_t c = count[static_cast<std::size_t>(l)];
      if (10 * below >= 3 * seen.size() && 10 * (seen.size() - below - c) >= 3 * seen.size() &&
          c < count[static_cast<std::size_t>(middle)])
        middle = l;
      below += c;
    }
    for (int v : seen) {
      const int l = level_[static_cast<std::size_t>(v)];
      if (l < middle) {
        low.push_back(v);
      } else if (l > middle) {
        high.push_back(v);
      } else {
        bool touches = false;
        for (int e = offsets_[v]; e < offsets_[v + 1] && !touches; ++e)
          touches = level_[static_cast<std::size_t>(neighbours_[static_cast<std::size_t>(e)])] == middle + 1 &&
                    part_[static_cast<std::size_t>(neighbours_[static_cast<std::size_t>(e)])] == tag;
        (touches ? sep : low).push_back(v);
      }
    }
    reset(seen);
    if (low.empty() || high.empty()) {  // no split found: order the part as it is
      low.clear();
      high.clear();
      sep = part;
    }
  }

  const std::vector<int>& offsets_;
  const std::vector<int>& neighbours_;
  std::vector<int> part_;
  std::vector<int> level_;
  std::vector<int> order_;
  int tag_ = 0;
};

}  // namespace

std::vector<int> nested_dissection(const std::vector<int>& offsets, const std::vector<int>& neighbours) {
  return Dissection(offsets, neighbours).run();
}

}  // namespace pk::solve::detail
