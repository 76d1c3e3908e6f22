#!/usr/bin/env python3
"""Generate golden test data for the indexing ops of `mx` from real MLX.

Writes tests/golden/ops/index.json (format described in README.md).
Ops, their args and kwargs (kwargs are always complete, in this form):
  take            args [x, indices (array or int scalar)]      {"axis": null|int}
  take_along_axis args [x, indices]                            {"axis": null|int}
  put_along_axis  args [x, indices, values]                    {"axis": null|int}
  slice           args [x, start_indices]    {"axes": [int], "slice_size": [int]}
  slice_update    args [x, update, start_indices]              {"axes": [int]}
  getitem         args [x, index arrays...]   {"index": ITEM|[ITEM], "tuple": bool}
  setitem, at_add, at_subtract, at_multiply, at_divide, at_maximum, at_minimum
                  args [x, index arrays..., update]
                  {"index": ITEM|[ITEM], "tuple": bool, "update": int}
ITEM is one of {"kind":"slice","start","stop","step"} (each int|null),
{"kind":"int","value":int}, {"kind":"array","arg":int} (position in args),
{"kind":"none"}, {"kind":"ellipsis"}. "tuple": true -> x[(ITEM, ...)] with
"index" a list; false -> x[ITEM] with "index" a single ITEM.
Out-of-range indices (undefined in MLX) are never generated.
Usage: python3 scripts/golden/gen_index.py
"""

import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlx.core as mx  # noqa: E402
from common import (  # noqa: E402
    A, S, Family, Runner, MLX_VERSION, build_arg,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "tests", "golden", "ops")

SEED = 20240716
RNG = np.random.default_rng(SEED)

NAN = float("nan")

assert mx.__version__ == MLX_VERSION, mx.__version__


def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


# ============================================================ worker side

AT_OPS = ["at_add", "at_subtract", "at_multiply", "at_divide", "at_maximum",
          "at_minimum"]
SET_OPS = ["setitem"] + AT_OPS


def _item(it, a):
    k = it["kind"]
    if k == "slice":
        return slice(it["start"], it["stop"], it["step"])
    if k == "int":
        return it["value"]
    if k == "array":
        return a[it["arg"]]
    if k == "none":
        return None
    if k == "ellipsis":
        return Ellipsis
    raise ValueError("unknown index item " + k)


def _index(kw, a):
    if kw["tuple"]:
        return tuple(_item(it, a) for it in kw["index"])
    return _item(kw["index"], a)


def apply_op(op, args, kw):
    a = [build_arg(x) for x in args]
    if op == "take":
        return mx.take(a[0], a[1], axis=kw["axis"])
    if op == "take_along_axis":
        return mx.take_along_axis(a[0], a[1], axis=kw["axis"])
    if op == "put_along_axis":
        return mx.put_along_axis(a[0], a[1], a[2], axis=kw["axis"])
    if op == "slice":
        return mx.slice(a[0], a[1], kw["axes"], kw["slice_size"])
    if op == "slice_update":
        return mx.slice_update(a[0], a[1], a[2], kw["axes"])
    if op == "getitem":
        return a[0][_index(kw, a)]
    if op == "setitem":
        x = a[0]
        x[_index(kw, a)] = a[kw["update"]]
        return x
    if op in AT_OPS:
        at = a[0].at[_index(kw, a)]
        return getattr(at, op[3:])(a[kw["update"]])
    return NotImplemented


# ========================================================= generator side

XDTYPES = ["bool", "uint8", "int32", "int64", "float16", "bfloat16",
           "float32", "complex64"]
FULL = ["float32", "int32"]          # every case runs on these
SWEEP = ["bool", "uint8", "int64", "float16", "bfloat16", "complex64"]

ITYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64",
          "uint64"]


def xvals(dt, n, off=0):
    """Distinct (where the dtype allows) deterministic values."""
    p = RNG.permutation(n)
    if dt == "bool":
        return [bool(v) for v in RNG.integers(0, 2, n)]
    if dt == "uint8":
        return [int(v) + 1 + off for v in p]
    if dt in ("int32", "int64", "int8", "int16"):
        return [int(v) * 3 - n - off for v in p]
    if dt == "complex64":
        q = RNG.permutation(n)
        return [complex(float(v) - n / 2 + off, float(w) * 0.5) for v, w in zip(p, q)]
    # floats: multiples of 1/4, exact in f16/bf16
    return [(float(v) - n / 2) * 0.25 + off for v in p]


def X(dt, shape, view=None, off=0):
    n = int(np.prod(shape)) if shape else 1
    return A(dt, xvals(dt, n, off), shape, view)


def U(dt, shape, off=100):
    """Update values, distinct from the x values."""
    n = int(np.prod(shape)) if shape else 1
    if dt == "uint8":
        off = min(off, 200)
    return A(dt, xvals(dt, n, off), shape)


def I(vals, shape=None, dt="int32"):
    """Index array ARG."""
    vals = list(vals) if isinstance(vals, (list, tuple)) else [vals]
    if shape is None:
        shape = [len(vals)]
    return A(dt, vals, shape)


# ---- index items; arrays are given as ARGs and numbered when the case is built
def SL(start=None, stop=None, step=None):
    return {"kind": "slice", "start": start, "stop": stop, "step": step}


def IT(v):
    return {"kind": "int", "value": v}


NONE = {"kind": "none"}
ELL = {"kind": "ellipsis"}


def AR(arg):
    return ("ARR", arg)


def build_index(items, tup, first):
    """items: list of items (or one item when tup is False); AR() items become
    {"kind":"array","arg": k}. Returns (index JSON, index arrays)."""
    arrays = []

    def one(it):
        if isinstance(it, tuple) and it[0] == "ARR":
            arrays.append(it[1])
            return {"kind": "array", "arg": first + len(arrays) - 1}
        return it

    if tup:
        enc = [one(it) for it in items]
    else:
        enc = one(items)
    return enc, arrays


def add_get(fam, name, x, items, tup=True):
    enc, arrs = build_index(items, tup, 1)
    return fam.add(name, "getitem", [x] + arrs, {"index": enc, "tuple": tup})


def add_set(fam, name, op, x, items, tup, upd):
    enc, arrs = build_index(items, tup, 1)
    args = [x] + arrs + [upd]
    return fam.add(name, op, args,
                   {"index": enc, "tuple": tup, "update": len(args) - 1})


def dshort(dt):
    return {"bool": "b", "uint8": "u8", "uint16": "u16", "uint32": "u32",
            "uint64": "u64", "int8": "i8", "int16": "i16", "int32": "i32",
            "int64": "i64", "float16": "f16", "bfloat16": "bf16",
            "float32": "f32", "float64": "f64", "complex64": "c64"}[dt]


def axname(axis):
    if axis is None:
        return "axnone"
    return "ax" + str(axis).replace("-", "m")


# ================================================================== take

