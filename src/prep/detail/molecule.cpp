#include "prep/detail/molecule.hpp"

#include <GraphMol/DistGeomHelpers/Embedder.h>
#include <GraphMol/FileParsers/FileParsers.h>
#include <GraphMol/ForceFieldHelpers/MMFF/AtomTyper.h>
#include <GraphMol/ForceFieldHelpers/MMFF/MMFF.h>
#include <GraphMol/ForceFieldHelpers/UFF/AtomTyper.h>
#include <GraphMol/ForceFieldHelpers/UFF/UFF.h>
#include <GraphMol/MolOps.h>
#include <GraphMol/PartialCharges/GasteigerCharges.h>
#include <GraphMol/SmilesParse/SmilesParse.h>
#include <RDGeneral/RDLog.h>

#include <cmath>
#include <sstream>

namespace pk::prep::detail {

namespace {

// RDKit reports parse problems on its error log, not in the return value:
// while a record is parsed the log goes to a string, which becomes the reason.
class CapturedLog {
 public:
  CapturedLog() : error_(rdErrorLog), warning_(rdWarningLog) {
    rdErrorLog = std::make_shared<boost::logging::rdLogger>(&text_);
    rdWarningLog = std::make_shared<boost::logging::rdLogger>(&dropped_);
  }
  ~CapturedLog() {
    rdErrorLog = error_;
    rdWarningLog = warning_;
  }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  std::string text() const {
    std::string t = text_.str();
    // RDKit's lines start with "[hh:mm:ss] "; keep the message only, on one line.
    std::string out;
    std::istringstream in(t);
    for (std::string line; std::getline(in, line);) {
      if (line.size() > 11 && line[0] == '[' && line[9] == ']') line = line.substr(11);
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      out += (out.empty() ? "" : "; ") + line;
    }
    return out;
  }

 private:
  std::ostringstream text_, dropped_;
  RDLogger error_, warning_;
};

std::string reason(const std::string& what, const CapturedLog& log) {
  const std::string logged = log.text();
  if (logged.empty() || what.find(logged) != std::string::npos) return what;
  return what.empty() ? logged : what + " (" + logged + ")";
}

bool has_3d_coordinates(const RDKit::ROMol& mol) {
  if (mol.getNumConformers() == 0) return false;
  const RDKit::Conformer& conf = mol.getConformer();
  for (const auto& p : conf.getPositions())
    if (std::abs(p.z) > 1e-4) return true;
  return false;  // flat (a 2-D molfile, or all z = 0): embedded anew
}

}  // namespace

std::unique_ptr<RDKit::RWMol> parse_record(const LigandRecord& record) {
  if (record.text.find_first_not_of(" \t\r\n") == std::string::npos) throw PrepareError("empty record");
  CapturedLog log;
  std::unique_ptr<RDKit::RWMol> mol;
  try {
    switch (record.format) {
      case LigandFormat::kSmiles: mol.reset(RDKit::SmilesToMol(record.text)); break;
      case LigandFormat::kSdf: mol.reset(RDKit::MolBlockToMol(record.text, true, false)); break;
      case LigandFormat::kMol2: mol.reset(RDKit::Mol2BlockToMol(record.text, true, false)); break;
    }
  } catch (const std::exception& e) {
    throw PrepareError(reason(std::string(format_name(record.format)) + " not understood: " + e.what(), log));
  }
  if (!mol || mol->getNumAtoms() == 0)
    throw PrepareError(reason(std::string(format_name(record.format)) + " not understood", log));
  for (auto* a : mol->atoms()) a->setProp<int>(kInputIndex, static_cast<int>(a->getIdx()));
  return mol;
}

ThreeD make_3d(std::unique_ptr<RDKit::RWMol>& mol, const PrepareOptions& options) {
  ThreeD out;
  std::vector<int> fragment_of;
  const unsigned fragments = RDKit::MolOps::getMolFrags(*mol, fragment_of);
  if (fragments > 1) {
    if (!options.largest_fragment)
      throw PrepareError(std::to_string(fragments) + " disconnected fragments: expected one molecule");
    std::vector<int> heavy(fragments, 0);
    for (const auto* a : mol->atoms())
      if (a->getAtomicNum() > 1) ++heavy[fragment_of[a->getIdx()]];
    int keep = 0;
    for (unsigned f = 1; f < fragments; ++f)
      if (heavy[f] > heavy[keep]) keep = static_cast<int>(f);
    mol->beginBatchEdit();
    for (const auto* a : mol->atoms())
      if (fragment_of[a->getIdx()] != keep) mol->removeAtom(a->getIdx());
    mol->commitBatchEdit();
    mol->updatePropertyCache(false);
    RDKit::MolOps::findSSSR(*mol);  // ring bonds are rigid: the ring information must be current
    out.note = "kept the largest of " + std::to_string(fragments) + " fragments (" + std::to_string(heavy[keep]) +
               " heavy atoms)";
  }
  const unsigned before = mol->getNumAtoms();
  const bool given_3d = has_3d_coordinates(*mol);
  if (!given_3d) mol->clearConformers();
  // Hydrogens the input gave stay as they are (with their coordinates);
  // the missing ones are added, placed by geometry when coordinates exist.
  RDKit::MolOps::addHs(*mol, false, given_3d);
  out.hydrogens_added = static_cast<int>(mol->getNumAtoms() - before);
  if (given_3d) return out;

  out.embedded = true;
  RDKit::DGeomHelpers::EmbedParameters params = RDKit::DGeomHelpers::ETKDGv3;
  params.randomSeed = options.seed;
  params.numThreads = 1;
  int conf = RDKit::DGeomHelpers::EmbedMolecule(*mol, params);
  if (conf < 0) {  // strained or large molecules: start from random coordinates
    params.useRandomCoords = true;
    conf = RDKit::DGeomHelpers::EmbedMolecule(*mol, params);
  }
  if (conf < 0) throw PrepareError("ETKDG embedding failed (no 3-D coordinates satisfy the distance bounds)");
  CapturedLog quiet;  // missing force-field parameters are reported below, not on stderr
  if (RDKit::MMFF::MMFFMolProperties(*mol).isValid()) {
    RDKit::MMFF::MMFFOptimizeMolecule(*mol, options.max_minimize_iterations);
  } else if (RDKit::UFF::getAtomTypes(*mol).second) {
    RDKit::UFF::UFFOptimizeMolecule(*mol, options.max_minimize_iterations);
  } else {
    out.note += std::string(out.note.empty() ? "" : "; ") + "no MMFF94 or UFF parameters: ETKDG geometry not minimised";
  }
  return out;
}

std::vector<double> gasteiger_charges(RDKit::RWMol& mol) {
  CapturedLog quiet;  // atoms without parameters are warned about: they get 0 below
  RDKit::computeGasteigerCharges(mol, 12, true);
  std::vector<double> q(mol.getNumAtoms(), 0.0);
  for (const auto* a : mol.atoms()) {
    double v = 0.0;
    if (a->getPropIfPresent("_GasteigerCharge", v) && std::isfinite(v)) q[a->getIdx()] = v;
  }
  return q;
}

}  // namespace pk::prep::detail
