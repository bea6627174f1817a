// Writers for docked poses: PDBQT models (Vina's layout), SDF, the poses HDF5
// file and the JSON summary (see poses_out.hpp).
#include "dock/poses_out.hpp"

#include "dock/ligand_files.hpp"

#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/hdf5.hpp"
#include "io/json.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace pk::dock {

namespace {

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::string fixed(double v, int width, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%*.*f", width, decimals, v);
  return buf;
}

// "REMARK INTER:" and friends: the value right-aligned to column 37, as Vina.
std::string remark_value(const std::string& label, double v) {
  const int width = std::max(8, 37 - static_cast<int>(label.size()));
  return label + fixed(v, width, 3);
}

void write_text_atomically(const std::string& path, const std::string& text) {
  io::write_file_atomically(path, text);
}

double covalent_radius_angstrom(const std::string& el) {
  static const std::map<std::string, double> r = {
      {"H", 0.37}, {"C", 0.77}, {"N", 0.75}, {"O", 0.73}, {"F", 0.71}, {"P", 1.06}, {"S", 1.02},
      {"Cl", 0.99}, {"Br", 1.14}, {"I", 1.33}, {"Si", 1.11}, {"B", 0.82}, {"Se", 1.16}};
  const auto it = r.find(el);
  return it == r.end() ? 1.2 : it->second;
}

}  // namespace

std::vector<std::array<int, 2>> bonds_from_distances(const Coords& xyz, const std::vector<std::string>& element) {
  std::vector<std::array<int, 2>> bonds;
  for (std::size_t i = 0; i < xyz.size(); ++i)
    for (std::size_t j = i + 1; j < xyz.size(); ++j) {
      double d2 = 0;
      for (int d = 0; d < 3; ++d) d2 += (xyz[i][d] - xyz[j][d]) * (xyz[i][d] - xyz[j][d]);
      const double cut = 1.1 * (covalent_radius_angstrom(element[i]) + covalent_radius_angstrom(element[j]));
      if (d2 < cut * cut) bonds.push_back({static_cast<int>(i), static_cast<int>(j)});
    }
  return bonds;
}

void write_pdbqt_models(const LigandOutput& lig, const std::string& path) {
  const auto lines = split_lines(lig.pdbqt);
  std::vector<int> atom_of_line(lines.size(), -1);
  for (std::size_t a = 0; a < lig.atom_line.size(); ++a) atom_of_line[lig.atom_line[a]] = static_cast<int>(a);
  std::ostringstream out;
  for (std::size_t m = 0; m < lig.poses.size(); ++m) {
    const PoseResult& p = lig.poses[m];
    out << "MODEL " << m + 1 << "\n";
    out << "REMARK VINA RESULT: " << fixed(p.score, 9, 3) << "  " << fixed(p.rmsd_lb, 9, 3) << "  "
        << fixed(p.rmsd_ub, 9, 3) << "\n";
    out << remark_value("REMARK INTER + INTRA:", p.inter + p.intra) << "\n";
    out << remark_value("REMARK INTER:", p.inter) << "\n";
    out << remark_value("REMARK INTRA:", p.intra) << "\n";
    out << remark_value("REMARK UNBOUND:", p.intra_best) << "\n";
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      if (line.rfind("MODEL", 0) == 0 || line.rfind("ENDMDL", 0) == 0) continue;
      const int a = atom_of_line[i];
      if (a < 0) {
        out << line << "\n";
        continue;
      }
      std::string edited = line;
      if (edited.size() < 54) edited.resize(54, ' ');
      edited.replace(30, 24, fixed(p.coords[a][0], 8, 3) + fixed(p.coords[a][1], 8, 3) + fixed(p.coords[a][2], 8, 3));
      out << edited << "\n";
    }
    out << "ENDMDL\n";
  }
  write_text_atomically(path, out.str());
}

std::vector<std::pair<std::string, std::string>> pose_sdf_properties(const PoseResult& p, int rank) {
  return {{"score_kcal_per_mol", fixed(p.score, 0, 3)},
          {"minimizedAffinity", fixed(p.score, 0, 3)},
          {"pose_rank", std::to_string(rank)},
          {"inter_kcal_per_mol", fixed(p.inter, 0, 3)},
          {"intra_kcal_per_mol", fixed(p.intra, 0, 3)},
          {"rmsd_lb_angstrom", fixed(p.rmsd_lb, 0, 3)},
          {"rmsd_ub_angstrom", fixed(p.rmsd_ub, 0, 3)},
          {"site", std::to_string(p.site)}};  // index of the search box (poses HDF5 /boxes)
}

