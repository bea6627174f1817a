// The device path scorer on the Debian test complex (inputs/dock): its
// conformation-space gradient (grid gradient taken through the torsion-tree
// kinematics) against central differences of its own energies, and its
// energy against the host pairwise Vina reference (src/dock/scoring).
#include "core/source_paths.hpp"
#include "dock/molecule.hpp"
#include "dock/scoring.hpp"
#include "landscape/batch_scorer.hpp"
#include "landscape/ligand_kinematics.hpp"
#include "landscape/path_relax.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace pk::pipeline;

namespace {
const std::string kInputs = std::string(PK_SOURCE_DIR) + "/inputs/dock/";
}

TEST(PipelineBatchScorer, GradientMatchesFiniteDifferencesAndEnergyTheHostReference) {
  const pk::dock::Receptor receptor = pk::dock::read_receptor(kInputs + "protein.pdbqt");
  const pk::dock::Ligand ligand = pk::dock::read_ligands(kInputs + "ligand.pdbqt").at(0);
  const auto box = pk::dock::GridBox::from_center_size({11, 90.5, 57.5}, {40, 42, 46});
  const BatchScorer scorer(receptor, ligand, box, pk::dock::kCapSearch);
  const LigandKinematics kin(ligand);
  const pk::dock::PairTable table{pk::dock::ScoringWeights{}};
  const auto rec = pk::dock::ReceptorAtoms::of(receptor);

  std::mt19937 gen(7);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<Conformation> confs;
  for (int k = 0; k < 6; ++k) {
    // Root near the pocket, random orientation and torsions.
    Conformation c = {11 + 2 * u(gen), 90.5 + 2 * u(gen), 57.5 + 2 * u(gen), 1 + u(gen), u(gen), u(gen), u(gen)};
    double n = 0;
    for (int i = 3; i < 7; ++i) n += c[i] * c[i];
    for (int i = 3; i < 7; ++i) c[i] /= std::sqrt(n);
    for (int t = 0; t < ligand.n_torsions(); ++t) c.push_back(3 * u(gen));
    confs.push_back(c);
  }
  std::vector<std::vector<double>> grads;
  const std::vector<double> e = scorer.evaluate(confs, &grads);
  const double h = 1e-6;
  for (std::size_t k = 0; k < confs.size(); ++k) {
    // Energy: grid interpolation against the direct pairwise sum (same softening, no box penalty).
    const Coords xyz = kin.coordinates(confs[k]);
    const double host = pk::dock::inter_energy(table, rec, ligand, xyz, box, pk::dock::kCapSearch) +
                        pk::dock::intra_energy(table, ligand, xyz, pk::dock::kCapSearch);
    EXPECT_NEAR(e[k], host, 0.05 * std::abs(host) + 0.5) << "conformation " << k;
    // Gradient: central differences of the scorer's own energies, every change coordinate.
    std::vector<Conformation> probes;
    for (std::size_t d = 0; d < grads[k].size(); ++d)
      for (double sgn : {1.0, -1.0}) {
        std::vector<double> step(grads[k].size(), 0.0);
        step[d] = sgn * h;
        probes.push_back(apply_change(confs[k], step));
      }
    const std::vector<double> ep = scorer.evaluate(probes, nullptr);
    double norm = 0;
    for (double g : grads[k]) norm += g * g;
    norm = std::sqrt(norm);
    for (std::size_t d = 0; d < grads[k].size(); ++d) {
      const double fd = (ep[2 * d] - ep[2 * d + 1]) / (2 * h);
      EXPECT_NEAR(grads[k][d], fd, 1e-4 * norm + 1e-4) << "conformation " << k << ", coordinate " << d;
    }
  }
}
