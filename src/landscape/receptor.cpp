#include "landscape/receptor.hpp"

#include "core/error.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>

namespace pk::pipeline {

namespace {
std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}
}  // namespace

Coords read_receptor_heavy_atoms(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open the receptor file (PDBQT)");
  Coords out;
  std::string line;
  long number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("ATOM", 0) != 0 && line.rfind("HETATM", 0) != 0) continue;
    if (line.size() < 54) throw InputError(path, number, "ATOM/HETATM record shorter than 54 columns (no coordinates)");
    const std::string type = line.size() >= 78 ? trim(line.substr(77, 2)) : "";
    if (!type.empty() && (type[0] == 'H')) continue;
    Vec3 x{};
    for (int d = 0; d < 3; ++d) {
      const std::string field = trim(line.substr(30 + 8 * d, 8));
      char* end = nullptr;
      x[d] = std::strtod(field.c_str(), &end);
      if (field.empty() || *end != '\0')
        throw InputError(path, number, "coordinate '" + field + "' in columns " + std::to_string(31 + 8 * d) + "-" +
                                           std::to_string(38 + 8 * d) + " is not a number");
      if (!std::isfinite(x[d]) || std::abs(x[d]) > 1e5)
        throw InputError(path, number, "coordinate '" + field + "' in columns " + std::to_string(31 + 8 * d) + "-" +
                                           std::to_string(38 + 8 * d) + " is not finite or beyond ±1e5 Å");
    }
    out.push_back(x);
  }
  if (out.empty()) throw InputError(path, 0, "no heavy ATOM/HETATM records (is it a PDBQT receptor?)");
  return out;
}

}  // namespace pk::pipeline
