// Physical constants (CODATA 2018 exact SI values where defined) and unit
// conversions. Names carry their units.
#pragma once

namespace pk::units {

inline constexpr double kBoltzmann_J_per_K = 1.380649e-23;
inline constexpr double kPlanck_J_s = 6.62607015e-34;
inline constexpr double kAvogadro_per_mol = 6.02214076e23;
/// Gas constant in kcal/(mol K): k_B N_A / 4184 J/kcal.
inline constexpr double kGas_kcal_per_mol_K = kBoltzmann_J_per_K * kAvogadro_per_mol / 4184.0;
/// Standard-state concentration for binding free energies.
inline constexpr double kStandardConcentration_M = 1.0;

/// The physical range every input temperature and ligand concentration is
/// checked against where it is read (issue 19): (0, 1e4] K covers any
/// experiment and keeps exp(-dG/RT) meaningful; (0, 1e3] M is beyond any
/// solution (pure water is 55 M), so a larger value is a typo or a unit slip.
inline constexpr double kMaxTemperature_K = 1e4;
inline constexpr double kMaxConcentration_M = 1e3;
constexpr bool temperature_in_range(double temperature_K) {
  return temperature_K > 0 && temperature_K <= kMaxTemperature_K;  // false for NaN
}
constexpr bool concentration_in_range(double concentration_M) {
  return concentration_M > 0 && concentration_M <= kMaxConcentration_M;
}

/// k_B T / h in 1/s (6.25e12 s^-1 at 300 K).
constexpr double eyring_prefactor_per_s(double temperature_K) {
  return kBoltzmann_J_per_K * temperature_K / kPlanck_J_s;
}

/// R T in kcal/mol.
constexpr double rt_kcal_per_mol(double temperature_K) { return kGas_kcal_per_mol_K * temperature_K; }

}  // namespace pk::units
