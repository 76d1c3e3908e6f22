#!/usr/bin/env python3
"""Generate golden test data for the reduction ops of `mx` from real MLX.

Writes tests/golden/ops/reduce.json (format described in README.md).
Ops and kwargs (always all present, in this form):
  sum prod max min mean all any logsumexp: {"axis": null|int|[int], "keepdims": bool}
  var std:                                 {"axis", "keepdims", "ddof": int}
  argmax argmin:                           {"axis": null|int, "keepdims": bool}
  softmax:                                 {"axis": null|int|[int], "precise": bool}
Usage: python3 scripts/golden/gen_reduce.py
"""

import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlx.core as mx  # noqa: E402
from common import (  # noqa: E402
    A, ARANGE, DTYPES, FLOATS, SIGNED, UNSIGNED, INTS, imin, imax,
    Family, Runner, MLX_VERSION,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "tests", "golden", "ops")

NAN = float("nan")
INF = float("inf")

SEED = 20240715
RNG = np.random.default_rng(SEED)

assert mx.__version__ == MLX_VERSION, mx.__version__


def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


BASIC = ["sum", "prod", "max", "min", "mean", "all", "any"]
VAR = ["var", "std"]
ARG = ["argmax", "argmin"]
OPS = BASIC + VAR + ARG + ["logsumexp", "softmax"]


def KW(op, axis=None, keepdims=False, ddof=0, precise=False):
    """The exact kwargs dict recorded for `op`."""
    if op == "softmax":
        return {"axis": axis, "precise": precise}
    if op in VAR:
        return {"axis": axis, "keepdims": keepdims, "ddof": ddof}
    return {"axis": axis, "keepdims": keepdims}


def q8(v):
    """Round to a multiple of 1/8: exact in every float dtype (bf16 included)
    for |v| < 32, which keeps the JSON short."""
    return round(float(v) * 8) / 8


def rand_vals(op, dt, n):
    """Deterministic values for `dt`; small magnitudes for prod."""
    if dt == "bool":
        if op == "all":  # mostly true so that all() is not trivially false
            return [bool(v) for v in RNG.random(n) < 0.85]
        if op == "any":
            return [bool(v) for v in RNG.random(n) < 0.15]
        return [bool(v) for v in RNG.integers(0, 2, n)]
    if op == "prod":
        if dt in UNSIGNED:
            return [int(v) for v in RNG.integers(1, 4, n)]
        if dt in SIGNED:
            return [int(v) for v in RNG.choice([-3, -2, -1, 1, 2, 3], n)]
        if dt == "complex64":
            return [complex(q8(r), q8(i))
                    for r, i in zip(RNG.uniform(-1.2, 1.2, n),
                                    RNG.uniform(-1.2, 1.2, n))]
        return [q8(v) * (1 if s else -1) for v, s in
                zip(RNG.uniform(0.5, 2.0, n), RNG.integers(0, 2, n))]
    if dt in UNSIGNED:
        return [int(v) for v in RNG.integers(0, 50, n)]
    if dt in SIGNED:
        return [int(v) for v in RNG.integers(-50, 50, n)]
    if dt == "complex64":
        return [complex(q8(r), q8(i))
                for r, i in zip(RNG.normal(size=n) * 2, RNG.normal(size=n) * 2)]
    if op in ("all", "any"):  # some exact zeros
        return [0.0 if z else q8(v) or 0.125 for v, z in
                zip(RNG.normal(size=n) * 3, RNG.random(n) < 0.3)]
    return [q8(v) for v in RNG.normal(size=n) * 3]


def R(op, dt, shape, view=None):
    n = int(np.prod(shape)) if shape else 1
    return A(dt, rand_vals(op, dt, n), shape, view)


def axname(axis):
    if axis is None:
        return "all"
    if isinstance(axis, list):
        return "axes" + ("_".join(str(a).replace("-", "m") for a in axis) or "_empty")
    return "ax" + str(axis).replace("-", "m")


# ================================================================ dtype sweep

# (tag, shape, axis, keepdims/precise flag, ddof); argmax/argmin replace a list
# axis by the single axis 1.
SWEEP = [
    ("1d", [4], None, False, 0),
    ("2d_ax0", [2, 3], 0, False, 1),
    ("2d_axm1_kd", [2, 3], -1, True, 0),
    ("3d_ax0_2", [2, 2, 3], [0, 2], False, 0),
    ("0d", [], None, False, 0),
]


