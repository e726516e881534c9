#!/usr/bin/env bash
# Installs what is missing, builds descent with its tests and runs the whole suite.
# Environment: BUILD_DIR (default build-tests), CXX (compiler), CMAKE_ARGS (extra arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=${BUILD_DIR:-build-tests}
# shellcheck disable=SC2086
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDESCENT_BUILD_TESTS=ON \
  -DDESCENT_BUILD_EXAMPLES=ON ${CMAKE_ARGS:-}
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
