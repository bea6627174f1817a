// Random binding networks of any size for the sparse solver's tests and its
// benchmark (tests/solve/sparse_solver_tool.cpp).
//
//   landscape: states on an nx x ny x nz grid (a docking landscape is local:
//              poses exchange with their neighbours), random free energies,
//              Eyring edges to the 6 lattice neighbours and a few diagonal
//              ones, barriers giving rates of about 1e3..1e12 1/s; the face
//              x = 0 is bound, x = nx - 1 unbound. Detailed balance.
//   random:    the network of `pandakinetics bench kmc` (src/app/bench_kmc.cpp):
//              `degree` random out-edges per state, rates log-uniform in
//              1e3..1e12 1/s, no reverse edges required, the first tenth
//              bound, the last tenth unbound. No detailed balance, and no
//              locality: an LU's fill grows like n^2.
#pragma once

#include "network/network.hpp"
#include "network/random_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace pk::solve::test {

/// Grid sides (nx, ny, nz) with nx * ny * nz >= n, nearly cubic.
inline std::vector<int> grid_sides(int n) {
  const int side = std::max(2, static_cast<int>(std::ceil(std::cbrt(static_cast<double>(n)) - 1e-9)));
  const int nx = side;
  const int ny = side;
  const int nz = std::max(1, (n + nx * ny - 1) / (nx * ny));
  return {nx, ny, nz};
}

/// `barrier_spread_kcal`: barriers (above the higher state) are uniform in
/// [1.1, 1.1 + spread]; 12.2 gives rates of 1e12..1e3 1/s at 300 K, 28 about
/// 20 decades. `well_kcal` deepens the bound face (slower unbinding).
inline network::Network landscape_network(int n, unsigned seed, double barrier_spread_kcal = 12.2,
                                          double well_kcal = 2.0) {
  const std::vector<int> s = grid_sides(n);
  const int nx = s[0], ny = s[1], nz = s[2];
  const int count = nx * ny * nz;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  network::Network net;
  net.source = "random landscape network " + std::to_string(count);
  net.states.resize(static_cast<std::size_t>(count));
  const auto index = [&](int x, int y, int z) { return (z * ny + y) * nx + x; };
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x) {
        network::State& st = net.states[static_cast<std::size_t>(index(x, y, z))];
        st.id = index(x, y, z);
        st.macrostate = x == 0 ? network::Macrostate::Bound
                               : (x == nx - 1 ? network::Macrostate::Unbound : network::Macrostate::Other);
        st.free_energy_kcal_per_mol = (x == 0 ? -well_kcal : 0.0) + 3.0 * unit(rng);
      }
  const auto link = [&](int a, int b) {
    const double ga = net.states[static_cast<std::size_t>(a)].free_energy_kcal_per_mol;
    const double gb = net.states[static_cast<std::size_t>(b)].free_energy_kcal_per_mol;
    const double ts = std::max(ga, gb) + 1.1 + barrier_spread_kcal * unit(rng);
    net.edges.push_back({a, b, network::EdgeKind::Eyring, ts});
    net.edges.push_back({b, a, network::EdgeKind::Eyring, ts});
  };
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x) {
        const int a = index(x, y, z);
        if (x + 1 < nx) link(a, index(x + 1, y, z));
        if (y + 1 < ny) link(a, index(x, y + 1, z));
        if (z + 1 < nz) link(a, index(x, y, z + 1));
        if (x + 1 < nx && y + 1 < ny && unit(rng) < 0.25) link(a, index(x + 1, y + 1, z));
      }
  return net;
}

/// The generator of `pandakinetics bench kmc` (network/random_network.hpp).
inline network::Network random_bench_network(int n, int degree = 10, unsigned seed = 12345) {
  return network::random_bench_network(n, degree, seed);
}

}  // namespace pk::solve::test