def gen_take(fam):
    S234 = [2, 3, 4]
    for dt in FULL + SWEEP:
        d = dshort(dt)
        x = X(dt, S234)
        full = dt in FULL
        fam.add(f"take_{d}_axnone", "take", [x, I([0, 5, 23, -1, 7])],
                {"axis": None})
        fam.add(f"take_{d}_ax1", "take", [x, I([2, 0, -1, 0])], {"axis": 1})
        fam.add(f"take_{d}_axm1_2d_mixed", "take", [x, I([3, 0, 1, 1, -4, 2], [2, 3])],
                {"axis": -1})
        if not full:
            continue
        fam.add(f"take_{d}_axnone_2d", "take", [x, I([0, 23, 11, 12], [2, 2])],
                {"axis": None})
        fam.add(f"take_{d}_axnone_neg", "take", [x, I([-24, -1, -13])],
                {"axis": None})
        fam.add(f"take_{d}_axnone_0d", "take", [x, I(17, [])], {"axis": None})
        fam.add(f"take_{d}_axnone_0d_neg", "take", [x, I(-2, [])], {"axis": None})
        fam.add(f"take_{d}_axnone_empty", "take", [x, I([], [0])], {"axis": None})
        fam.add(f"take_{d}_axnone_pyint", "take", [x, S(7)], {"axis": None})
        for axis in (0, 1, 2, -1, -2, -3):
            n = S234[axis]
            fam.add(f"take_{d}_{axname(axis)}_1d", "take",
                    [x, I([n - 1, 0, n - 1])], {"axis": axis})
            fam.add(f"take_{d}_{axname(axis)}_2d", "take",
                    [x, I([0, n - 1, -1, -n], [2, 2])], {"axis": axis})
            fam.add(f"take_{d}_{axname(axis)}_0d", "take",
                    [x, I(n - 1, [])], {"axis": axis})
            fam.add(f"take_{d}_{axname(axis)}_0d_neg", "take",
                    [x, I(-1, [])], {"axis": axis})
            fam.add(f"take_{d}_{axname(axis)}_pyint", "take", [x, S(n - 1)],
                    {"axis": axis})
            fam.add(f"take_{d}_{axname(axis)}_empty", "take", [x, I([], [0])],
                    {"axis": axis})
            fam.add(f"take_{d}_{axname(axis)}_empty2d", "take",
                    [x, I([], [2, 0])], {"axis": axis})
        fam.add(f"take_{d}_ax1_dups", "take", [x, I([1, 1, 1, 0, 1])], {"axis": 1})
        fam.add(f"take_{d}_ax1_3d_idx", "take",
                [x, I([0, 1, 2, 2, 1, 0, -1, -2], [2, 2, 2])], {"axis": 1})
        fam.add(f"take_{d}_ax0_T", "take", [X(dt, [4, 3], "transpose"),
                                            I([2, 0, 1])], {"axis": 0})
        fam.add(f"take_{d}_axnone_T", "take", [X(dt, [4, 3], "transpose"),
                                               I([0, 1, 4, 11])], {"axis": None})
        fam.add(f"take_{d}_ax1_flip0", "take", [X(dt, [4, 3], "flip0"),
                                                I([2, 0])], {"axis": 1})
        fam.add(f"take_{d}_0d_x_axnone", "take", [X(dt, []), I([0, 0, -1])],
                {"axis": None})
        fam.add(f"take_{d}_0d_x_pyint", "take", [X(dt, []), S(0)],
                {"axis": None})
        fam.add(f"take_{d}_1d_x", "take", [X(dt, [5]), I([4, -5, 2], [3, 1])],
                {"axis": 0})
        fam.add(f"take_{d}_empty_x_ax0", "take", [X(dt, [0, 3]), I([], [0])],
                {"axis": 0})
        fam.add(f"take_{d}_empty_x_ax1", "take", [X(dt, [0, 3]), I([2, 0])],
                {"axis": 1})
        # a python int i is taken as slice(i, i+1) + squeeze: i = -1 gives an
        # empty slice and an error (MLX bug); other negative ints work
        fam.add(f"take_{d}_axnone_pyint_neg_bug", "take", [x, S(-1)],
                {"axis": None})
        fam.add(f"take_{d}_ax2_pyint_neg_bug", "take", [x, S(-1)], {"axis": 2})
        fam.add(f"take_{d}_ax2_pyint_neg2", "take", [x, S(-2)], {"axis": 2})
        fam.add(f"take_{d}_ax1_pybool", "take", [x, S(True)], {"axis": 1})
    # index dtypes
    x = X("float32", S234)
    for it in ITYPES:
        neg = it.startswith("int")
        vals = [2, -1, 0, -3] if neg else [2, 0, 1, 2]
        fam.add(f"take_f32_idx_{dshort(it)}_ax1", "take",
                [x, I(vals, dt=it)], {"axis": 1})
        fam.add(f"take_f32_idx_{dshort(it)}_axnone", "take",
                [x, I([v * 5 for v in vals], dt=it)], {"axis": None})
    # errors
    xi = X("int32", S234)
    fam.add("take_err_ax3", "take", [xi, I([0])], {"axis": 3})
    fam.add("take_err_axm4", "take", [xi, I([0])], {"axis": -4})
    fam.add("take_err_0d_x_ax0", "take", [X("int32", []), I([0])], {"axis": 0})
    fam.add("take_err_float_idx", "take", [xi, A("float32", [1.0])], {"axis": 1})
    fam.add("take_err_float16_idx", "take", [xi, A("float16", [1.0])],
            {"axis": None})
    fam.add("take_err_bool_idx", "take", [xi, A("bool", [True, False])],
            {"axis": 1})
    fam.add("take_err_c64_idx", "take", [xi, A("complex64", [1])], {"axis": 0})


# ======================================================== take_along_axis

def gen_take_along(fam):
    S234 = [2, 3, 4]
    for dt in FULL + SWEEP:
        d = dshort(dt)
        x = X(dt, S234)
        fam.add(f"take_along_{d}_ax2", "take_along_axis",
                [x, I([3, 0, -1, 1, 2, 2, 0, 0, -4, 1, 3, 2], [2, 3, 2])],
                {"axis": 2})
        fam.add(f"take_along_{d}_axnone", "take_along_axis",
                [x, I([23, 0, -1, 5])], {"axis": None})
        if dt not in FULL:
            continue
        fam.add(f"take_along_{d}_ax0", "take_along_axis",
                [x, I([1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1] * 2, [2, 3, 4])],
                {"axis": 0})
        fam.add(f"take_along_{d}_ax0_grow", "take_along_axis",
                [x, I([1, 0, 0] * 12, [3, 3, 4])], {"axis": 0})
        fam.add(f"take_along_{d}_ax1", "take_along_axis",
                [x, I([2, 1, 0, 0, -1, -2, -3, 2], [2, 1, 4])], {"axis": 1})
        fam.add(f"take_along_{d}_axm1_bcast", "take_along_axis",
                [x, I([0, 3], [1, 1, 2])], {"axis": -1})
        fam.add(f"take_along_{d}_ax2_bcast_mid", "take_along_axis",
                [x, I([0, 1, 2, 3, 3, 2], [2, 1, 3])], {"axis": 2})
        fam.add(f"take_along_{d}_ax1_bcast_all", "take_along_axis",
                [x, I([2], [1, 1, 1])], {"axis": 1})
        fam.add(f"take_along_{d}_axm3_neg", "take_along_axis",
                [x, I([-1, -2], [2, 1, 1])], {"axis": -3})
        fam.add(f"take_along_{d}_ax2_empty", "take_along_axis",
                [x, I([], [2, 3, 0])], {"axis": 2})
        fam.add(f"take_along_{d}_axnone_empty", "take_along_axis",
                [x, I([], [0])], {"axis": None})
        fam.add(f"take_along_{d}_ax1_dups", "take_along_axis",
                [x, I([1] * 5, [1, 5, 1])], {"axis": 1})
        fam.add(f"take_along_{d}_ax0_T", "take_along_axis",
                [X(dt, [3, 2], "transpose"), I([2, 0, 1, 1], [2, 2])],
                {"axis": 1})
        fam.add(f"take_along_{d}_1d", "take_along_axis",
                [X(dt, [5]), I([4, 4, -5, 0])], {"axis": 0})
    x = X("float32", S234)
    for it in ITYPES:
        neg = it.startswith("int")
        vals = [3, -1, 0, -4, 2, 1] if neg else [3, 1, 0, 0, 2, 1]
        fam.add(f"take_along_f32_idx_{dshort(it)}", "take_along_axis",
                [x, I(vals, [1, 3, 2], dt=it)], {"axis": 2})
    xi = X("int32", S234)
    fam.add("take_along_err_rank", "take_along_axis", [xi, I([0], [1, 1])],
            {"axis": 1})
    fam.add("take_along_err_rank_axnone", "take_along_axis",
            [xi, I([0], [1, 1])], {"axis": None})
    fam.add("take_along_err_bcast", "take_along_axis",
            [xi, I([0] * 9, [3, 3, 1])], {"axis": 2})
    fam.add("take_along_err_ax3", "take_along_axis", [xi, I([0], [1, 1, 1])],
            {"axis": 3})
    fam.add("take_along_err_axm4", "take_along_axis", [xi, I([0], [1, 1, 1])],
            {"axis": -4})
    fam.add("take_along_err_float_idx", "take_along_axis",
            [xi, A("float32", [0.0], [1, 1, 1])], {"axis": 2})
    fam.add("take_along_err_bool_idx", "take_along_axis",
            [xi, A("bool", [True], [1, 1, 1])], {"axis": 2})
    fam.add("take_along_err_0d", "take_along_axis", [X("int32", []), I(0, [])],
            {"axis": None})


