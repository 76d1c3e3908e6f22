#!/usr/bin/env python3
"""Generate golden test data for the matmul family of `mx` from real MLX.

Writes tests/golden/ops/matmul.json (format described in README.md).
Ops, args and kwargs (kwargs always complete, in this form):
  matmul          [a, b]                        {}
  addmm           [c, a, b]                     {"alpha": float, "beta": float}
  inner, outer    [a, b]                        {}
  tensordot       [a, b]                        {"axes": int | [[int..], [int..]]}
  einsum          [operand, ...]                {"subscripts": str}
  einsum_path     [operand, ...]                {"subscripts": str}  -> expect_str, a JSON
                                                text {"path": [[int..]..], "info": str}
  block_masked_mm [a, b, mask_out, mask_lhs, mask_rhs] (absent mask = null)
                  {"block_size": int, "has_mask_out": bool, "has_mask_lhs": bool,
                   "has_mask_rhs": bool}
  gather_mm       [a, b, lhs_indices, rhs_indices] (absent indices = null)
                  {"sorted_indices": bool, "has_lhs_indices": bool,
                   "has_rhs_indices": bool}
Usage: python3 scripts/golden/gen_matmul.py
"""

import json
import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlx.core as mx  # noqa: E402
from common import (  # noqa: E402
    A, DTYPES, FLOATS, UNSIGNED, INTS, build_arg, dec_float,
    Family, Runner, MLX_VERSION,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "tests", "golden", "ops")

NAN = float("nan")
INF = float("inf")

SEED = 20240716
RNG = np.random.default_rng(SEED)

assert mx.__version__ == MLX_VERSION, mx.__version__


# ============================================================ worker side

def apply_op(op, args, kw):
    """Run one case (called in the worker process by common.run_case)."""
    a = [build_arg(x) for x in args]
    if op == "matmul":
        return mx.matmul(a[0], a[1])
    if op == "addmm":
        return mx.addmm(a[0], a[1], a[2], alpha=dec_float(kw["alpha"]),
                        beta=dec_float(kw["beta"]))
    if op in ("inner", "outer"):
        return getattr(mx, op)(a[0], a[1])
    if op == "tensordot":
        return mx.tensordot(a[0], a[1], axes=kw["axes"])
    if op == "einsum":
        return mx.einsum(kw["subscripts"], *a)
    if op == "einsum_path":
        path, info = mx.einsum_path(kw["subscripts"], *a)
        return json.dumps({"path": [list(p) for p in path], "info": info})
    if op == "block_masked_mm":
        assert [x is not None for x in a[2:5]] == [
            kw["has_mask_out"], kw["has_mask_lhs"], kw["has_mask_rhs"]]
        return mx.block_masked_mm(a[0], a[1], kw["block_size"], a[2], a[3], a[4])
    if op == "gather_mm":
        assert [x is not None for x in a[2:4]] == [
            kw["has_lhs_indices"], kw["has_rhs_indices"]]
        return mx.gather_mm(a[0], a[1], a[2], a[3],
                            sorted_indices=kw["sorted_indices"])
    return NotImplemented


# ======================================================= generator helpers

def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


def q8(v):
    """Round to a multiple of 1/8 (exact in every float dtype for |v| < 32)."""
    return round(float(v) * 8) / 8


def nel(shape):
    return int(np.prod(shape)) if shape else 1


def ivals(dt, n, lo=-3, hi=3):
    """Small-integer values (exact products and sums in every float dtype as
    long as the sums stay small)."""
    if dt == "bool":
        return [bool(v) for v in RNG.integers(0, 2, n)]
    if dt in UNSIGNED:
        return [int(v) for v in RNG.integers(0, hi + 1, n)]
    if dt in INTS:
        return [int(v) for v in RNG.integers(lo, hi + 1, n)]
    if dt == "complex64":
        return [complex(int(r), int(i)) for r, i in
                zip(RNG.integers(lo, hi + 1, n), RNG.integers(lo, hi + 1, n))]
    return [float(v) for v in RNG.integers(lo, hi + 1, n)]


def qvals(dt, n, scale=2.0):
    """Multiples of 1/8 (float dtypes / complex64)."""
    if dt == "complex64":
        return [complex(q8(r), q8(i)) for r, i in
                zip(RNG.normal(size=n) * scale, RNG.normal(size=n) * scale)]
    return [q8(v) for v in RNG.normal(size=n) * scale]


def rvals(dt, n):
    """Random (inexact) values: compare these with a tolerance."""
    if dt == "complex64":
        return [complex(r, i) for r, i in zip(RNG.normal(size=n), RNG.normal(size=n))]
    return [float(v) for v in RNG.normal(size=n)]


def I(dt, shape, view=None, lo=-3, hi=3):
    """Small-integer array ARG; `shape` is the base shape (before `view`)."""
    return A(dt, ivals(dt, nel(shape), lo, hi), shape, view)


def Q(dt, shape, view=None):
    return A(dt, qvals(dt, nel(shape)), shape, view)


def R(dt, shape, view=None):
    return A(dt, rvals(dt, nel(shape)), shape, view)


def sname(shape):
    return "x".join(map(str, shape)) if shape else "0d"


SHORT = {"bool": "b", "uint8": "u8", "uint16": "u16", "uint32": "u32",
         "uint64": "u64", "int8": "i8", "int16": "i16", "int32": "i32",
         "int64": "i64", "float16": "f16", "bfloat16": "bf16",
         "float32": "f32", "float64": "f64", "complex64": "c64"}
INEXACT = FLOATS + ("complex64",)


def MM(fam, name, a, b):
    fam.add(name, "matmul", [a, b], {})


# ================================================================ matmul

# (tag, a shape, b shape)
SHAPES = [
    ("1d_1d", [3], [3]),
    ("1d_2d", [3], [3, 4]),
    ("2d_1d", [2, 3], [3]),
    ("2d_2d", [2, 3], [3, 4]),
    ("1x1", [1, 1], [1, 1]),
    ("row_col", [1, 5], [5, 1]),
    ("col_row", [4, 1], [1, 3]),
    ("1d_3d", [3], [2, 3, 4]),
    ("3d_1d", [2, 4, 3], [3]),
    ("1d_4d", [3], [2, 1, 3, 2]),
    ("3d_3d", [2, 2, 3], [2, 3, 4]),
    ("3d_2d", [3, 2, 3], [3, 2]),
    ("2d_3d", [2, 3], [3, 3, 2]),
    ("bcast_1_3d", [1, 2, 3], [4, 3, 2]),
    ("bcast_4d_3d", [2, 1, 3, 4], [5, 4, 2]),
    ("bcast_4d_4d", [2, 1, 2, 3], [1, 3, 3, 2]),
    ("bcast_5d", [2, 1, 2, 2, 3], [3, 1, 3, 2]),
    ("big", [17, 33], [33, 9]),
    ("wide_k", [5, 64], [64, 7]),
    ("k1", [3, 1], [1, 4]),
]

# (tag, a base shape, a view, b base shape, b view) -- shapes before the view
VIEWS = [
    ("T_a", [3, 2], "transpose", [3, 4], None),
    ("T_b", [2, 3], None, [4, 3], "transpose"),
    ("T_ab", [3, 2], "transpose", [4, 3], "transpose"),
    ("T_big_a", [33, 17], "transpose", [33, 9], None),
    ("T_big_b", [17, 33], None, [9, 33], "transpose"),
    ("T_3d_a", [3, 2, 2], "transpose", [2, 3, 4], None),   # [2,2,3], batch strided
    ("T_3d_b", [2, 3], None, [2, 3, 2], "transpose"),      # [2,3,2]
    ("T_1d_a", [3], "transpose", [3, 4], None),
    ("flip_a", [3, 3], "flip0", [3, 2], None),
    ("flip_b", [2, 3], None, [3, 2], "flip0"),
    ("flip_1d", [4], "flip0", [4], "flip0"),
    ("step2_a", [6, 3], "step2", [3, 2], None),
    ("step2_b", [2, 3], None, [6, 4], "step2"),
    ("step2_3d", [4, 2, 3], "step2", [3, 2], None),
    ("step2_wide", [4, 6], "step2", [6, 2], None),
]

