#include "landscape/channels.hpp"

#include "core/error.hpp"

#include <cmath>
#include <string>

namespace pk::landscape {

std::vector<Vec3> sphere_directions(int n) {
  std::vector<Vec3> out;
  const double golden = M_PI * (3.0 - std::sqrt(5.0));
  for (int i = 0; i < n; ++i) {
    const double z = 1.0 - (2.0 * i + 1.0) / n;
    const double r = std::sqrt(std::max(0.0, 1.0 - z * z));
    out.push_back({r * std::cos(golden * i), r * std::sin(golden * i), z});
  }
  return out;
}

void check_channel_settings(const ChannelSettings& cfg) {
  auto bad = [](const std::string& opt, const std::string& what) {
    throw UsageError("pandakinetics network: --" + opt + " " + what);
  };
  if (cfg.rays < 0 || cfg.rays > 4096) bad("channel-rays", "must be in [0, 4096]");
  if (!(cfg.step_angstrom >= 0.5 && cfg.step_angstrom <= 10)) bad("channel-step", "must be in [0.5, 10] Å");
  if (!(cfg.length_angstrom >= cfg.step_angstrom && cfg.length_angstrom <= 60))
    bad("channel-length", "must be between --channel-step and 60 Å");
  if (cfg.relax_steps < 0 || cfg.relax_steps > 1000) bad("relax-steps", "must be in [0, 1000]");
  if (!std::isfinite(cfg.max_energy_kcal_per_mol)) bad("channel-max-energy", "must be finite");
  if (cfg.rays > 0 && !(cfg.surface_burial > 0 && cfg.surface_burial <= 1))
    bad("exposed-contact-fraction", "must be in (0, 1] with channels");
}

std::vector<ChannelImage> sample_channels(const Conformation& start, const ChannelSettings& cfg, const BatchEnergy& energy,
                                          const std::function<double(const Conformation&)>& burial) {
  check_channel_settings(cfg);
  if (cfg.rays == 0) return {};
  const int images = static_cast<int>(std::floor(cfg.length_angstrom / cfg.step_angstrom + 1e-9));
  // A march: every ray's ligand moves one step out from where the previous step left it relaxed, and is
  // relaxed again on the plane across the ray (relaxed_paths with one interior image: the path from x to
  // x + 2 step u has its image at x + step u and its tangent along u), so it can adapt on its way out as
  // in a slow pull. All rays still going take their step in one batch.
  const std::vector<Vec3> dirs = sphere_directions(cfg.rays);
  std::vector<Conformation> at(cfg.rays, start);
  std::vector<bool> going(cfg.rays, true);
  std::vector<std::vector<ChannelImage>> per_ray(cfg.rays);
  for (int k = 1; k <= images; ++k) {
    std::vector<std::pair<Conformation, Conformation>> ends;
    std::vector<int> rays;
    for (int r = 0; r < cfg.rays; ++r) {
      if (!going[r]) continue;
      Conformation end = at[r];
      for (int d = 0; d < 3; ++d) end[d] += dirs[r][d] * 2.0 * cfg.step_angstrom;
      ends.emplace_back(at[r], end);
      rays.push_back(r);
    }
    if (rays.empty()) break;
    const std::vector<pipeline::RelaxedPath> step = pipeline::relaxed_paths(ends, 1, cfg.relax_steps, energy);
    for (std::size_t i = 0; i < rays.size(); ++i) {
      const int r = rays[i];
      const double e = step[i].energies.front();
      if (!(e <= cfg.max_energy_kcal_per_mol)) {  // blocked (NaN included)
        going[r] = false;
        continue;
      }
      ChannelImage im;
      im.ray = r;
      im.depth = k;
      im.conformation = step[i].images.front();
      im.energy_kcal_per_mol = e;
      im.burial = burial(im.conformation);
      im.surface = im.burial < cfg.surface_burial;
      at[r] = im.conformation;
      going[r] = !im.surface;
      per_ray[r].push_back(im);
    }
  }
  std::vector<ChannelImage> out;
  for (const auto& v : per_ray) out.insert(out.end(), v.begin(), v.end());
  return out;
}

}  // namespace pk::landscape
