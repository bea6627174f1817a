// The AutoDock Vina 1.2 scoring function on the host, in double precision:
// the five terms over XS surface distances, Vina's precalculated pair table
// (energies sampled at r^2 = i/32 Å^2, a lookup returns the mean of the two
// samples around r^2, as Vina's eval_fast), the 8 Å cutoff, the softening of
// positive energies e -> e v/(v + e) (per ligand atom for the inter term, per
// pair for the intra term), the out-of-box penalty and the N_rot
// normalisation. This is the reference the device kernels are tested against,
// and the direct pairwise form `dock --score_only` prints.
#pragma once

#include "dock/molecule.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace pk::dock {

/// The pair function: Vina's, or Vinardo (Quiroga & Villarreal 2016, as in
/// Vina 1.2.3's --scoring vinardo: its own radii, no second gaussian).
enum class ScoringFunction { vina, vinardo };

/// Term weights (Vina 1.2 defaults) and the torsional weight of
/// 1 + w_rot N_rot; `function` picks the terms the weights multiply.
struct ScoringWeights {
  ScoringFunction function = ScoringFunction::vina;
  double gauss1 = -0.035579;
  double gauss2 = -0.005156;
  double repulsion = 0.840245;
  double hydrophobic = -0.035069;
  double hydrogen = -0.587439;
  double rot = 0.05846;
  /// Vinardo's default weights (Vina 1.2.3's --weight_vinardo_*).
  static ScoringWeights vinardo() {
    ScoringWeights w;
    w.function = ScoringFunction::vinardo;
    w.gauss1 = -0.045, w.gauss2 = 0.0, w.repulsion = 0.8, w.hydrophobic = -0.035, w.hydrogen = -0.6;
    w.rot = 0.05846;
    return w;
  }
};

constexpr double kCutoffAngstrom = 8.0;
constexpr double kTableSamplesPerA2 = 32.0;  ///< Vina's precalculate factor
constexpr double kOutOfBoxSlope = 1e6;       ///< kcal/mol per Å outside the box (Vina's slope)
constexpr double kCapSearch = 10.0;          ///< softening v while searching (kcal/mol)
constexpr double kCapFinal = 1000.0;         ///< softening v for the final scores (kcal/mol)
constexpr double kGridSpacingAngstrom = 0.375;
constexpr int kNumTerms = 5;

/// The five unweighted terms of one atom pair at distance r (Å); all 0 for
/// r >= 8 Å or a hydrogen. Order: gauss1, gauss2, repulsion, hydrophobic, hydrogen.
/// Vinardo: surface distance from Vinardo's radii (C 2.0, N 1.7, O 1.6 Å, the
/// rest as Vina's), gauss1 exp(-(d/0.8)^2), gauss2 0, repulsion d^2 (d < 0),
/// hydrophobic 1 at d <= 0 to 0 at 2.5, hydrogen bond 1 at d <= -0.6 to 0 at 0.
std::array<double, kNumTerms> pair_terms(int xs1, int xs2, double r_angstrom,
                                         ScoringFunction f = ScoringFunction::vina);
const char* scoring_function_name(ScoringFunction f);
const char* term_name(int t);
/// Weighted sum of the terms (kcal/mol).
double pair_energy(const ScoringWeights& w, int xs1, int xs2, double r_angstrom);

/// Vina's precalculated table: for every XS type pair, the weighted energy at
/// r^2 = i/32 Å^2, i = 0 .. 64*32 + 2; `fast` is the mean of samples i and i+1.
class PairTable {
 public:
  explicit PairTable(const ScoringWeights& w);
  /// The table of weights `w`, built once per process (a docking run builds
  /// its grid maps and scores its poses with the same weights).
  static const PairTable& shared(const ScoringWeights& w);
  int n_samples() const { return n_; }
  ScoringFunction function() const { return function_; }
  /// Energy of a type pair at squared distance r2 < 64 Å^2, as Vina's eval_fast.
  double fast(int xs1, int xs2, double r2) const {
    return fast_[pair_index(xs1, xs2) * n_ + static_cast<int>(kTableSamplesPerA2 * r2)];
  }
  /// The whole `fast` array, pair-major (pair_index(t1, t2) * n_samples + i).
  const std::vector<double>& fast_values() const { return fast_; }
  static int pair_index(int t1, int t2) {
    if (t1 > t2) std::swap(t1, t2);
    return t1 * kXsCount + t2;  // a square index (simpler than triangular, same lookups)
  }

