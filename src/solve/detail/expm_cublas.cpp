// exp(A) by Pade scaling and squaring with cuBLAS GEMMs (compiled only on
// CUDA builds, as plain host C++ against the CUDA runtime and cuBLAS C APIs).
//
// The algorithm is the one Eigen's MatrixExponential uses for double
// (Higham, SIAM J. Matrix Anal. Appl. 26 (2005) 1179): with ||A||_1 below
// theta_m = 1.50e-2, 2.54e-1, 9.50e-1, 2.10 use the [m/m] Pade approximant,
// m = 3, 5, 7, 9, unscaled; otherwise scale A by 2^-s, s the smallest integer
// >= 0 with ||A||_1 / 2^s < theta_13 = 5.371920351148152 (frexp, exactly as
// Eigen), and use [13/13]. U (odd part) and V (even part) are formed on the
// device with cublasDgemm/cublasDgeam/cublasDaxpy, copied back, and
// (V - U) X = (V + U) is solved on the host by partial-pivoting LU; X is then
// squared s times on the device. Same degrees, coefficients and scaling as
// expm_host, so the two differ only by the rounding of the GEMMs.
#include "solve/detail/expm.hpp"

#include "core/cuda_raii.hpp"
#include "core/error.hpp"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <Eigen/LU>

#include <climits>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace pk::solve::detail {
namespace {

using cuda::check;
using cuda::Stream;
using Handle = cuda::CublasHandle;

/// n doubles on the current device.
class DeviceBuffer {
 public:
  explicit DeviceBuffer(std::size_t count) {
    if (count > 0) check(cudaMalloc(reinterpret_cast<void**>(&data_), count * sizeof(double)), "cudaMalloc");
  }
  ~DeviceBuffer() {
    if (data_ != nullptr) cudaFree(data_);  // no throw from a destructor; a failure here is not actionable
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    std::swap(data_, other.data_);
    return *this;
  }
  double* get() const { return data_; }

 private:
  double* data_ = nullptr;
};

/// Square n x n column-major matrices on the device and the few BLAS steps the
/// Pade approximants need.
class Device {
 public:
  explicit Device(int n) : n_(n), handle_(stream_.get()), ones_(static_cast<std::size_t>(n)) {
    upload(std::vector<double>(static_cast<std::size_t>(n), 1.0).data(), ones_, static_cast<std::size_t>(n));
  }

  DeviceBuffer matrix() const { return DeviceBuffer(elements()); }

  void upload(const Eigen::MatrixXd& host, const DeviceBuffer& dev) const { upload(host.data(), dev, elements()); }

  Eigen::MatrixXd download(const DeviceBuffer& dev) const {
    Eigen::MatrixXd host(n_, n_);
    check(cudaMemcpyAsync(host.data(), dev.get(), elements() * sizeof(double), cudaMemcpyDeviceToHost, stream_.get()),
          "cudaMemcpyAsync (device to host)");
    check(cudaStreamSynchronize(stream_.get()), "cudaStreamSynchronize");
    return host;
  }

  /// c = a b
  void gemm(const DeviceBuffer& c, const DeviceBuffer& a, const DeviceBuffer& b) const {
    const double one = 1.0, zero = 0.0;
    check(cublasDgemm(handle_.get(), CUBLAS_OP_N, CUBLAS_OP_N, n_, n_, n_, &one, a.get(), n_, b.get(), n_, &zero,
                      c.get(), n_),
          "cublasDgemm");
  }

  /// c = alpha a + beta b (c may be a or b).
  void geam(const DeviceBuffer& c, double alpha, const DeviceBuffer& a, double beta, const DeviceBuffer& b) const {
    check(cublasDgeam(handle_.get(), CUBLAS_OP_N, CUBLAS_OP_N, n_, n_, &alpha, a.get(), n_, &beta, b.get(), n_,
                      c.get(), n_),
          "cublasDgeam");
  }