EMPTY = [
    ("K0", [2, 0], [0, 3]),
    ("M0", [0, 3], [3, 2]),
    ("N0", [2, 3], [3, 0]),
    ("batch0", [0, 2, 3], [3, 2]),
    ("batch0_bcast", [0, 2, 3], [1, 3, 2]),
    ("1d_K0", [0], [0]),
    ("1d_2d_K0", [0], [0, 3]),
    ("2d_1d_M0", [0, 3], [3]),
    ("K0_bcast", [2, 1, 2, 0], [3, 0, 2]),
]


def gen_matmul_shapes(fam):
    for tag, sa, sb in SHAPES:
        MM(fam, f"matmul_f32_{tag}", I("float32", sa), I("float32", sb))
    for tag, sa, va, sb, vb in VIEWS:
        MM(fam, f"matmul_f32_{tag}", I("float32", sa, va), I("float32", sb, vb))
    for tag, sa, sb in EMPTY:
        MM(fam, f"matmul_f32_empty_{tag}", I("float32", sa), I("float32", sb))
    for dt in ("float16", "bfloat16", "float64", "complex64"):
        for tag in ("K0", "M0", "1d_K0"):
            sa, sb = {t: (a, b) for t, a, b in EMPTY}[tag]
            MM(fam, f"matmul_{SHORT[dt]}_empty_{tag}", I(dt, sa), I(dt, sb))
    # random values (inexact: compare with a tolerance)
    MM(fam, "matmul_f32_rand_8x40x6", R("float32", [8, 40]), R("float32", [40, 6]))
    MM(fam, "matmul_f32_rand_batch_T", R("float32", [4, 3, 2], "transpose"),
       R("float32", [2, 4, 5]))
    MM(fam, "matmul_f32_rand_1d_2d", R("float32", [7]), R("float32", [7, 3]))


DT_SHAPES = [
    ("2d_2d", [2, 3], None, [3, 4], None),
    ("1d_1d", [5], None, [5], None),
    ("1d_2d", [3], None, [3, 2], None),
    ("3d_bcast", [2, 1, 2, 3], None, [3, 3, 2], None),
    ("T_a", [3, 2], "transpose", [3, 4], None),
    ("T_b", [2, 3], None, [4, 3], "transpose"),
    ("big_9x20x5", [9, 20], None, [20, 5], None),
]


def gen_matmul_dtypes(fam):
    for dt in INEXACT:
        s = SHORT[dt]
        for tag, sa, va, sb, vb in DT_SHAPES:
            if dt == "float32" and tag not in ("big_9x20x5",):
                continue  # covered above
            MM(fam, f"matmul_{s}_{tag}", I(dt, sa, va), I(dt, sb, vb))
        # multiples of 1/8: f32 accumulation is exact, one final rounding
        MM(fam, f"matmul_{s}_q8_4x6x3", Q(dt, [4, 6]), Q(dt, [6, 3]))
        MM(fam, f"matmul_{s}_rand_5x16x4", R(dt, [5, 16]), R(dt, [16, 4]))
    # K large enough that half-float accumulation order matters
    for dt in ("float16", "bfloat16"):
        MM(fam, f"matmul_{SHORT[dt]}_rand_3x300x2", R(dt, [3, 300]), R(dt, [300, 2]))


# values used for the dtype-pair table: [2,2] @ [2,2]
PAIR_VALS = {
    "bool": [True, False, True, True],
    "unsigned": [1, 2, 3, 0],
    "signed": [1, -2, 3, 0],
    "float": [1.0, -2.0, 3.0, 0.5],
    "complex64": [1 + 1j, -2 + 0j, 3j, 0.5 + 0j],
}


def pair_arg(dt):
    if dt == "bool":
        v = PAIR_VALS["bool"]
    elif dt in UNSIGNED:
        v = PAIR_VALS["unsigned"]
    elif dt in INTS:
        v = PAIR_VALS["signed"]
    elif dt == "complex64":
        v = PAIR_VALS["complex64"]
    else:
        v = PAIR_VALS["float"]
    return A(dt, v, [2, 2])


def gen_matmul_pairs(fam):
    """Every dtype pair: result dtype (promotion) or the integer error."""
    for da in DTYPES:
        for db in DTYPES:
            MM(fam, f"matmul_pair_{SHORT[da]}_{SHORT[db]}", pair_arg(da), pair_arg(db))


def gen_matmul_special(fam):
    # half floats accumulate in f32 and round once
    MM(fam, "matmul_f16_acc_2048_ones", A("float16", [2048.0] + [1.0] * 16, [1, 17]),
       A("float16", [1.0] * 17, [17, 1]))
    MM(fam, "matmul_bf16_acc_256_ones", A("bfloat16", [256.0] + [1.0] * 16, [1, 17]),
       A("bfloat16", [1.0] * 17, [17, 1]))
    MM(fam, "matmul_f16_overflow_back", A("float16", [60000.0, 60000.0, -60000.0], [1, 3]),
       A("float16", [1.0, 1.0, 1.0], [3, 1]))
    MM(fam, "matmul_f16_overflow_inf", A("float16", [60000.0, 60000.0], [1, 2]),
       A("float16", [1.0, 1.0], [2, 1]))
    MM(fam, "matmul_f16_tenths_100", A("float16", [0.1] * 100, [1, 100]),
       A("float16", [1.0] * 100, [100, 1]))
    MM(fam, "matmul_f64_precision", A("float64", [1.0 + 2.0 ** -40, 1.0], [1, 2]),
       A("float64", [1.0, -1.0], [2, 1]))
    MM(fam, "matmul_f32_precision", A("float32", [1.0 + 2.0 ** -20, 1.0], [1, 2]),
       A("float32", [1.0, -1.0], [2, 1]))
    # non-finite values
    MM(fam, "matmul_f32_inf_times_zero", A("float32", [INF, 1.0, 2.0, 3.0], [2, 2]),
       A("float32", [0.0, 1.0, 1.0, 1.0], [2, 2]))
    MM(fam, "matmul_f32_nan", A("float32", [NAN, 1.0, 2.0, 3.0], [2, 2]),
       A("float32", [1.0, 1.0, 1.0, 1.0], [2, 2]))
    MM(fam, "matmul_f32_inf_minus_inf", A("float32", [INF, INF, 1.0, 2.0], [2, 2]),
       A("float32", [1.0, 1.0, -1.0, 1.0], [2, 2]))
    MM(fam, "matmul_f32_inf_1d", A("float32", [INF, 1.0]), A("float32", [0.0, 1.0]))
    MM(fam, "matmul_f32_neg_zero", A("float32", [-0.0, -1.0], [2, 1]),
       A("float32", [1.0, 0.0], [1, 2]))
    MM(fam, "matmul_c64_nan", A("complex64", [complex(NAN, 0), 1 + 1j], [1, 2]),
       A("complex64", [1 + 0j, 2 - 1j], [2, 1]))
    MM(fam, "matmul_c64_small", A("complex64", [1 + 2j, 3 - 1j, 0.5j, -2 + 0j], [2, 2]),
       A("complex64", [1 + 2j, 3 - 1j, 0.5j, -2 + 0j], [2, 2]))


