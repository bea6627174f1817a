#include "app/path_options.hpp"

namespace pk::cli {

std::vector<io::NamedPath> paths_of(const po::variables_map& vm, const std::vector<std::string>& options) {
  std::vector<io::NamedPath> out;
  for (const auto& name : options) {
    if (!vm.count(name)) continue;
    const boost::any& v = vm[name].value();
    if (const auto* one = boost::any_cast<std::string>(&v)) {
      out.push_back({"--" + name, *one});
    } else if (const auto* many = boost::any_cast<std::vector<std::string>>(&v)) {
      for (const auto& p : *many) out.push_back({"--" + name, p});
    }
  }
  return out;
}

std::vector<io::NamedPath> input_paths(const po::variables_map& vm, const std::vector<std::string>& options) {
  std::vector<std::string> all = options;
  all.emplace_back("config");
  return paths_of(vm, all);
}

void check_paths(const std::string& command, const std::vector<io::NamedPath>& inputs,
                 const std::vector<io::NamedPath>& outputs) {
  io::check_output_paths("pandakinetics " + command, inputs, outputs);
}

}  // namespace pk::cli
