#include "app/molecule_files.hpp"

#ifdef PK_HAVE_RDKIT

#include "core/error.hpp"
#include "dock/ligand_files.hpp"
#include "io/atomic_file.hpp"
#include "prep/docked_sdf.hpp"
#include "prep/ligand_source.hpp"
#include "prep/prepare.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pk::cli {

namespace {

class PreparedMoleculeFiles : public dock::MoleculeFileHandler {
 public:
  PreparedMoleculeFiles(std::ostream& err, bool report) : err_(err), report_(report) {}

  // Every record prepared with prepare's defaults; bad records are reported
  // and skipped, as `prepare` does, so the text equals what `prepare
  // --output FILE.pdbqt` writes for the file.
  std::string pdbqt_of(const std::string& path) override {
    const std::vector<prep::PreparedMolecule>& records = prepared(path, report_);
    if (records.size() == 1) return records[0].ligand.pdbqt;
    std::string text;
    for (std::size_t i = 0; i < records.size(); ++i)
      text += "MODEL " + std::to_string(i + 1) + "\n" + records[i].ligand.pdbqt + "ENDMDL\n";
    return text;
  }

  void write_sdf(const dock::LigandOutput& lig, const std::string& path) override {
    const prep::PreparedMolecule* molecule = nullptr;
    for (const auto& m : prepared(lig.source, false))
      if (m.ligand.pdbqt == lig.pdbqt) molecule = &m;
    if (!molecule)
      throw InputError(lig.source, 0, "the docked ligand '" + lig.name +
                                          "' is none of the file's prepared records (was the file changed while docking?)");
    std::vector<prep::DockedPose> poses;
    for (std::size_t m = 0; m < lig.poses.size(); ++m)
      poses.push_back({lig.poses[m].coords, dock::pose_sdf_properties(lig.poses[m], static_cast<int>(m) + 1)});
    try {
      io::write_file_atomically(path, prep::docked_sdf(*molecule, poses));
    } catch (const prep::PrepareError& e) {
      throw InputError(lig.source, 0, std::string("writing the docked poses as SDF: ") + e.what());
    }
  }

 private:
  const std::vector<prep::PreparedMolecule>& prepared(const std::string& path, bool report) {
    auto it = cache_.find(path);
    if (it != cache_.end()) return it->second;
    std::vector<prep::PreparedMolecule> records;
    prep::LigandSource source(path);
    prep::LigandRecord record;
    long first_bad_line = 0;
    std::string first_reason;
    while (source.next(record)) {
      try {
        records.push_back(prep::prepare_molecule(
            record, prep::ligand_file_stem(path) + "_" + std::to_string(record.number)));
      } catch (const prep::PrepareError& e) {
        const std::string where = "record " + std::to_string(record.number) +
                                  (record.name.empty() ? "" : " ('" + record.name + "')") + ": " + e.what();
        if (first_reason.empty()) first_bad_line = record.line, first_reason = where;
        if (report) err_ << "dock: " << path << ":" << record.line << ": " << where << " -- skipped\n";
      }
    }
    if (records.empty())
      throw InputError(path, first_bad_line,
                       first_reason.empty() ? "no molecule record in the file" : "no record could be prepared; " + first_reason);
    return cache_.emplace(path, std::move(records)).first->second;
  }

  std::ostream& err_;
  bool report_;
  std::map<std::string, std::vector<prep::PreparedMolecule>> cache_;
};

}  // namespace

void install_molecule_files(std::ostream& err, bool report) {
  dock::set_molecule_file_handler(std::make_shared<PreparedMoleculeFiles>(err, report));
}

}  // namespace pk::cli

#else

namespace pk::cli {
void install_molecule_files(std::ostream&, bool) {}
}  // namespace pk::cli

#endif