def gen_matmul_errors(fam):
    f = "float32"
    E = [
        ("2d_2d", [2, 3], [2, 3]),
        ("1d_1d", [3], [4]),
        ("1d_2d", [3], [4, 2]),
        ("2d_1d", [2, 3], [4]),
        ("3d_3d_inner", [2, 2, 3], [2, 2, 3]),
        ("batch", [2, 3, 4], [3, 4, 5]),
        ("batch_4d", [2, 3, 2, 2], [4, 2, 2]),
    ]
    for tag, sa, sb in E:
        MM(fam, f"matmul_err_mismatch_{tag}", I(f, sa), I(f, sb))
    MM(fam, "matmul_err_0d_1d", A(f, [2.0], []), A(f, [1.0, 2.0]))
    MM(fam, "matmul_err_1d_0d", A(f, [1.0, 2.0]), A(f, [2.0], []))
    MM(fam, "matmul_err_0d_0d", A(f, [2.0], []), A(f, [3.0], []))
    MM(fam, "matmul_err_0d_2d", A(f, [2.0], []), I(f, [1, 2]))
    MM(fam, "matmul_err_int32_1d", I("int32", [3]), I("int32", [3]))
    MM(fam, "matmul_err_bool_3d", I("bool", [2, 2, 2]), I("bool", [2, 2]))
    # which error wins: dimension checks happen before the dtype check
    MM(fam, "matmul_err_int32_mismatch", I("int32", [2, 3]), I("int32", [2, 3]))
    MM(fam, "matmul_err_int32_0d", A("int32", [2], []), I("int32", [2, 2]))


# ================================================================= addmm

def ADDMM(fam, name, c, a, b, alpha=1.0, beta=1.0):
    fam.add(name, "addmm", [c, a, b], {"alpha": float(alpha), "beta": float(beta)})


def gen_addmm(fam):
    f = "float32"
    ADDMM(fam, "addmm_f32_basic", I(f, [2, 4]), I(f, [2, 3]), I(f, [3, 4]))
    for alpha, beta in ((2.0, 0.5), (-1.0, 3.0), (0.0, 1.0), (1.0, 0.0), (0.0, 0.0),
                        (0.125, -2.0)):
        tag = f"a{alpha}_b{beta}".replace("-", "m").replace(".", "p")
        ADDMM(fam, f"addmm_f32_{tag}", I(f, [2, 4]), I(f, [2, 3]), I(f, [3, 4]),
              alpha, beta)
    # c broadcasting
    C = [
        ("c_0d", [], [2, 3], [3, 4]),
        ("c_row", [4], [2, 3], [3, 4]),
        ("c_row2d", [1, 4], [2, 3], [3, 4]),
        ("c_col", [2, 1], [2, 3], [3, 4]),
        ("c_1x1", [1, 1], [2, 3], [3, 4]),
        ("c_batch_row", [4], [2, 2, 3], [3, 4]),      # 3-d a, 2-d b, c.ndim <= 1
        ("c_batch_0d", [], [2, 2, 3], [3, 4]),
        ("c_batch_full", [2, 2, 4], [2, 2, 3], [3, 4]),
        ("c_batch_bcast", [2, 1, 4], [2, 2, 3], [3, 4]),
        ("c_batch_2d", [2, 4], [2, 2, 3], [3, 4]),
        ("batched_ab", [2, 1, 2], [2, 2, 3], [1, 3, 2]),
        ("batched_4d", [3, 1, 2], [2, 1, 2, 3], [3, 3, 2]),
        ("a_1d", [4], [3], [3, 4]),
        ("a_1d_c0d", [], [3], [3, 4]),
        ("b_1d", [2], [2, 3], [3]),
        ("b_1d_c0d", [], [2, 3], [3]),
        ("ab_1d_c0d", [], [3], [3]),
        ("a_1d_b_3d", [2, 4], [3], [2, 3, 4]),
        ("a_3d_b_1d_c0d", [], [2, 2, 3], [3]),
        ("a_3d_b_1d_c2d", [2, 2], [2, 2, 3], [3]),
        ("K0", [2, 2], [2, 0], [0, 2]),
        ("M0", [0, 2], [0, 3], [3, 2]),
    ]
    for tag, sc, sa, sb in C:
        ADDMM(fam, f"addmm_f32_{tag}", I(f, sc), I(f, sa), I(f, sb), 2.0, 3.0)
    # dtypes (f32 alpha/beta: 0.1 is rounded to f32 even for f64)
    for dt in ("float16", "bfloat16", "float64", "complex64"):
        s = SHORT[dt]
        ADDMM(fam, f"addmm_{s}_basic", I(dt, [2, 4]), I(dt, [2, 3]), I(dt, [3, 4]),
              0.5, 2.0)
        ADDMM(fam, f"addmm_{s}_c_row", I(dt, [4]), I(dt, [2, 3]), I(dt, [3, 4]),
              1.0, -1.0)
        ADDMM(fam, f"addmm_{s}_alpha_tenth", A(dt, [0.0], [1, 1]), A(dt, [1.0], [1, 1]),
              A(dt, [1.0], [1, 1]), 0.1, 1.0)
        ADDMM(fam, f"addmm_{s}_rand", R(dt, [3, 4]), R(dt, [3, 5]), R(dt, [5, 4]),
              0.75, -1.5)
    ADDMM(fam, "addmm_f32_rand", R(f, [3, 4]), R(f, [3, 5]), R(f, [5, 4]), 0.75, -1.5)
    ADDMM(fam, "addmm_f32_alpha_tenth", A(f, [0.0], [1, 1]), A(f, [1.0], [1, 1]),
          A(f, [1.0], [1, 1]), 0.1, 1.0)
    # mixed dtypes: result_type(a, b, c)
    MIX = [("c_i32", "int32", "float32", "float32"),
           ("c_f32_ab_f16", "float32", "float16", "float16"),
           ("c_f16_ab_f16_i32", "float16", "float16", "int32"),
           ("c_bf16_ab_f16", "bfloat16", "float16", "float16"),
           ("c_f64_ab_f32", "float64", "float32", "float32"),
           ("c_c64_ab_f32", "complex64", "float32", "float32"),
           ("c_f32_ab_c64", "float32", "complex64", "complex64"),
           ("c_bool_ab_f32", "bool", "float32", "float32")]
    for tag, dc, da, db in MIX:
        ADDMM(fam, f"addmm_mix_{tag}", I(dc, [2, 2]), I(da, [2, 3]), I(db, [3, 2]),
              2.0, 1.0)
    # non-contiguous
    ADDMM(fam, "addmm_f32_T_all", I(f, [4, 2], "transpose"), I(f, [3, 2], "transpose"),
          I(f, [4, 3], "transpose"), 1.0, 2.0)
    ADDMM(fam, "addmm_f32_flip_c", I(f, [2, 2], "flip0"), I(f, [2, 3]), I(f, [3, 2]),
          1.0, 1.0)
    # beta = 0 / alpha = 0 skip the term entirely (BLAS): NaN/inf do not leak
    nanc = A(f, [NAN, 2.0, 3.0, INF], [2, 2])
    infa = A(f, [INF, 1.0, 1.0, NAN], [2, 2])
    ones = A(f, [1.0] * 4, [2, 2])
    ADDMM(fam, "addmm_f32_beta0_nan_c", nanc, ones, ones, 1.0, 0.0)
    ADDMM(fam, "addmm_f32_alpha0_inf_a", ones, infa, ones, 0.0, 1.0)
    ADDMM(fam, "addmm_f32_beta1_nan_c", nanc, ones, ones, 1.0, 1.0)
    ADDMM(fam, "addmm_c64_beta0_nan_c", A("complex64", [complex(NAN, 0), 1, 1, 1], [2, 2]),
          A("complex64", [1, 1, 1, 1], [2, 2]), A("complex64", [1, 1, 1, 1], [2, 2]),
          1.0, 0.0)
    ADDMM(fam, "addmm_f32_beta0_nan_c_1d", A(f, [NAN, 1.0]), A(f, [1.0, 2.0]),
          A(f, [1.0, 2.0, 3.0, 4.0], [2, 2]), 1.0, 0.0)
    ADDMM(fam, "addmm_f32_alpha0_beta0_inf_a", ones, infa, ones, 0.0, 0.0)
    for dt in ("float16", "bfloat16", "float64"):  # half floats do NOT skip alpha = 0
        s = SHORT[dt]
        o = A(dt, [1.0] * 4, [2, 2])
        ADDMM(fam, f"addmm_{s}_alpha0_inf_a", o, A(dt, [INF, 1.0, 1.0, NAN], [2, 2]), o,
              0.0, 1.0)
        ADDMM(fam, f"addmm_{s}_beta0_nan_c", A(dt, [NAN, 1.0, 1.0, INF], [2, 2]), o, o,
              1.0, 0.0)
    ADDMM(fam, "addmm_f32_nan_alpha", ones, ones, ones, NAN, 1.0)
    ADDMM(fam, "addmm_f32_inf_beta", ones, ones, ones, 1.0, INF)
    # f16: is a@b rounded to f16 before adding beta*c?
    ADDMM(fam, "addmm_f16_overflow_mid", A("float16", [60000.0], [1, 1]),
          A("float16", [60000.0, 60000.0], [1, 2]), A("float16", [1.0, 1.0], [2, 1]),
          1.0, -1.0)
    ADDMM(fam, "addmm_f16_acc_2048", A("float16", [2048.0], [1, 1]),
          A("float16", [1.0] * 16, [1, 16]), A("float16", [1.0] * 16, [16, 1]), 1.0, 1.0)
    # errors
    ADDMM(fam, "addmm_err_int32", I("int32", [2, 2]), I("int32", [2, 2]), I("int32", [2, 2]))
    ADDMM(fam, "addmm_err_bool_ab_int_c", I("int8", [2, 2]), I("bool", [2, 2]),
          I("bool", [2, 2]))
    ADDMM(fam, "addmm_err_0d_a", I(f, [2]), A(f, [1.0], []), I(f, [2, 2]))
    ADDMM(fam, "addmm_err_0d_b", I(f, [2]), I(f, [2, 2]), A(f, [1.0], []))
    ADDMM(fam, "addmm_err_mismatch", I(f, [2, 2]), I(f, [2, 3]), I(f, [2, 2]))
    ADDMM(fam, "addmm_err_mismatch_1d", I(f, [2]), I(f, [3]), I(f, [2, 2]))
    ADDMM(fam, "addmm_err_c_bad", I(f, [3]), I(f, [2, 3]), I(f, [3, 2]))
    ADDMM(fam, "addmm_err_c_bigger", I(f, [4, 2, 2]), I(f, [2, 3]), I(f, [3, 2]))
    ADDMM(fam, "addmm_err_c_batch_bad", I(f, [3, 2, 2]), I(f, [2, 2, 3]), I(f, [3, 2]))
    # MLX quirks (numpy-style broadcasting would accept these)
    ADDMM(fam, "addmm_quirk_1d_1d_c1", I(f, [1]), I(f, [3]), I(f, [3]))
    ADDMM(fam, "addmm_quirk_3d_a_1d_b_c1d", I(f, [2]), I(f, [2, 2, 3]), I(f, [3]))
    ADDMM(fam, "addmm_err_c64_c_bad", I("complex64", [3]), I(f, [2, 2]), I(f, [2, 2]))


