// Loading a Network from text files: a continuous-time network from
// states.csv + edges.csv, or a discrete-time Markov model from states.csv and
// a row-stochastic transition matrix. Formats: docs/formats.md "Networks".
// Every problem throws pk::InputError naming the file, the line (0 when the
// problem is not on one line) and what was expected.
#pragma once

#include "network/network.hpp"

#include <string>

namespace pk::network {

/// states.csv: header `id,free_energy_kcal_per_mol,macrostate[,name]`.
/// edges.csv: header `from,to,ts_free_energy_kcal_per_mol` (each line gives
/// both directions, EdgeKind::Eyring) or `from,to,rate_per_s` (one directed
/// EdgeKind::Rate edge per line). `from`/`to` are state ids. The result's
/// `source` is edges_csv.
Network load_csv(const std::string& states_csv, const std::string& edges_csv);

/// A discrete-time Markov model at lag time `lag_time_s` (s, finite, > 0).
/// `matrix_path` is a dense CSV (n rows of n comma-separated numbers) or a
/// NumPy .npy file (v1/v2, '<f8', 2-D, C order), recognised by its magic
/// bytes. Row i belongs to the i-th state of states_csv; rows must sum to 1
/// within 1e-6. Every non-zero entry becomes an EdgeKind::Probability edge,
/// self-loops included. The result's `source` is matrix_path.
Network load_transition_matrix(const std::string& states_csv, const std::string& matrix_path, double lag_time_s);

/// Rows of a transition matrix must sum to 1 within this.
inline constexpr double kRowSumTolerance = 1e-6;

}  // namespace pk::network
