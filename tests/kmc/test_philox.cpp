// The project's Philox4x32-10 against the Random123 library (Debian
// librandom123-dev), an independent implementation, on fixed and random
// counters/keys, and against the published known-answer vectors.
#include "philox.hpp"

#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <random>

namespace {
pk::kernels::Philox4x32 ours(std::uint32_t c0, std::uint32_t c1, std::uint32_t c2, std::uint32_t c3,
                             std::uint32_t k0, std::uint32_t k1) {
  return pk::kernels::philox4x32_10(pk::kernels::Philox4x32{{c0, c1, c2, c3}}, k0, k1);
}
}  // namespace

TEST(Philox, KnownAnswerVectors) {
  // Salmon et al. (SC'11) known-answer tests for philox4x32 with 10 rounds.
  auto a = ours(0, 0, 0, 0, 0, 0);
  EXPECT_EQ(a.v[0], 0x6627e8d5u);
  EXPECT_EQ(a.v[1], 0xe169c58du);
  EXPECT_EQ(a.v[2], 0xbc57ac4cu);
  EXPECT_EQ(a.v[3], 0x9b00dbd8u);
  auto b = ours(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu);
  EXPECT_EQ(b.v[0], 0x408f276du);
  EXPECT_EQ(b.v[1], 0x41c83b0eu);
  EXPECT_EQ(b.v[2], 0xa20bc7c6u);
  EXPECT_EQ(b.v[3], 0x6d5451fdu);
  auto c = ours(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u);
  EXPECT_EQ(c.v[0], 0xd16cfe09u);
  EXPECT_EQ(c.v[1], 0x94fdccebu);
  EXPECT_EQ(c.v[2], 0x5001e420u);
  EXPECT_EQ(c.v[3], 0x24126ea1u);
}

TEST(Philox, MatchesRandom123OnRandomInputs) {
  std::mt19937 gen(12345);
  r123::Philox4x32_R<10> reference;
  auto u32 = [&] { return static_cast<std::uint32_t>(gen()); };
  for (int trial = 0; trial < 10000; ++trial) {
    r123::Philox4x32_R<10>::ctr_type ctr = {{u32(), u32(), u32(), u32()}};
    r123::Philox4x32_R<10>::key_type key = {{u32(), u32()}};
    const auto want = reference(ctr, key);
    const auto got = ours(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1]);
    for (int i = 0; i < 4; ++i) ASSERT_EQ(got.v[i], want[i]) << "trial " << trial << " word " << i;
  }
}

TEST(Philox, Uniform53CoversTheUnitInterval) {
  EXPECT_EQ(pk::kernels::uniform53(0, 0), 0.0);
  const double top = pk::kernels::uniform53(0xffffffffu, 0xffffffffu);
  EXPECT_LT(top, 1.0);
  EXPECT_GT(top, 1.0 - 1e-15);
  // Mean and variance of many draws from the KMC stream: 1/2 and 1/12.
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int s = 0; s < n; ++s) {
    const auto r = pk::kernels::kmc_random(42, 3, 7, s);
    const double u = pk::kernels::uniform53(r.v[0], r.v[1]);
    sum += u;
    sum2 += u * u;
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(var, 1.0 / 12, 0.002);
}
