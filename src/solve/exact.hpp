// Exact binding kinetics of a network: koff, kon, Kd, dG, first-passage
// moments and curves, everything the kinetic Monte Carlo estimates, from the
// master equation. Written to HDF5 (/exact) and to the JSON summary.
#pragma once

#include "io/hdf5.hpp"
#include "io/json.hpp"
#include "network/network.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pk::solve {

struct ExactKinetics {
  std::int32_t n_states = 0;
  double temperature_K = 0.0;
  double concentration_M = 0.0;
  double lag_time_s = 0.0;  ///< > 0 for a discrete-time model

  double koff_per_s = 0.0;                          ///< 1 / residence_time_s
  double residence_time_s = 0.0;                    ///< MFPT bound -> unbound, over the bound start distribution
  double residence_time_second_moment_s2 = 0.0;
  double mfpt_unbound_to_bound_s = 0.0;             ///< over the unbound start distribution
  double mfpt_unbound_to_bound_second_moment_s2 = 0.0;
  double kon_per_M_per_s = 0.0;                     ///< 1 / (mfpt_unbound_to_bound_s * concentration_M)
  double kd_M = 0.0;                                ///< koff / kon
  double dG_kcal_per_mol = 0.0;                     ///< RT ln(Kd / 1 M)

  /// Steady-state (renewal) rates, the exact counterparts of the KMC
  /// estimators (events / phase time): koff = J / P(bound phase), kon =
  /// J / (P(unbound phase) [L]), with J the stationary flux of unbinding
  /// events and the phases defined by the last macrostate visited (backward
  /// committors). They weight the bound states by where binding walkers
  /// arrive, where koff_per_s above averages over the Boltzmann start.
  double koff_renewal_per_s = 0.0;
  double kon_renewal_per_M_per_s = 0.0;

  std::vector<double> stationary;           ///< per state
  std::vector<double> committor_to_bound;   ///< per state: reach bound before unbound
  std::vector<double> mfpt_to_unbound_s;    ///< per state
  std::vector<double> mfpt_to_bound_s;      ///< per state
  std::vector<double> relaxation_times_s;   ///< descending

  std::vector<double> times_s;              ///< the time grid
  std::vector<double> bound_survival;       ///< S(t): not yet unbound, from the bound start
  std::vector<double> binding_cdf;          ///< F(t): bound by t, from the unbound start
  std::vector<double> occupancy;            ///< P(t) from the unbound start, row-major times x n_states

  /// Empty when the relaxation times and curves were computed; otherwise why
  /// they are empty ("time-dependent curves are computed only up to N states").
  std::string time_dependent_note;
};

/// Largest network whose relaxation times, P(t), S(t) and F(t)
/// exact_kinetics computes by default: they are dense (n^2 memory, n^3 time).
/// First-moment quantities have no size limit (sparse above kDenseExactStates).
inline constexpr std::int32_t kMaxTimeDependentStates = 3000;

/// Throws pk::InputError when the network has no bound or no unbound state,
/// or is reducible; pk::SystemError, naming the quantity, when a sparse solve
/// loses accuracy. Networks above max_time_dependent_states get no relaxation
/// times or curves (time_dependent_note says so).
ExactKinetics exact_kinetics(const network::Network& net, const network::Conditions& cond,
                             const std::vector<double>& times_s,
                             std::int32_t max_time_dependent_states = kMaxTimeDependentStates);

/// Collective: every rank of the file's communicator calls it with the same
/// values; rank 0 writes. Every dataset has a `unit` attribute; scalars are
/// 1-element datasets; occupancy is flattened with an attribute shape = {T, n}.
void write_exact_h5(const io::File& file, const ExactKinetics& exact, const std::string& group = "/exact");

/// Writes the scalars (units in the key names), the relaxation times and the
/// curves as members of the object the writer is in.
void write_exact_json(io::JsonWriter& json, const ExactKinetics& exact);

}  // namespace pk::solve
