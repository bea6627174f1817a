#include "kmc/superbasin.hpp"

#include "core/error.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

namespace pk::kmc {

namespace {

/// Rate of edge i -> j (0 if absent); rows are sorted by target.
double rate_of(const network::RateMatrix& r, std::int32_t i, std::int32_t j) {
  const auto b = r.targets.begin() + r.row_offsets[i], e = r.targets.begin() + r.row_offsets[i + 1];
  const auto it = std::lower_bound(b, e, j);
  return it != e && *it == j ? r.values[static_cast<std::size_t>(it - r.targets.begin())] : 0.0;
}

}  // namespace

BasinLaw basin_law(const network::RateMatrix& rates, const std::vector<std::int32_t>& states,
                   const std::string& source) {
  const std::int32_t m = static_cast<std::int32_t>(states.size());
  std::vector<std::int32_t> sorted(states), position(m);
  std::sort(sorted.begin(), sorted.end());
  for (std::int32_t a = 0; a < m; ++a)
    position[std::lower_bound(sorted.begin(), sorted.end(), states[a]) - sorted.begin()] = a;
  const auto local = [&](std::int32_t s) {
    const auto it = std::lower_bound(sorted.begin(), sorted.end(), s);
    return it != sorted.end() && *it == s ? position[static_cast<std::size_t>(it - sorted.begin())] : -1;
  };
  const auto name = [&](std::int32_t a) { return "state index " + std::to_string(states[a]); };
  // -Q (m x m, row-major) and each member's rate out of the basin.
  BasinLaw law;
  law.m = m;
  std::vector<double> A(static_cast<std::size_t>(m) * m, 0.0), g(m, 0.0), total(m, 0.0);
  for (std::int32_t a = 0; a < m; ++a) {
    const std::int32_t s = states[a];
    for (std::int64_t e = rates.row_offsets[s]; e < rates.row_offsets[s + 1]; ++e) {
      const std::int32_t b = local(rates.targets[e]);
      const double k = rates.values[e];
      total[a] += k;
      if (b < 0) g[a] += k;
      else if (b != a) A[static_cast<std::size_t>(a) * m + b] -= k;
    }
    law.fastest_total_per_s = std::max(law.fastest_total_per_s, total[a]);
  }
  // Relative Boltzmann weights from the rates (log space), breadth first:
  // w_b / w_a = k_ab / k_ba. Every internal edge must then satisfy detailed
  // balance; a basin that does not is refused (its sub-generator would not
  // be symmetrisable).
  std::vector<double> logw(m, 0.0);
  std::vector<char> seen(m, 0);
  std::vector<std::int32_t> queue = {0};
  seen[0] = 1;
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const std::int32_t a = queue[q];
    for (std::int32_t b = 0; b < m; ++b) {
      const double kab = -A[static_cast<std::size_t>(a) * m + b];
      if (b == a || kab <= 0) continue;
      const double kba = -A[static_cast<std::size_t>(b) * m + a];
      if (!(kba > 0))
        throw InputError(source, 0, "superbasin: the edge " + name(a) + " -> " + name(b) +
                                        " has no reverse edge inside the basin (its exit law needs detailed balance)");
      const double expect = logw[a] + std::log(kab) - std::log(kba);
      if (!seen[b]) {
        seen[b] = 1;
        logw[b] = expect;
        queue.push_back(b);
      } else if (std::fabs(logw[b] - expect) > 1e-6 * (1.0 + std::fabs(expect))) {
        throw InputError(source, 0, "superbasin: rates between " + name(a) + " and " + name(b) +
                                        " break detailed balance inside the basin (its exit law needs it)");
      }
    }
  }
  if (static_cast<std::int32_t>(queue.size()) != m)
    throw InputError(source, 0, "superbasin: " + name(0) +
                                    "'s basin is not connected by its own edges");
  const double top = *std::max_element(logw.begin(), logw.end());
  law.sw.resize(m);
  for (std::int32_t a = 0; a < m; ++a) law.sw[a] = std::exp(0.5 * (logw[a] - top));
  double exit_total = 0;
  for (double x : g) exit_total += x;
  if (!(exit_total > 0)) throw InputError(source, 0, "superbasin: the basin of " + name(0) + " has no exit");
  // Fundamental matrix N = (-Q)^-1 (expected time in b starting from a),
  // entrywise accurate: Gaussian elimination in the Grassmann-Taksar-Heyman
  // manner on the M-matrix -Q, every pivot recomputed as the sum of its row's
  // remaining off-diagonal magnitudes plus the row's (updated) exit rate, so
  // no step subtracts. The smallest escape rates come out to full relative
  // precision even when the flicker inside is 10^15 times faster.
  std::vector<double> def = g;
  for (std::int32_t p = 0; p < m; ++p) {
    double pivot = def[p];
    for (std::int32_t j = p + 1; j < m; ++j) pivot -= A[static_cast<std::size_t>(p) * m + j];
    if (!(pivot > 0)) throw InputError(source, 0, "superbasin: the basin of " + name(0) + " has no exit from " + name(p));
    A[static_cast<std::size_t>(p) * m + p] = pivot;
    for (std::int32_t i = p + 1; i < m; ++i) {
      double& aip = A[static_cast<std::size_t>(i) * m + p];
      if (aip == 0) continue;
      const double l = aip / pivot;  // <= 0
      aip = l;
      for (std::int32_t j = p + 1; j < m; ++j)
        if (j != i) A[static_cast<std::size_t>(i) * m + j] -= l * A[static_cast<std::size_t>(p) * m + j];
      def[i] -= l * def[p];
    }
  }
  std::vector<double> N(static_cast<std::size_t>(m) * m), y(m);
  for (std::int32_t c = 0; c < m; ++c) {
    for (std::int32_t i = 0; i < m; ++i) {  // L y = e_c (L unit lower, multipliers <= 0)
      double v = i == c ? 1.0 : 0.0;
      for (std::int32_t j = 0; j < i; ++j) v -= A[static_cast<std::size_t>(i) * m + j] * y[j];
      y[i] = v;
    }
    for (std::int32_t i = m - 1; i >= 0; --i) {  // U x = y (off-diagonal <= 0)
      double v = y[i];
      for (std::int32_t j = i + 1; j < m; ++j) v -= A[static_cast<std::size_t>(i) * m + j] * N[static_cast<std::size_t>(j) * m + c];
      N[static_cast<std::size_t>(i) * m + c] = v / A[static_cast<std::size_t>(i) * m + i];
    }
  }
  // M = W^1/2 N W^-1/2 = (-S)^-1, symmetric positive definite: its largest
  // eigenvalues (the slow escapes, 1/|lambda|) are accurate to relative precision.
  Eigen::MatrixXd M(m, m);
  for (std::int32_t a = 0; a < m; ++a)
    for (std::int32_t b = 0; b < m; ++b) M(a, b) = law.sw[a] * N[static_cast<std::size_t>(a) * m + b] / law.sw[b];
  const Eigen::MatrixXd Ms = 0.5 * (M + M.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(Ms);
  if (es.info() != Eigen::Success) throw SystemError("superbasin: eigendecomposition failed for the basin of " + name(0));
  Eigen::VectorXd mu = es.eigenvalues();
  Eigen::MatrixXd V = es.eigenvectors();
  const double mu_max = mu.maxCoeff();
  // Fast modes (mu below 1e-6 of the largest) are resolved again on S
  // itself, restricted to their subspace (Rayleigh-Ritz): there the
  // inverse's absolute error would be a large relative one.
  std::vector<std::int32_t> fast;
  for (std::int32_t k = 0; k < m; ++k)
    if (!(mu(k) > 1e-6 * mu_max)) fast.push_back(k);
  Eigen::VectorXd lambda(m);
  for (std::int32_t k = 0; k < m; ++k) lambda(k) = -1.0 / mu(k);
  if (!fast.empty()) {
    Eigen::MatrixXd S = Eigen::MatrixXd::Zero(m, m);
    for (std::int32_t a = 0; a < m; ++a) {
      S(a, a) = -total[a];
      const std::int32_t s = states[a];
      for (std::int64_t e = rates.row_offsets[s]; e < rates.row_offsets[s + 1]; ++e) {
        const std::int32_t b = local(rates.targets[e]);
        if (b >= 0 && b != a) S(a, b) = std::sqrt(rates.values[e] * rate_of(rates, rates.targets[e], s));
      }
    }
    const std::int32_t f = static_cast<std::int32_t>(fast.size());
    Eigen::MatrixXd VF(m, f);
    for (std::int32_t c = 0; c < f; ++c) VF.col(c) = V.col(fast[c]);
    const Eigen::MatrixXd SF = VF.transpose() * S * VF;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ef(0.5 * (SF + SF.transpose()));
    if (ef.info() != Eigen::Success) throw SystemError("superbasin: eigendecomposition failed for the basin of " + name(0));
    const Eigen::MatrixXd VR = VF * ef.eigenvectors();
    for (std::int32_t c = 0; c < f; ++c) {
      V.col(fast[c]) = VR.col(c);
      lambda(fast[c]) = std::min(ef.eigenvalues()(c), -1.0 / mu_max);  // below the slowest: a fast mode
    }
  }
  // Modes from the slowest (lambda closest to 0) to the fastest: the kernels
  // sum only the modes not yet decayed at the time they need (a prefix).
  std::vector<std::int32_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t x, std::int32_t y) { return lambda(x) > lambda(y); });
  law.lambda.resize(m);
  law.vec.resize(static_cast<std::size_t>(m) * m);
  law.alpha.assign(m, 0.0);
  law.beta.assign(m, 0.0);
  law.exit_rate = g;
  law.slowest_escape_per_s = 1.0 / mu_max;
  for (std::int32_t c = 0; c < m; ++c) {
    const std::int32_t k = order[c];
    law.lambda[c] = lambda(k);
    for (std::int32_t a = 0; a < m; ++a) {
      law.vec[static_cast<std::size_t>(a) * m + c] = V(a, k);
      law.alpha[c] += V(a, k) * law.sw[a];
      law.beta[c] += V(a, k) * law.sw[a] * g[a];
    }
  }
  return law;
}

