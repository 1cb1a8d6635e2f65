#pragma once
// Provenance stamped on every output file (STYLE.md rule 7), from one place.
#include <cstdint>
#include <string>

#include "icn/io/hdf5.h"

namespace icn::io {

/// Version of the results-file layout (docs/output-format.md); bump on any change.
inline constexpr std::int64_t kFormatVersion = 1;

struct Provenance {
  std::string kind;  ///< "run" (one replicate) or "sweep" (ensemble statistics)
  std::string command_line;
  std::string config;  ///< the full resolved TOML
  std::string model;
  std::uint64_t master_seed = 0;
  int n_ranks = 1;
  int n_threads = 1;
};

/// The whole command line as one string, arguments quoted where needed.
std::string join_command_line(int argc, char** argv);

/// Current UTC time as ISO 8601.
std::string utc_now();

/// Writes the root attributes (format_version, icnsim_version, git_sha, created, ...,
/// hdf5_version, mpi_library, and the Slurm job ids when running under Slurm).
void write_provenance(const h5::Group& root, const Provenance& p);

}  // namespace icn::io
