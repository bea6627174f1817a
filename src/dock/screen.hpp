// Screening many ligands in one run: the ligand list (repeated --ligand and
// --ligand_directory), ligands dealt round-robin over MPI ranks, each rank's
// results gathered on rank 0 in input order, and the summary table. A ligand
// that fails (bad file, no pose in the box) is reported in the table and the
// others go on.
#pragma once

#include "dock/poses_out.hpp"

#include <mpi.h>

#include <string>
#include <vector>

namespace pk::dock {

/// The outcome of one ligand.
struct LigandSummary {
  std::string name;
  std::string path;
  bool ok = false;
  std::string message;  ///< the error, when !ok
  double best_score = 0;  ///< kcal/mol
  int n_poses = 0;
  double seconds = 0;
};

/// --ligand paths in order, then the *.pdbqt files of --ligand_directory in
/// name order. Throws pk::InputError if the directory cannot be read or holds
/// no PDBQT file, pk::UsageError if the list is empty.
std::vector<std::string> collect_ligands(const std::vector<std::string>& ligands, const std::string& directory);

/// The file stem of `path` with '/' replaced by '_' (the HDF5 group name);
/// duplicates get a numeric suffix.
std::vector<std::string> ligand_names(const std::vector<std::string>& paths);

/// One ligand docked on its own: a file, or in batch mode one MODEL of a
/// multi-MODEL file.
struct ScreenEntry {
  std::string path;
  int model = 0;     ///< 0-based MODEL index in the file
  std::string name;  ///< output name: the file's name (ligand_names), "_<model>" appended for a MODEL
};

/// The ligands a run docks one by one (collect_ligands' files). With
/// `batch_mode` (--batch, --ligand_directory) a file with n > 1 MODEL records
/// gives n entries named <name>_1 ... <name>_n; otherwise one entry per file
/// (a file that cannot be read gives one entry, which fails when docked).
std::vector<ScreenEntry> screening_entries(const std::vector<std::string>& files, bool batch_mode);

/// Line (1-based) of the first MODEL record of a PDBQT file, 0 if none (or unreadable).
long first_model_line(const std::string& path);

/// Throws pk::InputError (file and line of the first MODEL) for a --ligand
/// file with several MODELs: Vina 1.2.3 refuses it in every mode; --batch
/// reads each MODEL as a ligand of its own.
[[noreturn]] void refuse_multi_model(const std::string& path);

/// Indices of the ligands rank `rank` of `size` docks (round-robin).
std::vector<int> ligands_of_rank(int n_ligands, int rank, int size);

/// Gathers every rank's ligands on rank 0, returned in index order there
/// (other ranks get an empty list). `index` gives each local entry's position.
void gather_results(MPI_Comm comm, const std::vector<int>& index, std::vector<LigandOutput>& outputs,
                    std::vector<LigandSummary>& summaries);

/// The summary table: a tab-separated file and the same lines as text.
std::string summary_table(const std::vector<LigandSummary>& rows);
void write_summary(const std::vector<LigandSummary>& rows, const std::string& path);

}  // namespace pk::dock
