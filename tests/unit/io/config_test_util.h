#pragma once
// Test helper: the error a configuration text gets from load_config.
#include <string>
#include <vector>

#include "icn/core/error.h"
#include "icn/io/config.h"
#include "temp_file.h"

namespace icn::io::testing {

/// Loads `text` (as a file of the running test) with the --set overrides `sets`; returns
/// the InputError's message, or "" when it loads.
inline std::string config_error_of(const std::string& text,
                                   const std::vector<std::string>& sets = {}) {
  const std::string path = write_temp("cfg_error.toml", text);
  try {
    load_config(path, sets);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace icn::io::testing
