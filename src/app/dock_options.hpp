// `pandakinetics dock` options under AutoDock Vina's names (a Vina command
// line or config file works unchanged) and the DockConfig they produce.
#pragma once

#include "dock/dock_config.hpp"

namespace boost::program_options {
class options_description;
class variables_map;
}  // namespace boost::program_options

namespace pk::dock {

/// One --box value as Boost.Program_options stores it (checked as it is read).
struct BoxOption {
  DockBox box;
};

/// Adds the dock options to `desc`.
void add_dock_options(boost::program_options::options_description& desc);

/// Builds and checks the config (throws pk::UsageError naming the option).
DockConfig dock_config_from(const boost::program_options::variables_map& vm);

}  // namespace pk::dock
