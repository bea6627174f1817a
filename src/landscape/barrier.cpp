#include "landscape/barrier.hpp"

#include "core/error.hpp"
#include "dock/molecule.hpp"
#include "dock/scoring.hpp"
#include "landscape/batch_scorer.hpp"
#include "landscape/ligand_kinematics.hpp"
#include "landscape/path_relax.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>

namespace pk::pipeline {

namespace {

/// Everything the path energy needs, shared by the PathEnergy closure.
struct Scorer {
  dock::Ligand ligand;
  dock::ReceptorAtoms receptor;
  dock::PairTable table{dock::ScoringWeights{}};
  dock::GridBox box;
  double intra_best = 0, normalisation = 1, cap = dock::kCapSearch;
  std::unique_ptr<LigandKinematics> kinematics;
  std::unique_ptr<BatchScorer> device;  ///< set when the device scorer is used

  /// Vina's final score formula for any coordinates: (inter + intra - intra of the best pose) / (1 + w_rot N_rot).
  double score(const Coords& xyz) const {
    const double inter = dock::inter_energy(table, receptor, ligand, xyz, box, cap);
    const double intra = dock::intra_energy(table, ligand, xyz, cap);
    return (inter + intra - intra_best) / normalisation;
  }
};

/// One box holding every search box, grown by `margin` on every side, so that no image of a path
/// pays the search's out-of-box penalty (a search artefact, not part of the energy).
dock::GridBox union_box(const std::vector<SearchBox>& boxes, double margin) {
  std::array<double, 3> lo{INFINITY, INFINITY, INFINITY}, hi{-INFINITY, -INFINITY, -INFINITY};
  for (const auto& b : boxes)
    for (int d = 0; d < 3; ++d) {
      lo[d] = std::min(lo[d], b.center_angstrom[d] - 0.5 * b.size_angstrom[d] - margin);
      hi[d] = std::max(hi[d], b.center_angstrom[d] + 0.5 * b.size_angstrom[d] + margin);
    }
  std::array<double, 3> center{}, size{};
  for (int d = 0; d < 3; ++d) center[d] = 0.5 * (lo[d] + hi[d]), size[d] = hi[d] - lo[d];
  return dock::GridBox::from_center_size(center, size);
}

}  // namespace

PathEnergyModel make_path_energy(const PosesFile& poses, const LigandPoses& lig, const std::string& receptor_path,
                                 int images, int relax_steps, const std::string& scorer,
                                 const std::vector<SearchBox>& extra_boxes) {
  if (scorer != "device" && scorer != "host")
    throw UsageError("pandakinetics network: --path-scorer must be device or host, got '" + scorer + "'");
  auto s = std::make_shared<Scorer>();
  const auto models = dock::parse_ligands(lig.pdbqt, poses.path + ":/ligands/" + lig.name + "@pdbqt");
  s->ligand = models.at(0);
  if (s->ligand.n_atoms() != lig.n_atoms || s->ligand.n_torsions() != lig.n_torsions)
    throw InputError(poses.path, 0, "/ligands/" + lig.name + ": its pdbqt text has " + std::to_string(s->ligand.n_atoms()) +
                                        " atoms and " + std::to_string(s->ligand.n_torsions()) + " torsions, the datasets " +
                                        std::to_string(lig.n_atoms) + " and " + std::to_string(lig.n_torsions));
  const dock::Receptor receptor = dock::read_receptor(receptor_path);
  s->receptor = dock::ReceptorAtoms::of(receptor);
  // Every image atom lies within the ligand's reach (largest atom distance from the root origin) of a
  // root position between two poses, and every pose's root lies inside its box.
  double reach = 0;
  for (int p = 0; p < lig.n_poses(); ++p)
    for (const auto& x : lig.coordinates[p]) {
      double r2 = 0;
      for (int d = 0; d < 3; ++d) r2 += (x[d] - lig.position_angstrom[p][d]) * (x[d] - lig.position_angstrom[p][d]);
      reach = std::max(reach, std::sqrt(r2));
    }
  std::vector<SearchBox> boxes = poses.boxes;
  boxes.insert(boxes.end(), extra_boxes.begin(), extra_boxes.end());
  s->box = union_box(boxes, reach + 1.0);
  s->normalisation = 1 + dock::ScoringWeights{}.rot * s->ligand.n_rot;
  const int best = static_cast<int>(std::min_element(lig.score_kcal_per_mol.begin(), lig.score_kcal_per_mol.end()) -
                                    lig.score_kcal_per_mol.begin());
  s->intra_best = lig.intra_kcal_per_mol[best];
  s->kinematics = std::make_unique<LigandKinematics>(s->ligand);
  if (scorer == "device") s->device = std::make_unique<BatchScorer>(receptor, s->ligand, s->box, s->cap);
  // The stored conformations must rebuild the stored coordinates.
  for (int p = 0; p < lig.n_poses(); ++p) {
    const Coords c = s->kinematics->coordinates(conformation_of(lig, p));
    for (int a = 0; a < lig.n_atoms; ++a)
      for (int d = 0; d < 3; ++d)
        if (std::abs(c[a][d] - lig.coordinates[p][a][d]) > 1e-3)
          throw InputError(poses.path, 0, "/ligands/" + lig.name + " pose " + std::to_string(p) +
                                              ": position/orientation/torsions do not rebuild coordinates_angstrom (atom " +
                                              std::to_string(a) + " off by more than 1e-3 Å)");
  }
  PathEnergyModel m;
  // Vina's score formula and its gradient for a batch of conformations.
  const BatchEnergy batch = [s](const std::vector<Conformation>& confs, std::vector<std::vector<double>>* grads) {
    std::vector<double> e;
    if (s->device) {
      e = s->device->evaluate(confs, grads);
      for (double& x : e) x = (x - s->intra_best) / s->normalisation;
      if (grads)
        for (auto& g : *grads)
          for (double& x : g) x /= s->normalisation;
      return e;
    }
    const ConformationEnergy f = [s](const Conformation& c) { return s->score(s->kinematics->coordinates(c)); };
    for (const auto& c : confs) e.push_back(f(c));
    if (grads) {
      grads->clear();
      for (const auto& c : confs) grads->push_back(numerical_gradient(f, c));
    }
    return e;
  };
  m.batch = batch;
  m.coordinates = [s](const Conformation& c) { return s->kinematics->coordinates(c); };
  m.n_rot = s->ligand.n_rot;
  m.energy = [batch, relax_steps](const LigandPoses& l, const std::vector<std::pair<int, int>>& pairs, int n) {
    std::vector<std::pair<Conformation, Conformation>> ends;
    for (const auto& [a, b] : pairs) ends.emplace_back(conformation_of(l, a), conformation_of(l, b));
    std::vector<std::vector<double>> out;
    for (const auto& path : relaxed_paths(ends, n, relax_steps, batch)) out.push_back(path.energies);
    return out;
  };
  std::ostringstream d;
  d << "internal-coordinate path (root position linear, orientation by slerp, torsions along the shorter angle), "
    << images << " images, each relaxed orthogonally to the path by up to " << relax_steps << " BFGS steps, scored with "
    << (scorer == "device"
            ? "the docking code's device scorer (Vina grid maps over the search boxes grown by the ligand's reach, "
              "trilinear interpolation, analytic gradient through the torsion-tree kinematics; kernels/dock_score.hpp), "
              "all images of all paths in batches"
            : "the docking code's host Vina scoring (direct pairwise, src/dock/scoring; numerical gradient)")
    << ", search softening v = 10, no out-of-box penalty: (inter + intra - intra of the best pose) / (1 + 0.05846 N_rot)";
  m.description = d.str();
  return m;
}

}  // namespace pk::pipeline
