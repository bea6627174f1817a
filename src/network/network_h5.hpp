// A Network in HDF5 (layout: docs/formats.md "Networks"):
//   <group>/states/id                        int64
//   <group>/states/free_energy_kcal_per_mol  double, @unit = "kcal/mol"
//   <group>/states/macrostate                int32, 0 bound, 1 unbound, 2 other (@legend)
//   <group>/states/name                      fixed-length string
//   <group>/edges/from, to                   int32 state indices (0-based)
//   <group>/edges/kind                       int32, 0 Eyring, 1 Rate, 2 Probability (@legend)
//   <group>/edges/value                      double, @unit per kind
//   <group>@lag_time_s                       double, 0 for continuous time
#pragma once

#include "io/hdf5.hpp"
#include "network/network.hpp"

#include <string>

namespace pk::network {

/// Collective over the file's communicator: every rank calls with the same
/// Network; datasets are created by all ranks and written by rank 0.
void write_network_h5(const io::File& file, const Network& net, const std::string& group = "/network");

/// Reads on the calling rank alone and checks the result with check_network;
/// problems are InputError(path, 0, "<dataset>: ..."). `source` becomes path.
Network read_network_h5(const std::string& path, const std::string& group = "/network");

}  // namespace pk::network
