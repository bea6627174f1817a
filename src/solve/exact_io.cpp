// Output of the exact kinetics: HDF5 datasets (each with its unit) and JSON.
#include "solve/exact.hpp"

#include "core/error.hpp"

#include <hdf5.h>

namespace pk::solve {
namespace {

struct Scalar {
  const char* name;
  double value;
  const char* unit;
};

std::vector<Scalar> scalars(const ExactKinetics& ex) {
  return {{"temperature_K", ex.temperature_K, "K"},
          {"concentration_M", ex.concentration_M, "M"},
          {"lag_time_s", ex.lag_time_s, "s"},
          {"koff_per_s", ex.koff_per_s, "1/s"},
          {"residence_time_s", ex.residence_time_s, "s"},
          {"residence_time_second_moment_s2", ex.residence_time_second_moment_s2, "s^2"},
          {"mfpt_unbound_to_bound_s", ex.mfpt_unbound_to_bound_s, "s"},
          {"mfpt_unbound_to_bound_second_moment_s2", ex.mfpt_unbound_to_bound_second_moment_s2, "s^2"},
          {"kon_per_M_per_s", ex.kon_per_M_per_s, "1/(M s)"},
          {"kd_M", ex.kd_M, "M"},
          {"dG_kcal_per_mol", ex.dG_kcal_per_mol, "kcal/mol"},
          {"koff_renewal_per_s", ex.koff_renewal_per_s, "1/s"},
          {"kon_renewal_per_M_per_s", ex.kon_renewal_per_M_per_s, "1/(M s)"}};
}

}  // namespace

void write_exact_h5(const io::File& file, const ExactKinetics& ex, const std::string& group) {
  std::string base = group;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const auto path = [&](const char* name) { return base + "/" + name; };
  for (const Scalar& s : scalars(ex)) io::write_replicated(file, path(s.name), std::vector<double>{s.value}, s.unit);
  io::write_replicated(file, path("n_states"), std::vector<std::int32_t>{ex.n_states}, "1");
  io::write_replicated(file, path("stationary"), ex.stationary, "1");
  io::write_replicated(file, path("committor_to_bound"), ex.committor_to_bound, "1");
  io::write_replicated(file, path("mfpt_to_unbound_s"), ex.mfpt_to_unbound_s, "s");
  io::write_replicated(file, path("mfpt_to_bound_s"), ex.mfpt_to_bound_s, "s");
  io::write_replicated(file, path("relaxation_times_s"), ex.relaxation_times_s, "s");
  io::write_replicated(file, path("times_s"), ex.times_s, "s");
  io::write_replicated(file, path("bound_survival"), ex.bound_survival, "1");
  io::write_replicated(file, path("binding_cdf"), ex.binding_cdf, "1");
  io::write_replicated(file, path("occupancy"), ex.occupancy, "1");
  const std::string occupancy = path("occupancy");
  io::H5Id dataset(H5Dopen2(file.get(), occupancy.c_str(), H5P_DEFAULT), H5Dclose, "open " + occupancy);
  io::write_attribute(dataset.get(), "shape", std::vector<int>{static_cast<int>(ex.times_s.size()), ex.n_states});
}

void write_exact_json(io::JsonWriter& json, const ExactKinetics& ex) {
  json.value("n_states", static_cast<long long>(ex.n_states));
  for (const Scalar& s : scalars(ex)) json.value(s.name, s.value);
  json.value("relaxation_times_s", ex.relaxation_times_s);
  json.value("times_s", ex.times_s);
  json.value("bound_survival", ex.bound_survival);
  json.value("binding_cdf", ex.binding_cdf);
  if (!ex.time_dependent_note.empty()) json.value("time_dependent_note", ex.time_dependent_note);
}

}  // namespace pk::solve