void write_sdf(const LigandOutput& lig, const std::string& path) {
  if (is_molecule_file(lig.source) && molecule_file_handler()) {
    molecule_file_handler()->write_sdf(lig, path);  // the input molecule's identity kept
    return;
  }
  std::ostringstream out;
  std::vector<int> degree(lig.element.size(), 0);
  for (const auto& b : lig.bonds) ++degree[b[0]], ++degree[b[1]];
  for (std::size_t m = 0; m < lig.poses.size(); ++m) {
    const PoseResult& p = lig.poses[m];
    out << lig.name << "\n  PandaKinetics dock, pose " << m + 1 << "\n\n";
    char counts[64];
    std::snprintf(counts, sizeof counts, "%3zu%3zu  0  0  0  0  0  0  0  0999 V2000", lig.element.size(),
                  lig.bonds.size());
    out << counts << "\n";
    std::vector<int> charged;
    for (std::size_t a = 0; a < lig.element.size(); ++a) {
      char row[96];
      std::snprintf(row, sizeof row, "%10.4f%10.4f%10.4f %-3s 0  0  0  0  0  0  0  0  0  0  0  0", p.coords[a][0],
                    p.coords[a][1], p.coords[a][2], lig.element[a].c_str());
      out << row << "\n";
      if (lig.element[a] == "N" && degree[a] == 4) charged.push_back(static_cast<int>(a) + 1);
    }
    for (const auto& b : lig.bonds) {
      char row[32];
      std::snprintf(row, sizeof row, "%3d%3d  1  0", b[0] + 1, b[1] + 1);
      out << row << "\n";
    }
    // Every bond is written single; a nitrogen with four neighbours is a cation.
    for (int a : charged) {
      char row[32];
      std::snprintf(row, sizeof row, "M  CHG  1 %3d   1", a);
      out << row << "\n";
    }
    out << "M  END\n";
    for (const auto& [key, value] : pose_sdf_properties(p, static_cast<int>(m) + 1))
      out << "> <" << key << ">\n" << value << "\n\n";
    out << "$$$$\n";
  }
  write_text_atomically(path, out.str());
}

