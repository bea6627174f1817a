// Device half of the search (see search_device.hpp): instantiates the Monte
// Carlo and local-optimisation kernels for the Vina device energy.
#include "dock/search_device.hpp"

#include "dock/grid.hpp"
#include "dock/search_driver.hpp"

#include <algorithm>
#include <type_traits>

namespace pk::dock {

struct DeviceDocking::Impl {
  const Receptor& receptor;
  ScoringWeights weights;
  GridBox box;
  std::vector<int> types;
  DeviceGrid grid;
  bool built = false;

  DeviceEnergy energy_for(const Ligand& lig) {
    bool missing = !built;
    for (int t : xs_types_of({lig}))
      if (std::find(types.begin(), types.end(), t) == types.end()) {
        types.push_back(t);
        missing = true;
      }
    if (missing) {
      std::sort(types.begin(), types.end());
      grid = build_grid_maps(receptor, box, types, weights);
      built = true;
    }
    DeviceEnergy e;
    e.grid = grid;
    e.ligand = upload_ligand(lig, grid, weights);
    return e;
  }
};

DeviceDocking::DeviceDocking(const Receptor& receptor, const ScoringWeights& weights)
    : impl_(new Impl{receptor, weights, GridBox{}, {}, DeviceGrid{}, false}) {}

DeviceDocking::~DeviceDocking() = default;

void DeviceDocking::set_box(const GridBox& box) {
  if (impl_->built && box.center == impl_->box.center && box.size == impl_->box.size &&
      box.spacing == impl_->box.spacing)
    return;
  impl_->box = box;
  impl_->built = false;
}

void DeviceDocking::prepare(const Ligand& lig) {
  impl_->energy_for(lig);
  Kokkos::fence();
}

std::vector<Minimum> DeviceDocking::search(const Ligand& lig, const TreeHost& tree, const SearchSettings& settings,
                                           std::vector<std::pair<std::string, double>>* stages) {
  const DeviceEnergy energy = impl_->energy_for(lig);
  if (team_form_setting() == TeamForm::kAtoms)
    return monte_carlo_minima<DockExec>(tree, DeviceAtomsEnergy{energy}, lig.heavy_atoms(), lig.n_atoms(), settings,
                                        nullptr, nullptr, stages);
  return monte_carlo_minima<DockExec>(tree, energy, lig.heavy_atoms(), lig.n_atoms(), settings, nullptr, nullptr,
                                      stages);
}

std::vector<Minimum> DeviceDocking::polish(const Ligand& lig, const TreeHost& tree, const std::vector<Minimum>& minima,
                                           int rounds, double cap) {
  if (minima.empty()) return {};
  const DeviceEnergy energy = impl_->energy_for(lig);
  const auto dev_tree = upload_tree<DockMem>(tree);
  const std::size_t C = minima.front().conformation.size();
  Kokkos::View<double**, DockMem> confs("pk::dock::polish_conf", minima.size(), C);
  auto h = Kokkos::create_mirror_view(confs);
  for (std::size_t m = 0; m < minima.size(); ++m)
    for (std::size_t i = 0; i < C; ++i) h(m, i) = minima[m].conformation[i];
  Kokkos::deep_copy(confs, h);
  const int team = dock_team_size<DockExec>();
  const int steps = vina_local_steps(lig.n_atoms());
  const auto e =
      team == 0 ? kernels::dock::run_local_optimization<DockExec>(dev_tree, energy, confs, rounds, steps, cap)
      : team_form_setting() == TeamForm::kAtoms
          ? kernels::dock::run_local_optimization_team<DockExec>(dev_tree, DeviceAtomsEnergy{energy}, confs, rounds,
                                                                 steps, cap, team)
          : kernels::dock::run_local_optimization_team<DockExec>(dev_tree, energy, confs, rounds, steps, cap, team);
  Kokkos::deep_copy(h, confs);
  auto he = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e);
  std::vector<Minimum> out(minima.size());
  for (std::size_t m = 0; m < minima.size(); ++m) {
    out[m].conformation.resize(C);
    for (std::size_t i = 0; i < C; ++i) out[m].conformation[i] = h(m, i);
    out[m].energy = he(m);
    out[m].chain = minima[m].chain;
  }
  return out;
}

Minimum DeviceDocking::local(const Ligand& lig, const TreeHost& tree, const std::vector<double>& conformation,
                             int rounds, double cap) {
  Minimum start;
  start.conformation = conformation;
  return polish(lig, tree, {start}, rounds, cap).front();
}

int DeviceDocking::resident_chains() {
  if (on_host()) return 0;
  // concurrency(): resident threads of the device, 2048 per SM on NVIDIA GPUs
  // since Volta.
  const int sms = DockExec().concurrency() / 2048;
  return sms * static_cast<int>(kernels::dock::kDockTeamsPerSM);
}

bool DeviceDocking::on_host() { return std::is_same_v<DockMem, Kokkos::HostSpace>; }

std::string DeviceDocking::device_name() { return DockExec::name(); }

}  // namespace pk::dock
