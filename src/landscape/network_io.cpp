#include "landscape/network_io.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/hdf5.hpp"
#include "network/network_h5.hpp"

#include <cstdio>
#include <set>

namespace pk::pipeline {

namespace {

std::string num(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

void write_text_atomically(const std::string& path, const std::string& text) {
  io::write_file_atomically(path, text);
}

}  // namespace

void write_network_file(const std::string& path, const BuiltNetwork& b, const NetworkSettings& cfg,
                        const NetworkProvenance& prov, const network::Network* unlumped) {
  io::PendingFile pending(path, MPI_COMM_NULL);
  {
    io::File f = io::File::create(pending.temporary(), MPI_COMM_NULL);
    io::write_h5md_header(f, "pandakinetics network");
    for (const auto& [name, value] : prov.options) io::write_attribute(f, "/parameters", name, value);
    io::write_attribute(f, "/parameters", "command_line", prov.command_line);
    network::write_network_h5(f, b.net, "/network");
    if (unlumped) network::write_network_h5(f, *unlumped, "/network_unlumped");
    io::write_attribute(f, "/builder", "poses_file", prov.poses_file);
    io::write_attribute(f, "/builder", "receptor", prov.receptor);
    io::write_attribute(f, "/builder", "ligand", prov.ligand);
    io::write_attribute(f, "/builder", "barrier_method", prov.barrier_method);
    io::write_attribute(f, "/builder", "free_energy_model",
                        "G = offset + scale x (Vina score) + rotor x N_rot x burial + polar x (buried N, O) + apolar x "
                        "(other buried heavy atoms), kcal/mol; transition states: offset + scale x (path maximum) + the "
                        "larger endpoint's burial terms - RT ln kappa_model; unbound G = 0 at 1 M (docs/landscape.md)");
    for (const auto& [name, value] : cfg.model.named()) io::write_attribute(f, "/builder/model", name, value);
    io::write_attribute(f, "/builder/model", "provenance", cfg.model.provenance);
    io::write_attribute(f, "/builder", "temperature_K", cfg.temperature_K);
    io::write_attribute(f, "/builder", "kappa", cfg.kappa);
    io::write_attribute(f, "/builder", "landscape", b.landscape ? 1.0 : 0.0);
    io::write_attribute(f, "/builder", "encounter_radius_angstrom", b.encounter_radius_angstrom);
    io::write_attribute(f, "/builder", "ligand_orientation_factor", b.ligand_orientation_factor);
    io::write_attribute(f, "/builder", "heavy_atoms", static_cast<double>(b.heavy_atoms));
    io::write_attribute(f, "/builder", "n_rot", b.states.empty() ? 0.0 : b.states.front().features.n_rot);
    io::write_attribute(f, "/builder", "k_diffusion_per_M_per_s", b.k_diffusion_per_M_per_s);
    std::vector<std::int32_t> rep, count, site, exposed, member_poses, member_state;
    for (std::size_t i = 0; i < b.states.size(); ++i)
      for (int p : b.states[i].members) {
        member_poses.push_back(p);
        member_state.push_back(static_cast<std::int32_t>(i));
      }
    std::vector<double> score, centroid, surface, contact, pocket_distance, polar, apolar;
    std::vector<std::int32_t> layer, ray, depth;
    for (const auto& s : b.states) {
      pocket_distance.push_back(s.pocket_distance_angstrom);
      polar.push_back(s.features.polar_buried);
      apolar.push_back(s.features.apolar_buried);
      layer.push_back(static_cast<std::int32_t>(s.layer));
      ray.push_back(s.ray);
      depth.push_back(s.depth);
      rep.push_back(s.representative);
      count.push_back(static_cast<std::int32_t>(s.members.size()));
      site.push_back(s.site);
      exposed.push_back(s.exposed);
      score.push_back(s.score_kcal_per_mol);
      for (double x : s.centroid_angstrom) centroid.push_back(x);
      surface.push_back(s.surface_distance_angstrom);
      contact.push_back(s.contact_fraction);
    }
    const std::string st = "/builder/states/";
    io::write_replicated(f, st + "representative_pose", rep, "1");
    io::write_replicated(f, st + "poses", count, "1");
    io::write_replicated(f, st + "site", site, "1");
    io::write_replicated(f, st + "exposed", exposed, "1");
    io::write_replicated(f, st + "score_kcal_per_mol", score, "kcal/mol");
    io::write_replicated(f, st + "centroid_angstrom", centroid, "angstrom");
    io::write_attribute(f, st + "centroid_angstrom", "shape", "states x 3");
    io::write_replicated(f, st + "surface_distance_angstrom", surface, "angstrom");
    io::write_replicated(f, st + "contact_fraction", contact, "1");
    io::write_replicated(f, st + "pocket_distance_angstrom", pocket_distance, "angstrom");
    io::write_replicated(f, st + "polar_buried", polar, "atoms");
    io::write_replicated(f, st + "apolar_buried", apolar, "atoms");
    io::write_replicated(f, st + "layer", layer, "0 pocket, 1 channel, 2 surface");
    io::write_replicated(f, st + "ray", ray, "channel ray (-1: docked)");
    io::write_replicated(f, st + "depth", depth, "steps along the ray");
    io::write_replicated(f, st + "member_pose", member_poses, "1");
    io::write_replicated(f, st + "member_state", member_state, "state index");
    io::write_attribute(f, "/builder/states", "legend",
                        "one row per built state, in /network/states order (the unbound state, last there, has none)");
    std::vector<std::int32_t> ea, eb, bulk, clamped;
    std::vector<double> rmsd, cdist, top, ts, assoc;
    const auto u = static_cast<std::int32_t>(b.states.size());
    for (const auto& e : b.edges) {
      ea.push_back(e.a);
      eb.push_back(e.b < 0 ? u : e.b);
      bulk.push_back(e.b < 0);
      clamped.push_back(e.clamped);
      rmsd.push_back(e.rmsd_angstrom);
      cdist.push_back(e.centroid_distance_angstrom);
      top.push_back(e.path_max_score_kcal_per_mol);
      ts.push_back(e.ts_free_energy_kcal_per_mol);
      assoc.push_back(e.association_per_M_per_s);
    }
    const std::string ed = "/builder/edges/";
    io::write_replicated(f, ed + "a", ea, "state index");
    io::write_replicated(f, ed + "b", eb, "state index");
    io::write_replicated(f, ed + "bulk", bulk, "1");
    io::write_replicated(f, ed + "clamped", clamped, "1");
    io::write_replicated(f, ed + "rmsd_angstrom", rmsd, "angstrom");
    io::write_replicated(f, ed + "centroid_distance_angstrom", cdist, "angstrom");
    io::write_replicated(f, ed + "path_max_score_kcal_per_mol", top, "kcal/mol");
    io::write_replicated(f, ed + "ts_free_energy_kcal_per_mol", ts, "kcal/mol");
    io::write_replicated(f, ed + "association_per_M_per_s", assoc, "1/(M s)");
    io::write_attribute(f, "/builder/edges", "legend",
                        "one row per connection (both directions share the transition state); bulk = 1: exposed "
                        "state <-> unbound (path columns 0); clamped = 1: transition state raised to the upper endpoint");
    f.close();  // a failed flush (full disk) throws here, before the commit
  }
  pending.commit();
}

void write_network_csv(const network::Network& net, const std::string& states_csv, const std::string& edges_csv) {
  std::string s = "# Built by pandakinetics network from docked poses; free energies in kcal/mol,\n"
                  "# unbound at the 1 M standard state.\nid,free_energy_kcal_per_mol,macrostate,name\n";
  for (const auto& st : net.states)
    s += std::to_string(st.id) + "," + num(st.free_energy_kcal_per_mol) + "," + network::to_string(st.macrostate) + "," +
         st.name + "\n";
  std::string e = "# Transition-state free energies in kcal/mol; each line is both directions (Eyring).\n"
                  "from,to,ts_free_energy_kcal_per_mol\n";
  std::set<std::pair<std::int32_t, std::int32_t>> seen;
  for (const auto& ed : net.edges) {
    if (ed.kind != network::EdgeKind::Eyring)
      throw SystemError("write_network_csv: only Eyring networks have a single-kind edges.csv");
    const auto key = std::make_pair(std::min(ed.from, ed.to), std::max(ed.from, ed.to));
    if (!seen.insert(key).second) continue;
    e += std::to_string(net.states[ed.from].id) + "," + std::to_string(net.states[ed.to].id) + "," + num(ed.value) + "\n";
  }
  write_text_atomically(states_csv, s);
  write_text_atomically(edges_csv, e);
}

}  // namespace pk::pipeline
