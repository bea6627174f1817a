#include "landscape/batch_scorer.hpp"

#include "dock/grid.hpp"
#include "dock/kinematics.hpp"
#include "dock/molecule.hpp"

namespace pk::pipeline {

namespace {
using Host = Kokkos::HostSpace;
using Work = Kokkos::View<double**, Kokkos::LayoutRight, Host>;
using Span = kernels::dock::ChainSpan<Work>;
}  // namespace

struct BatchScorer::Impl {
  dock::DeviceEnergy energy;
  kernels::dock::TorsionTree<Host> tree;  ///< kinematics on the host: cheap next to the scoring
  double cap = 10;
};

BatchScorer::BatchScorer(const dock::Receptor& receptor, const dock::Ligand& ligand, const dock::GridBox& box, double cap)
    : impl_(new Impl) {
  const dock::ScoringWeights w;
  impl_->energy.grid = dock::build_grid_maps(receptor, box, dock::xs_types_of({ligand}), w);
  impl_->energy.grid.slope = 0.0;
  impl_->energy.ligand = dock::upload_ligand(ligand, impl_->energy.grid, w);
  impl_->tree = dock::upload_tree<Host>(dock::tree_of(ligand));
  impl_->cap = cap;
}

BatchScorer::~BatchScorer() = default;

std::vector<double> BatchScorer::evaluate(const std::vector<Conformation>& confs,
                                          std::vector<std::vector<double>>* gradients) const {
  const Impl& m = *impl_;
  const int C = m.tree.conf_size(), F = m.tree.frame_size(), n = m.tree.n_atoms, D = m.tree.change_size();
  const int N = static_cast<int>(confs.size());
  // Per conformation: conf C | frames F | coords 3n | atom gradient 3n | change D.
  Work work("pk::pipeline::batch_work", N, C + F + 6 * n + D);
  std::vector<std::vector<std::array<double, 3>>> coords(N, std::vector<std::array<double, 3>>(n));
  for (int i = 0; i < N; ++i) {
    const Span row{work, i, 0};
    for (int k = 0; k < C; ++k) row[k] = confs[i][k];
    kernels::dock::conformation_to_coords(m.tree, row, row.shifted(C), row.shifted(C + F));
    for (int a = 0; a < n; ++a)
      for (int d = 0; d < 3; ++d) coords[i][a][d] = work(i, C + F + 3 * a + d);
  }
  const dock::PoseEnergies pe = dock::evaluate_poses(m.energy, coords, m.cap, gradients != nullptr);
  std::vector<double> e(N);
  for (int i = 0; i < N; ++i) e[i] = pe.inter[i] + pe.intra[i];
  if (gradients) {
    gradients->assign(N, std::vector<double>(D));
    for (int i = 0; i < N; ++i) {
      const Span row{work, i, 0};
      for (int a = 0; a < n; ++a)
        for (int d = 0; d < 3; ++d) work(i, C + F + 3 * n + 3 * a + d) = pe.grad[i][a][d];
      kernels::dock::coords_gradient_to_change(m.tree, row.shifted(C), row.shifted(C + F), row.shifted(C + F + 3 * n),
                                               row.shifted(C + F + 6 * n));
      for (int k = 0; k < D; ++k) (*gradients)[i][k] = work(i, C + F + 6 * n + k);
    }
  }
  return e;
}

}  // namespace pk::pipeline
