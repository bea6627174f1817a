// Philox4x32-10 (Salmon et al., SC'11), counter-based: the four 32-bit
// outputs depend only on (counter, key). The KMC draws for walker w of replica
// r at step s use counter (s_lo, s_hi, w, r) and key (seed_lo, seed_hi), so
// results do not depend on ranks, GPUs, launch shape or checkpoints.
#pragma once

#include <Kokkos_Core.hpp>

#include <cstdint>

namespace pk::kernels {

struct Philox4x32 {
  std::uint32_t v[4];
};

KOKKOS_INLINE_FUNCTION void philox_mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi,
                                           std::uint32_t& lo) {
  const std::uint64_t p = static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b);
  hi = static_cast<std::uint32_t>(p >> 32);
  lo = static_cast<std::uint32_t>(p);
}

KOKKOS_INLINE_FUNCTION Philox4x32 philox4x32_10(Philox4x32 ctr, std::uint32_t key0, std::uint32_t key1) {
  constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
  constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key0 += kW0;
      key1 += kW1;
    }
    std::uint32_t hi0, lo0, hi1, lo1;
    philox_mulhilo(kM0, ctr.v[0], hi0, lo0);
    philox_mulhilo(kM1, ctr.v[2], hi1, lo1);
    ctr = Philox4x32{{hi1 ^ ctr.v[1] ^ key0, lo1, hi0 ^ ctr.v[3] ^ key1, lo0}};
  }
  return ctr;
}

/// Uniform double in [0, 1) with 53 random bits from two 32-bit words.
KOKKOS_INLINE_FUNCTION double uniform53(std::uint32_t a, std::uint32_t b) {
  const std::uint64_t bits = (static_cast<std::uint64_t>(a >> 5) << 26) | static_cast<std::uint64_t>(b >> 6);
  return static_cast<double>(bits) * (1.0 / 9007199254740992.0);
}

/// The four words for (seed, replica, walker, step).
KOKKOS_INLINE_FUNCTION Philox4x32 kmc_random(std::uint64_t seed, std::uint32_t replica, std::uint32_t walker,
                                             std::uint64_t step) {
  return philox4x32_10(Philox4x32{{static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(step >> 32),
                                   walker, replica}},
                       static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32));
}

}  // namespace pk::kernels
