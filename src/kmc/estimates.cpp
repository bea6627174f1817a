#include "kmc/estimates.hpp"

#include "core/units.hpp"
#include "io/json.hpp"
#include "kmc_codes.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace pk::kmc {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

/// Pooled point estimate (sum num / sum den over replicas) with a t interval
/// from the spread of the per-replica ratios.
Estimate pooled_rate(const std::vector<const ReplicaTotals*>& reps, double (*num)(const ReplicaTotals&),
                     double (*den)(const ReplicaTotals&)) {
  double sn = 0, sd = 0;
  std::vector<double> per;
  for (const auto* r : reps) {
    sn += num(*r);
    sd += den(*r);
    const double x = ratio(num(*r), den(*r));
    if (std::isfinite(x)) per.push_back(x);
  }
  Estimate e;
  e.value = ratio(sn, sd);
  e.replicas = static_cast<int>(per.size());
  if (!std::isfinite(e.value)) {
    e.ci_low = e.ci_high = kNaN;
    return e;
  }
  if (per.size() < 2 || sn < 20) {
    // Few events: the pooled count is Poisson; Garwood's interval.
    e.ci_method = "poisson";
    e.ci_low = sn > 0 ? 0.5 * chi_square_quantile(0.025, 2 * sn) / sd : 0.0;
    e.ci_high = 0.5 * chi_square_quantile(0.975, 2 * sn + 2) / sd;
    return e;
  }
  double mean = 0;
  for (double x : per) mean += x;
  mean /= per.size();
  double var = 0;
  for (double x : per) var += (x - mean) * (x - mean);
  var /= per.size() - 1;
  const double half = student_t95(static_cast<int>(per.size()) - 1) * std::sqrt(var / per.size());
  e.ci_low = std::max(0.0, e.value - half);
  e.ci_high = e.value + half;
  return e;
}

Estimate inverse(const Estimate& k) {
  Estimate e;
  e.replicas = k.replicas;
  e.value = k.value > 0 ? 1.0 / k.value : kNaN;
  e.ci_low = k.ci_high > 0 ? 1.0 / k.ci_high : kNaN;
  e.ci_high = k.ci_low > 0 ? 1.0 / k.ci_low : (std::isnan(k.ci_low) ? kNaN : INFINITY);
  e.ci_method = k.ci_method;
  return e;
}

/// Kd = koff / kon with a log-normal interval from both relative errors.
Estimate dissociation_constant(const Estimate& koff, const Estimate& kon) {
  Estimate e;
  e.replicas = std::min(koff.replicas, kon.replicas);
  e.value = ratio(koff.value, kon.value);
  const double rel_off = (koff.ci_high - koff.value) / koff.value;
  const double rel_on = (kon.ci_high - kon.value) / kon.value;
  const double z = 1.959963984540054;
  const double sigma = std::sqrt(rel_off * rel_off + rel_on * rel_on) / z;
  e.ci_low = std::isfinite(sigma) ? e.value * std::exp(-z * sigma) : kNaN;
  e.ci_high = std::isfinite(sigma) ? e.value * std::exp(z * sigma) : kNaN;
  e.ci_method = "log-normal from koff and kon";
  return e;
}

Estimate free_energy(const Estimate& kd, double temperature_K) {
  const double rt = units::rt_kcal_per_mol(temperature_K);
  auto g = [&](double x) { return x > 0 ? rt * std::log(x / units::kStandardConcentration_M) : kNaN; };
  return Estimate{g(kd.value), g(kd.ci_low), g(kd.ci_high), kd.replicas, kd.ci_method};
}

void put(io::JsonWriter& j, const std::string& key, const Estimate& e) {
  j.begin_object(key).value("value", e.value).value("ci95_low", e.ci_low).value("ci95_high", e.ci_high);
  j.value("replicas_with_estimate", e.replicas).value("ci_method", e.ci_method).end_object();
}
}  // namespace

double chi_square_quantile(double p, double dof) {
  if (dof <= 0) return 0.0;
  // Normal quantile for the two tails used here.
  const double z = p > 0.5 ? 1.959963984540054 : -1.959963984540054;
  const double a = 2.0 / (9.0 * dof);
  const double c = 1.0 - a + z * std::sqrt(a);
  return dof * c * c * c;
}