# ========================================================= put_along_axis

def gen_put_along(fam):
    S234 = [2, 3, 4]
    for dt in FULL + SWEEP:
        d = dshort(dt)
        x = X(dt, S234)
        fam.add(f"put_along_{d}_ax2", "put_along_axis",
                [x, I([3, 0, 1, 2, -1, -4], [2, 3, 1]), U(dt, [2, 3, 1])],
                {"axis": 2})
        fam.add(f"put_along_{d}_axnone", "put_along_axis",
                [x, I([0, 23, -2]), U(dt, [3])], {"axis": None})
        if dt not in FULL:
            continue
        fam.add(f"put_along_{d}_ax0", "put_along_axis",
                [x, I([1, 0, 1, 0], [1, 1, 4]), U(dt, [1, 1, 4])], {"axis": 0})
        fam.add(f"put_along_{d}_ax1_full", "put_along_axis",
                [x, I([2, 1, 0] * 8, [2, 3, 4]), U(dt, [2, 3, 4])], {"axis": 1})
        fam.add(f"put_along_{d}_axm1_vals_0d", "put_along_axis",
                [x, I([1, 2], [1, 1, 2]), U(dt, [])], {"axis": -1})
        fam.add(f"put_along_{d}_ax1_vals_bcast", "put_along_axis",
                [x, I([0, 2], [1, 2, 1]), U(dt, [1, 1, 4])], {"axis": 1})
        fam.add(f"put_along_{d}_ax1_vals_grow_idx", "put_along_axis",
                [x, I([1], [1, 1, 1]), U(dt, [2, 2, 4])], {"axis": 1})
        fam.add(f"put_along_{d}_ax2_dups", "put_along_axis",
                [x, I([1, 1, 1, 1], [1, 1, 4]), U(dt, [1, 1, 4])], {"axis": 2})
        fam.add(f"put_along_{d}_1d_dups", "put_along_axis",
                [X(dt, [5]), I([1, 3, 1, 1, -4]), U(dt, [5])], {"axis": 0})
        fam.add(f"put_along_{d}_1d_dups32", "put_along_axis",
                [X(dt, [5]), I([2] * 32), U(dt, [32])], {"axis": 0})
        fam.add(f"put_along_{d}_axnone_dups", "put_along_axis",
                [x, I([5, 5, 5]), U(dt, [3])], {"axis": None})
        fam.add(f"put_along_{d}_err_axnone_2d_idx", "put_along_axis",
                [x, I([0, 1, 2, 3], [2, 2]), U(dt, [2, 2])], {"axis": None})
        fam.add(f"put_along_{d}_empty_idx", "put_along_axis",
                [x, I([], [2, 3, 0]), U(dt, [])], {"axis": 2})
        fam.add(f"put_along_{d}_T", "put_along_axis",
                [X(dt, [3, 2], "transpose"), I([2, 0], [2, 1]), U(dt, [2, 1])],
                {"axis": 1})
    # values dtype != x dtype (cast to x dtype)
    x = X("int32", S234)
    xf = X("float32", S234)
    idx = I([1, 2], [1, 1, 2])
    fam.add("put_along_i32_vals_f32", "put_along_axis",
            [x, idx, A("float32", [2.75, -2.75], [1, 1, 2])], {"axis": 2})
    fam.add("put_along_f32_vals_i32", "put_along_axis",
            [xf, idx, A("int32", [7, -9], [1, 1, 2])], {"axis": 2})
    fam.add("put_along_u8_vals_i32", "put_along_axis",
            [X("uint8", S234), idx, A("int32", [300, -1], [1, 1, 2])],
            {"axis": 2})
    fam.add("put_along_f32_vals_c64", "put_along_axis",
            [xf, idx, A("complex64", [1 + 2j, -3 + 1j], [1, 1, 2])], {"axis": 2})
    fam.add("put_along_b_vals_i32", "put_along_axis",
            [X("bool", S234), idx, A("int32", [0, 5], [1, 1, 2])], {"axis": 2})
    fam.add("put_along_f16_vals_f32", "put_along_axis",
            [X("float16", S234), idx, A("float32", [1.1, 70000.0], [1, 1, 2])],
            {"axis": 2})
    for it in ITYPES:
        neg = it.startswith("int")
        fam.add(f"put_along_f32_idx_{dshort(it)}", "put_along_axis",
                [xf, I([-1, 0] if neg else [3, 0], [1, 1, 2], dt=it),
                 U("float32", [1, 1, 2])], {"axis": 2})
    # errors
    fam.add("put_along_err_rank", "put_along_axis",
            [x, I([0], [1, 1]), U("int32", [1])], {"axis": 1})
    fam.add("put_along_err_ax3", "put_along_axis",
            [x, I([0], [1, 1, 1]), U("int32", [1])], {"axis": 3})
    fam.add("put_along_err_vals_bcast", "put_along_axis",
            [x, I([0, 1], [1, 1, 2]), U("int32", [1, 1, 3])], {"axis": 2})
    fam.add("put_along_err_idx_bcast", "put_along_axis",
            [x, I([0] * 9, [3, 3, 1]), U("int32", [])], {"axis": 2})
    fam.add("put_along_err_float_idx", "put_along_axis",
            [x, A("float32", [0.0], [1, 1, 1]), U("int32", [])], {"axis": 2})
    fam.add("put_along_err_bool_idx", "put_along_axis",
            [x, A("bool", [True], [1, 1, 1]), U("int32", [])], {"axis": 2})


# =================================================== dynamic slice / update

