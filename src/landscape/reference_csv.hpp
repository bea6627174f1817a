// The reference set of `pandakinetics calibrate`: a CSV file with a header
// row naming the columns series, ligand_id, koff_per_s (1/s) and network (a
// network.h5 from `pandakinetics network`; relative paths are taken from the
// CSV's folder), optionally kon_per_M_per_s (1/(M s); an empty cell: not
// measured). Other columns are ignored; blank lines and lines starting with
// '#' are skipped; fields may be double-quoted. Without a network column, a
// pattern names each complex's network: "{series}" and "{ligand_id}" in it
// are replaced by the row's values (inputs/kinetics/reference.csv has no
// network column: its networks are built from its docking runs).
#pragma once

#include <string>
#include <vector>

namespace pk::landscape {

struct ReferenceComplex {
  std::string series, ligand_id;
  double koff_per_s = 0;
  double kon_per_M_per_s = 0;  ///< 0: not measured
  std::string network;         ///< resolved path
  long line = 0;               ///< in the CSV
};

/// Every problem is a pk::InputError with the CSV's name and line: a missing
/// column, a row with more or fewer fields than the header, an empty series,
/// ligand_id or network, a koff or kon that is not a finite number > 0, a
/// network file that does not exist, a ligand_id given twice in a series, a
/// series of one complex (it cannot be cross-validated), and fewer than
/// 2 x folds complexes (folds > 0; 3 for leave-one-out, folds = 0).
/// `network_pattern` (may be empty) names the networks when the CSV has no
/// network column; a path it makes is taken as it is (relative to the
/// working folder), not from the CSV's folder.
std::vector<ReferenceComplex> read_reference(const std::string& csv_path, int folds,
                                             const std::string& network_pattern = "");

}  // namespace pk::landscape
