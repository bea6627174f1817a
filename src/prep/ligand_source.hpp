// Ligand files as chemists hold them, read one record at a time: a library of
// millions of records streams through and is never loaded whole. Plain text
// here (no RDKit): a record is the text block of one molecule plus where it
// came from; prepare.hpp turns it into a molecule.
#pragma once

#include <memory>
#include <string>

namespace pk::prep {

enum class LigandFormat { kSmiles, kSdf, kMol2 };

/// The format a file name announces: .smi/.smiles/.ism/.can (SMILES, one per
/// line, optional name after it), .sdf/.sd/.mol (MDL molfiles, several
/// records separated by $$$$), .mol2 (Tripos); each also gzip-compressed
/// (".gz"). Throws pk::UsageError naming the file for any other name.
LigandFormat format_of(const std::string& path);
const char* format_name(LigandFormat format);

/// One molecule's text and its place in the file, for the messages.
struct LigandRecord {
  long number = 0;  ///< 1-based record number in the file
  long line = 0;    ///< line of the file where the record starts
  LigandFormat format = LigandFormat::kSdf;
  std::string text;  ///< SMILES string, molfile block or MOL2 block
  std::string name;  ///< the name the file gives (SMILES: the rest of the line), may be empty
};

/// Reads records in order. Compressed (gzip) and plain files alike.
class LigandSource {
 public:
  /// Throws pk::InputError when the file cannot be opened.
  explicit LigandSource(const std::string& path);
  ~LigandSource();
  LigandSource(const LigandSource&) = delete;
  LigandSource& operator=(const LigandSource&) = delete;

  /// The next record; false at the end of the file. Throws pk::InputError on a
  /// read error (a truncated .gz file).
  bool next(LigandRecord& record);

  const std::string& path() const { return path_; }
  LigandFormat format() const { return format_; }

 private:
  bool next_line(std::string& line);
  bool next_smiles(LigandRecord& record);
  bool next_sdf(LigandRecord& record);
  bool next_mol2(LigandRecord& record);

  struct Gz;
  std::string path_;
  LigandFormat format_;
  std::unique_ptr<Gz> gz_;
  long line_ = 0;     ///< lines read so far
  long records_ = 0;  ///< records returned so far
  std::string pending_;  ///< MOL2: the @<TRIPOS>MOLECULE line that ended the last record
  bool have_pending_ = false;
};

}  // namespace pk::prep