# dtypes that also get the 2d_ax0 and 0d sweep entries
SWEEP_MORE = ("bool", "int32", "float16", "float32", "complex64")


def gen_sweep(fam):
    for op in OPS:
        for dt in DTYPES:
            for tag, shape, axis, flag, ddof in SWEEP:
                if tag in ("2d_ax0", "0d") and dt not in SWEEP_MORE:
                    continue
                if op in ARG and isinstance(axis, list):
                    axis = 1
                kw = KW(op, axis, keepdims=flag, ddof=ddof, precise=flag)
                name = f"{op}_{dt}_{tag}"
                if op == "softmax" and dt in UNSIGNED and tag in (
                        "2d_ax0", "3d_ax0_2"):
                    # composite softmax: x - max wraps, exp -> inf, inf/inf
                    # = NaN, then NaN cast back to the unsigned dtype (C++ UB)
                    name += "_ub"
                fam.add(name, op, [R(op, dt, shape)], kw)


# =============================================================== axis matrix

AXES_3D = [None, 0, 1, 2, -1, -3, [0, 1], [1, 2], [0, 2], [2, 0],
           [-1, 0], [0, 1, 2], [], [1]]
AXES_3D_SHORT = [None, 1, -1, [0, 2], []]
ARG_AXES = [None, 0, 1, 2, -1, -3]
KD_AXES = (None, 1, [0, 2])  # axes also run with keepdims=True
# one op of each implementation family gets the full axis matrix
FULL_MATRIX = ("sum", "max", "var", "argmax", "softmax")


def gen_axes(fam):
    for op in OPS:
        dts = ["float32"] + (["int32"] if op in ("sum", "argmax") else [])
        for dt in dts:
            x = R(op, dt, [2, 3, 4])
            if op in ARG:
                axes = ARG_AXES if op in FULL_MATRIX else [None, 1, -1]
            else:
                axes = AXES_3D if op in FULL_MATRIX and dt == "float32" \
                    else AXES_3D_SHORT
            for axis in axes:
                kds = [False]
                if op != "softmax" and (axis in KD_AXES or op in ARG):
                    kds.append(True)
                for kd in kds:
                    name = f"{op}_{dt}_mat3d_{axname(axis)}" + ("_kd" if kd else "")
                    fam.add(name, op, [x], KW(op, axis, keepdims=kd))
        # 2-d with both axes, and [1, n] / [n, 1] shapes
        x = R(op, "float32", [3, 4])
        for axis in (None, 0, 1, -2):
            fam.add(f"{op}_float32_3x4_{axname(axis)}", op, [x],
                    KW(op, axis, keepdims=(axis == 1)))
        for shape in ([1, 5], [5, 1]):
            s = "x".join(map(str, shape))
            fam.add(f"{op}_float32_{s}_ax0", op, [R(op, "float32", shape)],
                    KW(op, 0))


# ============================================================ non-contiguous

NONCONTIG = [
    ("T_ax0", [3, 4], "transpose", 0, False),
    ("T_ax1_kd", [3, 4], "transpose", 1, True),
    ("T_all", [3, 4], "transpose", None, False),
    ("flip", [6], "flip0", None, False),
    ("step2_ax0", [6, 2], "step2", 0, False),
    ("step2_3d_axm1", [4, 3, 2], "step2", -1, True),
    ("T3d_ax0_1", [2, 3, 2], "transpose", [0, 1], False),
]


def gen_noncontig(fam):
    for op in OPS:
        dts = ["float32"]
        if op in ("sum", "max", "argmax", "all"):
            dts.append("int32")
        if op in ("sum", "softmax", "logsumexp", "var"):
            dts.append("float16")
        if op in ("all", "any"):
            dts.append("bool")
        for dt in dts:
            for tag, shape, view, axis, kd in NONCONTIG:
                if dt != "float32" and tag not in ("T_ax0", "flip",
                                                   "step2_3d_axm1"):
                    continue
                if op in ARG and isinstance(axis, list):
                    axis = 2
                fam.add(f"{op}_{dt}_nc_{tag}", op, [R(op, dt, shape, view)],
                        KW(op, axis, keepdims=kd, ddof=1 if kd else 0))


