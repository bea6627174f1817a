#include "landscape/network_build.hpp"

#include "core/error.hpp"
#include "core/units.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <queue>
#include <set>
#include <sstream>

namespace pk::pipeline {

std::vector<int> heavy_atom_indices(const LigandPoses& lig) {
  std::vector<int> h;
  for (int a = 0; a < lig.n_atoms; ++a)
    if (lig.element[a] != "H" && lig.element[a] != "h") h.push_back(a);
  if (h.empty())
    for (int a = 0; a < lig.n_atoms; ++a) h.push_back(a);
  return h;
}

/// Heavy atoms (indices into `heavy`) with a receptor heavy atom within `cutoff`.
static std::vector<bool> in_contact(const Coords& heavy, const Coords& receptor, double cutoff) {
  const double c2 = cutoff * cutoff;
  std::vector<bool> out(heavy.size(), false);
  for (std::size_t a = 0; a < heavy.size(); ++a)
    for (const auto& r : receptor) {
      const auto& x = heavy[a];
      if ((x[0] - r[0]) * (x[0] - r[0]) + (x[1] - r[1]) * (x[1] - r[1]) + (x[2] - r[2]) * (x[2] - r[2]) <= c2) {
        out[a] = true;
        break;
      }
    }
  return out;
}

double contact_fraction(const Coords& heavy, const Coords& receptor, double cutoff) {
  if (receptor.empty()) return 0.0;
  const std::vector<bool> touch = in_contact(heavy, receptor, cutoff);
  return static_cast<double>(std::count(touch.begin(), touch.end(), true)) / static_cast<double>(heavy.size());
}

int best_pose(const LigandPoses& lig) {
  return static_cast<int>(std::min_element(lig.score_kcal_per_mol.begin(), lig.score_kcal_per_mol.end()) -
                          lig.score_kcal_per_mol.begin());
}

namespace {

Coords subset(const Coords& c, const std::vector<int>& idx) {
  Coords out;
  for (int a : idx) out.push_back(c[a]);
  return out;
}

Vec3 centroid(const Coords& c) {
  Vec3 m{0, 0, 0};
  for (const auto& x : c)
    for (int d = 0; d < 3; ++d) m[d] += x[d] / static_cast<double>(c.size());
  return m;
}

double distance(const Vec3& a, const Vec3& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

/// Poses in a canonical order: score, then site, then coordinates (so the
/// order they come in does not matter).
std::vector<int> canonical_order(const LigandPoses& lig) {
  std::vector<int> order(lig.n_poses());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int x, int y) {
    if (lig.score_kcal_per_mol[x] != lig.score_kcal_per_mol[y]) return lig.score_kcal_per_mol[x] < lig.score_kcal_per_mol[y];
    if (lig.site[x] != lig.site[y]) return lig.site[x] < lig.site[y];
    return lig.coordinates[x] < lig.coordinates[y];
  });
  return order;
}

/// Radius of the sphere with the same radius of gyration as the points (Å): sqrt(5/3) R_g.
double equivalent_sphere_radius(const Coords& pts) {
  if (pts.empty()) return 0.0;
  const Vec3 c = centroid(pts);
  double s = 0;
  for (const auto& x : pts) s += distance(x, c) * distance(x, c);
  return std::sqrt(5.0 / 3.0 * s / static_cast<double>(pts.size()));
}

double surface_distance(const Vec3& c, const SearchBox& box) {
  double d = INFINITY;
  for (int k = 0; k < 3; ++k) d = std::min(d, 0.5 * box.size_angstrom[k] - std::abs(c[k] - box.center_angstrom[k]));
  return d;
}

/// Indices of states with a path to `target` (the unbound state) along the edges.
std::vector<bool> reaches(int n, int target, const std::vector<BuiltEdge>& edges) {
  std::vector<std::vector<int>> adj(n);
  for (const auto& e : edges) {
    const int b = e.b < 0 ? target : e.b;
    adj[e.a].push_back(b);
    adj[b].push_back(e.a);
  }
  std::vector<bool> seen(n, false);
  std::queue<int> q;
  q.push(target);
  seen[target] = true;
  while (!q.empty()) {
    const int s = q.front();
    q.pop();
    for (int t : adj[s])
      if (!seen[t]) {
        seen[t] = true;
        q.push(t);
      }
  }
  return seen;
}

std::string fmt(double v, int prec = 2) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(prec);
  s << v;
  return s.str();
}

}  // namespace