namespace {

/// Basins named in a CSV file: header "state,basin", one row per state (its
/// id and a basin label); states not listed belong to none.
std::vector<std::vector<std::int32_t>> read_basin_file(const network::Network& net, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open the superbasin file");
  std::map<long long, std::int32_t> index;
  for (std::size_t i = 0; i < net.states.size(); ++i) index[net.states[i].id] = static_cast<std::int32_t>(i);
  std::map<long long, std::vector<std::int32_t>> groups;
  std::vector<char> listed(net.states.size(), 0);
  std::string line;
  long line_no = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      if (line != "state,basin") throw InputError(path, line_no, "expected the header 'state,basin', got '" + line + "'");
      header = true;
      continue;
    }
    const std::size_t comma = line.find(',');
    char* end1 = nullptr;
    char* end2 = nullptr;
    const std::string a = comma == std::string::npos ? line : line.substr(0, comma);
    const std::string b = comma == std::string::npos ? "" : line.substr(comma + 1);
    const long long id = std::strtoll(a.c_str(), &end1, 10);
    const long long label = std::strtoll(b.c_str(), &end2, 10);
    if (a.empty() || b.empty() || *end1 != '\0' || *end2 != '\0')
      throw InputError(path, line_no, "expected 'state,basin' (two integers), got '" + line + "'");
    const auto it = index.find(id);
    if (it == index.end()) throw InputError(path, line_no, "no state with id " + a + " in " + net.source);
    if (listed[it->second]) throw InputError(path, line_no, "state " + a + " is listed twice");
    listed[it->second] = 1;
    groups[label].push_back(it->second);
  }
  if (!header) throw InputError(path, line_no, "empty superbasin file (expected the header 'state,basin')");
  std::vector<std::vector<std::int32_t>> out;
  for (auto& [label, states] : groups) {
    if (states.size() > static_cast<std::size_t>(kMaxBasinStates))
      throw InputError(path, 0, "basin " + std::to_string(label) + " has " + std::to_string(states.size()) +
                                    " states; at most " + std::to_string(kMaxBasinStates) + " are supported");
    bool bound = false, unbound = false;
    for (std::int32_t s : states) {
      bound = bound || net.states[s].macrostate == network::Macrostate::Bound;
      unbound = unbound || net.states[s].macrostate == network::Macrostate::Unbound;
    }
    if (bound && unbound)
      throw InputError(path, 0, "basin " + std::to_string(label) +
                                    " mixes bound and unbound macrostates: a basin must not contain a binding or unbinding event");
    if (states.size() >= 2) out.push_back(states);
  }
  return out;
}

