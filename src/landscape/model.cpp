#include "landscape/model.hpp"

#include "core/error.hpp"
#include "core/units.hpp"
#include "io/ini.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace pk::landscape {

namespace {

/// The parameters in file order, with a pointer to each member.
std::vector<std::pair<std::string, double ModelParameters::*>> members() {
  return {{"scale", &ModelParameters::scale},
          {"offset_kcal_per_mol", &ModelParameters::offset_kcal_per_mol},
          {"rotor_kcal_per_mol", &ModelParameters::rotor_kcal_per_mol},
          {"polar_kcal_per_mol", &ModelParameters::polar_kcal_per_mol},
          {"apolar_kcal_per_mol", &ModelParameters::apolar_kcal_per_mol},
          {"log10_kappa", &ModelParameters::log10_kappa}};
}

}  // namespace

double ModelParameters::kappa() const { return std::pow(10.0, log10_kappa); }

std::vector<std::pair<std::string, double>> ModelParameters::named() const {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [name, m] : members()) out.emplace_back(name, this->*m);
  return out;
}

bool ModelParameters::set(const std::string& name, double value) {
  for (const auto& [n, m] : members())
    if (n == name) {
      this->*m = value;
      return true;
    }
  return false;
}

const std::vector<std::string>& parameter_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [n, m] : members()) v.push_back(n);
    return v;
  }();
  return names;
}

double burial_terms(const ModelParameters& p, const StateFeatures& f) {
  return p.rotor_kcal_per_mol * f.n_rot * f.burial + p.polar_kcal_per_mol * f.polar_buried +
         p.apolar_kcal_per_mol * f.apolar_buried;
}

double state_free_energy(const ModelParameters& p, const StateFeatures& f) {
  return p.offset_kcal_per_mol + p.scale * f.score_kcal_per_mol + burial_terms(p, f);
}

double ts_free_energy(const ModelParameters& p, double path_max_score_kcal_per_mol, const StateFeatures& a,
                      const StateFeatures& b) {
  const double ts = p.offset_kcal_per_mol + p.scale * path_max_score_kcal_per_mol +
                    std::max(burial_terms(p, a), burial_terms(p, b));
  return std::max({ts, state_free_energy(p, a), state_free_energy(p, b)});
}

double bulk_ts_free_energy(double k_assoc_per_M_per_s, double state_free_energy_kcal_per_mol, double temperature_K,
                           double kappa) {
  const double prefactor_per_s = kappa * units::eyring_prefactor_per_s(temperature_K);
  const double ts = -units::rt_kcal_per_mol(temperature_K) *
                    std::log(k_assoc_per_M_per_s * units::kStandardConcentration_M / prefactor_per_s);
  return std::max({ts, state_free_energy_kcal_per_mol, 0.0});
}

void check_parameters(const ModelParameters& p, const std::string& source) {
  for (const auto& [name, v] : p.named())
    if (!std::isfinite(v)) throw InputError(source, 0, "model parameter " + name + " is not a finite number");
  if (!(p.scale > 0)) throw InputError(source, 0, "model parameter scale must be > 0, got " + std::to_string(p.scale));
  if (p.log10_kappa > 0)
    throw InputError(source, 0, "model parameter log10_kappa must be <= 0 (kappa <= 1), got " + std::to_string(p.log10_kappa));
  for (const auto& [name, v] : p.named())
    if (std::abs(v) > 1e3) throw InputError(source, 0, "model parameter " + name + " = " + std::to_string(v) + " is out of range (|value| > 1000)");
}

ModelParameters read_parameters(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open the model parameter file");
  ModelParameters p;
  std::set<std::string> seen;
  std::string raw, provenance;
  long line = 0;
  while (std::getline(in, raw)) {
    ++line;
    if (line == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) raw = raw.substr(3);
    const std::string text = io::trim(raw);
    if (text.empty()) continue;
    if (text[0] == '#') {
      provenance += io::trim(text.substr(1)) + "\n";
      continue;
    }
    const auto eq = text.find('=');
    if (eq == std::string::npos) throw InputError(path, line, "expected 'name = value', got '" + text + "'");
    const std::string name = io::trim(text.substr(0, eq)), value = io::trim(text.substr(eq + 1));
    if (std::find(parameter_names().begin(), parameter_names().end(), name) == parameter_names().end()) {
      std::string known;
      for (const auto& n : parameter_names()) known += (known.empty() ? "" : ", ") + n;
      throw InputError(path, line, "unknown model parameter '" + name + "' (known: " + known + ")");
    }
    if (!seen.insert(name).second) throw InputError(path, line, "model parameter '" + name + "' given twice");
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (value.empty() || end == value.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
      throw InputError(path, line, "model parameter '" + name + "': '" + value + "' is not a finite number");
    p.set(name, v);
  }
  if (seen.empty()) throw InputError(path, 0, "no model parameters in the file");
  p.provenance = provenance;
  check_parameters(p, path);
  return p;
}

std::string parameters_text(const ModelParameters& p) {
  std::ostringstream out;
  std::istringstream prov(p.provenance);
  for (std::string l; std::getline(prov, l);) out << "# " << l << "\n";
  for (const auto& [name, v] : p.named()) {
    char b[64];
    std::snprintf(b, sizeof b, "%.17g", v);
    out << name << " = " << b << "\n";
  }
  return out.str();
}

}  // namespace pk::landscape
