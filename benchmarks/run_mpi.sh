#!/usr/bin/env bash
# Builds and runs the MPI benchmark (GradientAverager::average(), benchmarks/mpi_benchmark.cpp)
# with 1 and 2 processes, then times the GAN demo (examples/gan) under mpirun -np 1 and -np 2.
# Writes the JSON to benchmarks/results/mpi/ and a Markdown table to
# benchmarks/results/mpi/summary.md (also printed).
#   bash benchmarks/run_mpi.sh
# Extra Google Benchmark flags can be passed in BENCH_ARGS (e.g. BENCH_ARGS=--benchmark_filter=float).
# Needs Open MPI (mpirun), libbenchmark-dev and python3. The 1-process rows are the
# no-communication floor (average() returns at once); run it on an otherwise idle machine: MPI
# ranks busy-wait, so a contended core slows every rank down.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build-bench-mpi
out=benchmarks/results/mpi
gan_steps=2000
mkdir -p "$out"

# Open MPI refuses to run as root without these (containers run as root), and containers forbid
# the cross-process memory copy of its shared-memory transport.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDESCENT_BUILD_BENCHMARKS=ON \
  -DDESCENT_BUILD_TESTS=OFF -DDESCENT_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j 2 --target mpi_benchmark gan

for np in 1 2; do
  echo "== mpi_benchmark, $np process(es)"
  mpirun --oversubscribe -np "$np" "$build/benchmarks/mpi_benchmark" ${BENCH_ARGS:-} \
    --benchmark_out="$out/average_np$np.json" --benchmark_out_format=json
done

# The GAN demo prints one JSON object (on rank 0 when it trains over MPI). A failed run is
# reported in the table and makes the script fail at the end.
gan_failed=0
for np in 1 2; do
  echo "== gan --steps $gan_steps, $np process(es)"
  if ! mpirun --oversubscribe -np "$np" "$build/examples/gan" --steps "$gan_steps" --no-files \
      --no-progress --json >"$out/gan_np$np.json"; then
    echo "gan under mpirun -np $np failed" >&2
    gan_failed=1
  fi
  cat "$out/gan_np$np.json"
done

python3 - "$out" "$gan_steps" <<'EOF' | tee "$out/summary.md"
import json
import re
import sys

out, gan_steps = sys.argv[1], sys.argv[2]

def rows(path):
    """Benchmark name (without the /iterations:N/manual_time suffix) -> its JSON entry."""
    with open(path) as f:
        data = json.load(f)
    return {re.sub(r"/iterations:\d+|/manual_time", "", b["name"]): b
            for b in data["benchmarks"] if b.get("run_type", "iteration") == "iteration"}

def us(t):
    """A time in microseconds, readable from 0.03 to 1,000,000."""
    return f"{t:,.0f}" if t >= 100 else f"{t:.3g}"

one, two = rows(f"{out}/average_np1.json"), rows(f"{out}/average_np2.json")
print("GradientAverager::average(): mean time per call (the slowest rank's), and bytes of "
      "gradients averaged per second with 2 processes")
print()
print("| benchmark | buckets | MB | 1 process (us) | 2 processes (us) | 2 processes (GB/s) |")
print("|---|---:|---:|---:|---:|---:|")
for name, b1 in one.items():
    b2 = two.get(name)
    megabytes = b1["bytes/s"] * b1["real_time"] * 1e-6 / 1e6  # bytes per call, from the rate
    line = f"| {name} | {b1['buckets']:.0f} | {megabytes:.3g} | {us(b1['real_time'])} |"
    if b2 is None:
        line += " - | - |"
    else:
        line += f" {us(b2['real_time'])} | {b2['bytes/s'] / 1e9:.3g} |"
    print(line)

print()
print(f"GAN demo (gan --steps {gan_steps} --no-files --no-progress --json)")
print()
print("| processes | steps/s | batch (all processes) |")
print("|---:|---:|---:|")
for np in (1, 2):
    objects = []
    with open(f"{out}/gan_np{np}.json") as f:
        for text in f:
            try:
                objects.append(json.loads(text))
            except ValueError:
                pass
    if len(objects) == 1:
        cell = f"{objects[0]['steps_per_second']:.0f} | {objects[0].get('batch', '?')}"
    elif not objects:
        cell = "failed (no JSON) | -"
    else:  # every process printed: a gan built without MPI ran np independent copies
        cell = f"n/a ({len(objects)} independent runs: gan without MPI support) | -"
    print(f"| {np} | {cell} |")
EOF
echo "wrote $out/average_np1.json, $out/average_np2.json, $out/gan_np*.json and $out/summary.md"
exit "$gan_failed"
