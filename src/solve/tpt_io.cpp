#include "solve/tpt_io.hpp"

#include <cstdint>
#include <vector>

namespace pk::solve {

void write_tpt_h5(const io::File& file, const TransitionPaths& tp, const std::string& group) {
  std::string base = group;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const auto path = [&](const std::string& name) { return base + "/" + name; };
  io::write_replicated(file, path("forward_committor"), tp.forward_committor, "1");
  io::write_replicated(file, path("backward_committor"), tp.backward_committor, "1");
  io::write_replicated(file, path("source_states"), tp.source, "1");
  io::write_replicated(file, path("sink_states"), tp.sink, "1");
  io::write_replicated(file, path("total_flux_per_s"), std::vector<double>{tp.total_flux_per_s}, "1/s");
  io::write_replicated(file, path("rate_per_s"), std::vector<double>{tp.rate_per_s}, "1/s");
  io::write_replicated(file, path("source_phase_probability"), std::vector<double>{tp.source_phase_probability}, "1");

  std::vector<std::int32_t> from, to;
  std::vector<double> flux;
  for (const NetFluxEdge& e : tp.net_flux) {
    from.push_back(e.from);
    to.push_back(e.to);
    flux.push_back(e.net_flux_per_s);
  }
  io::write_replicated(file, path("reactive_flux/from"), from, "1");
  io::write_replicated(file, path("reactive_flux/to"), to, "1");
  io::write_replicated(file, path("reactive_flux/net_flux_per_s"), flux, "1/s");

  std::vector<std::int32_t> states;
  std::vector<std::int64_t> offsets{0};
  std::vector<double> path_flux, fraction;
  for (const Pathway& p : tp.pathways) {
    states.insert(states.end(), p.states.begin(), p.states.end());
    offsets.push_back(static_cast<std::int64_t>(states.size()));
    path_flux.push_back(p.flux_per_s);
    fraction.push_back(p.flux_per_s / tp.total_flux_per_s);
  }
  io::write_replicated(file, path("pathways/states"), states, "1");
  io::write_replicated(file, path("pathways/offsets"), offsets, "1");
  io::write_replicated(file, path("pathways/flux_per_s"), path_flux, "1/s");
  io::write_replicated(file, path("pathways/flux_fraction"), fraction, "1");
}

std::string state_label(const network::Network& net, std::int32_t index) {
  const network::State& s = net.states[static_cast<std::size_t>(index)];
  return s.name.empty() ? "id " + std::to_string(s.id) : s.name;
}

void write_tpt_json(io::JsonWriter& json, const TransitionPaths& tp, const network::Network& net) {
  json.value("total_flux_per_s", tp.total_flux_per_s)
      .value("rate_per_s", tp.rate_per_s)
      .value("source_phase_probability", tp.source_phase_probability)
      .value("pathway_flux_fraction", tp.pathway_flux_fraction());
  json.begin_array("pathways");
  for (const Pathway& p : tp.pathways) {
    json.begin_object().value("flux_per_s", p.flux_per_s).value("flux_fraction", p.flux_per_s / tp.total_flux_per_s);
    json.begin_array("states");
    for (std::int32_t s : p.states) json.value("", static_cast<long long>(s));
    json.end_array().begin_array("names");
    for (std::int32_t s : p.states) json.value("", state_label(net, s));
    json.end_array().end_object();
  }
  json.end_array();
}

}  // namespace pk::solve
