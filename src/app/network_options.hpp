// Command-line options shared by `kmc` and `solve`: where the network comes
// from and the physical conditions. Exactly one input:
//   --states + --edges                            continuous time (CSV)
//   --network FILE.h5                             continuous or discrete time (/network)
//   --states + --transition-matrix + --lag-time   discrete-time Markov model
#pragma once

#include "network/network.hpp"

#include <boost/program_options.hpp>

namespace pk::network {

/// --states, --edges, --network, --transition-matrix, --lag-time,
/// --temperature, --kappa, --concentration.
void add_network_options(boost::program_options::options_description& desc);

/// Loads the one network the options name; pk::UsageError saying what is
/// missing or conflicting otherwise (and for a --lag-time that is not > 0).
Network load_network_from_options(const boost::program_options::variables_map& vm);

/// The conditions the options give (defaults 300 K, kappa 1, 1e-6 M),
/// checked with check_conditions.
Conditions conditions_from_options(const boost::program_options::variables_map& vm);

}  // namespace pk::network
