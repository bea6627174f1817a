// The Kokkos layer: reductions on the host space and the default space agree
// with a serial loop (exactly for integers, to rounding for doubles).
#include "basel_sum.hpp"
#include "runtime/device_info.hpp"

#include <Kokkos_Core.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

// Device lambdas may not live in TestBody (a private member under nvcc).
namespace {
std::int64_t hashed_sum_on_host(std::int64_t n) {
  std::int64_t parallel = 0;
  Kokkos::parallel_reduce(
      "pk::test::int_sum", Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, n),
      [=](const std::int64_t i, std::int64_t& acc) { acc += (i * 2654435761LL) % 1000; }, parallel);
  return parallel;
}

Kokkos::View<double*>::HostMirror fill_on_default_space(int n) {
  Kokkos::View<double*> d(Kokkos::view_alloc(Kokkos::WithoutInitializing, "pk::test::v"), n);
  Kokkos::parallel_for("pk::test::fill", n, KOKKOS_LAMBDA(const int i) { d(i) = 0.5 * i + 1.0; });
  return Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), d);
}
}  // namespace

TEST(KokkosReduce, IntegerSumOnHostSpaceIsExact) {
  const std::int64_t n = 1000003;
  const std::int64_t parallel = hashed_sum_on_host(n);
  std::int64_t serial = 0;
  for (std::int64_t i = 0; i < n; ++i) serial += (i * 2654435761LL) % 1000;
  EXPECT_EQ(parallel, serial);
}

TEST(KokkosReduce, BaselSumOnHostSpaceMatchesSerialLoop) {
  const double parallel = pk::kernels::basel_partial_sum<Kokkos::DefaultHostExecutionSpace>(1, 2000001);
  const double serial = pk::runtime::basel_partial_sum_serial(1, 2000001);
  EXPECT_NEAR(parallel, serial, 1e-13 * serial);
  // Independent check: pi^2/6 - S(N) = 1/N - 1/(2N^2) + O(1/N^3).
  const double n = 2000000.0;
  EXPECT_NEAR(M_PI * M_PI / 6.0 - parallel, 1.0 / n - 0.5 / (n * n), 1e-13);
}

TEST(KokkosReduce, DefaultSpaceMatchesHostSpace) {
  const double dev = pk::runtime::basel_partial_sum(5, 300005);
  const double host = pk::runtime::basel_partial_sum_serial(5, 300005);
  EXPECT_NEAR(dev, host, 1e-13 * host);
}

TEST(KokkosReduce, EmptyRangeIsZero) { EXPECT_EQ(pk::runtime::basel_partial_sum(10, 10), 0.0); }

TEST(KokkosReduce, ViewRoundTripThroughDefaultSpace) {
  const int n = 4096;
  const auto h = fill_on_default_space(n);
  for (int i = 0; i < n; ++i) ASSERT_EQ(h(i), 0.5 * i + 1.0);
}
