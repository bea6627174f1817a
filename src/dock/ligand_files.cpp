#include "dock/ligand_files.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>

namespace pk::dock {

namespace {

std::shared_ptr<MoleculeFileHandler>& handler_slot() {
  static std::shared_ptr<MoleculeFileHandler> handler;
  return handler;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

bool is_molecule_file(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ends_with(name, ".gz")) name.resize(name.size() - 3);
  for (const char* ext : {".sdf", ".sd", ".mol", ".mol2", ".smi", ".smiles", ".ism", ".can"})
    if (ends_with(name, ext)) return true;
  return false;
}

void set_molecule_file_handler(std::shared_ptr<MoleculeFileHandler> handler) { handler_slot() = std::move(handler); }

MoleculeFileHandler* molecule_file_handler() { return handler_slot().get(); }

std::string molecule_file_pdbqt(const std::string& path) {
  if (MoleculeFileHandler* h = molecule_file_handler()) return h->pdbqt_of(path);
  throw InputError(path, 0,
                   "a molecule file (SDF/MOL2/SMILES), but this build cannot prepare ligands (no RDKit): expected a "
                   "PDBQT ligand (prepare it with `pandakinetics prepare` on a machine with RDKit)");
}

int molecule_file_models(const std::string& path) {
  MoleculeFileHandler* h = molecule_file_handler();
  if (!h) return 0;
  std::string text;
  try {
    text = h->pdbqt_of(path);
  } catch (const InputError&) {
    return 0;
  }
  int models = 0;
  for (std::size_t at = 0; at < text.size();) {
    if (text.compare(at, 6, "MODEL ") == 0) ++models;
    const std::size_t nl = text.find('\n', at);
    at = nl == std::string::npos ? text.size() : nl + 1;
  }
  return models == 0 ? 1 : models;
}

}  // namespace pk::dock
