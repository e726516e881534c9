#!/usr/bin/env python3
"""Reads the benchmark JSON of benchmarks/run.sh, prints the performance targets as a Markdown
table and writes steps_<scalar>.dat (parameters/s against block size, per rule, with each
rule's limit, both from best-of timings) for benchmarks/plot.gp."""
import json
import sys

RULES = ["Sgd", "Momentum", "Nesterov", "Adam", "AMSGrad", "AdamW"]
SIZES = [1000, 10000, 100000, 1000000, 10000000]


def load(path):
    with open(path) as f:
        return {b["name"]: b for b in json.load(f)["benchmarks"] if b.get("run_type") != "aggregate"}


def seconds(b):
    """Best seconds per call (the benchmarks' best_s counter, best_time.hpp): ratios of best-of
    timings cancel most of a shared machine's noise; Google Benchmark's mean if it is missing."""
    if "best_s" in b:
        return b["best_s"]
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
    return b["real_time"] * scale


def row(target, figure, goal, ok):
    return f"| {target} | {figure} | {goal} | {'met' if ok else 'NOT met'} |"


def main():
    steps, threads, out = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3]
    with open(sys.argv[1]) as f:  # the runtime pass the CPU gets (step_benchmark.cpp)
        isa = json.load(f)["context"].get("descent_isa", "avx")
    lines = ["| target | measured | goal | |", "|---|---|---|---|"]
    for s in ["float", "double"]:
        for n in [1000000, 10000000]:
            f = steps[f"Adam/{s}/{n}"]["of_limit"]
            lines.append(row(f"Adam {s}, {n:.0e} parameters: fraction of the limit", f"{f:.2f}",
                             ">= 0.9", f >= 0.9))
        for n in [1000, 10000, 100000]:
            r = seconds(steps[f"BM_AdamFused<{s}>/{n}"]) / seconds(
                steps[f"BM_AdamReferenceLoop<{s}>/{n}"])
            lines.append(row(f"Adam {s}, {n:.0e}: time / hand-written loop", f"{r:.2f}x",
                             "<= 1.2x", r <= 1.2))
        for n in [100000, 1000000, 10000000] if isa != "compiled" else []:
            compiled = seconds(steps[f"BM_AdamFusedCompiledIsa<{s}>/{n}"])
            avx = seconds(steps[f"BM_AdamFusedAvxIsa<{s}>/{n}"])
            best = seconds(steps[f"BM_AdamFused<{s}>/{n}"])
            lines.append(row(f"Adam {s}, {n:.0e}: speed-up of the runtime pass "
                             f"({isa}) over the compiled pass", f"{compiled / best:.2f}x",
                             "(information)", True))
            if isa == "avx512":
                lines.append(row(f"Adam {s}, {n:.0e}: speed-up of the AVX-512F pass over the "
                                 "AVX pass", f"{avx / best:.2f}x", "(information)", True))
        r = seconds(steps[f"BM_AdamThreeStatements<{s}>/10000000"]) / seconds(
            steps[f"BM_AdamFused<{s}>/10000000"])
        lines.append(row(f"Adam {s}, 1e7: speed-up over three Eigen statements", f"{r:.2f}x",
                         ">= 1.5x", r >= 1.5))
        r = seconds(steps[f"BM_AdamManySmallBlocks<{s}>/1000/1000"]) / seconds(
            steps[f"BM_AdamManySmallBlocks<{s}>/1/1000000"])
        lines.append(row(f"Adam {s}: 1,000 x 1e3 blocks / one 1e6 block", f"{r:.2f}x", "<= 1.2x",
                         r <= 1.2))
        r = seconds(threads[f"BM_AdamThreads<{s}>/10000000/1/real_time"]) / seconds(
            threads[f"BM_AdamThreads<{s}>/10000000/2/real_time"])
        lines.append(row(f"Adam {s}, 1e7: 2 threads / 1 thread", f"{r:.2f}x", ">= 1.6x",
                         r >= 1.6))
    r = seconds(steps["BM_GanIteration"]) / seconds(steps["BM_GanIterationProductsFloor"])
    lines.append(row("GAN iteration (batch 256) / its bare matrix products", f"{r:.2f}x",
                     "<= 1.3x", r <= 1.3))
    print("\n".join(lines))

    for s in ["float", "double"]:
        with open(f"{out}/steps_{s}.dat", "w") as f:
            f.write("# n " + " ".join(f"{r} {r}_limit" for r in RULES) + "\n")
            for n in SIZES:
                cols = []
                for r in RULES:
                    b = steps[f"{r}/{s}/{n}"]
                    cols += [n / b["best_s"], n / b["limit_s"]]
                f.write(f"{n} " + " ".join(f"{c:.6g}" for c in cols) + "\n")


if __name__ == "__main__":
    main()
