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
  if (!(cfg.surface_burial > 0 && cfg.surface_burial <= 1)) bad("exposed-contact-fraction", "must be in (0, 1] with channels");
}

std::vector<ChannelImage> sample_channels(const Conformation& start, const ChannelSettings& cfg, const BatchEnergy& energy,
                                          const std::function<double(const Conformation&)>& burial) {
  check_channel_settings(cfg);
  if (cfg.rays == 0) return {};
  const int images = static_cast<int>(std::floor(cfg.length_angstrom / cfg.step_angstrom + 1e-9));
  // The path from `start` to `start` moved by (images + 1) steps: its interior images sit one step
  // apart, and relaxed_paths holds each on its plane across the ray (the tangent is the ray).
  std::vector<std::pair<Conformation, Conformation>> ends;
  const std::vector<Vec3> dirs = sphere_directions(cfg.rays);
  for (const Vec3& u : dirs) {
    Conformation end = start;
    for (int d = 0; d < 3; ++d) end[d] += u[d] * cfg.step_angstrom * (images + 1);
    ends.emplace_back(start, end);
  }
  const std::vector<pipeline::RelaxedPath> paths = pipeline::relaxed_paths(ends, images, cfg.relax_steps, energy);
  std::vector<ChannelImage> out;
  for (int r = 0; r < cfg.rays; ++r)
    for (int k = 0; k < images; ++k) {
      const double e = paths[r].energies[k];
      if (!(e <= cfg.max_energy_kcal_per_mol)) break;  // blocked (NaN included)
      ChannelImage im;
      im.ray = r;
      im.depth = k + 1;
      im.conformation = paths[r].images[k];
      im.energy_kcal_per_mol = e;
      im.burial = burial(im.conformation);
      im.surface = im.burial < cfg.surface_burial;
      out.push_back(im);
      if (im.surface) break;
    }
  return out;
}

}  // namespace pk::landscape
