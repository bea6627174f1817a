#include "pipeline/ligand_kinematics.hpp"

#include "dock/kinematics.hpp"
#include "dock/molecule.hpp"

namespace pk::pipeline {

struct LigandKinematics::Impl {
  dock::TreeHost tree;
};

LigandKinematics::LigandKinematics(const dock::Ligand& ligand) : impl_(new Impl{dock::tree_of(ligand)}) {}

LigandKinematics::~LigandKinematics() = default;

Coords LigandKinematics::coordinates(const Conformation& c) const { return dock::coordinates_of(impl_->tree, c); }

}  // namespace pk::pipeline