def gen_slice(fam):
    S234 = [2, 3, 4]
    # (tag, start values, axes, slice_size); start + size always in range
    CASES = [
        ("ax0", [1], [0], [1, 3, 4]),
        ("ax1", [1], [1], [2, 2, 4]),
        ("ax2", [2], [2], [2, 3, 2]),
        ("axm1", [1], [-1], [2, 3, 3]),
        ("axm3", [1], [-3], [1, 3, 4]),
        ("ax0_2", [1, 2], [0, 2], [1, 3, 2]),
        ("ax2_0", [2, 1], [2, 0], [1, 3, 2]),
        ("ax0_1_2", [1, 1, 1], [0, 1, 2], [1, 2, 3]),
        ("ax1_partial", [1], [1], [1, 2, 2]),       # axes not listed start at 0
        ("no_axes", [], [], [1, 2, 3]),
        ("full", [0], [0], [2, 3, 4]),
        ("size0", [1], [1], [2, 0, 4]),
        ("size0_at_end", [3], [1], [2, 0, 4]),
    ]
    for dt in FULL + SWEEP:
        d = dshort(dt)
        x = X(dt, S234)
        for tag, st, axes, size in CASES:
            if dt not in FULL and tag not in ("ax0_2", "ax1"):
                continue
            fam.add(f"slice_{d}_{tag}", "slice", [x, I(st, [len(st)])],
                    {"axes": axes, "slice_size": size})
            if tag in ("size0", "size0_at_end", "axm3"):
                continue
            usz = list(size)
            fam.add(f"slice_update_{d}_{tag}", "slice_update",
                    [x, U(dt, usz), I(st, [len(st)])], {"axes": axes})
        if dt not in FULL:
            continue
        fam.add(f"slice_{d}_start_0d", "slice", [x, I(1, [])],
                {"axes": [1], "slice_size": [2, 2, 4]})
        fam.add(f"slice_update_{d}_start_0d", "slice_update",
                [x, U(dt, [2, 1, 4]), I(2, [])], {"axes": [1]})
        fam.add(f"slice_{d}_T", "slice", [X(dt, [4, 3], "transpose"), I([1, 2])],
                {"axes": [0, 1], "slice_size": [2, 2]})
        fam.add(f"slice_update_{d}_T", "slice_update",
                [X(dt, [4, 3], "transpose"), U(dt, [2, 2]), I([1, 2])],
                {"axes": [0, 1]})
        fam.add(f"slice_{d}_1d", "slice", [X(dt, [6]), I([2])],
                {"axes": [0], "slice_size": [3]})
        fam.add(f"slice_{d}_0d_x", "slice", [X(dt, []), I([], [0])],
                {"axes": [], "slice_size": []})
        # update broadcasting
        fam.add(f"slice_update_{d}_upd_0d", "slice_update",
                [x, U(dt, []), I([1])], {"axes": [0]})
        fam.add(f"slice_update_{d}_upd_row", "slice_update",
                [x, U(dt, [4]), I([1])], {"axes": [1]})
        fam.add(f"slice_update_{d}_upd_col", "slice_update",
                [x, U(dt, [3, 1]), I([1, 2])], {"axes": [0, 2]})
        fam.add(f"slice_update_{d}_upd_partial_shape", "slice_update",
                [x, U(dt, [1, 2, 2]), I([1, 1])], {"axes": [1, 2]})
        fam.add(f"slice_update_{d}_upd_empty", "slice_update",
                [x, U(dt, [2, 0, 4]), I([1])], {"axes": [1]})
    x = X("int32", S234)
    xf = X("float32", S234)
    for it in ITYPES:
        fam.add(f"slice_i32_start_{dshort(it)}", "slice", [x, I([1, 1], dt=it)],
                {"axes": [0, 2], "slice_size": [1, 3, 3]})
        fam.add(f"slice_update_i32_start_{dshort(it)}", "slice_update",
                [x, U("int32", [1, 3, 3]), I([1, 1], dt=it)], {"axes": [0, 2]})
    # update dtype != x dtype
    fam.add("slice_update_i32_upd_f32", "slice_update",
            [x, A("float32", [2.75, -2.75, 0.5, -0.5], [4]), I([1])], {"axes": [0]})
    fam.add("slice_update_f32_upd_i64", "slice_update",
            [xf, A("int64", [7, -9, 11, 13], [4]), I([1])], {"axes": [0]})
    fam.add("slice_update_u8_upd_i32", "slice_update",
            [X("uint8", S234), A("int32", [300, -1, 256, 255], [4]), I([0])],
            {"axes": [0]})
    fam.add("slice_update_f32_upd_c64", "slice_update",
            [xf, A("complex64", [1 + 2j], [1]), I([0])], {"axes": [0]})
    fam.add("slice_update_b_upd_f32", "slice_update",
            [X("bool", S234), A("float32", [0.0, 0.5, -2.0, NAN], [4]), I([0])],
            {"axes": [0]})
    # errors
    fam.add("slice_err_float_start", "slice", [x, A("float32", [1.0])],
            {"axes": [1], "slice_size": [2, 2, 4]})
    fam.add("slice_err_bool_start", "slice", [x, A("bool", [True])],
            {"axes": [1], "slice_size": [2, 2, 4]})
    fam.add("slice_err_start_2d", "slice", [x, I([1], [1, 1])],
            {"axes": [1], "slice_size": [2, 2, 4]})
    fam.add("slice_err_nstart_ne_naxes", "slice", [x, I([1, 1])],
            {"axes": [1], "slice_size": [2, 2, 4]})
    fam.add("slice_err_dup_axes", "slice", [x, I([0, 0])],
            {"axes": [1, 1], "slice_size": [2, 1, 4]})
    fam.add("slice_err_dup_axes_neg", "slice", [x, I([0, 0])],
            {"axes": [2, -1], "slice_size": [2, 3, 1]})
    fam.add("slice_err_ax3", "slice", [x, I([0])],
            {"axes": [3], "slice_size": [2, 3, 4]})
    fam.add("slice_err_axm4", "slice", [x, I([0])],
            {"axes": [-4], "slice_size": [2, 3, 4]})
    fam.add("slice_err_size_big", "slice", [x, I([0])],
            {"axes": [1], "slice_size": [2, 5, 4]})
    fam.add("slice_err_size_rank", "slice", [x, I([0])],
            {"axes": [1], "slice_size": [2, 1]})
    fam.add("slice_err_size_neg", "slice", [x, I([0])],
            {"axes": [1], "slice_size": [2, -1, 4]})
    fam.add("slice_update_err_float_start", "slice_update",
            [x, U("int32", [2, 1, 4]), A("float32", [0.0])], {"axes": [1]})
    fam.add("slice_update_err_nstart_ne_naxes", "slice_update",
            [x, U("int32", [2, 1, 4]), I([0, 0])], {"axes": [1]})
    fam.add("slice_update_err_ax3", "slice_update",
            [x, U("int32", [2, 1, 4]), I([0])], {"axes": [3]})
    fam.add("slice_update_err_dup_axes", "slice_update",
            [x, U("int32", [2, 1, 4]), I([0, 0])], {"axes": [1, 1]})
    fam.add("slice_update_err_upd_big", "slice_update",
            [x, U("int32", [3, 3, 4]), I([0])], {"axes": [0]})
    fam.add("slice_update_err_upd_bcast", "slice_update",
            [x, U("int32", [1, 3, 3]), I([0])], {"axes": [0]})


# ================================================================ getitem

