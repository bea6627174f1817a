#include "analysis/bootstrap.hpp"

#include "core/units.hpp"
#include "kmc/estimates.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace pk::pipeline {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double ratio(double a, double b) { return b > 0 ? a / b : kNaN; }

/// Sums of the fields the estimators use, over a list of replicas.
struct Pooled {
  double n_unbind = 0, n_bind = 0, bound_s = 0, unbound_conc_Ms = 0;
  double pass_unbound = 0, expo_unbound_s = 0, pass_bound = 0, expo_bound_s = 0;
  void add(const ReplicaSums& r) {
    n_unbind += r.unbinding_events;
    n_bind += r.binding_events;
    bound_s += r.bound_time_s;
    unbound_conc_Ms += r.unbound_time_s * r.concentration_M;
    pass_unbound += r.passages_to_unbound;
    expo_unbound_s += r.exposure_to_unbound_s;
    pass_bound += r.passages_to_bound;
    expo_bound_s += r.exposure_to_bound_s;
  }
  double koff() const { return ratio(n_unbind, bound_s); }
  double kon() const { return ratio(n_bind, unbound_conc_Ms); }
  /// First-passage rates (exponential MLE: passages / exposure); the MFPT is the inverse.
  double passage_rate_to_unbound() const { return ratio(pass_unbound, expo_unbound_s); }
  double passage_rate_to_bound() const { return ratio(pass_bound, expo_bound_s); }
};

Interval from_samples(double value, const std::vector<double>& samples) {
  Interval e;
  e.value = value;
  const auto [lo, hi] = percentile_interval(samples);
  e.ci_low = lo;
  e.ci_high = hi;
  e.method = std::isfinite(value) && !std::isnan(lo) ? "bootstrap-percentile" : "undefined";
  if (e.method == "undefined") e.ci_low = e.ci_high = kNaN;
  return e;
}

/// A rate events/exposure: bootstrap with enough events and replicas, Poisson otherwise.
Interval rate(double events, double exposure, int replicas, const std::vector<double>& samples) {
  Interval e = from_samples(ratio(events, exposure), samples);
  if (exposure > 0 && (events < kMinEventsForBootstrap || replicas < 2)) {
    std::tie(e.ci_low, e.ci_high) = poisson_rate_interval(events, exposure);
    e.method = "poisson";
  }
  return e;
}

/// 1/x of an interval (time from a rate): ends swap; a zero rate is an infinite time.
Interval inverse(const Interval& k) {
  Interval e;
  auto inv = [](double x) { return std::isnan(x) ? kNaN : (x > 0 ? 1.0 / x : INFINITY); };
  e.value = inv(k.value);
  e.ci_low = inv(k.ci_high);
  e.ci_high = inv(k.ci_low);
  e.method = k.method;
  return e;
}

}  // namespace

std::vector<std::size_t> resample_indices(std::uint64_t seed, std::uint64_t stream, std::uint64_t resample,
                                          std::size_t n) {
  std::vector<std::size_t> idx(n);
  const std::uint64_t base = splitmix64(splitmix64(splitmix64(seed) ^ stream) ^ resample);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = static_cast<double>(splitmix64(base + i) >> 11) * 0x1.0p-53;  // [0, 1)
    idx[i] = std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)));
  }
  return idx;
}

std::pair<double, double> percentile_interval(std::vector<double> s, double level) {
  s.erase(std::remove_if(s.begin(), s.end(), [](double x) { return std::isnan(x); }), s.end());
  if (s.size() < 2) return {kNaN, kNaN};
  std::sort(s.begin(), s.end());
  auto q = [&](double p) {
    const double pos = p * static_cast<double>(s.size() - 1);
    const std::size_t i = static_cast<std::size_t>(pos);
    if (i + 1 >= s.size()) return s.back();
    const double f = pos - static_cast<double>(i);
    return f == 0.0 ? s[i] : s[i] + f * (s[i + 1] - s[i]);
  };
  const double tail = 0.5 * (1.0 - level);
  return {q(tail), q(1.0 - tail)};
}

