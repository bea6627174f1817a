// Seeded random-mutation fuzzing of the input parsers (issue 19): the
// networks' CSV files, a transition matrix as CSV and .npy, INI config files
// and PDBQT ligands and receptors. Each iteration mutates a real input from
// inputs/ (bytes flipped, spans deleted, lines duplicated, dropped or
// swapped, numbers replaced by NaN, huge or negative values, markers of the
// format inserted, the file cut short) and parses it. A parser must either
// accept the file or throw pk::InputError (file, line, problem); any other
// exception, and any crash, is a finding. The input being parsed is kept in
// fuzz_current.<ext> in the working directory, so a crash leaves it behind;
// a finding is saved as fuzz_finding_<parser>_<iteration>.<ext>: add it to
// the regression cases below once fixed.
// PK_FUZZ_ITERATIONS (default 400 per parser) and PK_FUZZ_SEED (default 19).
#include "core/error.hpp"
#include "dock/molecule.hpp"
#include "io/ini.hpp"
#include "network/load.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/source_paths.hpp"

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

long env_long(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtol(v, nullptr, 10) : fallback;
}

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  std::string mutate(std::string s) {
    const int n = pick(1, 4);
    for (int k = 0; k < n; ++k) s = once(std::move(s));
    return s;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::size_t where(const std::string& s) {
    return s.empty() ? 0 : std::uniform_int_distribution<std::size_t>(0, s.size() - 1)(rng_);
  }
  std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::string line;
    std::istringstream in(s);
    while (std::getline(in, line)) out.push_back(line);
    return out;
  }
  static std::string join(const std::vector<std::string>& ls) {
    std::string s;
    for (const auto& l : ls) s += l + "\n";
    return s;
  }

  std::string once(std::string s) {
    static const std::vector<std::string> tokens = {
        "nan", "-nan", "inf", "-inf", "-1", "0", "1e309", "-1e309", "99999999999999999999", "1e-320", ",", ",,",
        "\n", "\r\n", "\"", "#", "[", "]", "[kmc]", "=", " = ", std::string(1, '\0'), "\xef\xbb\xbf", "\xff\xfe",
        "ATOM  ", "HETATM", "BRANCH", "ENDBRANCH", "ROOT", "ENDROOT", "TORSDOF", "MODEL", "ENDMDL", "BRANCH   1 999",
        "  ", std::string(300, 'x'), "\x93NUMPY", "'descr': '<f4'", "'shape': ()", "'fortran_order': True", "{", "}",
        "bound", "unbound", "other", "rate_per_s", "ts_free_energy_kcal_per_mol"};
    switch (pick(0, 8)) {
      case 0:  // flip a byte
        if (!s.empty()) s[where(s)] = static_cast<char>(pick(0, 255));
        return s;
      case 1: {  // delete a span
        if (s.empty()) return s;
        const std::size_t at = where(s);
        return s.erase(at, static_cast<std::size_t>(pick(1, 16)));
      }
      case 2:  // insert a token
        return s.insert(s.empty() ? 0 : where(s), tokens[static_cast<std::size_t>(pick(0, static_cast<int>(tokens.size()) - 1))]);
      case 3: {  // duplicate a line
        auto ls = lines(s);
        if (ls.empty()) return s;
        const std::size_t i = static_cast<std::size_t>(pick(0, static_cast<int>(ls.size()) - 1));
        ls.insert(ls.begin() + static_cast<long>(i), ls[i]);
        return join(ls);
      }
      case 4: {  // drop a line
        auto ls = lines(s);
        if (ls.empty()) return s;
        ls.erase(ls.begin() + pick(0, static_cast<int>(ls.size()) - 1));
        return join(ls);
      }
      case 5: {  // swap two lines
        auto ls = lines(s);
        if (ls.size() < 2) return s;
        std::swap(ls[static_cast<std::size_t>(pick(0, static_cast<int>(ls.size()) - 1))],
                  ls[static_cast<std::size_t>(pick(0, static_cast<int>(ls.size()) - 1))]);
        return join(ls);
      }
      case 6:  // cut short
        return s.substr(0, where(s));
      case 7: {  // a number replaced
        for (int tries = 0; tries < 20; ++tries) {
          const std::size_t at = where(s);
          if (at < s.size() && (std::isdigit(static_cast<unsigned char>(s[at])) != 0)) {
            std::size_t end = at;
            while (end < s.size() && (std::isdigit(static_cast<unsigned char>(s[end])) || s[end] == '.' || s[end] == 'e' || s[end] == '-'))
              ++end;
            static const std::vector<std::string> numbers = {"nan", "inf", "-1", "1e308", "-0", "4294967296",
                                                             "2147483648", "1e-400", "0x10", ""};
            return s.replace(at, end - at, numbers[static_cast<std::size_t>(pick(0, static_cast<int>(numbers.size()) - 1))]);
          }
        }
        return s;
      }
      default: {  // a random byte string inserted
        std::string junk(static_cast<std::size_t>(pick(1, 8)), '\0');
        for (auto& c : junk) c = static_cast<char>(pick(0, 255));
        return s.insert(s.empty() ? 0 : where(s), junk);
      }
    }
  }

  std::mt19937_64 rng_;
};

