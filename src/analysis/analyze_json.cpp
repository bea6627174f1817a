// The JSON summary of `pandakinetics analyze` (layout: docs/pipeline.md).
#include "analysis/analyze.hpp"

namespace pk::pipeline {

namespace {

void put(io::JsonWriter& j, const std::string& key, const Interval& e, const Comparison* c = nullptr) {
  j.begin_object(key).value("value", e.value).value("ci95_low", e.ci_low).value("ci95_high", e.ci_high);
  j.value("ci_method", e.method);
  if (c) {
    j.value("exact", c->exact).value("exact_quantity", c->exact_name);
    j.value("relative_difference", c->relative_difference).value("exact_within_ci95", c->exact_within_ci);
  }
  j.end_object();
}

const Comparison* find(const std::vector<Comparison>& cs, const std::string& name) {
  for (const auto& c : cs)
    if (c.quantity == name) return &c;
  return nullptr;
}

void put_exact(io::JsonWriter& j, const solve::ExactKinetics& x) {
  j.begin_object("exact");
  j.value("koff_per_s", x.koff_per_s).value("residence_time_s", x.residence_time_s);
  j.value("mfpt_unbound_to_bound_s", x.mfpt_unbound_to_bound_s).value("kon_per_M_per_s", x.kon_per_M_per_s);
  j.value("kd_M", x.kd_M).value("dG_kcal_per_mol", x.dG_kcal_per_mol);
  j.value("koff_renewal_per_s", x.koff_renewal_per_s).value("kon_renewal_per_M_per_s", x.kon_renewal_per_M_per_s);
  j.end_object();
}

void put_group(io::JsonWriter& j, const GroupEstimates& g, const std::vector<Comparison>& cs,
               const std::optional<solve::ExactKinetics>& x) {
  j.begin_object();
  j.value("temperature_K", g.temperature_K).value("concentration_M", g.concentration_M);
  j.value("replicas", g.replicas).value("walkers", g.walkers);
  j.value("unbinding_events", g.unbinding_events).value("binding_events", g.binding_events);
  j.value("bound_phase_time_s", g.bound_time_s).value("unbound_phase_time_s", g.unbound_time_s);
  j.value("censored_bound_time_s", g.censored_bound_time_s).value("walkers_still_bound", g.walkers_still_bound);
  j.value("first_passages_to_unbound", g.passages_to_unbound).value("first_passages_to_bound", g.passages_to_bound);
  for (const auto& [key, est] : std::vector<std::pair<std::string, const Interval*>>{
           {"koff_per_s", &g.koff_per_s},
           {"kon_per_M_per_s", &g.kon_per_M_per_s},
           {"residence_time_s", &g.residence_time_s},
           {"kd_M", &g.kd_M},
           {"dG_kcal_per_mol", &g.dG_kcal_per_mol},
           {"mfpt_bound_to_unbound_s", &g.mfpt_bound_to_unbound_s},
           {"mfpt_unbound_to_bound_s", &g.mfpt_unbound_to_bound_s}})
    put(j, key, *est, find(cs, key));
  if (x) put_exact(j, *x);
  j.end_object();
}

}  // namespace

void write_analysis_json(io::JsonWriter& j, const Analysis& a) {
  j.value("bootstrap_resamples", a.settings.bootstrap.resamples);
  j.value("bootstrap_seed", static_cast<long long>(a.settings.bootstrap.seed));
  j.value("ci_level", 0.95);
  j.begin_array("runs");
  for (const RunAnalysis& r : a.runs) {
    j.begin_object();
    j.value("label", r.label).value("file", r.path).value("network", r.network_source);
    j.value("states", r.states).value("replicas", r.replicas).value("walkers_per_replica", r.walkers);
    j.value("kappa", r.kappa).value("time_horizon_s", r.horizon_s).value("exact_source", r.exact_source);
    j.begin_array("conditions");
    for (std::size_t g = 0; g < r.groups.size(); ++g) put_group(j, r.groups[g], r.comparisons[g], r.exact[g]);
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.begin_array("selectivity");
  for (const Selectivity& s : a.selectivity) {
    j.begin_object();
    j.value("label", s.label).value("reference", s.reference);
    j.value("temperature_K", s.temperature_K).value("concentration_M", s.concentration_M);
    put(j, "residence_time_ratio", s.residence_time_ratio);
    put(j, "kd_ratio", s.kd_ratio);
    j.end_object();
  }
  j.end_array();
  j.begin_array("eyring");
  for (const EyringFit& e : a.eyring) {
    j.begin_object();
    j.value("label", e.label).value("concentration_M", e.concentration_M);
    j.value("temperature_K", e.temperature_K).value("koff_per_s", e.koff_per_s);
    put(j, "dH_activation_kcal_per_mol", e.dH_kcal_per_mol);
    put(j, "dS_activation_cal_per_mol_K", e.dS_cal_per_mol_K);
    j.end_object();
  }
  j.end_array();
}

}  // namespace pk::pipeline
