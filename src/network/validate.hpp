// Checks the KMC and solve stages run before they compute anything, and the
// structural check that an HDF5 network passes when it is read.
#pragma once

#include "network/network.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pk::network {

/// Every state must be reachable from `start_states` (indices) along edges
/// with a positive rate or probability (Eyring edges always count), and at
/// least one bound and one unbound state among them. Throws
/// InputError(net.source, 0, ...) listing up to 10 unreachable state ids.
void check_reachable(const Network& net, const std::vector<std::int32_t>& start_states);

/// Every state reaches every other along edges with a positive rate or
/// probability, as the exact solver needs. Throws InputError(net.source, 0,
/// ...) naming up to 10 state ids that cannot reach an unbound state (or,
/// when all can, that cannot reach or be reached from the first unbound one).
void check_irreducible(const Network& net);

/// Temperature in (0, 1e4] K, kappa in (0, 1], concentration in (0, 1e3] M
/// (units::temperature_in_range, concentration_in_range); throws pk::UsageError naming the option (--temperature, ...).
void check_conditions(const Conditions& cond);

/// The invariants the CSV and matrix loaders guarantee, for a Network that
/// came from elsewhere (an HDF5 file): finite free energies, unique ids,
/// edge endpoints in range, no self-edges except Probability ones, no
/// duplicate directed edges, Eyring edges in pairs sharing one transition
/// state at or above both endpoints, rates finite and >= 0, Probability edges
/// exactly when lag_time_s > 0 and rows summing to 1, a bound and an unbound
/// state. Throws InputError(file, 0, "<group>/<dataset>: ...").
void check_network(const Network& net, const std::string& file, const std::string& group);

}  // namespace pk::network
