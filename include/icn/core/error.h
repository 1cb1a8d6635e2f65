#pragma once
// Error types and the process exit codes they map to (documented in README.md).
#include <stdexcept>
#include <string>

namespace icn {

/// Process exit statuses; one source of truth for the CLI and the docs.
enum class ExitCode : int {
  kOk = 0,
  kRuntime = 1,      ///< a failure while running (I/O error, model failure, MPI error)
  kBadInput = 2,     ///< bad configuration, command line, or input file; nothing was run
  kInterrupted = 3,  ///< stopped by a signal or deadline after a checkpoint; resumable
};

/// Bad user input: a configuration, command-line value or input file that is invalid.
/// The message names the file, the key and the reason.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A failure while running that is not the user's input (I/O, model, runtime).
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace icn
