#!/usr/bin/env bash
# Builds and runs the benchmark suite, writes its JSON, a table of the performance targets
# (Markdown) and a plot (PNG, gnuplot) to benchmarks/results/<flavour>/.
#   bash benchmarks/run.sh            CMake's Release flags (-O3 -DNDEBUG)
#   bash benchmarks/run.sh --native   the same plus -march=native
# Extra Google Benchmark flags can be passed in BENCH_ARGS (e.g. BENCH_ARGS=--benchmark_min_time=0.1).
# Needs libbenchmark-dev, gnuplot-nox and python3; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

flavour=release
flags=""
if [[ "${1:-}" == "--native" ]]; then
  flavour=native
  # GCC 12's AVX-512 intrinsics (_mm512_max_ps, _mm512_rsqrt14_ps, ...) trip a false
  # -Wmaybe-uninitialized when inlined (GCC bug 105593, fixed in GCC 13); Eigen's own sqrt hits
  # it too, so the warning is silenced for this build only.
  flags="-march=native -Wno-maybe-uninitialized"
fi
build="build-bench-$flavour"
out="benchmarks/results/$flavour"
mkdir -p "$out"

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDESCENT_BUILD_BENCHMARKS=ON \
  -DDESCENT_BUILD_TESTS=OFF -DDESCENT_BUILD_EXAMPLES=OFF -DCMAKE_CXX_FLAGS="$flags" >/dev/null
cmake --build "$build" --target descent_bench descent_bench_threads

"$build/benchmarks/descent_bench" ${BENCH_ARGS:-} --benchmark_out="$out/steps.json" --benchmark_out_format=json
"$build/benchmarks/descent_bench_threads" ${BENCH_ARGS:-} --benchmark_out="$out/threads.json" \
  --benchmark_out_format=json

{
  echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores;" \
    "compiler: $(c++ --version | head -1); flags: -O3 -DNDEBUG $flags"
  echo
  python3 benchmarks/report.py "$out/steps.json" "$out/threads.json" "$out"
} | tee "$out/targets.md"

gnuplot -e "dir='$out'" benchmarks/plot.gp
echo "wrote $out/targets.md and $out/steps.png"