double student_t95(int dof) {
  static const double table[] = {12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624,
                                 2.306004,  2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787,
                                 2.131450,  2.119905, 2.109816, 2.100922, 2.093024, 2.085963};
  if (dof < 1) return kNaN;
  if (dof <= 20) return table[dof - 1];
  // Cornish-Fisher expansion around the normal quantile (error < 1e-4 for dof > 20).
  const double z = 1.959963984540054, n = dof;
  return z + (z * z * z + z) / (4 * n) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
}

void ReplicaTotals::to_array(double* o) const {
  const double v[kFields] = {temperature_K, concentration_M, walkers, steps, n_bind, n_unbind, bound_time_s,
                             unbound_time_s, censored_bound_time_s, fpt_unbound_observed, fpt_unbound_sum_s,
                             fpt_unbound_exposure_s, fpt_bound_observed, fpt_bound_sum_s, fpt_bound_exposure_s,
                             fpt_unbound_eligible, fpt_bound_eligible};
  for (int i = 0; i < kFields; ++i) o[i] = v[i];
}

ReplicaTotals ReplicaTotals::from_array(const double* v) {
  ReplicaTotals t;
  t.temperature_K = v[0];
  t.concentration_M = v[1];
  t.walkers = v[2];
  t.steps = v[3];
  t.n_bind = v[4];
  t.n_unbind = v[5];
  t.bound_time_s = v[6];
  t.unbound_time_s = v[7];
  t.censored_bound_time_s = v[8];
  t.fpt_unbound_observed = v[9];
  t.fpt_unbound_sum_s = v[10];
  t.fpt_unbound_exposure_s = v[11];
  t.fpt_bound_observed = v[12];
  t.fpt_bound_sum_s = v[13];
  t.fpt_bound_exposure_s = v[14];
  t.fpt_unbound_eligible = v[15];
  t.fpt_bound_eligible = v[16];
  return t;
}

std::vector<double> observation_end(const KmcSnapshot& s, double horizon_s) {
  std::vector<double> end(s.time.size());
  for (std::size_t i = 0; i < end.size(); ++i) end[i] = s.done[i] == kDoneSteps ? s.time[i] : horizon_s;
  return end;
}

std::vector<ReplicaTotals> replica_totals(const KmcSnapshot& s, std::int32_t replicas, std::int32_t walkers,
                                          double horizon_s, const std::vector<double>& temperature_K,
                                          const std::vector<double>& concentration_M) {
  const std::vector<double> end = observation_end(s, horizon_s);
  std::vector<ReplicaTotals> out(replicas);
  for (std::int32_t r = 0; r < replicas; ++r) {
    ReplicaTotals& t = out[r];
    t.temperature_K = temperature_K[r];
    t.concentration_M = concentration_M[r];
    t.walkers = walkers;
    for (std::int64_t i = static_cast<std::int64_t>(r) * walkers; i < static_cast<std::int64_t>(r + 1) * walkers; ++i) {
      t.steps += static_cast<double>(s.steps[i]);
      t.n_bind += s.n_bind[i];
      t.n_unbind += s.n_unbind[i];
      const double tail = end[i] - s.phase_start[i];
      t.bound_time_s += s.bound_time[i] + (s.phase[i] == kPhaseBound ? tail : 0.0);
      t.unbound_time_s += s.unbound_time[i] + (s.phase[i] == kPhaseUnbound ? tail : 0.0);
      if (s.phase[i] == kPhaseBound) t.censored_bound_time_s += tail;
      // First passages, counted only for walkers that did not start in the target.
      if (s.fpt_unbound[i] != 0.0) {
        const bool seen = s.fpt_unbound[i] > 0.0;
        t.fpt_unbound_eligible += 1;
        t.fpt_unbound_observed += seen;
        t.fpt_unbound_sum_s += seen ? s.fpt_unbound[i] : 0.0;
        t.fpt_unbound_exposure_s += seen ? s.fpt_unbound[i] : end[i];
      }
      if (s.fpt_bound[i] != 0.0) {
        const bool seen = s.fpt_bound[i] > 0.0;
        t.fpt_bound_eligible += 1;
        t.fpt_bound_observed += seen;
        t.fpt_bound_sum_s += seen ? s.fpt_bound[i] : 0.0;
        t.fpt_bound_exposure_s += seen ? s.fpt_bound[i] : end[i];
      }
    }
  }
  return out;
}

