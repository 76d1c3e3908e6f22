"""Peer numbers for `mx-bench matmul`: NumPy (OpenBLAS) and MLX (CPU) on the same cases.

Usage (from the repository root):

    python bench/compare/matmul.py --mx bench/results/matmul.jsonl

Cases: matmul_f32_512 and matmul_f32_1024 (GFLOP/s = 2 n^3 / t), matmul_bf16_1024 (MLX only;
NumPy has no bfloat16), gemv_f32_1x4096x4096 (GB/s of weights = 4 * 4096^2 / t).
Timing: 3 warm-up runs, then the median of --runs runs. With --mx the table gains mx's rate
and the ratios mx/numpy and mx/mlx (above 1: mx is faster).
"""

import argparse
import json
import statistics
import time

import numpy as np

try:
    import mlx.core as mx
except ImportError:
    mx = None


def measure(fn, runs):
    for _ in range(3):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cases(rng):
    out = {}
    for n in (512, 1024):
        a = rng.standard_normal((n, n), dtype=np.float32)
        b = rng.standard_normal((n, n), dtype=np.float32)
        flops = 2.0 * n ** 3
        out[f"matmul_f32_{n}"] = ("GFLOP/s", flops, lambda a=a, b=b: a @ b,
                                  (lambda a=a, b=b: mx.eval(mx.array(a) @ mx.array(b))) if mx else None)
    if mx:
        a = mx.array(rng.standard_normal((1024, 1024), dtype=np.float32)).astype(mx.bfloat16)
        out["matmul_bf16_1024"] = ("GFLOP/s", 2.0 * 1024 ** 3, None, lambda: mx.eval(a @ a))
    w = rng.standard_normal((4096, 4096), dtype=np.float32)
    x = rng.standard_normal((1, 4096), dtype=np.float32)
    wm, xm = (mx.array(w), mx.array(x)) if mx else (None, None)
    out["gemv_f32_1x4096x4096"] = ("GB/s", 4.0 * 4096 ** 2, lambda: x @ w,
                                   (lambda: mx.eval(xm @ wm)) if mx else None)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mx", help="JSONL written by `mx-bench matmul`")
    p.add_argument("--runs", type=int, default=10)
    args = p.parse_args()
    if mx:
        mx.set_default_device(mx.cpu)
    ours = {}
    if args.mx:
        with open(args.mx) as f:
            for line in f:
                row = json.loads(line)
                ours[row["case"]] = row["rate"]
    print("case | numpy | mlx | mx | mx/numpy | mx/mlx | unit")
    for case, (unit, work, np_fn, mlx_fn) in cases(np.random.default_rng(0)).items():
        rate = lambda fn: work / measure(fn, args.runs) / 1e9 if fn else None
        npv, mlv, mxv = rate(np_fn), rate(mlx_fn), ours.get(case)
        ratio = lambda v: f"{mxv / v:.2f}" if mxv and v else "-"
        fmt = lambda v: f"{v:.1f}" if v else "-"
        print(f"{case} | {fmt(npv)} | {fmt(mlv)} | {fmt(mxv)} | {ratio(npv)} | {ratio(mlv)} | {unit}")


if __name__ == "__main__":
    main()