/// Mutates `seed_file`'s bytes `iterations` times and hands each version,
/// written to fuzz_current.<ext>, to `parse`.
/// `partner`: the other file read with it (states with edges), which a message may name instead.
void fuzz(const std::string& name, const std::string& seed_file, const std::string& ext,
          const std::function<void(const std::string&)>& parse, std::uint64_t salt, const std::string& partner = "") {
  const long iterations = env_long("PK_FUZZ_ITERATIONS", 400);
  const std::uint64_t seed = static_cast<std::uint64_t>(env_long("PK_FUZZ_SEED", 19)) * 1000003u + salt;
  const std::string original = slurp(seed_file);
  ASSERT_FALSE(original.empty()) << seed_file;
  Mutator m(seed);
  const std::string current = "fuzz_current." + ext;
  int accepted = 0, refused = 0;
  for (long it = 0; it < iterations; ++it) {
    const std::string input = m.mutate(original);
    spit(current, input);
    try {
      parse(current);
      ++accepted;
    } catch (const pk::InputError& e) {
      ++refused;
      const std::string what = e.what();
      EXPECT_TRUE(what.find(current) != std::string::npos || (!partner.empty() && what.find(partner) != std::string::npos))
          << "message without the file: " << what;
    } catch (const std::exception& e) {
      const std::string keep = "fuzz_finding_" + name + "_" + std::to_string(it) + "." + ext;
      spit(keep, input);
      ADD_FAILURE() << name << ": iteration " << it << " (PK_FUZZ_SEED " << env_long("PK_FUZZ_SEED", 19)
                    << "): not an InputError: " << e.what() << " (input kept in " << keep << ")";
    }
  }
  std::remove(current.c_str());
  std::printf("%s: %ld mutated inputs, %d accepted, %d refused with file and line\n", name.c_str(), iterations,
              accepted, refused);
}

const std::string kInputs = PK_SOURCE_DIR "/inputs";

TEST(FuzzParsers, StatesCsv) {
  const std::string edges = kInputs + "/networks/six_state/edges.csv";
  fuzz("states_csv", kInputs + "/networks/six_state/states.csv", "csv",
       [&](const std::string& p) { pk::network::load_csv(p, edges); }, 1, edges);
}

TEST(FuzzParsers, EdgesCsv) {
  const std::string states = kInputs + "/networks/six_state/states.csv";
  fuzz("edges_csv", kInputs + "/networks/six_state/edges.csv", "csv",
       [&](const std::string& p) { pk::network::load_csv(states, p); }, 2, states);
  fuzz("rates_csv", kInputs + "/networks/explicit_rates/edges.csv", "csv",
       [&](const std::string& p) { pk::network::load_csv(kInputs + "/networks/explicit_rates/states.csv", p); }, 3,
       kInputs + "/networks/explicit_rates/states.csv");
}

TEST(FuzzParsers, TransitionMatrixCsvAndNpy) {
  const std::string states = kInputs + "/networks/msm_four_state/states.csv";
  fuzz("matrix_csv", kInputs + "/networks/msm_four_state/transition.csv", "csv",
       [&](const std::string& p) { pk::network::load_transition_matrix(states, p, 1e-9); }, 4, states);
  fuzz("matrix_npy", kInputs + "/networks/msm_four_state/transition.npy", "npy",
       [&](const std::string& p) { pk::network::load_transition_matrix(states, p, 1e-9); }, 5, states);
}

// Findings of earlier runs, fixed: each must be refused with pk::InputError.
TEST(FuzzParsers, Regressions) {
  // PK_FUZZ_SEED 4, iteration 244: a shape field with no tuple threw basic_string_view::substr.
  std::string npy = slurp(kInputs + "/networks/msm_four_state/transition.npy");
  const std::size_t at = npy.find("'shape': (4, 4)");
  ASSERT_NE(at, std::string::npos);
  npy.replace(at, 15, "'shape':,, (4, 4)");
  npy[8] = static_cast<char>(npy[8] + 2);  // the header grew by two bytes
  spit("fuzz_regression.npy", npy);
  EXPECT_THROW(pk::network::load_transition_matrix(kInputs + "/networks/msm_four_state/states.csv",
                                                   "fuzz_regression.npy", 1e-9),
               pk::InputError);
  std::remove("fuzz_regression.npy");
}

TEST(FuzzParsers, IniConfig) {
  fuzz("ini", kInputs + "/run_example/run.ini", "ini",
       [](const std::string& p) {
         const auto entries = pk::io::read_ini(p);
         pk::io::check_ini(entries, p, {"run", "dock", "network", "solve", "kmc", "analyze"},
                           [](const std::string&, const std::string& key) { return key == "box"; });
       },
       6);
}

TEST(FuzzParsers, PdbqtLigandAndReceptor) {
  fuzz("ligand_pdbqt", kInputs + "/dock/ligand.pdbqt", "pdbqt",
       [](const std::string& p) { pk::dock::read_ligands(p); }, 7);
  // The receptor's first 300 lines: every record kind, fast to parse.
  std::istringstream full(slurp(kInputs + "/dock/protein.pdbqt"));
  std::string line, head;
  for (int i = 0; i < 300 && std::getline(full, line); ++i) head += line + "\n";
  spit("fuzz_receptor_seed.pdbqt", head);
  fuzz("receptor_pdbqt", "fuzz_receptor_seed.pdbqt", "pdbqt",
       [](const std::string& p) { pk::dock::read_receptor(p); }, 8);
  std::remove("fuzz_receptor_seed.pdbqt");
}

}  // namespace
