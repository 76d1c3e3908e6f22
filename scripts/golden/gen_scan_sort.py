#!/usr/bin/env python3
"""Generate golden test data for the scan and sorting ops of `mx` from real MLX.

Writes tests/golden/ops/scan.json and tests/golden/ops/sort.json (format in
README.md). Ops and kwargs (always all present, in this form):
  cumsum cumprod:              {"axis": null|int, "reverse": bool, "inclusive": bool,
                                "dtype": null|str}
  cummax cummin logcumsumexp:  {"axis": null|int, "reverse": bool, "inclusive": bool}
  sort argsort:                {"axis": null|int}
  partition argpartition:      {"kth": int, "axis": null|int}
  topk:                        {"k": int, "axis": null|int}
  median:                      {"axis": null|int|[int], "keepdims": bool}
axis null always means "flatten first" (MLX's Python default for sort & co
is -1; here the axis is always passed explicitly).
Usage: python3 scripts/golden/gen_scan_sort.py
"""

import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlx.core as mx  # noqa: E402
from common import (  # noqa: E402
    A, ARANGE, DTYPES, FLOATS, SIGNED, UNSIGNED, INTS, MXD, imin, imax,
    build_arg, Family, Runner, MLX_VERSION,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "tests", "golden", "ops")

NAN = float("nan")
INF = float("inf")

SEED = 20240716
RNG = np.random.default_rng(SEED)

assert mx.__version__ == MLX_VERSION, mx.__version__

SCANS = ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp"]
SORTS = ["sort", "argsort"]
PARTS = ["partition", "argpartition"]


# ================================================================ worker side

def apply_op(op, args, kw):
    """Called in the worker process (Runner(ops_module="gen_scan_sort"))."""
    if op in SCANS:
        x = build_arg(args[0])
        opt = {}
        if op in ("cumsum", "cumprod") and kw.get("dtype") is not None:
            opt["dtype"] = MXD[kw["dtype"]]
        return getattr(mx, op)(x, axis=kw["axis"], reverse=kw["reverse"],
                               inclusive=kw["inclusive"], **opt)
    if op in SORTS:
        return getattr(mx, op)(build_arg(args[0]), axis=kw["axis"])
    if op in PARTS:
        return getattr(mx, op)(build_arg(args[0]), kw["kth"], axis=kw["axis"])
    if op == "topk":
        return mx.topk(build_arg(args[0]), kw["k"], axis=kw["axis"])
    if op == "median":
        return mx.median(build_arg(args[0]), axis=kw["axis"],
                         keepdims=kw["keepdims"])
    return NotImplemented


# ============================================================ generator side

def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


def SKW(op, axis=None, reverse=False, inclusive=True, dtype=None):
    """The exact kwargs dict recorded for scan `op`."""
    kw = {"axis": axis, "reverse": reverse, "inclusive": inclusive}
    if op in ("cumsum", "cumprod"):
        kw["dtype"] = dtype
    return kw


def OKW(op, axis=-1, n=None, keepdims=False):
    """The exact kwargs dict recorded for sort-family `op`; n = kth / k."""
    if op in SORTS:
        return {"axis": axis}
    if op in PARTS:
        return {"kth": n, "axis": axis}
    if op == "topk":
        return {"k": n, "axis": axis}
    if op == "median":
        return {"axis": axis, "keepdims": keepdims}
    raise ValueError(op)


def q8(v):
    """Multiple of 1/8: exact in every float dtype for |v| < 32."""
    return round(float(v) * 8) / 8


def rand_vals(op, dt, n, ties=False):
    """Deterministic values for `dt`. ties: draw from a small range."""
    if dt == "bool":
        return [bool(v) for v in RNG.integers(0, 2, n)]
    small = op == "cumprod"
    if dt in UNSIGNED:
        hi = 4 if small else (6 if ties else 50)
        return [int(v) for v in RNG.integers(0 if not small else 1, hi, n)]
    if dt in SIGNED:
        if small:
            return [int(v) for v in RNG.choice([-3, -2, -1, 1, 2, 3], n)]
        lo, hi = (-3, 4) if ties else (-50, 50)
        return [int(v) for v in RNG.integers(lo, hi, n)]
    if small:
        if dt == "complex64":
            return [complex(q8(r), q8(i))
                    for r, i in zip(RNG.uniform(-1.2, 1.2, n),
                                    RNG.uniform(-1.2, 1.2, n))]
        return [q8(v) * (1 if s else -1) for v, s in
                zip(RNG.uniform(0.5, 2.0, n), RNG.integers(0, 2, n))]
    if dt == "complex64":
        if ties:
            return [complex(int(r), int(i)) for r, i in
                    zip(RNG.integers(-2, 3, n), RNG.integers(-2, 3, n))]
        return [complex(q8(r), q8(i))
                for r, i in zip(RNG.normal(size=n) * 2, RNG.normal(size=n) * 2)]
    if ties:
        return [float(v) / 2 for v in RNG.integers(-4, 5, n)]
    return [q8(v) for v in RNG.normal(size=n) * 3]


def R(op, dt, shape, view=None, ties=False):
    n = int(np.prod(shape)) if shape else 1
    return A(dt, rand_vals(op, dt, n, ties), shape, view)


def axname(axis):
    if axis is None:
        return "all"
    if isinstance(axis, list):
        return "axes" + ("_".join(str(a).replace("-", "m") for a in axis) or "_empty")
    return "ax" + str(axis).replace("-", "m")


def flags(reverse, inclusive):
    return ("_rev" if reverse else "") + ("" if inclusive else "_excl")


# ====================================================================== SCANS

def scan_sweep(fam):
    """Every dtype: 1-d and 2-d along every axis (incl. null = flatten)."""
    for op in SCANS:
        for dt in DTYPES:
            fam.add(f"{op}_{dt}_1d", op, [R(op, dt, [5])], SKW(op, 0))
            x = R(op, dt, [2, 3])
            for axis in (0, 1, -1, None):
                fam.add(f"{op}_{dt}_2x3_{axname(axis)}", op, [x], SKW(op, axis))
            # reverse / exclusive on every dtype (1-d)
            fam.add(f"{op}_{dt}_1d_rev_excl", op, [R(op, dt, [5])],
                    SKW(op, 0, reverse=True, inclusive=False))


