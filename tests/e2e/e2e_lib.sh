# Shared preamble of the shell end-to-end tests (sourced, not a test itself: ctest runs
# test_*.sh). Sets ICNSIM (required), SRC (the source tree), the Open MPI root override
# when run as root, a scratch directory $tmp removed on exit, and the check helpers:
#   ok MESSAGE / fail MESSAGE   record one check (fail counts it)
#   finish                      prints the count; the test's status is 0 only with none
# shellcheck shell=bash
ICNSIM=${ICNSIM:?path to icnsim}
SRC=${ICN_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
if [ "$(id -u)" -eq 0 ]; then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
finish() {
  echo "$fails failure(s)"
  [ "$fails" -eq 0 ]
}