# ====================================================== inner/outer/tensordot

def gen_inner_outer(fam):
    f = "float32"

    def add(op, tag, a, b):
        fam.add(f"{op}_{tag}", op, [a, b], {})

    add("inner", "f32_1d", I(f, [4]), I(f, [4]))
    add("inner", "f32_2d_2d", I(f, [2, 3]), I(f, [4, 3]))
    add("inner", "f32_3d_2d", I(f, [2, 2, 3]), I(f, [4, 3]))
    add("inner", "f32_1d_3d", I(f, [3]), I(f, [2, 2, 3]))
    add("inner", "f32_T", I(f, [3, 2], "transpose"), I(f, [3, 4], "transpose"))
    add("inner", "f32_0d_2d", A(f, [2.0], []), I(f, [2, 3]))
    add("inner", "f32_2d_0d", I(f, [2, 3]), A(f, [-1.5], []))
    add("inner", "i32_0d_2d", A("int32", [2], []), I("int32", [2, 3]))
    add("inner", "f32_empty", I(f, [0]), I(f, [0]))
    add("inner", "f32_empty_2d", I(f, [2, 0]), I(f, [3, 0]))
    add("inner", "f16_f32", I("float16", [3]), I(f, [3]))
    add("inner", "bf16", I("bfloat16", [2, 3]), I("bfloat16", [3]))
    add("inner", "c64", I("complex64", [3]), I("complex64", [3]))
    add("inner", "f32_rand", R(f, [3, 8]), R(f, [2, 8]))
    add("inner", "err_i32", I("int32", [3]), I("int32", [3]))
    add("inner", "err_mismatch", I(f, [3]), I(f, [4]))
    add("inner", "err_mismatch_2d", I(f, [2, 3]), I(f, [3, 2]))

    add("outer", "f32_1d", I(f, [3]), I(f, [4]))
    add("outer", "f32_2d_2d", I(f, [2, 2]), I(f, [3, 1]))
    add("outer", "f32_T", I(f, [3, 2], "transpose"), I(f, [2]))
    add("outer", "f32_0d", A(f, [2.0], []), I(f, [3]))
    add("outer", "f32_0d_0d", A(f, [2.0], []), A(f, [3.0], []))
    add("outer", "f32_empty", I(f, [0]), I(f, [3]))
    add("outer", "i32", I("int32", [2]), I("int32", [3]))
    add("outer", "bool", A("bool", [True, False, True]), A("bool", [True, False]))
    add("outer", "u8_wrap", A("uint8", [200, 3]), A("uint8", [2, 100]))
    add("outer", "i8_f16", I("int8", [2]), I("float16", [3]))
    add("outer", "c64_f32", A("complex64", [1j, 2 + 0j]), I(f, [2]))
    add("outer", "f32_inf", A(f, [INF, 0.0]), A(f, [0.0, 1.0]))


def TD(fam, name, a, b, axes):
    fam.add(name, "tensordot", [a, b], {"axes": axes})