double diffusion_limited_rate_per_M_per_s(double diffusion_m2_per_s, double radius_angstrom) {
  constexpr double kLitresPerCubicMetre = 1000.0;
  return 4.0 * M_PI * diffusion_m2_per_s * (radius_angstrom * 1e-10) * units::kAvogadro_per_mol * kLitresPerCubicMetre;
}

double ligand_orientation_factor(double patch_radius_angstrom, double ligand_radius_angstrom) {
  return patch_radius_angstrom / (patch_radius_angstrom + M_PI * ligand_radius_angstrom);
}

double patch_association_rate_per_M_per_s(double k_diffusion, double patch_radius_angstrom, int patches,
                                          double sphere_radius_angstrom) {
  const double na = patches * patch_radius_angstrom;
  return k_diffusion * patch_radius_angstrom / (na + M_PI * sphere_radius_angstrom);
}

const char* to_string(Layer l) {
  switch (l) {
    case Layer::Pocket: return "pocket";
    case Layer::Channel: return "channel";
    case Layer::Surface: return "surface";
  }
  return "?";
}

LigandPoses with_channel_poses(const LigandPoses& lig, const std::vector<landscape::ChannelImage>& images,
                               const std::function<Coords(const Conformation&)>& coordinates) {
  LigandPoses out = lig;
  out.ray.assign(lig.n_poses(), -1);
  out.depth.assign(lig.n_poses(), 0);
  const int best = best_pose(lig);
  for (const auto& im : images) {
    const Conformation& c = im.conformation;
    out.coordinates.push_back(coordinates(c));
    out.score_kcal_per_mol.push_back(im.energy_kcal_per_mol);
    out.inter_kcal_per_mol.push_back(NAN);
    out.intra_kcal_per_mol.push_back(NAN);
    out.position_angstrom.push_back({c[0], c[1], c[2]});
    out.orientation_wxyz.push_back({c[3], c[4], c[5], c[6]});
    out.torsions_rad.emplace_back(c.begin() + 7, c.end());
    out.site.push_back(lig.site[best]);
    out.ray.push_back(im.ray);
    out.depth.push_back(im.depth);
  }
  return out;
}

double rmsd(const Coords& a, const Coords& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (int d = 0; d < 3; ++d) s += (a[i][d] - b[i][d]) * (a[i][d] - b[i][d]);
  return std::sqrt(s / static_cast<double>(a.size()));
}

void check_settings(const NetworkSettings& s) {
  auto positive = [](double v, const char* opt) {
    if (!(v > 0) || !std::isfinite(v)) throw UsageError(std::string("pandakinetics network: --") + opt + " must be a positive number");
  };
  positive(s.cluster_rmsd_angstrom, "cluster-rmsd");
  positive(s.edge_rmsd_angstrom, "edge-rmsd");
  positive(s.edge_centroid_angstrom, "edge-centroid");
  if (!(s.model.scale > 0) || !std::isfinite(s.model.scale))
    throw UsageError("pandakinetics network: --score-scale must be a positive number");
  if (!units::temperature_in_range(s.temperature_K))
    throw UsageError("pandakinetics network: --temperature must be in (0, 1e4] K");
  positive(s.kappa, "kappa");
  positive(s.diffusion_m2_per_s, "diffusion");
  positive(s.capture_radius_angstrom, "capture-radius");
  positive(s.contact_distance_angstrom, "contact-distance");
  if (s.kappa > 1) throw UsageError("pandakinetics network: --kappa must be in (0, 1]");
  if (!std::isfinite(s.model.offset_kcal_per_mol)) throw UsageError("pandakinetics network: --score-offset must be finite");
  landscape::check_channel_settings(s.channels);
  positive(s.patch_radius_angstrom, "patch-radius");
  if (!std::isfinite(s.surface_margin_angstrom)) throw UsageError("pandakinetics network: --surface-margin must be finite");
  if (!(s.exposed_contact_fraction >= 0 && s.exposed_contact_fraction <= 1))
    throw UsageError("pandakinetics network: --exposed-contact-fraction must be in [0, 1]");
  if (s.images < 1) throw UsageError("pandakinetics network: --images must be >= 1");
  positive(s.max_barrier_kcal_per_mol, "max-barrier");
}

