#include "landscape/path.hpp"

#include <cmath>

namespace pk::pipeline {

std::vector<Coords> cartesian_images(const Coords& a, const Coords& b, int images) {
  std::vector<Coords> out;
  for (int k = 1; k <= images; ++k) {
    const double t = static_cast<double>(k) / (images + 1);
    Coords c(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      for (int d = 0; d < 3; ++d) c[i][d] = (1 - t) * a[i][d] + t * b[i][d];
    out.push_back(std::move(c));
  }
  return out;
}

Conformation interpolate_conformation(const Conformation& a, const Conformation& b, double t) {
  Conformation c(a.size());
  for (int d = 0; d < 3; ++d) c[d] = (1 - t) * a[d] + t * b[d];
  // Slerp on the shorter arc: q and -q are the same rotation.
  double qa[4], qb[4], dot = 0;
  for (int k = 0; k < 4; ++k) qa[k] = a[3 + k], qb[k] = b[3 + k];
  for (int k = 0; k < 4; ++k) dot += qa[k] * qb[k];
  if (dot < 0) {
    for (double& x : qb) x = -x;
    dot = -dot;
  }
  double wa = 1 - t, wb = t;
  if (dot < 0.9995) {
    const double theta = std::acos(std::min(1.0, dot));
    wa = std::sin((1 - t) * theta) / std::sin(theta);
    wb = std::sin(t * theta) / std::sin(theta);
  }
  double norm = 0;
  for (int k = 0; k < 4; ++k) norm += (c[3 + k] = wa * qa[k] + wb * qb[k]) * c[3 + k];
  norm = std::sqrt(norm);
  for (int k = 0; k < 4; ++k) c[3 + k] /= norm;
  // Torsions along the shorter angle.
  for (std::size_t k = 7; k < a.size(); ++k) {
    const double delta = std::remainder(b[k] - a[k], 2 * M_PI);  // in [-pi, pi]
    c[k] = std::remainder(a[k] + t * delta, 2 * M_PI);
  }
  return c;
}

std::vector<Conformation> conformation_images(const Conformation& a, const Conformation& b, int images) {
  std::vector<Conformation> out;
  for (int k = 1; k <= images; ++k) out.push_back(interpolate_conformation(a, b, static_cast<double>(k) / (images + 1)));
  return out;
}

Conformation conformation_of(const LigandPoses& lig, int p) {
  Conformation c(7 + lig.n_torsions);
  for (int d = 0; d < 3; ++d) c[d] = lig.position_angstrom[p][d];
  for (int k = 0; k < 4; ++k) c[3 + k] = lig.orientation_wxyz[p][k];
  for (int k = 0; k < lig.n_torsions; ++k) c[7 + k] = lig.torsions_rad[p][k];
  return c;
}

}  // namespace pk::pipeline
