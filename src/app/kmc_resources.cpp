#include "app/kmc_resources.hpp"

#include "core/error.hpp"
#include "runtime/memory_info.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <cstdio>

namespace pk::kmc {

namespace {
double gigabytes(double bytes) { return bytes / 1e9; }

/// Bytes of one replica's accumulators: occupancy grid, transition counts,
/// dwell histogram (200 bins), kept trajectories.
double per_replica_bytes(const RunSize& z) {
  const double traj = static_cast<double>(z.traj_walkers) * static_cast<double>(z.traj_length);
  return static_cast<double>(z.grid_points) * static_cast<double>(z.states) * 4 +
         (z.count_transitions ? static_cast<double>(z.edges) * 8 : 0) + 200 * 4 + traj * 12 +
         static_cast<double>(z.traj_walkers) * 4;
}
}  // namespace

void check_memory(const RunSize& z) {
  const double R = static_cast<double>(z.local_replicas), W = static_cast<double>(z.walkers);
  const double grid = static_cast<double>(z.grid_points) * static_cast<double>(z.states);
  // 82 bytes per walker on the device (kmc/engine.cpp), 88 in a host snapshot
  // (output and checkpoints); rate tables per replica; per-replica lists on every rank.
  const double device = R * W * 82 + R * per_replica_bytes(z) + grid * 8;
  const double host = R * W * 88 + R * per_replica_bytes(z) +
                      R * (static_cast<double>(z.edges) + 2 * static_cast<double>(z.states)) * 8 +
                      static_cast<double>(z.replicas) * 16 + grid * 16;
  const auto refuse = [&](double need, double have, bool on_device) {
    char text[700];
    std::snprintf(text, sizeof text,
                  "pandakinetics kmc: --walkers %lld x --replicas %lld (%lld on this rank of %d), --time-grid-points "
                  "%lld over %lld states, --keep-trajectories %lld x --trajectory-length %lld: needs %.3g GB of %s, "
                  "%s has %.3g GB available (lower these options, or spread the replicas over more ranks)",
                  static_cast<long long>(z.walkers), static_cast<long long>(z.replicas),
                  static_cast<long long>(z.local_replicas), z.ranks, static_cast<long long>(z.grid_points),
                  static_cast<long long>(z.states), static_cast<long long>(z.traj_walkers),
                  static_cast<long long>(z.traj_length), gigabytes(need), on_device ? "device memory" : "host memory",
                  on_device ? "the device" : "this rank's share of the host", gigabytes(have));
    throw UsageError(text);
  };
  const double host_free =
      static_cast<double>(runtime::host_memory_available_bytes()) / std::max(1, z.ranks_on_node);
  if (runtime::device_memory_is_host()) {
    if (host_free > 0 && device + host > host_free) refuse(device + host, host_free, false);
    return;
  }
  const double device_free = static_cast<double>(runtime::device_memory_available_bytes());
  if (device_free > 0 && device > device_free) refuse(device, device_free, true);
  if (host_free > 0 && host > host_free) refuse(host, host_free, false);
}

void check_disk(const RunSize& z, const std::vector<std::pair<std::string, std::string>>& outputs) {
  const double bytes = static_cast<double>(z.replicas) * static_cast<double>(z.walkers) * 88 +
                       static_cast<double>(z.replicas) * per_replica_bytes(z) +
                       static_cast<double>(z.grid_points) * static_cast<double>(z.states) * 8;
  for (const auto& [option, path] : outputs) {
    const std::string folder = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/') + 1);
    struct statvfs fs;
    if (::statvfs(folder.c_str(), &fs) != 0 || fs.f_blocks == 0) continue;  // unknown: the write will tell
    const double free_bytes = static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize);
    if (bytes > free_bytes) {
      char text[600];
      std::snprintf(text, sizeof text, "pandakinetics kmc: %s %s will take about %.3g GB, its folder has %.3g GB free",
                    option.c_str(), path.c_str(), gigabytes(bytes), gigabytes(free_bytes));
      throw SystemError(text);
    }
  }
}

}  // namespace pk::kmc