std::pair<double, double> poisson_rate_interval(double events, double exposure) {
  if (!(exposure > 0)) return {kNaN, kNaN};
  const double lo = events > 0 ? 0.5 * kmc::chi_square_quantile(0.025, 2 * events) / exposure : 0.0;
  const double hi = 0.5 * kmc::chi_square_quantile(0.975, 2 * events + 2) / exposure;
  return {lo, hi};
}

std::vector<GroupEstimates> estimate_groups(const std::vector<ReplicaSums>& replicas, const BootstrapSettings& cfg,
                                            std::uint64_t stream) {
  std::map<std::pair<double, double>, std::vector<const ReplicaSums*>> groups;
  for (const auto& r : replicas) groups[{r.temperature_K, r.concentration_M}].push_back(&r);
  std::vector<GroupEstimates> out;
  std::uint64_t group_index = 0;
  for (const auto& [key, reps] : groups) {
    GroupEstimates g;
    g.temperature_K = key.first;
    g.concentration_M = key.second;
    g.replicas = static_cast<int>(reps.size());
    Pooled all;
    for (const auto* r : reps) {
      all.add(*r);
      g.walkers += r->walkers;
      g.unbinding_events += r->unbinding_events;
      g.binding_events += r->binding_events;
      g.bound_time_s += r->bound_time_s;
      g.unbound_time_s += r->unbound_time_s;
      g.censored_bound_time_s += r->censored_bound_time_s;
      g.walkers_still_bound += r->walkers_still_bound;
      g.passages_to_unbound += r->passages_to_unbound;
      g.passages_to_bound += r->passages_to_bound;
    }
    std::vector<double> kd, pass_u, pass_b;
    const double rt = units::rt_kcal_per_mol(g.temperature_K);
    for (int b = 0; b < cfg.resamples; ++b) {
      Pooled p;
      for (std::size_t i : resample_indices(cfg.seed, (stream << 20) + group_index, static_cast<std::uint64_t>(b), reps.size()))
        p.add(*reps[i]);
      g.koff_samples.push_back(p.koff());
      g.kon_samples.push_back(p.kon());
      kd.push_back(ratio(p.koff(), p.kon()));
      pass_u.push_back(p.passage_rate_to_unbound());
      pass_b.push_back(p.passage_rate_to_bound());
    }
    g.koff_per_s = rate(all.n_unbind, all.bound_s, g.replicas, g.koff_samples);
    g.kon_per_M_per_s = rate(all.n_bind, all.unbound_conc_Ms, g.replicas, g.kon_samples);
    g.residence_time_s = inverse(g.koff_per_s);
    const double kd_value = ratio(all.koff(), all.kon());
    g.kd_M = from_samples(kd_value, kd);
    if (g.koff_per_s.method == "poisson" || g.kon_per_M_per_s.method == "poisson") {
      // Too few events for a bootstrap: the conservative combination of both intervals.
      g.kd_M.ci_low = ratio(g.koff_per_s.ci_low, g.kon_per_M_per_s.ci_high);
      g.kd_M.ci_high = g.kon_per_M_per_s.ci_low > 0 ? g.koff_per_s.ci_high / g.kon_per_M_per_s.ci_low : INFINITY;
      g.kd_M.method = "poisson (koff and kon interval ends combined)";
    }
    auto to_dg = [&](double x) { return x > 0 ? rt * std::log(x / units::kStandardConcentration_M) : (x == 0 ? -INFINITY : kNaN); };
    g.dG_kcal_per_mol = Interval{to_dg(g.kd_M.value), to_dg(g.kd_M.ci_low), to_dg(g.kd_M.ci_high), g.kd_M.method};
    g.mfpt_bound_to_unbound_s = inverse(rate(all.pass_unbound, all.expo_unbound_s, g.replicas, pass_u));
    g.mfpt_unbound_to_bound_s = inverse(rate(all.pass_bound, all.expo_bound_s, g.replicas, pass_b));
    out.push_back(std::move(g));
    ++group_index;
  }
  return out;
}

}  // namespace pk::pipeline