def getitem_cases():
    """(tag, items, tuple) on x of shape [2, 3, 4]."""
    a2 = AR(I([1, 0]))
    C = [
        # basic
        ("int", IT(1), False),
        ("int_neg", IT(-1), False),
        ("int_neg2", IT(-2), False),
        ("t_int", [IT(1)], True),
        ("t_int_int", [IT(1), IT(2)], True),
        ("t_int3_neg", [IT(-1), IT(-3), IT(-4)], True),
        ("t_int3", [IT(0), IT(2), IT(3)], True),
        ("t_empty", [], True),
        ("slice_1", SL(1), False),
        ("slice_rev", SL(None, None, -1), False),
        ("slice_step2", SL(None, None, 2), False),
        ("slice_negstart", SL(-1), False),
        ("slice_clamped", SL(-100, 100), False),
        ("slice_empty", SL(1, 1), False),
        ("slice_past_end", SL(5), False),
        ("slice_full", SL(), False),
        ("t_slices", [SL(), SL(1, None), SL(None, None, -2)], True),
        ("t_slices2", [SL(1, None, -1), SL(-2, None), SL(3, 0, -1)], True),
        ("t_slices3", [SL(None, None, 3), SL(2, -4, -1), SL(1, 3)], True),
        ("t_slice_neg_step_stop", [SL(), SL(None, -4, -1)], True),
        ("t_slice_empty_rev", [SL(), SL(0, 2, -1)], True),
        ("t_int_slice", [IT(1), SL(None, None, -1)], True),
        ("t_slice_int", [SL(), IT(-1)], True),
        ("t_slice_int_slice", [SL(), IT(1), SL(1, 3)], True),
        ("none", NONE, False),
        ("ellipsis", ELL, False),
        ("t_none", [NONE], True),
        ("t_ellipsis", [ELL], True),
        ("t_none_none_ell_none", [NONE, NONE, ELL, NONE], True),
        ("t_ell_none", [ELL, NONE], True),
        ("t_none_int", [NONE, IT(1)], True),
        ("t_int_none_ell", [IT(1), NONE, ELL], True),
        ("t_ell_int", [ELL, IT(1)], True),
        ("t_ell_int_none_int", [ELL, IT(1), NONE, IT(2)], True),
        ("t_int_ell_int", [IT(1), ELL, IT(-1)], True),
        ("t_slice_none_slice", [SL(1), NONE, SL(None, None, 2)], True),
        ("t_all_explicit_ell", [IT(0), IT(1), ELL, IT(2)], True),
        ("t_ell_empty_middle", [SL(), ELL, SL(), SL(1)], True),
        ("t_int3_none", [IT(0), IT(0), IT(0), NONE], True),
        # one array
        ("arr", a2, False),
        ("arr_dups", AR(I([1, 1, 0, 1])), False),
        ("arr_neg", AR(I([-1, -2, 0])), False),
        ("arr_2d", AR(I([0, 1, 1, 0], [2, 2])), False),
        ("arr_0d", AR(I(1, [])), False),
        ("arr_0d_neg", AR(I(-1, [])), False),
        ("arr_empty", AR(I([], [0])), False),
        ("arr_empty_2d", AR(I([], [0, 2])), False),
        ("t_arr", [a2], True),
        ("t_slice_arr", [SL(), AR(I([2, 0, -1]))], True),
        ("t_slice_slice_arr", [SL(), SL(), AR(I([3, 0]))], True),
        ("t_slice_arr2d", [SL(), AR(I([0, 2, 1, 1], [2, 2]))], True),
        ("t_arr_slice_rev", [AR(I([1, 0, 1])), SL(None, None, -1)], True),
        ("t_slice_arr_empty2d", [SL(), AR(I([], [0, 2]))], True),
        # several arrays, adjacent: gathered dims replace them in place
        ("t_arr_arr", [AR(I([1, 0])), AR(I([2, 0]))], True),
        ("t_arr_arr_bcast", [AR(I([0, 1], [2, 1])), AR(I([1, 2, 0]))], True),
        ("t_slice_arr_arr", [SL(), AR(I([0, 1])), AR(I([1, 2]))], True),
        ("t_slice_arr_arr_bcast",
         [SL(), AR(I([0, 1], [2, 1])), AR(I([1, 2, 0]))], True),
        ("t_arr3_mesh", [AR(I([0, 1], [2, 1, 1])), AR(I([2, 0, 1], [1, 3, 1])),
                         AR(I([3, 0, 2, 1], [1, 1, 4]))], True),
        ("t_arr3_same", [AR(I([1, 0, -1])), AR(I([2, 0, -1])),
                         AR(I([3, -4, 1]))], True),
        ("t_arr_arr_slice", [AR(I([1, 0, 1])), AR(I([2, 2, 0])), SL(1, 3)], True),
        ("t_ell_arr_arr", [ELL, AR(I([0, 1])), AR(I([1, 2]))], True),
        # separated by a slice: gathered dims go to the front
        ("t_arr_slice_arr", [AR(I([0, 1])), SL(), AR(I([1, 2]))], True),
        ("t_arr_slice_arr_bcast",
         [AR(I([0, 1], [2, 1])), SL(), AR(I([1, 2, 0]))], True),
        ("t_arr_rev_arr", [AR(I([0])), SL(None, None, -1), AR(I([0]))], True),
        ("t_arr_step_arr", [AR(I([1, 0])), SL(1, None), AR(I([3, 3]))], True),
        ("t_arr_ell_arr", [AR(I([0, 1])), ELL, AR(I([1, 2]))], True),
        ("t_arr_none_arr", [AR(I([0, 1])), NONE, AR(I([1, 2]))], True),
        ("t_none_arr_slice_arr", [NONE, AR(I([0, 1])), SL(), AR(I([1, 2]))], True),
        ("t_arr_slice_none_arr", [AR(I([0, 1])), SL(), NONE, AR(I([1, 2]))], True),
        # python ints count as arrays
        ("t_int_arr", [IT(0), AR(I([2, 0]))], True),
        ("t_arr_int", [AR(I([1, 0, 1])), IT(1)], True),
        ("t_int_slice_arr", [IT(1), SL(), AR(I([0, 1]))], True),
        ("t_slice_int_arr", [SL(), IT(0), AR(I([0, 1]))], True),
        ("t_int_arr_slice", [IT(1), AR(I([0, 2])), SL()], True),
        ("t_arr_slice_int", [AR(I([0, 1])), SL(), IT(1)], True),
        ("t_none_arr_int_arr", [NONE, AR(I([0, 1])), IT(0), AR(I([1, 2]))], True),
        ("t_int_slice_int", [IT(1), SL(), IT(1)], True),
        # 0-d arrays
        ("t_arr0d_slice_arr", [AR(I(1, [])), SL(), AR(I([0, 3]))], True),
        ("t_arr0d_arr0d", [AR(I(1, [])), AR(I(2, []))], True),
        ("t_slice_arr0d_slice_none", [SL(), AR(I(1, [])), SL(), NONE], True),
        ("t_arr0d_x3", [AR(I(0, [])), AR(I(-1, [])), AR(I(1, []))], True),
        ("t_arr0d_arr", [AR(I(1, [])), AR(I([0, 2, 1]))], True),
        # empty arrays
        ("t_empty_empty", [AR(I([], [0])), AR(I([], [0]))], True),
        ("t_empty_bcast_one", [AR(I([], [0])), AR(I([0]))], True),
        ("t_empty_slice_arr", [AR(I([], [0])), SL(), AR(I([0]))], True),
        ("t_slice_empty_arr", [SL(), AR(I([], [0])), AR(I([1]))], True),
        # errors
        ("err_bcast", [AR(I([0, 1])), AR(I([0, 1, 2]))], True),
        ("err_too_many_int", [IT(0), IT(0), IT(0), IT(0)], True),
        ("err_too_many_arr", [AR(I([0])), AR(I([0])), AR(I([0])), AR(I([0]))],
         True),
        ("err_too_many_slice", [SL(), SL(), SL(), SL()], True),
        ("err_too_many_ell", [IT(0), ELL, IT(0), IT(0), IT(0)], True),
        ("err_two_ell", [ELL, ELL], True),
        ("err_two_ell_apart", [IT(0), ELL, IT(0), ELL], True),
        ("err_float_arr", AR(A("float32", [0.0])), False),
        ("err_float_arr_t", [SL(), AR(A("float32", [0.0]))], True),
        ("err_f16_arr", AR(A("float16", [1.0])), False),
        ("err_bool_arr", AR(A("bool", [True, False])), False),
        ("err_bool_arr_t", [AR(A("bool", [True, False]))], True),
        ("err_bool_arr_0d", AR(A("bool", [True], [])), False),
        ("err_bool_arr_t2", [SL(), AR(A("bool", [True, False, True]))], True),
    ]
    return C


