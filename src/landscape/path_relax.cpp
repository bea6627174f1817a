#include "landscape/path_relax.hpp"

#include <algorithm>
#include <cmath>

namespace pk::pipeline {

namespace {

void quat_mul(const double a[4], const double b[4], double q[4]) {
  q[0] = a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
  q[1] = a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2];
  q[2] = a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1];
  q[3] = a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0];
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

/// The first trial step of a line search: the full step, but at most 1 (Å or rad) in any coordinate,
/// so that a clash's huge gradient does not throw the image across the receptor.
double first_alpha(const std::vector<double>& p) {
  double big = 0;
  for (double x : p) big = std::max(big, std::abs(x));
  return big > 1.0 ? 1.0 / big : 1.0;
}

/// Removes the component of g along the unit vector t.
void project_out(std::vector<double>& g, const std::vector<double>& t) {
  const double c = dot(g, t);
  for (std::size_t i = 0; i < g.size(); ++i) g[i] -= c * t[i];
}

}  // namespace

Conformation apply_change(const Conformation& c, const std::vector<double>& d) {
  Conformation out = c;
  for (int k = 0; k < 3; ++k) out[k] += d[k];
  const double angle = std::sqrt(d[3] * d[3] + d[4] * d[4] + d[5] * d[5]);
  if (angle > 0) {
    const double s = std::sin(angle / 2) / angle;
    const double r[4] = {std::cos(angle / 2), d[3] * s, d[4] * s, d[5] * s};
    const double q[4] = {c[3], c[4], c[5], c[6]};
    double n[4];
    quat_mul(r, q, n);
    const double norm = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2] + n[3] * n[3]);
    for (int k = 0; k < 4; ++k) out[3 + k] = n[k] / norm;
  }
  for (std::size_t k = 7; k < c.size(); ++k) out[k] = std::remainder(c[k] + d[k - 1], 2 * M_PI);
  return out;
}

std::vector<double> difference(const Conformation& a, const Conformation& b) {
  std::vector<double> d(a.size() - 1, 0.0);
  for (int k = 0; k < 3; ++k) d[k] = b[k] - a[k];
  // r = q_b q_a^-1 on the short arc, as a rotation vector.
  const double qa_inv[4] = {a[3], -a[4], -a[5], -a[6]}, qb[4] = {b[3], b[4], b[5], b[6]};
  double r[4];
  quat_mul(qb, qa_inv, r);
  if (r[0] < 0)
    for (double& x : r) x = -x;
  const double sin_half = std::sqrt(r[1] * r[1] + r[2] * r[2] + r[3] * r[3]);
  const double angle = 2 * std::atan2(sin_half, r[0]);
  for (int k = 0; k < 3; ++k) d[3 + k] = sin_half > 0 ? r[1 + k] / sin_half * angle : 0.0;
  for (std::size_t k = 7; k < a.size(); ++k) d[k - 1] = std::remainder(b[k] - a[k], 2 * M_PI);
  return d;
}

std::vector<double> numerical_gradient(const ConformationEnergy& f, const Conformation& c) {
  const double h = 1e-4;
  std::vector<double> g(c.size() - 1), step(c.size() - 1, 0.0);
  for (std::size_t k = 0; k < g.size(); ++k) {
    step[k] = h;
    const double up = f(apply_change(c, step));
    step[k] = -h;
    const double down = f(apply_change(c, step));
    step[k] = 0;
    g[k] = (up - down) / (2 * h);
  }
  return g;
}

RelaxedPath relaxed_path(const Conformation& a, const Conformation& b, int images, int steps, const ConformationEnergy& f) {
  const BatchEnergy batch = [&f](const std::vector<Conformation>& confs, std::vector<std::vector<double>>* grads) {
    std::vector<double> e;
    for (const auto& c : confs) e.push_back(f(c));
    if (grads) {
      grads->clear();
      for (const auto& c : confs) grads->push_back(numerical_gradient(f, c));
    }
    return e;
  };
  return relaxed_paths({{a, b}}, images, steps, batch).front();
}

}  // namespace pk::pipeline

