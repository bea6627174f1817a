// Relaxation of the images of an interpolated path orthogonally to the path
// (a nudged-elastic-band step without springs, the images being fixed in
// their place along the path): each interior image takes a few BFGS steps
// on its energy with the gradient's component along the local tangent
// removed, so it slides off ridges that the straight interpolation crosses
// but keeps its position between the endpoints. Works in the ligand's
// conformation space (position, orientation, torsions); a change is
// (dx 3, rotation vector 3, dtorsion T), applied as Vina applies it.
#pragma once

#include "landscape/path.hpp"

#include <functional>
#include <utility>
#include <vector>

namespace pk::pipeline {

/// Energy of a conformation (kcal/mol).
using ConformationEnergy = std::function<double(const Conformation&)>;

/// conf (+) change: position + dx, orientation = exp(rotation vector) * q, torsions + dtheta.
Conformation apply_change(const Conformation& c, const std::vector<double>& change);

/// The difference b (-) a in change space (position, rotation vector of b q_a^-1 on the short arc, torsion
/// differences on the short arc), so that apply_change(a, difference(a, b)) == b.
std::vector<double> difference(const Conformation& a, const Conformation& b);

/// Gradient in change space by central differences (step 1e-4: Å, rad).
std::vector<double> numerical_gradient(const ConformationEnergy& f, const Conformation& c);

struct RelaxedPath {
  std::vector<Conformation> images;  ///< interior images after relaxation
  std::vector<double> energies;      ///< their energies, kcal/mol
};

/// Interpolates `images` interior images from a to b, then gives each `steps`
/// BFGS steps (Armijo backtracking) with the tangential gradient removed
/// (numerical gradients of f). steps = 0: the plain interpolation. Energies
/// of the endpoints are not included.
RelaxedPath relaxed_path(const Conformation& a, const Conformation& b, int images, int steps, const ConformationEnergy& f);

/// Energies of many conformations at once and, when `gradients` is given,
/// their gradients in change space.
using BatchEnergy = std::function<std::vector<double>(const std::vector<Conformation>& confs,
                                                      std::vector<std::vector<double>>* gradients)>;

/// relaxed_path for many paths at once: every image of every path takes its
/// BFGS steps together, so each step costs two batch evaluations (the
/// gradients, and every image's backtracking trials 1, 1/2, ..., 1/128 at once).
std::vector<RelaxedPath> relaxed_paths(const std::vector<std::pair<Conformation, Conformation>>& ends, int images,
                                       int steps, const BatchEnergy& f);

}  // namespace pk::pipeline
