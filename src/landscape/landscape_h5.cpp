#include "landscape/landscape_h5.hpp"

#include "core/error.hpp"
#include "io/hdf5.hpp"

#include <cmath>
#include <cstdint>
#include <sys/stat.h>

namespace pk::landscape {

namespace {

template <class T>
std::vector<T> read_column(const io::File& f, const std::string& path, std::size_t expected, const std::string& per) {
  std::vector<T> v = io::read_all<T>(f, path);
  if (v.size() != expected)
    throw InputError(f.path(), 0, path + ": holds " + std::to_string(v.size()) + " values, expected " +
                                      std::to_string(expected) + " (one per " + per + ")");
  return v;
}

double finite_attribute(const io::File& f, const std::string& name) {
  const double v = io::read_double_attribute(f, "/builder", name);
  if (!std::isfinite(v)) throw InputError(f.path(), 0, "/builder@" + name + " is not a finite number");
  return v;
}

}  // namespace

ComplexLandscape read_landscape(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw InputError(path, 0, "network file does not exist");
  const io::File f = io::File::open_read(path, MPI_COMM_NULL);
  ComplexLandscape c;
  c.source = path;
  c.temperature_K = finite_attribute(f, "temperature_K");
  c.kappa = finite_attribute(f, "kappa");
  c.heavy_atoms = finite_attribute(f, "heavy_atoms");
  const double n_rot = finite_attribute(f, "n_rot");
  const double landscape = finite_attribute(f, "landscape");
  if (landscape != 0.0 && landscape != 1.0) throw InputError(path, 0, "/builder@landscape must be 0 or 1");

  const std::string s = "/builder/states/";
  const auto score = io::read_all<double>(f, s + "score_kcal_per_mol");
  const std::size_t n = score.size();
  if (n == 0) throw InputError(path, 0, s + "score_kcal_per_mol: no states");
  const auto contact = read_column<double>(f, s + "contact_fraction", n, "state in " + s + "score_kcal_per_mol");
  const auto polar = read_column<double>(f, s + "polar_buried", n, "state in " + s + "score_kcal_per_mol");
  const auto apolar = read_column<double>(f, s + "apolar_buried", n, "state in " + s + "score_kcal_per_mol");
  const auto layer = read_column<std::int32_t>(f, s + "layer", n, "state in " + s + "score_kcal_per_mol");
  c.states.resize(n);
  c.bound.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (layer[i] < 0 || layer[i] > 2)
      throw InputError(path, 0, s + "layer[" + std::to_string(i) + "] = " + std::to_string(layer[i]) +
                                    ": expected 0 (pocket), 1 (channel) or 2 (surface)");
    c.states[i] = StateFeatures{score[i], contact[i], n_rot, polar[i], apolar[i]};
    c.bound[i] = landscape == 0.0 || layer[i] == 0;
  }

  const std::string e = "/builder/edges/";
  const auto a = io::read_all<std::int32_t>(f, e + "a");
  const std::size_t m = a.size();
  const std::string per = "edge in " + e + "a";
  const auto b = read_column<std::int32_t>(f, e + "b", m, per);
  const auto bulk = read_column<std::int32_t>(f, e + "bulk", m, per);
  const auto top = read_column<double>(f, e + "path_max_score_kcal_per_mol", m, per);
  const auto assoc = read_column<double>(f, e + "association_per_M_per_s", m, per);
  const auto u = static_cast<std::int32_t>(n);
  c.edges.resize(m);
  for (std::size_t k = 0; k < m; ++k) {
    const std::string at = "[" + std::to_string(k) + "]";
    if (a[k] < 0 || a[k] >= u) throw InputError(path, 0, e + "a" + at + " = " + std::to_string(a[k]) + ": not a state index");
    if (b[k] < 0 || b[k] > u) throw InputError(path, 0, e + "b" + at + " = " + std::to_string(b[k]) + ": not a state index");
    if (bulk[k] != 0 && bulk[k] != 1) throw InputError(path, 0, e + "bulk" + at + " must be 0 or 1");
    if ((bulk[k] == 1) != (b[k] == u))
      throw InputError(path, 0, e + "bulk" + at + " disagrees with " + e + "b" + at + " (the unbound state is " +
                                    std::to_string(u) + ")");
    c.edges[k] = LandscapeEdge{a[k], bulk[k] ? -1 : b[k], top[k], assoc[k]};
  }
  check_landscape(c);
  return c;
}

}  // namespace pk::landscape
