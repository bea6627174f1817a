// Transition-path theory against closed forms (a linear chain), conservation
// laws (net flux conserved at every intermediate state, out of A = into B),
// the defining equations of the committors, the exact solver's steady-state
// koff and mean first-passage times, and the dense solvers (for the sparse).
#include "solve/exact.hpp"
#include "solve/solver.hpp"
#include "solve/tpt.hpp"
#include "solve_test_support.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>

namespace pk::solve {
namespace {

using test::Link;
using test::make_rates;

/// Sum of net flux into and out of each state.
struct Balance {
  std::vector<double> in, out;
};

Balance balance(const TransitionPaths& tp, std::int32_t n) {
  Balance b{std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
  for (const NetFluxEdge& e : tp.net_flux) {
    b.out[e.from] += e.net_flux_per_s;
    b.in[e.to] += e.net_flux_per_s;
  }
  return b;
}

// A(0) - 1 - 2 - B(3): with edge conductances c_k = pi_k k_{k,k+1}, the
// committor is q+_i = sum_{k<i} 1/c_k / sum_k 1/c_k, every edge carries the
// net flux F = 1 / sum_k 1/c_k, and q- = 1 - q+ (birth-death chains are
// reversible).
TEST(Tpt, LinearChainClosedForms) {
  const double up[3] = {5.0, 2.0e3, 4.0e5};     // k_{k,k+1}, 1/s
  const double down[3] = {3.0e4, 7.0e3, 1.0e2};  // k_{k+1,k}, 1/s
  std::vector<Link> links;
  for (int k = 0; k < 3; ++k) {
    links.push_back({k, k + 1, up[k]});
    links.push_back({k + 1, k, down[k]});
  }
  const network::RateMatrix rates = make_rates(4, links);
  double w[4] = {1.0, 0, 0, 0};
  for (int k = 0; k < 3; ++k) w[k + 1] = w[k] * up[k] / down[k];
  const double z = w[0] + w[1] + w[2] + w[3];
  double resistance[3], total_resistance = 0.0;
  for (int k = 0; k < 3; ++k) total_resistance += resistance[k] = 1.0 / (w[k] / z * up[k]);
  const double q[4] = {0.0, resistance[0] / total_resistance, (resistance[0] + resistance[1]) / total_resistance, 1.0};
  const double flux = 1.0 / total_resistance;
  double p_last_a = 0.0;
  for (int i = 0; i < 4; ++i) p_last_a += w[i] / z * (1.0 - q[i]);

  for (const LinearAlgebra method : {LinearAlgebra::Dense, LinearAlgebra::Sparse}) {
    const TransitionPaths tp = transition_paths(rates, {0}, {3}, {}, method);
    for (int i = 0; i < 4; ++i) {
      EXPECT_NEAR(tp.stationary[i], w[i] / z, 1e-13 * w[i] / z) << i;
      EXPECT_NEAR(tp.forward_committor[i], q[i], 1e-13) << i;
      EXPECT_NEAR(tp.backward_committor[i], 1.0 - q[i], 1e-13) << i;
    }
    EXPECT_NEAR(tp.total_flux_per_s, flux, 1e-12 * flux);
    EXPECT_NEAR(tp.sink_inflow_per_s, flux, 1e-12 * flux);
    EXPECT_NEAR(tp.rate_per_s, flux / p_last_a, 1e-12 * flux / p_last_a);
    ASSERT_EQ(tp.net_flux.size(), 3u);
    for (const NetFluxEdge& e : tp.net_flux) {
      EXPECT_EQ(e.to, e.from + 1);
      EXPECT_NEAR(e.net_flux_per_s, flux, 1e-12 * flux);
    }
    ASSERT_EQ(tp.pathways.size(), 1u);
    EXPECT_EQ(tp.pathways[0].states, (std::vector<std::int32_t>{0, 1, 2, 3}));
    EXPECT_NEAR(tp.pathways[0].flux_per_s, flux, 1e-12 * flux);
    // A is one state, so the A-phase starts there: k_AB = 1 / MFPT(0 -> B).
    EXPECT_NEAR(tp.rate_per_s, 1.0 / mfpt_to_set(rates, {3}).mean_s[0], 1e-12 * tp.rate_per_s);
  }
}

/// A strongly connected, non-reversible network: a ring through every state
/// (so it is irreducible) plus random chords, rates log-uniform over
/// 1e2..1e8 1/s; states 0..1 form A, the last two B.
network::RateMatrix random_network(std::int32_t n, std::uint32_t seed, bool reversible) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> decade(2.0, 8.0);
  std::uniform_int_distribution<std::int32_t> pick(0, n - 1);
  std::vector<double> energy(n);
  for (double& g : energy) g = std::uniform_real_distribution<double>(0.0, 4.0)(rng);
  std::vector<std::pair<std::int32_t, std::int32_t>> pairs;
  for (std::int32_t i = 0; i < n; ++i) pairs.emplace_back(i, (i + 1) % n);
  for (std::int32_t c = 0; c < 2 * n; ++c) {
    const std::int32_t a = pick(rng), b = pick(rng);
    bool seen = a == b;
    for (const auto& p : pairs) seen = seen || (p.first == a && p.second == b) || (p.first == b && p.second == a);
    if (!seen) pairs.emplace_back(a, b);
  }
  std::vector<Link> links;
  for (const auto& [a, b] : pairs) {
    if (reversible) {  // Arrhenius-like with a shared barrier: detailed balance in exp(-energy)
      const double barrier = std::pow(10.0, decade(rng));
      links.push_back({a, b, barrier * std::exp(energy[a])});
      links.push_back({b, a, barrier * std::exp(energy[b])});
    } else {
      links.push_back({a, b, std::pow(10.0, decade(rng))});
      links.push_back({b, a, std::pow(10.0, decade(rng))});
    }
  }
  return make_rates(n, links);
}

TEST(Tpt, ConservationAndCommittorEquations) {
  const std::int32_t n = 60;
  for (const bool reversible : {false, true}) {
    const network::RateMatrix rates = random_network(n, 17, reversible);
    const TransitionPaths tp = transition_paths(rates, {0, 1}, {n - 2, n - 1});
    const double f = tp.total_flux_per_s;
    ASSERT_GT(f, 0.0);
    EXPECT_NEAR(tp.sink_inflow_per_s, f, 1e-10 * f);
    const Balance b = balance(tp, n);
    for (std::int32_t i = 2; i < n - 2; ++i) EXPECT_NEAR(b.in[i], b.out[i], 1e-10 * f) << "state " << i;
    for (std::int32_t i : {0, 1}) EXPECT_EQ(b.in[i], 0.0);
    for (std::int32_t i : {n - 2, n - 1}) EXPECT_EQ(b.out[i], 0.0);
    // sum_j k_ij (q+_j - q+_i) = 0 off A and B; the same for q- with the
    // reversed rates pi_j k_ji / pi_i.
    for (std::int32_t i = 2; i < n - 2; ++i) {
      double fwd = 0, fwd_scale = 0, bwd = 0, bwd_scale = 0;
      for (std::int64_t e = rates.row_offsets[i]; e < rates.row_offsets[i + 1]; ++e) {
        const std::int32_t j = rates.targets[e];
        fwd += rates.values[e] * (tp.forward_committor[j] - tp.forward_committor[i]);
        fwd_scale += rates.values[e];
      }
      for (std::int32_t j = 0; j < n; ++j)
        for (std::int64_t e = rates.row_offsets[j]; e < rates.row_offsets[j + 1]; ++e)
          if (rates.targets[e] == i) {
            const double reversed = tp.stationary[j] * rates.values[e] / tp.stationary[i];
            bwd += reversed * (tp.backward_committor[j] - tp.backward_committor[i]);
            bwd_scale += reversed;
          }
      EXPECT_NEAR(fwd, 0.0, 1e-12 * fwd_scale) << "state " << i;
      EXPECT_NEAR(bwd, 0.0, 1e-12 * bwd_scale) << "state " << i;
      if (reversible) EXPECT_NEAR(tp.backward_committor[i], 1.0 - tp.forward_committor[i], 1e-12);
    }
    // The decomposition lists paths from A to B along net-flux edges, widest first.
    ASSERT_FALSE(tp.pathways.empty());
    for (std::size_t p = 1; p < tp.pathways.size(); ++p)
      EXPECT_LE(tp.pathways[p].flux_per_s, tp.pathways[p - 1].flux_per_s * (1 + 1e-12));
    EXPECT_LE(tp.pathway_flux_fraction(), 1.0 + 1e-12);
  }
}

network::RateMatrix lattice(std::int32_t nx, std::int32_t ny, std::int32_t nz, StateSet& a, StateSet& b);

// Dense and sparse elimination on random networks (fill-in soon makes the
// sparse solver finish densely) and on a lattice (long minimum-degree phase).
TEST(Tpt, SparseMatchesDense) {
  for (int which = 0; which < 3; ++which) {
    StateSet a = {0, 1}, b = {298, 299};
    const network::RateMatrix rates = which < 2 ? random_network(300, 5, which == 1) : lattice(10, 5, 8, a, b);
    const std::int32_t n = rates.n;
    const TransitionPaths dense = transition_paths(rates, a, b, {}, LinearAlgebra::Dense);
    const TransitionPaths sparse = transition_paths(rates, a, b, {}, LinearAlgebra::Sparse);
    for (std::int32_t i = 0; i < n; ++i) {
      EXPECT_NEAR(sparse.stationary[i], dense.stationary[i], 1e-10 * dense.stationary[i]) << i;
      EXPECT_NEAR(sparse.forward_committor[i], dense.forward_committor[i], 1e-10 * dense.forward_committor[i] + 1e-300);
      EXPECT_NEAR(sparse.backward_committor[i], dense.backward_committor[i],
                  1e-10 * dense.backward_committor[i] + 1e-300);
    }
    EXPECT_NEAR(sparse.total_flux_per_s, dense.total_flux_per_s, 1e-10 * dense.total_flux_per_s);
    EXPECT_NEAR(sparse.rate_per_s, dense.rate_per_s, 1e-10 * dense.rate_per_s);
    ASSERT_EQ(sparse.pathways.size(), dense.pathways.size());
    for (std::size_t p = 0; p < dense.pathways.size(); ++p) EXPECT_EQ(sparse.pathways[p].states, dense.pathways[p].states);
  }
}

/// A random network over bound (0, 1), other and unbound (last two) states.
network::Network as_binding_network(const network::RateMatrix& m) {
  network::Network net;
  net.source = "random TPT network";
  for (std::int32_t i = 0; i < m.n; ++i) {
    const auto macro = i < 2 ? network::Macrostate::Bound
                             : (i >= m.n - 2 ? network::Macrostate::Unbound : network::Macrostate::Other);
    net.states.push_back({i, 0.0, macro, ""});
  }
  for (std::int32_t i = 0; i < m.n; ++i)
    for (std::int64_t e = m.row_offsets[i]; e < m.row_offsets[i + 1]; ++e)
      net.edges.push_back({i, m.targets[e], network::EdgeKind::Rate, m.values[e]});
  return net;
}

// k_AB = F / P(last in A) is the exact solver's steady-state koff (both are
// the stationary A -> B event rate over the time spent last-in-A), and also
// 1 / (MFPT to B averaged over where the chain enters A coming from B).
TEST(Tpt, RateIsSteadyStateKoffAndInverseMfptFromEntryDistribution) {
  for (const bool reversible : {false, true}) {
    const std::int32_t n = 40;
    const network::Network net = as_binding_network(random_network(n, 23, reversible));
    network::Conditions cond;
    cond.concentration_M = 1.0;  // association rates as given
    const TransitionPaths tp = unbinding_paths(net, cond);
    const ExactKinetics exact = exact_kinetics(net, cond, {});
    EXPECT_NEAR(tp.rate_per_s, exact.koff_renewal_per_s, 1e-10 * exact.koff_renewal_per_s);

    const network::RateMatrix rates = network::build_rates(net, cond);
    const PassageTimes to_b = mfpt_to_set(rates, tp.sink);
    double entry_total = 0.0, weighted_mfpt = 0.0;
    for (std::int32_t i = 2; i < n; ++i)
      for (std::int64_t e = rates.row_offsets[i]; e < rates.row_offsets[i + 1]; ++e) {
        const std::int32_t a = rates.targets[e];
        if (a >= 2) continue;
        const double entry = tp.stationary[i] * (1.0 - tp.backward_committor[i]) * rates.values[e];
        entry_total += entry;
        weighted_mfpt += entry * to_b.mean_s[a];
      }
    EXPECT_NEAR(entry_total, tp.total_flux_per_s, 1e-10 * tp.total_flux_per_s);  // F(B -> A) = F(A -> B)
    EXPECT_NEAR(tp.rate_per_s, entry_total / weighted_mfpt, 1e-10 * tp.rate_per_s);
  }
}

// A discrete-time chain has the committors of the jump process with rates
// P_ij / tau, and its fluxes per second are those of that process.
TEST(Tpt, DiscreteTimeMatchesRatesOverLag) {
  const double tau = 2.5e-9;
  const std::vector<Link> p = {{0, 0, 0.7}, {0, 1, 0.3}, {1, 0, 0.2}, {1, 1, 0.5}, {1, 2, 0.3},
                               {2, 1, 0.1}, {2, 2, 0.6}, {2, 3, 0.3}, {3, 2, 0.4}, {3, 3, 0.6}};
  std::vector<Link> k;
  for (const Link& l : p)
    if (l.from != l.to) k.push_back({l.from, l.to, l.value / tau});
  const TransitionPaths discrete = transition_paths(make_rates(4, p, tau), {0}, {3});
  const TransitionPaths continuous = transition_paths(make_rates(4, k), {0}, {3});
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(discrete.forward_committor[i], continuous.forward_committor[i], 1e-14);
  EXPECT_NEAR(discrete.total_flux_per_s, continuous.total_flux_per_s, 1e-12 * continuous.total_flux_per_s);
  EXPECT_NEAR(discrete.rate_per_s, continuous.rate_per_s, 1e-12 * continuous.rate_per_s);
}

// Two channels from A (0) to B (5): 0-1-5 (bottleneck 3) and 0-2-3-5
// (bottleneck 2), with a cross edge 1 -> 3 of 1.5 that opens 0-1-3-5 once
// the first channel's 1 -> 5 edge is used up.
TEST(Tpt, WidestPathDecomposition) {
  const std::vector<NetFluxEdge> g = {{0, 1, 4.5}, {1, 5, 3.0}, {1, 3, 1.5}, {0, 2, 2.0}, {2, 3, 2.0}, {3, 5, 4.0},
                                      {4, 5, 9.0}};  // state 4 is not reachable from A
  const double total = 6.5;
  const auto paths = decompose_pathways(6, g, {0}, {5}, total, {10, 1.0});
  ASSERT_EQ(paths.size(), 3u);
  EXPECT_EQ(paths[0].states, (std::vector<std::int32_t>{0, 1, 5}));
  EXPECT_DOUBLE_EQ(paths[0].flux_per_s, 3.0);
  EXPECT_EQ(paths[1].states, (std::vector<std::int32_t>{0, 2, 3, 5}));
  EXPECT_DOUBLE_EQ(paths[1].flux_per_s, 2.0);
  EXPECT_EQ(paths[2].states, (std::vector<std::int32_t>{0, 1, 3, 5}));
  EXPECT_DOUBLE_EQ(paths[2].flux_per_s, 1.5);
  // Stopping rules: the fraction (3 of 6.5 is < 50 %, 5 of 6.5 is >= 50 %) and the count.
  EXPECT_EQ(decompose_pathways(6, g, {0}, {5}, total, {10, 0.5}).size(), 2u);
  EXPECT_EQ(decompose_pathways(6, g, {0}, {5}, total, {1, 1.0}).size(), 1u);
}

TEST(Tpt, RejectsBadArguments) {
  const network::RateMatrix rates = random_network(10, 3, true);
  EXPECT_THROW(transition_paths(rates, {}, {9}), UsageError);
  EXPECT_THROW(transition_paths(rates, {0, 9}, {9}), UsageError);
  EXPECT_THROW(transition_paths(rates, {0}, {10}), UsageError);
  EXPECT_THROW(transition_paths(rates, {0}, {9}, {0, 0.9}), UsageError);
  EXPECT_THROW(transition_paths(rates, {0}, {9}, {10, 0.0}), UsageError);
  EXPECT_THROW(transition_paths(rates, {0}, {9}, {10, 1.5}), UsageError);
  // Reducible: state 2 only reachable one way.
  const network::RateMatrix reducible = make_rates(3, {{0, 1, 1.0}, {1, 0, 1.0}, {1, 2, 1.0}});
  EXPECT_THROW(transition_paths(reducible, {0}, {2}, {}, LinearAlgebra::Sparse), InputError);
  EXPECT_THROW(transition_paths(reducible, {0}, {2}, {}, LinearAlgebra::Dense), InputError);
}

/// A 3-D lattice landscape (nx x ny x nz states, nearest neighbours, random
/// energies and barriers); A = the x = 0 face's centre, B = the x = nx-1 face.
network::RateMatrix lattice(std::int32_t nx, std::int32_t ny, std::int32_t nz, StateSet& a, StateSet& b) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> energy(0.0, 6.0), barrier(1.0, 8.0);
  const auto id = [&](std::int32_t x, std::int32_t y, std::int32_t z) { return (x * ny + y) * nz + z; };
  const std::int32_t n = nx * ny * nz;
  std::vector<double> g(n);
  for (double& x : g) x = energy(rng);
  std::vector<Link> links;
  const auto connect = [&](std::int32_t i, std::int32_t j) {
    const double ts = std::max(g[i], g[j]) + barrier(rng);  // kcal/mol-like, RT = 0.6
    links.push_back({i, j, 6.25e12 * std::exp(-(ts - g[i]) / 0.6)});
    links.push_back({j, i, 6.25e12 * std::exp(-(ts - g[j]) / 0.6)});
  };
  for (std::int32_t x = 0; x < nx; ++x)
    for (std::int32_t y = 0; y < ny; ++y)
      for (std::int32_t z = 0; z < nz; ++z) {
        if (x + 1 < nx) connect(id(x, y, z), id(x + 1, y, z));
        if (y + 1 < ny) connect(id(x, y, z), id(x, y + 1, z));
        if (z + 1 < nz) connect(id(x, y, z), id(x, y, z + 1));
      }
  a = {id(0, ny / 2, nz / 2)};
  b.clear();
  for (std::int32_t y = 0; y < ny; ++y)
    for (std::int32_t z = 0; z < nz; ++z) b.push_back(id(nx - 1, y, z));
  return make_rates(n, links);
}

// Thousands of sparse states: the automatic choice is the sparse solver, and
// flux is still conserved (rates here span ~1e7..1e12 1/s).
TEST(Tpt, LargeSparseLandscape) {
  StateSet a, b;
  const network::RateMatrix rates = lattice(20, 10, 10, a, b);
  const auto start = std::chrono::steady_clock::now();
  const TransitionPaths tp = transition_paths(rates, a, b);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("TPT on %d states, %zu edges: %.3f s\n", rates.n, rates.targets.size(), seconds);
  const double f = tp.total_flux_per_s;
  ASSERT_GT(f, 0.0);
  EXPECT_NEAR(tp.sink_inflow_per_s, f, 1e-9 * f);
  const Balance bal = balance(tp, rates.n);
  std::vector<char> end(rates.n, 0);
  for (auto s : a) end[s] = 1;
  for (auto s : b) end[s] = 1;
  for (std::int32_t i = 0; i < rates.n; ++i)
    if (!end[i]) EXPECT_NEAR(bal.in[i], bal.out[i], 1e-9 * f) << "state " << i;
  EXPECT_FALSE(tp.pathways.empty());
}

}  // namespace
}  // namespace pk::solve
