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

namespace icn::cli {
/// A CLI11 validator accepting integers >= 0 with a short message.
inline CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        try {
          std::size_t pos = 0;
          const long long v = std::stoll(s, &pos);
          if (pos == s.size() && v >= 0) return {};
        } catch (const std::exception&) {
        }
        return "must be an integer >= 0 (got " + s + ")";
      },
      ">=0");
}
}  // namespace icn::cli
