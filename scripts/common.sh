# Sourced by the scripts: build helpers and the MPI-as-root environment.
ICN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NPROC=$(nproc)

# OpenMPI refuses to run as root unless told; set only when we are root (CI is).
if [ "$(id -u)" -eq 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi

# icn_build DIR TYPE [extra cmake args...]: configure and build all targets.
icn_build() {
  local dir=$1 type=$2
  shift 2
  cmake -S "$ICN_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@"
  cmake --build "$dir" -j "$NPROC"
}
