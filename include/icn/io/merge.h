#pragma once
// `icnsim merge`: combines the shard files of one design (`icnsim sweep --shard i/n`,
// exec/shard.h) into one results file whose statistics, design and per-run values are
// bit-identical to those of a single job over the whole design.
#include <string>
#include <vector>

#include "icn/io/provenance.h"

namespace icn::io {

/// What the merge found (for the command's report).
struct MergeSummary {
  std::int64_t n_shards = 0;
  std::int64_t n_points = 0;
  std::int64_t n_runs = 0;
};

/// Reads `inputs` (in any order), checks that they are shards of one sweep — same
/// icnsim version and commit, format version, model, seed, resolved config, design and
/// outputs — and that together they cover every design point exactly once, then writes
/// `output` atomically. The merged file's provenance takes `command_line` and the
/// environment's Slurm ids; n_ranks and n_threads are the first shard's, /timing holds the
/// longest shard wall time, summed dispatch time and batches, and every shard's busy
/// seconds. Throws InputError (exit status 2) naming the file and the mismatch, or
/// RuntimeError on I/O failure. The caller has checked `output` with check_output_path.
MergeSummary merge_shards(const std::vector<std::string>& inputs, const std::string& output,
                          const std::string& command_line);

}  // namespace icn::io
