// Output of transition-path theory: HDF5 (/exact/tpt) and JSON.
#pragma once

#include "io/hdf5.hpp"
#include "io/json.hpp"
#include "network/network.hpp"
#include "solve/tpt.hpp"

#include <string>

namespace pk::solve {

/// Collective: every rank calls it with the same values; rank 0 writes.
/// Datasets (each with a `unit` attribute): forward_committor,
/// backward_committor, source_states, sink_states, reactive_flux/{from, to,
/// net_flux_per_s}, total_flux_per_s, rate_per_s, source_phase_probability,
/// pathways/{states, offsets, flux_per_s, flux_fraction}.
void write_tpt_h5(const io::File& file, const TransitionPaths& tp, const std::string& group = "/exact/tpt");

/// total_flux_per_s, rate_per_s, source_phase_probability,
/// pathway_flux_fraction and `pathways` (per path: flux_per_s,
/// flux_fraction, states as indices and as names) as members of the object
/// the writer is in.
void write_tpt_json(io::JsonWriter& json, const TransitionPaths& tp, const network::Network& net);

/// A state's label for messages: its name, else "id <id>".
std::string state_label(const network::Network& net, std::int32_t index);

}  // namespace pk::solve