/// Candidate basins among the `allowed` states, grown like Kruskal's
/// spanning forest: state pairs (both directions) in order of decreasing exchange rate
/// r = min(k_ij, k_ji) over every condition, down to rate_per_s; two groups
/// join through a pair when the joined group keeps at most max_states.
std::vector<std::vector<std::int32_t>> fast_groups(const network::Network& net,
                                                   const std::vector<network::RateMatrix>& rates,
                                                   const SuperbasinOptions& o, const std::vector<char>& allowed) {
  const network::RateMatrix& r0 = rates.front();
  const std::int32_t n = r0.n;
  struct Pair {
    double r;
    std::int32_t i, j;
  };
  std::vector<Pair> pairs;
  for (std::int32_t i = 0; i < n; ++i)
    for (std::int64_t e = r0.row_offsets[i]; e < r0.row_offsets[i + 1]; ++e) {
      const std::int32_t j = r0.targets[e];
      if (j <= i || !allowed[i] || !allowed[j]) continue;
      double r = std::numeric_limits<double>::infinity();
      for (const auto& m : rates) r = std::min({r, m.values[e], rate_of(m, j, i)});
      if (r >= o.rate_per_s && r > 0) pairs.push_back({r, i, j});
    }
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.r > b.r; });
  std::vector<std::int32_t> group(n);
  std::iota(group.begin(), group.end(), 0);
  std::vector<std::vector<std::int32_t>> members(n);
  for (std::int32_t i = 0; i < n; ++i) members[i] = {i};
  for (const Pair& p : pairs) {
    std::int32_t A = group[p.i], B = group[p.j];
    if (A == B || static_cast<std::int64_t>(members[A].size() + members[B].size()) > o.max_states) continue;
    if (members[A].size() < members[B].size()) std::swap(A, B);
    for (std::int32_t s : members[B]) group[s] = A;
    members[A].insert(members[A].end(), members[B].begin(), members[B].end());
    members[B].clear();
  }
  std::vector<std::vector<std::int32_t>> out;
  for (std::int32_t g = 0; g < n; ++g)
    if (members[g].size() >= 2) {
      std::sort(members[g].begin(), members[g].end());
      out.push_back(members[g]);
    }
  return out;
}

}  // namespace

