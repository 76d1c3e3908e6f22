"""Peer benchmarks for `mx-bench ops`: the same cases run with NumPy and MLX (CPU).

Usage (from the repository root):

    python bench/compare/ops.py                      # table + append rows to bench/results/compare.jsonl
    python bench/compare/ops.py --jsonl out.jsonl    # append rows elsewhere
    python bench/compare/ops.py --mx bench/results/ops.jsonl   # add our numbers and ratios
    python bench/compare/ops.py --runs 20 --cases binary_add_16M,chain_100_tiny_adds

Cases (all float32, N = 16 * 1024 * 1024):
    copy_16M              copy N elements            GB/s = 2*4*N / t  (NumPy only: np.copyto)
    unary_exp_16M         exp(a)                     GB/s = 2*4*N / t
    unary_abs_16M         abs(a)                     GB/s = 2*4*N / t
    binary_add_16M        a + b                      GB/s = 3*4*N / t
    binary_add_bcast_16M  a (4096x4096) + b (4096,)  GB/s = 2*4*N / t  (b is ignored)
    chain_100_tiny_adds   y = y + x, 100 times on 256 elements, then one eval   us/op
    argsort_1M            argsort of 1M random float32                         Melem/s = 1e6 / t

Timing: 3 warm-up runs, then the median of --runs (>= 10) runs with time.perf_counter.
NumPy writes into a preallocated output (`out=`: its best case; a fresh 64 MB output
costs page faults). MLX builds the graph and calls mx.eval inside the timed region, on
mx.cpu. NumPy's chain case is an eager loop (one temporary per add).

JSONL rows: {"commit", "machine", "peer": "numpy"|"mlx", "case", "time_s", "rate", "unit"};
time_s is the median seconds of one run (for the chain case, all 100 adds).
With --mx PATH (rows with "case", "rate", "unit"; the last row per case wins) the table
gains an `mx` column and the ratios mx/numpy and mx/mlx of the rates. For GB/s a ratio
above 1 means mx is faster; for us/op a ratio below 1 means mx is faster.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

import numpy as np

try:
    import mlx.core as mx
except ImportError:  # the NumPy column still works
    mx = None

REPO = Path(__file__).resolve().parents[2]
N = 16 * 1024 * 1024
CHAIN_LEN, CHAIN_SIZE = 100, 256
SORT_N = 1_000_000


def measure(fn, runs, warmup=3):
    """Median wall time of fn() over `runs` runs, after `warmup` untimed runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def numpy_cases(rng):
    a = rng.standard_normal(N, dtype=np.float32)
    b = rng.standard_normal(N, dtype=np.float32)
    out = np.empty_like(a)
    a2 = a.reshape(4096, 4096)
    row = rng.standard_normal(4096, dtype=np.float32)
    out2 = out.reshape(4096, 4096)
    x = rng.standard_normal(CHAIN_SIZE, dtype=np.float32)
    sort_input = rng.standard_normal(SORT_N, dtype=np.float32)

    def chain():
        y = x
        for _ in range(CHAIN_LEN):
            y = y + x
        return y

    return {
        "copy_16M": lambda: np.copyto(out, a),
        "unary_exp_16M": lambda: np.exp(a, out=out),
        "unary_abs_16M": lambda: np.abs(a, out=out),
        "binary_add_16M": lambda: np.add(a, b, out=out),
        "binary_add_bcast_16M": lambda: np.add(a2, row, out=out2),
        "chain_100_tiny_adds": chain,
        "argsort_1M": lambda: np.argsort(sort_input),
    }