 private:
  int n_ = 0;
  ScoringFunction function_ = ScoringFunction::vina;
  std::vector<double> fast_;
};

/// A search box as Vina lays out its grid: n = ceil(size / spacing) voxels
/// a side, centred on `center`, so [begin, end] spans n * spacing.
struct GridBox {
  std::array<double, 3> center{0, 0, 0};
  std::array<double, 3> size{0, 0, 0};  ///< requested size, Å
  std::array<int, 3> n{0, 0, 0};        ///< voxels a side (points = n + 1)
  std::array<double, 3> begin{0, 0, 0}, end{0, 0, 0};
  double spacing = kGridSpacingAngstrom;
  static GridBox from_center_size(const std::array<double, 3>& center, const std::array<double, 3>& size,
                                  double spacing = kGridSpacingAngstrom);
  /// Inside [begin, end] with Vina's 1e-4 Å margin.
  bool contains(const std::array<double, 3>& x) const;
};

/// Unweighted term sums, kcal/mol-free (each term's own unit).
using TermSums = std::array<double, kNumTerms>;

/// One pose scored as `vina --score_only` scores it.
struct PoseScore {
  double inter = 0;       ///< ligand-receptor, kcal/mol (softened per atom, v = 1000)
  double intra = 0;       ///< ligand internal, kcal/mol (softened per pair, v = 1000)
  double total = 0;       ///< Estimated Free Energy of Binding: (inter + intra - intra_ref) / (1 + w_rot N_rot)
  double torsional_normalisation = 1;  ///< 1 + w_rot N_rot
  double out_of_box_penalty = 0;       ///< included in inter
  TermSums inter_terms{};              ///< unweighted, unsoftened sums over ligand-receptor pairs
  TermSums intra_terms{};              ///< the same over the intramolecular pairs
};

/// Receptor atoms that score (heavy atoms), packed for fast loops.
struct ReceptorAtoms {
  std::vector<std::array<double, 3>> xyz;
  std::vector<int> xs;
  static ReceptorAtoms of(const Receptor& r);
};

/// Direct pairwise inter energy of ligand atoms at `xyz` (Vina's non_cache):
/// each heavy atom clamped into the box (penalty slope x Å outside), summed
/// over receptor atoms within 8 Å, softened with cap v; `terms` (optional)
/// gets the unweighted term sums.
double inter_energy(const PairTable& table, const ReceptorAtoms& rec, const Ligand& lig,
                    const std::vector<std::array<double, 3>>& xyz, const GridBox& box, double cap,
                    double* penalty = nullptr, TermSums* terms = nullptr);
/// Intramolecular energy over lig.intra_pairs, each pair softened with cap v.
double intra_energy(const PairTable& table, const Ligand& lig, const std::vector<std::array<double, 3>>& xyz,
                    double cap, TermSums* terms = nullptr);

/// Scores a pose exactly as `vina --score_only` (intra_ref = this pose's intra).
PoseScore score_only(const PairTable& table, const ScoringWeights& w, const ReceptorAtoms& rec, const Ligand& lig,
                     const std::vector<std::array<double, 3>>& xyz, const GridBox& box);

/// Several ligands of one complex scored together, as `vina --score_only`
/// with repeated --ligand (Vina 1.2's multi-ligand model): each ligand's
/// atoms against the receptor, every heavy-atom pair of two different ligands
/// (table energy, softened per pair, 8 Å cutoff), and each ligand's own intra.
struct ComplexScore {
  double ligand_receptor = 0;  ///< kcal/mol, summed over the ligands
  double ligand_ligand = 0;    ///< kcal/mol, pairs of different ligands (Vina prints it as "Ligand - Flex side chains")
  double intra = 0;            ///< kcal/mol, summed over the ligands
  double inter = 0;            ///< ligand_receptor + ligand_ligand
  double total = 0;            ///< inter / (1 + w_rot sum of N_rot), as vina --score_only
  double torsional_normalisation = 1;
  double out_of_box_penalty = 0;
  TermSums ligand_receptor_terms{}, ligand_ligand_terms{}, intra_terms{};
};
ComplexScore score_together(const PairTable& table, const ScoringWeights& w, const ReceptorAtoms& rec,
                            const std::vector<const Ligand*>& ligands,
                            const std::vector<std::vector<std::array<double, 3>>>& xyz, const GridBox& box);

/// The ligand's input coordinates.
std::vector<std::array<double, 3>> input_coordinates(const Ligand& lig);

}  // namespace pk::dock
