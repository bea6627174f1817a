// The host matrix exponential and the dispatch between host and cuBLAS.
#include "solve/detail/expm.hpp"

#include "core/error.hpp"

#include <unsupported/Eigen/MatrixFunctions>

namespace pk::solve::detail {

Eigen::MatrixXd expm_host(const Eigen::MatrixXd& a) { return a.exp(); }

#ifndef PK_SOLVE_HAVE_CUBLAS
// Builds without CUDA: the host path only (expm_cublas.cpp is not compiled).
Eigen::MatrixXd expm_cublas(const Eigen::MatrixXd&) {
  throw UsageError("cuBLAS matrix exponential: this build has no CUDA (configure with PK_ENABLE_CUDA=ON)");
}

bool expm_uses_gpu() { return false; }
#endif

Eigen::MatrixXd expm(const Eigen::MatrixXd& a) { return expm_uses_gpu() ? expm_cublas(a) : expm_host(a); }

}  // namespace pk::solve::detail