def mlx_cases(rng):
    if mx is None:
        return {}
    mx.set_default_device(mx.cpu)
    a = mx.array(rng.standard_normal(N, dtype=np.float32))
    b = mx.array(rng.standard_normal(N, dtype=np.float32))
    a2 = a.reshape(4096, 4096)
    row = mx.array(rng.standard_normal(4096, dtype=np.float32))
    x = mx.array(rng.standard_normal(CHAIN_SIZE, dtype=np.float32))
    sort_input = mx.array(rng.standard_normal(SORT_N, dtype=np.float32))
    mx.eval(a, b, a2, row, x, sort_input)

    def chain():
        y = x
        for _ in range(CHAIN_LEN):
            y = y + x
        mx.eval(y)

    return {
        "unary_exp_16M": lambda: mx.eval(mx.exp(a)),
        "unary_abs_16M": lambda: mx.eval(mx.abs(a)),
        "binary_add_16M": lambda: mx.eval(a + b),
        "binary_add_bcast_16M": lambda: mx.eval(a2 + row),
        "chain_100_tiny_adds": chain,
        "argsort_1M": lambda: mx.eval(mx.argsort(sort_input)),
    }


# case -> (bytes moved per run or None, unit)
CASES = {
    "copy_16M": (2 * 4 * N, "GB/s"),
    "unary_exp_16M": (2 * 4 * N, "GB/s"),
    "unary_abs_16M": (2 * 4 * N, "GB/s"),
    "binary_add_16M": (3 * 4 * N, "GB/s"),
    "binary_add_bcast_16M": (2 * 4 * N, "GB/s"),
    "chain_100_tiny_adds": (None, "us/op"),
    "argsort_1M": (SORT_N, "Melem/s"),
}


def rate_of(case, t):
    amount, unit = CASES[case]
    if unit == "Melem/s":
        return amount / t / 1e6
    return amount / t / 1e9 if amount else t / CHAIN_LEN * 1e6


def git_commit():
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def read_mx(path):
    with open(path) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return {r["case"]: r for r in rows if "case" in r and "rate" in r}


def fmt(v):
    return "—" if v is None else f"{v:.3g}" if abs(v) < 100 else f"{v:.0f}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jsonl", default=str(REPO / "bench/results/compare.jsonl"),
                   help="append result rows here ('' to skip)")
    p.add_argument("--mx", help="JSONL written by `mx-bench ops` (keys case, rate, unit)")
    p.add_argument("--runs", type=int, default=10, help="timed runs per case (>= 10)")
    p.add_argument("--cases", help="comma-separated subset of case names")
    args = p.parse_args()
    runs = max(args.runs, 10)
    wanted = args.cases.split(",") if args.cases else list(CASES)
    unknown = set(wanted) - set(CASES)
    if unknown:
        p.error(f"unknown cases: {sorted(unknown)}")

    rng = np.random.default_rng(0)
    peers = {"numpy": numpy_cases(rng), "mlx": mlx_cases(rng)}
    commit = git_commit()
    machine = f"{platform.node()} ({os.cpu_count()} cpus)"
    results, rows = {}, []
    for case in wanted:
        for peer, fns in peers.items():
            if case not in fns:
                continue
            t = measure(fns[case], runs)
            r = rate_of(case, t)
            results[(peer, case)] = r
            rows.append({"commit": commit, "machine": machine, "peer": peer, "case": case,
                         "time_s": t, "rate": r, "unit": CASES[case][1]})

    ours = read_mx(args.mx) if args.mx else {}
    header = ["case", "numpy", "mlx"] + (["mx", "mx/numpy", "mx/mlx"] if args.mx else []) + ["unit"]
    table = []
    for case in wanted:
        unit = CASES[case][1]
        npv, mlv = results.get(("numpy", case)), results.get(("mlx", case))
        line = [case, fmt(npv), fmt(mlv)]
        if args.mx:
            row = ours.get(case)
            mxv = row["rate"] if row and row.get("unit", unit) == unit else None
            line += [fmt(mxv)] + [fmt(mxv / v if mxv is not None and v else None) for v in (npv, mlv)]
        table.append(line + [unit])
    widths = [max(len(str(r[i])) for r in [header] + table) for i in range(len(header))]
    for r in [header] + table:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print(f"\n{machine}, commit {commit}, numpy {np.__version__}, "
          f"mlx {mx.__version__ if mx else 'not installed'}, median of {runs} runs")

    if args.jsonl:
        path = Path(args.jsonl)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
        print(f"appended {len(rows)} rows to {path}")


if __name__ == "__main__":
    main()
