// Coordinates of a docked ligand from its conformation (root position,
// orientation, torsions), through the docking code's torsion-tree kinematics
// (src/dock/kinematics, compiled with Kokkos). This header holds no Kokkos,
// so host-only code can use it.
#pragma once

#include "landscape/path.hpp"

#include <memory>

namespace pk::dock {
struct Ligand;
}

namespace pk::pipeline {

class LigandKinematics {
 public:
  explicit LigandKinematics(const dock::Ligand& ligand);
  ~LigandKinematics();
  LigandKinematics(const LigandKinematics&) = delete;
  LigandKinematics& operator=(const LigandKinematics&) = delete;
  /// Every atom of the ligand (PDBQT order), Å.
  Coords coordinates(const Conformation& c) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pk::pipeline