def gen_tensordot(fam):
    f = "float32"
    TD(fam, "tensordot_f32_default2", I(f, [2, 3, 4]), I(f, [3, 4, 2]), 2)
    TD(fam, "tensordot_f32_axes1", I(f, [2, 3]), I(f, [3, 4]), 1)
    TD(fam, "tensordot_f32_axes0", I(f, [2]), I(f, [3]), 0)
    TD(fam, "tensordot_f32_axes0_2d", I(f, [2, 2]), I(f, [3]), 0)
    TD(fam, "tensordot_f32_axes3", I(f, [2, 2, 3]), I(f, [2, 2, 3]), 3)
    TD(fam, "tensordot_f32_1d_axes1", I(f, [4]), I(f, [4]), 1)
    TD(fam, "tensordot_f32_0d_axes0", A(f, [2.0], []), I(f, [3]), 0)
    TD(fam, "tensordot_f32_list", I(f, [3, 4, 2]), I(f, [4, 3, 2]), [[0, 1], [1, 0]])
    TD(fam, "tensordot_f32_list_neg", I(f, [3, 4, 2]), I(f, [4, 3, 2]), [[-3], [1]])
    TD(fam, "tensordot_f32_list_single", I(f, [3, 4, 2]), I(f, [4, 3, 2]), [[1], [0]])
    TD(fam, "tensordot_f32_list_middle", I(f, [2, 3, 2]), I(f, [2, 3]), [[1], [1]])
    TD(fam, "tensordot_f32_list_empty", I(f, [2]), I(f, [3]), [[], []])
    TD(fam, "tensordot_f32_list_all", I(f, [2, 3]), I(f, [3, 2]), [[0, 1], [1, 0]])
    TD(fam, "tensordot_f32_T", I(f, [4, 3], "transpose"), I(f, [4, 2]), [[1], [0]])
    TD(fam, "tensordot_f32_empty", I(f, [2, 0]), I(f, [0, 3]), 1)
    TD(fam, "tensordot_f16", I("float16", [2, 3]), I("float16", [3, 2]), 1)
    TD(fam, "tensordot_c64", I("complex64", [2, 3]), I("complex64", [3, 2]), 1)
    TD(fam, "tensordot_mix_i32_f32", I("int32", [2, 3]), I(f, [3, 2]), 1)
    TD(fam, "tensordot_f32_rand", R(f, [2, 3, 4]), R(f, [4, 3, 2]), [[1, 2], [1, 0]])
    TD(fam, "tensordot_err_neg", I(f, [2]), I(f, [3]), -1)
    TD(fam, "tensordot_err_too_big", I(f, [2, 3]), I(f, [3, 4]), 3)
    TD(fam, "tensordot_err_mismatch_int", I(f, [2, 3]), I(f, [4, 2]), 1)
    TD(fam, "tensordot_err_len", I(f, [3, 4, 2]), I(f, [4, 3, 2]), [[0, 1], [1]])
    TD(fam, "tensordot_err_dim", I(f, [3, 4, 2]), I(f, [4, 3, 2]), [[0], [0]])
    TD(fam, "tensordot_err_three_lists", I(f, [3, 3]), I(f, [3, 3]), [[0], [0], [1]])
    TD(fam, "tensordot_err_dup_axis", I(f, [3, 3]), I(f, [3, 3]), [[0, 0], [0, 1]])
    TD(fam, "tensordot_err_i32", I("int32", [2, 3]), I("int32", [3, 2]), 1)
    TD(fam, "tensordot_err_i32_axes0", I("int32", [2]), I("int32", [3]), 0)


# ================================================================= einsum

def EIN(fam, name, subs, ops, path=False):
    fam.add(name, "einsum", ops, {"subscripts": subs})
    if path:
        fam.add(name.replace("einsum_", "einsum_path_", 1), "einsum_path", ops,
                {"subscripts": subs})


def gen_einsum(fam):
    f = "float32"
    EIN(fam, "einsum_matmul", "ij,jk->ik", [I(f, [2, 3]), I(f, [3, 4])], path=True)
    EIN(fam, "einsum_matmul_implicit", "ij,jk", [I(f, [2, 3]), I(f, [3, 4])], path=True)
    EIN(fam, "einsum_matmul_T_out", "ij,jk->ki", [I(f, [2, 3]), I(f, [3, 4])])
    EIN(fam, "einsum_matmul_spaces", " ij , jk -> ik ", [I(f, [2, 3]), I(f, [3, 4])])
    EIN(fam, "einsum_matmul_upper", "iJ,Jk->ik", [I(f, [2, 3]), I(f, [3, 4])])
    EIN(fam, "einsum_matvec", "ij,j->i", [I(f, [2, 3]), I(f, [3])])
    EIN(fam, "einsum_dot", "i,i->", [I(f, [4]), I(f, [4])])
    EIN(fam, "einsum_batch_matmul", "bij,bjk->bik", [I(f, [2, 2, 3]), I(f, [2, 3, 4])],
        path=True)
    EIN(fam, "einsum_batch_matmul_perm", "bij,jbk->kbi", [I(f, [2, 2, 3]), I(f, [3, 2, 4])])
    EIN(fam, "einsum_trace", "ii", [I(f, [3, 3])], path=True)
    EIN(fam, "einsum_trace_explicit", "ii->", [I(f, [3, 3])])
    EIN(fam, "einsum_diagonal", "ii->i", [I(f, [3, 3])])
    EIN(fam, "einsum_transpose", "ij->ji", [I(f, [2, 3])])
    EIN(fam, "einsum_implicit_ji", "ji", [I(f, [2, 3])])
    EIN(fam, "einsum_implicit_ij", "ij", [I(f, [2, 3])])
    EIN(fam, "einsum_sum_all", "ij->", [I(f, [2, 3])])
    EIN(fam, "einsum_sum_axis", "ij->j", [I(f, [2, 3])])
    EIN(fam, "einsum_outer", "i,j->ij", [I(f, [2]), I(f, [3])], path=True)
    EIN(fam, "einsum_outer_implicit", "i,j", [I(f, [2]), I(f, [3])])
    EIN(fam, "einsum_hadamard", "ij,ij->ij", [I(f, [2, 3]), I(f, [2, 3])])
    EIN(fam, "einsum_frobenius", "ij,ij->", [I(f, [2, 3]), I(f, [2, 3])])
    EIN(fam, "einsum_bcast_ellipsis", "...ij,...jk->...ik",
        [I(f, [2, 1, 2, 3]), I(f, [3, 3, 2])], path=True)
    EIN(fam, "einsum_bcast_ellipsis_implicit", "...ij,...jk",
        [I(f, [2, 2, 3]), I(f, [2, 3, 2])])
    EIN(fam, "einsum_ellipsis_mid", "i...j->j...i", [I(f, [2, 3, 1, 2])])
    EIN(fam, "einsum_ellipsis_empty", "...ij->...ji", [I(f, [2, 3])])
    EIN(fam, "einsum_bcast_size1", "ij,jk->ik", [I(f, [2, 1]), I(f, [3, 4])])
    EIN(fam, "einsum_three", "ij,jk,kl->il", [I(f, [2, 3]), I(f, [3, 4]), I(f, [4, 2])],
        path=True)
    EIN(fam, "einsum_three_dot", "i,i,i->", [I(f, [2]), I(f, [2]), I(f, [2])], path=True)
    EIN(fam, "einsum_three_outer", "i,j,k->ijk", [I(f, [2]), I(f, [3]), I(f, [2])],
        path=True)
    EIN(fam, "einsum_four_chain", "ij,jk,kl,lm->im",
        [I(f, [2, 3]), I(f, [3, 4]), I(f, [4, 2]), I(f, [2, 5])], path=True)
    EIN(fam, "einsum_five", "ea,fb,abcd,gc,hd->efgh",
        [I(f, [2, 3]), I(f, [2, 3]), I(f, [3, 3, 3, 3]), I(f, [2, 3]), I(f, [2, 3])],
        path=True)
    EIN(fam, "einsum_repeat_iij", "iij->j", [I(f, [3, 3, 2])])
    EIN(fam, "einsum_repeat_ijij", "ijij->ij", [I(f, [2, 2, 2, 2])])
    EIN(fam, "einsum_repeat_iii", "iii->i", [I(f, [2, 2, 2])])
    EIN(fam, "einsum_repeat_in_product", "ii,ij->j", [I(f, [3, 3]), I(f, [3, 2])],
        path=True)
    EIN(fam, "einsum_scalar_operand", "i,->i", [I(f, [3]), A(f, [2.5], [])])
    EIN(fam, "einsum_0d", "->", [A(f, [3.0], [])])
    EIN(fam, "einsum_T_input", "ij,jk->ik", [I(f, [3, 2], "transpose"), I(f, [3, 4])])
    EIN(fam, "einsum_empty", "ij,jk->ik", [I(f, [2, 0]), I(f, [0, 3])])
    EIN(fam, "einsum_rand", "bij,bkj->bik", [R(f, [2, 3, 4]), R(f, [2, 2, 4])])
    # dtypes: contractions go through matmul (ints rejected), the rest
    # (repeats, sums, products without contraction) through multiply/sum
    EIN(fam, "einsum_f16_matmul", "ij,jk->ik", [I("float16", [2, 3]), I("float16", [3, 2])])
    EIN(fam, "einsum_bf16_trace", "ii", [I("bfloat16", [3, 3])])
    EIN(fam, "einsum_c64_matmul", "ij,jk->ik", [I("complex64", [2, 3]), I("complex64", [3, 2])])
    EIN(fam, "einsum_mix_f16_f32", "ij,jk->ik", [I("float16", [2, 3]), I(f, [3, 2])])
    EIN(fam, "einsum_i32_sum", "ij->", [I("int32", [2, 3])])
    EIN(fam, "einsum_i8_sum", "ij->j", [I("int8", [2, 3])])
    EIN(fam, "einsum_bool_sum", "ij->", [I("bool", [2, 3])])
    EIN(fam, "einsum_i32_trace", "ii", [I("int32", [3, 3])])
    EIN(fam, "einsum_i32_transpose", "ij->ji", [I("int32", [2, 3])])
    EIN(fam, "einsum_i32_outer", "i,j->ij", [I("int32", [2]), I("int32", [3])])
    EIN(fam, "einsum_i32_hadamard", "ij,ij->ij", [I("int32", [2, 2]), I("int32", [2, 2])])
    EIN(fam, "einsum_err_i32_matmul", "ij,jk->ik", [I("int32", [2, 3]), I("int32", [3, 2])])
    # errors
    EIN(fam, "einsum_err_operand_count", "ij,jk->ik", [I(f, [2, 3])])
    EIN(fam, "einsum_err_no_operands", "ij->", [])
    EIN(fam, "einsum_err_ndim", "ijk->", [I(f, [2, 3])])
    EIN(fam, "einsum_err_ndim_0d", "i->", [A(f, [3.0], [])])
    EIN(fam, "einsum_err_bad_char", "i1->", [I(f, [2, 3])])
    EIN(fam, "einsum_err_repeat_out", "ij->ii", [I(f, [2, 3])])
    EIN(fam, "einsum_err_shape", "ij,jk->ik", [I(f, [2, 3]), I(f, [2, 3])])
    EIN(fam, "einsum_err_repeat_size", "ii", [I(f, [2, 3])])
    EIN(fam, "einsum_err_two_ellipsis", "...i...->", [I(f, [2, 3])])
    EIN(fam, "einsum_err_ellipsis_ndim", "...ijk->", [I(f, [2, 3])])
    EIN(fam, "einsum_err_unknown_out", "ij->k", [I(f, [2, 3])])
    EIN(fam, "einsum_err_unknown_out2", "ij->iz", [I(f, [2, 3])])
    for tag, subs, ops in (("err_operand_count", "ij,jk->ik", [I(f, [2, 3])]),
                           ("err_shape", "ij,jk->ik", [I(f, [2, 3]), I(f, [2, 3])])):
        fam.add(f"einsum_path_{tag}", "einsum_path", ops, {"subscripts": subs})


