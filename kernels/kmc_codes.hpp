// Walker codes shared by the KMC kernel and the host code that reads its
// snapshots. Plain constants: host-only code includes this without Kokkos.
#pragma once

namespace pk::kmc {
inline constexpr int kPhaseBound = 0, kPhaseUnbound = 1, kPhaseNone = 2;    ///< last core visited
inline constexpr int kRunning = 0, kDoneHorizon = 1, kDoneSteps = 2;        ///< walker status
inline constexpr int kMacroBound = 0, kMacroUnbound = 1, kMacroOther = 2;   ///< network::Macrostate values
}  // namespace pk::kmc
