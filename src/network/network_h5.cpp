#include "network/network_h5.hpp"

#include "core/error.hpp"
#include "network/validate.hpp"

#include <algorithm>
#include <cstring>

namespace pk::network {

namespace {

constexpr const char* kMacrostateLegend = "0 bound, 1 unbound, 2 other";
constexpr const char* kKindLegend = "0 Eyring, 1 Rate, 2 Probability";
constexpr const char* kValueUnit =
    "kind 0 (Eyring): transition-state free energy, kcal/mol; kind 1 (Rate): rate constant, 1/s (association rates "
    "out of unbound states at 1 M); kind 2 (Probability): transition probability per lag time, 1";

int rank_of(const io::File& file) {
  int rank = 0;
  if (file.comm() != MPI_COMM_NULL) MPI_Comm_rank(file.comm(), &rank);
  return rank;
}

void add_string_attribute(const io::File& file, const std::string& dataset, const char* name, const std::string& value) {
  io::H5Id dset(H5Dopen2(file.get(), dataset.c_str(), H5P_DEFAULT), H5Dclose, "open " + dataset);
  io::write_attribute(dset.get(), name, value);
}

/// Fixed-length, NUL-padded strings; collective like write_replicated: every
/// rank creates the dataset, rank 0 alone selects data.
void write_names(const io::File& file, const std::string& path, const std::vector<State>& states) {
  std::size_t width = 1;
  for (const State& s : states) width = std::max(width, s.name.size());
  std::vector<char> text(states.size() * width, '\0');
  for (std::size_t i = 0; i < states.size(); ++i) std::memcpy(&text[i * width], states[i].name.data(), states[i].name.size());

  io::H5Id type(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  io::check_h5(H5Tset_size(type.get(), width), "H5Tset_size");
  io::check_h5(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), "H5Tset_strpad");
  hsize_t dims[1] = {states.size()};
  io::H5Id filespace(H5Screate_simple(1, dims, nullptr), H5Sclose, "H5Screate_simple");
  const auto slash = path.rfind('/');
  io::H5Id parent = io::ensure_group(file.get(), path.substr(0, slash));
  io::H5Id dset(H5Dcreate2(parent.get(), path.substr(slash + 1).c_str(), type.get(), filespace.get(), H5P_DEFAULT,
                           H5P_DEFAULT, H5P_DEFAULT),
                H5Dclose, "create dataset " + path + " in " + file.path());
  if (states.empty()) return;
  io::H5Id memspace(H5Screate_simple(1, dims, nullptr), H5Sclose, "H5Screate_simple(memory)");
  if (rank_of(file) != 0) {
    io::check_h5(H5Sselect_none(filespace.get()), "H5Sselect_none");
    io::check_h5(H5Sselect_none(memspace.get()), "H5Sselect_none");
  }
  io::H5Id dxpl(H5Pcreate(H5P_DATASET_XFER), H5Pclose, "H5Pcreate(transfer)");
#ifdef PK_HDF5_PARALLEL
  if (file.comm() != MPI_COMM_NULL)
    io::check_h5(H5Pset_dxpl_mpio(dxpl.get(), H5FD_MPIO_COLLECTIVE), "H5Pset_dxpl_mpio");
#endif
  io::check_h5(H5Dwrite(dset.get(), type.get(), memspace.get(), filespace.get(), dxpl.get(), text.data()),
               "write " + path + " to " + file.path());
}

bool object_exists(hid_t file, const std::string& path) {
  std::size_t pos = 0;
  while ((pos = path.find('/', pos + 1)) != std::string::npos)
    if (H5Lexists(file, path.substr(0, pos).c_str(), H5P_DEFAULT) <= 0) return false;
  return H5Lexists(file, path.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> read_names(const io::File& file, const std::string& path) {
  io::H5Id dset(H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT), H5Dclose, "open " + path);
  io::H5Id ftype(H5Dget_type(dset.get()), H5Tclose, "H5Dget_type");
  if (H5Tget_class(ftype.get()) != H5T_STRING || H5Tis_variable_str(ftype.get()) > 0)
    throw InputError(file.path(), 0, path + ": expected a fixed-length string dataset");
  io::H5Id space(H5Dget_space(dset.get()), H5Sclose, "H5Dget_space");
  if (H5Sget_simple_extent_ndims(space.get()) != 1) throw InputError(file.path(), 0, path + ": expected a 1-D dataset");
  hsize_t dims[1] = {0};
  io::check_h5(H5Sget_simple_extent_dims(space.get(), dims, nullptr), "H5Sget_simple_extent_dims");
  const std::size_t width = H5Tget_size(ftype.get());
  io::H5Id mtype(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  io::check_h5(H5Tset_size(mtype.get(), width), "H5Tset_size");
  io::check_h5(H5Tset_strpad(mtype.get(), H5T_STR_NULLPAD), "H5Tset_strpad");
  io::check_h5(H5Tset_cset(mtype.get(), H5Tget_cset(ftype.get())), "H5Tset_cset");
  std::vector<char> text(dims[0] * width + 1, '\0');
  if (dims[0] > 0)
    io::check_h5(H5Dread(dset.get(), mtype.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()), "read " + path);
  std::vector<std::string> names(dims[0]);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const char* p = &text[i * width];
    names[i].assign(p, std::find(p, p + width, '\0'));
  }
  return names;
}

double read_lag_time(const io::File& file, const std::string& group) {
  io::H5Id g(H5Oopen(file.get(), group.c_str(), H5P_DEFAULT), H5Oclose, "open " + group);
  if (H5Aexists(g.get(), "lag_time_s") <= 0)
    throw InputError(file.path(), 0, group + "@lag_time_s: missing attribute, expected 0 or the lag time in s");
  io::H5Id attr(H5Aopen(g.get(), "lag_time_s", H5P_DEFAULT), H5Aclose, "open attribute lag_time_s");
  double lag = 0.0;
  io::check_h5(H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &lag), "read attribute lag_time_s");
  return lag;
}

template <class T>
std::vector<T> read_sized(const io::File& file, const std::string& path, std::size_t expected, const char* per) {
  if (!object_exists(file.get(), path)) throw InputError(file.path(), 0, path + ": missing dataset");
  std::vector<T> v = io::read_all<T>(file, path);
  if (expected != static_cast<std::size_t>(-1) && v.size() != expected)
    throw InputError(file.path(), 0,
                     path + ": holds " + std::to_string(v.size()) + " values, expected " + std::to_string(expected) +
                         " (one per " + per + ")");
  return v;
}

}  // namespace

void write_network_h5(const io::File& file, const Network& net, const std::string& group) {
  const std::size_t n = net.states.size(), m = net.edges.size();
  std::vector<std::int64_t> id(n);
  std::vector<double> energy(n);
  std::vector<std::int32_t> macro(n);
  for (std::size_t i = 0; i < n; ++i) {
    id[i] = net.states[i].id;
    energy[i] = net.states[i].free_energy_kcal_per_mol;
    macro[i] = static_cast<std::int32_t>(net.states[i].macrostate);
  }
  std::vector<std::int32_t> from(m), to(m), kind(m);
  std::vector<double> value(m);
  for (std::size_t k = 0; k < m; ++k) {
    from[k] = net.edges[k].from;
    to[k] = net.edges[k].to;
    kind[k] = static_cast<std::int32_t>(net.edges[k].kind);
    value[k] = net.edges[k].value;
  }
  {
    io::H5Id g = io::ensure_group(file.get(), group);
    io::write_attribute(g.get(), "lag_time_s", net.lag_time_s);
    io::write_attribute(g.get(), "source", net.source);
  }
  const std::string s = group + "/states/", e = group + "/edges/";
  io::write_replicated(file, s + "id", id, "");
  io::write_replicated(file, s + "free_energy_kcal_per_mol", energy, "kcal/mol");
  io::write_replicated(file, s + "macrostate", macro, "");
  add_string_attribute(file, s + "macrostate", "legend", kMacrostateLegend);
  write_names(file, s + "name", net.states);
  io::write_replicated(file, e + "from", from, "");
  add_string_attribute(file, e + "from", "description", "state index (0-based position in states/id)");
  io::write_replicated(file, e + "to", to, "");
  add_string_attribute(file, e + "to", "description", "state index (0-based position in states/id)");
  io::write_replicated(file, e + "kind", kind, "");
  add_string_attribute(file, e + "kind", "legend", kKindLegend);
  io::write_replicated(file, e + "value", value, kValueUnit);
}

Network read_network_h5(const std::string& path, const std::string& group) {
  io::File file = io::File::open_read(path, MPI_COMM_NULL);
  if (!object_exists(file.get(), group)) throw InputError(path, 0, group + ": missing group, expected a network");
  const std::string s = group + "/states/", e = group + "/edges/";
  constexpr auto any = static_cast<std::size_t>(-1);
  Network net;
  net.source = path;
  net.lag_time_s = read_lag_time(file, group);

  const auto id = read_sized<std::int64_t>(file, s + "id", any, "");
  const std::size_t n = id.size();
  const auto energy = read_sized<double>(file, s + "free_energy_kcal_per_mol", n, "state in states/id");
  const auto macro = read_sized<std::int32_t>(file, s + "macrostate", n, "state in states/id");
  std::vector<std::string> names(n);
  if (object_exists(file.get(), s + "name")) {
    names = read_names(file, s + "name");
    if (names.size() != n)
      throw InputError(path, 0,
                       s + "name: holds " + std::to_string(names.size()) + " values, expected " + std::to_string(n) +
                           " (one per state in states/id)");
  }
  if (n >= static_cast<std::size_t>(INT32_MAX)) throw InputError(path, 0, s + "id: too many states, at most 2^31 - 1");
  net.states.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (macro[i] < 0 || macro[i] > 2)
      throw InputError(path, 0,
                       s + "macrostate[" + std::to_string(i) + "] = " + std::to_string(macro[i]) + ": expected " +
                           kMacrostateLegend);
    net.states[i] = State{id[i], energy[i], static_cast<Macrostate>(macro[i]), std::move(names[i])};
  }

  const auto from = read_sized<std::int32_t>(file, e + "from", any, "");
  const std::size_t m = from.size();
  const auto to = read_sized<std::int32_t>(file, e + "to", m, "edge in edges/from");
  const auto kind = read_sized<std::int32_t>(file, e + "kind", m, "edge in edges/from");
  const auto value = read_sized<double>(file, e + "value", m, "edge in edges/from");
  net.edges.resize(m);
  for (std::size_t k = 0; k < m; ++k) {
    if (kind[k] < 0 || kind[k] > 2)
      throw InputError(path, 0,
                       e + "kind[" + std::to_string(k) + "] = " + std::to_string(kind[k]) + ": expected " + kKindLegend);
    net.edges[k] = Edge{from[k], to[k], static_cast<EdgeKind>(kind[k]), value[k]};
  }
  check_network(net, path, group);
  return net;
}

}  // namespace pk::network
