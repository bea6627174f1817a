// Test helper: writes random poses of a ligand inside a box as PDBQT (one
// file per pose and one multi-model file), for the parity checks against
// `vina --score_only`. Every torsion is turned about its BRANCH axis (subtree
// atoms rotated, file order kept), then the whole ligand is rotated about its
// centroid and moved. Even poses stay near the input pose (small torsion and
// orientation changes, centroid within 1.5 Å), odd poses are anywhere in the
// box with any torsions; a pose is redrawn until every heavy atom is inside.
// usage: make_poses LIGAND OUTDIR N SEED CX CY CZ SX SY SZ
#include "dock/molecule.hpp"
#include "dock/scoring.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>

namespace {

using Vec = std::array<double, 3>;
using pk::dock::Ligand;

/// Rotates `p` about the axis through `o` along unit `u` by `angle` (rad).
Vec rotate(const Vec& p, const Vec& o, const Vec& u, double angle) {
  const Vec v = {p[0] - o[0], p[1] - o[1], p[2] - o[2]};
  const double c = std::cos(angle), s = std::sin(angle), dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const Vec cr = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
  Vec out;
  for (int d = 0; d < 3; ++d) out[d] = o[d] + v[d] * c + cr[d] * s + u[d] * dot * (1 - c);
  return out;
}

Vec unit(const Vec& a) {
  const double n = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
  return {a[0] / n, a[1] / n, a[2] / n};
}

bool in_subtree(const Ligand& l, int node, int k) {
  for (; node >= 0; node = l.nodes[node].parent)
    if (node == k) return true;
  return false;
}

std::vector<Vec> draw(const Ligand& l, const pk::dock::GridBox& box, bool near, std::mt19937_64& gen) {
  std::normal_distribution<double> normal(0, 1);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<Vec> x = pk::dock::input_coordinates(l);
  for (int k = 1; k < static_cast<int>(l.nodes.size()); ++k) {
    const double angle = near ? 0.6 * normal(gen) : (2 * u(gen) - 1) * M_PI;
    const Vec o = x[l.nodes[k].axis_to];
    const Vec from = x[l.nodes[k].axis_from];
    const Vec axis = unit({o[0] - from[0], o[1] - from[1], o[2] - from[2]});
    for (int a = 0; a < l.n_atoms(); ++a)
      if (in_subtree(l, l.atom_node[a], k)) x[a] = rotate(x[a], o, axis, angle);
  }
  Vec c = {0, 0, 0};
  for (const auto& p : x)
    for (int d = 0; d < 3; ++d) c[d] += p[d] / x.size();
  const Vec axis = unit({normal(gen), normal(gen), normal(gen)});
  const double angle = near ? 0.3 * normal(gen) : (2 * u(gen) - 1) * M_PI;
  Vec t;
  for (int d = 0; d < 3; ++d)
    t[d] = near ? c[d] + 3.0 * (u(gen) - 0.5) : box.begin[d] + (box.end[d] - box.begin[d]) * u(gen);
  for (auto& p : x) {
    p = rotate(p, c, axis, angle);
    for (int d = 0; d < 3; ++d) p[d] += t[d] - c[d];
  }
  return x;
}

bool inside(const Ligand& l, const std::vector<Vec>& x, const pk::dock::GridBox& box) {
  for (int a = 0; a < l.n_atoms(); ++a)
    for (int d = 0; d < 3; ++d)
      if (!l.atoms[a].hydrogen && (x[a][d] < box.begin[d] + 0.01 || x[a][d] > box.end[d] - 0.01)) return false;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 11) {
    std::cerr << "usage: make_poses LIGAND OUTDIR N SEED CX CY CZ SX SY SZ\n";
    return 2;
  }
  const Ligand lig = pk::dock::read_ligands(argv[1])[0];
  const std::string dir = argv[2];
  const int n = std::atoi(argv[3]);
  std::mt19937_64 gen(std::strtoull(argv[4], nullptr, 10));
  const auto box = pk::dock::GridBox::from_center_size({std::atof(argv[5]), std::atof(argv[6]), std::atof(argv[7])},
                                                       {std::atof(argv[8]), std::atof(argv[9]), std::atof(argv[10])});
  std::ofstream all(dir + "/poses.pdbqt");
  for (int i = 0; i < n; ++i) {
    std::vector<Vec> x;
    int tries = 0;
    do {
      x = draw(lig, box, i % 2 == 0, gen);
      if (++tries > 100000) {
        std::cerr << "make_poses: no pose inside the box after 100000 tries\n";
        return 1;
      }
    } while (!inside(lig, x, box));
    const std::string text = pk::dock::ligand_pdbqt_with_coords(lig, x);
    char name[64];
    std::snprintf(name, sizeof name, "/pose_%03d.pdbqt", i);
    std::ofstream(dir + name) << text;
    all << "MODEL " << i + 1 << "\n" << text << "ENDMDL\n";
  }
  return 0;
}