def gen_getitem(fam):
    SW_TAGS = ("int_neg", "t_slices", "arr_dups", "t_arr_slice_arr",
               "t_slice_arr_arr_bcast", "t_none_arr_int_arr", "t_arr0d_slice_arr",
               "t_int3_neg")
    cases = getitem_cases()
    for dt in FULL + SWEEP:
        d = dshort(dt)
        x = X(dt, [2, 3, 4])
        for tag, items, tup in cases:
            if dt not in FULL and tag not in SW_TAGS:
                continue
            if dt == "int32" and tag.startswith("err"):
                continue  # errors recorded once (float32)
            add_get(fam, f"getitem_{d}_{tag}", x, items, tup)
    # index dtypes
    x = X("float32", [2, 3, 4])
    for it in ITYPES:
        neg = it.startswith("int")
        v1 = [-1, 0, 1] if neg else [1, 0, 1]
        v2 = [2, -3, 3] if neg else [2, 1, 3]
        add_get(fam, f"getitem_f32_idx_{dshort(it)}", x, AR(I(v1, dt=it)), False)
        add_get(fam, f"getitem_f32_idx_{dshort(it)}_2arr", x,
                [AR(I(v1, dt=it)), SL(), AR(I(v2, dt=it))], True)
        add_get(fam, f"getitem_f32_idx_{dshort(it)}_0d", x,
                [SL(), AR(I(v1[0], [], dt=it))], True)
    add_get(fam, "getitem_f32_idx_mixed_i8_u32", x,
            [AR(I([1, 0], dt="int8")), AR(I([2], dt="uint32"))], True)
    add_get(fam, "getitem_f32_idx_mixed_u8_i64", x,
            [SL(), AR(I([0, 2], [2, 1], dt="uint8")), AR(I([-1, 0, 1], dt="int64"))],
            True)
    # other x shapes and layouts
    for dt in FULL:
        d = dshort(dt)
        xt = X(dt, [4, 3], "transpose")
        add_get(fam, f"getitem_{d}_T_arr_arr", xt,
                [AR(I([2, 0, 1])), AR(I([3, 1, 0]))], True)
        add_get(fam, f"getitem_{d}_T_slice_arr", xt,
                [SL(None, None, -1), AR(I([3, 0]))], True)
        add_get(fam, f"getitem_{d}_T_int", xt, IT(1), False)
        xf = X(dt, [4, 3], "flip0")
        add_get(fam, f"getitem_{d}_flip0_arr", xf, AR(I([0, 3])), False)
        add_get(fam, f"getitem_{d}_flip0_slice", xf, [SL(1, 3), SL(None, None, 2)],
                True)
        xs = X(dt, [5, 2], "step2")
        add_get(fam, f"getitem_{d}_step2_arr_int", xs, [AR(I([2, 0])), IT(1)], True)
        x1 = X(dt, [6])
        add_get(fam, f"getitem_{d}_1d_arr2d", x1, AR(I([5, 0, -1, 2], [2, 2])), False)
        add_get(fam, f"getitem_{d}_1d_slice", x1, SL(4, 0, -2), False)
        add_get(fam, f"getitem_{d}_1d_none_arr", x1, [NONE, AR(I([1, 1]))], True)
        x4 = X(dt, [2, 2, 2, 3])
        add_get(fam, f"getitem_{d}_4d_arr_slice_arr_slice", x4,
                [AR(I([1, 0])), SL(), AR(I([0, 1])), SL()], True)
        add_get(fam, f"getitem_{d}_4d_slice_arr_arr_slice", x4,
                [SL(), AR(I([1, 0])), AR(I([0, 1], [2, 1])), SL(None, None, -1)],
                True)
        add_get(fam, f"getitem_{d}_4d_arr_int_slice_arr", x4,
                [AR(I([1, 0])), IT(1), SL(), AR(I([2, 0]))], True)
        add_get(fam, f"getitem_{d}_4d_ell_arr", x4, [ELL, AR(I([2, 2, 0]))], True)
        add_get(fam, f"getitem_{d}_4d_arr_ell", x4, [AR(I([1])), ELL, IT(0)], True)
        x0 = X(dt, [])
        add_get(fam, f"getitem_{d}_0d_none", x0, NONE, False)
        add_get(fam, f"getitem_{d}_0d_ellipsis", x0, ELL, False)
        add_get(fam, f"getitem_{d}_0d_t_empty", x0, [], True)
        add_get(fam, f"getitem_{d}_0d_t_none_ell_none", x0, [NONE, ELL, NONE], True)
        add_get(fam, f"getitem_{d}_0d_err_int", x0, IT(0), False)
        add_get(fam, f"getitem_{d}_0d_err_arr", x0, AR(I([0])), False)
        add_get(fam, f"getitem_{d}_0d_err_slice", x0, SL(), False)
        add_get(fam, f"getitem_{d}_0d_err_t_int", x0, [IT(0)], True)
        xe = X(dt, [0, 3])
        add_get(fam, f"getitem_{d}_empty_x_slice", xe, [SL(), SL(1)], True)
        add_get(fam, f"getitem_{d}_empty_x_arr_ax1", xe, [SL(), AR(I([2, 0]))], True)
        add_get(fam, f"getitem_{d}_empty_x_none", xe, [NONE, ELL], True)


# ========================================================= setitem / at

def upd_for(op, dt, shape, off=100):
    """Update values; at_divide on integers needs |v| == 1 to be non-zero,
    and never a zero divisor (reciprocal(0) -> inf -> int cast is UB)."""
    if op == "at_divide" and dt in ("int32", "int64", "uint8", "bool"):
        n = int(np.prod(shape)) if shape else 1
        if dt in ("uint8", "bool"):
            vals = [1] * n if dt == "uint8" else [True] * n
        else:
            vals = [int(v) for v in RNG.choice([1, -1, 2, 3], n)]
        return A(dt, vals, shape)
    if op == "at_divide" and dt in ("float32", "float16", "bfloat16", "complex64"):
        n = int(np.prod(shape)) if shape else 1
        if dt == "complex64":
            return A(dt, [complex(float(v), 0.5) for v in RNG.choice([1, 2, -2, 4], n)],
                     shape)
        return A(dt, [float(v) for v in RNG.choice([0.5, 2.0, -4.0, 0.25, -1.0], n)],
                 shape)
    if op == "at_multiply" and dt != "bool":
        n = int(np.prod(shape)) if shape else 1
        if dt == "uint8":
            return A(dt, [int(v) for v in RNG.integers(0, 4, n)], shape)
        if dt in ("int32", "int64"):
            return A(dt, [int(v) for v in RNG.choice([-3, -2, -1, 2, 3], n)], shape)
        if dt == "complex64":
            return A(dt, [complex(float(v), 1.0) for v in RNG.choice([-1, 2, 0.5], n)],
                     shape)
        return A(dt, [float(v) for v in RNG.choice([-2.0, 0.5, 3.0, -0.25], n)],
                 shape)
    if op == "at_subtract" and dt == "uint8":
        return U(dt, shape, off=0)  # small values: 1 - 5 wraps
    return U(dt, shape, off)


