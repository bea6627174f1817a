// Energies and conformation-space gradients of many ligand conformations at
// once, on the device, with the docking code's scorer: Vina's grid maps and
// intramolecular term (kernels/dock_score.hpp, built by src/dock/grid) and its
// torsion-tree kinematics (kernels/dock_kinematics.hpp). The images of all the
// paths of a network are scored through this in batches. This header holds no
// Kokkos, so host-only code can use it.
#pragma once

#include "landscape/path.hpp"

#include <memory>
#include <vector>

namespace pk::dock {
struct Ligand;
struct Receptor;
struct GridBox;
}  // namespace pk::dock

namespace pk::pipeline {

class BatchScorer {
 public:
  /// Builds the grid maps over `box` on the device. Outside the box an atom
  /// takes the value of the nearest face point (no out-of-box penalty: the
  /// box is a search restraint, not part of the energy).
  BatchScorer(const dock::Receptor& receptor, const dock::Ligand& ligand, const dock::GridBox& box, double cap);
  ~BatchScorer();
  BatchScorer(const BatchScorer&) = delete;
  BatchScorer& operator=(const BatchScorer&) = delete;

  /// inter + intra (kcal/mol, softened with v = cap) of each conformation;
  /// with `gradients`, dE/d(change) (position 3, rotation vector 3, torsions).
  std::vector<double> evaluate(const std::vector<Conformation>& confs,
                               std::vector<std::vector<double>>* gradients) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pk::pipeline
