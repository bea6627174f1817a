#include "landscape/kinetics.hpp"

#include "core/error.hpp"
#include "core/units.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

namespace pk::landscape {

namespace {

using Links = std::vector<std::pair<std::int32_t, std::int32_t>>;

/// Edges as links between nodes: the built states, then the unbound state (node n).
Links links_of(const ComplexLandscape& c) {
  const auto n = static_cast<std::int32_t>(c.states.size());
  Links links;
  links.reserve(c.edges.size());
  for (const auto& e : c.edges) links.emplace_back(e.a, e.bulk() ? n : e.b);
  return links;
}

std::string edge_name(std::size_t k) { return "edge " + std::to_string(k); }

void check_edges(const ComplexLandscape& c) {
  const auto n = static_cast<std::int32_t>(c.states.size());
  std::set<std::pair<std::int32_t, std::int32_t>> seen;
  int bulk = 0;
  for (std::size_t k = 0; k < c.edges.size(); ++k) {
    const LandscapeEdge& e = c.edges[k];
    if (e.a < 0 || e.a >= n || e.b < -1 || e.b >= n || e.a == e.b)
      throw InputError(c.source, 0,
                       edge_name(k) + " joins states " + std::to_string(e.a) + " and " + std::to_string(e.b) +
                           ": expected two different states of 0.." + std::to_string(n - 1) + " (or the unbound state)");
    const std::int32_t b = e.bulk() ? n : e.b;
    if (!seen.insert({std::min(e.a, b), std::max(e.a, b)}).second)
      throw InputError(c.source, 0, edge_name(k) + " repeats the connection " + std::to_string(e.a) + " - " +
                                        (e.bulk() ? std::string("unbound") : std::to_string(e.b)));
    if (e.bulk()) {
      ++bulk;
      if (!(e.association_per_M_per_s > 0) || !std::isfinite(e.association_per_M_per_s))
        throw InputError(c.source, 0, edge_name(k) + " (bulk): association rate must be a finite number > 0 1/(M s)");
    } else if (!std::isfinite(e.path_max_score_kcal_per_mol)) {
      throw InputError(c.source, 0, edge_name(k) + ": path maximum is not a finite number");
    }
  }
  if (bulk == 0) throw InputError(c.source, 0, "no state exchanges with the bulk: the landscape has no koff");
}

}  // namespace

void check_landscape(const ComplexLandscape& c) {
  if (c.states.empty()) throw InputError(c.source, 0, "the landscape has no states");
  if (c.bound.size() != c.states.size())
    throw InputError(c.source, 0, "bound flags: " + std::to_string(c.bound.size()) + " values for " +
                                      std::to_string(c.states.size()) + " states");
  if (std::none_of(c.bound.begin(), c.bound.end(), [](char b) { return b != 0; }))
    throw InputError(c.source, 0, "no state belongs to the bound macrostate");
  if (!(c.temperature_K > 0) || !std::isfinite(c.temperature_K))
    throw InputError(c.source, 0, "temperature must be a finite number > 0 K");
  if (!(c.kappa > 0 && c.kappa <= 1)) throw InputError(c.source, 0, "kappa must lie in (0, 1]");
  for (std::size_t i = 0; i < c.states.size(); ++i) {
    const StateFeatures& f = c.states[i];
    for (double v : {f.score_kcal_per_mol, f.burial, f.n_rot, f.polar_buried, f.apolar_buried})
      if (!std::isfinite(v)) throw InputError(c.source, 0, "state " + std::to_string(i) + " has a non-finite feature");
  }
  check_edges(c);
  const auto n = static_cast<std::int32_t>(c.states.size());
  std::vector<char> unbound(static_cast<std::size_t>(n) + 1, 0);
  unbound[n] = 1;
  const std::vector<std::int32_t> lost = PassagePlan::unreachable(n + 1, links_of(c), unbound);
  if (!lost.empty()) {
    std::string list;
    for (std::size_t k = 0; k < std::min<std::size_t>(lost.size(), 8); ++k) list += " " + std::to_string(lost[k]);
    throw InputError(c.source, 0, std::to_string(lost.size()) + " state(s) have no path to the unbound state:" + list +
                                      (lost.size() > 8 ? " ..." : ""));
  }
}

double best_bound_score_kcal_per_mol(const ComplexLandscape& c) {
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < c.states.size(); ++i)
    if (c.bound[i]) best = std::min(best, c.states[i].score_kcal_per_mol);
  return best;
}

