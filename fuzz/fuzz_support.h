#pragma once
// Shared by the fuzz harnesses: how a harness reports a bug. Expected rejections
// (icn::InputError) are not bugs; anything else the harness checks ends the process with
// abort(), which libFuzzer and the mutation driver both record as a crash with the input.
#include <cstdio>
#include <cstdlib>
#include <string>

namespace icn::fuzz {

[[noreturn]] inline void bug(const std::string& what) {
  std::fprintf(stderr, "\nFUZZ BUG: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace icn::fuzz

/// The libFuzzer entry point every harness defines.
extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size);
