// Fuzz harness: the TOML configuration loader.
//
// Input: the text of a configuration file, optionally followed by a NUL byte and `--set`
// overrides, one per line. Contract checked:
//   - load_config either succeeds or throws icn::InputError; any other exception, a crash
//     or a sanitizer report is a bug;
//   - a loaded configuration's resolved TOML (stored in every output file) loads again
//     and resolves to the same text, so a run can always be repeated from its output;
//   - [design] and [ensemble] validate with InputError only, and small designs build.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "icn/core/error.h"
#include "icn/io/config.h"
#include "icn/io/sweep_config.h"

namespace {

std::string scratch_path(const char* suffix) {
  const char* dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/icn-fuzz-config-" + std::to_string(::getpid()) +
         suffix;
}

const std::string& input_path() {
  static const std::string path = scratch_path(".toml");
  return path;
}

const std::string& resolved_path() {
  static const std::string path = scratch_path("-resolved.toml");
  return path;
}

void remove_scratch() {
  std::remove(input_path().c_str());
  std::remove(resolved_path().c_str());
}

void write_text(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) icn::fuzz::bug("cannot write the scratch file " + path);
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const auto line = text.substr(0, nl);
    if (!line.empty()) lines.emplace_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

/// The resolved text without its first line, which names the file it came from.
std::string body(const std::string& resolved) {
  const auto nl = resolved.find('\n');
  return nl == std::string::npos ? "" : resolved.substr(nl + 1);
}

/// Builds only designs small enough for a fuzzer's time and memory budget; their size
/// limits are checked by read_sweep_config and the unit tests, not here.
bool small_design(const icn::design::DesignSpec& d) {
  using icn::design::DesignKind;
  if (d.factors.size() > 16) return false;
  switch (d.kind) {
    case DesignKind::kGrid: {
      std::int64_t points = 1;
      for (const auto& f : d.factors) {
        const auto levels = f.levels.empty() ? std::int64_t{f.n_levels}
                                             : static_cast<std::int64_t>(f.levels.size());
        if (levels > 4096) return false;
        points *= std::max<std::int64_t>(levels, 1);
        if (points > 4096) return false;
      }
      return true;
    }
    case DesignKind::kMorris: return d.morris_trajectories <= 64 && d.morris_levels <= 64;
    case DesignKind::kList: return d.list_points.size() <= 4096;
    default: return d.n <= 1024;
  }
}

void check_sweep_sections(const icn::io::Config& cfg) {
  try {
    const auto sc = icn::io::read_sweep_config(cfg);
    if (small_design(sc.design)) icn::io::build_design(cfg, sc);
    if (std::getenv("ICN_FUZZ_VERBOSE")) std::fprintf(stderr, "accepted: %s\n", cfg.origin.c_str());
  } catch (const icn::InputError& e) {
    if (std::getenv("ICN_FUZZ_VERBOSE"))
      std::fprintf(stderr, "rejected [design]/[ensemble]: %s\n", e.what());
  }
}

void check_config(std::string_view text, const std::vector<std::string>& overrides) {
  write_text(input_path(), text);
  icn::io::Config cfg;
  try {
    cfg = icn::io::load_config(input_path(), overrides);
  } catch (const icn::InputError& e) {
    if (std::getenv("ICN_FUZZ_VERBOSE")) std::fprintf(stderr, "rejected: %s\n", e.what());
    return;
  }
  check_sweep_sections(cfg);
  const std::string resolved = cfg.resolved_toml();
  write_text(resolved_path(), resolved);
  icn::io::Config again;
  try {
    again = icn::io::load_config(resolved_path(), {});
  } catch (const icn::InputError& e) {
    icn::fuzz::bug(std::string("the resolved configuration does not load again: ") + e.what() +
                   "\n--- resolved ---\n" + resolved);
  }
  if (body(again.resolved_toml()) != body(resolved)) {
    icn::fuzz::bug("resolving twice changes the configuration\n--- first ---\n" + resolved +
                   "\n--- second ---\n" + again.resolved_toml());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const bool once = [] {
    std::atexit(remove_scratch);
    return true;
  }();
  (void)once;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The test's proof that a failing harness is noticed (tests/e2e/test_fuzz_config.sh).
  if (std::getenv("ICN_FUZZ_CANARY") && input.find("ICN-FUZZ-CANARY") != std::string_view::npos) {
    icn::fuzz::bug("canary input");
  }
  const auto nul = input.find('\0');
  const std::string_view text = input.substr(0, nul);
  const std::vector<std::string> overrides = nul == std::string_view::npos
                                                 ? std::vector<std::string>{}
                                                 : split_lines(input.substr(nul + 1));
  try {
    check_config(text, overrides);
  } catch (const std::exception& e) {
    icn::fuzz::bug(std::string("unexpected exception (not icn::InputError): ") + e.what());
  }
  return 0;
}