LandscapeKinetics::LandscapeKinetics(ComplexLandscape c) : c_(std::move(c)) {
  check_landscape(c_);
  const auto n = static_cast<std::int32_t>(c_.states.size());
  const Links links = links_of(c_);
  std::vector<char> unbound(static_cast<std::size_t>(n) + 1, 0), bound(static_cast<std::size_t>(n) + 1, 0);
  unbound[n] = 1;
  for (std::int32_t i = 0; i < n; ++i) bound[i] = c_.bound[i] != 0;
  to_unbound_ = std::make_unique<PassagePlan>(n + 1, links, unbound);
  to_bound_ = std::make_unique<PassagePlan>(n + 1, links, bound);
}

LandscapeKinetics::Rates LandscapeKinetics::rates(const ModelParameters& p, double concentration_M) const {
  const double rt = units::rt_kcal_per_mol(c_.temperature_K);
  const double prefactor = c_.kappa * units::eyring_prefactor_per_s(c_.temperature_K);
  const double model_kappa_shift = rt * std::log(p.kappa());  // the model's kappa lowers internal transition states
  Rates r;
  r.free_energy_kcal_per_mol.reserve(c_.states.size());
  for (const StateFeatures& f : c_.states) r.free_energy_kcal_per_mol.push_back(state_free_energy(p, f));
  const std::vector<double>& g = r.free_energy_kcal_per_mol;
  r.forward.resize(c_.edges.size());
  r.backward.resize(c_.edges.size());
  for (std::size_t k = 0; k < c_.edges.size(); ++k) {
    const LandscapeEdge& e = c_.edges[k];
    if (e.bulk()) {
      const double ts = bulk_ts_free_energy(e.association_per_M_per_s, g[e.a], c_.temperature_K, c_.kappa);
      r.forward[k] = prefactor * std::exp(-(ts - g[e.a]) / rt);
      r.backward[k] = prefactor * std::exp(-ts / rt) * (concentration_M / units::kStandardConcentration_M);
    } else {
      const double ts =
          ts_free_energy(p, e.path_max_score_kcal_per_mol, c_.states[e.a], c_.states[e.b]) - model_kappa_shift;
      r.forward[k] = prefactor * std::exp(-(ts - g[e.a]) / rt);
      r.backward[k] = prefactor * std::exp(-(ts - g[e.b]) / rt);
    }
  }
  return r;
}

double LandscapeKinetics::koff_per_s(const ModelParameters& p) const {
  const Rates r = rates(p, units::kStandardConcentration_M);
  const std::vector<double> tau = to_unbound_->mean_first_passage(r.forward, r.backward);
  const double rt = units::rt_kcal_per_mol(c_.temperature_K);
  double g_min = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < c_.states.size(); ++i)
    if (c_.bound[i]) g_min = std::min(g_min, r.free_energy_kcal_per_mol[i]);
  double weight = 0.0, mean = 0.0;
  for (std::size_t i = 0; i < c_.states.size(); ++i) {
    if (!c_.bound[i]) continue;
    const double w = std::exp(-(r.free_energy_kcal_per_mol[i] - g_min) / rt);
    weight += w;
    mean += w * tau[i];
  }
  mean /= weight;
  return std::isfinite(mean) ? 1.0 / mean : 0.0;
}

double LandscapeKinetics::kon_per_M_per_s(const ModelParameters& p, double concentration_M) const {
  if (!(concentration_M > 0) || !std::isfinite(concentration_M))
    throw UsageError("kon: the ligand concentration must be a finite number > 0 M");
  const Rates r = rates(p, concentration_M);
  const std::vector<double> tau = to_bound_->mean_first_passage(r.forward, r.backward);
  const double mfpt_s = tau.back();  // from the unbound state, the last node
  return std::isfinite(mfpt_s) ? 1.0 / (mfpt_s * concentration_M) : 0.0;
}

double predicted_koff_per_s(const ModelParameters& p, const ComplexLandscape& c) {
  return LandscapeKinetics(c).koff_per_s(p);
}

double predicted_kon_per_M_per_s(const ModelParameters& p, const ComplexLandscape& c, double concentration_M) {
  return LandscapeKinetics(c).kon_per_M_per_s(p, concentration_M);
}

}  // namespace pk::landscape