  /// c = sum_k coef[k] terms[k] + identity_coef I (terms non-empty).
  void combine(const DeviceBuffer& c, const std::vector<std::pair<double, const DeviceBuffer*>>& terms,
               double identity_coef) const {
    geam(c, terms[0].first, *terms[0].second, 0.0, *terms[0].second);
    for (std::size_t k = 1; k < terms.size(); ++k) geam(c, 1.0, c, terms[k].first, *terms[k].second);
    if (identity_coef != 0.0)  // diagonal of c, stride n + 1, += identity_coef * ones
      check(cublasDaxpy(handle_.get(), n_, &identity_coef, ones_.get(), 1, c.get(), n_ + 1), "cublasDaxpy");
  }

 private:
  std::size_t elements() const { return static_cast<std::size_t>(n_) * static_cast<std::size_t>(n_); }

  void upload(const double* host, const DeviceBuffer& dev, std::size_t count) const {
    check(cudaMemcpyAsync(dev.get(), host, count * sizeof(double), cudaMemcpyHostToDevice, stream_.get()),
          "cudaMemcpyAsync (host to device)");
    // The host source may go away when we return: wait for the copy.
    check(cudaStreamSynchronize(stream_.get()), "cudaStreamSynchronize");
  }

  int n_;
  Stream stream_;
  Handle handle_;
  DeviceBuffer ones_;
};

// [m/m] Pade coefficients b_0..b_m (Higham 2005, as in Eigen).
constexpr double kPade3[] = {120.0, 60.0, 12.0, 1.0};
constexpr double kPade5[] = {30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0};
constexpr double kPade7[] = {17297280.0, 8648640.0, 1995840.0, 277200.0, 25200.0, 1512.0, 56.0, 1.0};
constexpr double kPade9[] = {17643225600.0, 8821612800.0, 2075673600.0, 302702400.0, 30270240.0,
                             2162160.0,     110880.0,     3960.0,       90.0,        1.0};
constexpr double kPade13[] = {64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
                              129060195264000.0,   10559470521600.0,    670442572800.0,     33522128640.0,
                              1323241920.0,        40840800.0,          960960.0,           16380.0,
                              182.0,               1.0};
// ||A||_1 bounds below which [m/m] is accurate to double precision unscaled.
constexpr double kTheta3 = 1.495585217958292e-2;
constexpr double kTheta5 = 2.539398330063230e-1;
constexpr double kTheta7 = 9.504178996162932e-1;
constexpr double kTheta9 = 2.097847961257068e+0;
constexpr double kTheta13 = 5.371920351148152e+0;

/// U and V of the [m/m] approximant, m = 3, 5, 7 or 9:
/// U = A sum_k b_(2k+1) A^(2k), V = sum_k b_(2k) A^(2k).
void pade_low(const Device& dev, int m, const double* b, const DeviceBuffer& a, const DeviceBuffer& u,
              const DeviceBuffer& v) {
  const int half = (m - 1) / 2;  // highest even power is A^(2 half)
  std::vector<DeviceBuffer> even;  // even[k - 1] = A^(2k)
  even.push_back(dev.matrix());
  dev.gemm(even[0], a, a);
  for (int k = 2; k <= half; ++k) {
    even.push_back(dev.matrix());
    dev.gemm(even.back(), even[static_cast<std::size_t>(k - 2)], even[0]);  // A^(2k) = A^(2k-2) A^2
  }
  std::vector<std::pair<double, const DeviceBuffer*>> odd_terms, even_terms;
  for (int k = half; k >= 1; --k) {
    odd_terms.emplace_back(b[2 * k + 1], &even[static_cast<std::size_t>(k - 1)]);
    even_terms.emplace_back(b[2 * k], &even[static_cast<std::size_t>(k - 1)]);
  }
  const DeviceBuffer tmp = dev.matrix();
  dev.combine(tmp, odd_terms, b[1]);
  dev.gemm(u, a, tmp);
  dev.combine(v, even_terms, b[0]);
}

/// U and V of the [13/13] approximant with 6 GEMMs:
/// U = A (A6 (b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I),
/// V = A6 (b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I.
void pade13(const Device& dev, const DeviceBuffer& a, const DeviceBuffer& u, const DeviceBuffer& v) {
  const double* b = kPade13;
  const DeviceBuffer a2 = dev.matrix(), a4 = dev.matrix(), a6 = dev.matrix(), tmp = dev.matrix(),
                     low = dev.matrix();
  dev.gemm(a2, a, a);
  dev.gemm(a4, a2, a2);
  dev.gemm(a6, a4, a2);
  dev.combine(low, {{b[13], &a6}, {b[11], &a4}, {b[9], &a2}}, 0.0);
  dev.gemm(tmp, a6, low);
  dev.combine(low, {{b[7], &a6}, {b[5], &a4}, {b[3], &a2}}, b[1]);
  dev.geam(tmp, 1.0, tmp, 1.0, low);
  dev.gemm(u, a, tmp);
  dev.combine(low, {{b[12], &a6}, {b[10], &a4}, {b[8], &a2}}, 0.0);
  dev.gemm(v, a6, low);
  dev.combine(low, {{b[6], &a6}, {b[4], &a4}, {b[2], &a2}}, b[0]);
  dev.geam(v, 1.0, v, 1.0, low);
}

}  // namespace

