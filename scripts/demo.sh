#!/usr/bin/env bash
# The main-job command: installs dependencies, builds (Release), runs one replicate of the
# embedded default scenario, then the default ensemble under mpirun on all cores, draws
# the plots and says where everything went.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-deps.sh"
source "$here/common.sh"

build=${ICN_DEMO_BUILD_DIR:-$ICN_ROOT/build}
icn_build "$build" Release
out=${ICN_DEMO_OUT:-$ICN_ROOT/results}
mkdir -p "$out"

echo "== one replicate of the default scenario"
"$build/icnsim" run -o "$out/default_run.h5" --csv "$out/default_run.csv" --overwrite

echo "== the default ensemble on $NPROC MPI ranks"
OMP_NUM_THREADS=1 mpirun --oversubscribe -np "$NPROC" "$build/icnsim" sweep \
  "$ICN_ROOT/examples/default_ensemble.toml" -o "$out/default_ensemble.h5" --overwrite
"$build/icnsim" inspect "$out/default_ensemble.h5" | head -n 40

echo "== plots"
/usr/bin/python3 "$here/plots.py" "$out/default_run.h5" "$out"
/usr/bin/python3 "$here/plots.py" "$out/default_ensemble.h5" "$out"

cat <<MSG
demo: results in $out
  default_run.h5, default_run.csv   one replicate, per-tick observables
  default_ensemble.h5               ensemble statistics (docs/output-format.md)
  default_run.png, default_ensemble.png   plots
MSG
