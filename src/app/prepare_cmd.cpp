// `pandakinetics prepare`: ligands as chemists hold them (SMILES, SDF/MOL,
// MOL2, gzipped too) to PDBQT for docking, through RDKit (src/prep/). Records
// stream through one at a time; a record that cannot be prepared is logged
// (file, record, line, reason), counted and skipped. Every output is written
// atomically and never over an input. Rank 0 does the work.
#include "app/prepare_cmd.hpp"

#include "app/path_options.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/output_paths.hpp"

#ifdef PK_HAVE_RDKIT
#include "prep/ligand_source.hpp"
#include "prep/prepare.hpp"
#include "prep/receptor.hpp"
#include "prep/structure_file.hpp"
#endif

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <ostream>
#include <set>

namespace pk::cli {

void add_prepare_options(po::options_description& desc) {
  desc.add_options()
      ("ligand", po::value<std::vector<std::string>>()->composing()->value_name("FILE"),
       "ligand file(s), repeatable: .smi/.smiles (one SMILES per line, optional name after it), .sdf/.sd/.mol "
       "(several records), .mol2; each may be gzipped (.gz). Also the first positional argument")
      ("output", po::value<std::string>()->value_name("DIR|FILE.pdbqt"),
       "FILE.pdbqt: one PDBQT (several ligands as MODEL/ENDMDL blocks, as vina_split reads); otherwise a folder "
       "(created if missing) with one <name>.pdbqt per ligand")
      ("seed", po::value<int>()->default_value(20261207), "ETKDG random seed: the same input and seed give the same coordinates")
      ("macrocycle-min-ring", po::value<int>()->default_value(12),
       "refuse rings of this many atoms or more (macrocycles: flexible-ring docking is not implemented)")
      ("verbose", po::bool_switch(), "one line per prepared ligand (name, heavy atoms, torsions, 3-D source)")
      ("receptor", po::value<std::vector<std::string>>()->composing()->value_name("FILE"),
       "receptor structure(s), repeatable: .pdb/.ent or .cif/.mmcif (gzipped too) -> rigid receptor PDBQT: first "
       "model, waters and hetero groups removed, Vina's metal ions kept, one alternate location, polar hydrogens "
       "kept or added at pH 7 (docs/prepare.md, \"Receptors\"); every change noted on stderr. Not with --ligand")
      ("keep-waters", po::bool_switch(), "--receptor: keep crystallographic waters (typed OA, no hydrogens)")
      ("chains", po::value<std::string>()->value_name("A,B,..."), "--receptor: keep only these chains");
}

#ifndef PK_HAVE_RDKIT

int run_prepare(const po::variables_map&, Context&) {
  throw UsageError(
      "pandakinetics prepare: this build has no RDKit (install librdkit-dev and reconfigure with "
      "-DPK_ENABLE_RDKIT=ON); ligands must be given as PDBQT");
}

#else

namespace {

bool is_pdbqt_file(const std::string& path) {
  return path.size() >= 6 && path.compare(path.size() - 6, 6, ".pdbqt") == 0;
}

// A file name from a molecule name: letters, digits, '.', '-', '_' kept.
std::string safe_name(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  while (!out.empty() && out[0] == '.') out.erase(0, 1);
  if (out.size() > 100) out.resize(100);
  return out;
}

// Where prepared ligands go: one file (MODEL blocks when several) or a folder.
class LigandSink {
 public:
  LigandSink(std::string output, std::vector<io::NamedPath> inputs) : output_(std::move(output)), inputs_(std::move(inputs)) {
    if (is_pdbqt_file(output_)) {
      pending_.emplace(output_);
      out_.open(pending_->temporary(), std::ios::binary | std::ios::trunc);
      if (!out_) throw SystemError("pandakinetics prepare: cannot write " + output_ + ": " + std::strerror(errno));
    } else if (::mkdir(output_.c_str(), 0777) != 0 && errno != EEXIST) {
      throw SystemError("pandakinetics prepare: cannot create folder " + output_ + ": " + std::strerror(errno));
    }
  }

