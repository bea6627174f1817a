// Merging bound states that exchange much faster than the ligand leaves:
// states joined by a path edge whose barrier, seen from the lower of its two
// states, is below a threshold are lumped into one state at local
// equilibrium. The lumped free energy is G_S = -RT ln sum_i exp(-G_i/RT);
// parallel edges between two lumped states (or to unbound) combine into one
// transition state G‡ = -RT ln sum_e exp(-G‡_e/RT), which is the exact sum of
// their rates when each lumped state is at internal equilibrium. Detailed
// balance is kept. Without this, a pair of poses that flicker at ~1e12/s
// makes kinetic Monte Carlo take ~1e12 steps per simulated second.
#pragma once

#include "landscape/network_build.hpp"

namespace pk::pipeline {

struct LumpResult {
  BuiltNetwork lumped;
  int merged_states = 0;   ///< states of the full network that were merged into others
  int clamped_edges = 0;   ///< combined transition states raised to their upper endpoint
};

/// barrier_kcal_per_mol <= 0: nothing is merged (a copy). Lumped states keep the
/// name, pose and details of their lowest member; `members` collects every
/// member's poses.
LumpResult lump_fast_states(const BuiltNetwork& full, double barrier_kcal_per_mol, double temperature_K);

}  // namespace pk::pipeline
