#include "icn/io/provenance.h"

#include <cctype>
#include <cstdlib>
#include <ctime>

#include "icn/core/version.h"
#include "icn/exec/mpi_info.h"

namespace icn::io {

std::string join_command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    const bool plain = !a.empty() && a.find_first_of(" \t\"'\\$") == std::string::npos;
    if (!out.empty()) out += ' ';
    if (plain) {
      out += a;
    } else {
      out += '\'';
      for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
  }
  return out;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_provenance(const h5::Group& root, const Provenance& p) {
  root.set_attr("format_version", kFormatVersion);
  root.set_attr("file_kind", p.kind);
  root.set_attr("icnsim_version", std::string(build::kVersion));
  root.set_attr("git_sha", std::string(build::kGitSha));
  root.set_attr("created", utc_now());
  root.set_attr("command_line", p.command_line);
  root.set_attr("config", p.config);
  root.set_attr("master_seed", static_cast<std::int64_t>(p.master_seed));
  root.set_attr("model", p.model);
  root.set_attr("n_ranks", static_cast<std::int64_t>(p.n_ranks));
  root.set_attr("n_threads", static_cast<std::int64_t>(p.n_threads));
  // The libraries whose behaviour the file depends on (I/O, parallel runtime).
  root.set_attr("hdf5_version", h5::library_version());
  root.set_attr("mpi_library", exec::mpi_library_version());
  for (const char* var :
       {"SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_CLUSTER_NAME"}) {
    if (const char* v = std::getenv(var)) {
      std::string key = var;
      for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      root.set_attr(key, std::string(v));
    }
  }
}

}  // namespace icn::io
