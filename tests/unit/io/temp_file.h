#pragma once
// Test helper: a text file under GoogleTest's temporary directory.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace icn::io::testing {

/// Writes `text` to TempDir()/name (replacing it) and returns the path.
inline std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace icn::io::testing