def set_cases():
    """(tag, items, tuple, update shape) on x of shape [2, 3, 4]."""
    return [
        ("int", IT(1), False, [4]),
        ("int_upd_full", IT(-1), False, [3, 4]),
        ("int_upd_lead1", IT(0), False, [1, 1, 3, 4]),
        ("int_upd_0d", IT(1), False, []),
        ("slice", SL(1), False, [3, 1]),
        ("slice_full", SL(), False, [4]),
        ("slice_rev", SL(None, None, -1), False, [2, 3, 4]),
        ("slice_empty", SL(5), False, [4]),
        ("t_slices", [SL(), SL(1, None), SL(None, None, -2)], True, [2, 2, 2]),
        ("t_slices_step", [SL(None, None, -1), SL(None, None, 2), SL(1, None, 2)],
         True, [2, 2, 2]),
        ("t_int_slice", [IT(1), SL(None, None, -1)], True, [3, 4]),
        ("t_int3", [IT(1), IT(-1), IT(2)], True, []),
        # numpy strips leading 1s of the update; MLX fails once the index
        # tuple holds a python int
        ("t_int3_upd_lead1_bug", [IT(1), IT(-1), IT(2)], True, [1, 1]),
        ("t_int_int_upd_lead1_bug", [IT(1), IT(-1)], True, [1, 4]),
        ("t_int_upd_lead1_bug", [IT(0)], True, [1, 3, 4]),
        ("t_slice_int_slice", [SL(), IT(1), SL(1, 3)], True, [2, 2]),
        ("t_slice_int_slice_bcast", [SL(), IT(1), SL(1, 3)], True, [1, 2]),
        ("t_slice_int_slice_upd_lead1_bug", [SL(), IT(1), SL(1, 3)], True,
         [1, 2, 2]),
        ("arr", AR(I([1, 0])), False, [2, 3, 4]),
        ("arr_bcast", AR(I([1, 0])), False, [4]),
        ("arr_bcast_col", AR(I([1, 0])), False, [2, 1, 1]),
        ("arr_dups", AR(I([1, 1, 0, 1])), False, [4, 3, 4]),
        ("arr_neg", AR(I([-1])), False, [3, 4]),
        ("arr_2d", AR(I([0, 1, 1, 0], [2, 2])), False, [2, 2, 3, 4]),
        ("arr_0d", AR(I(1, [])), False, [3, 4]),
        ("arr_empty", AR(I([], [0])), False, [4]),
        ("t_arr", [AR(I([1, 0]))], True, [2, 3, 4]),
        ("t_slice_arr", [SL(), AR(I([2, 0, -1]))], True, [2, 3, 4]),
        ("t_slice_slice_arr", [SL(), SL(), AR(I([3, 0]))], True, [2, 3, 2]),
        ("t_arr_arr", [AR(I([1, 0])), AR(I([2, 0]))], True, [2, 4]),
        ("t_arr_arr_bcast", [AR(I([0, 1], [2, 1])), AR(I([1, 2, 0]))], True,
         [2, 3, 4]),
        ("t_arr_arr_dups", [AR(I([1, 1, 0, 1])), AR(I([2, 2, 0, 2]))], True, [4, 4]),
        ("t_slice_arr_arr", [SL(), AR(I([0, 1])), AR(I([1, 2]))], True, [2, 2]),
        ("t_arr3", [AR(I([1, 0, 1])), AR(I([2, 0, 2])), AR(I([3, -4, 3]))], True,
         [3]),
        ("t_arr_slice_arr", [AR(I([0, 1])), SL(), AR(I([1, 2]))], True, [2, 3]),
        ("t_arr_slice_arr_dups", [AR(I([0, 0])), SL(), AR(I([1, 1]))], True,
         [2, 3]),
        ("t_arr_ell_arr", [AR(I([0, 1])), ELL, AR(I([1, 2]))], True, [2, 3]),
        ("t_arr_step_arr", [AR(I([1, 0])), SL(None, None, -2), AR(I([3, 3]))],
         True, [2, 2]),
        # getitem puts the gathered dim first ([2, 3]); setitem does not
        # count python ints as arrays and wants [3, 2]
        ("t_int_slice_arr", [IT(1), SL(), AR(I([0, 1]))], True, [3, 2]),
        ("t_int_slice_arr_dups", [IT(1), SL(), AR(I([0, 0]))], True, [3, 2]),
        ("t_int_slice_arr_getitem_layout_bug", [IT(1), SL(), AR(I([0, 1]))],
         True, [2, 3]),
        ("t_arr_none_arr", [AR(I([0, 1])), NONE, AR(I([1, 2]))], True, [2, 1, 4]),
        ("t_slice_int_arr", [SL(), IT(0), AR(I([0, 3]))], True, [2, 2]),
        ("t_arr_int_slice", [AR(I([1, 0])), IT(2), SL(1, 3)], True, [2, 2]),
        ("t_none_arr", [NONE, AR(I([1, 0]))], True, [2, 3, 4]),
        ("t_arr_none_slice", [AR(I([1])), NONE, SL(1)], True, [1, 1, 2, 4]),
        ("t_ell_arr", [ELL, AR(I([0, 0, 3]))], True, [2, 3, 3]),
        ("t_ell_int", [ELL, IT(-1)], True, [3]),
        ("t_arr0d_slice_arr", [AR(I(1, [])), SL(), AR(I([0, 3]))], True, [2, 3]),
        ("t_empty_arr", [SL(), AR(I([], [0]))], True, [4]),
        # no effective index: the update replaces / combines with x directly
        ("ellipsis", ELL, False, [4]),
        ("none", NONE, False, [3, 4]),
        ("t_empty", [], True, [2, 3, 4]),
        ("t_none", [NONE], True, []),
        ("t_ell_none", [ELL, NONE], True, [4, 1]),
        ("t_none_ell", [NONE, ELL], True, [4]),
        ("t_none_int", [NONE, IT(1)], True, [4]),
        ("t_slice_full", [SL()], True, [4]),
        # errors
        ("err_upd_shape", AR(I([0, 1])), False, [2, 3, 3]),
        ("err_upd_shape_int", IT(0), False, [2, 3, 4]),
        ("err_upd_shape_slices", [SL(1), SL(1)], True, [2, 1, 4]),
        ("err_upd_shape_none", NONE, False, [2, 2, 3, 4]),
        ("err_upd_ell_none", [ELL, NONE], True, [4]),
        ("err_idx_bcast", [AR(I([0, 1])), AR(I([0, 1, 2]))], True, []),
        ("err_too_many", [IT(0), IT(0), IT(0), IT(0)], True, []),
        ("err_too_many_arr", [AR(I([0])), SL(), SL(), SL()], True, []),
        ("err_two_ell", [ELL, IT(0), ELL], True, []),
        ("err_float_arr", AR(A("float32", [0.0])), False, []),
        ("err_float_arr_t", [SL(), AR(A("float32", [1.0]))], True, []),
    ]


def bool_mask_cases():
    """setitem with boolean masks: (tag, mask ARG, tuple, update ARG fn)."""
    b = lambda v, s: A("bool", v, s)  # noqa: E731
    return [
        ("mask_rows_scalar", b([False, True], [2]), [], "x"),
        ("mask_rows_row", b([True, False], [2]), [3, 4], "x"),
        ("mask_rows_lead1", b([True, False], [2]), [1, 3, 4], "x"),
        ("mask_rows_vec", b([False, True], [2]), [4], "x"),
        ("mask_2d_scalar", b([True, False, True, False, False, True], [2, 3]), [],
         "x"),
        ("mask_2d_src", b([True, False, True, False, False, True], [2, 3]), [3, 4],
         "x"),
        ("mask_2d_vec", b([True, False, True, False, False, True], [2, 3]), [4],
         "x"),
        ("mask_full_src", b([v % 3 == 0 for v in range(24)], [2, 3, 4]), [8], "x"),
        ("mask_full_src_extra", b([v % 5 == 0 for v in range(24)], [2, 3, 4]),
         [10], "x"),
        ("mask_full_scalar", b([v % 5 == 0 for v in range(24)], [2, 3, 4]), [],
         "x"),
        ("mask_all_false", b([False, False], [2]), [3, 4], "x"),
        ("mask_0d_true", b([True], []), [], "x"),
        ("mask_0d_false", b([False], []), [], "x"),
        ("mask_rows_2src", b([True, True], [2]), [2, 3, 4], "x"),
        ("mask_rows_2src_lead1", b([True, True], [2]), [1, 3, 4], "x"),
        ("mask_2d_lead1", b([True, True, False, False, False, True], [2, 3]),
         [1, 3, 4], "x"),
        ("mask_err_shape", b([True, False, True], [3]), [], "x"),
        ("mask_err_too_few", b([v % 3 == 0 for v in range(24)], [2, 3, 4]), [3],
         "x"),
        ("mask_err_upd_bad", b([True, False, True, False, False, True], [2, 3]),
         [2, 3], "x"),
    ]


