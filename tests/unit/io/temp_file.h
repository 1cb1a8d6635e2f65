#pragma once
// Test helper: a text file under GoogleTest's temporary directory.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <string>

namespace icn::io::testing {

/// Writes `text` to TempDir()/<suite>.<test>.<pid>.name (replacing it) and returns the
/// path. ctest runs each test as its own process, in parallel: a bare name shared by the
/// tests of a suite let one test read another's file.
inline std::string write_temp(const std::string& name, const std::string& text) {
  const ::testing::TestInfo* t = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string owner =
      t ? std::string(t->test_suite_name()) + "." + t->name() + "." : std::string();
  const std::string path = ::testing::TempDir() + owner + std::to_string(::getpid()) + "." + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace icn::io::testing
