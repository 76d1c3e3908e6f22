#!/usr/bin/env python3
"""Golden data for the convolutions from real MLX: conv1d/2d/3d, conv_transpose1d/2d/3d,
conv_general and convolve.

Writes tests/golden/ops/conv.json. Cases:
  conv{1,2,3}d           args [x, w] {"stride", "padding", "dilation", "groups"}
  conv_transpose{1,2,3}d args [x, w] {"stride", "padding", "dilation", "output_padding", "groups"}
  conv_general           args [x, w] {"stride", "lo", "hi", "kernel_dilation", "input_dilation", "groups", "flip"}
  convolve               args [a, v] {"mode"}
Usage: python3 scripts/golden/gen_conv.py (seeded, deterministic).
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
SEED = 20261126
RNG = np.random.default_rng(SEED)

assert mx.__version__ == MLX_VERSION, mx.__version__


def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


def R(dt, shape):
    n = int(np.prod(shape)) if shape else 1
    if dt.startswith("int"):
        return A(dt, [int(v) for v in RNG.integers(-3, 3, n)], shape)
    return A(dt, [float(v) for v in RNG.normal(size=n)], shape)


def apply_op(op, args, kw):
    x, w = build_arg(args[0]), build_arg(args[1])
    if op in ("conv1d", "conv2d", "conv3d"):
        return getattr(mx, op)(x, w, stride=kw["stride"], padding=kw["padding"],
                               dilation=kw["dilation"], groups=kw["groups"])
    if op.startswith("conv_transpose"):
        return getattr(mx, op)(x, w, stride=kw["stride"], padding=kw["padding"],
                               dilation=kw["dilation"], output_padding=kw["output_padding"],
                               groups=kw["groups"])
    if op == "conv_general":
        return mx.conv_general(x, w, stride=kw["stride"], padding=(kw["lo"], kw["hi"]),
                               kernel_dilation=kw["kernel_dilation"],
                               input_dilation=kw["input_dilation"], groups=kw["groups"],
                               flip=kw["flip"])
    if op == "convolve":
        return mx.convolve(x, w, mode=kw["mode"])
    return NotImplemented


def kw_conv(d, stride=1, padding=0, dilation=1, groups=1):
    as_list = lambda v: v if isinstance(v, list) else ([v] * d if d > 1 else v)
    return {"stride": as_list(stride), "padding": as_list(padding), "dilation": as_list(dilation),
            "groups": groups}


def gen_conv(fam):
    for dt in ("float32", "float16", "bfloat16", "float64"):
        fam.add(f"conv1d_{dt}", "conv1d", [R(dt, [2, 10, 4]), R(dt, [6, 3, 4])], kw_conv(1))
        fam.add(f"conv2d_{dt}", "conv2d", [R(dt, [1, 6, 5, 4]), R(dt, [2, 3, 3, 4])],
                kw_conv(2, [1, 2], [0, 1], [1, 2]))
    fam.add("conv1d_options", "conv1d", [R("float32", [2, 12, 4]), R("float32", [6, 3, 2])],
            kw_conv(1, 2, 2, 2, 2))
    fam.add("conv1d_negative_padding", "conv1d", [R("float32", [2, 10, 4]), R("float32", [6, 3, 4])],
            kw_conv(1, 1, -1))
    fam.add("conv1d_overrun", "conv1d", [R("float32", [1, 2, 4]), R("float32", [3, 3, 4])],
            kw_conv(1, 2, 0))
    fam.add("conv2d_groups", "conv2d", [R("float32", [2, 5, 6, 6]), R("float32", [9, 2, 3, 2])],
            kw_conv(2, [2, 1], [1, 1], [1, 1], 3))
    fam.add("conv2d_resnet_block", "conv2d", [R("float32", [2, 8, 8, 16]), R("float32", [8, 3, 3, 16])],
            kw_conv(2, [1, 1], [1, 1]))
    fam.add("conv3d", "conv3d", [R("float32", [1, 4, 5, 6, 3]), R("float32", [2, 2, 3, 2, 3])],
            kw_conv(3, [1, 2, 1], [1, 0, 1], [1, 1, 2]))
    fam.add("conv2d_mixed_dtypes", "conv2d", [R("float16", [1, 4, 4, 2]), R("float32", [2, 2, 2, 2])],
            kw_conv(2))
    for d, op in ((1, "conv_transpose1d"), (2, "conv_transpose2d"), (3, "conv_transpose3d")):
        shape = [1] + [5, 4, 3][:d] + [3]
        wshape = [2] + [3, 2, 2][:d] + [3]
        as_list = lambda v: [v] * d if d > 1 else v
        fam.add(f"{op}_plain", op, [R("float32", shape), R("float32", wshape)],
                {"stride": as_list(1), "padding": as_list(0), "dilation": as_list(1),
                 "output_padding": as_list(0), "groups": 1})
        fam.add(f"{op}_strided", op, [R("float32", shape), R("float32", wshape)],
                {"stride": as_list(2), "padding": as_list(1), "dilation": as_list(1),
                 "output_padding": as_list(1), "groups": 1})
    fam.add("conv_transpose1d_groups_dilation", "conv_transpose1d",
            [R("float32", [2, 6, 4]), R("float32", [4, 3, 2])],
            {"stride": 2, "padding": 2, "dilation": 2, "output_padding": 0, "groups": 2})
    for i, (st, lo, hi, kd, idl, g, flip) in enumerate([
        ([1, 1], [1, 0], [0, 2], [1, 1], [2, 2], 1, False),
        ([2, 1], [0, 1], [1, 0], [2, 1], [1, 3], 2, True),
        ([1, 2], [-1, 0], [0, -1], [1, 1], [1, 1], 1, True),
    ]):
        fam.add(f"conv_general_{i}", "conv_general", [R("float32", [1, 5, 6, 4]), R("float32", [2, 3, 2, 4 // g])],
                {"stride": st, "lo": lo, "hi": hi, "kernel_dilation": kd, "input_dilation": idl,
                 "groups": g, "flip": flip})
    for mode in ("full", "valid", "same"):
        fam.add(f"convolve_{mode}", "convolve", [R("float32", [7]), R("float32", [3])], {"mode": mode})
        fam.add(f"convolve_{mode}_even", "convolve", [R("float32", [4]), R("float32", [6])], {"mode": mode})
    fam.add("convolve_int_float", "convolve", [R("int32", [2]), R("float32", [3])], {"mode": "full"})
    # Errors.
    x = R("float32", [2, 10, 4])
    fam.add("conv_err_channels", "conv1d", [x, R("float32", [6, 3, 3])], kw_conv(1))
    fam.add("conv_err_groups", "conv1d", [x, R("float32", [6, 3, 4])], kw_conv(1, groups=3))
    fam.add("conv_err_groups_weight", "conv1d", [x, R("float32", [6, 3, 1])], kw_conv(1, groups=2))
    fam.add("conv_err_out_channels", "conv1d", [x, R("float32", [6, 3, 1])], kw_conv(1, groups=4))
    fam.add("conv_err_int", "conv1d", [R("int32", [2, 10, 4]), R("float32", [6, 3, 4])], kw_conv(1))
    fam.add("conv_err_weight_rank", "conv1d", [R("float32", [1, 4, 4, 4]), R("float32", [2, 3, 4])], kw_conv(1))
    fam.add("conv_err_stride", "conv1d", [x, R("float32", [6, 3, 4])], kw_conv(1, stride=0))
    fam.add("conv_err_dilation", "conv1d", [x, R("float32", [6, 3, 4])], kw_conv(1, dilation=0))
    fam.add("conv_err_too_small", "conv1d", [R("float32", [2, 2, 4]), R("float32", [6, 3, 4])], kw_conv(1))
    fam.add("conv_err_groups_3d", "conv3d", [R("float32", [1, 4, 4, 4, 2]), R("float32", [2, 2, 2, 2, 1])],
            kw_conv(3, groups=2))
    fam.add("convolve_err_2d", "convolve", [R("float32", [2, 2]), R("float32", [3])], {"mode": "full"})
    fam.add("convolve_err_empty", "convolve", [R("float32", [0]), R("float32", [3])], {"mode": "full"})


def main():
    write_family("gen_conv", "conv.json", (gen_conv,), reseed, OUTDIR)


if __name__ == "__main__":
    main()
