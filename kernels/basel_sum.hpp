// A small, exactly checkable Kokkos reduction: the partial Basel sum
// sum_{k=first}^{last-1} 1/k^2, which tends to pi^2/6. Used by the `demo`
// subcommand and by the tests of the Kokkos layer.
#pragma once

#include "pk_compat.hpp"

namespace pk::kernels {

template <class ExecSpace>
double basel_partial_sum(long first, long last) {
  double sum = 0.0;
  if (last <= first) return sum;
  Kokkos::parallel_reduce(
      "pk::demo::basel_sum", Kokkos::RangePolicy<ExecSpace, Kokkos::IndexType<long>>(first, last),
      KOKKOS_LAMBDA(const long k, double& acc) {
        const double x = static_cast<double>(k);
        acc += 1.0 / (x * x);
      },
      sum);
  return sum;
}

}  // namespace pk::kernels
