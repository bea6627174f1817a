// `pandakinetics analyze`: options, the printed table and the JSON file.
#include "app/path_options.hpp"
#include "core/error.hpp"
#include "io/json.hpp"
#include "analysis/analyze.hpp"
#include "app/commands.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>

namespace pk::pipeline {

namespace po = cli::po;

void add_analyze_options(po::options_description& desc) {
  desc.add_options()
      ("input", po::value<std::vector<std::string>>()->composing()->value_name("RUN.h5"),
       "KMC output file (pandakinetics kmc --output); repeat for several. With several files (one ligand on "
       "several receptors) the first is the reference of the selectivity ratios. The first may also be given "
       "without --input")
      ("labels", po::value<std::string>()->value_name("A,B,..."),
       "comma-separated names of the inputs, in order (default: the file names without extension)")
      ("exact", po::value<std::string>()->default_value("auto"),
       "exact values to compare with: auto (solve each file's /network at each replica group's temperature and "
       "concentration), none, or a `pandakinetics solve --output` file (used where its conditions match)")
      ("bootstrap", po::value<int>()->default_value(2000), "bootstrap resamples of the replicas (>= 100)")
      ("seed", po::value<unsigned long>()->default_value(1), "seed of the bootstrap resampling")
      ("output", po::value<std::string>()->default_value("analysis.json"),
       "JSON summary (docs/pipeline.md), replaced atomically");
}

namespace {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    const auto a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
    if (a == std::string::npos) throw UsageError("pandakinetics analyze: --labels has an empty name in '" + text + "'");
    out.push_back(item.substr(a, b - a + 1));
  }
  return out;
}

std::string num(double v, const char* fmt = "%.4e") {
  char b[48];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}

void print(std::ostream& out, const Analysis& a) {
  const std::vector<std::pair<std::string, std::string>> units = {
      {"koff_per_s", "1/s"},         {"kon_per_M_per_s", "1/(M s)"}, {"residence_time_s", "s"},
      {"kd_M", "M"},                 {"dG_kcal_per_mol", "kcal/mol"}, {"mfpt_bound_to_unbound_s", "s"},
      {"mfpt_unbound_to_bound_s", "s"}};
  for (const RunAnalysis& r : a.runs) {
    out << "analyze: " << r.label << " (" << r.path << "): " << r.states << " states, " << r.replicas << " replicas x "
        << r.walkers << " walkers; exact: " << r.exact_source << "\n";
    for (std::size_t gi = 0; gi < r.groups.size(); ++gi) {
      const GroupEstimates& g = r.groups[gi];
      out << "  T = " << num(g.temperature_K, "%.2f") << " K, [L] = " << num(g.concentration_M, "%.3e") << " M: "
          << g.replicas << " replicas, " << num(g.unbinding_events, "%.0f") << " unbinding and "
          << num(g.binding_events, "%.0f") << " binding events, " << num(g.walkers_still_bound, "%.0f")
          << " walkers still bound at the end (censored)\n";
      auto row = [&](const std::string& key, const Interval& e) {
        std::string unit;
        for (const auto& [k, u] : units)
          if (k == key) unit = u;
        out << "    " << key << std::string(key.size() < 26 ? 26 - key.size() : 1, ' ') << num(e.value) << " " << unit
            << "  95% CI [" << num(e.ci_low) << ", " << num(e.ci_high) << "] (" << e.method << ")";
        for (const auto& c : r.comparisons[gi])
          if (c.quantity == key && std::isfinite(e.value))
            out << "  exact " << num(c.exact) << " (" << num(100 * c.relative_difference, "%+.2f") << "%"
                << (c.exact_within_ci ? ", inside CI" : ", outside CI") << ")";
        out << "\n";
      };
      row("koff_per_s", g.koff_per_s);
      row("kon_per_M_per_s", g.kon_per_M_per_s);
      row("residence_time_s", g.residence_time_s);
      row("kd_M", g.kd_M);
      row("dG_kcal_per_mol", g.dG_kcal_per_mol);
      row("mfpt_bound_to_unbound_s", g.mfpt_bound_to_unbound_s);
      row("mfpt_unbound_to_bound_s", g.mfpt_unbound_to_bound_s);
    }
  }
  for (const Selectivity& s : a.selectivity)
    out << "selectivity at T = " << num(s.temperature_K, "%.2f") << " K: residence time " << s.label << " / "
        << s.reference << " = " << num(s.residence_time_ratio.value, "%.4g") << " (95% CI ["
        << num(s.residence_time_ratio.ci_low, "%.4g") << ", " << num(s.residence_time_ratio.ci_high, "%.4g")
        << "]), Kd ratio " << num(s.kd_ratio.value, "%.4g") << " ([" << num(s.kd_ratio.ci_low, "%.4g") << ", "
        << num(s.kd_ratio.ci_high, "%.4g") << "])\n";
  for (const EyringFit& e : a.eyring)
    out << "Eyring fit of koff(T) for " << e.label << " over " << e.temperature_K.size()
        << " temperatures: dH_act = " << num(e.dH_kcal_per_mol.value, "%.3f") << " kcal/mol (95% CI ["
        << num(e.dH_kcal_per_mol.ci_low, "%.3f") << ", " << num(e.dH_kcal_per_mol.ci_high, "%.3f")
        << "]), dS_act = " << num(e.dS_cal_per_mol_K.value, "%.3f") << " cal/(mol K) (["
        << num(e.dS_cal_per_mol_K.ci_low, "%.3f") << ", " << num(e.dS_cal_per_mol_K.ci_high, "%.3f") << "])\n";
}

}  // namespace

int run_analyze(const po::variables_map& vm, cli::Context& ctx) {
  AnalyzeSettings cfg;
  if (vm.count("input")) cfg.inputs = vm["input"].as<std::vector<std::string>>();
  if (vm.count("labels")) cfg.labels = split_commas(vm["labels"].as<std::string>());
  cfg.exact = vm["exact"].as<std::string>();
  cfg.bootstrap.resamples = vm["bootstrap"].as<int>();
  cfg.bootstrap.seed = vm["seed"].as<unsigned long>();
  const std::string output = vm["output"].as<std::string>();
  std::vector<io::NamedPath> inputs = cli::input_paths(vm, {"input"});
  if (cfg.exact != "auto" && cfg.exact != "none") inputs.push_back({"--exact", cfg.exact});
  cli::check_paths("analyze", inputs, cli::paths_of(vm, {"output"}));
  const Analysis a = analyze(cfg);
  if (ctx.rank == 0) {
    io::JsonWriter j;
    j.begin_object().value("program", "pandakinetics analyze").value("command_line", ctx.command_line);
    write_analysis_json(j, a);
    j.end_object();
    j.save(output);
  }
  print(ctx.out, a);
  ctx.out << "  wrote " << output << "\n";
  return kExitOk;
}

}  // namespace pk::pipeline