# ===================================================================== empty

EMPTY = [
    ("e0_all", [0], None, False),
    ("e0_ax0_kd", [0], 0, True),
    ("e0_all_kd", [0], None, True),
    ("e2x0_ax1", [2, 0], 1, False),     # over the empty axis
    ("e2x0_ax1_kd", [2, 0], 1, True),
    ("e2x0_ax0", [2, 0], 0, False),     # over the other axis
    ("e2x0_all", [2, 0], None, False),
    ("e0x3_ax1", [0, 3], 1, False),
    ("e0x3_ax0", [0, 3], 0, False),
]


def gen_empty(fam):
    # MLX's CPU reduction of an empty input reads an unset reduction plan and
    # sometimes spins for seconds or hangs: run each case in a fresh worker,
    # retrying on timeout (the values, when it returns, are always the same).
    def add(name, op, args, kw):
        fam.add(name, op, args, kw, fresh=True, retries=10, timeout=3)

    for op in OPS:
        dts = ["float32", "int32"]
        if op in BASIC:
            dts += ["bool", "uint8", "float16", "complex64"]
        for dt in dts:
            for tag, shape, axis, kd in EMPTY:
                if dt == "int32" and tag not in (
                        "e0_all", "e2x0_ax1", "e2x0_ax0", "e0x3_ax1"):
                    continue
                if dt not in ("float32", "int32") and tag not in (
                        "e0_all", "e2x0_ax1"):
                    continue
                add(f"{op}_{dt}_{tag}", op, [A(dt, [], shape)],
                    KW(op, axis, keepdims=kd))
        if op in VAR:
            for ddof in (1, 2):
                add(f"{op}_float32_e0_ddof{ddof}", op,
                    [A("float32", [], [0])], KW(op, None, ddof=ddof))
                add(f"{op}_float32_e2x0_ax0_ddof{ddof}", op,
                    [A("float32", [], [2, 0])], KW(op, 0, ddof=ddof))
                add(f"{op}_float32_e2x0_ax1_ddof{ddof}", op,
                    [A("float32", [], [2, 0])], KW(op, 1, ddof=ddof))


# ================================================================= nan / inf

SPECIAL_1D = [
    ("nan", [1.0, NAN, 3.0, -2.0]),
    ("nan_first", [NAN, 1.0, NAN, 5.0]),
    ("all_nan", [NAN, NAN, NAN]),
    ("inf", [1.0, INF, -2.0, 3.0]),
    ("ninf", [1.0, -INF, 3.0]),
    ("inf_ninf", [INF, -INF, 1.0]),
    ("all_ninf", [-INF, -INF, -INF]),
    ("all_inf", [INF, INF]),
    ("nan_inf", [INF, NAN, -INF]),
    ("zeros_signed", [-0.0, 0.0, -0.0]),
    ("big", [1000.0, 1000.0, 999.0]),
    ("negbig", [-1000.0, -1000.0]),
    ("huge_mixed", [1e30, 0.0, -1e30]),
]
SPECIAL_2D = [
    ("nan2d", [1.0, NAN, 3.0, 4.0, 5.0, 6.0], [2, 3]),
    ("ninf_row", [-INF, -INF, -INF, 0.0, 1.0, 2.0], [2, 3]),
    ("inf_row", [INF, 1.0, INF, NAN, -INF, 2.0], [2, 3]),
]
SPECIAL_C64 = [
    ("c_nan", [1 + 1j, complex(NAN, 0.0), 2j]),
    ("c_nan_imag", [1 + 1j, complex(0.0, NAN), 2 + 0j]),
    ("c_inf", [1 + 1j, complex(INF, 0.0), 2j]),
    ("c_ties", [1 + 1j, 1 + 2j, 1 + 2j, -1 + 5j]),
]


