#!/usr/bin/env bash
# Installs exactly the Debian 12 packages icnsim needs to build, test and plot.
# Idempotent: does nothing when everything is present; runs `apt-get update` once
# only when something is missing. Works as root, or through sudo otherwise.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake make git pkg-config ca-certificates
  # MPI and parallel HDF5
  openmpi-bin libopenmpi-dev libhdf5-openmpi-dev hdf5-tools
  # numerics, RNG, configuration, command line
  libeigen3-dev librandom123-dev libtomlplusplus-dev libcli11-dev
  # tests and benchmarks; Clang (with LLVM's OpenMP and sanitizer runtimes) builds the
  # sanitizer suite
  libgtest-dev libgmock-dev libbenchmark-dev clang-format clang libomp-dev libclang-rt-dev
  # profiling (callgrind counts instructions repeatably: scripts/serial_share.sh)
  valgrind
  # scripts and plots (Debian's interpreter: /usr/bin/python3)
  python3 python3-h5py python3-numpy python3-matplotlib
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and not root, and no sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