Superbasins find_superbasins(const network::Network& net, const std::vector<network::RateMatrix>& rates,
                             const SuperbasinOptions& o) {
  Superbasins sb;
  const std::int32_t n = static_cast<std::int32_t>(net.states.size());
  sb.n = n;
  sb.basin_of.assign(3 * static_cast<std::size_t>(n), -1);
  sb.first = {0};
  if (o.mode == "none" || rates.empty() || rates.front().discrete_time()) return sb;
  const bool automatic = o.mode == "auto";
  if (automatic && (o.max_states < 2 || o.max_states > kMaxBasinStates))
    throw UsageError("--superbasin-max-states must be between 2 and " + std::to_string(kMaxBasinStates));
  if (automatic && !(o.rate_per_s > 0 && std::isfinite(o.rate_per_s)))
    throw UsageError("--superbasin-rate must be a positive number of 1/s");
  if (automatic && !(o.separation >= 1 && std::isfinite(o.separation)))
    throw UsageError("--superbasin-separation must be a number >= 1");
  const std::vector<std::vector<std::int32_t>> named = automatic ? std::vector<std::vector<std::int32_t>>{}
                                                                 : read_basin_file(net, o.mode);
  using network::Macrostate;
  for (int phase = 0; phase < 3; ++phase) {
    // Walkers of this phase may use basins of these states (no event inside
    // a basin may change their phase).
    const Macrostate own = phase == 0 ? Macrostate::Bound : Macrostate::Unbound;
    std::vector<char> allowed(n);
    for (std::int32_t i = 0; i < n; ++i)
      allowed[i] = net.states[i].macrostate == Macrostate::Other || (phase < 2 && net.states[i].macrostate == own);
    std::vector<std::vector<std::int32_t>> groups;
    if (automatic) {
      groups = fast_groups(net, rates, o, allowed);
    } else {
      for (const auto& g : named) {
        bool fits = true;
        for (std::int32_t s : g) fits = fits && allowed[s];
        if (fits) groups.push_back(g);
      }
    }
    for (const auto& states : groups) {
      bool keep = true;
      for (const auto& r : rates) {
        if (!automatic) {
          basin_law(r, states, o.mode);  // throws with the reason
          continue;
        }
        try {
          const BasinLaw law = basin_law(r, states, net.source);
          keep = keep && law.fastest_total_per_s >= o.separation * law.slowest_escape_per_s;
        } catch (const InputError&) {
          keep = false;  // auto: a group that cannot be a basin is walked step by step
        }
        if (!keep) break;
      }
      if (!keep) continue;
      const std::int32_t b = sb.count();
      for (std::int32_t s : states) {
        sb.basin_of[static_cast<std::size_t>(phase) * n + s] = b;
        sb.members.push_back(s);
      }
      sb.first.push_back(static_cast<std::int32_t>(sb.members.size()));
      sb.phase.push_back(static_cast<std::int8_t>(phase));
    }
  }
  return sb;
}

}  // namespace pk::kmc