namespace pk::pipeline {

std::vector<RelaxedPath> relaxed_paths(const std::vector<std::pair<Conformation, Conformation>>& ends, int images,
                                       int steps, const BatchEnergy& f) {
  // Every image of every path in one list, with the unit tangent of the unrelaxed path there.
  std::vector<Conformation> x;
  std::vector<std::vector<double>> tangent;
  for (const auto& [a, b] : ends) {
    const std::vector<Conformation> base = conformation_images(a, b, images);
    for (int k = 0; k < images; ++k) {
      std::vector<double> t = difference(k == 0 ? a : base[k - 1], k == images - 1 ? b : base[k + 1]);
      const double tn = std::sqrt(dot(t, t));
      for (double& v : t) v = tn > 0 ? v / tn : 0.0;
      x.push_back(base[k]);
      tangent.push_back(t);
    }
  }
  const std::size_t N = x.size();
  std::vector<std::vector<double>> g;
  std::vector<double> e = f(x, steps > 0 ? &g : nullptr);
  if (steps > 0) {
    const int n = static_cast<int>(x.front().size()) - 1;
    for (std::size_t i = 0; i < N; ++i) project_out(g[i], tangent[i]);
    std::vector<std::vector<double>> H(N, std::vector<double>(static_cast<std::size_t>(n) * n, 0.0));
    for (auto& h : H)
      for (int i = 0; i < n; ++i) h[i * n + i] = 1.0;
    std::vector<bool> active(N, true);
    constexpr int kTrials = 10;
    std::vector<double> alpha0(N, 1.0);
    for (int s = 0; s < steps; ++s) {
      std::vector<std::vector<double>> p(N, std::vector<double>(n, 0.0));
      std::vector<double> slope(N, 0.0);
      std::vector<Conformation> trials;
      std::vector<std::size_t> owner;
      for (std::size_t i = 0; i < N; ++i) {
        if (!active[i]) continue;
        for (int r = 0; r < n; ++r)
          for (int c = 0; c < n; ++c) p[i][r] -= H[i][r * n + c] * g[i][c];
        project_out(p[i], tangent[i]);
        slope[i] = dot(p[i], g[i]);
        if (!(slope[i] < 0)) {
          active[i] = false;
          continue;
        }
        alpha0[i] = first_alpha(p[i]);
        double alpha = alpha0[i];
        for (int t = 0; t < kTrials; ++t, alpha *= 0.5) {
          std::vector<double> step(n);
          for (int r = 0; r < n; ++r) step[r] = alpha * p[i][r];
          trials.push_back(apply_change(x[i], step));
          owner.push_back(i);
        }
      }
      if (trials.empty()) break;
      const std::vector<double> et = f(trials, nullptr);
      // The largest step satisfying Armijo's condition, per image.
      std::vector<int> pick(N, -1);
      for (std::size_t q = 0; q < trials.size(); ++q) {
        const std::size_t i = owner[q];
        const int t = static_cast<int>(q % kTrials);
        if (pick[i] >= 0) continue;
        if (et[q] <= e[i] + 1e-4 * alpha0[i] * std::pow(0.5, t) * slope[i] && et[q] < e[i]) pick[i] = static_cast<int>(q);
      }
      std::vector<Conformation> accepted;
      std::vector<std::size_t> moved;
      for (std::size_t i = 0; i < N; ++i) {
        if (!active[i]) continue;
        if (pick[i] < 0) {
          active[i] = false;
          continue;
        }
        accepted.push_back(trials[pick[i]]);
        moved.push_back(i);
      }
      if (moved.empty()) break;
      std::vector<std::vector<double>> g_new;
      const std::vector<double> e_new = f(accepted, &g_new);
      for (std::size_t k = 0; k < moved.size(); ++k) {
        const std::size_t i = moved[k];
        project_out(g_new[k], tangent[i]);
        const double alpha = alpha0[i] * std::pow(0.5, pick[i] % kTrials);
        std::vector<double> sv(n), yv(n);
        for (int r = 0; r < n; ++r) sv[r] = alpha * p[i][r], yv[r] = g_new[k][r] - g[i][r];
        const double sy = dot(sv, yv);
        if (sy > 1e-12) {
          std::vector<double> Hy(n, 0.0);
          for (int r = 0; r < n; ++r)
            for (int c = 0; c < n; ++c) Hy[r] += H[i][r * n + c] * yv[c];
          const double yHy = dot(yv, Hy);
          for (int r = 0; r < n; ++r)
            for (int c = 0; c < n; ++c)
              H[i][r * n + c] += ((sy + yHy) * sv[r] * sv[c]) / (sy * sy) - (Hy[r] * sv[c] + sv[r] * Hy[c]) / sy;
        }
        x[i] = accepted[k];
        e[i] = e_new[k];
        g[i] = g_new[k];
      }
    }
  }
  std::vector<RelaxedPath> out(ends.size());
  for (std::size_t pth = 0; pth < ends.size(); ++pth)
    for (int k = 0; k < images; ++k) {
      out[pth].images.push_back(x[pth * images + k]);
      out[pth].energies.push_back(e[pth * images + k]);
    }
  return out;
}

}  // namespace pk::pipeline
