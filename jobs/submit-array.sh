#!/bin/bash
# Submits a sharded sweep: a job array of N shards (sweep-array.sbatch) and the merge job
# that waits for all of them (merge.sbatch). Extra sbatch options (account, partition,
# time) go in SBATCH_ARGS, e.g. SBATCH_ARGS="--account=abc --partition=short".
#
#   jobs/submit-array.sh N CONFIG.toml OUTPUT.h5 [icnsim sweep options, no -o]
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 N CONFIG.toml OUTPUT.h5 [icnsim sweep options]" >&2; exit 2; }
n=$1 config=$2 out=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC2086 # SBATCH_ARGS is a list of options
jid=$(sbatch --parsable ${SBATCH_ARGS:-} --array="0-$((n - 1))" "$here/sweep-array.sbatch" \
  "$config" "$@")
jid=${jid%%;*}  # --parsable prints "id[;cluster]"
# shellcheck disable=SC2086
mid=$(sbatch --parsable ${SBATCH_ARGS:-} --dependency="afterok:$jid" --kill-on-invalid-dep=yes \
  "$here/merge.sbatch" "icnsim-shards-$jid" "$out")
echo "array job $jid ($n shards), merge job ${mid%%;*} -> $out"