namespace {

/// The state's position, burial and the model's features; exposure by the box surface (docked states
/// outside the landscape mode) or by contacts.
void describe_state(BuiltState& s, const LigandPoses& lig, const std::vector<int>& heavy, const Coords& hc,
                    const std::vector<SearchBox>& boxes, const Coords& receptor, const NetworkSettings& cfg,
                    double n_rot, bool landscape) {
  s.centroid_angstrom = centroid(hc);
  s.surface_distance_angstrom = surface_distance(s.centroid_angstrom, boxes.at(s.site));
  const std::vector<bool> touch = in_contact(hc, receptor, cfg.contact_distance_angstrom);
  s.contact_fraction = static_cast<double>(std::count(touch.begin(), touch.end(), true)) / static_cast<double>(hc.size());
  landscape::StateFeatures& f = s.features;
  f.score_kcal_per_mol = s.score_kcal_per_mol;
  f.burial = s.contact_fraction;
  f.n_rot = n_rot;
  for (std::size_t a = 0; a < heavy.size(); ++a) {
    if (!touch[a]) continue;
    const std::string& el = lig.element[heavy[a]];
    (el == "N" || el == "O" ? f.polar_buried : f.apolar_buried) += 1;
  }
  s.free_energy_kcal_per_mol = landscape::state_free_energy(cfg.model, f);
  const bool few_contacts = s.contact_fraction < cfg.exposed_contact_fraction;
  s.exposed = landscape ? few_contacts : (s.surface_distance_angstrom <= cfg.surface_margin_angstrom || few_contacts);
  if (landscape && s.exposed) s.layer = Layer::Surface;
}

/// Leader clustering of the docked poses in canonical order (one state per cluster, by score); then
/// each channel pose is a state of its own unless it lies within the cluster RMSD of a docked state.
std::vector<BuiltState> cluster_states(const LigandPoses& lig, const std::vector<int>& heavy,
                                       const std::vector<Coords>& hc, const std::vector<SearchBox>& boxes,
                                       const Coords& receptor, const NetworkSettings& cfg, double n_rot) {
  const bool landscape = !lig.ray.empty();
  std::vector<BuiltState> states;
  std::vector<int> order;
  for (int p : canonical_order(lig))
    if (!lig.is_channel(p)) order.push_back(p);
  const std::size_t docked_end = order.size();
  for (int p = 0; p < lig.n_poses(); ++p)
    if (lig.is_channel(p)) order.push_back(p);
  std::size_t docked_states = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const int p = order[k];
    if (k == docked_end) docked_states = states.size();
    BuiltState* home = nullptr;
    const std::size_t candidates = k < docked_end ? states.size() : docked_states;
    for (std::size_t i = 0; i < candidates; ++i)
      if (rmsd(hc[p], hc[states[i].representative]) <= cfg.cluster_rmsd_angstrom) {
        home = &states[i];
        break;
      }
    if (home) {
      home->members.push_back(p);
      continue;
    }
    BuiltState s;
    s.representative = p;
    s.members = {p};
    s.score_kcal_per_mol = lig.score_kcal_per_mol[p];
    s.site = lig.site[p];
    if (lig.is_channel(p)) {
      s.layer = Layer::Channel;
      s.ray = lig.ray[p];
      s.depth = lig.depth[p];
    }
    describe_state(s, lig, heavy, hc[p], boxes, receptor, cfg, n_rot, landscape);
    states.push_back(s);
  }
  for (auto& s : states) {
    std::sort(s.members.begin(), s.members.end());
    s.pocket_distance_angstrom = distance(s.centroid_angstrom, states.front().centroid_angstrom);
  }
  return states;
}

