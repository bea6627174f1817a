// The kinetics a parameter set predicts for one complex, straight from what
// the builder measured (per-state features, path maxima, association rates)
// without rebuilding the network: the calibration evaluates these thousands
// of times. The rates are those the builder writes into network.h5 for the
// same parameters (docs/landscape.md):
//   internal edge a - b: G_ts = ts_free_energy(p, path_max, f_a, f_b) - RT ln kappa_model,
//                        k = kappa_run (k_B T / h) exp(-(G_ts - G_from) / RT) both ways;
//   bulk edge a - unbound: G_ts = bulk_ts_free_energy(k_assoc, G_a, T, kappa_run), the same
//                        Eyring form, unbound at G = 0, association scaled by [L] / 1 M.
// koff = 1 / MFPT(bound -> unbound) from the Boltzmann distribution over the
// bound states; kon = 1 / (MFPT(unbound -> bound) [L]), exactly as `solve`
// reports them (solve/exact.hpp).
#pragma once

#include "landscape/model.hpp"
#include "landscape/passage.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pk::landscape {

struct LandscapeEdge {
  std::int32_t a = 0;
  std::int32_t b = 0;                        ///< -1: the unbound state (a bulk edge)
  double path_max_score_kcal_per_mol = 0;    ///< internal edges: highest Vina energy along the path
  double association_per_M_per_s = 0;        ///< bulk edges: association rate at 1 M
  bool bulk() const { return b < 0; }
};

/// One complex as the model sees it.
struct ComplexLandscape {
  std::string id;       ///< ligand id
  std::string series;
  std::string source;   ///< the network file, for messages
  std::vector<StateFeatures> states;
  std::vector<char> bound;  ///< per state: in the bound macrostate
  std::vector<LandscapeEdge> edges;
  double temperature_K = 300.0;
  double kappa = 1.0;        ///< the run's Eyring kappa (bulk and internal edges), not the model's
  double heavy_atoms = 0.0;  ///< the ligand's heavy atoms
};

/// Throws pk::InputError naming c.source when the landscape is malformed:
/// edge indices out of range, an edge repeated, no bound state, a state with
/// no path to the unbound state, non-finite features, T or kappa out of range.
void check_landscape(const ComplexLandscape& c);

/// The lowest Vina score among the bound states (kcal/mol): the docking baseline.
double best_bound_score_kcal_per_mol(const ComplexLandscape& c);

/// Precomputed elimination plans of one complex; evaluate many parameter sets.
class LandscapeKinetics {
 public:
  /// Checks the landscape (check_landscape) and plans both passage problems.
  explicit LandscapeKinetics(ComplexLandscape c);
  const ComplexLandscape& landscape() const { return c_; }
  /// 1/s; 0 when the bound states lose their path to the bulk (an underflowed rate).
  double koff_per_s(const ModelParameters& p) const;
  /// 1/(M s) at the given ligand concentration (M).
  double kon_per_M_per_s(const ModelParameters& p, double concentration_M = 1.0) const;

 private:
  struct Rates {
    std::vector<double> free_energy_kcal_per_mol;  ///< per built state
    std::vector<double> forward, backward;         ///< per edge: a -> b and b -> a (b = unbound: the last node)
  };
  Rates rates(const ModelParameters& p, double concentration_M) const;
  ComplexLandscape c_;
  std::unique_ptr<PassagePlan> to_unbound_, to_bound_;
};

/// One-off evaluations (plan built on each call; use LandscapeKinetics for many).
double predicted_koff_per_s(const ModelParameters& p, const ComplexLandscape& c);
double predicted_kon_per_M_per_s(const ModelParameters& p, const ComplexLandscape& c, double concentration_M = 1.0);

}  // namespace pk::landscape
