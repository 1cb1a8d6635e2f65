#pragma once
// Build facts stamped at configure time (cmake/StampVersion.cmake).
#include <string>

namespace icn::build {
extern const char* const kVersion;
extern const char* const kGitSha;
extern const char* const kCompiler;
extern const char* const kBuildType;
}  // namespace icn::build

namespace icn {
/// Multi-line description of the program and the libraries it was built with.
std::string version_report();
}  // namespace icn
