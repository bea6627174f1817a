// Dense matrix exponential for the exact solver: Eigen on the host, or
// scaling and squaring with cuBLAS GEMMs on CUDA builds when a GPU is present.
// Internal to src/solve.
#pragma once

#include <Eigen/Dense>

namespace pk::solve::detail {

/// exp(a): expm_cublas(a) when expm_uses_gpu(), else expm_host(a).
Eigen::MatrixXd expm(const Eigen::MatrixXd& a);

/// exp(a) by Eigen's Pade scaling and squaring (Higham 2005), on the host.
Eigen::MatrixXd expm_host(const Eigen::MatrixXd& a);

/// exp(a) by the same Pade (3, 5, 7, 9 or 13) scaling and squaring, with the
/// GEMMs on the current CUDA device through cuBLAS and the one Pade linear
/// solve on the host. Throws pk::SystemError naming a failed CUDA/cuBLAS call,
/// pk::UsageError for a non-square or non-finite a, and pk::UsageError on
/// builds without CUDA (PK_ENABLE_CUDA=OFF).
Eigen::MatrixXd expm_cublas(const Eigen::MatrixXd& a);

/// True on CUDA builds when cudaGetDeviceCount() reports at least one device
/// (checked once per process); false otherwise.
bool expm_uses_gpu();

}  // namespace pk::solve::detail