/// Edges between neighbouring states, the transition state at the highest energy along the path.
std::vector<BuiltEdge> path_edges(const LigandPoses& lig, const std::vector<Coords>& hc,
                                  const std::vector<BuiltState>& states, const NetworkSettings& cfg,
                                  const PathEnergy& path_energy, const std::string& source, int& over_max) {
  std::vector<BuiltEdge> candidates, edges;
  std::vector<std::pair<int, int>> pairs;
  const auto pair_of = [&](int i, int j) {  // states i < j, their representatives' RMSD and centroid distance
    BuiltEdge e;
    e.a = i;
    e.b = j;
    e.rmsd_angstrom = rmsd(hc[states[i].representative], hc[states[j].representative]);
    e.centroid_distance_angstrom = distance(states[i].centroid_angstrom, states[j].centroid_angstrom);
    return e;
  };
  const auto propose = [&](const BuiltEdge& e) {
    candidates.push_back(e);
    pairs.emplace_back(states[e.a].representative, states[e.b].representative);
  };
  for (std::size_t i = 0; i < states.size(); ++i)
    for (std::size_t j = i + 1; j < states.size(); ++j) {
      const BuiltEdge e = pair_of(static_cast<int>(i), static_cast<int>(j));
      if (!(e.rmsd_angstrom > cfg.edge_rmsd_angstrom && e.centroid_distance_angstrom > cfg.edge_centroid_angstrom)) propose(e);
    }
  // Landscape mode: a ray is a path by construction, from the docked pose it starts at through its images
  // in order, so consecutive states along a ray are neighbours whatever the RMSD and centroid cut-offs
  // (a relaxed image can turn or slide more than the cut-offs allow between two 2 Å steps).
  if (!lig.ray.empty()) {
    std::set<std::pair<int, int>> have;
    for (const auto& e : candidates) have.emplace(e.a, e.b);
    std::vector<int> state_of(lig.n_poses(), -1);
    for (std::size_t i = 0; i < states.size(); ++i)
      for (int p : states[i].members) state_of[p] = static_cast<int>(i);
    int origin = -1;
    for (int p = 0; p < lig.n_poses(); ++p)
      if (!lig.is_channel(p) && (origin < 0 || lig.score_kcal_per_mol[p] < lig.score_kcal_per_mol[origin])) origin = p;
    std::map<int, std::vector<std::pair<int, int>>> rays;  // ray -> (depth, pose)
    for (int p = 0; p < lig.n_poses(); ++p)
      if (lig.is_channel(p)) rays[lig.ray[p]].emplace_back(lig.depth[p], p);
    for (auto& [ray, images] : rays) {
      std::sort(images.begin(), images.end());
      int prev = origin < 0 ? -1 : state_of[origin];
      for (const auto& [depth, p] : images) {
        const int s = state_of[p];
        if (prev >= 0 && s >= 0 && s != prev && have.emplace(std::min(prev, s), std::max(prev, s)).second)
          propose(pair_of(std::min(prev, s), std::max(prev, s)));
        prev = s;
      }
    }
  }
  const std::vector<std::vector<double>> energies =
      pairs.empty() ? std::vector<std::vector<double>>{} : path_energy(lig, pairs, cfg.images);
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    BuiltEdge e = candidates[k];
    const auto [pa, pb] = pairs[k];
    double top = std::max(lig.score_kcal_per_mol[pa], lig.score_kcal_per_mol[pb]);
    for (double x : energies.at(k)) {
      if (!std::isfinite(x))
        throw InputError(source, 0, "path energy between poses " + std::to_string(pa) + " and " + std::to_string(pb) + " is not finite");
      top = std::max(top, x);
    }
    e.path_max_score_kcal_per_mol = top;
    e.ts_free_energy_kcal_per_mol = landscape::ts_free_energy(cfg.model, top, states[e.a].features, states[e.b].features);
    if (cfg.model.log10_kappa != 0)  // the model's kappa is part of the transition state (at the build temperature)
      e.ts_free_energy_kcal_per_mol -= units::rt_kcal_per_mol(cfg.temperature_K) * std::log(cfg.model.kappa());
    const double low = std::min(states[e.a].free_energy_kcal_per_mol, states[e.b].free_energy_kcal_per_mol);
    if (e.ts_free_energy_kcal_per_mol - low > cfg.max_barrier_kcal_per_mol) {
      ++over_max;
      continue;
    }
    edges.push_back(e);
  }
  return edges;
}

