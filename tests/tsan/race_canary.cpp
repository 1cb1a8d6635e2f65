// A planted data race: scripts/tsan.sh builds and runs this first, with the same flags
// and runtime settings as the real checks, and requires ThreadSanitizer to report it -
// so that a toolchain that silently detects nothing (e.g. OpenMP's tool not loaded, or
// the sanitizer missing) cannot make the checks pass.
#include <cstdio>

int main() {
  long sum = 0;
#pragma omp parallel for num_threads(2) schedule(static, 1)
  for (int i = 0; i < 100000; ++i) sum += i;  // unsynchronised: the race
  std::printf("%ld\n", sum);
  return 0;
}
