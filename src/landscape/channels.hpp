// States along the exit channels of a pocket: the ligand's best docked pose
// is pushed outward along rays spread evenly over the sphere (a Fibonacci
// lattice), and at every step along a ray the ligand is relaxed by BFGS with
// its root position held on the plane across the ray (orientation, torsions
// and the two lateral coordinates free). The relaxed images are positions a
// ligand can hold on its way out: vestibule, groove and surface states. A ray
// ends at the first image whose Vina energy is above `max_energy` (the
// protein blocks it) or whose burial falls below `surface_burial` (the ligand
// has reached the solvent: a surface state, the last of that ray).
//
// This is a constrained-optimisation scan along candidate egress directions,
// the idea behind the ray-casting tunnel searches of CAVER (Chovancova et al.,
// PLoS Comput. Biol. 8, e1002708 (2012)) and the restrained egress scans of
// ligand-unbinding studies, applied with the Vina energy of the docking code.
// The rays are marched: each step starts from the previous relaxed image.
#pragma once

#include "landscape/path_relax.hpp"

#include <functional>
#include <vector>

namespace pk::landscape {

using pipeline::BatchEnergy;
using pipeline::Conformation;
using pipeline::Vec3;

struct ChannelSettings {
  int rays = 0;                          ///< directions from the pocket; 0: no channel states
  double step_angstrom = 2.0;            ///< spacing of the images along a ray
  double length_angstrom = 16.0;         ///< how far a ray goes at most
  int relax_steps = 20;                  ///< BFGS steps per image (plane across the ray)
  double max_energy_kcal_per_mol = 10.0;  ///< a ray ends before an image above this (blocked)
  double surface_burial = 0.5;           ///< a ray ends at the first image buried less than this (surface)
};

struct ChannelImage {
  int ray = 0, depth = 0;            ///< depth 1 is one step out of the pocket
  Conformation conformation;         ///< relaxed
  double energy_kcal_per_mol = 0;    ///< on the scale of the pose scores
  double burial = 0;                 ///< as measured by the caller's function
  bool surface = false;              ///< the ray's last image, out in the solvent
};

/// n unit vectors spread evenly over the sphere (Fibonacci lattice; deterministic).
std::vector<Vec3> sphere_directions(int n);

/// The channel images of every ray from `start` (all rays' images relaxed in
/// one batch). `burial` gives the fraction of heavy atoms in contact with the
/// receptor for a conformation.
std::vector<ChannelImage> sample_channels(const Conformation& start, const ChannelSettings& cfg, const BatchEnergy& energy,
                                          const std::function<double(const Conformation&)>& burial);

/// pk::UsageError naming the option for a bad setting.
void check_channel_settings(const ChannelSettings& cfg);

}  // namespace pk::landscape