/// Exposed states <-> unbound (b = -1), as Eyring transition states that give each state's association
/// rate at the build temperature and kappa: k_D split evenly over the exposed states, or in the landscape
/// mode one Berg-Purcell patch of the encounter sphere per surface state.
void add_bulk_edges(const std::vector<BuiltState>& states, const NetworkSettings& cfg, double k_diffusion,
                    bool landscape, double encounter_radius_angstrom, double orientation_factor,
                    std::vector<BuiltEdge>& edges) {
  int exposed = 0;
  for (const auto& s : states) exposed += s.exposed;
  if (exposed == 0) return;
  const double rt = units::rt_kcal_per_mol(cfg.temperature_K);
  const double prefactor_per_s = cfg.kappa * units::eyring_prefactor_per_s(cfg.temperature_K);
  const double k_state = landscape ? orientation_factor * patch_association_rate_per_M_per_s(
                                                              k_diffusion, cfg.patch_radius_angstrom, exposed,
                                                              encounter_radius_angstrom)
                                   : k_diffusion / exposed;
  const double ts = kUnboundFreeEnergy - rt * std::log(k_state * units::kStandardConcentration_M / prefactor_per_s);
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (!states[i].exposed) continue;
    BuiltEdge e;
    e.a = static_cast<int>(i);
    e.b = -1;
    e.ts_free_energy_kcal_per_mol =
        landscape::bulk_ts_free_energy(k_state, states[i].free_energy_kcal_per_mol, cfg.temperature_K, cfg.kappa);
    e.clamped = e.ts_free_energy_kcal_per_mol > ts;
    e.association_per_M_per_s = k_state;
    edges.push_back(e);
  }
}

/// States and edges of `out` from those with a path to unbound; the others are
/// an error naming them, or dropped and listed.
void keep_connected(const std::vector<BuiltState>& states, const std::vector<BuiltEdge>& edges, const LigandPoses& lig,
                    const NetworkSettings& cfg, const std::string& source, BuiltNetwork& out) {
  const int n = static_cast<int>(states.size());
  std::vector<BuiltEdge> shifted = edges;
  for (auto& e : shifted)
    if (e.b < 0) e.b = n;
  const std::vector<bool> ok = reaches(n + 1, n, shifted);
  std::vector<int> lost;
  for (int i = 0; i < n; ++i)
    if (!ok[i]) lost.push_back(i);
  auto label = [&](int i) {
    return "c" + std::to_string(i + 1) + " (" + fmt(states[i].free_energy_kcal_per_mol) + " kcal/mol, pose " +
           std::to_string(states[i].representative) + ")";
  };
  // In a landscape the best docked pose is the pocket the channels start from: never drop it.
  const bool best_lost = !lig.ray.empty() && !lost.empty() && lost.front() == 0;
  if (!lost.empty() && (!cfg.drop_unconnected || best_lost || static_cast<int>(lost.size()) == n)) {
    int exposed = 0;
    for (const auto& s : states) exposed += s.exposed;
    std::string list;
    for (std::size_t k = 0; k < lost.size() && k < 10; ++k) list += (k ? ", " : "") + label(lost[k]);
    if (lost.size() > 10) list += ", ... (" + std::to_string(lost.size()) + " in all)";
    throw InputError(source, 0, "ligand " + lig.name + ": no path to the unbound state from " + list + "; " +
                                    std::to_string(exposed) + " of " + std::to_string(n) +
                                    " states are solvent-exposed" +
                                    (best_lost ? " (the best docked pose, where the channels start, cannot be dropped)" : "") +
                                    ". Loosen --edge-rmsd/--edge-centroid or "
                                    "--surface-margin/--exposed-contact-fraction" +
                                    (cfg.drop_unconnected ? "" : ", or drop them with --drop-unconnected"));
  }
  std::vector<int> new_index(n, -1);
  for (int i = 0; i < n; ++i)
    if (ok[i]) {
      new_index[i] = static_cast<int>(out.states.size());
      out.states.push_back(states[i]);
    } else {
      out.dropped.push_back(label(i));
    }
  for (auto e : edges) {
    if (new_index[e.a] < 0) continue;
    e.a = new_index[e.a];
    if (e.b >= 0) e.b = new_index[e.b];
    out.edges.push_back(e);
  }
}

}  // namespace

