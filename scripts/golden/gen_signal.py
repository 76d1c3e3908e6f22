#!/usr/bin/env python3
"""Golden data for the window functions and `hadamard_transform` from real MLX.

Writes tests/golden/ops/signal.json. Cases:
  hanning / hamming / blackman / bartlett  args []  {"m": int}
  hadamard_transform                       args [a] {"scale": float|null}
Usage: python3 scripts/golden/gen_signal.py (seeded, deterministic).
"""

import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlx.core as mx  # noqa: E402
from common import A, MLX_VERSION, build_arg, write_family  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "tests", "golden", "ops")
SEED = 20261124
RNG = np.random.default_rng(SEED)

assert mx.__version__ == MLX_VERSION, mx.__version__

WINDOWS = ["hanning", "hamming", "blackman", "bartlett"]


def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


def R(dt, shape):
    n = int(np.prod(shape)) if shape else 1
    if dt.startswith("int"):
        return A(dt, [int(v) for v in RNG.integers(-5, 5, n)], shape)
    return A(dt, [float(v) for v in RNG.normal(size=n)], shape)


def apply_op(op, args, kw):
    if op in WINDOWS:
        return getattr(mx, op)(kw["m"])
    if op == "hadamard_transform":
        return mx.hadamard_transform(build_arg(args[0]), scale=kw["scale"])
    return NotImplemented


def gen_windows(fam):
    for op in WINDOWS:
        for m in (-2, 0, 1, 2, 3, 5, 8, 17, 64):
            fam.add(f"{op}_{m}", op, [], {"m": m})


def gen_hadamard(fam):
    for dt in ("float32", "float16", "bfloat16"):
        for n in (2, 4, 64, 12, 24, 20, 40, 28, 56):
            fam.add(f"hadamard_{dt}_{n}", "hadamard_transform", [R(dt, [3, n])], {"scale": None})
        fam.add(f"hadamard_{dt}_scaled", "hadamard_transform", [R(dt, [2, 3, 16])], {"scale": 0.37})
    for n in (1024, 12 * 64, 28 * 32):
        fam.add(f"hadamard_float32_{n}", "hadamard_transform", [R("float32", [1, n])], {"scale": None})
    fam.add("hadamard_int", "hadamard_transform", [R("int32", [2, 8])], {"scale": None})
    fam.add("hadamard_n1_unit", "hadamard_transform", [R("int32", [3, 1])], {"scale": 1.0})
    fam.add("hadamard_n1_scaled", "hadamard_transform", [R("int32", [3, 1])], {"scale": 0.5})
    fam.add("hadamard_n1_default", "hadamard_transform", [R("float16", [3, 1])], {"scale": None})
    fam.add("hadamard_1d", "hadamard_transform", [R("float32", [32])], {"scale": 2.0})
    fam.add("hadamard_err_empty", "hadamard_transform", [R("float32", [0, 4])], {"scale": None})
    fam.add("hadamard_err_size", "hadamard_transform", [R("float32", [2, 44])], {"scale": None})
    fam.add("hadamard_err_f64", "hadamard_transform", [R("float64", [2, 8])], {"scale": None})


def main():
    write_family("gen_signal", "signal.json", (gen_windows, gen_hadamard), reseed, OUTDIR)


if __name__ == "__main__":
    main()