def gen_setitem(fam):
    cases = set_cases()
    for op in SET_OPS:
        for dt in FULL:
            d = dshort(dt)
            x = X(dt, [2, 3, 4])
            for tag, items, tup, ushape in cases:
                if tag.startswith("err") and (dt != "float32" or
                                               op not in ("setitem", "at_add")):
                    continue
                if tag.endswith("_bug") and op not in ("setitem", "at_add"):
                    continue
                add_set(fam, f"{op}_{d}_{tag}", op, x, items, tup,
                        upd_for(op, dt, ushape))
            # scalar updates (python scalars become x's dtype)
            add_set(fam, f"{op}_{d}_arr_pyint", op, x, AR(I([1, 1, 0])), False,
                    S(2 if op != "at_divide" or dt == "float32" else -1))
            add_set(fam, f"{op}_{d}_t_slices_pyfloat", op, x,
                    [SL(1), SL(None, None, 2)], True, S(2.5))
            add_set(fam, f"{op}_{d}_ell_pyint", op, x, ELL, False,
                    S(2 if op != "at_divide" or dt == "float32" else -1))
            add_set(fam, f"{op}_{d}_ell_pyfloat", op, x, ELL, False, S(2.5))
            # duplicate-heavy 1-D cases: order of application
            x1 = X(dt, [5])
            add_set(fam, f"{op}_{d}_1d_dups", op, x1, AR(I([1, 3, 1, 1, -4])), False,
                    upd_for(op, dt, [5]))
            add_set(fam, f"{op}_{d}_1d_dups40", op, x1, AR(I([2] * 40)), False,
                    upd_for(op, dt, [40], off=3))
            add_set(fam, f"{op}_{d}_1d_dups_slice", op, x1,
                    [AR(I([0, 4, 0, 4], [2, 2]))], True, upd_for(op, dt, [2, 2]))
            add_set(fam, f"{op}_{d}_T_arr", op, X(dt, [4, 3], "transpose"),
                    [SL(), AR(I([3, 0, 3]))], True, upd_for(op, dt, [3, 3]))
            add_set(fam, f"{op}_{d}_flip0_slice", op, X(dt, [4, 3], "flip0"),
                    [SL(1, 3), SL(None, None, -1)], True, upd_for(op, dt, [2, 3]))
        # other x dtypes
        for dt in SWEEP:
            d = dshort(dt)
            x = X(dt, [2, 3, 4])
            for tag, items, tup, ushape in cases:
                if tag not in ("arr_dups", "t_arr_slice_arr", "t_slices", "ellipsis",
                               "t_int3"):
                    continue
                add_set(fam, f"{op}_{d}_{tag}", op, x, items, tup,
                        upd_for(op, dt, ushape))
            add_set(fam, f"{op}_{d}_1d_dups", op, X(dt, [5]),
                    AR(I([1, 3, 1, 1, -4])), False, upd_for(op, dt, [5]))
    # update dtype different from x: cast (indexed paths) vs promotion (no index)
    MIX = [
        ("int32", "float32", [2.75, -2.75, 0.5, -0.5]),
        ("float32", "int32", [7, -9, 11, 13]),
        ("uint8", "int32", [300, -1, 256, 255]),
        ("float32", "complex64", [1 + 2j, -3 + 1j, 0.5j, 2]),
        ("bool", "int32", [0, 5, -1, 2]),
        ("bool", "float32", [0.0, 0.5, NAN, -2.0]),
        ("float16", "float32", [1.1, 70000.0, -0.1, 3.0]),
        ("bfloat16", "float16", [1.1, 300.5, -0.1, 3.0]),
        ("int32", "int64", [2 ** 40 + 3, -1, 5, 2 ** 31]),
        ("int64", "uint8", [255, 0, 1, 7]),
        ("float32", "bool", [True, False, True, True]),
    ]
    for op in SET_OPS:
        for xd, ud, vals in MIX:
            if op == "at_divide" and ud in ("int32", "int64", "uint8", "bool") and \
                    any(v == 0 for v in vals):
                vals = [v if v != 0 else 1 for v in vals]  # no zero divisors
            if op == "at_divide" and xd == "uint8":
                # reciprocal(-1) = -1.0 cast to uint8 is UB: positive divisors
                vals = [abs(v) for v in vals]
            x = X(xd, [2, 3, 4])
            u = A(ud, vals, [4])
            tag = f"{dshort(xd)}_upd_{dshort(ud)}"
            add_set(fam, f"{op}_{tag}_arr", op, x, AR(I([1, 0, 1])), False, u)
            add_set(fam, f"{op}_{tag}_slice", op, x, [SL(1), SL(None, None, 2)],
                    True, A(ud, vals[:1], [1]))
            add_set(fam, f"{op}_{tag}_ell", op, x, ELL, False, u)
        # python scalar out of range for the x dtype
        add_set(fam, f"{op}_u8_pyint_300_err", op, X("uint8", [2, 3]),
                AR(I([0])), False, S(300))
        add_set(fam, f"{op}_u8_pyint_neg_err", op, X("uint8", [2, 3]),
                AR(I([0])), False, S(-1))
        add_set(fam, f"{op}_i32_pyfloat", op, X("int32", [2, 3]),
                AR(I([0])), False, S(-2.5))
    # NaN and ordering in at_maximum / at_minimum, accumulation order
    xn = A("float32", [1.0, NAN, 3.0, 4.0])
    for op in ("at_maximum", "at_minimum", "at_add", "setitem"):
        add_set(fam, f"{op}_f32_nan_x", op, xn, AR(I([0, 1, 1, 3])), False,
                A("float32", [NAN, 2.0, 5.0, -1.0]))
        add_set(fam, f"{op}_f32_nan_first", op, A("float32", [1.0, 2.0, 3.0]),
                AR(I([0, 0])), False, A("float32", [NAN, 0.0]))
        add_set(fam, f"{op}_f32_nan_last", op, A("float32", [1.0, 2.0, 3.0]),
                AR(I([0, 0])), False, A("float32", [0.0, NAN]))
        add_set(fam, f"{op}_f32_signed_zero", op, A("float32", [0.0, -0.0]),
                AR(I([0, 1])), False, A("float32", [-0.0, 0.0]))
    add_set(fam, "at_add_f32_order", "at_add", A("float32", [0.0, 0.0]),
            AR(I([0, 0, 0, 1, 1, 1])), False,
            A("float32", [1e8, 1.0, -1e8, 1.0, 1e8, -1e8]))
    add_set(fam, "at_add_f16_order", "at_add", A("float16", [0.0]),
            AR(I([0] * 6)), False,
            A("float16", [2048.0, 1.0, 1.0, 1.0, 1.0, -2048.0]))
    add_set(fam, "at_add_i32_wrap", "at_add", A("int32", [1, 2]),
            AR(I([0, 0])), False, A("int32", [2 ** 31 - 1, 5]))
    add_set(fam, "at_multiply_i32_wrap", "at_multiply", A("int32", [65536, 2]),
            AR(I([0, 0])), False, A("int32", [65536, 3]))
    add_set(fam, "at_multiply_u8_wrap", "at_multiply", A("uint8", [16, 2]),
            AR(I([0])), False, A("uint8", [17]))
    add_set(fam, "at_subtract_u8_wrap", "at_subtract", A("uint8", [1, 2]),
            AR(I([0, 0])), False, A("uint8", [1, 1]))
    add_set(fam, "at_divide_i32_recip", "at_divide", A("int32", [24, 24, 24]),
            AR(I([0, 1, 2])), False, A("int32", [1, -1, 2]))
    add_set(fam, "at_divide_i32_by_f32_third", "at_divide", A("int32", [24, 24]),
            AR(I([0])), False, A("float32", [1.0 / 3]))
    add_set(fam, "at_divide_f16_dups", "at_divide", A("float16", [1.0, 1.0]),
            AR(I([1, 1])), False, A("float16", [3.0, 3.0]))
    add_set(fam, "at_divide_f32_by_zero", "at_divide", A("float32", [1.0, -1.0, 0.0]),
            AR(I([0, 1, 2])), False, A("float32", [0.0, 0.0, 0.0]))
    # boolean masks (setitem only; at_* and tuple-wrapped masks hit an MLX bug)
    for dt in FULL:
        d = dshort(dt)
        x = X(dt, [2, 3, 4])
        for tag, mask, ushape, _ in bool_mask_cases():
            upd = S(7) if not ushape and tag.endswith("scalar") else \
                U(dt, ushape)
            add_set(fam, f"setitem_{d}_{tag}", "setitem", x, AR(mask), False, upd)
    x = X("float32", [2, 3, 4])
    mrow = A("bool", [True, False], [2])
    add_set(fam, "setitem_f32_mask_upd_i32", "setitem", x, AR(mrow), False,
            A("int32", [5, 6, 7, 8], [4]))
    add_set(fam, "setitem_i32_mask_upd_f32", "setitem", X("int32", [2, 3, 4]),
            AR(mrow), False, A("float32", [5.5, -6.5, 7.0, 8.0], [4]))
    add_set(fam, "setitem_i32_mask_pyfloat", "setitem", X("int32", [2, 3, 4]),
            AR(mrow), False, S(2.5))
    for dt in SWEEP:
        add_set(fam, f"setitem_{dshort(dt)}_mask_2d_src", "setitem",
                X(dt, [2, 3, 4]),
                AR(A("bool", [True, False, True, False, False, True], [2, 3])),
                False, U(dt, [3, 4]))
    add_set(fam, "setitem_f32_mask_tuple_bug", "setitem", x, [AR(mrow)], True, S(0))
    add_set(fam, "setitem_f32_mask_with_int_bug", "setitem", x, [AR(mrow), IT(0)],
            True, S(0))
    add_set(fam, "at_add_f32_mask_bug", "at_add", x, AR(mrow), False, S(1))


# ======================================================================= main

FAMILIES = [gen_take, gen_take_along, gen_put_along, gen_slice, gen_getitem,
            gen_setitem]


class IdxFamily(Family):
    """Every case gets a short timeout and retries in a fresh worker: MLX's
    CPU backend very rarely hangs on a case (seen once on an empty slice,
    not reproducible); a retry gives the deterministic result."""

    def add(self, name, op, args=(), kwargs=None, fresh=False, retries=2,
            timeout=10):
        return super().add(name, op, args, kwargs, fresh=fresh,
                           retries=retries, timeout=timeout)


def main():
    runner = Runner(ops_module="gen_index")
    fam = IdxFamily(runner, "index.json")
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