namespace {

using io::check_h5;
using io::H5Id;

void write_int_attribute(hid_t obj, const std::string& name, int value) {
  H5Id space(H5Screate(H5S_SCALAR), H5Sclose, "H5Screate");
  H5Id attr(H5Acreate2(obj, name.c_str(), H5T_NATIVE_INT, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
            "create attribute " + name);
  check_h5(H5Awrite(attr.get(), H5T_NATIVE_INT, &value), "write attribute " + name);
}

template <class T>
void write_array(hid_t group, const std::string& name, const std::vector<T>& data, std::vector<hsize_t> dims,
                 hid_t type, const std::string& unit) {
  H5Id space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, "H5Screate_simple");
  H5Id dset(H5Dcreate2(group, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  if (!data.empty()) check_h5(H5Dwrite(dset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "write " + name);
  if (!unit.empty()) io::write_attribute(dset.get(), "unit", unit);
}

void write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values) {
  std::size_t width = 1;
  for (const auto& s : values) width = std::max(width, s.size());
  std::vector<char> buf(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) values[i].copy(buf.data() + i * width, values[i].size());
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  check_h5(H5Tset_size(type.get(), width), "H5Tset_size");
  check_h5(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "H5Tset_strpad");
  hsize_t dims[1] = {values.size()};
  H5Id space(H5Screate_simple(1, dims, nullptr), H5Sclose, "H5Screate_simple");
  H5Id dset(H5Dcreate2(group, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
            H5Dclose, "create dataset " + name);
  if (!values.empty())
    check_h5(H5Dwrite(dset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "write " + name);
}

std::string group_name(const std::string& name) {
  std::string g = name;
  for (char& c : g)
    if (c == '/') c = '_';
  return g;
}

}  // namespace

void write_poses_h5(const std::vector<LigandOutput>& ligands, const std::vector<Box>& boxes,
                    const std::string& receptor, const std::string& path) {
  io::PendingFile pending(path, MPI_COMM_NULL);
  {
    io::File file = io::File::create(pending.temporary(), MPI_COMM_NULL);
    H5Id root(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose, "open /");
    io::write_attribute(root.get(), "format", std::string("pandakinetics-poses"));
    write_int_attribute(root.get(), "format_version", 1);
    io::write_attribute(root.get(), "receptor", receptor);
    H5Id ligs = io::ensure_group(file.get(), "/ligands");
    for (const auto& lig : ligands) {
      H5Id g = io::ensure_group(file.get(), "/ligands/" + group_name(lig.name));
      const int n = static_cast<int>(lig.element.size()), T = lig.n_torsions;
      const hsize_t P = lig.poses.size();
      io::write_attribute(g.get(), "source", lig.source);
      write_int_attribute(g.get(), "n_atoms", n);
      write_int_attribute(g.get(), "n_torsions", T);
      write_int_attribute(g.get(), "torsdof", lig.torsdof);
      io::write_attribute(g.get(), "pdbqt", lig.pdbqt);
      std::vector<double> xyz, score, inter, intra, pos, quat, tors;
      std::vector<std::int32_t> site;
      for (const auto& p : lig.poses) {
        for (const auto& x : p.coords) xyz.insert(xyz.end(), x.begin(), x.end());
        score.push_back(p.score);
        inter.push_back(p.inter);
        intra.push_back(p.intra);
        pos.insert(pos.end(), p.conformation.begin(), p.conformation.begin() + 3);
        quat.insert(quat.end(), p.conformation.begin() + 3, p.conformation.begin() + 7);
        tors.insert(tors.end(), p.conformation.begin() + 7, p.conformation.end());
        site.push_back(p.site);
      }
      write_array(g.get(), "coordinates_angstrom", xyz, {P, hsize_t(n), 3}, H5T_NATIVE_DOUBLE, "angstrom");
      write_array(g.get(), "score_kcal_per_mol", score, {P}, H5T_NATIVE_DOUBLE, "kcal/mol");
      write_array(g.get(), "inter_kcal_per_mol", inter, {P}, H5T_NATIVE_DOUBLE, "kcal/mol");
      write_array(g.get(), "intra_kcal_per_mol", intra, {P}, H5T_NATIVE_DOUBLE, "kcal/mol");
      write_array(g.get(), "position_angstrom", pos, {P, 3}, H5T_NATIVE_DOUBLE, "angstrom");
      write_array(g.get(), "orientation_wxyz", quat, {P, 4}, H5T_NATIVE_DOUBLE, "");
      write_array(g.get(), "torsions_rad", tors, {P, hsize_t(T)}, H5T_NATIVE_DOUBLE, "rad");
      write_array(g.get(), "site", site, {P}, H5T_NATIVE_INT32, "");
      std::vector<std::int32_t> xs(lig.xs_type.begin(), lig.xs_type.end());
      write_array(g.get(), "xs_type", xs, {hsize_t(n)}, H5T_NATIVE_INT32, "");
      write_strings(g.get(), "element", lig.element);
    }
    H5Id bx = io::ensure_group(file.get(), "/boxes");
    std::vector<double> center, size;
    for (const auto& b : boxes) {
      center.insert(center.end(), b.center.begin(), b.center.end());
      size.insert(size.end(), b.size.begin(), b.size.end());
    }
    write_array(bx.get(), "center_angstrom", center, {boxes.size(), 3}, H5T_NATIVE_DOUBLE, "angstrom");
    write_array(bx.get(), "size_angstrom", size, {boxes.size(), 3}, H5T_NATIVE_DOUBLE, "angstrom");
    root.reset();
    ligs.reset();
    bx.reset();
    file.close();  // a failed flush (full disk) throws here, before the commit
  }
  pending.commit();
}

void write_dock_json(const std::vector<LigandOutput>& ligands, const std::string& receptor, const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& options) {
  io::JsonWriter j;
  j.begin_object();
  j.value("receptor", receptor);
  j.value("energy_unit", "kcal/mol");
  j.begin_object("options");
  for (const auto& [k, v] : options) j.value(k, v);
  j.end_object();
  j.begin_array("ligands");
  for (const auto& lig : ligands) {
    j.begin_object();
    j.value("name", lig.name);
    j.value("source", lig.source);
    j.value("n_atoms", static_cast<int>(lig.element.size()));
    j.value("n_torsions", lig.n_torsions);
    j.begin_array("poses");
    for (const auto& p : lig.poses) {
      j.begin_object();
      j.value("score", p.score);
      j.value("inter", p.inter);
      j.value("intra", p.intra);
      j.value("inter_plus_intra", p.inter + p.intra);
      j.value("unbound_intra", p.intra_best);
      j.value("torsional_normalisation", p.torsional_normalisation);
      j.value("rmsd_lb_angstrom", p.rmsd_lb);
      j.value("rmsd_ub_angstrom", p.rmsd_ub);
      j.value("site", p.site);
      if (!p.inter_terms.empty()) {
        j.begin_object("inter_terms_unweighted");
        for (const auto& [k, v] : p.inter_terms) j.value(k, v);
        j.end_object();
      }
      if (!p.intra_terms.empty()) {
        j.begin_object("intra_terms_unweighted");
        for (const auto& [k, v] : p.intra_terms) j.value(k, v);
        j.end_object();
      }
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.end_object();
  j.save(path);
}

}  // namespace pk::dock