def scan_flags(fam):
    """reverse x inclusive, all 4 combinations, float32 and int32."""
    for op in SCANS:
        for dt in ("float32", "int32"):
            x1 = R(op, dt, [6])
            x2 = R(op, dt, [3, 4])
            x3 = R(op, dt, [2, 3, 4])
            for rev in (False, True):
                for inc in (True, False):
                    f = flags(rev, inc)
                    fam.add(f"{op}_{dt}_6{f}", op, [x1], SKW(op, 0, rev, inc))
                    for axis in (0, 1, None):
                        fam.add(f"{op}_{dt}_3x4_{axname(axis)}{f}", op, [x2],
                                SKW(op, axis, rev, inc))
                    for axis in (0, 1, -1):
                        fam.add(f"{op}_{dt}_2x3x4_{axname(axis)}{f}", op, [x3],
                                SKW(op, axis, rev, inc))
        # single element and [n,1]/[1,n] shapes
        for rev in (False, True):
            for inc in (True, False):
                f = flags(rev, inc)
                fam.add(f"{op}_float32_single{f}", op, [A("float32", [2.5])],
                        SKW(op, 0, rev, inc))
                fam.add(f"{op}_float32_0d_all{f}", op, [A("float32", [2.5], [])],
                        SKW(op, None, rev, inc))
        fam.add(f"{op}_float32_5x1_ax1", op, [R(op, "float32", [5, 1])], SKW(op, 1))
        fam.add(f"{op}_float32_1x5_ax0", op, [R(op, "float32", [1, 5])], SKW(op, 0))


SCAN_NC = [
    ("T_ax0", [3, 4], "transpose", 0),
    ("T_ax1", [3, 4], "transpose", 1),
    ("T_all", [3, 4], "transpose", None),
    ("flip", [6], "flip0", 0),
    ("flip2d_ax0", [3, 4], "flip0", 0),
    ("flip2d_ax1", [3, 4], "flip0", 1),
    ("step2_ax0", [6, 2], "step2", 0),
    ("step2_1d", [8], "step2", 0),
    ("step2_3d_axm1", [4, 3, 2], "step2", -1),
    ("T3d_ax1", [2, 3, 2], "transpose", 1),
]


def scan_noncontig(fam):
    for op in SCANS:
        for dt in ("float32", "int32"):
            for tag, shape, view, axis in SCAN_NC:
                x = R(op, dt, shape, view)
                fam.add(f"{op}_{dt}_nc_{tag}", op, [x], SKW(op, axis))
                if tag in ("T_ax0", "flip", "step2_ax0"):
                    fam.add(f"{op}_{dt}_nc_{tag}_rev_excl", op, [x],
                            SKW(op, axis, True, False))


def scan_large(fam):
    """ARANGE-built inputs (long rows, strided axes)."""
    for op in ("cumsum", "cummax", "logcumsumexp"):
        fam.add(f"{op}_float32_arange1000", op, [ARANGE(1000, "float32", [1000])],
                SKW(op, 0))
        fam.add(f"{op}_float32_arange100x10_ax0", op,
                [ARANGE(1000, "float32", [100, 10])], SKW(op, 0))
        fam.add(f"{op}_float32_arange10x100_ax1_rev", op,
                [ARANGE(1000, "float32", [10, 100])], SKW(op, 1, reverse=True))
    fam.add("cumsum_int32_arange1000_excl", "cumsum",
            [ARANGE(1000, "int32", [1000])], SKW("cumsum", 0, inclusive=False))
    fam.add("cumsum_float16_arange400", "cumsum", [ARANGE(400, "float16", [400])],
            SKW("cumsum", 0))
    fam.add("cumsum_bfloat16_arange400", "cumsum",
            [ARANGE(400, "bfloat16", [400])], SKW("cumsum", 0))
    fam.add("cumsum_uint8_arange300", "cumsum", [ARANGE(300, "uint8", [300])],
            SKW("cumsum", 0))
    fam.add("cumsum_int8_arange200", "cumsum", [ARANGE(200, "int8", [200])],
            SKW("cumsum", 0))
    fam.add("cummin_int32_arange40x25_ax0_rev", "cummin",
            [ARANGE(1000, "int32", [40, 25])], SKW("cummin", 0, reverse=True))
    # float32 accumulation order: 64 random values whose partial sums round
    vals = [float(np.float32(v)) for v in RNG.normal(size=64) * 10]
    for rev in (False, True):
        fam.add("cumsum_float32_rand64" + flags(rev, True), "cumsum",
                [A("float32", vals)], SKW("cumsum", 0, rev))
    fam.add("cumsum_float32_rand8x8_ax0", "cumsum", [A("float32", vals, [8, 8])],
            SKW("cumsum", 0))
    fam.add("logcumsumexp_float32_rand64", "logcumsumexp",
            [A("float32", vals)], SKW("logcumsumexp", 0))
    pvals = [float(np.float32(v)) for v in RNG.uniform(0.9, 1.1, 32)]
    fam.add("cumprod_float32_rand32", "cumprod", [A("float32", pvals)],
            SKW("cumprod", 0))


SCAN_EMPTY = [
    ("e0_ax0", [0], 0),
    ("e0_all", [0], None),
    ("e2x0_ax0", [2, 0], 0),
    ("e2x0_ax1", [2, 0], 1),
    ("e2x0_all", [2, 0], None),
    ("e0x3_ax0", [0, 3], 0),
    ("e0x3_ax1", [0, 3], 1),
]


def scan_empty(fam):
    for op in SCANS:
        for dt in ("float32", "int32", "bool"):
            for tag, shape, axis in SCAN_EMPTY:
                if dt == "bool" and tag not in ("e0_ax0", "e2x0_ax1"):
                    continue
                for rev, inc in ((False, True), (True, False)):
                    if (rev, inc) != (False, True) and tag not in ("e0_ax0", "e2x0_ax1"):
                        continue
                    fam.add(f"{op}_{dt}_{tag}{flags(rev, inc)}", op,
                            [A(dt, [], shape)], SKW(op, axis, rev, inc),
                            fresh=True, retries=5, timeout=5)