void lay_out_network(BuiltNetwork& out, const std::string& source) {
  network::Network& net = out.net;
  net = network::Network{};
  net.source = source;
  out.exposed = 0;
  for (std::size_t i = 0; i < out.states.size(); ++i) {
    out.states[i].name = "c" + std::to_string(i + 1);
    out.exposed += out.states[i].exposed;
    const bool bound = !out.landscape || out.states[i].layer == Layer::Pocket;
    net.states.push_back({static_cast<std::int64_t>(i + 1), out.states[i].free_energy_kcal_per_mol,
                          bound ? network::Macrostate::Bound : network::Macrostate::Other, out.states[i].name});
  }
  const auto u = static_cast<std::int32_t>(out.states.size());
  net.states.push_back({0, kUnboundFreeEnergy, network::Macrostate::Unbound, "unbound"});
  for (const auto& e : out.edges) {
    const std::int32_t b = e.b < 0 ? u : e.b;
    net.edges.push_back({e.a, b, network::EdgeKind::Eyring, e.ts_free_energy_kcal_per_mol});
    net.edges.push_back({b, e.a, network::EdgeKind::Eyring, e.ts_free_energy_kcal_per_mol});
  }
}

BuiltNetwork build_network(const LigandPoses& lig, const std::vector<SearchBox>& boxes, const Coords& receptor,
                           const NetworkSettings& cfg, const PathEnergy& path_energy, const std::string& source,
                           double n_rot) {
  check_settings(cfg);
  const std::vector<int> heavy = heavy_atom_indices(lig);
  std::vector<Coords> hc;
  for (const auto& c : lig.coordinates) hc.push_back(subset(c, heavy));
  BuiltNetwork out;
  out.landscape = !lig.ray.empty();
  out.heavy_atoms = static_cast<int>(heavy.size());
  const std::vector<BuiltState> states = cluster_states(lig, heavy, hc, boxes, receptor, cfg, n_rot);
  if (out.landscape && states.front().layer != Layer::Pocket)
    throw InputError(source, 0, "ligand " + lig.name + ": its best docked pose is solvent-exposed (fewer than " +
                                    fmt(cfg.exposed_contact_fraction) + " of its heavy atoms touch the receptor), so the "
                                    "landscape has no pocket state; check the docking box");
  std::vector<BuiltEdge> edges = path_edges(lig, hc, states, cfg, path_energy, source, out.edges_over_max_barrier);
  // Landscape mode: the encounter sphere holds receptor and ligand (their equivalent-sphere radii).
  out.encounter_radius_angstrom = equivalent_sphere_radius(receptor) + equivalent_sphere_radius(hc.front());
  if (out.landscape && cfg.ligand_orientation)
    out.ligand_orientation_factor = ligand_orientation_factor(cfg.patch_radius_angstrom, equivalent_sphere_radius(hc.front()));
  const double radius = out.landscape ? out.encounter_radius_angstrom : cfg.capture_radius_angstrom;
  out.k_diffusion_per_M_per_s = diffusion_limited_rate_per_M_per_s(cfg.diffusion_m2_per_s, radius);
  add_bulk_edges(states, cfg, out.k_diffusion_per_M_per_s, out.landscape, out.encounter_radius_angstrom,
                 out.ligand_orientation_factor, edges);
  keep_connected(states, edges, lig, cfg, source, out);
  lay_out_network(out, source);
  return out;
}

}  // namespace pk::pipeline
