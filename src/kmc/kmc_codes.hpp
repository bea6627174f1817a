// Walker codes shared by host code and kernels/kmc_walkers.hpp (which
// repeats them as device enums; static_asserts in engine.cpp keep them equal).
#pragma once

namespace pk::kmc {
inline constexpr int kPhaseBound = 0, kPhaseUnbound = 1, kPhaseNone = 2;
inline constexpr int kRunning = 0, kDoneHorizon = 1, kDoneSteps = 2;
}  // namespace pk::kmc