# ops whose other-float special cases mirror another op's
MIRRORS = ("min", "argmin", "std", "prod", "all", "any")
SPECIAL_KEEP = {
    "all": ("nan", "inf_ninf", "zeros_signed"),
    "any": ("nan", "inf_ninf", "zeros_signed"),
    "var": ("nan", "inf", "inf_ninf", "all_inf", "big", "huge_mixed"),
    "std": ("nan", "inf", "inf_ninf", "all_inf", "big", "huge_mixed"),
    "prod": ("nan", "inf", "ninf", "inf_ninf", "zeros_signed", "huge_mixed"),
}


def gen_special(fam):
    for op in OPS:
        for dt in FLOATS:
            if dt != "float32" and op in MIRRORS:
                continue
            keep = SPECIAL_KEEP.get(op) if dt == "float32" else \
                ("nan", "inf_ninf", "all_ninf", "big")
            cases = [c for c in SPECIAL_1D if keep is None or c[0] in keep]
            for tag, vals in cases:
                fam.add(f"{op}_{dt}_{tag}", op, [A(dt, vals)], KW(op))
            twod = {"float32": SPECIAL_2D, "float16": SPECIAL_2D[1:2]}.get(dt, [])
            for tag, vals, shape in twod:
                for axis in ((-1,) if tag == "inf_row" else (0, -1)):
                    fam.add(f"{op}_{dt}_{tag}_{axname(axis)}", op,
                            [A(dt, vals, shape)], KW(op, axis))
        for tag, vals in SPECIAL_C64:
            fam.add(f"{op}_complex64_{tag}", op, [A("complex64", vals)], KW(op))
        if op in ("all", "any"):  # -0.0 is false for every float dtype
            fam.add(f"{op}_complex64_c_negzero", op,
                    [A("complex64", [complex(-0.0, 0.0), complex(0.0, -0.0)])],
                    KW(op))
            for dt in ("float16", "bfloat16", "float64"):
                fam.add(f"{op}_{dt}_negzero", op, [A(dt, [-0.0, -0.0])], KW(op))
        # a NaN among 24 elements (vectorised paths), reduced whole and by rows
        if op in ("sum", "max", "min", "argmax", "argmin", "all", "logsumexp",
                  "softmax"):
            vals = [q8(v) for v in RNG.normal(size=24) * 3]
            vals[13] = NAN
            for axis in (None, 1):
                fam.add(f"{op}_float32_nan24_{axname(axis)}", op,
                        [A("float32", vals, [2, 12])], KW(op, axis))
        if op in ("max", "min", "argmax", "argmin"):
            vals = [q8(v) for v in RNG.normal(size=24) * 3]
            vals[5] = INF if op in ("max", "argmax") else -INF
            vals[19] = vals[5]
            vals[21] = NAN
            fam.add(f"{op}_float32_inf_nan24", op, [A("float32", vals)], KW(op))
            fam.add(f"{op}_float32_inf_nan24_first_20", op,
                    [A("float32", vals[:20])], KW(op))


# ============================================== integer overflow, bool, accumulation

