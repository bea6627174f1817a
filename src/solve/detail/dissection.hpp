// Fill-reducing ordering for the sparse LU of a network's linear systems:
// automatic nested dissection (A. George and J. W. H. Liu, "An automatic
// nested dissection algorithm for irregular finite element problems", SIAM J.
// Numer. Anal. 15, 1053 (1978)). A breadth-first level structure from a
// pseudo-peripheral state splits the graph at its middle level; both halves
// are ordered first (recursively), the separator last. On the local graphs of
// binding landscapes (a 3-D grid of poses) it fills far less than COLAMD. The
// functor has the interface of Eigen's ordering methods. Internal to src/solve.
#pragma once

#include <Eigen/SparseCore>

#include <algorithm>

#include <cstdint>
#include <vector>

namespace pk::solve::detail {

/// Ordering of the vertices of a symmetric adjacency (compressed rows, no
/// self-loops): order[k] is the vertex eliminated k-th.
std::vector<int> nested_dissection(const std::vector<int>& offsets, const std::vector<int>& neighbours);

/// Eigen ordering functor: nested dissection of the pattern of A + A^T.
template <class StorageIndex>
struct NestedDissectionOrdering {
  using PermutationType = Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, StorageIndex>;

  template <class MatrixType>
  void operator()(const MatrixType& mat, PermutationType& perm) {
    const int n = static_cast<int>(mat.cols());
    std::vector<std::vector<int>> adj(static_cast<std::size_t>(n));
    for (int c = 0; c < n; ++c)
      for (typename MatrixType::InnerIterator it(mat, c); it; ++it) {
        const int r = static_cast<int>(it.index());
        if (r == c) continue;
        adj[static_cast<std::size_t>(r)].push_back(c);
        adj[static_cast<std::size_t>(c)].push_back(r);
      }
    std::vector<int> offsets{0}, neighbours;
    for (auto& a : adj) {
      std::sort(a.begin(), a.end());
      a.erase(std::unique(a.begin(), a.end()), a.end());
      neighbours.insert(neighbours.end(), a.begin(), a.end());
      offsets.push_back(static_cast<int>(neighbours.size()));
    }
    const std::vector<int> order = nested_dissection(offsets, neighbours);
    perm.resize(n);
    for (int k = 0; k < n; ++k) perm.indices()(order[static_cast<std::size_t>(k)]) = static_cast<StorageIndex>(k);
  }
};

}  // namespace pk::solve::detail
