#!/usr/bin/env python3
"""Generate golden test data for the foundation ops of `mx` from real MLX.

Writes tests/golden/foundation/*.json (format described in README.md).
Usage: python3 scripts/golden/gen_foundation.py
"""

import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlx.core as mx  # noqa: E402
from common import (  # noqa: E402
    A, S, ARANGE, DTYPES, FLOATS, SIGNED, UNSIGNED, INTS, BITS, imin, imax,
    Family, Runner, MLX_VERSION, dec_value,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "tests", "golden", "foundation")

NAN = float("nan")
INF = float("inf")

SEED = 20240601
RNG = np.random.default_rng(SEED)


def reseed(tag):
    """Each family gets its own fixed seed, so a partial run is identical."""
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])

assert mx.__version__ == MLX_VERSION, mx.__version__


def rand_vals(dt, n):
    """Deterministic random values suitable for dtype `dt`."""
    if dt == "bool":
        return [bool(v) for v in RNG.integers(0, 2, n)]
    if dt in UNSIGNED:
        return [int(v) for v in RNG.integers(0, 50, n)]
    if dt in SIGNED:
        return [int(v) for v in RNG.integers(-50, 50, n)]
    if dt == "complex64":
        return [complex(round(float(r), 2), round(float(i), 2))
                for r, i in zip(RNG.normal(size=n) * 3, RNG.normal(size=n) * 3)]
    return [round(float(v), 3) for v in RNG.normal(size=n) * 3]


# ====================================================================== unary

UNARY_OPS = [
    "abs", "negative", "sign", "sqrt", "rsqrt", "square", "reciprocal", "exp",
    "expm1", "log", "log1p", "log2", "log10", "sin", "cos", "tan", "arcsin",
    "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh",
    "arctanh", "sigmoid", "erf", "erfinv", "floor", "ceil", "logical_not",
    "bitwise_invert", "isnan", "isinf", "isfinite", "isposinf", "isneginf",
    "degrees", "radians", "real", "imag", "conj",
]
if hasattr(mx, "exp2"):
    UNARY_OPS.insert(UNARY_OPS.index("expm1"), "exp2")

FLOAT_UNARY = [-2.5, -1.5, -1.0, -0.5, -0.0, 0.0, 1e-4, 0.25, 0.5, 1.0, 1.5,
               2.0, 2.5, 3.7, -3.7, 12.0, 100.0, NAN, INF, -INF]
COMPLEX_UNARY = [1 + 2j, -1.5 + 0.5j, 0j, -2.5 - 1j, 0.5 + 0j, -3j,
                 2.5 + 2.5j, 1 + 0j]
COMPLEX_SPECIAL = [complex(NAN, 1.0), complex(1.0, NAN), complex(INF, 0.0),
                   complex(-INF, 1.0), complex(0.0, INF), complex(2.0, -INF)]
COMPLEX_SPECIAL_OPS = ["abs", "negative", "sign", "isnan", "isinf",
                       "isfinite", "isposinf", "isneginf", "real", "imag",
                       "conj", "logical_not"]


