// Docked poses -> a kinetic network (`pandakinetics network`).
//
// States: the poses of one ligand, over all search boxes, clustered by RMSD
// (leader clustering in a canonical order: score, then coordinates, so the
// result does not depend on the order the poses are given in); each cluster
// is a `bound` state whose free energy is offset + scale x (its best pose's
// score), plus one `unbound` state at G = 0 (1 M standard state).
// Edges: clusters whose representatives are within an RMSD or centroid
// cutoff; the transition-state free energy is offset + scale x (the highest
// energy along a path between the two representatives, endpoints included),
// so both directions' Eyring rates satisfy detailed balance.
// Bulk exchange: solvent-exposed states (centroid near the surface of their
// search box, or few ligand atoms in contact with the receptor) connect to
// `unbound`; association k_D = 4 pi D R N_A, split evenly over the exposed
// states, stored as the Eyring transition state that gives that rate at the
// build temperature and kappa; dissociation follows by detailed balance.
#pragma once

#include "landscape/channels.hpp"
#include "landscape/model.hpp"
#include "network/network.hpp"
#include "dock/poses_in.hpp"

#include <functional>
#include <string>
#include <vector>

namespace pk::pipeline {

struct NetworkSettings {
  std::string ligand;                    ///< "" = the only ligand of the file
  double cluster_rmsd_angstrom = 2.0;    ///< poses within this of a cluster's best pose join it
  double edge_rmsd_angstrom = 6.0;       ///< states connected when their representatives' RMSD <= this ...
  double edge_centroid_angstrom = 4.0;   ///< ... or their centroids are within this
  landscape::ModelParameters model;      ///< free energies: G = offset + scale * score (+ burial terms)
  landscape::ChannelSettings channels;   ///< channel states (rays > 0: the landscape mode, see below)
  double patch_radius_angstrom = 1.0;    ///< landscape mode: Berg-Purcell patch radius of a surface state
  bool ligand_orientation = true;        ///< landscape mode: the ligand's contact patch must face the receptor too
  double temperature_K = 300.0, kappa = 1.0;  ///< for the bulk transition state (Eyring form)
  double diffusion_m2_per_s = 6e-10;     ///< relative diffusion coefficient ligand/receptor
  double capture_radius_angstrom = 5.0;  ///< encounter radius R of k_D = 4 pi D R N_A
  double surface_margin_angstrom = 3.0;  ///< exposed: centroid within this of its box surface ...
  double contact_distance_angstrom = 4.0;  ///< ... or fewer than exposed_contact_fraction of the heavy atoms
  double exposed_contact_fraction = 0.5;   ///<     have a receptor heavy atom within contact_distance
  int images = 8;                        ///< interior images along each path
  double max_barrier_kcal_per_mol = 60;  ///< path edges with a higher barrier (from the lower state) are left out
  bool drop_unconnected = false;         ///< drop states with no path to unbound (else an error)
};

/// For each pair (pose a, pose b) of `lig`: the energies (kcal/mol, on the
/// scale of the pose scores) of `images` interior images of the path from a
/// to b (endpoints excluded). All pairs come in one call so they can be
/// scored in batches.
using PathEnergy = std::function<std::vector<std::vector<double>>(
    const LigandPoses& lig, const std::vector<std::pair<int, int>>& pairs, int images)>;

/// Where a state lies on the way out (landscape mode; otherwise every state is Pocket).
enum class Layer : int { Pocket = 0, Channel = 1, Surface = 2 };
const char* to_string(Layer l);

struct BuiltState {
  std::string name;
  int representative = 0;         ///< pose index in the file
  std::vector<int> members;       ///< pose indices in the file
  double score_kcal_per_mol = 0, free_energy_kcal_per_mol = 0;
  Vec3 centroid_angstrom{0, 0, 0};
  int site = 0;
  double surface_distance_angstrom = 0;  ///< centroid to its box's surface (negative: outside)
  double contact_fraction = 0;           ///< heavy atoms with a receptor heavy atom within the contact distance
  bool exposed = false;
  Layer layer = Layer::Pocket;
  int ray = -1, depth = 0;                ///< channel states: the ray and the step along it
  double pocket_distance_angstrom = 0;   ///< centroid to the pocket's best pose's centroid
  landscape::StateFeatures features;     ///< what the free-energy model reads
};

struct BuiltEdge {
  int a = 0, b = 0;                 ///< indices into BuiltNetwork::states; b = -1: the unbound state
  double rmsd_angstrom = 0, centroid_distance_angstrom = 0;
  double path_max_score_kcal_per_mol = 0;  ///< path edges: highest energy along the path
  double ts_free_energy_kcal_per_mol = 0;
  bool clamped = false;             ///< bulk edge whose transition state was raised to its upper endpoint
  double association_per_M_per_s = 0;  ///< bulk edges: the association rate the transition state encodes
};

struct BuiltNetwork {
  int edges_over_max_barrier = 0;   ///< neighbours left unconnected: barrier above the maximum
  network::Network net;             ///< states: the built states in order, then `unbound` (last)
  std::vector<BuiltState> states;
  std::vector<BuiltEdge> edges;
  std::vector<std::string> dropped;  ///< states removed for having no path to unbound
  double k_diffusion_per_M_per_s = 0;
  int exposed = 0;
  bool landscape = false;              ///< channel states present: pocket states are `bound`, the others `other`
  int heavy_atoms = 0;                 ///< the ligand's heavy atoms
  double encounter_radius_angstrom = 0;  ///< landscape mode: R of k_D (receptor + ligand radii)
  double ligand_orientation_factor = 1;  ///< landscape mode: a / (a + pi r_L), or 1 (see ligand_orientation_factor)
};

/// Free energy of the unbound state: the 1 M standard state is the reference.
inline constexpr double kUnboundFreeEnergy = 0.0;

/// Fills `out.net` from its states and edges: states c1..cn (ids 1..n) in
/// order, then `unbound` (id 0); every edge as two Eyring directions (b = -1:
/// unbound). Also names the states and counts the exposed ones.
void lay_out_network(BuiltNetwork& out, const std::string& source);

/// k_D = 4 pi D R N_A in 1/(M s) (D in m^2/s, R in Å).
double diffusion_limited_rate_per_M_per_s(double diffusion_m2_per_s, double radius_angstrom);

/// The ligand's heavy atoms (all atoms if it has none).
std::vector<int> heavy_atom_indices(const LigandPoses& lig);
/// The pose with the lowest score.
int best_pose(const LigandPoses& lig);
/// Fraction of `heavy` with a receptor heavy atom within `cutoff` (Å).
double contact_fraction(const Coords& heavy, const Coords& receptor, double cutoff);

/// RMSD atom i against atom i (Å), the same atom order in both.
double rmsd(const Coords& a, const Coords& b);

/// Berg & Purcell (Biophys. J. 20, 193 (1977)): n absorbing disks of radius a on
/// a reflecting sphere of radius R take k_D n a / (n a + pi R) together, so
/// k_D a / (n a + pi R) each (1/(M s)).
/// The share of encounters in which a ligand of equivalent-sphere radius r_L turns its contact patch of
/// radius a toward the receptor: Berg & Purcell's one-patch factor a / (a + pi r_L) on the ligand's sphere,
/// the orientational constraint of the ligand side taken as independent of the receptor side (the product
/// approximation of two-sided orientation-constrained association; Shoup, Lipari & Szabo, Biophys. J. 36,
/// 697 (1981) treat it with rotational diffusion, which makes the true rate somewhat larger).
double ligand_orientation_factor(double patch_radius_angstrom, double ligand_radius_angstrom);

double patch_association_rate_per_M_per_s(double k_diffusion, double patch_radius_angstrom, int patches,
                                          double sphere_radius_angstrom);

/// The channel images as extra poses of `lig` (ray >= 0), scores = their energies.
LigandPoses with_channel_poses(const LigandPoses& lig, const std::vector<landscape::ChannelImage>& images,
                               const std::function<Coords(const Conformation&)>& coordinates);

/// Throws pk::InputError (the poses file) listing the states without a path to
/// unbound, unless settings.drop_unconnected (then they are dropped and listed).
/// Poses with lig.ray[p] >= 0 are channel states (landscape mode).
BuiltNetwork build_network(const LigandPoses& lig, const std::vector<SearchBox>& boxes, const Coords& receptor_heavy,
                           const NetworkSettings& settings, const PathEnergy& path_energy,
                           const std::string& source, double n_rot = 0);

/// The settings' checks (positive cutoffs, scale > 0, ...); pk::UsageError naming the option.
void check_settings(const NetworkSettings& s);

}  // namespace pk::pipeline
