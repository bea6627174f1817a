// The docking benchmarks' default input: Debian's AutoDock Vina test complex
// (inputs/dock: Abl kinase + imatinib) in the box of its conf.txt. One
// definition for `bench score` and `bench dock`.
#pragma once

#include "app/cli.hpp"
#include "core/source_paths.hpp"

#include <string>

namespace pk::dock {

/// --receptor, --ligand and the box options, defaulting to the test complex.
inline void add_test_complex_options(cli::po::options_description& desc) {
  namespace po = cli::po;
  const std::string in = std::string(PK_SOURCE_DIR) + "/inputs/dock";
  desc.add_options()
      ("receptor", po::value<std::string>()->default_value(in + "/protein.pdbqt"), "receptor PDBQT")
      ("ligand", po::value<std::string>()->default_value(in + "/ligand.pdbqt"), "ligand PDBQT (first model)")
      ("center_x", po::value<double>()->default_value(11.0), "box centre x (Å)")
      ("center_y", po::value<double>()->default_value(90.5), "box centre y (Å)")
      ("center_z", po::value<double>()->default_value(57.5), "box centre z (Å)")
      ("size_x", po::value<double>()->default_value(22.0), "box size x (Å)")
      ("size_y", po::value<double>()->default_value(24.0), "box size y (Å)")
      ("size_z", po::value<double>()->default_value(28.0), "box size z (Å)");
}

}  // namespace pk::dock
