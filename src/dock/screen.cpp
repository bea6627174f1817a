// Ligand lists, the rank split and the gather of results (see screen.hpp).
#include "dock/screen.hpp"

#include "dock/ligand_files.hpp"

#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace pk::dock {

std::vector<std::string> collect_ligands(const std::vector<std::string>& ligands, const std::string& directory) {
  std::vector<std::string> out = ligands;
  if (!directory.empty()) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::directory_iterator it(directory, ec);
    if (ec) throw InputError(directory, 0, "cannot read the ligand directory: " + ec.message());
    std::vector<std::string> found;
    for (const auto& entry : it)
      if (entry.is_regular_file() && entry.path().extension() == ".pdbqt") found.push_back(entry.path().string());
    if (found.empty()) throw InputError(directory, 0, "expected *.pdbqt ligand files in this directory, found none");
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  if (out.empty()) throw UsageError("dock: give a ligand with --ligand FILE (repeatable) or --ligand_directory DIR");
  return out;
}

std::vector<std::string> ligand_names(const std::vector<std::string>& paths) {
  std::vector<std::string> names;
  std::map<std::string, int> seen;
  for (const auto& p : paths) {
    std::string stem = std::filesystem::path(p).stem().string();
    for (char& c : stem)
      if (c == '/') c = '_';
    if (stem.empty()) stem = "ligand";
    const int k = seen[stem]++;
    names.push_back(k == 0 ? stem : stem + "_" + std::to_string(k + 1));
  }
  return names;
}

namespace {
/// MODEL records in a PDBQT file and the line of the first (0, 0 if unreadable).
std::pair<int, long> model_records(const std::string& path) {
  std::ifstream in(path);
  int n = 0;
  long first = 0, line = 0;
  for (std::string s; std::getline(in, s);) {
    ++line;
    if (s.compare(0, 5, "MODEL") == 0 && (s.size() == 5 || s[5] == ' ' || s[5] == '\t' || s[5] == '\r')) {
      if (n++ == 0) first = line;
    }
  }
  return {n, first};
}
}  // namespace

long first_model_line(const std::string& path) { return model_records(path).second; }

void refuse_multi_model(const std::string& path) {
  throw InputError(path, first_model_line(path),
                   "a --ligand file holds one ligand, this one has several MODELs (Vina 1.2.3 refuses it too: "
                   "\"Unexpected multi-MODEL tag\"); give it with --batch FILE --dir DIR to score or dock each MODEL as "
                   "a ligand of its own, or split it with vina_split");
}

std::vector<ScreenEntry> screening_entries(const std::vector<std::string>& files, bool batch_mode) {
  const std::vector<std::string> names = ligand_names(files);
  std::vector<ScreenEntry> out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const int models = !batch_mode ? 0 : is_molecule_file(files[i]) ? molecule_file_models(files[i]) : model_records(files[i]).first;
    if (models <= 1) {
      out.push_back({files[i], 0, names[i]});
      continue;
    }
    for (int m = 0; m < models; ++m) out.push_back({files[i], m, names[i] + "_" + std::to_string(m + 1)});
  }
  return out;
}

std::vector<int> ligands_of_rank(int n_ligands, int rank, int size) {
  std::vector<int> mine;
  for (int i = rank; i < n_ligands; i += size) mine.push_back(i);
  return mine;
}

namespace {

class Writer {
 public:
  template <class T>
  void pod(const T& v) {
    const auto* p = reinterpret_cast<const char*>(&v);
    buf_.insert(buf_.end(), p, p + sizeof(T));
  }
  void str(const std::string& s) {
    pod(static_cast<std::uint64_t>(s.size()));
    buf_.insert(buf_.end(), s.begin(), s.end());
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod(static_cast<std::uint64_t>(v.size()));
    for (const auto& x : v) pod(x);
  }
  std::vector<char>& bytes() { return buf_; }

 private:
  std::vector<char> buf_;
};

class Reader {
 public:
  Reader(const char* p, std::size_t n) : p_(p), end_(p + n) {}
  template <class T>
  T pod() {
    if (p_ + sizeof(T) > end_) throw SystemError("dock: truncated result message between ranks");
    T v;
    std::memcpy(&v, p_, sizeof(T));
    p_ += sizeof(T);
    return v;
  }
  std::string str() {
    const auto n = pod<std::uint64_t>();
    if (p_ + n > end_) throw SystemError("dock: truncated result message between ranks");
    std::string s(p_, p_ + n);
    p_ += n;
    return s;
  }
  template <class T>
  std::vector<T> vec() {
    std::vector<T> v(pod<std::uint64_t>());
    for (auto& x : v) x = pod<T>();
    return v;
  }
  bool done() const { return p_ >= end_; }

