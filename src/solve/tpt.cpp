// Transition-path theory: committors, reactive and net flux, the TPT rate.
#include "solve/tpt.hpp"

#include "core/error.hpp"
#include "solve/detail/dense.hpp"
#include "solve/detail/reversal.hpp"
#include "solve/detail/sparse_elimination.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace pk::solve {
namespace {

/// W_ij on the edge i -> j, 0 where there is none (targets are sorted per row).
double weight(const network::RateMatrix& m, std::int32_t i, std::int32_t j) {
  const auto first = m.targets.begin() + m.row_offsets[i];
  const auto last = m.targets.begin() + m.row_offsets[i + 1];
  const auto at = std::lower_bound(first, last, j);
  return at != last && *at == j ? m.values[static_cast<std::size_t>(at - m.targets.begin())] : 0.0;
}

double finite_or_zero(double x) { return std::isfinite(x) ? x : 0.0; }

/// Dense GTH, sparse state reduction, or (Automatic above
/// kReductionTptStates) the scaled sparse LU of solver.hpp.
struct Solvers {
  enum class Kind { Dense, Reduction, Lu } kind;
  std::vector<double> stationary(const network::RateMatrix& m) const {
    if (kind == Kind::Reduction) return detail::sparse_stationary(m);
    return stationary_distribution(m, kind == Kind::Dense ? LinearAlgebra::Dense : LinearAlgebra::Sparse);
  }
  std::vector<double> committor(const network::RateMatrix& m, const StateSet& from, const StateSet& to) const {
    if (kind == Kind::Reduction)
      return detail::sparse_committor(m, detail::mask_of(from, m.n, "committor 'from' set"),
                                      detail::mask_of(to, m.n, "committor 'to' set"));
    return solve::committor(m, from, to, kind == Kind::Dense ? LinearAlgebra::Dense : LinearAlgebra::Sparse);
  }
};

Solvers::Kind solver_kind(LinearAlgebra method, std::int32_t n) {
  if (method == LinearAlgebra::Dense) return Solvers::Kind::Dense;
  if (method == LinearAlgebra::Sparse) return Solvers::Kind::Reduction;
  if (n <= kDenseTptStates) return Solvers::Kind::Dense;
  return n <= kReductionTptStates ? Solvers::Kind::Reduction : Solvers::Kind::Lu;
}

/// Net flux f+_ij = max(f_ij - f_ji, 0) on every edge where it is positive,
/// per second. Each unordered pair yields at most one edge.
std::vector<NetFluxEdge> net_flux(const network::RateMatrix& m, const TransitionPaths& tp) {
  const double per_s = m.discrete_time() ? 1.0 / m.lag_time_s : 1.0;
  const auto reactive = [&](std::int32_t i, std::int32_t j, double w) {
    return tp.stationary[i] * finite_or_zero(tp.backward_committor[i]) * w * finite_or_zero(tp.forward_committor[j]);
  };
  std::vector<NetFluxEdge> out;
  for (std::int32_t i = 0; i < m.n; ++i)
    for (std::int64_t e = m.row_offsets[i]; e < m.row_offsets[i + 1]; ++e) {
      const std::int32_t j = m.targets[e];
      if (j == i) continue;  // a self-loop of a discrete-time model carries no net flux
      const double net = reactive(i, j, m.values[e]) - reactive(j, i, weight(m, j, i));
      if (net > 0.0) out.push_back({i, j, net * per_s});
    }
  return out;  // rows in order, targets sorted within a row
}

}  // namespace

double TransitionPaths::pathway_flux_fraction() const {
  double sum = 0.0;
  for (const Pathway& p : pathways) sum += p.flux_per_s;
  return total_flux_per_s > 0.0 ? sum / total_flux_per_s : 0.0;
}

TransitionPaths transition_paths(const network::RateMatrix& rates, const StateSet& source, const StateSet& sink,
                                 const PathwayOptions& options, LinearAlgebra method) {
  detail::validate(rates);
  validate(options);
  if (source.empty() || sink.empty()) throw UsageError("transition-path theory needs a non-empty source and sink set");
  const detail::Mask in_source = detail::mask_of(source, rates.n, "TPT source set");
  const detail::Mask in_sink = detail::mask_of(sink, rates.n, "TPT sink set");
  for (std::int32_t i = 0; i < rates.n; ++i)
    if (in_source[i] && in_sink[i])
      throw UsageError("state " + std::to_string(i) + " is in both the source and the sink set of TPT");

  const Solvers solvers{solver_kind(method, rates.n)};
  TransitionPaths tp;
  tp.source = source;
  tp.sink = sink;
  tp.stationary = solvers.stationary(rates);
  tp.forward_committor = solvers.committor(rates, source, sink);
  // Backward: in the reversed chain, reach A before B.
  tp.backward_committor = solvers.committor(detail::time_reversed(rates, tp.stationary), sink, source);
  tp.net_flux = net_flux(rates, tp);

  for (const NetFluxEdge& e : tp.net_flux) {
    if (in_source[e.from]) tp.total_flux_per_s += e.net_flux_per_s;
    if (in_sink[e.to]) tp.sink_inflow_per_s += e.net_flux_per_s;
  }
  for (std::int32_t i = 0; i < rates.n; ++i)
    tp.source_phase_probability += tp.stationary[i] * finite_or_zero(tp.backward_committor[i]);
  tp.rate_per_s = tp.total_flux_per_s / tp.source_phase_probability;
  tp.pathways = decompose_pathways(rates.n, tp.net_flux, source, sink, tp.total_flux_per_s, options);
  return tp;
}

TransitionPaths unbinding_paths(const network::Network& net, const network::Conditions& cond,
                                const PathwayOptions& options) {
  const StateSet bound = network::states_in(net, network::Macrostate::Bound);
  const StateSet unbound = network::states_in(net, network::Macrostate::Unbound);
  if (bound.empty() || unbound.empty())
    throw InputError(net.source, 0, "transition-path theory needs at least one bound and one unbound state");
  return transition_paths(network::build_rates(net, cond), bound, unbound, options);
}

}  // namespace pk::solve
