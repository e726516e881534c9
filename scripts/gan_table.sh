#!/usr/bin/env bash
# Runs the GAN demo on the ring and the grid for seeds 1-5 with its defaults (plus any extra
# options given here) and prints the metrics table of the README.
#   scripts/gan_table.sh [build-dir] [gan options...]     (default build dir: build)
#   DATASETS=grid scripts/gan_table.sh build              (one dataset only)
set -euo pipefail
build=${1:-build}
shift || true
gan="$build/examples/gan"
if [[ ! -x "$gan" ]]; then
  echo "gan_table.sh: $gan not found; build first: cmake --build $build --target gan" >&2
  exit 1
fi
printf '| dataset | seed | modes | high quality | fewest per mode | reverse KL | seconds | steps/s |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for dataset in ${DATASETS:-ring grid}; do
  for seed in 1 2 3 4 5; do
    json=$("$gan" --dataset "$dataset" --seed "$seed" --json --no-files "$@")
    python3 - "$json" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
kl = "-" if r["reverse_kl"] is None else f'{r["reverse_kl"]:.4f}'
print(f'| {r["dataset"]} | {r["seed"]} | {r["modes_captured"]}/{r["modes_total"]} | '
      f'{100 * r["high_quality_fraction"]:.1f}% | {r["min_mode_samples"]} | {kl} | '
      f'{r["seconds"]:.1f} | {r["steps_per_second"]:.0f} |')
PY
  done
done