  /// Returns where the ligand went.
  std::string add(const prep::PreparedLigand& lig, long record) {
    ++count_;
    if (pending_) {
      if (count_ == 1) {
        first_ = lig.pdbqt;  // written bare if it stays the only one
      } else {
        if (count_ == 2) model(first_, 1);
        model(lig.pdbqt, count_);
      }
      return output_;
    }
    std::string stem = safe_name(lig.name);
    if (stem.empty() || !used_.insert(stem).second) {
      stem += (stem.empty() ? "record_" : "_") + std::to_string(record);
      used_.insert(stem);
    }
    const std::string path = output_ + "/" + stem + ".pdbqt";
    for (const auto& in : inputs_)
      if (io::same_file(in.path, path))
        throw UsageError("pandakinetics prepare: " + path + " would overwrite the input " + in.option + " " + in.path);
    io::write_file_atomically(path, lig.pdbqt);
    return path;
  }

  void commit() {
    if (!pending_) return;
    if (count_ == 1) out_ << first_;
    out_.close();
    if (!out_) throw SystemError("pandakinetics prepare: writing " + output_ + " failed: " + std::strerror(errno));
    pending_->commit();
  }

 private:
  void model(const std::string& text, long n) {
    out_ << "MODEL " << n << "\n" << text << "ENDMDL\n";
    if (!out_) throw SystemError("pandakinetics prepare: writing " + output_ + " failed: " + std::strerror(errno));
  }

