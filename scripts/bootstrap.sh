#!/usr/bin/env bash
#===- scripts/bootstrap.sh - install dependencies and configure ---------===//
#
# Installs what Fungible needs from Debian packages (only what is missing;
# a few seconds when everything is there) and configures the build with
# CMake + Ninja (+ ccache when present).
#
#   scripts/bootstrap.sh [BUILD_DIR] [extra cmake args...]
#
# BUILD_DIR defaults to build/. FUNGIBLE_BUILD_TYPE (default Release) sets
# CMAKE_BUILD_TYPE; CC and CXX (default gcc and g++) the compilers, taken
# when the build directory is first configured (scripts/fuzz.sh: clang-22).
#===----------------------------------------------------------------------===//
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
[ $# -gt 0 ] && shift

packages=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libcli11-dev libgtest-dev libbenchmark-dev libomp-dev coinor-libcbc-dev
  pkg-config python3-jsonschema python3-yaml
  cmake ninja-build ccache g++ python3
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "bootstrap: need root (or sudo) to install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

if [ ! -f "$build/build.ninja" ] || [ $# -gt 0 ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE="${FUNGIBLE_BUILD_TYPE:-Release}" \
    -DCMAKE_CXX_COMPILER="${CXX:-g++}" -DCMAKE_C_COMPILER="${CC:-gcc}" \
    "${launcher[@]}" "$@" >/dev/null
fi