def unary_vals(dt):
    if dt == "bool":
        return [True, False, True, False]
    if dt in UNSIGNED:
        return [0, 1, 2, 3, 5, 7, 100, imax(dt) // 2 + 1, imax(dt)]
    if dt in SIGNED:
        return [imin(dt), -100, -7, -2, -1, 0, 1, 2, 3, 7, 100, imax(dt)]
    if dt == "complex64":
        return COMPLEX_UNARY
    return FLOAT_UNARY


def round_vals(dt):
    if dt == "bool":
        return [True, False]
    if dt in UNSIGNED:
        return [0, 5, 15, 25, 35, 125, imax(dt)]
    if dt in SIGNED:
        return [imin(dt), -25, -15, -5, 0, 5, 15, 25, 35, 125, imax(dt)]
    if dt == "complex64":
        return [0.5 + 1.5j, 2.5 - 0.25j, 1.25 + 0.35j, -2.5 + 15j]
    return [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.25, 0.75, 1.25, 0.125, 0.35,
            2.675, 15.0, 25.0, -25.0, 35.0, 123.456, NAN, INF, -INF]


NAN_TO_NUM_KW = {
    "default": {"nan": 0.0, "posinf": None, "neginf": None},
    "custom": {"nan": 1.5, "posinf": 100.0, "neginf": -100.0},
}


def gen_unary(fam):
    for op in UNARY_OPS:
        for dt in DTYPES:
            fam.add(f"{op}_{dt}", op, [A(dt, unary_vals(dt))])
    for op in COMPLEX_SPECIAL_OPS + ["nan_to_num"]:
        kw = NAN_TO_NUM_KW["default"] if op == "nan_to_num" else {}
        fam.add(f"{op}_complex64_special", op, [A("complex64", COMPLEX_SPECIAL)], kw)
    for d in (0, 1, 2, -1):
        for dt in DTYPES:
            fam.add(f"round_d{d}_{dt}", "round", [A(dt, round_vals(dt))],
                    {"decimals": d})
    for variant, kw in NAN_TO_NUM_KW.items():
        for dt in DTYPES:
            fam.add(f"nan_to_num_{variant}_{dt}", "nan_to_num",
                    [A(dt, unary_vals(dt))], kw)
    # 0-d, empty and non-contiguous inputs for a representative subset
    sub = {
        "float32": (2.5, [-2.5, -1.5, -1.0, -0.5, 0.0, 0.25, 0.5, 1.0, 1.5,
                          2.0, 2.5, 3.7]),
        "int32": (-3, [-7, -2, -1, 0, 1, 2, 3, 7, 100, -100, 5, 9]),
    }
    all_ops = UNARY_OPS + ["round", "nan_to_num"]
    for op in all_ops:
        kw = {}
        if op == "round":
            kw = {"decimals": 1}
        elif op == "nan_to_num":
            kw = NAN_TO_NUM_KW["default"]
        for dt, (scalar, vals12) in sub.items():
            fam.add(f"{op}_{dt}_0d", op, [A(dt, [scalar], [])], kw)
            fam.add(f"{op}_{dt}_empty0", op, [A(dt, [], [0])], kw)
            fam.add(f"{op}_{dt}_empty2x0", op, [A(dt, [], [2, 0])], kw)
            fam.add(f"{op}_{dt}_transpose", op,
                    [A(dt, vals12, [3, 4], "transpose")], kw)
            fam.add(f"{op}_{dt}_flip0", op, [A(dt, vals12, [12], "flip0")], kw)
            fam.add(f"{op}_{dt}_step2", op,
                    [A(dt, vals12, [4, 3], "step2")], kw)


# ===================================================================== binary

BINARY_OPS = [
    "add", "subtract", "multiply", "divide", "floor_divide", "remainder",
    "divmod", "power", "maximum", "minimum", "arctan2", "logaddexp", "equal",
    "not_equal", "less", "less_equal", "greater", "greater_equal",
    "logical_and", "logical_or", "bitwise_and", "bitwise_or", "bitwise_xor",
    "left_shift", "right_shift",
]
DIV_OPS = ["divide", "floor_divide", "remainder", "divmod", "power"]

FLOAT_PAIRS = [
    (1.5, 2.0), (-1.5, 2.0), (7.0, -2.0), (-7.0, 2.0), (-7.0, -2.0),
    (7.5, 2.0), (0.0, 3.0), (-0.0, 3.0), (5.0, 0.0), (-5.0, 0.0), (0.0, 0.0),
    (NAN, 1.0), (1.0, NAN), (INF, 1.0), (-INF, 2.0), (INF, INF),
    (INF, -INF), (2.0, 0.5), (-8.0, 1.0 / 3.0), (-8.0, 0.5), (0.5, -1.0),
    (3.0, 3.0), (300.0, 300.0), (-0.0, 0.0),
]
COMPLEX_PAIRS = [
    (1 + 2j, 3 - 1j), (-1.5 + 0.5j, 2 + 0j), (0j, 1j), (2 + 2j, 0j),
    (-1 + 0j, 0.5 + 0j), (3 + 4j, 3 + 4j), (1 + 0j, 2 + 0j), (-2 - 1j, 1 + 1j),
    (1 + 1j, 1 - 1j), (0.5 - 2j, -0.5 + 2j),
]


def binary_pairs(dt):
    if dt == "bool":
        return [(True, True), (True, False), (False, True), (False, False)]
    if dt in SIGNED:
        lo, hi, b = imin(dt), imax(dt), BITS[dt]
        return [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (3, 1), (-3, 1),
                (1, b - 1), (1, b), (1, b + 1), (-8, -1), (-8, 2), (-1, b + 1),
                (hi, 1), (lo, 1), (hi, 2), (lo, 2), (100, 100), (2, -1),
                (5, 3), (hi, hi), (lo, hi)]
    if dt in UNSIGNED:
        hi, b = imax(dt), BITS[dt]
        return [(7, 2), (0, 3), (3, 1), (1, b - 1), (1, b), (1, b + 1),
                (1, 2 * b), (0, 1), (hi, 1), (hi, 2), (hi, hi), (100, 100),
                (5, 3), (6, 4), (hi // 2 + 1, 2)]
    if dt == "complex64":
        return COMPLEX_PAIRS
    return FLOAT_PAIRS


def pair_args(dt_a, pairs, dt_b=None):
    dt_b = dt_b or dt_a
    return [A(dt_a, [p[0] for p in pairs]), A(dt_b, [p[1] for p in pairs])]


MIXED = [("int32", "float32"), ("uint8", "int8"), ("int64", "float16"),
         ("uint64", "int64"), ("bool", "int32"), ("float16", "bfloat16"),
         ("int32", "complex64"), ("uint32", "int32"), ("int8", "uint16"),
         ("bool", "float32"), ("uint8", "bfloat16"), ("float64", "float32")]
MIXED_OPS = ["add", "subtract", "multiply", "divide", "floor_divide",
             "remainder", "power", "maximum", "equal", "less", "bitwise_and",
             "left_shift", "logical_and", "arctan2"]


def mixed_vals(dt):
    return {"bool": [True, False, True, False],
            "complex64": [1 + 1j, -2 + 0.5j, 3 + 0j, 0.5 - 1j]}.get(
        dt, [3, 5, 2, 7] if dt in UNSIGNED else
        ([-3, 5, 2, 7] if dt in SIGNED else [-3.5, 5.0, 2.25, 7.0]))


def shift_is_ub(dt, a, b):
    """C++ UB for shifts: count < 0 or >= bit width of the promoted type
    (8/16-bit operands are promoted to int), or left-shifting into/out of
    the sign bit of a signed 32/64-bit value."""
    if dt == "bool":
        return False
    width = max(BITS[dt], 32)
    return b < 0 or b >= width


def gen_binary(fam):
    for op in BINARY_OPS:
        for dt in DTYPES:
            pairs = binary_pairs(dt)
            if op in ("left_shift", "right_shift") and dt in INTS:
                ok = [p for p in pairs if not shift_is_ub(dt, *p)]
                ub = [p for p in pairs if shift_is_ub(dt, *p)]
                fam.add(f"{op}_{dt}", op, pair_args(dt, ok))
                fam.add(f"{op}_{dt}_ub", op, pair_args(dt, ub))
                continue
            fam.add(f"{op}_{dt}", op, pair_args(dt, pairs))
            if op in DIV_OPS:
                if dt == "bool":
                    fam.add(f"{op}_{dt}_nonzero", op,
                            pair_args(dt, [(True, True), (False, True)]))
                elif dt in SIGNED:
                    lo, hi = imin(dt), imax(dt)
                    fam.add(f"{op}_{dt}_divzero", op, pair_args(
                        dt, [(5, 0), (-5, 0), (0, 0), (hi, 0), (lo, 0), (1, 0)]))
                    fam.add(f"{op}_{dt}_min_neg1", op, pair_args(
                        dt, [(lo, -1), (7, -1), (-7, -1)]))
                    fam.add(f"{op}_{dt}_0d_divzero", op,
                            [A(dt, [5], []), A(dt, [0], [])])
                elif dt in UNSIGNED:
                    fam.add(f"{op}_{dt}_divzero", op, pair_args(
                        dt, [(5, 0), (0, 0), (imax(dt), 0), (1, 0)]))
                    fam.add(f"{op}_{dt}_0d_divzero", op,
                            [A(dt, [5], []), A(dt, [0], [])])
    # broadcasting
    bops = ["add", "subtract", "divide", "maximum", "less", "power",
            "bitwise_and"]
    for op in bops:
        for dt in ("float32", "int32"):
            if op == "bitwise_and" and dt == "float32":
                continue
            v = lambda n: rand_vals(dt, n)  # noqa: E731
            shapes = [
                ("3x1_1x4", [3, 1], [1, 4]), ("2x3_3", [2, 3], [3]),
                ("0d_2x2", [], [2, 2]), ("2x2_0d", [2, 2], []),
                ("0x3_3", [0, 3], [3]), ("1_0", [1], [0]),
                ("2x1x3_4x1", [2, 1, 3], [4, 1]),
                ("err_3_4", [3], [4]), ("err_2x3_3x2", [2, 3], [3, 2]),
                ("err_0_2", [0], [2]),
            ]
            for tag, sa, sb in shapes:
                na, nb = int(np.prod(sa)), int(np.prod(sb))
                va, vb = v(na), v(nb)
                if op in ("divide", "power") and dt == "int32":
                    vb = [abs(x) % 4 + 1 for x in vb]
                fam.add(f"{op}_{dt}_bcast_{tag}", op, [A(dt, va, sa), A(dt, vb, sb)])
    # non-contiguous inputs
    nops = ["add", "subtract", "divide", "maximum", "less", "power", "remainder"]
    for op in nops:
        for dt in ("float32", "int32", "float16", "uint8"):
            def v(n):
                vals = rand_vals(dt, n)
                if dt in INTS and op in ("divide", "power", "remainder"):
                    vals = [abs(x) % 5 + 1 for x in vals]
                return vals
            fam.add(f"{op}_{dt}_noncontig_T_c", op,
                    [A(dt, v(12), [3, 4], "transpose"), A(dt, v(12), [4, 3])])
            fam.add(f"{op}_{dt}_noncontig_flip_step", op,
                    [A(dt, v(6), [6], "flip0"), A(dt, v(12), [12], "step2")])
            fam.add(f"{op}_{dt}_noncontig_T_T", op,
                    [A(dt, v(6), [2, 3], "transpose"), A(dt, v(6), [2, 3], "transpose")])
            fam.add(f"{op}_{dt}_noncontig_bcast", op,
                    [A(dt, v(12), [4, 3], "step2"), A(dt, v(3), [3], "flip0")])
    # mixed dtypes
    for op in MIXED_OPS:
        for da, db in MIXED:
            fam.add(f"{op}_mixed_{da}_{db}", op,
                    [A(da, mixed_vals(da)), A(db, mixed_vals(db))])
            fam.add(f"{op}_mixed_{db}_{da}", op,
                    [A(db, mixed_vals(db)), A(da, mixed_vals(da))])


# ==================================================================== ternary

def gen_ternary(fam):
    c4 = A("bool", [True, False, True, False])
    fam.add("where_float32_nan", "where",
            [c4, A("float32", [1.0, 2.0, 3.0, 4.0]), A("float32", [-1.0, -2.0, NAN, -4.0])])
    for dt in DTYPES:
        fam.add(f"where_{dt}", "where",
                [c4, A(dt, rand_vals(dt, 4)), A(dt, rand_vals(dt, 4))])
    fam.add("where_bcast_cond3x1_x1x4_y0d", "where",
            [A("bool", [True, False, True], [3, 1]),
             A("float32", [1.0, 2.0, 3.0, 4.0], [1, 4]), A("float32", [9.0], [])])
    fam.add("where_bcast_cond4_x2x4", "where",
            [c4, A("int32", list(range(8)), [2, 4]), A("int32", [-1], [1])])
    fam.add("where_mixed_int32_float32", "where",
            [c4, A("int32", [1, 2, 3, 4]), A("float32", [0.5, 1.5, 2.5, 3.5])])
    fam.add("where_mixed_uint8_int8", "where",
            [c4, A("uint8", [1, 200, 3, 4]), A("int8", [-1, -2, -3, -4])])
    fam.add("where_mixed_float16_bfloat16", "where",
            [c4, A("float16", [1.5, 2.5, 3.5, 4.5]), A("bfloat16", [-1.5, -2.5, -3.5, -4.5])])
    fam.add("where_scalar_int_float", "where", [c4, S(1), S(2.5)])
    fam.add("where_scalar_int_int", "where", [c4, S(1), S(-2)])
    fam.add("where_scalar_bool_bool", "where", [c4, S(True), S(False)])
    fam.add("where_uint8_scalar_int", "where", [c4, A("uint8", [1, 2, 3, 4]), S(7)])
    fam.add("where_uint8_scalar_300", "where", [c4, A("uint8", [1, 2, 3, 4]), S(300)])
    fam.add("where_uint8_scalar_neg1", "where", [c4, A("uint8", [1, 2, 3, 4]), S(-1)])
    fam.add("where_float16_scalar_float", "where", [c4, A("float16", [1, 2, 3, 4]), S(0.1)])
    fam.add("where_int32_scalar_float", "where", [c4, A("int32", [1, 2, 3, 4]), S(0.5)])
    fam.add("where_bfloat16_scalar_int", "where", [c4, S(3), A("bfloat16", [1, 2, 3, 4])])
    fam.add("where_cond_int32", "where",
            [A("int32", [0, 1, 2, -1]), A("float32", [1, 2, 3, 4]), A("float32", [5, 6, 7, 8])])
    fam.add("where_cond_float32_nan", "where",
            [A("float32", [0.0, NAN, -0.0, 0.5]), A("int32", [1, 2, 3, 4]), A("int32", [5, 6, 7, 8])])
    fam.add("where_cond_scalar_true", "where", [S(True), A("float32", [1, 2]), A("float32", [3, 4])])
    fam.add("where_cond_scalar_int0", "where", [S(0), A("int32", [1, 2]), A("int32", [3, 4])])
    fam.add("where_noncontig", "where",
            [A("bool", [True, False, False, True, True, False], [2, 3], "transpose"),
             A("float32", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [6, 2], "step2"),
             A("float32", [-1, -2, -3, -4, -5, -6], [3, 2], "flip0")])
    fam.add("where_empty", "where",
            [A("bool", [], [0]), A("float32", [], [0]), A("float32", [1.0], [1])])
    fam.add("where_err_shapes", "where",
            [A("bool", [True, False, True]), A("float32", [1, 2, 3, 4]), A("float32", [1.0])])

    # clip
    xf = A("float32", [-3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0, NAN, INF, -INF])
    xi = A("int32", [-300, -3, -1, 0, 1, 2, 3, 300])
    xu = A("uint8", [0, 1, 2, 3, 100, 255])
    cases = [
        ("clip_float32_scalars", xf, S(-1.0), S(1.0)),
        ("clip_float32_int_scalars", xf, S(-1), S(1)),
        ("clip_float32_min_only", xf, S(0.0), None),
        ("clip_float32_max_only", xf, None, S(0.0)),
        ("clip_float32_none_none", xf, None, None),
        ("clip_float32_min_gt_max", xf, S(1.0), S(-1.0)),
        ("clip_float32_nan_bound", xf, S(NAN), S(1.0)),
        ("clip_int32_int_scalars", xi, S(-2), S(2)),
        ("clip_int32_float_scalars", xi, S(-1.5), S(2.5)),
        ("clip_uint8_neg_min", xu, S(-1), S(200)),
        ("clip_uint8_300_max", xu, S(2), S(300)),
        ("clip_int32_array_bounds", A("int32", list(range(-6, 6)), [3, 4]),
         A("int32", [-1, -2, -3, -4], [4]), A("int32", [1, 2, 3], [3, 1])),
        ("clip_float32_array_bounds_mixed", A("float32", [-2.5, 0.5, 2.5, 9.0], [4]),
         A("int32", [0], [1]), A("float16", [2.0, 1.0, 3.0, 4.0])),
        ("clip_float16_float_scalars", A("float16", [-2.0, 0.1, 5.0, 70000.0 / 2]),
         S(0.0), S(1000.5)),
        ("clip_bfloat16_scalars", A("bfloat16", [-2.0, 0.1, 5.0]), S(-0.5), S(0.5)),
        ("clip_bool", A("bool", [True, False]), S(0), S(1)),
        ("clip_noncontig", A("float32", rand_vals("float32", 12), [3, 4], "transpose"),
         S(-1.0), S(1.0)),
        ("clip_err_bcast", A("float32", [1, 2, 3]), A("float32", [0, 0]), None),
        ("clip_complex64", A("complex64", [1 + 1j, -2 + 0j, 3 - 3j]),
         S(0.0), S(2.0)),
    ]
    for name, x, lo, hi in cases:
        fam.add(name, "clip", [x], {"a_min": lo, "a_max": hi})


# ==================================================================== compare

def gen_compare(fam):
    a = A("float32", [1.0, 1.0, 1.0, 0.0, NAN, INF, -INF, INF, 1e10, 1e-9])
    b = A("float32", [1.0, 1.000001, 1.001, 1e-9, NAN, INF, INF, 1e38, 1.00001e10, 0.0])
    tol_sets = [("default", 1e-5, 1e-8), ("loose", 1e-2, 1e-3), ("zero", 0.0, 0.0)]
    for op in ("isclose", "allclose"):
        for tname, rtol, atol in tol_sets:
            for en in (False, True):
                fam.add(f"{op}_float32_{tname}_nan{int(en)}", op, [a, b],
                        {"rtol": rtol, "atol": atol, "equal_nan": en})
        kw = {"rtol": 1e-5, "atol": 1e-8, "equal_nan": False}
        fam.add(f"{op}_same_no_nan", op,
                [A("float32", [1.0, 2.0, 3.0]), A("float32", [1.0, 2.0, 3.0000001])], kw)
        fam.add(f"{op}_float16_float32", op,
                [A("float16", [0.1, 1.0, 1000.0]), A("float32", [0.1, 1.0, 1000.0])], kw)
        fam.add(f"{op}_bfloat16_float32", op,
                [A("bfloat16", [0.1, 1.0, 3.14159]), A("float32", [0.1, 1.0, 3.14159])],
                {"rtol": 1e-2, "atol": 0.0, "equal_nan": False})
        fam.add(f"{op}_int32_float32", op,
                [A("int32", [1, 2, 3]), A("float32", [1.0, 2.0, 3.00001])], kw)
        fam.add(f"{op}_int32_int32", op,
                [A("int32", [1, 2, 100000]), A("int32", [1, 3, 100001])], kw)
        fam.add(f"{op}_uint8_int8", op,
                [A("uint8", [1, 2, 255]), A("int8", [1, 2, -1])], kw)
        fam.add(f"{op}_bool_bool", op,
                [A("bool", [True, False]), A("bool", [True, True])], kw)
        fam.add(f"{op}_float64", op,
                [A("float64", [1.0, 1.0 + 1e-12, NAN]), A("float64", [1.0, 1.0, NAN])],
                {"rtol": 1e-5, "atol": 1e-8, "equal_nan": True})
        fam.add(f"{op}_complex64", op,
                [A("complex64", [1 + 1j, 2 + 0j]), A("complex64", [1 + 1j, 2 + 1e-9j])], kw)
        fam.add(f"{op}_bcast_2x3_3", op,
                [A("float32", [1, 2, 3, 1, 2, 4], [2, 3]), A("float32", [1, 2, 3])], kw)
        fam.add(f"{op}_bcast_0d", op,
                [A("float32", [1, 1, 1.0000001, 2], [2, 2]), A("float32", [1.0], [])], kw)
        fam.add(f"{op}_empty", op, [A("float32", [], [0]), A("float32", [], [0])], kw)
        fam.add(f"{op}_err_shapes", op,
                [A("float32", [1, 2, 3]), A("float32", [1, 2])], kw)
        fam.add(f"{op}_noncontig", op,
                [A("float32", [1, 2, 3, 4, 5, 6], [2, 3], "transpose"),
                 A("float32", [1, 4, 2, 5, 3, 6], [3, 2])], kw)
        fam.add(f"{op}_neg_tol", op,
                [A("float32", [1.0, 2.0]), A("float32", [1.0, 2.5])],
                {"rtol": -1.0, "atol": 0.0, "equal_nan": False})

    eq = [
        ("same", A("float32", [1, 2, 3]), A("float32", [1, 2, 3])),
        ("diff_value", A("float32", [1, 2, 3]), A("float32", [1, 2, 4])),
        ("diff_shape", A("float32", [1, 2, 3]), A("float32", [1, 2, 3, 4])),
        ("bcastable_shape", A("float32", [1, 1, 1], [3]), A("float32", [1], [1])),
        ("diff_shape_2x2_4", A("int32", [1, 2, 3, 4], [2, 2]), A("int32", [1, 2, 3, 4])),
        ("int32_float32", A("int32", [1, 2, 3]), A("float32", [1, 2, 3])),
        ("uint8_int8_neg", A("uint8", [255]), A("int8", [-1])),
        ("bool_int32", A("bool", [True, False]), A("int32", [1, 0])),
        ("nan", A("float32", [1, NAN]), A("float32", [1, NAN])),
        ("nan_vs_num", A("float32", [1, NAN]), A("float32", [1, 2])),
        ("inf", A("float32", [INF, -INF]), A("float32", [INF, -INF])),
        ("signed_zero", A("float32", [0.0]), A("float32", [-0.0])),
        ("float16_float32", A("float16", [0.1]), A("float32", [0.1])),
        ("empty", A("float32", [], [0]), A("float32", [], [0])),
        ("empty_diff_shape", A("float32", [], [0]), A("float32", [], [0, 2])),
        ("0d_vs_1", A("float32", [1.0], []), A("float32", [1.0], [1])),
        ("noncontig", A("int32", [1, 2, 3, 4], [2, 2], "transpose"),
         A("int32", [1, 3, 2, 4], [2, 2])),
        ("complex", A("complex64", [1 + 2j, NAN + 0j]), A("complex64", [1 + 2j, NAN + 0j])),
        ("scalar_int", S(1), A("int32", [1])),
    ]
    for tag, x, y in eq:
        for en in (False, True):
            fam.add(f"array_equal_{tag}_nan{int(en)}", "array_equal", [x, y],
                    {"equal_nan": en})


# =================================================================== creation

def gen_creation(fam):
    for op in ("zeros", "ones"):
        for dt in DTYPES:
            fam.add(f"{op}_{dt}", op, [], {"shape": [2, 3], "dtype": dt})
        fam.add(f"{op}_0d", op, [], {"shape": [], "dtype": "float32"})
        fam.add(f"{op}_empty", op, [], {"shape": [0, 3], "dtype": "int32"})
        fam.add(f"{op}_err_negative", op, [], {"shape": [2, -1], "dtype": "float32"})
    full_cases = [
        ("int_nodtype", [2, 2], S(3), None),
        ("float_nodtype", [2, 2], S(2.5), None),
        ("bool_nodtype", [3], S(True), None),
        ("float_to_int32", [3], S(2.7), "int32"),
        ("negfloat_to_uint8", [3], S(-1.5), "uint8"),
        ("int_to_float16", [2], S(70000), "float16"),
        ("int300_to_uint8", [2], S(300), "uint8"),
        ("nan_to_int32", [2], S(NAN), "int32"),
        ("inf_float32", [2], S(INF), "float32"),
        ("array_bcast", [2, 3], A("int32", [1, 2, 3]), None),
        ("array_bcast_dtype", [2, 3], A("int32", [1, 2, 3]), "float16"),
        ("array_0d", [2], A("float32", [1.5], []), None),
        ("complex_from_float", [2], S(1.5), "complex64"),
        ("bfloat16", [2, 2], S(0.1), "bfloat16"),
        ("empty", [0, 2], S(1), None),
        ("0d", [], S(7), "int64"),
        ("err_bcast", [2, 3], A("int32", [1, 2]), None),
        ("err_negative", [-1], S(1.0), None),
    ]
    for tag, shape, v, dt in full_cases:
        fam.add(f"full_{tag}", "full", [v], {"shape": shape, "dtype": dt})
    for op in ("zeros_like", "ones_like"):
        for dt in DTYPES:
            fam.add(f"{op}_{dt}", op, [A(dt, rand_vals(dt, 6), [2, 3])])
        fam.add(f"{op}_noncontig", op, [A("int8", [1, 2, 3, 4, 5, 6], [2, 3], "transpose")])
        fam.add(f"{op}_0d", op, [A("float16", [1.5], [])])
    ar = [
        ("stop_int", None, 5, None, None),
        ("stop_float", None, 5.0, None, None),
        ("start_stop_int", 2, 7, None, None),
        ("start_stop_step_int", 0, 10, 3, None),
        ("neg_step_int", 10, 0, -3, None),
        ("float_step", 0, 1, 0.1, None),
        ("float_step_neg", 1.0, 0.0, -0.25, None),
        ("float_start", 0.5, 4, None, None),
        ("float_start_int_step", 0.5, 4, 1, None),
        ("empty_int", 5, 2, None, None),
        ("empty_float", 5.0, 2.0, 0.5, None),
        ("empty_neg_step_wrong_dir", 0, 5, -1, None),
        ("zero_len", 3, 3, None, None),
        ("dtype_float32", 0, 5, None, "float32"),
        ("dtype_int8", 0, 5, None, "int8"),
        ("dtype_uint8_neg", -2, 3, None, "uint8"),
        ("dtype_float16", 0, 2, 0.3, "float16"),
        ("dtype_bfloat16", 0, 2, 0.3, "bfloat16"),
        ("dtype_float64", 0, 1, 0.1, "float64"),
        ("dtype_int32_float_step", 0, 3, 0.5, "int32"),
        ("dtype_int64", -3, 3, None, "int64"),
        ("dtype_bool", 0, 2, None, "bool"),
        ("dtype_complex64", 0, 3, None, "complex64"),
        ("float_step_noninteger_count", 0.0, 1.0, 0.3, None),
        ("large_start", 1e8, 1e8 + 4, 1, None),
        ("negative_float", -1.5, 1.5, 0.5, None),
        ("err_step0_int", 0, 5, 0, None),
        ("err_step0_float", 0.0, 5.0, 0.0, None),
        ("err_inf", 0.0, INF, 1.0, None),
        ("err_nan", 0.0, NAN, None, None),
    ]
    for tag, start, stop, step, dt in ar:
        fam.add(f"arange_{tag}", "arange", [],
                {"start": start if not isinstance(start, float) else start,
                 "stop": stop, "step": step, "dtype": dt})
    ls = [
        ("basic", 0, 1, 5, None), ("float", 0.0, 1.0, 11, None),
        ("neg", 1.0, -1.0, 5, None), ("num1", 2.0, 5.0, 1, None),
        ("num0", 0, 1, 0, None), ("num2", 0, 1, 2, None),
        ("int32", 0, 10, 4, "int32"), ("float16", 0.0, 1.0, 7, "float16"),
        ("bfloat16", 0.0, 1.0, 7, "bfloat16"), ("float64", 0.0, 1.0, 7, "float64"),
        ("uint8", 0, 255, 6, "uint8"), ("err_neg_num", 0, 1, -1, None),
        ("same", 3.0, 3.0, 4, None), ("thirds", 0.0, 1.0, 4, None),
    ]
    for tag, start, stop, num, dt in ls:
        fam.add(f"linspace_{tag}", "linspace", [],
                {"start": start, "stop": stop, "num": num, "dtype": dt})
    eyes = [("3", 3, None, 0, None), ("3x4", 3, 4, 0, None), ("4x3_k1", 4, 3, 1, None),
            ("3x4_kneg1", 3, 4, -1, None), ("3_k5", 3, None, 5, None),
            ("3_int32", 3, None, 0, "int32"), ("2_bool", 2, None, 0, "bool"),
            ("0", 0, None, 0, None), ("2_complex", 2, None, 0, "complex64"),
            ("neg_n", -1, None, 0, None)]
    for tag, n, m, k, dt in eyes:
        fam.add(f"eye_{tag}", "eye", [], {"n": n, "m": m, "k": k, "dtype": dt})
        fam.add(f"tri_{tag}", "tri", [], {"n": n, "m": m, "k": k, "dtype": dt})
    for tag, n, dt in [("3", 3, None), ("2_float16", 2, "float16"), ("1_uint8", 1, "uint8"),
                       ("0", 0, None), ("err_neg", -2, None)]:
        fam.add(f"identity_{tag}", "identity", [], {"n": n, "dtype": dt})
    for op in ("tril", "triu"):
        x = A("int32", list(range(1, 13)), [3, 4])
        for k in (0, 1, -1, 5, -5):
            fam.add(f"{op}_3x4_k{k}", op, [x], {"k": k})
        fam.add(f"{op}_4x3_float32", op, [A("float32", rand_vals("float32", 12), [4, 3])], {"k": 0})
        fam.add(f"{op}_batched_2x2x3", op, [A("int16", list(range(12)), [2, 2, 3])], {"k": 0})
        fam.add(f"{op}_noncontig", op, [A("float32", rand_vals("float32", 12), [3, 4], "transpose")], {"k": 0})
        fam.add(f"{op}_bool", op, [A("bool", [True] * 9, [3, 3])], {"k": 0})
        fam.add(f"{op}_err_1d", op, [A("float32", [1, 2, 3])], {"k": 0})


# ====================================================================== views

def gen_views(fam):
    i24 = list(range(24))
    x234 = lambda dt="int32", view=None: A(dt, i24 if dt != "bool" else [i % 3 == 0 for i in i24], [2, 3, 4], view)  # noqa: E731
    for tag, shape in [("6x4", [6, 4]), ("neg1_first", [-1, 4]), ("neg1_last", [2, -1]),
                       ("flat", [24]), ("flat_neg1", [-1]), ("4d", [2, 3, 2, 2]),
                       ("err_size", [5, 5]), ("err_two_neg1", [-1, -1]),
                       ("err_neg1_nondiv", [-1, 5]), ("err_neg2", [-2, 12]),
                       ("zero_dim_err", [0, -1])]:
        fam.add(f"reshape_{tag}", "reshape", [x234()], {"shape": shape})
    fam.add("reshape_float16_T", "reshape", [x234("float16", "transpose")], {"shape": [4, 6]})
    fam.add("reshape_bool_flip", "reshape", [x234("bool", "flip0")], {"shape": [-1]})
    fam.add("reshape_0d_to_1", "reshape", [A("float32", [3.5], [])], {"shape": [1, 1]})
    fam.add("reshape_1_to_0d", "reshape", [A("float32", [3.5], [1])], {"shape": []})
    fam.add("reshape_empty", "reshape", [A("float32", [], [0, 3])], {"shape": [3, 0, 2]})
    fam.add("reshape_empty_neg1", "reshape", [A("float32", [], [0, 3])], {"shape": [-1, 3]})
    fam.add("reshape_step2", "reshape", [A("uint16", i24, [8, 3], "step2")], {"shape": [3, 4]})

    for tag, axes in [("none", None), ("102", [1, 0, 2]), ("201", [2, 0, 1]),
                      ("neg", [-1, -3, -2]), ("identity", [0, 1, 2]),
                      ("err_dup", [0, 0, 1]), ("err_len", [0, 1]), ("err_range", [0, 1, 3])]:
        fam.add(f"transpose_{tag}", "transpose", [x234()], {"axes": axes})
    fam.add("transpose_1d", "transpose", [A("float32", [1, 2, 3])], {"axes": None})
    fam.add("transpose_0d", "transpose", [A("float32", [1], [])], {"axes": None})
    fam.add("transpose_noncontig_bf16", "transpose", [x234("bfloat16", "flip0")], {"axes": [2, 1, 0]})
    for tag, a1, a2 in [("01", 0, 1), ("neg", -1, 0), ("same", 1, 1), ("err", 0, 3), ("err_neg", -4, 0)]:
        fam.add(f"swapaxes_{tag}", "swapaxes", [x234("float32")], {"axis1": a1, "axis2": a2})
    for tag, s, d in [("0_2", 0, 2), ("2_0", 2, 0), ("neg", -1, -3), ("same", 1, 1), ("err", 3, 0)]:
        fam.add(f"moveaxis_{tag}", "moveaxis", [x234("int8")], {"source": s, "destination": d})
    x1 = A("float32", rand_vals("float32", 6), [1, 2, 1, 3, 1])
    for tag, ax in [("none", None), ("int0", 0), ("neg1", -1), ("list", [0, 2]),
                    ("list_neg", [-5, -3]), ("err_not1", 1), ("err_range", 5), ("err_dup", [0, 0])]:
        fam.add(f"squeeze_{tag}", "squeeze", [x1], {"axis": ax})
    fam.add("squeeze_0d", "squeeze", [A("float32", [1], [])], {"axis": None})
    fam.add("squeeze_noncontig", "squeeze", [A("int32", list(range(6)), [3, 1, 2], "transpose")], {"axis": None})
    x23 = A("complex64", rand_vals("complex64", 6), [2, 3])
    for tag, ax in [("0", 0), ("1", 1), ("2", 2), ("neg1", -1), ("neg3", -3), ("list", [0, 3]),
                    ("list_neg", [-1, 0]), ("err_range", 3), ("err_neg", -4), ("err_dup", [1, 1])]:
        fam.add(f"expand_dims_{tag}", "expand_dims", [x23], {"axis": ax})
    fam.add("expand_dims_0d", "expand_dims", [A("uint32", [5], [])], {"axis": 0})
    for tag, x, shape in [
        ("1d_to_2d", A("int32", [1, 2, 3]), [2, 3]),
        ("col", A("float32", [1, 2, 3], [3, 1]), [3, 4]),
        ("0d", A("float16", [2.5], []), [2, 2]),
        ("same", A("int32", [1, 2]), [2]),
        ("add_dims", A("bool", [True, False], [1, 2]), [2, 3, 2]),
        ("empty", A("float32", [1.0], [1]), [0]),
        ("noncontig", A("int64", [1, 2, 3, 4, 5, 6], [6], "step2"), [2, 3]),
        ("err", A("int32", [1, 2, 3]), [2, 4]),
        ("err_fewer_dims", A("int32", [1, 2, 3, 4], [2, 2]), [4]),
        ("err_neg", A("int32", [1]), [-1]),
    ]:
        fam.add(f"broadcast_to_{tag}", "broadcast_to", [x], {"shape": shape})

    x10 = A("int32", list(range(10)))
    sl1 = [("all", [[None, None, None]]), ("basic", [[2, 7, None]]), ("step2", [[1, None, 2]]),
           ("neg_step", [[None, None, -1]]), ("neg_step2", [[8, 1, -2]]),
           ("neg_start", [[-3, None, None]]), ("neg_stop", [[None, -3, None]]),
           ("oob_start", [[20, None, None]]), ("oob_stop", [[2, 100, None]]),
           ("oob_neg", [[-100, 3, None]]), ("oob_neg_step", [[100, -100, -3]]),
           ("empty", [[5, 2, None]]), ("empty_neg", [[2, 5, -1]]), ("step_big", [[0, None, 7]])]
    for tag, idx in sl1:
        fam.add(f"slice_1d_{tag}", "slice", [x10], {"index": idx})
    fam.add("slice_err_step0", "slice", [x10], {"index": [[None, None, 0]]})
    x34 = A("float32", [float(i) for i in range(12)], [3, 4])
    for tag, idx in [("rows", [[1, None, None]]), ("both", [[None, None, -1], [1, 3, None]]),
                     ("cols_neg", [[None, None, None], [None, None, -2]]),
                     ("empty_rows", [[3, None, None]]), ("oob_both", [[-10, 10, 2], [10, -10, -1]])]:
        fam.add(f"slice_2d_{tag}", "slice", [x34], {"index": idx})
    fam.add("slice_noncontig_T", "slice", [A("int16", list(range(12)), [3, 4], "transpose")],
            {"index": [[None, None, 2], [None, None, -1]]})
    fam.add("slice_noncontig_flip", "slice", [A("uint8", list(range(10)), [10], "flip0")],
            {"index": [[1, None, 3]]})
    fam.add("slice_3d_leading", "slice", [x234("bfloat16")], {"index": [[1, None, None], [None, None, -1]]})
    fam.add("slice_bool", "slice", [A("bool", [True, False, True, True])], {"index": [[None, None, -1]]})
    fam.add("slice_complex", "slice", [A("complex64", [1j, 2, 3 + 3j, 4])], {"index": [[1, None, 2]]})


# ================================================================== promotion

def one_val(dt):
    return {"bool": True, "complex64": 1 + 2j}.get(dt, 1.5 if dt in FLOATS else 3)


def gen_promotion(fam):
    for da in DTYPES:
        for db in DTYPES:
            fam.add(f"result_type_{da}_{db}", "result_type",
                    [A(da, [one_val(da)]), A(db, [one_val(db)])])


# =============================================================== weak scalars

def weak_vals(dt):
    if dt == "bool":
        return [True, False]
    if dt in UNSIGNED:
        return [0, 1, 200 if dt == "uint8" else 1000]
    if dt in SIGNED:
        return [-5, 0, 100]
    if dt == "complex64":
        return [1 + 1j, -2 + 0j]
    return [-1.5, 0.0, 100.5]


# (tag, value, full op set?)
WEAK_SCALARS = [("int2", 2, True), ("float2_5", 2.5, True), ("true", True, True),
                ("float2_0", 2.0, False), ("neg_int", -3, False),
                ("int300", 300, False), ("int2p40", 2 ** 40, False),
                ("int2p63", 2 ** 63, False),
                ("float_nan", NAN, False), ("float_big", 1e40, False)]

WEAK_OPS = ["add", "subtract", "multiply", "divide", "power", "maximum",
            "floor_divide", "remainder", "equal", "less", "bitwise_and",
            "left_shift", "logical_and", "arctan2"]
WEAK_BOOL_OPS = ["add", "multiply", "divide", "maximum", "bitwise_and",
                 "left_shift", "logical_and"]
# (op, side) used for the other scalars
WEAK_SHORT = [("add", "right"), ("add", "left"), ("divide", "right"),
              ("maximum", "right")]


def gen_weak(fam):
    for dt in DTYPES:
        arr = A(dt, weak_vals(dt))
        for tag, v, full in WEAK_SCALARS:
            ops = WEAK_OPS if tag != "true" else WEAK_BOOL_OPS
            todo = ([(op, side) for op in ops for side in ("right", "left")]
                    if full else WEAK_SHORT)
            for op, side in todo:
                args = [arr, S(v)] if side == "right" else [S(v), arr]
                fam.add(f"{op}_{dt}_{tag}_{side}", op, args)
    # 0-d arrays are NOT weak: compare with the scalar cases
    for dt in ("uint8", "int32", "float16", "bfloat16"):
        for da in ("int32", "float32", "float64"):
            fam.add(f"add_{dt}_0d_{da}", "add", [A(dt, weak_vals(dt)), A(da, [2], [])])
    # scalar with scalar
    fam.add("add_scalar_int_int", "add", [S(1), S(2)])
    fam.add("add_scalar_int_float", "add", [S(1), S(2.5)])
    fam.add("add_scalar_bool_int", "add", [S(True), S(2)])
    fam.add("add_scalar_bool_bool", "add", [S(True), S(True)])
    fam.add("divide_scalar_int_int", "divide", [S(1), S(2)])


# ===================================================================== astype

def astype_vals(dt):
    if dt == "bool":
        return [True, False]
    if dt in UNSIGNED:
        return [0, 1, 127, 128, 255, 256 % (imax(dt) + 1), imax(dt)]
    if dt in SIGNED:
        return [imin(dt), -129 if dt != "int8" else -128, -1, 0, 1, 127,
                255 if dt != "int8" else 100, imax(dt)]
    if dt == "complex64":
        return [1.5 + 2j, -2.7 - 1j, 0j, 3j, 300.5 + 0j, complex(NAN, 1.0)]
    return [-2.7, -1.5, -0.5, -0.0, 0.0, 0.5, 0.9, 1.5, 2.5, 2.7, 127.5, 255.9,
            256.0, 300.0, -129.0, 65536.0, 1e10, -1e10, 3e38, NAN, INF, -INF]


def float_to_int_in_range(v, dst):
    """C++ float->int conversion is defined iff trunc(v) fits in dst."""
    if isinstance(v, complex):
        v = v.real
    if v != v or v in (INF, -INF):
        return False
    t = int(v)  # truncation toward zero
    return imin(dst) <= t <= imax(dst)


def gen_astype(fam):
    for src in DTYPES:
        vals = astype_vals(src)
        x = A(src, vals)
        for dst in DTYPES:
            if src in FLOATS + ("complex64",) and dst in INTS:
                # values as stored in src (e.g. float16 rounding) decide
                stored = [dec_value(v, src) for v in x["data"]]
                ok = [v for v, s in zip(vals, stored) if float_to_int_in_range(s, dst)]
                ub = [v for v, s in zip(vals, stored) if not float_to_int_in_range(s, dst)]
                fam.add(f"astype_{src}_{dst}", "astype", [A(src, ok)], {"dtype": dst})
                fam.add(f"astype_{src}_{dst}_ub", "astype", [A(src, ub)], {"dtype": dst})
                continue
            fam.add(f"astype_{src}_{dst}", "astype", [x], {"dtype": dst})
    fam.add("astype_noncontig", "astype",
            [A("float32", [1.5, -2.5, 3.5, 4.5, 5.5, 6.5], [2, 3], "transpose")], {"dtype": "int32"})
    fam.add("astype_0d", "astype", [A("float64", [2.9], [])], {"dtype": "uint8"})
    fam.add("astype_empty", "astype", [A("int32", [], [0, 2])], {"dtype": "float16"})
    fam.add("astype_uint64_big_to_float32", "astype",
            [A("uint64", [2 ** 64 - 1, 2 ** 63, 2 ** 53 + 1])], {"dtype": "float32"})
    fam.add("astype_int64_big_to_float64", "astype",
            [A("int64", [2 ** 53 + 1, -(2 ** 63)])], {"dtype": "float64"})
    fam.add("astype_float32_to_bfloat16_rounding", "astype",
            [A("float32", [1.00390625, 1.01171875, 3.1415927, 1e-40, 65504.0, 70000.0])],
            {"dtype": "bfloat16"})
    fam.add("astype_float32_to_float16_rounding", "astype",
            [A("float32", [1.00048828125, 1.00146484375, 3.1415927, 1e-8, 65504.0, 65520.0, 70000.0])],
            {"dtype": "float16"})

    views = [
        ("float32_int32", A("float32", [1.0, -2.0, 0.5]), "int32"),
        ("int32_float32", A("int32", [1065353216, -1073741824, 0]), "float32"),
        ("float32_uint8", A("float32", [1.0, -2.0], [2]), "uint8"),
        ("float32_uint8_2d", A("float32", [1.0, 2.0, 3.0, 4.0], [2, 2]), "uint8"),
        ("uint8_float32", A("uint8", [0, 0, 128, 63, 0, 0, 0, 192]), "float32"),
        ("uint8_float32_err", A("uint8", [0, 0, 128, 63, 0, 0]), "float32"),
        ("int64_float64", A("int64", [4607182418800017408, 0]), "float64"),
        ("float16_int16", A("float16", [1.0, -2.0, 0.5]), "int16"),
        ("bfloat16_uint16", A("bfloat16", [1.0, -2.0, 0.5]), "uint16"),
        ("float16_bfloat16", A("float16", [1.0, -2.0]), "bfloat16"),
        ("complex64_float32", A("complex64", [1 + 2j, -3 + 0.5j]), "float32"),
        ("float32_complex64", A("float32", [1.0, 2.0, 3.0, 4.0]), "complex64"),
        ("float32_complex64_err", A("float32", [1.0, 2.0, 3.0]), "complex64"),
        ("bool_uint8", A("bool", [True, False]), "uint8"),
        ("int8_bool", A("int8", [0, 1, 2]), "bool"),
        ("int8_uint8", A("int8", [-1, -128, 5]), "uint8"),
        ("uint32_int16", A("uint32", [65537, 4294967295]), "int16"),
        ("int16_int32_2d", A("int16", [1, 0, 2, 0, -1, -1], [3, 2]), "int32"),
        ("int16_int32_odd_err", A("int16", [1, 0, 2, 0, -1, -1], [2, 3]), "int32"),
        ("float32_0d_uint8", A("float32", [1.0], []), "uint8"),
        ("float64_int32_0d", A("float64", [1.0], []), "int32"),
        ("float32_noncontig_int32", A("float32", [1, 2, 3, 4], [2, 2], "transpose"), "int32"),
        ("float32_noncontig_uint8", A("float32", [1, 2, 3, 4], [2, 2], "transpose"), "uint8"),
        ("int8_int32_step", A("int8", list(range(16)), [16], "step2"), "int32"),
        ("empty_float32_uint8", A("float32", [], [0]), "uint8"),
    ]
    for tag, x, dt in views:
        fam.add(f"view_{tag}", "view", [x], {"dtype": dt})


# ======================================================================= repr

def gen_repr(fam):
    for dt in DTYPES:
        fam.add(f"repr_{dt}_1d", "repr", [A(dt, rand_vals(dt, 5))])
        fam.add(f"repr_{dt}_2d", "repr", [A(dt, rand_vals(dt, 6), [2, 3])])
        fam.add(f"repr_{dt}_0d", "repr", [A(dt, rand_vals(dt, 1), [])])
        fam.add(f"repr_{dt}_empty", "repr", [A(dt, [], [0])])
    R = [
        ("float32_3d", A("float32", [float(i) - 5 for i in range(12)], [2, 3, 2])),
        ("int32_3d", A("int32", list(range(-6, 18)), [2, 3, 4])),
        ("int32_4d", A("int32", list(range(16)), [2, 2, 2, 2])),
        ("empty_2x0", A("float32", [], [2, 0])),
        ("empty_0x3", A("int32", [], [0, 3])),
        ("float32_ints", A("float32", [1.0, 2.0, -3.0])),
        ("float32_precisions", A("float32", [1.0, 0.1, 1e-8, 1e10, 123456789.0])),
        ("float32_one_tenth", A("float32", [0.1, 0.2, 0.3])),
        ("float32_small", A("float32", [1e-8, 2e-9])),
        ("float32_large", A("float32", [1e10, 3e20])),
        ("float32_mixed_mag", A("float32", [1e-5, 1.0, 1e5])),
        ("float32_1e16", A("float32", [1e16, 1.0])),
        ("float32_123456789", A("float32", [123456789.0])),
        ("float32_pi", A("float32", [3.14159265, -2.71828])),
        ("float32_many_digits", A("float32", [1.0 / 3.0, 2.0 / 3.0, 1e-3 / 3.0])),
        ("float32_nan_inf", A("float32", [NAN, INF, -INF, 1.5, -0.0])),
        ("float32_neg_zero", A("float32", [-0.0, 0.0])),
        ("float32_0d_nan", A("float32", [NAN], [])),
        ("float32_0d_neg", A("float32", [-2.5], [])),
        ("float64_precise", A("float64", [1.0 / 3.0, 1e-20, 123456789.123456789])),
        ("float16_precise", A("float16", [1.0 / 3.0, 0.1, 65504.0, 6e-8])),
        ("bfloat16_precise", A("bfloat16", [1.0 / 3.0, 0.1, 1e30, -3.5])),
        ("int64_big", A("int64", [-(2 ** 63), 2 ** 63 - 1])),
        ("uint64_big", A("uint64", [2 ** 64 - 1, 0])),
        ("int8_neg", A("int8", [-128, -1, 0, 127])),
        ("uint8_all", A("uint8", [0, 1, 255])),
        ("bool_tft", A("bool", [True, False, True])),
        ("bool_2x2", A("bool", [True, False, False, True], [2, 2])),
        ("bool_0d_false", A("bool", [False], [])),
        ("complex_1d", A("complex64", [1 + 2j, -1.5 - 0.5j, 0j, 3j])),
        ("complex_2d", A("complex64", [1 + 2j, -1.5 - 0.5j, 0j, 3j], [2, 2])),
        ("complex_0d", A("complex64", [0.1 + 1e-8j], [])),
        ("complex_nan", A("complex64", [complex(NAN, 1.0), complex(INF, -INF)])),
        ("complex_big", A("complex64", [1e10 + 1j, 123456789 - 1j])),
        ("complex_neg_zero", A("complex64", [complex(0.0, -0.0), complex(-0.0, 0.0), complex(1.5, -2.0)])),
        ("noncontig_T", A("int32", list(range(6)), [2, 3], "transpose")),
        ("noncontig_flip", A("float32", [0.5, 1.5, 2.5], [3], "flip0")),
        ("wide_row", A("float32", [1234.5678 * (i + 1) for i in range(24)])),
        ("wide_row_int", A("int64", [10 ** 12 + i for i in range(20)])),
        ("wide_2d", A("float32", [float(i) / 7 for i in range(24)], [2, 12])),
        ("shape_1x1x1", A("int32", [7], [1, 1, 1])),
        ("shape_3x1", A("float16", [1, 2, 3], [3, 1])),
        ("arange_2000_int32", ARANGE(2000, "int32", [2000])),
        ("arange_6_int32", ARANGE(6, "int32", [6])),
        ("arange_7_int32", ARANGE(7, "int32", [7])),
        ("arange_6x6_int32", ARANGE(36, "int32", [6, 6])),
        ("arange_7x2_int32", ARANGE(14, "int32", [7, 2])),
        ("arange_2x7_float32", ARANGE(14, "float32", [2, 7])),
        ("arange_40x40_float32", ARANGE(1600, "float32", [40, 40])),
        ("arange_10x10x10_int16", ARANGE(1000, "int16", [10, 10, 10])),
        ("arange_11x11x11_int16", ARANGE(1331, "int16", [11, 11, 11])),
        ("arange_2000_float16", ARANGE(2000, "float16", [2000])),
        ("arange_2000_bool", ARANGE(2000, "bool", [2000])),
        ("arange_1200_complex", ARANGE(1200, "complex64", [1200])),
        ("arange_2x1000_float32", ARANGE(2000, "float32", [2, 1000])),
        ("arange_1000x2_int32", ARANGE(2000, "int32", [1000, 2])),
    ]
    for tag, x in R:
        fam.add(f"repr_{tag}", "repr", [x])


# ======================================================================= main

FAMILIES = [
    ("unary.json", gen_unary), ("binary.json", gen_binary),
    ("ternary.json", gen_ternary), ("compare.json", gen_compare),
    ("creation.json", gen_creation), ("views.json", gen_views),
    ("promotion.json", gen_promotion), ("weak_scalars.json", gen_weak),
    ("astype.json", gen_astype), ("repr.json", gen_repr),
]


def main():
    only = set(sys.argv[1:])
    runner = Runner()
    total = 0
    for fname, gen in FAMILIES:
        if only and fname not in only and fname[:-5] not in only:
            continue
        fam = Family(runner, fname)
        reseed(fname)
        gen(fam)
        path, n = fam.write(OUTDIR)
        nerr = sum(1 for c in fam.cases if "error" in c)
        total += n
        print(f"{os.path.relpath(path, ROOT)}: {n} cases ({nerr} errors), "
              f"{os.path.getsize(path)} bytes")
    runner.close()
    if runner.crashes:
        print(f"{len(runner.crashes)} cases crashed MLX and were left out:")
        for fname, name, rc in runner.crashes:
            print(f"  {fname}: {name} (exit {rc})")
    print(f"total: {total} cases")


if __name__ == "__main__":
    main()