SCAN_SPECIAL = [
    ("nan_mid", [1.0, 2.0, NAN, 4.0, -1.0]),
    ("nan_first", [NAN, 2.0, 3.0]),
    ("nan_last", [1.0, 2.0, NAN]),
    ("inf", [1.0, INF, 2.0, -1.0]),
    ("ninf", [1.0, -INF, 2.0, -1.0]),
    ("inf_ninf", [INF, 1.0, -INF, 2.0]),
    ("ninf_inf", [-INF, 1.0, INF, 2.0]),
    ("inf_nan", [INF, NAN, -INF]),
    ("all_ninf", [-INF, -INF, -INF]),
    ("all_inf", [INF, INF]),
    ("zeros", [-0.0, 0.0, -0.0, 0.0]),
    ("negzeros", [-0.0, -0.0, -0.0]),
    ("big", [1000.0, 1000.0, 999.0]),
    ("negbig", [-1000.0, -1000.0, -999.0]),
    ("ninf_then", [-INF, -INF, 0.0, -INF]),
]
SCAN_SPECIAL_C64 = [
    ("c_nan", [1 + 1j, complex(NAN, 0.0), 2j, 3 + 0j]),
    ("c_nan_imag", [1 + 1j, complex(0.0, NAN), 2 + 0j]),
    ("c_inf", [1 + 1j, complex(INF, 0.0), 2j]),
    ("c_lex", [1 + 1j, 1 + 2j, 1 - 3j, 2 - 5j, 0 + 9j, 2 - 4j]),
]


def scan_special(fam):
    for op in SCANS:
        for dt in FLOATS:
            keep = None if dt == "float32" else (
                "nan_mid", "nan_first", "inf_ninf", "zeros", "all_ninf", "big")
            for tag, vals in SCAN_SPECIAL:
                if keep is not None and tag not in keep:
                    continue
                name = f"{op}_{dt}_{tag}"
                if op in ("cummax", "cummin") and dt in ("float16", "bfloat16") \
                        and "nan" in tag:
                    # MLX bug: a half-float max/min step with a NaN operand
                    # gives +0.0 (float32/float64 propagate NaN)
                    name += "_bug"
                fam.add(name, op, [A(dt, vals)], SKW(op, 0))
                if dt == "float32" and tag in ("nan_mid", "inf_ninf", "ninf_then"):
                    fam.add(f"{op}_{dt}_{tag}_rev", op, [A(dt, vals)],
                            SKW(op, 0, True))
                    fam.add(f"{op}_{dt}_{tag}_excl", op, [A(dt, vals)],
                            SKW(op, 0, False, False))
        for tag, vals in SCAN_SPECIAL_C64:
            fam.add(f"{op}_complex64_{tag}", op, [A("complex64", vals)], SKW(op, 0))
        # NaN in a 2-d array, scanned along both axes
        m = A("float32", [1.0, NAN, 3.0, 4.0, 5.0, 6.0, -INF, 0.5, NAN], [3, 3])
        for axis in (0, 1):
            fam.add(f"{op}_float32_nan3x3_{axname(axis)}", op, [m], SKW(op, axis))
        # a NaN among 40 elements (vectorised paths)
        vals = [q8(v) for v in RNG.normal(size=40) * 3]
        vals[17] = NAN
        fam.add(f"{op}_float32_nan40", op, [A("float32", vals)], SKW(op, 0))
        fam.add(f"{op}_float32_nan40_4x10_ax0", op, [A("float32", vals, [4, 10])],
                SKW(op, 0))
    # float16 overflow / half precision accumulation
    fam.add("cumsum_float16_overflow", "cumsum",
            [A("float16", [60000.0, 60000.0, -60000.0])], SKW("cumsum", 0))
    fam.add("cumsum_float16_2048_ones", "cumsum",
            [A("float16", [2048.0] + [1.0] * 8)], SKW("cumsum", 0))
    fam.add("cumsum_bfloat16_256_ones", "cumsum",
            [A("bfloat16", [256.0] + [1.0] * 8)], SKW("cumsum", 0))
    fam.add("cumprod_float16_overflow", "cumprod",
            [A("float16", [300.0, 300.0, 1.0 / 300.0])], SKW("cumprod", 0))
    fam.add("logcumsumexp_float16_60000", "logcumsumexp",
            [A("float16", [11.0, 11.0, 60000.0, 60000.0])], SKW("logcumsumexp", 0))
    fam.add("logcumsumexp_float32_huge", "logcumsumexp",
            [A("float32", [1e30, 0.0, -1e30, 1e30])], SKW("logcumsumexp", 0))


