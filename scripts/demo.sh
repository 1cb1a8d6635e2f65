#!/usr/bin/env bash
# The main-job command: installs dependencies, builds (Release), runs one replicate of the
# embedded default scenario, then the default ensemble under mpirun on all cores, draws
# the ensemble's key plots into results/plots/ and says where everything went.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/install-deps.sh"
source "$here/common.sh"

build=${ICN_DEMO_BUILD_DIR:-$ICN_ROOT/build}
icn_build "$build" Release
out=${ICN_DEMO_OUT:-$ICN_ROOT/results}
mkdir -p "$out"

echo "== one replicate of the default scenario (network snapshots every 100 ticks)"
"$build/icnsim" run -o "$out/default_run.h5" --csv "$out/default_run.csv" --snapshot-every 100 --overwrite

echo "== the default ensemble on $NPROC MPI ranks"
OMP_NUM_THREADS=1 mpirun --oversubscribe -np "$NPROC" "$build/icnsim" sweep \
  "$ICN_ROOT/examples/default_ensemble.toml" -o "$out/default_ensemble.h5" --overwrite
"$build/icnsim" inspect "$out/default_ensemble.h5" | head -n 40

echo "== plots (scripts/plot_*.py; docs/getting-started.md)"
py=${ICN_PYTHON:-/usr/bin/python3}
plots="$out/plots"
mkdir -p "$plots"
# The ensemble's key observables, one PNG each: mean, 25-75 % and 5-95 % bands of the
# replicates, life-cycle stages shaded.
"$py" "$here/plot_trajectories.py" "$out/default_ensemble.h5" \
  firms total_sales knowledge_diversity net_clustering lifecycle_stage --outdir "$plots"
"$py" "$here/plot_trajectories.py" "$out/default_run.h5" -o "$plots/default_run.png"
"$py" "$here/plot_network.py" "$out/default_run.h5" --tick 100 -o "$plots/network_100.png"

cat <<MSG
demo: results in $out
  default_run.h5, default_run.csv   one replicate, per-tick observables and network snapshots
  default_ensemble.h5               ensemble statistics (docs/output-format.md)
  plots/                            the PNGs listed above (more: docs/getting-started.md#6-plots)
MSG
