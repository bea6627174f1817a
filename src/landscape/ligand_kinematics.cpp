#include "landscape/ligand_kinematics.hpp"

#include "dock/kinematics.hpp"
#include "dock/molecule.hpp"

namespace pk::pipeline {

namespace {
using Host = Kokkos::HostSpace;
using Work = Kokkos::View<double**, Kokkos::LayoutRight, Host>;
}  // namespace

/// The tree uploaded once and one work row, reused for every conformation
/// (the path relaxation asks for thousands).
struct LigandKinematics::Impl {
  kernels::dock::TorsionTree<Host> tree;
  Work work;
  int C = 0, F = 0, n = 0;
};

LigandKinematics::LigandKinematics(const dock::Ligand& ligand) : impl_(new Impl) {
  impl_->tree = dock::upload_tree<Host>(dock::tree_of(ligand));
  impl_->C = impl_->tree.conf_size();
  impl_->F = impl_->tree.frame_size();
  impl_->n = impl_->tree.n_atoms;
  impl_->work = Work("pk::pipeline::path_conf", 1, impl_->C + impl_->F + 3 * impl_->n);
}

LigandKinematics::~LigandKinematics() = default;

Coords LigandKinematics::coordinates(const Conformation& c) const {
  using Span = kernels::dock::ChainSpan<Work>;
  const Impl& m = *impl_;
  const Span row{m.work, 0, 0};
  for (int i = 0; i < m.C; ++i) row[i] = c[i];
  kernels::dock::conformation_to_coords(m.tree, row, row.shifted(m.C), row.shifted(m.C + m.F));
  Coords xyz(m.n);
  for (int a = 0; a < m.n; ++a)
    for (int d = 0; d < 3; ++d) xyz[a][d] = m.work(0, m.C + m.F + 3 * a + d);
  return xyz;
}

}  // namespace pk::pipeline