def gen_overflow(fam):
    for dt in INTS:
        lo, hi = imin(dt), imax(dt)
        fam.add(f"sum_{dt}_max3", "sum", [A(dt, [hi, hi, hi])], KW("sum"))
        fam.add(f"sum_{dt}_max_plus1", "sum", [A(dt, [hi, 1])], KW("sum"))
        fam.add(f"sum_{dt}_max24_ax1", "sum", [A(dt, [hi] * 24, [2, 12])],
                KW("sum", 1))
        fam.add(f"prod_{dt}_max2", "prod", [A(dt, [hi, 2])], KW("prod"))
        fam.add(f"prod_{dt}_100x3", "prod", [A(dt, [100, 100, 100])], KW("prod"))
        fam.add(f"prod_{dt}_max_max", "prod", [A(dt, [hi, hi])], KW("prod"))
        fam.add(f"mean_{dt}_max3", "mean", [A(dt, [hi, hi, hi])], KW("mean"))
        fam.add(f"var_{dt}_max_min", "var", [A(dt, [hi, lo, hi])], KW("var"))
        if dt in SIGNED:
            fam.add(f"sum_{dt}_min3", "sum", [A(dt, [lo, lo, lo])], KW("sum"))
            fam.add(f"sum_{dt}_min24", "sum", [A(dt, [lo] * 24)], KW("sum"))
            fam.add(f"prod_{dt}_min_neg1", "prod", [A(dt, [lo, -1])], KW("prod"))
            fam.add(f"mean_{dt}_min_max", "mean", [A(dt, [lo, hi])], KW("mean"))
    for n in (2, 4):
        fam.add(f"prod_int32_2pow16_x{n}", "prod",
                [A("int32", [65536] * n)], KW("prod"))
    # bool
    b24 = [bool(v) for v in RNG.integers(0, 2, 24)]
    for op in ("sum", "prod", "mean", "max", "min", "var", "std", "all", "any",
               "logsumexp", "softmax", "argmax", "argmin"):
        for axis in (None, 1):
            fam.add(f"{op}_bool24_{axname(axis)}", op,
                    [A("bool", b24, [4, 6])], KW(op, axis))
    fam.add("sum_bool_all_true24", "sum", [A("bool", [True] * 24)], KW("sum"))
    fam.add("prod_bool_all_true", "prod", [A("bool", [True] * 5)], KW("prod"))
    fam.add("mean_bool_all_true", "mean", [A("bool", [True] * 3)], KW("mean"))
    # accumulation precision of half floats and long reductions (arange input)
    fam.add("sum_float16_2048_plus_ones", "sum",
            [A("float16", [2048.0] + [1.0] * 16)], KW("sum"))
    fam.add("mean_float16_2048_plus_ones", "mean",
            [A("float16", [2048.0] + [1.0] * 16)], KW("mean"))
    fam.add("sum_bfloat16_256_plus_ones", "sum",
            [A("bfloat16", [256.0] + [1.0] * 16)], KW("sum"))
    fam.add("mean_bfloat16_256_plus_ones", "mean",
            [A("bfloat16", [256.0] + [1.0] * 16)], KW("mean"))
    fam.add("sum_float16_overflow_back", "sum",
            [A("float16", [60000.0, 60000.0, -60000.0])], KW("sum"))
    fam.add("mean_float16_overflow", "mean",
            [A("float16", [60000.0, 60000.0])], KW("mean"))
    fam.add("prod_float16_overflow_back", "prod",
            [A("float16", [300.0, 300.0, 1.0 / 300.0])], KW("prod"))
    fam.add("prod_bfloat16_small", "prod",
            [A("bfloat16", [1.01] * 20)], KW("prod"))
    fam.add("mean_float16_thirds", "mean", [A("float16", [1.0, 1.0, 1.0])], KW("mean"))
    fam.add("mean_float32_thirds", "mean", [A("float32", [0.1, 0.1, 0.1])], KW("mean"))
    fam.add("var_float32_offset", "var",
            [A("float32", [10001.0, 10002.0, 10003.0])], KW("var"))
    fam.add("var_float16_offset", "var",
            [A("float16", [300.0, 301.0, 302.0])], KW("var"))
    for dt in ("float16", "bfloat16", "float32", "int32", "int8", "uint8"):
        for op in ("sum", "mean", "max", "argmax", "var"):
            fam.add(f"{op}_{dt}_arange2000", op, [ARANGE(2000, dt, [2000])],
                    KW(op))
    for op in ("sum", "mean", "max", "argmin", "logsumexp", "var"):
        fam.add(f"{op}_float32_arange200x10_ax0", op,
                [ARANGE(2000, "float32", [200, 10])], KW(op, 0))
        fam.add(f"{op}_float32_arange10x200_ax1", op,
                [ARANGE(2000, "float32", [10, 200])], KW(op, 1))
    fam.add("prod_float32_arange_1_to_n", "prod",
            [A("float32", list(range(1, 25)))], KW("prod"))


# ===================================================================== ties