def scan_overflow(fam):
    for dt in INTS:
        lo, hi = imin(dt), imax(dt)
        fam.add(f"cumsum_{dt}_max_plus1", "cumsum", [A(dt, [hi, 1, 1])],
                SKW("cumsum", 0))
        fam.add(f"cumsum_{dt}_max3", "cumsum", [A(dt, [hi, hi, hi])],
                SKW("cumsum", 0))
        fam.add(f"cumprod_{dt}_max2", "cumprod", [A(dt, [hi, 2, 2])],
                SKW("cumprod", 0))
        fam.add(f"cumprod_{dt}_16x4", "cumprod", [A(dt, [16, 16, 16, 16])],
                SKW("cumprod", 0))
        fam.add(f"cummax_{dt}_minmax", "cummax", [A(dt, [lo, hi, lo, 0])],
                SKW("cummax", 0))
        fam.add(f"cummin_{dt}_minmax", "cummin", [A(dt, [hi, lo, hi, 0])],
                SKW("cummin", 0))
        fam.add(f"cummax_{dt}_minmax_excl", "cummax", [A(dt, [lo, hi, lo, 0])],
                SKW("cummax", 0, False, False))
        fam.add(f"cummin_{dt}_minmax_excl", "cummin", [A(dt, [hi, lo, hi, 0])],
                SKW("cummin", 0, False, False))
        fam.add(f"logcumsumexp_{dt}_minmax", "logcumsumexp",
                [A(dt, [lo, hi, 0])], SKW("logcumsumexp", 0))
        if dt in SIGNED:
            fam.add(f"cumsum_{dt}_min_minus1", "cumsum", [A(dt, [lo, -1])],
                    SKW("cumsum", 0))
            fam.add(f"cumprod_{dt}_min_neg1", "cumprod", [A(dt, [lo, -1])],
                    SKW("cumprod", 0))
    fam.add("cumprod_int32_2pow16", "cumprod", [A("int32", [65536] * 3)],
            SKW("cumprod", 0))
    # bool: cumsum counts (-> int32), cumprod/cummax/cummin stay bool
    b = [bool(v) for v in RNG.integers(0, 2, 12)]
    for op in SCANS:
        for axis in (None, 1):
            for rev, inc in ((False, True), (True, False)):
                fam.add(f"{op}_bool12_{axname(axis)}{flags(rev, inc)}", op,
                        [A("bool", b, [3, 4])], SKW(op, axis, rev, inc))
    fam.add("cumsum_bool_300_true", "cumsum", [A("bool", [True] * 300)],
            SKW("cumsum", 0))
    # cummax/cummin exclusive: what fills position 0 (identity = lowest/max?)
    for dt in ("float32", "float16", "int8", "uint8", "bool", "complex64", "float64"):
        for op in ("cummax", "cummin", "cumprod", "cumsum", "logcumsumexp"):
            vals = [True, False, True] if dt == "bool" else [3, 1, 2]
            fam.add(f"{op}_{dt}_excl_identity", op, [A(dt, vals)],
                    SKW(op, 0, False, False))
            fam.add(f"{op}_{dt}_rev_excl_identity", op, [A(dt, vals)],
                    SKW(op, 0, True, False))


def scan_dtype_kw(fam):
    """cumsum/cumprod's `dtype` kwarg."""
    cases = [
        ("int8", [100, 100, 100], "int32"),
        ("int8", [100, 100, 100], "int16"),
        ("uint8", [200, 200], "uint16"),
        ("uint8", [200, 200], "int8"),
        ("bool", [True, True, False, True], "int8"),
        ("bool", [True, True, False, True], "float32"),
        ("bool", [True, True, False, True], "bool"),
        ("int32", [1, 2, 3], "float32"),
        ("int32", [1, 2, 3], "float16"),
        ("int32", [1, 2, 3], "int64"),
        ("float32", [1.5, 2.5, -1.0], "int32"),
        ("float32", [1.5, 2.5, -1.0], "float16"),
        ("float32", [1.5, 2.5, -1.0], "complex64"),
        ("float16", [60000.0, 60000.0, -60000.0], "float32"),
        ("complex64", [1 + 1j, 2 - 1j], "float32"),
        ("int64", [imax("int64"), 1], "int32"),
        ("uint32", [imax("uint32"), 1], "uint64"),
    ]
    for op in ("cumsum", "cumprod"):
        for dt, vals, to in cases:
            fam.add(f"{op}_{dt}_dtype_{to}", op, [A(dt, vals)],
                    SKW(op, 0, dtype=to))
            if dt == "int8" and to == "int32":
                fam.add(f"{op}_{dt}_dtype_{to}_rev_excl", op, [A(dt, vals)],
                        SKW(op, 0, True, False, dtype=to))
        fam.add(f"{op}_int8_2x3_all_dtype_int32", op,
                [A("int8", [100, 100, 100, 100, 100, 100], [2, 3])],
                SKW(op, None, dtype="int32"))


def scan_errors(fam):
    x = A("float32", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3])
    z = A("float32", [1.5], [])
    for op in SCANS:
        for axis in (2, -3, 5):
            fam.add(f"{op}_err_{axname(axis)}", op, [x], SKW(op, axis))
        fam.add(f"{op}_err_0d_ax0", op, [z], SKW(op, 0))
        fam.add(f"{op}_err_0d_axm1", op, [z], SKW(op, -1))
        fam.add(f"{op}_err_1d_ax1", op, [A("int32", [1, 2])], SKW(op, 1))
        fam.add(f"{op}_err_e0_ax1", op, [A("float32", [], [0])], SKW(op, 1))
        fam.add(f"{op}_complex64_2x2_ax1", op,
                [A("complex64", [1 + 2j, -1j, 3 + 0j, 0.5 + 0.5j], [2, 2])],
                SKW(op, 1))


# ==================================================================== SORTING

def sort_sweep(fam):
    """Every dtype, every op."""
    for dt in DTYPES:
        x1 = R("sort", dt, [7], ties=True)
        x2 = R("sort", dt, [3, 4], ties=True)
        for op in SORTS:
            fam.add(f"{op}_{dt}_1d", op, [x1], OKW(op, -1))
            fam.add(f"{op}_{dt}_1d_all", op, [x1], OKW(op, None))
            for axis in (0, 1, -1, -2, None):
                fam.add(f"{op}_{dt}_3x4_{axname(axis)}", op, [x2], OKW(op, axis))
        x1d = R("sort", dt, [7])  # distinct-ish values
        for op in PARTS:
            for kth in (0, 3, 6, -1):
                fam.add(f"{op}_{dt}_1d_kth{kth}".replace("-", "m"), op, [x1d],
                        OKW(op, -1, kth))
            fam.add(f"{op}_{dt}_3x4_ax0_kth1", op, [x2], OKW(op, 0, 1))
            fam.add(f"{op}_{dt}_3x4_ax1_kth2", op, [x2], OKW(op, 1, 2))
            fam.add(f"{op}_{dt}_3x4_all_kth5", op, [x2], OKW(op, None, 5))
        for k in (1, 3, 7):
            fam.add(f"topk_{dt}_1d_k{k}", "topk", [x1d], OKW("topk", -1, k))
        fam.add(f"topk_{dt}_3x4_ax0_k2", "topk", [x2], OKW("topk", 0, 2))
        fam.add(f"topk_{dt}_3x4_ax1_k2", "topk", [x2], OKW("topk", 1, 2))
        fam.add(f"topk_{dt}_3x4_all_k5", "topk", [x2], OKW("topk", None, 5))
        fam.add(f"median_{dt}_1d_odd", "median", [x1d], OKW("median", None))
        fam.add(f"median_{dt}_1d_even", "median", [R("median", dt, [6])],
                OKW("median", None))
        for axis in (0, 1, [0, 1]):
            fam.add(f"median_{dt}_3x4_{axname(axis)}", "median", [x2],
                    OKW("median", axis))
        fam.add(f"median_{dt}_3x4_ax1_kd", "median", [x2],
                OKW("median", 1, keepdims=True))


