#!/usr/bin/env bash
# The main-job command: installs dependencies, builds (Release) and runs icnsim on the
# embedded default scenario, then says where the results went.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-deps.sh"
source "$here/common.sh"

build=${ICN_DEMO_BUILD_DIR:-$ICN_ROOT/build}
icn_build "$build" Release
out=${ICN_DEMO_OUT:-$ICN_ROOT/results}
mkdir -p "$out"

"$build/icnsim" run -o "$out/default_run.h5" --csv "$out/default_run.csv" --overwrite
echo "demo: one replicate of the default scenario -> $out/default_run.h5 (and .csv)"
