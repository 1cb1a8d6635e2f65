#!/usr/bin/env bash
# The test command: installs dependencies, builds with -Werror, runs the whole suite
# (unit, MPI and end-to-end tests) with ctest, and checks formatting.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-deps.sh"
source "$here/common.sh"

# The library and programs compile file by file, as a developer's build does (each file
# must stand alone; -Werror owns the warnings); the unit tests in batches (ICN_UNITY_TESTS:
# GoogleTest parsed once per batch, half the build's compile time).
build=${ICN_TEST_BUILD_DIR:-$ICN_ROOT/build-test}
icn_build "$build" Release -DICN_WERROR=ON -DICN_UNITY_TESTS=ON
(cd "$build" && ctest --output-on-failure --timeout 900 -j "$NPROC")

# The suite again under AddressSanitizer + UndefinedBehaviorSanitizer (docs/development.md,
# "Sanitizers"), built by Clang: the code is then compiled by a second compiler, whose
# warnings are errors too (-Werror; GCC's flow analysis warns falsely on instrumented
# code, Clang's does not). With ICN_FUZZ the fuzz tests run libFuzzer (coverage-guided)
# instead of the mutation driver (fuzz/README.md). Kept short to build: -O1, line tables
# only (-g1: reports still name file:line; full -g nearly doubled the compile time of
# template-heavy files), precompiled standard headers and a unity build of every target.
# ICN_TEST_SANITIZE=0 skips it (a quick local check).
if [ "${ICN_TEST_SANITIZE:-1}" != 0 ]; then
  san=${ICN_TEST_SANITIZE_BUILD_DIR:-$ICN_ROOT/build-test-sanitize}
  cmake -S "$ICN_ROOT" -B "$san" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DICN_SANITIZE=ON -DICN_FUZZ=ON -DICN_WERROR=ON \
    -DICN_BUILD_BENCH=OFF -DICN_PCH=ON -DCMAKE_UNITY_BUILD=ON
  cmake --build "$san" -j "$NPROC"
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  # Unit tests with LeakSanitizer; end-to-end tests without it: OpenMPI's plug-ins leak at
  # MPI_Finalize and are unloaded before their reports can be suppressed. Left out: Slurm's
  # test (it exercises the batch system, not our code) and the tests of the plot scripts,
  # the scaling harness and the benchmark scripts (their icnsim runs are code paths the
  # other e2e tests cover); the fuzzers' time is cut to 10 s each.
  (cd "$san" && ctest --output-on-failure --timeout 900 -j "$NPROC" -L unit)
  (cd "$san" && ASAN_OPTIONS=detect_leaks=0 ICN_FUZZ_SECONDS=10 \
    ctest --output-on-failure --timeout 900 -j "$NPROC" -L e2e \
    -E 'e2e\.test_(slurm|plots|scaling|bench_scripts)$')
fi
# Data races under ThreadSanitizer (Clang + LLVM's Archer for OpenMP): the model's
# parallel stages and the sweep's threads, after a planted race is shown to be caught
# (scripts/tsan.sh, docs/development.md). ICN_TEST_TSAN=0 skips it.
if [ "${ICN_TEST_TSAN:-1}" != 0 ]; then
  "$here/tsan.sh" "${ICN_TEST_TSAN_BUILD_DIR:-$ICN_ROOT/build-test-tsan}"
fi
"$here/format.sh" --check
echo "test.sh: all tests passed"
