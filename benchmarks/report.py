#!/usr/bin/env python3
"""Reads the benchmark JSON of benchmarks/run.sh, prints the performance targets as a Markdown
table and writes steps_<scalar>.dat (parameters/s against block size, per rule, with each
rule's limit, both from best-of timings) for benchmarks/plot.gp."""
import json
import sys

RULES = ["Sgd", "Momentum", "Nesterov", "Adam", "AMSGrad", "AdamW"]
SIZES = [1000, 10000, 100000, 1000000, 10000000]


def load(path):
    """The benchmarks by name, without Google Benchmark's "/iterations:1/manual_time" suffix
    (every benchmark here is one manually timed iteration, best_time.hpp)."""
    with open(path) as f:
        return {b["name"].replace("/iterations:1/manual_time", ""): b
                for b in json.load(f)["benchmarks"] if b.get("run_type") != "aggregate"}


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
        cmp = {n: steps[f"BM_AdamComparison<{s}>/{n}"] for n in SIZES}
        for n in [1000, 10000, 100000]:
            r = cmp[n]["fused_s"] / cmp[n]["reference_loop_s"]
            lines.append(row(f"Adam {s}, {n:.0e}: time / hand-written loop", f"{r:.2f}x",
                             "<= 1.2x", r <= 1.2))
        for n in [1000, 10000, 100000]:
            r = cmp[n]["three_statements_s"] / cmp[n]["reference_loop_s"]
            lines.append(row(f"Adam {s}, {n:.0e}: three Eigen statements / hand-written loop "
                             "(the reference must be faster)", f"{r:.2f}x", "> 1x", r > 1.0))
        for n in [1000, 10000, 100000]:
            r = cmp[n]["compiled_isa_s"] / cmp[n]["reference_loop_s"]
            lines.append(row(f"Adam {s}, {n:.0e}: the step restricted to the compiled pass / "
                             "hand-written loop (same instruction set)", f"{r:.2f}x",
                             "(information)", True))
        r = cmp[10000000]["three_statements_s"] / cmp[10000000]["fused_s"]
        lines.append(row(f"Adam {s}, 1e7: speed-up over three Eigen statements", f"{r:.2f}x",
                         ">= 1.5x", r >= 1.5))
        b = steps[f"BM_AdamManySmallBlocks<{s}>/1000/1000"]
        r = b["many_contiguous_s"] / b["one_s"]
        lines.append(row(f"Adam {s}: 1,000 x 1e3 blocks / one 1e6 block (blocks over one value "
                         "and one gradient buffer)", f"{r:.2f}x", "<= 1.2x", r <= 1.2))
        r = b["many_s"] / b["one_s"]
        lines.append(row(f"Adam {s}: 1,000 x 1e3 blocks / one 1e6 block (every value and "
                         "gradient a separate array)", f"{r:.2f}x", "(information)", True))
        b = threads[f"BM_AdamThreads<{s}>/10000000"]
        r = b["one_thread_s"] / b["two_threads_s"]
        lines.append(row(f"Adam {s}, 1e7: 2 threads / 1 thread", f"{r:.2f}x", ">= 1.6x",
                         r >= 1.6))
        for n in [100000, 1000000, 10000000] if isa != "compiled" else []:
            lines.append(row(f"Adam {s}, {n:.0e}: speed-up of the runtime pass ({isa}) over the "
                             "compiled pass", f"{cmp[n]['compiled_isa_s'] / cmp[n]['fused_s']:.2f}x",
                             "(information)", True))
            if isa == "avx512":
                lines.append(row(f"Adam {s}, {n:.0e}: speed-up of the AVX-512F pass over the "
                                 "AVX pass", f"{cmp[n]['avx_isa_s'] / cmp[n]['fused_s']:.2f}x",
                                 "(information)", True))
    b = steps["BM_GanIteration"]
    r = b["iteration_s"] / b["floor_s"]
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
                    cols += [n / b["step_s"], n / b["limit_s"]]
                f.write(f"{n} " + " ".join(f"{c:.6g}" for c in cols) + "\n")


if __name__ == "__main__":
    main()