  std::string output_;
  std::vector<io::NamedPath> inputs_;
  std::optional<io::PendingFile> pending_;
  std::ofstream out_;
  std::string first_;
  long count_ = 0;
  std::set<std::string> used_;
};

}  // namespace

// --receptor: each structure to a receptor PDBQT (one file, or <stem>.pdbqt
// in a folder when several).
int run_prepare_receptors(const po::variables_map& vm, Context& ctx) {
  if (vm.count("ligand")) throw UsageError("pandakinetics prepare: give --ligand or --receptor, not both");
  if (!vm.count("output")) throw UsageError("pandakinetics prepare: --output FILE.pdbqt|DIR is required");
  const auto receptors = vm["receptor"].as<std::vector<std::string>>();
  const std::string output = vm["output"].as<std::string>();
  prep::ReceptorOptions options;
  options.keep_waters = vm["keep-waters"].as<bool>();
  if (vm.count("chains")) {
    std::string c = vm["chains"].as<std::string>(), item;
    for (std::size_t i = 0; i <= c.size(); ++i) {
      if (i == c.size() || c[i] == ',') {
        if (!item.empty()) options.chains.push_back(item);
        item.clear();
      } else if (c[i] != ' ') {
        item += c[i];
      }
    }
    if (options.chains.empty()) throw UsageError("pandakinetics prepare: --chains: expected chain names such as A,B");
  }
  const bool one_file = is_pdbqt_file(output);
  if (one_file && receptors.size() > 1)
    throw UsageError("pandakinetics prepare: " + std::to_string(receptors.size()) +
                     " receptors need a folder as --output, not one .pdbqt file");
  for (const auto& r : receptors) prep::is_mmcif_name(r);  // an unknown format stops before any work
  const auto inputs = input_paths(vm, {"receptor"});
  std::vector<io::NamedPath> outputs;
  for (const auto& r : receptors) {
    const std::string stem = r.substr(r.find_last_of('/') + 1);
    std::string base = stem.substr(0, stem.find('.'));
    outputs.push_back({"--output", one_file ? output : output + "/" + (base.empty() ? "receptor" : base) + ".pdbqt"});
  }
  check_paths("prepare", inputs, outputs);
  if (ctx.rank != 0) return kExitOk;
  if (!one_file && ::mkdir(output.c_str(), 0777) != 0 && errno != EEXIST)
    throw SystemError("pandakinetics prepare: cannot create folder " + output + ": " + std::strerror(errno));
  for (std::size_t i = 0; i < receptors.size(); ++i) {
    const prep::PreparedReceptor rec = prep::prepare_receptor(receptors[i], options);
    for (const auto& n : rec.notes) ctx.err << "prepare: " << n << "\n";
    io::write_file_atomically(outputs[i].path, rec.pdbqt);
    ctx.out << "prepare: receptor " << receptors[i] << ": " << rec.residues << " residues/groups, " << rec.heavy_atoms
            << " heavy atoms, " << rec.metals << " metal ion(s), " << rec.polar_hydrogens << " polar H ("
            << (rec.hydrogens_given ? "as given" : std::to_string(rec.hydrogens_added) + " added") << ") -> "
            << outputs[i].path << "\n";
  }
  return kExitOk;
}

int run_prepare(const po::variables_map& vm, Context& ctx) {
  if (vm.count("receptor")) return run_prepare_receptors(vm, ctx);
  if (!vm.count("ligand")) throw UsageError("pandakinetics prepare: --ligand FILE or --receptor FILE is required");
  if (!vm.count("output")) throw UsageError("pandakinetics prepare: --output DIR|FILE.pdbqt is required");
  const auto ligands = vm["ligand"].as<std::vector<std::string>>();
  const std::string output = vm["output"].as<std::string>();
  prep::PrepareOptions options;
  options.seed = vm["seed"].as<int>();
  options.macrocycle_min_ring = vm["macrocycle-min-ring"].as<int>();
  if (options.macrocycle_min_ring < 3) throw UsageError("pandakinetics prepare: --macrocycle-min-ring must be >= 3");
  for (const auto& l : ligands) prep::format_of(l);  // an unknown format stops before any work
  const auto inputs = input_paths(vm, {"ligand"});
  if (is_pdbqt_file(output)) {
    check_paths("prepare", inputs, {{"--output", output}});
  } else {
    for (const auto& in : inputs)
      if (io::same_file(in.path, output))
        throw UsageError("pandakinetics prepare: --output " + output + " names the input " + in.option + " " + in.path);
  }
  if (ctx.rank != 0) return kExitOk;

  const bool verbose = vm["verbose"].as<bool>();
  LigandSink sink(output, inputs);
  long read = 0, prepared = 0, failed = 0, embedded = 0, torsions = 0;
  for (const auto& file : ligands) {
    prep::LigandSource source(file);
    prep::LigandRecord record;
    while (source.next(record)) {
      ++read;
      const std::string where = file + ": record " + std::to_string(record.number) + " (line " +
                                std::to_string(record.line) + (record.name.empty() ? "" : ", '" + record.name + "'") + ")";
      try {
        const prep::PreparedLigand lig =
            prep::prepare_ligand(record, prep::ligand_file_stem(file) + "_" + std::to_string(record.number), options);
        const std::string to = sink.add(lig, record.number);
        ++prepared;
        embedded += lig.embedded;
        torsions += lig.torsions;
        if (!lig.note.empty()) ctx.err << "prepare: " << where << ": note: " << lig.note << "\n";
        if (verbose)
          ctx.out << "prepare: " << where << " -> " << to << ": " << lig.heavy_atoms << " heavy atoms, "
                  << lig.polar_hydrogens << " polar H, " << lig.torsions << " torsions, "
                  << (lig.embedded ? "embedded (ETKDG)" : "input 3-D") << "\n";
      } catch (const prep::PrepareError& e) {
        ++failed;
        ctx.err << "prepare: " << where << ": " << e.what() << " -- skipped\n";
      }
    }
  }
  if (prepared == 0) {
    ctx.err << "prepare: no ligand could be prepared (" << read << " record(s) read, " << failed
            << " failed); nothing written\n";
    return kExitError;
  }
  sink.commit();
  ctx.out << "prepare: " << read << " record(s) read, " << prepared << " prepared (" << embedded
          << " embedded by ETKDG, " << torsions << " torsions in all), " << failed << " failed and skipped -> "
          << output << " (RDKit " << prep::rdkit_version() << ")\n";
  return kExitOk;
}

#endif

}  // namespace pk::cli
