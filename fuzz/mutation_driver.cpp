// A deterministic mutation fuzzer for builds without libFuzzer (g++, or clang without
// ICN_FUZZ): a main() around a harness's LLVMFuzzerTestOneInput that accepts the subset of
// libFuzzer's command line the tests use, so a test runs either kind the same way.
//
//   fuzz_X [-max_total_time=S] [-runs=N] [-seed=K] [-max_len=L] [-timeout=S] [-dict=FILE]
//          [-artifact_prefix=P] CORPUS_DIR_OR_FILE...
//
// With only files as arguments, each is run once (reproducing a crash). Otherwise every
// corpus file is run once, then input i (i = 0, 1, ...) is a stack of 1-8 mutations of a
// corpus entry, all drawn from the keyed stream (seed, i): the sequence is the same on
// every machine, so "input #i with seed K" names a failure exactly. A failing input is
// written to <artifact_prefix>crash-<i> before the process dies. No coverage feedback:
// this finds shallow bugs; libFuzzer (ICN_FUZZ=ON with clang) goes deeper.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "icn/core/rng.h"

namespace {

namespace fs = std::filesystem;
using Input = std::vector<unsigned char>;

struct Options {
  double max_total_time = 0;  // 0: no time limit
  std::int64_t runs = -1;     // -1: no run limit
  std::uint64_t seed = 1;
  std::size_t max_len = 4096;
  unsigned timeout = 0;  // seconds per input; 0: none
  std::string artifact_prefix = "./";
  std::vector<std::string> dicts;
  std::vector<std::string> paths;
};

// ---- crash reporting: the current input is saved from the signal handler ----

Input g_current;
char g_artifact[4096] = {};

void save_artifact() {
  const int fd = ::open(g_artifact, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  std::size_t done = 0;
  while (done < g_current.size()) {
    const ssize_t n = ::write(fd, g_current.data() + done, g_current.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  static const char kMessage[] = "mutation driver: failing input written to ";
  [[maybe_unused]] ssize_t w = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  w = ::write(STDERR_FILENO, g_artifact, std::strlen(g_artifact));
  w = ::write(STDERR_FILENO, "\n", 1);
}

extern "C" void on_crash_signal(int sig) {
  save_artifact();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

extern "C" void on_sanitizer_death() { save_artifact(); }

extern "C" void on_timeout(int) {
  static const char kMessage[] = "\nFUZZ BUG: an input ran past -timeout\n";
  [[maybe_unused]] const ssize_t w = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  save_artifact();
  ::_exit(70);  // libFuzzer's timeout status
}

// Present only in sanitized builds; lets an ASan/UBSan report save the input too.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

void install_crash_handlers() {
  for (int sig : {SIGSEGV, SIGABRT, SIGFPE, SIGILL, SIGBUS}) ::signal(sig, on_crash_signal);
  ::signal(SIGALRM, on_timeout);
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(on_sanitizer_death);
}

unsigned g_timeout = 0;

void run_one(const Input& input) {
  g_current = input;
  if (g_timeout > 0) ::alarm(g_timeout);
  LLVMFuzzerTestOneInput(g_current.data(), g_current.size());
  if (g_timeout > 0) ::alarm(0);
}

// ---- corpus and dictionary ----

Input read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Input(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// libFuzzer dictionary lines: name="value" with \\, \" and \xNN escapes; # comments.
std::vector<Input> read_dict(const std::string& path) {
  std::vector<Input> out;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "mutation driver: cannot read dictionary " << path << "\n";
    std::exit(1);
  }
  std::string line;
  while (std::getline(in, line)) {
    const auto open = line.find('"');
    const auto close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open) continue;
    Input token;
    for (std::size_t i = open + 1; i < close; ++i) {
      if (line[i] == '\\' && i + 1 < close) {
        if (line[i + 1] == 'x' && i + 3 < close) {
          token.push_back(
              static_cast<unsigned char>(std::stoi(line.substr(i + 2, 2), nullptr, 16)));
          i += 3;
        } else {
          token.push_back(static_cast<unsigned char>(line[++i]));
        }
      } else {
        token.push_back(static_cast<unsigned char>(line[i]));
      }
    }
    out.push_back(std::move(token));
  }
  return out;
}

// ---- mutations ----

class Mutator {
 public:
  Mutator(std::uint64_t seed, std::uint64_t index, const std::vector<Input>& corpus,
          const std::vector<Input>& dict, std::size_t max_len)
      : stream_(icn::rng::Key::from_seed(seed), static_cast<std::uint32_t>(index),
                icn::rng::Stage::kTest, static_cast<std::uint32_t>(index >> 32)),
        corpus_(corpus),
        dict_(dict),
        max_len_(max_len) {}

  Input next() {
    Input x = corpus_[pick(corpus_.size())];
    const std::size_t n = 1 + pick(8);
    for (std::size_t k = 0; k < n; ++k) mutate(x);
    if (x.size() > max_len_) x.resize(max_len_);
    return x;
  }

 private:
  std::size_t pick(std::size_t n) {
    return n == 0 ? 0 : icn::rng::below(stream_, static_cast<std::uint32_t>(n));
  }
  unsigned char byte() { return static_cast<unsigned char>(stream_.next_u32()); }

  /// Values that tend to break parsers: boundaries of signed and unsigned types.
  std::uint64_t interesting() {
    static const std::uint64_t kValues[] = {0,
                                            1,
                                            2,
                                            7,
                                            8,
                                            16,
                                            63,
                                            64,
                                            127,
                                            128,
                                            255,
                                            256,
                                            4095,
                                            4096,
                                            0x7FFF,
                                            0x8000,
                                            0xFFFF,
                                            0x7FFFFFFF,
                                            0x80000000,
                                            0xFFFFFFFF,
                                            0x7FFFFFFFFFFFFFFFULL,
                                            0x8000000000000000ULL,
                                            ~0ULL};
    return kValues[pick(std::size(kValues))];
  }

  void insert(Input& x, std::size_t at, const Input& what) {
    x.insert(x.begin() + static_cast<long>(at), what.begin(), what.end());
  }

  void mutate(Input& x) {
    const std::size_t at = pick(x.size() + 1);
    switch (pick(12)) {
      case 0:
        if (!x.empty()) x[pick(x.size())] ^= static_cast<unsigned char>(1U << pick(8));
        break;
      case 1:
        if (!x.empty()) x[pick(x.size())] = byte();
        break;
      case 2: {
        static const char kSpecial[] = "\0\n\r\t \"'[]{}=.,#\\-+_eE0129xX";
        if (!x.empty())
          x[pick(x.size())] = static_cast<unsigned char>(kSpecial[pick(sizeof kSpecial - 1)]);
        break;
      }
      case 3: insert(x, at, Input(1 + pick(4), byte())); break;
      case 4:
        if (!x.empty()) {
          const std::size_t from = pick(x.size());
          const std::size_t len = std::min(x.size() - from, 1 + pick(16));
          x.erase(x.begin() + static_cast<long>(from), x.begin() + static_cast<long>(from + len));
        }
        break;
      case 5:
        if (!x.empty()) {  // duplicate a range
          const std::size_t from = pick(x.size());
          const std::size_t len = std::min(x.size() - from, 1 + pick(64));
          insert(x, at,
                 Input(x.begin() + static_cast<long>(from),
                       x.begin() + static_cast<long>(from + len)));
        }
        break;
      case 6:
        if (!dict_.empty()) insert(x, at, dict_[pick(dict_.size())]);
        break;
      case 7:
        if (!dict_.empty() && !x.empty()) {  // overwrite with a token
          const Input& t = dict_[pick(dict_.size())];
          const std::size_t from = pick(x.size());
          for (std::size_t i = 0; i < t.size() && from + i < x.size(); ++i) x[from + i] = t[i];
        }
        break;
      case 8: {  // a little-endian integer of 1, 2, 4 or 8 bytes (binary formats)
        const std::size_t width = std::size_t{1} << pick(4);
        if (x.size() >= width) {
          const std::size_t from = pick(x.size() - width + 1);
          const std::uint64_t v = interesting();
          for (std::size_t i = 0; i < width; ++i)
            x[from + i] = static_cast<unsigned char>(v >> (8 * i));
        }
        break;
      }
      case 9: {  // a decimal boundary value (text formats)
        std::ostringstream s;
        const std::uint64_t v = interesting();
        if (pick(2) == 0) {
          s << static_cast<std::int64_t>(v);
        } else {
          s << v;
        }
        const std::string t = s.str();
        insert(x, at, Input(t.begin(), t.end()));
        break;
      }
      case 10: {  // splice with another corpus entry
        const Input& other = corpus_[pick(corpus_.size())];
        if (!other.empty()) {
          const std::size_t from = pick(other.size());
          x.resize(at);
          x.insert(x.end(), other.begin() + static_cast<long>(from), other.end());
        }
        break;
      }
      default: x.resize(at); break;  // truncate
    }
  }

  icn::rng::Stream stream_;
  const std::vector<Input>& corpus_;
  const std::vector<Input>& dict_;
  std::size_t max_len_;
};

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&](const char* flag) -> const char* {
      const std::size_t n = std::strlen(flag);
      return a.compare(0, n, flag) == 0 ? a.c_str() + n : nullptr;
    };
    if (const char* v = value("-max_total_time=")) {
      o.max_total_time = std::atof(v);
      continue;
    }
    if (const char* v = value("-runs=")) {
      o.runs = std::atoll(v);
      continue;
    }
    if (const char* v = value("-seed=")) {
      o.seed = std::strtoull(v, nullptr, 10);
      continue;
    }
    if (const char* v = value("-max_len=")) {
      o.max_len = static_cast<std::size_t>(std::atoll(v));
      continue;
    }
    if (const char* v = value("-artifact_prefix=")) {
      o.artifact_prefix = v;
      continue;
    }
    if (const char* v = value("-timeout=")) {
      o.timeout = static_cast<unsigned>(std::atoi(v));
      continue;
    }
    if (const char* v = value("-dict=")) {
      o.dicts.emplace_back(v);
      continue;
    }
    if (value("-print_final_stats=") || value("-rss_limit_mb=")) continue;  // always / not enforced
    if (!a.empty() && a[0] == '-') {
      std::cerr << "mutation driver: ignoring libFuzzer flag " << a << "\n";
    } else {
      o.paths.push_back(a);
    }
  }
  return o;
}

void set_artifact_name(const Options& o, const std::string& name) {
  std::snprintf(g_artifact, sizeof g_artifact, "%s%s", o.artifact_prefix.c_str(), name.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  install_crash_handlers();
  g_timeout = o.timeout;

  const bool reproduce =
      !o.paths.empty() && std::all_of(o.paths.begin(), o.paths.end(),
                                      [](const std::string& p) { return fs::is_regular_file(p); });
  std::vector<Input> corpus;
  for (const auto& p : o.paths) {
    if (fs::is_directory(p)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(p)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());  // directory order is not deterministic
      for (const auto& f : files) corpus.push_back(read_file(f));
    } else if (fs::is_regular_file(p)) {
      corpus.push_back(read_file(p));
    } else {
      std::cerr << "mutation driver: no such file or directory: " << p << "\n";
      return 1;
    }
  }
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    set_artifact_name(o, reproduce ? "crash-" + fs::path(o.paths[i]).filename().string()
                                   : "crash-corpus-" + std::to_string(i));
    run_one(corpus[i]);
  }
  if (reproduce) {
    std::cerr << "mutation driver: ran " << corpus.size() << " input file(s), no failure\n";
    return 0;
  }
  if (corpus.empty()) corpus.emplace_back();
  std::vector<Input> dict;
  for (const auto& d : o.dicts) {
    const auto tokens = read_dict(d);
    dict.insert(dict.end(), tokens.begin(), tokens.end());
  }

  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::uint64_t i = 0;
  for (; o.runs < 0 || static_cast<std::int64_t>(i) < o.runs; ++i) {
    if (o.max_total_time > 0 && (i % 64) == 0 && elapsed() >= o.max_total_time) break;
    if (o.runs < 0 && o.max_total_time <= 0 && i >= 100000) break;  // neither bound given
    set_artifact_name(o, "crash-seed" + std::to_string(o.seed) + "-input" + std::to_string(i));
    run_one(Mutator(o.seed, i, corpus, dict, o.max_len).next());
  }
  std::cerr << "mutation driver: " << i << " mutated inputs from " << corpus.size()
            << " corpus entries in " << elapsed() << " s (seed " << o.seed << "), no failure\n";
  std::printf("stat::number_of_executed_units: %llu\n",
              static_cast<unsigned long long>(i + corpus.size()));
  return 0;
}
