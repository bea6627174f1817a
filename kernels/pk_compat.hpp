// The one place that hides Kokkos 3.4 / 4.x API differences (STYLE.md).
// Kernels include this instead of spelling version-dependent names.
#pragma once

#include <Kokkos_Core.hpp>

#ifndef KOKKOS_VERSION
#error "Kokkos_Core.hpp did not define KOKKOS_VERSION"
#endif
#if KOKKOS_VERSION < 30400
#error "PandaKinetics needs Kokkos 3.4 or newer"
#endif

namespace pk::compat {

// Math functions moved from Kokkos::Experimental:: (3.4) to Kokkos:: (3.7+).
#if KOKKOS_VERSION >= 30700
using Kokkos::exp;
using Kokkos::fabs;
using Kokkos::log;
using Kokkos::sqrt;
using Kokkos::pow;
using Kokkos::floor;
using Kokkos::log1p;
#else
using Kokkos::Experimental::exp;
using Kokkos::Experimental::fabs;
using Kokkos::Experimental::log;
using Kokkos::Experimental::sqrt;
using Kokkos::Experimental::pow;
using Kokkos::Experimental::floor;
using Kokkos::Experimental::log1p;
#endif

/// A read of global memory that the GPU keeps in L2 only (CUDA's __ldcg:
/// "cache global"), so that large tables read at random do not evict the
/// small arrays L1 holds; a plain read elsewhere.
template <class T>
KOKKOS_FORCEINLINE_FUNCTION T load_l2_only(const T* p) {
#if defined(__CUDA_ARCH__)
  return __ldcg(p);
#else
  return *p;
#endif
}

}  // namespace pk::compat
