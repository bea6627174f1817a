#include "dock/poses_in.hpp"

#include "core/error.hpp"
#include "io/hdf5.hpp"

#include <cmath>

namespace pk::pipeline {

namespace {

using io::H5Id;

/// A whole dataset of any rank, with its dimensions, converted to T.
template <class T>
std::vector<T> read_nd(const io::File& f, const std::string& path, std::vector<hsize_t>& dims, hid_t mem_type) {
  if (H5Lexists(f.get(), path.c_str(), H5P_DEFAULT) <= 0) throw InputError(f.path(), 0, "missing dataset " + path);
  H5Id dset(H5Dopen2(f.get(), path.c_str(), H5P_DEFAULT), H5Dclose, "open " + path);
  H5Id space(H5Dget_space(dset.get()), H5Sclose, "H5Dget_space");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  dims.assign(rank > 0 ? rank : 0, 0);
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  hsize_t n = 1;
  for (hsize_t d : dims) n *= d;
  std::vector<T> out(n);
  if (n > 0) io::check_h5(H5Dread(dset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + path);
  return out;
}

void expect_dims(const io::File& f, const std::string& path, const std::vector<hsize_t>& got,
                 const std::vector<hsize_t>& want) {
  bool ok = got.size() == want.size();
  for (std::size_t i = 0; ok && i < got.size(); ++i) ok = got[i] == want[i];
  if (ok) return;
  auto text = [](const std::vector<hsize_t>& d) {
    std::string s = "[";
    for (std::size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
    return s + "]";
  };
  throw InputError(f.path(), 0, path + ": shape " + text(got) + ", expected " + text(want));
}

int int_attribute(const io::File& f, const std::string& obj_path, const std::string& name) {
  H5Id obj(H5Oopen(f.get(), obj_path.c_str(), H5P_DEFAULT), H5Oclose, "open " + obj_path);
  if (H5Aexists(obj.get(), name.c_str()) <= 0) throw InputError(f.path(), 0, "missing attribute " + obj_path + "@" + name);
  H5Id attr(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  int v = 0;
  io::check_h5(H5Aread(attr.get(), H5T_NATIVE_INT, &v), "read attribute " + name);
  return v;
}

/// A string attribute, fixed-length (as the program writes them) or variable-length (as h5py writes them).
std::string text_attribute(const io::File& f, const std::string& obj_path, const std::string& name) {
  H5Id obj(H5Oopen(f.get(), obj_path.c_str(), H5P_DEFAULT), H5Oclose, "open " + obj_path);
  if (H5Aexists(obj.get(), name.c_str()) <= 0) throw InputError(f.path(), 0, "missing attribute " + obj_path + "@" + name);
  H5Id attr(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  H5Id type(H5Aget_type(attr.get()), H5Tclose, "H5Aget_type");
  if (H5Tget_class(type.get()) != H5T_STRING)
    throw InputError(f.path(), 0, obj_path + "@" + name + ": expected a string attribute");
  if (H5Tis_variable_str(type.get()) <= 0) return io::read_string_attribute(obj.get(), name);
  H5Id mem(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  io::check_h5(H5Tset_size(mem.get(), H5T_VARIABLE), "H5Tset_size");
  io::check_h5(H5Tset_cset(mem.get(), H5Tget_cset(type.get())), "H5Tset_cset");
  char* raw = nullptr;
  io::check_h5(H5Aread(attr.get(), mem.get(), &raw), "read attribute " + name);
  std::string value = raw ? raw : "";
  H5free_memory(raw);
  return value;
}

std::vector<std::string> read_strings(const io::File& f, const std::string& path) {
  if (H5Lexists(f.get(), path.c_str(), H5P_DEFAULT) <= 0) throw InputError(f.path(), 0, "missing dataset " + path);
  H5Id dset(H5Dopen2(f.get(), path.c_str(), H5P_DEFAULT), H5Dclose, "open " + path);
  H5Id type(H5Dget_type(dset.get()), H5Tclose, "H5Dget_type");
  H5Id space(H5Dget_space(dset.get()), H5Sclose, "H5Dget_space");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.get(), &n, nullptr);
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) > 0)
    throw InputError(f.path(), 0, path + ": expected fixed-length strings (h5py: dtype 'S<n>')");
  const std::size_t width = H5Tget_size(type.get());
  std::vector<char> buf(n * width);
  if (n > 0) io::check_h5(H5Dread(dset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()), "read " + path);
  std::vector<std::string> out;
  for (hsize_t i = 0; i < n; ++i) {
    std::string s(buf.data() + i * width, width);
    out.push_back(s.substr(0, s.find('\0')));
  }
  return out;
}

LigandPoses read_ligand(const io::File& f, const std::string& name) {
  const std::string g = "/ligands/" + name;
  LigandPoses lig;
  lig.name = name;
  lig.source = text_attribute(f, g, "source");
  lig.pdbqt = text_attribute(f, g, "pdbqt");
  lig.n_atoms = int_attribute(f, g, "n_atoms");
  lig.n_torsions = int_attribute(f, g, "n_torsions");
  lig.torsdof = int_attribute(f, g, "torsdof");
  if (lig.n_atoms < 1 || lig.n_torsions < 0) throw InputError(f.path(), 0, g + ": n_atoms must be >= 1, n_torsions >= 0");
  std::vector<hsize_t> d;
  lig.score_kcal_per_mol = read_nd<double>(f, g + "/score_kcal_per_mol", d, H5T_NATIVE_DOUBLE);
  const hsize_t P = lig.score_kcal_per_mol.size(), n = lig.n_atoms, T = lig.n_torsions;
  if (P == 0) throw InputError(f.path(), 0, g + "/score_kcal_per_mol: no poses");
  expect_dims(f, g + "/score_kcal_per_mol", d, {P});
  lig.inter_kcal_per_mol = read_nd<double>(f, g + "/inter_kcal_per_mol", d, H5T_NATIVE_DOUBLE);
  expect_dims(f, g + "/inter_kcal_per_mol", d, {P});
  lig.intra_kcal_per_mol = read_nd<double>(f, g + "/intra_kcal_per_mol", d, H5T_NATIVE_DOUBLE);
  expect_dims(f, g + "/intra_kcal_per_mol", d, {P});
  const auto xyz = read_nd<double>(f, g + "/coordinates_angstrom", d, H5T_NATIVE_DOUBLE);
  expect_dims(f, g + "/coordinates_angstrom", d, {P, n, 3});
  const auto pos = read_nd<double>(f, g + "/position_angstrom", d, H5T_NATIVE_DOUBLE);
  expect_dims(f, g + "/position_angstrom", d, {P, 3});
  const auto quat = read_nd<double>(f, g + "/orientation_wxyz", d, H5T_NATIVE_DOUBLE);
  expect_dims(f, g + "/orientation_wxyz", d, {P, 4});
  const auto tors = read_nd<double>(f, g + "/torsions_rad", d, H5T_NATIVE_DOUBLE);
  if (T > 0 || !d.empty()) expect_dims(f, g + "/torsions_rad", d, {P, T});
  lig.site = read_nd<int>(f, g + "/site", d, H5T_NATIVE_INT);
  expect_dims(f, g + "/site", d, {P});
  lig.xs_type = read_nd<int>(f, g + "/xs_type", d, H5T_NATIVE_INT);
  expect_dims(f, g + "/xs_type", d, {n});
  lig.element = read_strings(f, g + "/element");
  if (lig.element.size() != n) throw InputError(f.path(), 0, g + "/element: expected n_atoms names");
  for (hsize_t p = 0; p < P; ++p) {
    Coords c(n);
    for (hsize_t a = 0; a < n; ++a)
      for (int k = 0; k < 3; ++k) {
        c[a][k] = xyz[(p * n + a) * 3 + k];
        if (!std::isfinite(c[a][k]))
          throw InputError(f.path(), 0, g + "/coordinates_angstrom[" + std::to_string(p) + "]: not finite");
      }
    lig.coordinates.push_back(std::move(c));
    lig.position_angstrom.push_back({pos[p * 3], pos[p * 3 + 1], pos[p * 3 + 2]});
    lig.orientation_wxyz.push_back({quat[p * 4], quat[p * 4 + 1], quat[p * 4 + 2], quat[p * 4 + 3]});
    lig.torsions_rad.emplace_back(tors.begin() + static_cast<long>(p * T), tors.begin() + static_cast<long>((p + 1) * T));
    if (!std::isfinite(lig.score_kcal_per_mol[p]))
      throw InputError(f.path(), 0, g + "/score_kcal_per_mol[" + std::to_string(p) + "]: not finite");
  }
  return lig;
}

}  // namespace

const LigandPoses& PosesFile::ligand(const std::string& name) const {
  if (name.empty()) {
    if (ligands.size() != 1)
      throw UsageError("pandakinetics network: " + path + " holds " + std::to_string(ligands.size()) +
                       " ligands; pick one with --ligand NAME");
    return ligands.front();
  }
  for (const auto& l : ligands)
    if (l.name == name) return l;
  std::string names;
  for (const auto& l : ligands) names += (names.empty() ? "" : ", ") + l.name;
  throw UsageError("pandakinetics network: no ligand '" + name + "' in " + path + " (it holds: " + names + ")");
}

PosesFile read_poses_h5(const std::string& path) {
  io::File f = io::File::open_read(path, MPI_COMM_NULL);
  PosesFile out;
  out.path = path;
  std::string format;
  try {
    format = text_attribute(f, "/", "format");
  } catch (const InputError&) {
  }
  if (format != "pandakinetics-poses")
    throw InputError(path, 0, "not a poses file (root attribute format = \"pandakinetics-poses\" missing)");
  const int version = int_attribute(f, "/", "format_version");
  if (version != 1) throw InputError(path, 0, "format_version " + std::to_string(version) + " (this build reads 1)");
  out.receptor = text_attribute(f, "/", "receptor");
  if (H5Lexists(f.get(), "/ligands", H5P_DEFAULT) <= 0) throw InputError(path, 0, "missing group /ligands");
  std::vector<std::string> names;
  {
    H5Id g(H5Gopen2(f.get(), "/ligands", H5P_DEFAULT), H5Gclose, "open /ligands");
    H5G_info_t info;
    io::check_h5(H5Gget_info(g.get(), &info), "list /ligands");
    for (hsize_t i = 0; i < info.nlinks; ++i) {
      const ssize_t len = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
      if (len < 0) throw InputError(path, 0, "cannot list /ligands");
      std::string name(static_cast<std::size_t>(len) + 1, '\0');
      H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
      name.resize(static_cast<std::size_t>(len));
      names.push_back(name);
    }
  }
  if (names.empty()) throw InputError(path, 0, "/ligands holds no ligand");
  for (const auto& n : names) out.ligands.push_back(read_ligand(f, n));
  std::vector<hsize_t> d;
  const auto c = read_nd<double>(f, "/boxes/center_angstrom", d, H5T_NATIVE_DOUBLE);
  const hsize_t B = d.empty() ? 0 : d[0];
  expect_dims(f, "/boxes/center_angstrom", d, {B, 3});
  const auto s = read_nd<double>(f, "/boxes/size_angstrom", d, H5T_NATIVE_DOUBLE);
  expect_dims(f, "/boxes/size_angstrom", d, {B, 3});
  for (hsize_t b = 0; b < B; ++b) {
    for (int k = 0; k < 3; ++k)
      if (!std::isfinite(c[b * 3 + k]) || !std::isfinite(s[b * 3 + k]) || !(s[b * 3 + k] > 0))
        throw InputError(path, 0, "/boxes[" + std::to_string(b) + "]: expected a finite centre and a finite size > 0 Å");
    out.boxes.push_back({{c[b * 3], c[b * 3 + 1], c[b * 3 + 2]}, {s[b * 3], s[b * 3 + 1], s[b * 3 + 2]}});
  }
  for (const auto& lig : out.ligands)
    for (int p = 0; p < lig.n_poses(); ++p)
      if (lig.site[p] < 0 || static_cast<hsize_t>(lig.site[p]) >= B)
        throw InputError(path, 0, "/ligands/" + lig.name + "/site[" + std::to_string(p) + "] = " +
                                      std::to_string(lig.site[p]) + ": expected a box index in [0, " + std::to_string(B) + ")");
  return out;
}

}  // namespace pk::pipeline
