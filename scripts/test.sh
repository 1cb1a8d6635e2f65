#!/usr/bin/env bash
# The test command: installs dependencies, builds with -Werror, runs the whole suite
# (unit, MPI and end-to-end tests) with ctest, and checks formatting.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-deps.sh"
source "$here/common.sh"

build=${ICN_TEST_BUILD_DIR:-$ICN_ROOT/build-test}
icn_build "$build" Release -DICN_WERROR=ON
(cd "$build" && ctest --output-on-failure --timeout 900 -j "$NPROC")
"$here/format.sh" --check
echo "test.sh: all tests passed"
