#include "runtime/device_info.hpp"

#include "basel_sum.hpp"
#include "pk_compat.hpp"

#include <Kokkos_Core.hpp>

#ifdef KOKKOS_ENABLE_CUDA
#include <cuda_runtime.h>
#endif
#ifdef PK_HAVE_NCCL
#include <nccl.h>
#endif

namespace pk::runtime {

std::string kokkos_configuration() {
  const int major = KOKKOS_VERSION / 10000;
  const int minor = (KOKKOS_VERSION / 100) % 100;
  const int patch = KOKKOS_VERSION % 100;
  std::string s = "Kokkos " + std::to_string(major) + "." + std::to_string(minor) + "." +
                  std::to_string(patch) + "; backends:";
#ifdef KOKKOS_ENABLE_SERIAL
  s += " Serial";
#endif
#ifdef KOKKOS_ENABLE_OPENMP
  s += " OpenMP(" + std::to_string(compat::concurrency<Kokkos::OpenMP>()) + " threads)";
#endif
#ifdef KOKKOS_ENABLE_CUDA
  s += " Cuda";
#endif
  s += "; default execution space: " + default_execution_space();
  return s;
}

std::string default_execution_space() { return Kokkos::DefaultExecutionSpace::name(); }

std::string cuda_configuration() {
#ifdef KOKKOS_ENABLE_CUDA
  int runtime = 0, devices = 0;
  cudaRuntimeGetVersion(&runtime);
  std::string s = "CUDA runtime " + std::to_string(runtime / 1000) + "." + std::to_string((runtime % 1000) / 10);
  if (cudaGetDeviceCount(&devices) != cudaSuccess) devices = 0;
  s += ", " + std::to_string(devices) + " device(s)";
  if (devices > 0) {
    cudaDeviceProp prop;
    int current = 0;
    cudaGetDevice(&current);
    if (cudaGetDeviceProperties(&prop, current) == cudaSuccess)
      s += ", this rank on device " + std::to_string(current) + " (" + prop.name + ", sm_" +
           std::to_string(prop.major) + std::to_string(prop.minor) + ")";
  }
#ifdef PK_HAVE_NCCL
  int nccl = 0;
  ncclGetVersion(&nccl);
  s += "; NCCL " + std::to_string(nccl / 10000) + "." + std::to_string((nccl / 100) % 100) + "." +
       std::to_string(nccl % 100);
#else
  s += "; NCCL not built (reductions through MPI)";
#endif
  return s;
#else
  return "not built (CPU-only build); NCCL not built";
#endif
}

double basel_partial_sum(long first, long last) {
  return kernels::basel_partial_sum<Kokkos::DefaultExecutionSpace>(first, last);
}

double basel_partial_sum_serial(long first, long last) {
  double sum = 0.0;
  for (long k = first; k < last; ++k) sum += 1.0 / (static_cast<double>(k) * static_cast<double>(k));
  return sum;
}

}  // namespace pk::runtime
