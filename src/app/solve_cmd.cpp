// `pandakinetics solve`: the exact master-equation answers for a network
// (the oracle the KMC estimates are held to). Every rank solves the same
// small dense problem; rank 0 prints and writes JSON; all write the HDF5 file.
#include "app/solve_cmd.hpp"

#include "app/path_options.hpp"

#include "comm/agree.hpp"
#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/hdf5.hpp"
#include "io/json.hpp"
#include "network/network_h5.hpp"
#include "app/network_options.hpp"
#include "network/validate.hpp"
#include "runtime/memory_info.hpp"
#include "solve/exact.hpp"
#include "solve/tpt.hpp"
#include "solve/tpt_io.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <optional>
#include <ostream>

namespace pk::cli {

void add_solve_options(po::options_description& desc) {
  network::add_network_options(desc);
  desc.add_options()
      ("t-min", po::value<double>()->default_value(1e-12), "first point of the logarithmic time grid for S(t), F(t), P(t), s")
      ("t-max", po::value<double>()->default_value(0.0), "last point, s (0: 10 x the slower of the two MFPTs)")
      ("time-points", po::value<int>()->default_value(61), "points of the time grid")
      ("pathways", po::value<int>()->default_value(10),
       "most unbinding pathways to list (transition-path theory, bound -> unbound; widest paths of the net reactive flux)")
      ("pathway-flux-fraction", po::value<double>()->default_value(0.9, "0.9"),
       "stop listing pathways once they carry this fraction of the total reactive flux, in (0, 1]")
      ("output", po::value<std::string>()->default_value("solve.h5"), "HDF5 file (/network, /exact, /exact/tpt), replaced atomically")
      ("summary", po::value<std::string>()->value_name("FILE.json"), "also write the results as JSON");
}

namespace {

void print_pathways(std::ostream& out, const solve::TransitionPaths& tpt, const network::Network& net) {
  out << "\n  transition-path theory, bound -> unbound:\n" << std::scientific << std::setprecision(6)
      << "  reactive flux F         " << tpt.total_flux_per_s << " 1/s (unbinding events per second at equilibrium at [L])\n"
      << "  TPT rate F/P(last bound) " << tpt.rate_per_s << " 1/s (equals the steady-state koff)\n"
      << std::fixed << std::setprecision(1) << "  " << tpt.pathways.size() << " pathway(s) carrying "
      << 100.0 * tpt.pathway_flux_fraction() << " % of F:\n";
  for (std::size_t p = 0; p < tpt.pathways.size(); ++p) {
    out << "    " << std::setw(2) << p + 1 << ". " << std::setw(5) << 100.0 * tpt.pathways[p].flux_per_s / tpt.total_flux_per_s
        << " %  ";
    const auto& states = tpt.pathways[p].states;
    for (std::size_t k = 0; k < states.size(); ++k) out << (k ? " -> " : "") << solve::state_label(net, states[k]);
    out << "\n";
  }
  out << std::defaultfloat;
}

}  // namespace

namespace {

/// What every rank computes (the same on each; rank 0 prints and writes).
struct Solution {
  network::Conditions cond;
  network::Network net;
  solve::ExactKinetics x;
  solve::TransitionPaths tpt;
  double t_max_s = 0;  ///< the grid's end (chosen from the time scales when --t-max is 0)
};

/// The time grid's curves (S(t), F(t), P(t) over every state) must fit in
/// memory (issue 19: absurd sizes are refused before allocating).
void check_curve_memory(std::size_t states, int points) {
  const double bytes = static_cast<double>(points) * (static_cast<double>(states) + 8) * 8 * 2;
  const double available = static_cast<double>(runtime::host_memory_available_bytes());
  if (available > 0 && bytes > available) {
    char text[300];
    std::snprintf(text, sizeof text,
                  "pandakinetics solve: --time-points %d over %zu states needs %.3g GB of host memory, %.3g GB are available",
                  points, states, bytes / 1e9, available / 1e9);
    throw UsageError(text);
  }
}

Solution compute(const po::variables_map& vm, double t_min, double t_max, int points) {
  solve::PathwayOptions pathway_options;
  pathway_options.max_pathways = vm["pathways"].as<int>();
  pathway_options.flux_fraction = vm["pathway-flux-fraction"].as<double>();
  if (pathway_options.max_pathways < 1) throw UsageError("pandakinetics solve: --pathways must be >= 1");
  if (!(pathway_options.flux_fraction > 0.0 && pathway_options.flux_fraction <= 1.0))
    throw UsageError("pandakinetics solve: --pathway-flux-fraction must lie in (0, 1]");
  Solution out;
  out.cond = network::conditions_from_options(vm);
  const network::Conditions& cond = out.cond;
  out.net = network::load_network_from_options(vm);
  const network::Network& net = out.net;
  check_curve_memory(net.states.size(), points);
  std::vector<std::int32_t> all(net.states.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int32_t>(i);
  network::check_reachable(net, all);

  if (t_max == 0.0) {
    const solve::ExactKinetics first = solve::exact_kinetics(net, cond, {}, 0);  // first moments only
    t_max = 10.0 * std::max(first.residence_time_s, first.mfpt_unbound_to_bound_s);
    if (!std::isfinite(t_max) || t_max <= t_min) t_max = 1e3 * t_min;
  }
  if (t_max <= t_min) throw UsageError("pandakinetics solve: --t-max must exceed --t-min");
  std::vector<double> times(points);
  for (int i = 0; i < points; ++i) times[i] = t_min * std::pow(t_max / t_min, static_cast<double>(i) / (points - 1));
  out.x = solve::exact_kinetics(net, cond, times);
  out.tpt = solve::unbinding_paths(net, cond, pathway_options);
  out.t_max_s = t_max;
  return out;
}

}  // namespace

int run_solve(const po::variables_map& vm, Context& ctx) {
  const double t_min = vm["t-min"].as<double>();
  double t_max = vm["t-max"].as<double>();
  const int points = vm["time-points"].as<int>();
  if (!(t_min > 0) || !std::isfinite(t_min)) throw UsageError("pandakinetics solve: --t-min must be > 0 s");
  if (t_max < 0 || !std::isfinite(t_max)) throw UsageError("pandakinetics solve: --t-max must be >= 0 s");
  if (points < 2) throw UsageError("pandakinetics solve: --time-points must be >= 2");
  check_paths("solve", input_paths(vm, {"network", "states", "edges", "transition-matrix"}),
              paths_of(vm, {"output", "summary"}));
  // Every rank computes; a failure on any rank stops every rank with one
  // message before the collective write (issue 19).
  comm::Communicator comm;
  const Solution solution = comm::agreed(comm.get(), [&] { return compute(vm, t_min, t_max, points); });
  t_max = solution.t_max_s;
  const network::Conditions& cond = solution.cond;
  const network::Network& net = solution.net;
  const solve::ExactKinetics& x = solution.x;
  const solve::TransitionPaths& tpt = solution.tpt;

  const std::string output = vm["output"].as<std::string>();
  io::PendingFile pending(output, comm.get());
  {
    io::File f = io::File::create(pending.temporary(), comm.get());
    io::write_h5md_header(f, "pandakinetics solve");
    for (const auto& [name, value] : option_values(vm)) io::write_attribute(f, "/parameters", name, value);
    io::write_attribute(f, "/parameters", "command_line", ctx.command_line);
    network::write_network_h5(f, net, "/network");
    solve::write_exact_h5(f, x, "/exact");
    solve::write_tpt_h5(f, tpt, "/exact/tpt");
    f.close();  // a failed flush (full disk) throws here, before the commit
  }
  std::optional<io::PendingFile> summary;  // both outputs complete on disk before either replaces a file
  comm::agreed(comm.get(), [&] {  // rank 0 writes it; a failure there stops every rank before the commit
    if (!vm.count("summary") || !comm.is_root()) return;
    io::JsonWriter j;
    j.begin_object().value("program", "pandakinetics solve").value("network", net.source);
    solve::write_exact_json(j, x);
    j.begin_object("tpt");
    solve::write_tpt_json(j, tpt, net);
    j.end_object();
    j.end_object();
    summary.emplace(vm["summary"].as<std::string>());
    summary->write(j.str());
  });
  pending.commit();
  if (summary) summary->commit();
  ctx.out << "solve: " << net.states.size() << " states from " << net.source << " at T = " << cond.temperature_K
          << " K, [L] = " << cond.concentration_M << " M, kappa = " << cond.kappa << "\n"
          << std::scientific << std::setprecision(6)
          << "  koff                    " << x.koff_per_s << " 1/s\n"
          << "  residence time 1/koff   " << x.residence_time_s << " s (second moment " << x.residence_time_second_moment_s2 << " s^2)\n"
          << "  MFPT unbound->bound     " << x.mfpt_unbound_to_bound_s << " s at [L]\n"
          << "  kon                     " << x.kon_per_M_per_s << " 1/(M s)\n"
          << "  Kd = koff/kon           " << x.kd_M << " M\n"
          << "  steady-state (renewal) koff " << x.koff_renewal_per_s << " 1/s, kon " << x.kon_renewal_per_M_per_s
          << " 1/(M s)  (what KMC's events / phase time estimate)\n"
          << "  dG = RT ln(Kd/1 M)      " << std::fixed << std::setprecision(4) << x.dG_kcal_per_mol << " kcal/mol\n"
          << std::scientific << std::setprecision(4) << "  slowest relaxation times:";
  for (std::size_t i = 0; i < std::min<std::size_t>(3, x.relaxation_times_s.size()); ++i)
    ctx.out << " " << x.relaxation_times_s[i] << " s";
  if (!x.time_dependent_note.empty()) ctx.out << " none\n  " << x.time_dependent_note;
  print_pathways(ctx.out, tpt, net);
  ctx.out << "  wrote " << output << " (" << points << " time points " << t_min << " .. " << t_max << " s)\n"
          << std::defaultfloat;
  return kExitOk;
}

}  // namespace pk::cli
