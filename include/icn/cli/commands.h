#pragma once
// One function per subcommand: each adds its options to `app` and returns the action
// to run when that subcommand is chosen.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace icn::cli {

/// What every action gets: the full command line, for provenance.
struct Context {
  std::string command_line;
};

using Action = std::function<int(const Context&)>;

Action add_params(CLI::App& app);
Action add_run(CLI::App& app);
Action add_version(CLI::App& app);

}  // namespace icn::cli
