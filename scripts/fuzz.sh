#!/usr/bin/env bash
# Builds the checkpoint loader's libFuzzer target (clang++, ASan + UBSan) and runs it for
# FUZZ_SECONDS (default 60) on a scratch copy of the seed corpus tests/fuzz/corpus, so the run
# never writes into the repository. A crash leaves its input as crash-* in the build directory
# and fails the script.
#   scripts/fuzz.sh            build and fuzz
#   scripts/fuzz.sh --corpus   rewrite tests/fuzz/corpus from tests/fuzz/make_corpus.cpp
# Environment: BUILD_DIR (default build-fuzz), FUZZ_SECONDS, FUZZ_CXX (default clang++).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
bash scripts/install-deps.sh clang libclang-rt-14-dev
CXX=${FUZZ_CXX:-clang++} cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDESCENT_BUILD_FUZZERS=ON -DDESCENT_BUILD_TESTS=OFF -DDESCENT_BUILD_EXAMPLES=OFF \
  -DDESCENT_INSTALL=OFF >/dev/null
cmake --build "$build" --target checkpoint_fuzzer checkpoint_fuzzer_corpus
if [[ "${1:-}" == "--corpus" ]]; then
  rm -f tests/fuzz/corpus/*.ckpt
  "$build/tests/fuzz/checkpoint_fuzzer_corpus" tests/fuzz/corpus
  ls -l tests/fuzz/corpus
  exit 0
fi
work="$build/fuzz-corpus"
rm -rf "$work"
mkdir -p "$work"
cp tests/fuzz/corpus/* "$work/"
# The seeds first, as they are; then mutations for the given time (new inputs go to $work).
"$build/tests/fuzz/checkpoint_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$build/" "$work"