# ========================================================= block_masked_mm

def BMM(fam, name, a, b, block_size=32, out=None, lhs=None, rhs=None):
    fam.add(name, "block_masked_mm", [a, b, out, lhs, rhs],
            {"block_size": block_size, "has_mask_out": out is not None,
             "has_mask_lhs": lhs is not None, "has_mask_rhs": rhs is not None})


def bmask(shape, p=0.5):
    return A("bool", [bool(v) for v in RNG.random(nel(shape)) < p], shape)


def fmask(shape, dt="float32"):
    return A(dt, [float(v) for v in RNG.choice([0.0, 0.5, 1.0, 2.0, -1.0], nel(shape))],
             shape)


def gen_block_masked(fam):
    f = "float32"

    def ab(M, K, N, lo=-1, hi=2):
        return I(f, [M, K], lo=lo, hi=hi), I(f, [K, N], lo=lo, hi=hi)

    # one dimension split in two blocks at a time (cheap), block 32
    a, b = ab(2, 40, 3)        # tm=1 tk=2 tn=1
    BMM(fam, "bmm_k2_lhs_bool", a, b, 32, lhs=A("bool", [True, False], [1, 2]))
    BMM(fam, "bmm_k2_rhs_bool", a, b, 32, rhs=A("bool", [False, True], [2, 1]))
    BMM(fam, "bmm_k2_lhs_rhs_bool", a, b, 32, lhs=A("bool", [True, True], [1, 2]),
        rhs=A("bool", [False, True], [2, 1]))
    BMM(fam, "bmm_k2_lhs_float", a, b, 32, lhs=A(f, [2.0, -0.5], [1, 2]))
    BMM(fam, "bmm_k2_lhs_float_rhs_bool", a, b, 32, lhs=A(f, [2.0, 0.5], [1, 2]),
        rhs=A("bool", [True, False], [2, 1]))
    BMM(fam, "bmm_k2_out_bool", a, b, 32, out=A("bool", [False], [1, 1]))
    BMM(fam, "bmm_k2_all_true", a, b, 32, out=A("bool", [True], [1, 1]),
        lhs=A("bool", [True, True], [1, 2]), rhs=A("bool", [True, True], [2, 1]))
    a, b = ab(40, 3, 2)        # tm=2
    BMM(fam, "bmm_m2_out_bool", a, b, 32, out=A("bool", [True, False], [2, 1]))
    BMM(fam, "bmm_m2_out_float", a, b, 32, out=A(f, [-2.0, 0.5], [2, 1]))
    BMM(fam, "bmm_m2_lhs_bool", a, b, 32, lhs=A("bool", [False, True], [2, 1]))
    a, b = ab(2, 3, 40)        # tn=2
    BMM(fam, "bmm_n2_out_bool", a, b, 32, out=A("bool", [False, True], [1, 2]))
    BMM(fam, "bmm_n2_rhs_float", a, b, 32, rhs=A(f, [0.5, 3.0], [1, 2]))
    BMM(fam, "bmm_n2_out_i32", a, b, 32, out=A("int32", [2, -1], [1, 2]))
    # block 64
    a, b = ab(2, 70, 3)        # tk=2 with 64, tk=3 with 32
    BMM(fam, "bmm_bs64_k2_lhs_bool", a, b, 64, lhs=A("bool", [False, True], [1, 2]))
    BMM(fam, "bmm_bs64_k2_rhs_float", a, b, 64, rhs=A(f, [2.0, -1.0], [2, 1]))
    BMM(fam, "bmm_bs32_k3_lhs_bool", a, b, 32, lhs=A("bool", [True, False, True], [1, 3]))
    BMM(fam, "bmm_bs64_err_mask_shape_32", a, b, 64,
        lhs=A("bool", [True, False, True], [1, 3]))
    # all three dims split (2x2x2 blocks), random bool and float masks
    a, b = ab(36, 34, 33)
    BMM(fam, "bmm_full_bool", a, b, 32, out=bmask([2, 2]), lhs=bmask([2, 2]),
        rhs=bmask([2, 2]))
    BMM(fam, "bmm_full_float", a, b, 32, out=fmask([2, 2]), lhs=fmask([2, 2]),
        rhs=fmask([2, 2]))
    BMM(fam, "bmm_full_mixed", a, b, 32, out=fmask([2, 2]), lhs=bmask([2, 2]),
        rhs=fmask([2, 2]))
    # NaN/inf: a false bool block is skipped (set to 0), a float 0 multiplies
    na = ivals(f, 40 * 34, -1, 2)
    na[0] = INF          # a[0,0]: block (0,0)
    na[35 * 34] = NAN    # a[35,0]: block (1,0)
    a = A(f, na, [40, 34])
    b = I(f, [34, 34], lo=-1, hi=2)
    BMM(fam, "bmm_nan_out_bool", a, b, 32, out=A("bool", [False, True, True, False], [2, 2]))
    BMM(fam, "bmm_nan_out_float", a, b, 32, out=A(f, [0.0, 1.0, 1.0, 0.0], [2, 2]))
    BMM(fam, "bmm_nan_lhs_bool", a, b, 32, lhs=A("bool", [False, True, True, True], [2, 2]))
    BMM(fam, "bmm_nan_lhs_float", a, b, 32, lhs=A(f, [0.0, 1.0, 1.0, 1.0], [2, 2]))
    BMM(fam, "bmm_nan_rhs_bool", a, b, 32, rhs=A("bool", [False, True, True, True], [2, 2]))
    # single block (every dim < 32): masks are [1,1]
    a, b = ab(3, 4, 2)
    BMM(fam, "bmm_small_no_masks", a, b, 32)
    BMM(fam, "bmm_small_no_masks_bs16", a, b, 16)   # no masks: plain matmul, any size
    BMM(fam, "bmm_small_out_false", a, b, 32, out=A("bool", [False], [1, 1]))
    BMM(fam, "bmm_small_out_float", a, b, 32, out=A(f, [-1.5], [1, 1]))
    BMM(fam, "bmm_small_out_f16", a, b, 32, out=A("float16", [0.5], [1, 1]))
    BMM(fam, "bmm_small_lhs_float_rhs_float", a, b, 32, lhs=A(f, [2.0], [1, 1]),
        rhs=A(f, [-3.0], [1, 1]))
    BMM(fam, "bmm_small_all_float", a, b, 64, out=A(f, [0.5], [1, 1]),
        lhs=A(f, [2.0], [1, 1]), rhs=A(f, [-3.0], [1, 1]))
    # masks broadcast like arrays (0-d, [1], extra leading dims)
    BMM(fam, "bmm_small_out_0d", a, b, 32, out=A("bool", [False], []))
    BMM(fam, "bmm_small_lhs_1d", a, b, 32, lhs=A(f, [3.0], [1]))
    a2, b2 = ab(40, 3, 40)
    BMM(fam, "bmm_out_row_bcast", a2, b2, 32, out=A("bool", [True, False], [2]))
    # batched: per-batch masks, broadcast masks and batch broadcasting of a, b
    a = I(f, [2, 3, 4], lo=-1, hi=2)
    b = I(f, [4, 2], lo=-1, hi=2)
    BMM(fam, "bmm_batch_out", a, b, 32, out=A("bool", [True, False], [2, 1, 1]))
    BMM(fam, "bmm_batch_lhs", a, b, 32, lhs=A(f, [2.0, -1.0], [2, 1, 1]))
    BMM(fam, "bmm_batch_rhs", a, I(f, [2, 4, 2], lo=-1, hi=2), 32,
        rhs=A("bool", [False, True], [2, 1, 1]))
    BMM(fam, "bmm_batch_out_shared", a, b, 32, out=A(f, [3.0], [1, 1]))
    BMM(fam, "bmm_batch_out_bcast_b", a, b, 32, out=A("bool", [False, True], [2, 1, 1]))
    # MLX bug: BOOL operand masks zero blocks in place in a buffer that batch-
    # broadcast operands share, so a False block of one batch also zeroes that
    # block in every later batch using the same matrix. Float masks make full
    # copies and are fine. (See FINDINGS.md.)
    BMM(fam, "bmm_batch_rhs_bcast_b_bug", a, b, 32, rhs=A("bool", [False, True], [2, 1, 1]))
    BMM(fam, "bmm_batch_rhs_bcast_b_float", a, b, 32, rhs=A(f, [0.0, 1.0], [2, 1, 1]))
    a4 = I(f, [2, 1, 3, 4], lo=-1, hi=2)
    b4 = I(f, [3, 4, 2], lo=-1, hi=2)
    BMM(fam, "bmm_batch_bcast_ab_bug", a4, b4, 32,
        lhs=A("bool", [True, False, True], [3, 1, 1]))
    BMM(fam, "bmm_batch_bcast_ab_float", a4, b4, 32,
        lhs=A(f, [1.0, 0.0, 2.0], [3, 1, 1]))
    BMM(fam, "bmm_batch_bcast_ab_false_last", a4, b4, 32,
        lhs=A("bool", [True, True, False], [3, 1, 1]))
    BMM(fam, "bmm_err_batch_mask", a, b, 32, out=A("bool", [True, False, True], [3, 1, 1]))
    # 1-d operands
    v = I(f, [4], lo=-1, hi=2)
    m = I(f, [4, 3], lo=-1, hi=2)
    BMM(fam, "bmm_1d_2d_out_1d", v, m, 32, out=A(f, [2.0], [1]))
    BMM(fam, "bmm_2d_1d_out_1d", I(f, [3, 4], lo=-1, hi=2), v, 32, out=A(f, [2.0], [1]))
    BMM(fam, "bmm_1d_2d_rhs", v, m, 32, rhs=A(f, [-1.0], [1, 1]))
    BMM(fam, "bmm_1d_1d_out_0d", v, v, 32, out=A(f, [2.0], []))
    BMM(fam, "bmm_err_1d_2d_out_2d", v, m, 32, out=A("bool", [True], [1, 1]))
    BMM(fam, "bmm_err_1d_2d_lhs_2d", v, m, 32, lhs=A("bool", [True], [1, 1]))
    # non-contiguous operands
    BMM(fam, "bmm_T_a", I(f, [40, 2], "transpose", lo=-1, hi=2), I(f, [40, 3], lo=-1, hi=2),
        32, lhs=A("bool", [False, True], [1, 2]))
    BMM(fam, "bmm_step2_b_T_a_bool", I(f, [34, 2], "transpose", lo=-1, hi=2),
        I(f, [68, 3], "step2", lo=-1, hi=2), 32,
        lhs=A("bool", [True, False], [1, 2]), rhs=A("bool", [False, True], [2, 1]))
    BMM(fam, "bmm_step2_b_T_a_float", I(f, [34, 2], "transpose", lo=-1, hi=2),
        I(f, [68, 3], "step2", lo=-1, hi=2), 32,
        lhs=A(f, [2.0, 0.5], [1, 2]), rhs=A(f, [-1.0, 1.0], [2, 1]))
    # dtypes: the masked kernel is f32 only; without masks it is plain matmul
    for dt in ("float16", "bfloat16", "float64"):
        s = SHORT[dt]
        x, y = I(dt, [3, 4], lo=-1, hi=2), I(dt, [4, 2], lo=-1, hi=2)
        BMM(fam, f"bmm_{s}_no_masks", x, y, 32)
        BMM(fam, f"bmm_err_{s}_out_mask", x, y, 32, out=A("bool", [True], [1, 1]))
    BMM(fam, "bmm_f16_f32_out_mask", I("float16", [3, 4], lo=-1, hi=2),
        I(f, [4, 2], lo=-1, hi=2), 32, out=A("bool", [False], [1, 1]))
    BMM(fam, "bmm_i32_f32_lhs_mask", I("int32", [3, 4], lo=-1, hi=2),
        I(f, [4, 2], lo=-1, hi=2), 32, lhs=A(f, [2.0], [1, 1]))
    BMM(fam, "bmm_err_c64", I("complex64", [3, 4]), I(f, [4, 2]), 32,
        out=A("bool", [True], [1, 1]))
    BMM(fam, "bmm_c64_no_masks", I("complex64", [3, 4]), I("complex64", [4, 2]), 32)
    BMM(fam, "bmm_err_i32", I("int32", [3, 4]), I("int32", [4, 2]), 32,
        out=A("bool", [True], [1, 1]))
    BMM(fam, "bmm_err_i32_no_masks", I("int32", [3, 4]), I("int32", [4, 2]), 32)
    # errors
    a, b = ab(3, 4, 2)
    for bs in (0, 16, 33, 128):
        BMM(fam, f"bmm_err_block_size_{bs}", a, b, bs, out=A("bool", [True], [1, 1]))
    BMM(fam, "bmm_err_block_size_16_lhs", a, b, 16, lhs=A("bool", [True], [1, 1]))
    BMM(fam, "bmm_err_mismatch", a, I(f, [3, 2]), 32, out=A("bool", [True], [1, 1]))
    BMM(fam, "bmm_err_0d", A(f, [1.0], []), b, 32, out=A("bool", [True], [1, 1]))
    BMM(fam, "bmm_err_out_shape", a, b, 32, out=A("bool", [True] * 4, [2, 2]))
    BMM(fam, "bmm_err_lhs_shape", a, b, 32, lhs=A("bool", [True] * 2, [1, 2]))
    BMM(fam, "bmm_err_rhs_shape", a, b, 32, rhs=A("bool", [True] * 2, [2, 1]))
    # K = 0 / M = 0
    BMM(fam, "bmm_empty_K0", I(f, [3, 0]), I(f, [0, 2]), 32, out=A("bool", [True], [1, 1]))
    BMM(fam, "bmm_empty_K0_lhs", I(f, [3, 0]), I(f, [0, 2]), 32,
        lhs=A("bool", [True], [1, 1]))


