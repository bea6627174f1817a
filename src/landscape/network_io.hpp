// Writing a built network: the HDF5 network format of docs/formats.md
// (/network, readable by `kmc --network` and `solve --network`) plus the
// builder's per-state and per-edge details (/builder), states.csv and
// edges.csv (readable by `kmc --states --edges`), all replaced atomically.
#pragma once

#include "landscape/network_build.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pk::pipeline {

struct NetworkProvenance {
  std::string poses_file, receptor, ligand, barrier_method, command_line;
  std::vector<std::pair<std::string, std::string>> options;
};

/// Written by the calling rank alone. `unlumped`, when given, is the network
/// before fast states were merged (stored as /network_unlumped).
void write_network_file(const std::string& path, const BuiltNetwork& built, const NetworkSettings& cfg,
                        const NetworkProvenance& prov, const network::Network* unlumped = nullptr);

/// states.csv (id,free_energy_kcal_per_mol,macrostate,name) and edges.csv
/// (from,to,ts_free_energy_kcal_per_mol), numbers with 17 significant digits.
void write_network_csv(const network::Network& net, const std::string& states_csv, const std::string& edges_csv);

}  // namespace pk::pipeline
