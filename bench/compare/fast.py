"""Peer numbers for `mx-bench fast`: MLX's fast ops on the CPU, for the same cases.

Usage (from the repository root):

    python bench/compare/fast.py --mx bench/results/fast.jsonl

Timing: 2 warm-up runs, then the median of --runs runs, each evaluating the op. With --mx
the table gains mx's time and the ratio mx/mlx (below 1: mx is faster).
"""

import argparse
import json
import statistics
import time

import mlx.core as mx


def median_seconds(f, runs):
    for _ in range(2):
        mx.eval(f())
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        mx.eval(f())
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mx", help="mx-bench JSONL to put beside MLX's numbers")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    mx.set_default_device(mx.cpu)
    x = mx.random.normal((4096, 4096))
    w = mx.random.normal((4096,))
    b = w * 0.5
    q = mx.random.normal((1, 32, 1024, 128)) * 0.3
    k, v = q + 0.1, q - 0.2
    mx.eval(x, w, b, q, k, v)
    scale = 128 ** -0.5
    cases = {
        "rms_norm_4096x4096_f32": lambda: mx.fast.rms_norm(x, w, 1e-5),
        "layer_norm_4096x4096_f32": lambda: mx.fast.layer_norm(x, w, b, 1e-5),
        "sdpa_1x32x1024x128_f32": lambda: mx.fast.scaled_dot_product_attention(q, k, v, scale=scale),
        "sdpa_causal_1x32x1024x128_f32": lambda: mx.fast.scaled_dot_product_attention(
            q, k, v, scale=scale, mask="causal"),
    }
    mine = {}
    if args.mx:
        with open(args.mx) as f:
            for line in f:
                row = json.loads(line)
                mine[row.get("case")] = row["time_s"]
    print(f"MLX {mx.__version__}")
    print("case | mx ms | mlx ms | mx/mlx")
    for case, f in cases.items():
        theirs = median_seconds(f, args.runs)
        ours = mine.get(case)
        shown = f"{ours * 1e3:.2f}" if ours else "-"
        ratio = f"{ours / theirs:.3f}" if ours else "-"
        print(f"{case} | {shown} | {theirs * 1e3:.2f} | {ratio}")


if __name__ == "__main__":
    main()
