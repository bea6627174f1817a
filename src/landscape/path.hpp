// Interpolated paths between two docked poses, for the barrier of a network
// edge: in Cartesian space (every model atom on a straight line), or in the
// ligand's internal coordinates (root position linear, orientation by
// spherical linear interpolation of the quaternions along the shorter arc,
// each torsion along the shorter angle).
#pragma once

#include "dock/poses_in.hpp"

#include <vector>

namespace pk::pipeline {

/// Conformation: position (Å) 3, unit quaternion wxyz 4, torsions (rad).
using Conformation = std::vector<double>;

/// `images` interior points (endpoints excluded), at t = k / (images + 1).
std::vector<Coords> cartesian_images(const Coords& a, const Coords& b, int images);

/// Interpolation of two conformations at t in [0, 1].
Conformation interpolate_conformation(const Conformation& a, const Conformation& b, double t);

/// `images` interior conformations (endpoints excluded), at t = k / (images + 1).
std::vector<Conformation> conformation_images(const Conformation& a, const Conformation& b, int images);

/// The conformation of pose p of a ligand (position, orientation, torsions).
Conformation conformation_of(const LigandPoses& lig, int p);

}  // namespace pk::pipeline