# ============================================================== gather_mm

def GMM(fam, name, a, b, lhs=None, rhs=None, sorted_indices=False):
    fam.add(name, "gather_mm", [a, b, lhs, rhs],
            {"sorted_indices": sorted_indices, "has_lhs_indices": lhs is not None,
             "has_rhs_indices": rhs is not None})


def U(vals, shape=None, dt="uint32"):
    return A(dt, vals, shape)


def gen_gather_mm(fam):
    f = "float32"
    a = I(f, [4, 2, 3])
    b = I(f, [3, 3, 2])
    GMM(fam, "gmm_no_indices", I(f, [3, 2, 3]), b)
    GMM(fam, "gmm_both", a, b, U([0, 3]), U([2, 1]))
    GMM(fam, "gmm_both_repeat", a, b, U([3, 3, 0]), U([1, 1, 1]))
    GMM(fam, "gmm_both_bcast", a, b, U([0, 3], [2, 1]), U([2, 1, 0]))
    GMM(fam, "gmm_both_2d", a, b, U([0, 1, 2, 3], [2, 2]), U([0, 1, 2, 0], [2, 2]))
    GMM(fam, "gmm_both_0d", a, b, U([1], []), U([2], []))
    GMM(fam, "gmm_lhs_only_b2d", a, I(f, [3, 2]), U([3, 0, 0, 1]))
    GMM(fam, "gmm_lhs_only_0d_default_rhs", a, b, U([1], []))
    GMM(fam, "gmm_rhs_only_a2d", I(f, [2, 3]), b, None, U([2, 2, 1]))
    GMM(fam, "gmm_rhs_only_a3d_default_lhs", I(f, [3, 2, 3]), b, None, U([2, 0, 1]))
    GMM(fam, "gmm_a2d_b2d_lhs", I(f, [2, 3]), I(f, [3, 2]), U([0, 0, 0]))
    GMM(fam, "gmm_4d_flat_index", I(f, [2, 3, 2, 3]), b, U([5, 0, 3]), U([1, 1, 2]))
    GMM(fam, "gmm_batch_bcast_a", I(f, [1, 2, 3]), b, U([0, 0]), U([0, 1]))
    GMM(fam, "gmm_1d_a", I(f, [3]), b, None, U([2, 0]))
    GMM(fam, "gmm_1d_b", a, I(f, [3]), U([2, 0]))
    GMM(fam, "gmm_empty_indices", a, b, U([]), U([]))
    GMM(fam, "gmm_K0", I(f, [2, 2, 0]), I(f, [2, 0, 3]), U([1, 0]), U([0, 0]))
    GMM(fam, "gmm_T_b", a, I(f, [2, 3, 3], "transpose"), U([1, 2]), U([0, 1]))
    GMM(fam, "gmm_T_a", I(f, [3, 2, 4], "transpose"), b, U([0, 3]), U([2, 1]))
    # index dtypes
    for dt in ("int32", "int64", "int8", "uint8", "uint64"):
        GMM(fam, f"gmm_idx_{SHORT[dt]}", a, b, U([0, 3], dt=dt), U([2, 1], dt=dt))
    # sorted_indices (only takes effect when exactly one index array is given)
    GMM(fam, "gmm_sorted_lhs", a, I(f, [3, 2]), U([0, 0, 1, 3]), None, True)
    GMM(fam, "gmm_sorted_rhs", I(f, [4, 3]), b, None, U([0, 1, 1, 2]), True)
    GMM(fam, "gmm_sorted_rhs_a3d", I(f, [1, 4, 3]), b, None, U([0, 1, 1, 2]), True)
    GMM(fam, "gmm_sorted_both", a, b, U([0, 3]), U([2, 1]), True)
    GMM(fam, "gmm_sorted_flag_unsorted", I(f, [2, 3]), b, None, U([2, 0, 1]), True)
    # random values, mixed dtypes
    GMM(fam, "gmm_rand", R(f, [3, 4, 5]), R(f, [2, 5, 3]), U([2, 0, 1]), U([1, 1, 0]))
    GMM(fam, "gmm_mix_f16_f32", I("float16", [2, 2, 3]), b, U([1, 0]), U([0, 2]))
    GMM(fam, "gmm_mix_i32_f32", I("int32", [2, 2, 3]), b, U([1, 0]), U([0, 2]))
    # no indices: plain matmul, any dtype matmul takes
    GMM(fam, "gmm_f16_no_indices", I("float16", [2, 3]), I("float16", [3, 2]))
    # errors
    for dt in ("float16", "bfloat16", "float64"):
        GMM(fam, f"gmm_err_{SHORT[dt]}", I(dt, [2, 2, 3]), I(dt, [3, 3, 2]), U([0]), U([1]))
    GMM(fam, "gmm_err_c64", I("complex64", [2, 2, 3]), b, U([0]), U([1]))
    GMM(fam, "gmm_err_i32_operands", I("int32", [2, 2, 3]), I("int32", [3, 3, 2]),
        U([0]), U([1]))
    GMM(fam, "gmm_err_float_indices", a, b, A(f, [0.0, 3.0]), U([2, 1]))
    GMM(fam, "gmm_err_float_rhs_indices", a, b, U([0, 3]), A(f, [2.0, 1.0]))
    GMM(fam, "gmm_err_bool_indices", a, b, A("bool", [True, False]), U([2, 1]))
    GMM(fam, "gmm_err_bcast", a, b, U([0, 3]), U([2, 1, 0]))
    GMM(fam, "gmm_err_default_rhs_bcast", a, b, U([0, 3]))
    GMM(fam, "gmm_err_mismatch", a, I(f, [3, 2, 2]), U([0]), U([1]))
    GMM(fam, "gmm_err_0d", A(f, [1.0], []), b, None, U([0]))


# =================================================================== main

FAMILIES = [gen_matmul_shapes, gen_matmul_dtypes, gen_matmul_pairs,
            gen_matmul_special, gen_matmul_errors, gen_addmm, gen_inner_outer,
            gen_tensordot, gen_einsum, gen_block_masked, gen_gather_mm]


def main():
    runner = Runner(ops_module="gen_matmul")
    fam = Family(runner, "matmul.json")
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
