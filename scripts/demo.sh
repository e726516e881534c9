#!/usr/bin/env bash
# Installs what is missing, builds descent's examples and runs the main demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDESCENT_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target quickstart
"$build/examples/quickstart"
