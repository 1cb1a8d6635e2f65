// `icnsim merge`: shard files of one design into one results file (io/merge.h).
#include <iostream>
#include <memory>

#include "icn/cli/commands.h"
#include "icn/io/merge.h"
#include "icn/io/run_file.h"

namespace icn::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> inputs;
  std::string output = "icnsim_sweep.h5";
  bool overwrite = false;
};

int run_merge(const MergeArgs& a, const Context& ctx) {
  io::check_output_path(a.output, a.overwrite, "-o");
  const io::MergeSummary s = io::merge_shards(a.inputs, a.output, ctx.command_line);
  std::cerr << "icnsim merge: " << s.n_shards << " shard(s), " << s.n_points << " point(s), "
            << s.n_runs << " run(s)\n";
  std::cout << "results: " << a.output << "\n";
  return 0;
}

}  // namespace

Action add_merge(CLI::App& app) {
  auto a = std::make_shared<MergeArgs>();
  app.add_option("shards", a->inputs,
                 "Shard files of one design (icnsim sweep --shard i/n), in any order")
      ->required();
  app.add_option("-o,--output", a->output, "Merged HDF5 results file")->capture_default_str();
  app.add_flag("--overwrite", a->overwrite, "Replace an existing output file");
  return [a](const Context& ctx) { return run_merge(*a, ctx); };
}

}  // namespace icn::cli
