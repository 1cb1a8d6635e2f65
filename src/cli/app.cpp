#include "icn/cli/app.h"

#include <algorithm>
#include <iostream>
#include <vector>

#include "icn/cli/commands.h"
#include "icn/core/error.h"
#include "icn/core/huge_pages.h"
#include "icn/core/params.h"
#include "icn/io/provenance.h"

namespace icn::cli {

int main(int argc, char** argv) {
  CLI::App app{"icnsim: parallel batch simulator of industrial-cluster innovation networks"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every subcommand");
  app.footer(
      "Exit status: 0 ok, 1 runtime failure, 2 bad input (nothing run), 3 interrupted "
      "(resumable).");

  std::vector<std::pair<CLI::App*, Action>> actions;
  const auto add = [&](const char* name, const char* help, Action (*make)(CLI::App&)) {
    CLI::App* sub = app.add_subcommand(name, help);
    actions.emplace_back(sub, make(*sub));
  };
  add("params", "List every parameter with its default, range, unit and description", add_params);
  add("run", "Run one replicate and write its per-tick observables (HDF5, optional CSV)", add_run);
  add("version", "Print the version, git sha, compiler and library versions", add_version);
  add("sweep",
      "Run a design's points x replicates on all ranks and threads; write statistics (HDF5)",
      add_sweep);
  add("design", "Print or write (CSV) the design of a configuration without running it",
      add_design);
  add("merge", "Combine the shard files of one design (sweep --shard i/n) into one results file",
      add_merge);
  add("inspect", "Print a results file's provenance, design and a summary of its final observables",
      add_inspect);
  add("analyze",
      "Sobol' indices (saltelli design) or Morris screening (morris design) of a results file; "
      "print them and store them under /analysis",
      add_analyze);

  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (auto& [sub, action] : actions) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      const std::string hint = did_you_mean(argv[1], names);
      std::cerr << "icnsim: unknown subcommand '" << argv[1] << "'"
                << (hint.empty() ? "" : " (did you mean '" + hint + "'?)")
                << "; see icnsim --help\n";
      return static_cast<int>(ExitCode::kBadInput);
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "icnsim: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kBadInput);
  }

  const Context ctx{io::join_command_line(argc, argv)};
  try {
    check_huge_pages_env();
    for (auto& [sub, action] : actions) {
      if (sub->parsed()) return action(ctx);
    }
  } catch (const InputError& e) {
    std::cerr << "icnsim: error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kBadInput);
  } catch (const std::exception& e) {
    std::cerr << "icnsim: runtime error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::kRuntime);
  }
  return static_cast<int>(ExitCode::kRuntime);
}

}  // namespace icn::cli