def sort_axes(fam):
    """3-d axis matrix incl. negative axes; odd sizes."""
    x = R("sort", "float32", [2, 3, 4])
    xi = R("sort", "int32", [2, 3, 4], ties=True)
    for axis in (None, 0, 1, 2, -1, -2, -3):
        for op in SORTS:
            fam.add(f"{op}_float32_2x3x4_{axname(axis)}", op, [x], OKW(op, axis))
            fam.add(f"{op}_int32_2x3x4_{axname(axis)}", op, [xi], OKW(op, axis))
        n = 24 if axis is None else [2, 3, 4][axis]
        for op in PARTS:
            for kth in sorted({0, n // 2, n - 1, -1}):
                fam.add(f"{op}_float32_2x3x4_{axname(axis)}_kth{kth}".replace("-", "m"),
                        op, [x], OKW(op, axis, kth))
        for k in sorted({1, (n + 1) // 2, n}):
            fam.add(f"topk_float32_2x3x4_{axname(axis)}_k{k}", "topk", [x],
                    OKW("topk", axis, k))
            fam.add(f"topk_int32_2x3x4_{axname(axis)}_k{k}", "topk", [xi],
                    OKW("topk", axis, k))
        for kd in (False, True):
            fam.add(f"median_float32_2x3x4_{axname(axis)}" + ("_kd" if kd else ""),
                    "median", [x], OKW("median", axis, keepdims=kd))
    for axis in ([0, 2], [2, 0], [-1, -2], [0, 1, 2], [1]):
        for kd in (False, True):
            fam.add(f"median_float32_2x3x4_{axname(axis)}" + ("_kd" if kd else ""),
                    "median", [x], OKW("median", axis, keepdims=kd))
    for shape in ([1, 5], [5, 1]):
        s = "x".join(map(str, shape))
        y = R("sort", "float32", shape)
        for axis in (0, 1):
            fam.add(f"sort_float32_{s}_{axname(axis)}", "sort", [y], OKW("sort", axis))
            fam.add(f"argsort_float32_{s}_{axname(axis)}", "argsort", [y],
                    OKW("argsort", axis))
            fam.add(f"median_float32_{s}_{axname(axis)}", "median", [y],
                    OKW("median", axis))
    # single element and a 0-d input with axis null
    one = A("float32", [2.5])
    z = A("float32", [2.5], [])
    for op in SORTS:
        fam.add(f"{op}_float32_single", op, [one], OKW(op, -1))
        fam.add(f"{op}_float32_0d_all", op, [z], OKW(op, None))
    for op in PARTS:
        fam.add(f"{op}_float32_single_kth0", op, [one], OKW(op, -1, 0))
        fam.add(f"{op}_float32_0d_all_kth0", op, [z], OKW(op, None, 0))
    fam.add("topk_float32_single_k1", "topk", [one], OKW("topk", -1, 1))
    fam.add("topk_float32_0d_all_k1", "topk", [z], OKW("topk", None, 1))
    fam.add("median_float32_single", "median", [one], OKW("median", None))
    fam.add("median_float32_0d_all", "median", [z], OKW("median", None))
    fam.add("median_float32_0d_all_kd", "median", [z],
            OKW("median", None, keepdims=True))


def sort_stability(fam):
    """Many ties: argsort's order inside equal runs shows stability."""
    t40 = [int(v) for v in RNG.integers(0, 3, 40)]
    t300 = [int(v) for v in RNG.integers(0, 4, 300)]
    t2d = [int(v) for v in RNG.integers(0, 2, 60)]
    for dt in ("int32", "float32", "uint8", "int64", "float16", "bfloat16", "float64"):
        fam.add(f"argsort_{dt}_ties40", "argsort", [A(dt, t40)], OKW("argsort", -1))
    for dt in ("int32", "float32"):
        fam.add(f"argsort_{dt}_ties300", "argsort", [A(dt, t300)],
                OKW("argsort", -1))
        fam.add(f"sort_{dt}_ties300", "sort", [A(dt, t300)], OKW("sort", -1))
        for axis in (0, 1, None):
            fam.add(f"argsort_{dt}_ties6x10_{axname(axis)}", "argsort",
                    [A(dt, t2d, [6, 10])], OKW("argsort", axis))
            fam.add(f"argsort_{dt}_ties6x10_T_{axname(axis)}", "argsort",
                    [A(dt, t2d, [6, 10], "transpose")], OKW("argsort", axis))
    fam.add("argsort_bool_ties40", "argsort",
            [A("bool", [bool(v % 2) for v in t40])], OKW("argsort", -1))
    fam.add("argsort_complex64_ties", "argsort",
            [A("complex64", [1 + 1j, 0j, 1 + 1j, 1 - 1j, 0j, 1 + 1j, 1 - 1j, 0j])],
            OKW("argsort", -1))
    fam.add("argsort_int32_all_equal64", "argsort", [A("int32", [7] * 64)],
            OKW("argsort", -1))
    fam.add("argsort_int32_desc_pairs", "argsort",
            [A("int32", [5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0])], OKW("argsort", -1))
    # ties and the partition / topk family
    for op in PARTS:
        for kth in (0, 5, 20, 39):
            fam.add(f"{op}_int32_ties40_kth{kth}", op, [A("int32", t40)],
                    OKW(op, -1, kth))
    for k in (1, 5, 20):
        fam.add(f"topk_int32_ties40_k{k}", "topk", [A("int32", t40)],
                OKW("topk", -1, k))
    fam.add("topk_int32_all_equal10_k3", "topk", [A("int32", [7] * 10)],
            OKW("topk", -1, 3))
    # signed zeros are ties
    z = [0.0, -0.0, 0.0, -0.0, -0.0, 0.0]
    for dt in FLOATS:
        fam.add(f"sort_{dt}_signed_zeros", "sort", [A(dt, z)], OKW("sort", -1))
        fam.add(f"argsort_{dt}_signed_zeros", "argsort", [A(dt, z)],
                OKW("argsort", -1))
    fam.add("sort_complex64_signed_zeros", "sort",
            [A("complex64", [complex(0.0, 0.0), complex(-0.0, 0.0),
                             complex(0.0, -0.0), complex(-0.0, -0.0)])],
            OKW("sort", -1))
    fam.add("argsort_complex64_signed_zeros", "argsort",
            [A("complex64", [complex(0.0, 0.0), complex(-0.0, 0.0),
                             complex(0.0, -0.0), complex(-0.0, -0.0)])],
            OKW("argsort", -1))


SORT_SPECIAL = [
    ("nan_mix", [3.0, NAN, -INF, 1.0, INF, -0.0, 0.0, NAN, -1.0]),
    ("nan_first", [NAN, 2.0, 1.0]),
    ("all_nan", [NAN, NAN, NAN]),
    ("inf_ninf", [INF, -INF, 0.0, INF, -INF]),
    ("nan_inf", [INF, NAN, -INF, NAN, INF]),
    ("zeros_mixed", [1.0, -0.0, -1.0, 0.0, -0.0]),
]
SORT_SPECIAL_C64 = [
    ("c_nan_re", [1 + 1j, complex(NAN, 0.0), 0j, -1 + 0j]),
    ("c_nan_im", [1 + 1j, complex(0.0, NAN), 0j, complex(0.0, 5.0)]),
    ("c_nan_both", [complex(NAN, NAN), 2 + 0j, complex(NAN, 1.0), -1j]),
    ("c_inf", [complex(INF, 0.0), complex(-INF, 1.0), 1j, complex(0.0, -INF),
               complex(0.0, INF)]),
    ("c_lex", [1 + 1j, 1 + 2j, 1 - 3j, 2 - 5j, 0 + 9j, 2 - 4j, -1 + 0j]),
]


def sort_special(fam):
    for dt in FLOATS:
        for tag, vals in SORT_SPECIAL:
            if dt != "float32" and tag not in ("nan_mix", "nan_inf"):
                continue
            for op in SORTS:
                fam.add(f"{op}_{dt}_{tag}", op, [A(dt, vals)], OKW(op, -1))
            fam.add(f"median_{dt}_{tag}", "median", [A(dt, vals)],
                    OKW("median", None))
            n = len(vals)
            for kth in sorted({0, n // 2, n - 1}):
                for op in PARTS:
                    fam.add(f"{op}_{dt}_{tag}_kth{kth}", op, [A(dt, vals)],
                            OKW(op, -1, kth))
            for k in sorted({1, 2, n}):
                fam.add(f"topk_{dt}_{tag}_k{k}", "topk", [A(dt, vals)],
                        OKW("topk", -1, k))
    # integer extremes (sign handling of the comparison)
    for dt in INTS:
        lo, hi = imin(dt), imax(dt)
        vals = [hi, lo, 0, hi - 1, lo + 1, 1, hi, lo]
        for op in SORTS:
            fam.add(f"{op}_{dt}_extremes", op, [A(dt, vals)], OKW(op, -1))
        fam.add(f"topk_{dt}_extremes_k3", "topk", [A(dt, vals)], OKW("topk", -1, 3))
        fam.add(f"median_{dt}_extremes", "median", [A(dt, vals)], OKW("median", None))
    for tag, vals in SORT_SPECIAL_C64:
        for op in SORTS:
            fam.add(f"{op}_complex64_{tag}", op, [A("complex64", vals)], OKW(op, -1))
        fam.add(f"median_complex64_{tag}", "median", [A("complex64", vals)],
                OKW("median", None))
        fam.add(f"topk_complex64_{tag}_k2", "topk", [A("complex64", vals)],
                OKW("topk", -1, 2))
        fam.add(f"partition_complex64_{tag}_kth1", "partition",
                [A("complex64", vals)], OKW("partition", -1, 1))
    # NaN in 2-d, along each axis; longer rows with NaN (vectorised paths)
    m = A("float32", [1.0, NAN, 3.0, 4.0, -INF, 6.0, NAN, 0.5, -2.0, INF, 7.0, 0.0],
          [3, 4])
    for axis in (0, 1, None):
        for op in SORTS:
            fam.add(f"{op}_float32_nan3x4_{axname(axis)}", op, [m], OKW(op, axis))
        fam.add(f"median_float32_nan3x4_{axname(axis)}", "median", [m],
                OKW("median", axis))
        fam.add(f"topk_float32_nan3x4_{axname(axis)}_k2", "topk", [m],
                OKW("topk", axis, 2))
        fam.add(f"partition_float32_nan3x4_{axname(axis)}_kth1", "partition", [m],
                OKW("partition", axis, 1))
    vals = [q8(v) for v in RNG.normal(size=50) * 3]
    for i in (3, 17, 40):
        vals[i] = NAN
    vals[8], vals[25] = INF, -INF
    for op in SORTS:
        fam.add(f"{op}_float32_nan50", op, [A("float32", vals)], OKW(op, -1))
    fam.add("median_float32_nan50", "median", [A("float32", vals)], OKW("median", None))
    fam.add("topk_float32_nan50_k5", "topk", [A("float32", vals)], OKW("topk", -1, 5))
    for op in PARTS:
        fam.add(f"{op}_float32_nan50_kth25", op, [A("float32", vals)],
                OKW(op, -1, 25))
        fam.add(f"{op}_float32_nan50_kth48", op, [A("float32", vals)],
                OKW(op, -1, 48))


SORT_NC = [
    ("T_ax0", [3, 4], "transpose", 0),
    ("T_ax1", [3, 4], "transpose", 1),
    ("T_all", [3, 4], "transpose", None),
    ("flip", [7], "flip0", -1),
    ("flip2d_ax0", [3, 4], "flip0", 0),
    ("flip2d_ax1", [3, 4], "flip0", 1),
    ("step2_ax0", [6, 2], "step2", 0),
    ("step2_1d", [10], "step2", -1),
    ("step2_3d_axm1", [4, 3, 2], "step2", -1),
    ("T3d_ax1", [2, 3, 2], "transpose", 1),
]


def sort_noncontig(fam):
    for dt in ("float32", "int32"):
        for tag, shape, view, axis in SORT_NC:
            x = R("sort", dt, shape, view, ties=(dt == "int32"))
            vshape = list(shape)[::-1] if view == "transpose" else list(shape)
            if view == "step2":
                vshape[0] = (vshape[0] + 1) // 2
            n = int(np.prod(vshape)) if axis is None else vshape[axis]
            for op in SORTS:
                fam.add(f"{op}_{dt}_nc_{tag}", op, [x], OKW(op, axis))
            for op in PARTS:
                fam.add(f"{op}_{dt}_nc_{tag}_kth{n // 2}", op, [x],
                        OKW(op, axis, n // 2))
            fam.add(f"topk_{dt}_nc_{tag}_k{(n + 1) // 2}", "topk", [x],
                    OKW("topk", axis, (n + 1) // 2))
            fam.add(f"median_{dt}_nc_{tag}", "median", [x], OKW("median", axis))


def sort_large(fam):
    """Longer rows (other kernel paths) and partition/topk vs full sort."""
    v = [int(x) for x in RNG.permutation(200)]
    x = A("int32", v)
    xf = A("float32", [float(a) / 4 for a in v], [200])
    for op in SORTS:
        fam.add(f"{op}_int32_perm200", op, [x], OKW(op, -1))
        fam.add(f"{op}_float32_perm200", op, [xf], OKW(op, -1))
        fam.add(f"{op}_int32_perm200_10x20_ax0", op, [A("int32", v, [10, 20])],
                OKW(op, 0))
        fam.add(f"{op}_int32_perm200_10x20_T_ax1", op,
                [A("int32", v, [10, 20], "transpose")], OKW(op, 1))
    for op in PARTS:
        for kth in (0, 37, 100, 199):
            fam.add(f"{op}_int32_perm200_kth{kth}", op, [x], OKW(op, -1, kth))
        fam.add(f"{op}_int32_perm200_10x20_ax0_kth4", op,
                [A("int32", v, [10, 20])], OKW(op, 0, 4))
        fam.add(f"{op}_int32_perm200_10x20_ax1_kth7", op,
                [A("int32", v, [10, 20])], OKW(op, 1, 7))
    for k in (1, 10, 100, 200):
        fam.add(f"topk_int32_perm200_k{k}", "topk", [x], OKW("topk", -1, k))
    fam.add("topk_int32_perm200_10x20_ax0_k3", "topk", [A("int32", v, [10, 20])],
            OKW("topk", 0, 3))
    fam.add("topk_float32_perm200_k17", "topk", [xf], OKW("topk", -1, 17))
    fam.add("median_int32_perm200", "median", [x], OKW("median", None))
    fam.add("median_int32_perm200_10x20_ax0", "median", [A("int32", v, [10, 20])],
            OKW("median", 0))
    fam.add("median_float32_perm199", "median", [A("float32", v[:199])],
            OKW("median", None))
    # already sorted (ARANGE), long
    for dt in ("float32", "int32", "uint8"):
        fam.add(f"sort_{dt}_arange1000", "sort", [ARANGE(1000, dt, [1000])],
                OKW("sort", -1))
        fam.add(f"argsort_{dt}_arange1000", "argsort", [ARANGE(1000, dt, [1000])],
                OKW("argsort", -1))
    fam.add("argsort_int32_arange100x10_ax0", "argsort",
            [ARANGE(1000, "int32", [100, 10])], OKW("argsort", 0))
    fam.add("argsort_uint8_arange1000_all", "argsort",
            [ARANGE(1000, "uint8", [10, 100])], OKW("argsort", None))
    fam.add("topk_int32_arange1000_k5", "topk", [ARANGE(1000, "int32", [1000])],
            OKW("topk", -1, 5))
    fam.add("partition_int32_arange1000_kth500", "partition",
            [ARANGE(1000, "int32", [1000])], OKW("partition", -1, 500))
    fam.add("median_float32_arange1000", "median",
            [ARANGE(1000, "float32", [1000])], OKW("median", None))
    fam.add("median_int8_arange1000", "median",
            [ARANGE(1000, "int8", [1000])], OKW("median", None))


def sort_median(fam):
    """median: dtype, midpoint arithmetic, NaN."""
    for dt in INTS:
        lo, hi = imin(dt), imax(dt)
        fam.add(f"median_{dt}_max_max", "median", [A(dt, [hi, hi])],
                OKW("median", None))
        fam.add(f"median_{dt}_max_min", "median", [A(dt, [lo, hi])],
                OKW("median", None))
        fam.add(f"median_{dt}_1_2", "median", [A(dt, [1, 2])], OKW("median", None))
        fam.add(f"median_{dt}_3_0_1_2", "median", [A(dt, [3, 0, 1, 2])],
                OKW("median", None))
    fam.add("median_bool_tf", "median", [A("bool", [True, False])],
            OKW("median", None))
    fam.add("median_bool_ttf", "median", [A("bool", [True, False, True])],
            OKW("median", None))
    fam.add("median_float16_big", "median", [A("float16", [60000.0, 65504.0])],
            OKW("median", None))
    fam.add("median_bfloat16_big", "median", [A("bfloat16", [3e38, 3e38])],
            OKW("median", None))
    fam.add("median_float32_big", "median", [A("float32", [3e38, 3e38])],
            OKW("median", None))
    fam.add("median_float32_inf_ninf2", "median", [A("float32", [INF, -INF])],
            OKW("median", None))
    fam.add("median_float32_inf_inf", "median", [A("float32", [INF, INF, 1.0, 2.0])],
            OKW("median", None))
    fam.add("median_float32_third", "median", [A("float32", [0.1, 0.2])],
            OKW("median", None))
    fam.add("median_float16_third", "median", [A("float16", [0.1, 0.2])],
            OKW("median", None))
    fam.add("median_complex64_even", "median",
            [A("complex64", [1 + 1j, 3 - 1j, 2 + 5j, 0j])], OKW("median", None))


def sort_empty(fam):
    E = [("e0", [0], -1, None), ("e0_all", [0], None, None),
         ("e2x0_ax1", [2, 0], 1, None), ("e2x0_ax0", [2, 0], 0, None),
         ("e0x3_ax0", [0, 3], 0, None), ("e0x3_ax1", [0, 3], 1, None),
         ("e2x0_all", [2, 0], None, None)]
    for tag, shape, axis, _ in E:
        for dt in ("float32", "int32"):
            x = A(dt, [], shape)
            add = lambda *a: fam.add(*a, fresh=True, retries=5, timeout=5)  # noqa: E731
            for op in SORTS:
                add(f"{op}_{dt}_{tag}", op, [x], OKW(op, axis))
            for op in PARTS:
                add(f"{op}_{dt}_{tag}_kth0", op, [x], OKW(op, axis, 0))
            add(f"topk_{dt}_{tag}_k0", "topk", [x], OKW("topk", axis, 0))
            add(f"topk_{dt}_{tag}_k1", "topk", [x], OKW("topk", axis, 1))
            add(f"median_{dt}_{tag}", "median", [x], OKW("median", axis))
    fam.add("topk_float32_k0", "topk", [A("float32", [1.0, 2.0])], OKW("topk", -1, 0))
    fam.add("topk_float32_3x4_ax0_k0", "topk", [R("sort", "float32", [3, 4])],
            OKW("topk", 0, 0))


def sort_errors(fam):
    x = A("float32", [4.0, 1.0, 3.0, 2.0, 6.0, 5.0], [2, 3])
    z = A("float32", [1.5], [])
    for op in SORTS:
        for axis in (2, -3):
            fam.add(f"{op}_err_{axname(axis)}", op, [x], OKW(op, axis))
        fam.add(f"{op}_err_0d_axm1", op, [z], OKW(op, -1))
        fam.add(f"{op}_err_0d_ax0", op, [z], OKW(op, 0))
    for op in PARTS:
        for kth in (3, 4, -4, 100):
            fam.add(f"{op}_err_kth{kth}".replace("-", "m"), op, [x],
                    OKW(op, -1, kth))
        fam.add(f"{op}_kthm2", op, [x], OKW(op, -1, -2))
        fam.add(f"{op}_kthm3", op, [x], OKW(op, -1, -3))
        fam.add(f"{op}_err_ax0_kth2", op, [x], OKW(op, 0, 2))
        fam.add(f"{op}_ax0_kthm2", op, [x], OKW(op, 0, -2))
        fam.add(f"{op}_err_all_kth6", op, [x], OKW(op, None, 6))
        fam.add(f"{op}_all_kthm6", op, [x], OKW(op, None, -6))
        fam.add(f"{op}_err_all_kthm7", op, [x], OKW(op, None, -7))
        fam.add(f"{op}_err_ax2", op, [x], OKW(op, 2, 0))
        fam.add(f"{op}_err_axm3", op, [x], OKW(op, -3, 0))
        fam.add(f"{op}_err_0d_axm1", op, [z], OKW(op, -1, 0))
    for k in (4, 7, -1, -3):
        fam.add(f"topk_err_k{k}".replace("-", "m"), "topk", [x], OKW("topk", -1, k))
    fam.add("topk_err_ax0_k3", "topk", [x], OKW("topk", 0, 3))
    fam.add("topk_err_all_k7", "topk", [x], OKW("topk", None, 7))
    fam.add("topk_all_k6", "topk", [x], OKW("topk", None, 6))
    fam.add("topk_err_ax2", "topk", [x], OKW("topk", 2, 1))
    fam.add("topk_err_axm3", "topk", [x], OKW("topk", -3, 1))
    fam.add("topk_err_0d_axm1", "topk", [z], OKW("topk", -1, 1))
    fam.add("topk_err_0d_all_k2", "topk", [z], OKW("topk", None, 2))
    for tag, axis in (("ax2", 2), ("axm3", -3), ("ax0_0", [0, 0]),
                      ("ax1_m1", [1, -1]), ("ax0_2", [0, 2]), ("axes_empty", [])):
        # axis=[] on >= 1-d raises "[flatten] ..." (MLX bug: numpy returns x)
        fam.add(f"median_err_{tag}" if tag != "axes_empty" else f"median_{tag}_bug",
                "median", [x], OKW("median", axis))
    fam.add("median_err_0d_ax0", "median", [z], OKW("median", 0))
    fam.add("median_0d_axes_empty", "median", [z], OKW("median", []))


# ======================================================================= main

SCAN_FAMILIES = [scan_sweep, scan_flags, scan_noncontig, scan_large, scan_empty,
                 scan_special, scan_overflow, scan_dtype_kw, scan_errors]
SORT_FAMILIES = [sort_sweep, sort_axes, sort_stability, sort_special,
                 sort_noncontig, sort_large, sort_median, sort_empty, sort_errors]


def main():
    runner = Runner(ops_module="gen_scan_sort")
    crashes = []
    for fname, gens in (("scan.json", SCAN_FAMILIES), ("sort.json", SORT_FAMILIES)):
        fam = Family(runner, fname)
        for gen in gens:
            reseed(gen.__name__)
            gen(fam)
        path, n = fam.write(OUTDIR)
        nerr = sum(1 for c in fam.cases if "error" in c)
        print(f"{os.path.relpath(path, ROOT)}: {n} cases ({nerr} errors), "
              f"{os.path.getsize(path)} bytes")
    runner.close()
    crashes = runner.crashes
    if crashes:
        print(f"{len(crashes)} cases crashed MLX and were left out:")
        for fname, name, rc in crashes:
            print(f"  {fname}: {name} (exit {rc})")


if __name__ == "__main__":
    main()
