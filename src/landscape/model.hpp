// The free-energy model of a binding landscape: one documented parameter set
// that turns the Vina energies and the burial of each state into free
// energies, transition states and rates. The same functions serve the
// network builder (`network`, `run`) and the calibration (`calibrate`), so a
// calibrated parameter file means the same thing in both.
//
//   G_state = offset + scale * score + rotor * N_rot * burial
//             + polar * N_polar_buried + apolar * N_apolar_buried
//   G_ts    = max(offset + scale * E_path + max(extra_a, extra_b), G_a, G_b)
//
// score: the state's Vina score (kcal/mol); E_path: the highest Vina energy
// along the relaxed path between two states; burial: the fraction of the
// ligand's heavy atoms with a receptor heavy atom within the contact distance;
// N_polar_buried / N_apolar_buried: buried N/O and other heavy atoms; extra:
// the three burial terms of a state. Rotor term: conformational entropy lost
// by freezing rotatable bonds on binding, ~0.3-0.9 kcal/mol per rotor (Searle &
// Williams, J. Am. Chem. Soc. 114, 10690 (1992); Böhm, J. Comput.-Aided Mol.
// Des. 8, 243 (1994): +0.33 kcal/mol per rotor), scaled by burial. Desolvation:
// per-atom form of atomic solvation parameters (Eisenberg & McLachlan, Nature
// 319, 199 (1986)): burying a polar atom costs its hydration, burying an apolar
// one gains. Internal edges follow Eyring with kappa; bulk edges are
// association rates that do not depend on kappa (diffusion, see bulk_rate).
#pragma once

#include <string>
#include <vector>

namespace pk::landscape {

/// Per-state inputs of the model (what the builder measures).
struct StateFeatures {
  double score_kcal_per_mol = 0;  ///< Vina score of the state's representative
  double burial = 0;              ///< fraction of heavy atoms in contact with the receptor, [0, 1]
  double n_rot = 0;               ///< the ligand's rotatable bonds (Vina's N_rot)
  double polar_buried = 0;        ///< buried N and O heavy atoms
  double apolar_buried = 0;       ///< buried other heavy atoms
};

struct ModelParameters {
  double scale = 1.0;                   ///< dimensionless, > 0
  double offset_kcal_per_mol = 0.0;
  double rotor_kcal_per_mol = 0.0;      ///< per rotatable bond, times burial
  double polar_kcal_per_mol = 0.0;      ///< per buried polar heavy atom
  double apolar_kcal_per_mol = 0.0;     ///< per buried apolar heavy atom
  double log10_kappa = 0.0;             ///< Eyring transmission coefficient of internal edges, log10
  std::string provenance;               ///< where the values come from (file comments, fit statistics)

  double kappa() const;
  /// Names and values in file order, for printing and files.
  std::vector<std::pair<std::string, double>> named() const;
  /// Sets a parameter by its file name; false when the name is unknown.
  bool set(const std::string& name, double value);
};

/// The model's parameter names in file order.
const std::vector<std::string>& parameter_names();

/// The burial terms of a state (kcal/mol).
double burial_terms(const ModelParameters& p, const StateFeatures& f);
/// G_state (kcal/mol, the unbound ligand at 1 M is 0).
double state_free_energy(const ModelParameters& p, const StateFeatures& f);
/// G_ts of an internal edge (kcal/mol), at or above both states.
double ts_free_energy(const ModelParameters& p, double path_max_score_kcal_per_mol, const StateFeatures& a,
                      const StateFeatures& b);

/// G_ts of a bulk edge (kcal/mol): the Eyring transition state that gives the association rate
/// k_assoc (1/(M s), at 1 M) at this temperature and kappa, raised to the state and to the unbound
/// state (G = 0) where it would lie below them.
double bulk_ts_free_energy(double k_assoc_per_M_per_s, double state_free_energy_kcal_per_mol, double temperature_K,
                           double kappa);

/// Checks ranges (scale > 0, finite values, kappa <= 1); pk::InputError naming `source` and the parameter.
void check_parameters(const ModelParameters& p, const std::string& source);

/// Reads a parameter file: `name = value` lines (names of parameter_names()),
/// `#` comments kept as provenance. Unknown or repeated names, missing values,
/// non-finite numbers: pk::InputError with file and line.
ModelParameters read_parameters(const std::string& path);
/// The file text read_parameters reads back (provenance as comments first).
std::string parameters_text(const ModelParameters& p);

}  // namespace pk::landscape
