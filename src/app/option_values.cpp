#include "app/cli.hpp"

#include <sstream>

namespace pk::cli {

std::vector<std::pair<std::string, std::string>> option_values(const po::variables_map& vm) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : vm) {
    const boost::any& v = value.value();
    std::ostringstream s;
    s.precision(17);
    if (const auto* d = boost::any_cast<double>(&v)) s << *d;
    else if (const auto* l = boost::any_cast<long>(&v)) s << *l;
    else if (const auto* i = boost::any_cast<int>(&v)) s << *i;
    else if (const auto* u = boost::any_cast<unsigned long>(&v)) s << *u;
    else if (const auto* str = boost::any_cast<std::string>(&v)) s << *str;
    else if (const auto* b = boost::any_cast<bool>(&v)) s << (*b ? "true" : "false");
    else s << "(unprintable)";
    out.emplace_back(name, s.str());
  }
  return out;
}

}  // namespace pk::cli