 private:
  const char* p_;
  const char* end_;
};

void put(Writer& w, const LigandOutput& l, const LigandSummary& s, int index) {
  w.pod(index);
  w.str(s.name), w.str(s.path), w.pod(static_cast<int>(s.ok)), w.str(s.message);
  w.pod(s.best_score), w.pod(s.n_poses), w.pod(s.seconds);
  w.str(l.name), w.str(l.source), w.str(l.pdbqt), w.pod(l.n_torsions), w.pod(l.torsdof);
  w.vec(l.atom_line), w.vec(l.xs_type), w.vec(l.bonds);
  w.pod(l.box_center), w.pod(l.box_size);
  w.pod(static_cast<std::uint64_t>(l.element.size()));
  for (const auto& e : l.element) w.str(e);
  w.pod(static_cast<std::uint64_t>(l.poses.size()));
  for (const auto& p : l.poses) {
    w.vec(p.conformation), w.vec(p.coords);
    w.pod(p.score), w.pod(p.inter), w.pod(p.intra), w.pod(p.intra_best), w.pod(p.torsional_normalisation);
    w.pod(p.rmsd_lb), w.pod(p.rmsd_ub), w.pod(p.site);
    w.pod(static_cast<std::uint64_t>(p.inter_terms.size()));
    for (const auto& [k, v] : p.inter_terms) w.str(k), w.pod(v);
    w.pod(static_cast<std::uint64_t>(p.intra_terms.size()));
    for (const auto& [k, v] : p.intra_terms) w.str(k), w.pod(v);
  }
}

int get(Reader& r, LigandOutput& l, LigandSummary& s) {
  const int index = r.pod<int>();
  s.name = r.str(), s.path = r.str(), s.ok = r.pod<int>() != 0, s.message = r.str();
  s.best_score = r.pod<double>(), s.n_poses = r.pod<int>(), s.seconds = r.pod<double>();
  l.name = r.str(), l.source = r.str(), l.pdbqt = r.str(), l.n_torsions = r.pod<int>(), l.torsdof = r.pod<int>();
  l.atom_line = r.vec<int>(), l.xs_type = r.vec<int>(), l.bonds = r.vec<std::array<int, 2>>();
  l.box_center = r.pod<std::array<double, 3>>(), l.box_size = r.pod<std::array<double, 3>>();
  l.element.resize(r.pod<std::uint64_t>());
  for (auto& e : l.element) e = r.str();
  l.poses.resize(r.pod<std::uint64_t>());
  for (auto& p : l.poses) {
    p.conformation = r.vec<double>(), p.coords = r.vec<std::array<double, 3>>();
    p.score = r.pod<double>(), p.inter = r.pod<double>(), p.intra = r.pod<double>();
    p.intra_best = r.pod<double>(), p.torsional_normalisation = r.pod<double>();
    p.rmsd_lb = r.pod<double>(), p.rmsd_ub = r.pod<double>(), p.site = r.pod<int>();
    p.inter_terms.resize(r.pod<std::uint64_t>());
    for (auto& [k, v] : p.inter_terms) k = r.str(), v = r.pod<double>();
    p.intra_terms.resize(r.pod<std::uint64_t>());
    for (auto& [k, v] : p.intra_terms) k = r.str(), v = r.pod<double>();
  }
  return index;
}

}  // namespace

void gather_results(MPI_Comm comm, const std::vector<int>& index, std::vector<LigandOutput>& outputs,
                    std::vector<LigandSummary>& summaries) {
  int rank = 0, size = 1;
  comm::check_mpi(MPI_Comm_rank(comm, &rank), "MPI_Comm_rank");
  comm::check_mpi(MPI_Comm_size(comm, &size), "MPI_Comm_size");
  Writer w;
  for (std::size_t i = 0; i < index.size(); ++i) put(w, outputs[i], summaries[i], index[i]);
  int n = static_cast<int>(w.bytes().size());
  std::vector<int> counts(size), displs(size);
  comm::check_mpi(MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm), "MPI_Gather");
  std::vector<char> all;
  if (rank == 0) {
    int total = 0;
    for (int r = 0; r < size; ++r) displs[r] = total, total += counts[r];
    all.resize(std::max(total, 1));
  }
  comm::check_mpi(MPI_Gatherv(w.bytes().data(), n, MPI_CHAR, all.data(), counts.data(), displs.data(), MPI_CHAR, 0,
                              comm),
                  "MPI_Gatherv");
  outputs.clear();
  summaries.clear();
  if (rank != 0) return;
  std::map<int, std::pair<LigandOutput, LigandSummary>> by_index;
  for (int r = 0; r < size; ++r) {
    Reader rd(all.data() + displs[r], counts[r]);
    while (!rd.done()) {
      LigandOutput l;
      LigandSummary s;
      const int i = get(rd, l, s);
      by_index[i] = {std::move(l), std::move(s)};
    }
  }
  for (auto& [i, v] : by_index) {
    outputs.push_back(std::move(v.first));
    summaries.push_back(std::move(v.second));
  }
}

namespace {
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}
}  // namespace

std::string summary_table(const std::vector<LigandSummary>& rows) {
  std::ostringstream out;
  out << "ligand\tstatus\tbest_score_kcal_per_mol\tn_poses\ttime_s\tmessage\n";
  for (const auto& r : rows) {
    char score[32], secs[32];
    std::snprintf(score, sizeof score, "%.3f", r.best_score);
    std::snprintf(secs, sizeof secs, "%.2f", r.seconds);
    out << r.name << '\t' << (r.ok ? "ok" : "failed") << '\t' << (r.ok ? score : "") << '\t' << r.n_poses << '\t'
        << secs << '\t' << one_line(r.message) << '\n';
  }
  return out.str();
}

void write_summary(const std::vector<LigandSummary>& rows, const std::string& path) {
  io::write_file_atomically(path, summary_table(rows));
}

}  // namespace pk::dock
