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

/// Atomically adds one to *p. Kokkos 4.5 deprecated atomic_increment (an
/// error without Kokkos_ENABLE_DEPRECATED_CODE_4, gone in 5.0) in favour of
/// atomic_inc, which Kokkos 3.4 lacks.
template <class T>
KOKKOS_FORCEINLINE_FUNCTION void atomic_inc(T* p) {
#if KOKKOS_VERSION >= 40500
  Kokkos::atomic_inc(p);
#else
  Kokkos::atomic_increment(p);
#endif
}

/// The number of threads of an initialized execution space instance (the
/// OpenMP pool size, 1 for Serial). Kokkos 3.4 has a static concurrency();
/// Kokkos 4.x a member (static again with Kokkos_ENABLE_DEPRECATED_CODE_4),
/// and impl_thread_pool_size() stopped being static in 4.1. Calling through
/// an instance compiles against every one of these forms.
template <class ExecSpace>
int concurrency(const ExecSpace& space = ExecSpace()) {
  return space.concurrency();
}

/// Sets the preferred shared-memory carveout (percent of the unified L1 /
/// shared memory that goes to shared memory, 0-100) of the CUDA kernel that
/// Kokkos launches for parallel_for(Policy, Functor). Kokkos states its own
/// preference once, at the first launch, so this acts from the second launch
/// on. Returns whether the preference was set: false outside CUDA builds,
/// with Kokkos 4.x (whose launch internals differ; not applied), or when CUDA
/// refuses. Kokkos::Impl is used here and nowhere else in the project.
template <class Functor, class Policy>
bool set_parallel_for_carveout(int percent) {
#if defined(KOKKOS_ENABLE_CUDA) && KOKKOS_VERSION < 40000
  using Driver = Kokkos::Impl::ParallelFor<Functor, Policy>;
  using Bounds = typename Policy::launch_bounds;
  using Func = Kokkos::Impl::CudaParallelLaunchKernelFunc<
      Driver, Bounds, Kokkos::Impl::DeduceCudaLaunchMechanism<Driver>::launch_mechanism>;
  return cudaFuncSetAttribute(reinterpret_cast<const void*>(Func::get_kernel_func()),
                              cudaFuncAttributePreferredSharedMemoryCarveout, percent) == cudaSuccess;
#else
  (void)percent;
  return false;
#endif
}

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