bool expm_uses_gpu() {
  static const bool present = [] {
    int count = 0;
    const cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
      (void)cudaGetLastError();  // no driver or no device: clear the error, use the host
      return false;
    }
    return count > 0;
  }();
  return present;
}

Eigen::MatrixXd expm_cublas(const Eigen::MatrixXd& a) {
  if (a.rows() != a.cols()) throw UsageError("matrix exponential of a non-square matrix");
  if (a.rows() >= INT_MAX) throw UsageError("matrix exponential: matrix too large for cuBLAS");
  const int n = static_cast<int>(a.rows());
  if (n == 0) return Eigen::MatrixXd(0, 0);
  // maxCoeff() skips NaN, so test the entries themselves (and the norm for overflow).
  const double norm = a.allFinite() ? a.cwiseAbs().colwise().sum().maxCoeff() : HUGE_VAL;
  if (!std::isfinite(norm)) throw UsageError("matrix exponential of a matrix with non-finite entries or norm");

  int squarings = 0;
  int degree = 13;
  if (norm < kTheta3) degree = 3;
  else if (norm < kTheta5) degree = 5;
  else if (norm < kTheta7) degree = 7;
  else if (norm < kTheta9) degree = 9;
  else {
    std::frexp(norm / kTheta13, &squarings);  // norm / 2^s < theta_13
    if (squarings < 0) squarings = 0;
  }
  const Eigen::MatrixXd start = squarings > 0 ? Eigen::MatrixXd(a * std::ldexp(1.0, -squarings)) : a;

  const Device dev(n);
  Eigen::MatrixXd u_host, v_host;
  {
    const DeviceBuffer d_a = dev.matrix(), d_u = dev.matrix(), d_v = dev.matrix();
    dev.upload(start, d_a);
    switch (degree) {
      case 3: pade_low(dev, 3, kPade3, d_a, d_u, d_v); break;
      case 5: pade_low(dev, 5, kPade5, d_a, d_u, d_v); break;
      case 7: pade_low(dev, 7, kPade7, d_a, d_u, d_v); break;
      case 9: pade_low(dev, 9, kPade9, d_a, d_u, d_v); break;
      default: pade13(dev, d_a, d_u, d_v); break;
    }
    u_host = dev.download(d_u);
    v_host = dev.download(d_v);
  }
  // r(A) = (V - U)^-1 (V + U), one dense solve on the host.
  Eigen::MatrixXd result = (v_host - u_host).partialPivLu().solve(u_host + v_host);
  if (squarings == 0) return result;

  DeviceBuffer x = dev.matrix(), y = dev.matrix();
  dev.upload(result, x);
  for (int i = 0; i < squarings; ++i) {
    dev.gemm(y, x, x);
    std::swap(x, y);
  }
  return dev.download(x);
}

}  // namespace pk::solve::detail
