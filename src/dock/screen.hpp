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
