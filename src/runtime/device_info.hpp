// What the Kokkos side of the build offers, for `--version` and the demo.
// Plain declarations: host-only code calls these without Kokkos headers.
#pragma once

#include <string>

namespace pk::runtime {

/// "Kokkos 3.4.1: Serial, OpenMP (2 threads)" and the default space.
std::string kokkos_configuration();
/// Default execution space name ("OpenMP", "Cuda", ...).
std::string default_execution_space();
/// "CUDA 13.0 runtime, 1 device(s): NVIDIA H100 ...; NCCL 2.x" or "not built".
std::string cuda_configuration();
/// Partial Basel sum over k in [first, last) on the default execution space.
double basel_partial_sum(long first, long last);
/// The same on the host space, one element at a time in order (reference).
double basel_partial_sum_serial(long first, long last);

}  // namespace pk::runtime