def gen_ties(fam):
    T = [
        ("int32", "ties", [1, 3, 3, 1], [4]),
        ("int32", "all_equal", [5, 5, 5], [3]),
        ("int32", "all_equal24", [7] * 24, [24]),
        ("uint8", "ties_max", [255, 0, 255, 0], [4]),
        ("int8", "ties_min", [-128, 127, -128], [3]),
        ("float32", "ties", [2.5, -1.0, 2.5, -1.0], [4]),
        ("float32", "zeros", [-0.0, 0.0], [2]),
        ("float32", "zeros_rev", [0.0, -0.0], [2]),
        ("float32", "inf_ties", [INF, -INF, INF, -INF], [4]),
        ("float32", "nan_vs_inf", [INF, NAN, -INF], [3]),
        ("float16", "ties", [1.5, 1.5, -2.0, -2.0], [4]),
        ("bfloat16", "ties", [1.5, -2.0, 1.5, -2.0], [4]),
        ("bool", "ties", [False, True, True, False], [4]),
        ("complex64", "ties", [1 + 1j, 1 + 2j, 1 + 2j, 1 + 1j], [4]),
    ]
    for dt, tag, vals, shape in T:
        for op in ("argmax", "argmin", "max", "min"):
            fam.add(f"{op}_{dt}_{tag}", op, [A(dt, vals, shape)], KW(op))
    big = [3, 9, 1, 9, 0, 0, 9, 2, 0, 1, 9, 0] * 2
    for op in ARG:
        for axis in (None, 0, 1, -1):
            for kd in ((False, True) if axis is None else (False,)):
                fam.add(f"{op}_int32_ties2d_{axname(axis)}" + ("_kd" if kd else ""),
                        op, [A("int32", big, [4, 6])], KW(op, axis, keepdims=kd))
                fam.add(f"{op}_int32_ties2d_T_{axname(axis)}" + ("_kd" if kd else ""),
                        op, [A("int32", big, [4, 6], "transpose")],
                        KW(op, axis, keepdims=kd))


# ====================================================================== var

def gen_var(fam):
    x3 = A("float32", [1.0, 2.0, 3.0])
    c3 = A("float32", [1.0, 1.0, 1.0])
    for op in VAR:
        for ddof in (-1, 0, 1, 2, 3, 4, 10):
            fam.add(f"{op}_float32_ddof{ddof}".replace("-", "m"), op, [x3],
                    KW(op, ddof=ddof))
            fam.add(f"{op}_float32_const_ddof{ddof}".replace("-", "m"), op, [c3],
                    KW(op, ddof=ddof))
        fam.add(f"{op}_float32_single_ddof1", op, [A("float32", [5.0])],
                KW(op, ddof=1))
        fam.add(f"{op}_float32_0d_ddof1", op, [A("float32", [5.0], [])],
                KW(op, ddof=1))
        m = A("float32", [1.0, 4.0, -2.0, 0.5, 3.0, 3.0], [2, 3])
        for axis in (0, 1, None, [0, 1]):
            for ddof in (1, 2, 3):
                fam.add(f"{op}_float32_2x3_{axname(axis)}_ddof{ddof}", op, [m],
                        KW(op, axis, keepdims=(ddof == 2), ddof=ddof))
        for dt in ("int32", "uint8", "float16", "bfloat16", "float64", "complex64"):
            fam.add(f"{op}_{dt}_ddof1", op, [R("var", dt, [5])], KW(op, ddof=1))
        fam.add(f"{op}_complex64_imag", op, [A("complex64", [1j, -1j])], KW(op))
        fam.add(f"{op}_float32_one_inf", op, [A("float32", [1.0, INF])], KW(op))


# ============================================================ softmax / lse

