#pragma once
// The output of `icnsim run`: one replicate's per-tick observables (layout in
// docs/output-format.md), written atomically, plus an optional CSV copy.
#include <string>
#include <vector>

#include "icn/exec/replicate.h"
#include "icn/io/provenance.h"

namespace icn::io {

/// Fails early (InputError) when `path` exists and !overwrite, or its directory is not
/// writable; so a run never computes for nothing.
void check_output_path(const std::string& path, bool overwrite, const std::string& option);

/// Writes `path` via a temporary file renamed into place, so a reader never sees a
/// half-written file.
class RunFileWriter {
 public:
  RunFileWriter(std::string path, bool overwrite);
  ~RunFileWriter();
  RunFileWriter(const RunFileWriter&) = delete;
  RunFileWriter& operator=(const RunFileWriter&) = delete;

  void add_snapshot(std::int64_t tick, const model::Snapshot& snap);
  /// Writes provenance and results, then renames the temporary file to `path`.
  void finish(const Provenance& prov, const model::ModelInfo& info, const exec::ReplicateResult& r);

 private:
  std::string path_;
  std::string tmp_;
  bool done_ = false;
  h5::File file_;
};

void write_run_csv(const std::string& path, const model::ModelInfo& info,
                   const exec::ReplicateResult& r);

}  // namespace icn::io