std::vector<ConditionEstimates> estimate(const std::vector<ReplicaTotals>& replicas) {
  std::map<std::pair<double, double>, std::vector<const ReplicaTotals*>> groups;
  for (const auto& r : replicas) groups[{r.temperature_K, r.concentration_M}].push_back(&r);
  std::vector<ConditionEstimates> out;
  for (const auto& [key, reps] : groups) {
    ConditionEstimates g;
    g.temperature_K = key.first;
    g.concentration_M = key.second;
    g.replicas = static_cast<int>(reps.size());
    for (const auto* r : reps) {
      g.walkers += r->walkers;
      g.steps += r->steps;
      g.binding_events += r->n_bind;
      g.unbinding_events += r->n_unbind;
      g.bound_time_s += r->bound_time_s;
      g.censored_bound_time_s += r->censored_bound_time_s;
      g.first_passages_to_unbound += r->fpt_unbound_observed;
      g.first_passages_to_bound += r->fpt_bound_observed;
      g.censored_to_unbound += r->fpt_unbound_eligible - r->fpt_unbound_observed;
      g.censored_to_bound += r->fpt_bound_eligible - r->fpt_bound_observed;
    }
    g.koff_per_s = pooled_rate(reps, [](const ReplicaTotals& r) { return r.n_unbind; },
                               [](const ReplicaTotals& r) { return r.bound_time_s; });
    g.kon_per_M_per_s = pooled_rate(reps, [](const ReplicaTotals& r) { return r.n_bind; },
                                    [](const ReplicaTotals& r) { return r.unbound_time_s * r.concentration_M; });
    g.residence_time_s = inverse(g.koff_per_s);
    g.kd_M = dissociation_constant(g.koff_per_s, g.kon_per_M_per_s);
    g.dg_kcal_per_mol = free_energy(g.kd_M, g.temperature_K);
    // Exponential MLE of the first-passage rate: passages / exposure time.
    g.mfpt_bound_to_unbound_s = inverse(pooled_rate(reps, [](const ReplicaTotals& r) { return r.fpt_unbound_observed; },
                                                    [](const ReplicaTotals& r) { return r.fpt_unbound_exposure_s; }));
    g.mfpt_unbound_to_bound_s = inverse(pooled_rate(reps, [](const ReplicaTotals& r) { return r.fpt_bound_observed; },
                                                    [](const ReplicaTotals& r) { return r.fpt_bound_exposure_s; }));
    out.push_back(g);
  }
  return out;
}

void write_estimates_json(io::JsonWriter& j, const std::vector<ConditionEstimates>& groups) {
  j.begin_array("conditions");
  for (const auto& g : groups) {
    j.begin_object();
    j.value("temperature_K", g.temperature_K).value("concentration_M", g.concentration_M);
    j.value("replicas", g.replicas).value("walkers", g.walkers).value("steps", g.steps);
    j.value("binding_events", g.binding_events).value("unbinding_events", g.unbinding_events);
    j.value("bound_phase_time_s", g.bound_time_s).value("censored_bound_time_s", g.censored_bound_time_s);
    put(j, "koff_per_s", g.koff_per_s);
    put(j, "kon_per_M_per_s", g.kon_per_M_per_s);
    put(j, "residence_time_s", g.residence_time_s);
    put(j, "kd_M", g.kd_M);
    put(j, "dG_kcal_per_mol", g.dg_kcal_per_mol);
    put(j, "mfpt_bound_to_unbound_s", g.mfpt_bound_to_unbound_s);
    put(j, "mfpt_unbound_to_bound_s", g.mfpt_unbound_to_bound_s);
    j.value("first_passages_to_unbound", g.first_passages_to_unbound);
    j.value("first_passages_to_bound", g.first_passages_to_bound);
    j.value("censored_first_passages_to_unbound", g.censored_to_unbound);
    j.value("censored_first_passages_to_bound", g.censored_to_bound);
    j.end_object();
  }
  j.end_array();
}

}  // namespace pk::kmc