def gen_softmax(fam):
    rows = [
        ("ninf_row", [-INF, -INF, -INF], [3]),
        ("ninf_mixed", [-INF, 0.0, -INF, 1.0], [4]),
        ("inf_one", [INF, 1.0], [2]),
        ("inf_two", [INF, INF], [2]),
        ("big", [1000.0, 1000.0], [2]),
        ("negbig", [-1000.0, -1000.0, -999.0], [3]),
        ("mixed_rows", [-INF, -INF, 0.0, 1.0, 100.0, -100.0], [3, 2]),
    ]
    for op in ("softmax", "logsumexp"):
        for dt in ("float32", "float16", "bfloat16", "float64"):
            for tag, vals, shape in rows:
                if dt == "float64" and tag not in ("ninf_row", "mixed_rows"):
                    continue
                precs = (False,)
                if op == "softmax" and dt in ("float16", "bfloat16"):
                    precs = (False, True)
                for precise in precs:
                    name = f"{op}_{dt}_row_{tag}" + ("_precise" if precise else "")
                    fam.add(name, op, [A(dt, vals, shape)],
                            KW(op, -1, precise=precise))
        fam.add(f"{op}_float16_60000", op, [A("float16", [60000.0, 60000.0])],
                KW(op, -1))
        fam.add(f"{op}_float32_huge", op, [A("float32", [1e30, 0.0])], KW(op, -1))
    # precise flag on half floats, several sizes and axes
    for dt in ("float16", "bfloat16", "float32"):
        vals8 = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
        v24 = [q8(v) for v in RNG.normal(size=24) * 2]
        v24b = [q8(v) for v in RNG.uniform(-8, 8, size=24)]
        for precise in ((False,) if dt == "float32" else (False, True)):
            p = "_precise" if precise else "_fast"
            fam.add(f"softmax_{dt}_ramp8{p}", "softmax", [A(dt, vals8)],
                    KW("softmax", -1, precise=precise))
            for axis in ((-1, 0, None, [0, 1]) if dt == "float32" else (-1, None)):
                fam.add(f"softmax_{dt}_2x12_{axname(axis)}{p}", "softmax",
                        [A(dt, v24, [2, 12])], KW("softmax", axis, precise=precise))
            if dt == "float32":
                continue
            fam.add(f"softmax_{dt}_wide24{p}", "softmax", [A(dt, v24b)],
                    KW("softmax", -1, precise=precise))
            fam.add(f"softmax_{dt}_4x6_T{p}", "softmax",
                    [A(dt, v24b, [4, 6], "transpose")],
                    KW("softmax", -1, precise=precise))
        for axis in (-1, None):
            fam.add(f"logsumexp_{dt}_wide24_{axname(axis)}", "logsumexp",
                    [A(dt, v24b, [2, 12])], KW("logsumexp", axis))
    # composite path (not the last axis alone) with precise=True computes
    # in float32, even for float64 input
    m = A("float64", [0.1, 0.2, 0.3, 0.4], [2, 2])
    for axis in (0, -1):
        for precise in (False, True):
            p = "_precise" if precise else "_fast"
            fam.add(f"softmax_float64_2x2_{axname(axis)}{p}", "softmax", [m],
                    KW("softmax", axis, precise=precise))


# ================================================================ bad axes

def gen_errors(fam):
    x = A("float32", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3])
    z = A("float32", [1.5], [])
    bad = [("ax2", 2), ("axm3", -3), ("ax0_0", [0, 0]), ("ax1_m1", [1, -1]),
           ("ax0_2", [0, 2])]
    for op in OPS:
        for tag, axis in bad:
            if op in ARG and isinstance(axis, list):
                continue
            fam.add(f"{op}_err_{tag}", op, [x], KW(op, axis))
        for axis in (0, [0]):
            if op in ARG and isinstance(axis, list):
                continue
            fam.add(f"{op}_err_0d_{axname(axis)}", op, [z], KW(op, axis))
        if op in ("sum", "var", "logsumexp", "softmax"):
            fam.add(f"{op}_0d_ax_empty", op, [z], KW(op, []))
        if op in ("sum", "max", "mean", "var", "logsumexp"):
            fam.add(f"{op}_0d_all_kd", op, [z], KW(op, None, keepdims=True))
        if op in ARG:  # MLX bug: throws "cannot create std::vector ..."
            fam.add(f"{op}_0d_all_kd_bug", op, [z], KW(op, None, keepdims=True))


# ======================================================================= main

FAMILIES = [gen_sweep, gen_axes, gen_noncontig, gen_empty, gen_special,
            gen_overflow, gen_ties, gen_var, gen_softmax, gen_errors]


def main():
    runner = Runner()
    fam = Family(runner, "reduce.json")
    for gen in FAMILIES:
        reseed(gen.__name__)
        gen(fam)
    path, n = fam.write(OUTDIR)
    nerr = sum(1 for c in fam.cases if "error" in c)
    runner.close()
    print(f"{os.path.relpath(path, ROOT)}: {n} cases ({nerr} errors), "
          f"{os.path.getsize(path)} bytes")
    if runner.crashes:
        print(f"{len(runner.crashes)} cases crashed MLX and were left out:")
        for fname, name, rc in runner.crashes:
            print(f"  {fname}: {name} (exit {rc})")


if __name__ == "__main__":
    main()
