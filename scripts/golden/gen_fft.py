#!/usr/bin/env python3
"""Golden data for `mx::fft` from real MLX.

Writes tests/golden/ops/fft.json. Cases:
  <name> args [a] {"n": int|null, "axis": int}                  fft ifft rfft irfft
  <name> args [a] {"s": [int]|null, "axes": [int]|null}         fft2 .. irfftn
  fftshift / ifftshift args [a] {"axes": [int]|null}
Usage: python3 scripts/golden/gen_fft.py (seeded, deterministic).
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
SEED = 20261123
RNG = np.random.default_rng(SEED)

assert mx.__version__ == MLX_VERSION, mx.__version__

ONE_AXIS = ["fft", "ifft", "rfft", "irfft"]
MANY_AXES = ["fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn"]


def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


def R(dt, shape):
    n = int(np.prod(shape)) if shape else 1
    if dt == "complex64":
        v = RNG.normal(size=n) + 1j * RNG.normal(size=n)
        return A(dt, [complex(c) for c in v], shape)
    if dt.startswith("int"):
        return A(dt, [int(v) for v in RNG.integers(-5, 5, n)], shape)
    return A(dt, [float(v) for v in RNG.normal(size=n)], shape)


def apply_op(op, args, kw):
    a = build_arg(args[0])
    norm = kw.get("norm", "backward")
    if op in ONE_AXIS:
        return getattr(mx.fft, op)(a, n=kw["n"], axis=kw["axis"], norm=norm)
    if op in MANY_AXES:
        # An absent `axes` takes the function's default ([-2, -1] for the 2-d ones).
        extra = {} if kw["axes"] is None else {"axes": kw["axes"]}
        return getattr(mx.fft, op)(a, s=kw["s"], norm=norm, **extra)
    if op in ("fftshift", "ifftshift"):
        return getattr(mx.fft, op)(a, axes=kw["axes"])
    return NotImplemented


def gen_one_axis(fam):
    for op in ONE_AXIS:
        inverse_real = op == "irfft"
        for dt in ["float32", "complex64", "float16", "int32", "bfloat16"]:
            if dt == "complex64" or not inverse_real:
                fam.add(f"{op}_{dt}", op, [R(dt, [3, 8])], {"n": None, "axis": -1})
        src = "complex64" if op in ("ifft", "irfft", "fft") else "float32"
        for n in (5, 8, 13, 16):
            fam.add(f"{op}_n{n}", op, [R(src, [2, 8])], {"n": n, "axis": -1})
        fam.add(f"{op}_axis0", op, [R(src, [6, 3])], {"n": None, "axis": 0})
        fam.add(f"{op}_axis_mid", op, [R(src, [2, 7, 3])], {"n": 9, "axis": 1})
        fam.add(f"{op}_odd", op, [R(src, [4, 7])], {"n": None, "axis": -1})
        fam.add(f"{op}_long", op, [R(src, [2, 300])], {"n": None, "axis": -1})
        for norm in ("ortho", "forward"):
            fam.add(f"{op}_{norm}", op, [R(src, [3, 6])], {"n": None, "axis": -1, "norm": norm})
        fam.add(f"{op}_err_n0", op, [R(src, [2, 4])], {"n": 0, "axis": -1})
        fam.add(f"{op}_err_axis", op, [R(src, [2, 4])], {"n": None, "axis": 2})
    fam.add("rfft_complex_input", "rfft", [R("complex64", [2, 6])], {"n": None, "axis": -1})
    fam.add("irfft_real_input", "irfft", [R("float32", [2, 5])], {"n": None, "axis": -1})


def gen_many_axes(fam):
    for op in MANY_AXES:
        src = "complex64" if op.startswith("i") or op.startswith("fft") else "float32"
        fam.add(f"{op}_default", op, [R(src, [3, 4, 6])], {"s": None, "axes": None})
        fam.add(f"{op}_axes", op, [R(src, [3, 4, 6])], {"s": None, "axes": [0, 2]})
        fam.add(f"{op}_axes_reversed", op, [R(src, [3, 4, 6])], {"s": None, "axes": [2, 0]})
        fam.add(f"{op}_s", op, [R(src, [3, 4, 6])], {"s": [5, 4], "axes": [0, 1]})
        fam.add(f"{op}_s_truncate", op, [R(src, [4, 6])], {"s": [3, 4], "axes": [-2, -1]})
        fam.add(f"{op}_ortho", op, [R(src, [3, 4, 6])], {"s": None, "axes": [0, 2], "norm": "ortho"})
        fam.add(f"{op}_forward", op, [R(src, [3, 4, 6])], {"s": [4, 5], "axes": [0, 2], "norm": "forward"})
        fam.add(f"{op}_err_dup", op, [R(src, [3, 4])], {"s": None, "axes": [0, 0]})
        fam.add(f"{op}_err_sizes", op, [R(src, [3, 4])], {"s": [2], "axes": [0, 1]})
        fam.add(f"{op}_empty_axes", op, [R(src, [3, 4])], {"s": None, "axes": []})
    fam.add("fftn_err_s_without_axes", "fftn", [R("float32", [3, 4])], {"s": [3, 4], "axes": None})
    fam.add("irfftn_err_s_without_axes", "irfftn", [R("complex64", [3, 4])], {"s": [3, 4], "axes": None})
    fam.add("fft2_s_default_axes", "fft2", [R("float32", [3, 4])], {"s": [2, 6], "axes": None})
    fam.add("fftn_3d_all", "fftn", [R("float32", [3, 4, 5])], {"s": None, "axes": None})
    fam.add("rfftn_4d", "rfftn", [R("float32", [2, 3, 4, 5])], {"s": None, "axes": [1, 2, 3]})
    fam.add("irfftn_odd_s", "irfftn", [R("complex64", [3, 4, 4])], {"s": [3, 4, 7], "axes": [0, 1, 2]})


def gen_shift(fam):
    for op in ("fftshift", "ifftshift"):
        fam.add(f"{op}_all", op, [R("float32", [5, 6])], {"axes": None})
        fam.add(f"{op}_axis", op, [R("int32", [5, 6])], {"axes": [0]})
        fam.add(f"{op}_negative_axis", op, [R("complex64", [3, 5, 6])], {"axes": [-1, 1]})
        fam.add(f"{op}_err_axis", op, [R("float32", [5, 6])], {"axes": [5]})


def main():
    write_family("gen_fft", "fft.json", (gen_one_axis, gen_many_axes, gen_shift), reseed, OUTDIR)


if __name__ == "__main__":
    main()
