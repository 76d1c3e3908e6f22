#!/usr/bin/env python3
"""Generate golden test data for the shape-manipulation ops of `mx` from real MLX.

Writes tests/golden/ops/shape.json (format described in README.md).
Ops and kwargs (always all present, in this form; ops that take several arrays
get them as the positional `args` list):
  flatten:        {"start_axis": int, "end_axis": int}
  unflatten:      {"axis": int, "shape": [int]}
  concatenate:    {"axis": int|null}                       args: the arrays
  stack:          {"axis": int|null}                       args: the arrays
  split:          {"indices_or_sections": int|[int], "axis": int}   -> list
  tile:           {"reps": int|[int]}
  repeat:         {"repeats": int, "axis": int|null}
  pad:            {"pad_width": int|[lo,hi]|[[lo,hi],...], "mode": "constant"|"edge",
                   "constant_values": number ("nan"/"inf"/"-inf" strings)}
  roll:           {"shift": int|[int], "axis": null|int|[int]}
  atleast_1d/2d/3d, kron, broadcast_arrays: {}           (broadcast_arrays -> list)
  meshgrid:       {"indexing": "xy"|"ij", "sparse": bool}  -> list
  diag:           {"k": int}
  diagonal:       {"offset": int, "axis1": int, "axis2": int}
  trace:          {"offset": int, "axis1": int, "axis2": int, "dtype": null|name}
  as_strided:     {"shape": null|[int], "strides": null|[int], "offset": int}
  squeeze, expand_dims: {"axis": [int]}
Usage: python3 scripts/golden/gen_shape.py
"""

import os
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlx.core as mx  # noqa: E402
from common import (  # noqa: E402
    A, DTYPES, MXD, UNSIGNED, SIGNED, imax, build_arg,
    Family, Runner, MLX_VERSION,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "tests", "golden", "ops")

NAN = float("nan")
INF = float("inf")

SEED = 20240716
RNG = np.random.default_rng(SEED)

assert mx.__version__ == MLX_VERSION, mx.__version__


def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


# ============================================================ worker side

def _num(v):
    if isinstance(v, str):  # "nan" / "inf" / "-inf"
        return float(v)
    return v


def _pad_width(p):
    if isinstance(p, list):
        if p and isinstance(p[0], list):
            return [tuple(x) for x in p]
        return tuple(p)
    return p


def _tup(v):
    return tuple(v) if isinstance(v, list) else v


def _apply(op, a, kw):
    if op == "flatten":
        return mx.flatten(a[0], kw["start_axis"], kw["end_axis"])
    if op == "unflatten":
        r = mx.unflatten(a[0], kw["axis"], kw["shape"])
        if any(d < 0 for d in r.shape):
            # MLX bug: [-2,-3] passes the size check (product 6) and yields
            # an array with negative dimensions. Record it as an error.
            raise ValueError("MLX bug: unflatten returned an array of shape "
                             + str(tuple(r.shape)))
        return r
    if op == "concatenate":
        return mx.concatenate(a, axis=kw["axis"])
    if op == "stack":
        return mx.stack(a, axis=kw["axis"])
    if op == "split":
        return mx.split(a[0], kw["indices_or_sections"], axis=kw["axis"])
    if op == "tile":
        return mx.tile(a[0], _tup(kw["reps"]))
    if op == "repeat":
        return mx.repeat(a[0], kw["repeats"], axis=kw["axis"])
    if op == "pad":
        return mx.pad(a[0], _pad_width(kw["pad_width"]), mode=kw["mode"],
                      constant_values=_num(kw["constant_values"]))
    if op == "roll":
        return mx.roll(a[0], _tup(kw["shift"]), _tup(kw["axis"]))
    if op in ("atleast_1d", "atleast_2d", "atleast_3d"):
        return getattr(mx, op)(a[0])
    if op == "meshgrid":
        return mx.meshgrid(*a, sparse=kw["sparse"], indexing=kw["indexing"])
    if op == "diag":
        return mx.diag(a[0], k=kw["k"])
    if op == "diagonal":
        return mx.diagonal(a[0], offset=kw["offset"], axis1=kw["axis1"],
                           axis2=kw["axis2"])
    if op == "trace":
        dt = None if kw["dtype"] is None else MXD[kw["dtype"]]
        return mx.trace(a[0], offset=kw["offset"], axis1=kw["axis1"],
                        axis2=kw["axis2"], dtype=dt)
    if op == "kron":
        return mx.kron(a[0], a[1])
    if op == "as_strided":
        return mx.as_strided(a[0], shape=kw["shape"], strides=kw["strides"],
                             offset=kw["offset"])
    if op == "broadcast_arrays":
        return list(mx.broadcast_arrays(*a))
    if op == "squeeze":
        return mx.squeeze(a[0], kw["axis"])
    if op == "expand_dims":
        return mx.expand_dims(a[0], kw["axis"])
    return NotImplemented


def apply_op(op, args, kw):
    """Called by the worker (common.py --ops gen_shape)."""
    return _apply(op, [build_arg(x) for x in args], kw)


# ========================================================= generator side

# Complete kwargs with their defaults; kw(op, **overrides).
DEFAULTS = {
    "flatten": {"start_axis": 0, "end_axis": -1},
    "unflatten": {"axis": 0, "shape": None},
    "concatenate": {"axis": 0},
    "stack": {"axis": 0},
    "split": {"indices_or_sections": None, "axis": 0},
    "tile": {"reps": None},
    "repeat": {"repeats": None, "axis": None},
    "pad": {"pad_width": None, "mode": "constant", "constant_values": 0},
    "roll": {"shift": None, "axis": None},
    "atleast_1d": {}, "atleast_2d": {}, "atleast_3d": {},
    "meshgrid": {"indexing": "xy", "sparse": False},
    "diag": {"k": 0},
    "diagonal": {"offset": 0, "axis1": 0, "axis2": 1},
    "trace": {"offset": 0, "axis1": 0, "axis2": 1, "dtype": None},
    "kron": {},
    "as_strided": {"shape": None, "strides": None, "offset": 0},
    "broadcast_arrays": {},
    "squeeze": {"axis": None},
    "expand_dims": {"axis": None},
}


def KW(op, **kw):
    out = dict(DEFAULTS[op])
    for k, v in kw.items():
        assert k in out, (op, k)
        out[k] = v
    return out


def q8(v):
    return round(float(v) * 8) / 8


def vals(dt, n):
    """Deterministic, distinct-ish values exactly representable in `dt`."""
    if dt == "bool":
        return [bool(v) for v in RNG.integers(0, 2, n)]
    if dt in UNSIGNED:
        return [int(v) for v in RNG.integers(0, 100, n)]
    if dt in SIGNED:
        return [int(v) for v in RNG.integers(-50, 50, n)]
    if dt == "complex64":
        return [complex(q8(r), q8(i)) for r, i in
                zip(RNG.normal(size=n) * 3, RNG.normal(size=n) * 3)]
    return [q8(v) for v in RNG.normal(size=n) * 3]


def R(dt, shape, view=None):
    n = int(np.prod(shape)) if shape else 1
    return A(dt, vals(dt, n), shape, view)


def I(shape, dt="int32", view=None):
    """Array whose values are 0..n-1 (easy to read in the JSON)."""
    n = int(np.prod(shape)) if shape else 1
    return A(dt, list(range(n)), shape, view)


def nm(v):
    """Name fragment for a kwarg value."""
    if v is None:
        return "none"
    if isinstance(v, list):
        return "l" + ("_".join(nm(x) for x in v) or "empty")
    return str(v).replace("-", "m").replace(".", "p")


COPY_DTYPES = ["bool", "uint8", "int32", "int64", "float16", "bfloat16",
               "float32", "complex64"]


# ================================================================ dtypes

def gen_dtypes(fam):
    for dt in COPY_DTYPES:
        fam.add(f"flatten_{dt}_3d_1_2", "flatten", [R(dt, [2, 3, 2])],
                KW("flatten", start_axis=1, end_axis=2))
        fam.add(f"unflatten_{dt}_ax1", "unflatten", [R(dt, [2, 6])],
                KW("unflatten", axis=1, shape=[3, 2]))
        fam.add(f"stack_{dt}_ax1", "stack", [R(dt, [2, 3]), R(dt, [2, 3])],
                KW("stack", axis=1))
        fam.add(f"split_{dt}_6x2_3", "split", [R(dt, [6, 2])],
                KW("split", indices_or_sections=3))
        fam.add(f"split_{dt}_idx_ax1", "split", [R(dt, [2, 5])],
                KW("split", indices_or_sections=[1, 3], axis=1))
        fam.add(f"tile_{dt}_2_3", "tile", [R(dt, [2, 2])], KW("tile", reps=[2, 3]))
        fam.add(f"repeat_{dt}_ax0", "repeat", [R(dt, [2, 3])],
                KW("repeat", repeats=2, axis=0))
        fam.add(f"repeat_{dt}_flat", "repeat", [R(dt, [2, 2])],
                KW("repeat", repeats=3))
        fam.add(f"roll_{dt}_ax1", "roll", [R(dt, [2, 4])], KW("roll", shift=1, axis=1))
        fam.add(f"roll_{dt}_flat", "roll", [R(dt, [2, 3])], KW("roll", shift=-2))
        for op in ("atleast_1d", "atleast_2d", "atleast_3d"):
            fam.add(f"{op}_{dt}_0d", op, [R(dt, [])], KW(op))
        fam.add(f"atleast_3d_{dt}_1d", "atleast_3d", [R(dt, [3])], KW("atleast_3d"))
        fam.add(f"meshgrid_{dt}", "meshgrid", [R(dt, [2]), R(dt, [3])],
                KW("meshgrid"))
        fam.add(f"diag_{dt}_1d", "diag", [R(dt, [3])], KW("diag"))
        fam.add(f"diag_{dt}_2d_k1", "diag", [R(dt, [3, 3])], KW("diag", k=1))
        fam.add(f"diagonal_{dt}_3d", "diagonal", [R(dt, [2, 3, 3])],
                KW("diagonal", axis1=1, axis2=2))
        fam.add(f"kron_{dt}", "kron", [R(dt, [2, 2]), R(dt, [2, 1])], KW("kron"))
        fam.add(f"as_strided_{dt}_window3", "as_strided", [R(dt, [6])],
                KW("as_strided", shape=[3, 3], strides=[1, 1], offset=1))
        fam.add(f"broadcast_arrays_{dt}", "broadcast_arrays",
                [R(dt, [3]), R(dt, [2, 1])], KW("broadcast_arrays"))
        fam.add(f"squeeze_{dt}", "squeeze", [R(dt, [1, 3, 1])],
                KW("squeeze", axis=[0, -1]))
        fam.add(f"expand_dims_{dt}", "expand_dims", [R(dt, [3])],
                KW("expand_dims", axis=[0, -1]))
    # all 14 dtypes: concatenate, pad, trace (output dtype of trace = sum's)
    for dt in DTYPES:
        fam.add(f"concatenate_{dt}_ax0", "concatenate",
                [R(dt, [1, 3]), R(dt, [2, 3])], KW("concatenate", axis=0))
        fam.add(f"concatenate_{dt}_axm1", "concatenate",
                [R(dt, [2, 1]), R(dt, [2, 2]), R(dt, [2, 1])],
                KW("concatenate", axis=-1))
        cv = {"bool": 1, "complex64": 2.5}.get(dt, 2.5 if dt.startswith(("float", "bfloat")) else 7)
        fam.add(f"pad_{dt}_const", "pad", [R(dt, [2, 2])],
                KW("pad", pad_width=[[1, 0], [0, 2]], constant_values=cv))
        fam.add(f"pad_{dt}_edge", "pad", [R(dt, [2, 3])],
                KW("pad", pad_width=[1, 2], mode="edge"))
        fam.add(f"pad_{dt}_default0", "pad", [R(dt, [3])], KW("pad", pad_width=1))
        fam.add(f"trace_{dt}", "trace", [R(dt, [3, 3])], KW("trace"))
    fam.add("trace_uint8_200s", "trace", [A("uint8", [200] * 9, [3, 3])],
            KW("trace"))
    fam.add("trace_int8_max", "trace", [A("int8", [127] * 9, [3, 3])], KW("trace"))
    fam.add("trace_int32_wraps", "trace",
            [A("int32", [imax("int32")] * 4, [2, 2])], KW("trace"))
    fam.add("trace_float16_overflow", "trace",
            [A("float16", [60000.0] * 4, [2, 2])], KW("trace"))
    for src, dst in [("int32", "float16"), ("int32", "bool"), ("uint8", "uint8"),
                     ("float32", "int32"), ("float32", "float64"),
                     ("int32", "complex64"), ("float32", "bfloat16"),
                     ("int64", "int8"), ("complex64", "float32")]:
        if src == "float32" and dst == "int32":
            x = A("float32", [1.75, -2.5, 0.0, 3.0, -1.5, 9.0, 2.25, 4.0, 0.5], [3, 3])
        elif src == "uint8":
            x = A("uint8", [200] * 9, [3, 3])
        elif src == "int64" and dst == "int8":
            x = A("int64", [100, 1, 2, 3, 100, 4, 5, 6, 100], [3, 3])
        else:
            x = R(src, [3, 3])
        fam.add(f"trace_{src}_dtype_{dst}", "trace", [x], KW("trace", dtype=dst))


# ============================================================ promotion

def gen_promote(fam):
    # concatenate: every unordered dtype pair (the result dtype is the
    # promoted one, values converted like astype)
    for i, d1 in enumerate(DTYPES):
        for d2 in DTYPES[i + 1:]:
            fam.add(f"concatenate_mixed_{d1}_{d2}", "concatenate",
                    [A(d1, [1, 0] if d1 == "bool" else [1, 2]),
                     A(d2, [True] if d2 == "bool" else [3])],
                    KW("concatenate"))
    pairs = [("uint8", "int8"), ("int32", "float16"), ("float16", "bfloat16"),
             ("uint64", "int32"), ("bool", "float32"), ("int64", "complex64"),
             ("uint32", "int8"), ("float64", "complex64"), ("bool", "uint8")]
    for d1, d2 in pairs:
        fam.add(f"stack_mixed_{d1}_{d2}", "stack",
                [A(d1, [1, 0] if d1 == "bool" else [1, 2]),
                 A(d2, [True, False] if d2 == "bool" else [3, 4])], KW("stack"))
    fam.add("concatenate_mixed3_bool_uint8_int8", "concatenate",
            [A("bool", [True]), A("uint8", [200]), A("int8", [-5])],
            KW("concatenate"))
    fam.add("stack_mixed3_bool_uint8_int8", "stack",
            [A("bool", [True]), A("uint8", [200]), A("int8", [-5])], KW("stack"))
    fam.add("concatenate_mixed_uint32_int8_big", "concatenate",
            [A("uint32", [4000000000]), A("int8", [-1])], KW("concatenate"))
    fam.add("concatenate_mixed_int32_float16_inf", "concatenate",
            [A("int32", [100000, -70000]), A("float16", [1.5])], KW("concatenate"))
    fam.add("concatenate_mixed_uint64_int64_big", "concatenate",
            [A("uint64", [2 ** 63 + 1]), A("int64", [-1])], KW("concatenate"))
    fam.add("concatenate_mixed_float32_bfloat16_round", "concatenate",
            [A("float32", [1.00390625]), A("bfloat16", [1.5])], KW("concatenate"))
    fam.add("concatenate_mixed_float64_complex64_tenth", "concatenate",
            [A("float64", [0.1]), A("complex64", [1j])], KW("concatenate"))
    fam.add("stack_mixed_0d_uint8_float32", "stack",
            [A("uint8", [1], []), A("float32", [2.5], [])], KW("stack"))
    fam.add("concatenate_mixed_axnone", "concatenate",
            [A("int8", [1, 2, 3, 4], [2, 2]), A("float16", [0.5])],
            KW("concatenate", axis=None))
    fam.add("kron_mixed_uint8_float16", "kron",
            [A("uint8", [1, 2]), A("float16", [1.5, 2.0])], KW("kron"))
    fam.add("kron_uint8_wraps", "kron", [A("uint8", [200, 3]), A("uint8", [2])],
            KW("kron"))
    fam.add("kron_mixed_bool_int32", "kron",
            [A("bool", [True, False]), A("int32", [2, 3])], KW("kron"))
    fam.add("meshgrid_mixed_int32_float32", "meshgrid",
            [A("int32", [1, 2]), A("float32", [0.5, 1.5, 2.5])], KW("meshgrid"))
    fam.add("broadcast_arrays_mixed", "broadcast_arrays",
            [A("int32", [1, 2, 3]), A("float16", [0.5]), A("bool", [True, False], [2, 1])],
            KW("broadcast_arrays"))


# ================================================================= axes

def gen_axes(fam):
    x3 = I([2, 3, 4])
    for s, e in [(0, -1), (0, 1), (1, 2), (-2, -1), (-3, 0), (1, 1), (2, 2),
                 (-9, 9), (0, 3), (-4, 1), (2, 9)]:
        fam.add(f"flatten_int32_3d_s{nm(s)}_e{nm(e)}", "flatten", [x3],
                KW("flatten", start_axis=s, end_axis=e))
    for ax, shape in [(0, [2, 3]), (0, [-1, 3]), (0, [2, -1]), (-1, [2, 2]),
                      (-1, [-1, 1, 2]), (1, [3]), (1, [1, 3, 1]), (-2, [3, 2]),
                      (2, [4, 1]), (0, [1, 6, 1])]:
        x = I([6, 4]) if ax in (0, -2) else I([2, 3, 4])
        fam.add(f"unflatten_int32_ax{nm(ax)}_{nm(shape)}", "unflatten", [x],
                KW("unflatten", axis=ax, shape=shape))
    a, b = I([2, 3]), A("int32", [10, 11, 12, 13, 14, 15, 16, 17, 18], [3, 3])
    fam.add("concatenate_int32_2x3_ax0", "concatenate", [a, b], KW("concatenate"))
    fam.add("concatenate_int32_axm2", "concatenate", [a, b],
            KW("concatenate", axis=-2))
    c = A("int32", [20, 21, 22, 23], [2, 2])
    fam.add("concatenate_int32_ax1", "concatenate", [a, c], KW("concatenate", axis=1))
    fam.add("concatenate_int32_axnone", "concatenate", [a, b, I([2])],
            KW("concatenate", axis=None))
    fam.add("concatenate_int32_single", "concatenate", [a], KW("concatenate", axis=1))
    fam.add("concatenate_int32_3d_ax1", "concatenate",
            [I([2, 1, 2]), A("int32", [7] * 8, [2, 2, 2])], KW("concatenate", axis=1))
    fam.add("concatenate_int32_many", "concatenate",
            [A("int32", [i]) for i in range(7)], KW("concatenate"))
    for ax in (0, 1, 2, -1, -2, -3, None):
        fam.add(f"stack_int32_2x3_ax{nm(ax)}", "stack", [I([2, 3]), A("int32", [10, 11, 12, 13, 14, 15], [2, 3])], KW("stack", axis=ax))
    fam.add("stack_int32_three_ax1", "stack",
            [A("int32", [1, 2]), A("int32", [3, 4]), A("int32", [5, 6])],
            KW("stack", axis=1))
    fam.add("stack_int32_single", "stack", [I([3])], KW("stack", axis=-1))
    for r in (1, 3, [2], [1, 2], [2, 1], [1, 1, 2], [2, 1, 1, 2], [], 0, [0, 2],
              [2, 0]):
        fam.add(f"tile_int32_2x3_{nm(r)}", "tile", [I([2, 3])], KW("tile", reps=r))
    fam.add("tile_float32_1d_3", "tile", [A("float32", [1.5, -2.0])], KW("tile", reps=3))
    for rep, ax in [(2, None), (2, 0), (3, 1), (2, -1), (2, -2), (0, 1), (0, None),
                    (1, 0), (4, 2)]:
        fam.add(f"repeat_int32_{nm(rep)}_ax{nm(ax)}", "repeat", [I([2, 3, 1])],
                KW("repeat", repeats=rep, axis=ax))
    for k in (0, 1, 2, -1, -2, 3, -3, 5):
        fam.add(f"diag_int32_1d_k{nm(k)}", "diag", [A("int32", [1, 2, 3])],
                KW("diag", k=k))
        fam.add(f"diag_int32_3x4_k{nm(k)}", "diag", [I([3, 4])], KW("diag", k=k))
    x = I([2, 3, 4])
    for off, a1, a2 in [(0, 0, 1), (0, 1, 0), (0, 1, 2), (0, 2, 1), (1, 1, 2),
                        (-1, 1, 2), (1, -1, 0), (2, 0, 2), (-2, 2, 0), (9, 1, 2),
                        (-9, 1, 2), (0, -1, -2), (3, 1, 2), (-3, 1, 2)]:
        tag = f"{nm(off)}_{nm(a1)}_{nm(a2)}"
        fam.add(f"diagonal_int32_3d_{tag}", "diagonal", [x],
                KW("diagonal", offset=off, axis1=a1, axis2=a2))
        fam.add(f"trace_int32_3d_{tag}", "trace", [x],
                KW("trace", offset=off, axis1=a1, axis2=a2))
    for off in (0, 1, -1, 2, -3, 4):
        fam.add(f"diagonal_float32_3x4_off{nm(off)}", "diagonal",
                [R("float32", [3, 4])], KW("diagonal", offset=off))
        fam.add(f"trace_float32_3x4_off{nm(off)}", "trace",
                [R("float32", [3, 4])], KW("trace", offset=off))
    # kron shapes
    K = [([2, 2], [2, 2]), ([2], [2, 2]), ([2, 2], [3]), ([2, 1, 2], [2]),
         ([3], [2]), ([], [3]), ([2], []), ([], []), ([1, 2], [2, 1, 3])]
    for sa, sb in K:
        fam.add(f"kron_int32_{nm(sa)}_x_{nm(sb)}", "kron",
                [I(sa), A("int32", [10 * (i + 1) for i in
                                    range(int(np.prod(sb)) if sb else 1)], sb)],
                KW("kron"))
    # meshgrid
    for idx in ("xy", "ij"):
        for sp in (False, True):
            tag = f"{idx}_{'sparse' if sp else 'dense'}"
            fam.add(f"meshgrid_int32_2_3_{tag}", "meshgrid",
                    [I([2]), A("int32", [10, 20, 30])],
                    KW("meshgrid", indexing=idx, sparse=sp))
            fam.add(f"meshgrid_int32_2_3_4_{tag}", "meshgrid",
                    [I([2]), A("int32", [10, 20, 30]), A("int32", [5, 6, 7, 8])],
                    KW("meshgrid", indexing=idx, sparse=sp))
        fam.add(f"meshgrid_int32_single_{idx}", "meshgrid", [I([3])],
                KW("meshgrid", indexing=idx))
    fam.add("meshgrid_int32_2d_input_flattened", "meshgrid",
            [I([2, 2]), A("int32", [10, 20])], KW("meshgrid"))
    fam.add("meshgrid_int32_0d_input", "meshgrid", [A("int32", [7], []), I([2])],
            KW("meshgrid"))
    fam.add("meshgrid_none", "meshgrid", [], KW("meshgrid"))
    # as_strided
    S6 = I([6])
    for tag, sh, st, off in [("rows", [2, 3], [3, 1], 0), ("cols", [3, 2], [1, 3], 0),
                             ("window", [4, 3], [1, 1], 0), ("bcast0", [2, 3], [0, 1], 0),
                             ("neg", [3], [-1], 5), ("neg2d", [2, 2], [-2, 1], 4),
                             ("offset", [2], [2], 1), ("scalar", [], [], 4),
                             ("empty", [0, 3], [3, 1], 0), ("allzero", [2, 2], [0, 0], 3)]:
        fam.add(f"as_strided_int32_{tag}", "as_strided", [S6],
                KW("as_strided", shape=sh, strides=st, offset=off))
    fam.add("as_strided_int32_defaults", "as_strided", [I([2, 3])], KW("as_strided"))
    fam.add("as_strided_int32_shape_only", "as_strided", [S6],
            KW("as_strided", shape=[3, 2]))
    fam.add("as_strided_int32_from_0d", "as_strided", [A("int32", [7], [])],
            KW("as_strided", shape=[3], strides=[0]))
    # broadcast_arrays
    fam.add("broadcast_arrays_int32_3", "broadcast_arrays",
            [A("int32", [1], []), I([2, 1]), I([1, 3])], KW("broadcast_arrays"))
    fam.add("broadcast_arrays_int32_single", "broadcast_arrays", [I([3])],
            KW("broadcast_arrays"))
    fam.add("broadcast_arrays_none", "broadcast_arrays", [], KW("broadcast_arrays"))
    fam.add("broadcast_arrays_int32_rank_up", "broadcast_arrays",
            [I([3]), I([2, 2, 1])], KW("broadcast_arrays"))
    # squeeze / expand_dims with several axes
    x = I([1, 2, 1, 3, 1])
    for ax in ([0], [-1], [0, -1], [0, 2, 4], [-5, 2], [4, 0], []):
        fam.add(f"squeeze_int32_{nm(ax)}", "squeeze", [x], KW("squeeze", axis=ax))
    for ax in ([0], [-1], [0, -1], [0, 2, 4], [-1, -2], [1, -1], [3, 0], [-3],
               [0, 1, 2], [], [3, -4]):
        fam.add(f"expand_dims_int32_{nm(ax)}", "expand_dims", [I([2, 3])],
                KW("expand_dims", axis=ax))


# ================================================================ split

def gen_split(fam):
    x = I([6])
    for ios in (1, 2, 3, 6, [2], [2, 4], [4, 2], [2, 2], [0], [6], [10], [2, 10],
                [-2], [-10, 3], [-1, -3], [], [0, 0, 6, 6], [5, 1, 3]):
        fam.add(f"split_int32_{nm(ios)}", "split", [x],
                KW("split", indices_or_sections=ios))
    y = I([2, 6])
    for ios, ax in [(2, 1), (3, -1), ([1, 4], 1), ([1], 0), (2, 0), ([3, 1], -1),
                    (1, -2)]:
        fam.add(f"split_int32_2x6_{nm(ios)}_ax{nm(ax)}", "split", [y],
                KW("split", indices_or_sections=ios, axis=ax))


# ================================================================= roll

def gen_roll(fam):
    x = I([2, 3])
    R_ = [(1, None), (-1, None), (7, None), (-13, None), (0, None), (100, None),
          (1, 0), (1, 1), (-1, -1), (4, 1), (-7, -1), (1, [0, 1]), ([1, 2], [0, 1]),
          ([2, 1], [1, 0]), ([-1, 5], [-1, -2]), ([1, 2], None), ([1, 2], 1),
          ([1, 2, 3], [0, 1]), ([1, 1], [1, 1]), ([1, 2], [1, -1]), ([], 1),
          (1, []), ([3], None), ([1], [0])]
    for sh, ax in R_:
        fam.add(f"roll_int32_{nm(sh)}_ax{nm(ax)}", "roll", [x],
                KW("roll", shift=sh, axis=ax))
    x3 = I([2, 3, 4])
    for sh, ax in [(1, [0, 2]), ([1, -1, 2], [0, 1, 2]), (5, None), (2, -2)]:
        fam.add(f"roll_int32_3d_{nm(sh)}_ax{nm(ax)}", "roll", [x3],
                KW("roll", shift=sh, axis=ax))


# ================================================================== pad

def gen_pad(fam):
    x = I([2, 3])
    for pw in (0, 1, 2, [0, 1], [2, 0], [[1, 2], [0, 3]], [[0, 0], [0, 0]],
               [[0, 1]], [[2, 0], [1, 1]]):
        for mode in ("constant", "edge"):
            fam.add(f"pad_int32_{nm(pw)}_{mode}", "pad", [x],
                    KW("pad", pad_width=pw, mode=mode,
                       constant_values=(9 if mode == "constant" else 0)))
    x3 = I([2, 2, 2])
    for mode in ("constant", "edge"):
        fam.add(f"pad_int32_3d_{mode}", "pad", [x3],
                KW("pad", pad_width=[[1, 0], [0, 1], [1, 1]], mode=mode,
                   constant_values=-1))
    fam.add("pad_int32_1d_edge_wide", "pad", [A("int32", [1, 2])],
            KW("pad", pad_width=4, mode="edge"))
    # constant value conversion to the array's dtype
    CV = [("int32", 2.5, "trunc"), ("int8", -3.7, "trunc_neg"), ("bool", 2, "int2"),
          ("bool", 0.5, "half"), ("float16", 1e10, "overflow"),
          ("float16", 70000, "int_overflow"), ("bfloat16", 1.00390625, "round"),
          ("float32", 0.1, "tenth"), ("float64", 0.1, "tenth"), ("complex64", 3, "int"),
          ("int32", 1, "one"),
          ("float32", NAN, "nan"), ("float32", -INF, "ninf"), ("float16", INF, "inf"),
          ("uint64", -1, "neg_wraps"), ("int64", 2 ** 40, "big"),
          ("uint32", 2 ** 32 - 1, "max"), ("uint8", 255, "max"), ("int8", -128, "min"),
          ("uint8", -1, "neg"), ("uint16", -1, "neg"), ("uint8", 300, "overflow"),
          ("int32", 2 ** 40, "overflow"), ("int8", 128, "overflow")]
    for dt, cv, tag in CV:
        x = R(dt, [2])
        fam.add(f"pad_{dt}_cv_{tag}", "pad", [x],
                KW("pad", pad_width=1, constant_values=cv))


# ====================================================== non-contiguous views

def gen_noncontig(fam):
    for view in ("transpose", "flip0", "step2"):
        for dt in ("int32", "float16", "complex64"):
            if dt != "int32" and view == "step2":
                continue
            shape = [4, 3] if view == "step2" else [3, 4]
            if view == "transpose":
                shape = [4, 3]
            x = R(dt, shape, view) if dt != "int32" else I(shape, view=view)
            v = f"{dt}_{view}"
            fam.add(f"flatten_{v}", "flatten", [x], KW("flatten"))
            fam.add(f"unflatten_{v}", "unflatten", [x],
                    KW("unflatten", axis=-1, shape=[-1, 1]))
            fam.add(f"concatenate_{v}", "concatenate", [x, x],
                    KW("concatenate", axis=1))
            fam.add(f"concatenate_{v}_axnone", "concatenate", [x, A(dt, vals(dt, 1))],
                    KW("concatenate", axis=None))
            fam.add(f"stack_{v}", "stack", [x, x], KW("stack", axis=-1))
            fam.add(f"split_{v}", "split", [x], KW("split", indices_or_sections=[1],
                                                   axis=1))
            fam.add(f"tile_{v}", "tile", [x], KW("tile", reps=[1, 2]))
            fam.add(f"repeat_{v}", "repeat", [x], KW("repeat", repeats=2, axis=1))
            fam.add(f"repeat_{v}_flat", "repeat", [x], KW("repeat", repeats=2))
            fam.add(f"roll_{v}", "roll", [x], KW("roll", shift=[1, 1], axis=[0, 1]))
            fam.add(f"roll_{v}_flat", "roll", [x], KW("roll", shift=2))
            fam.add(f"pad_{v}_edge", "pad", [x],
                    KW("pad", pad_width=[[1, 0], [0, 2]], mode="edge"))
            fam.add(f"pad_{v}_const", "pad", [x],
                    KW("pad", pad_width=1, constant_values=1))
            fam.add(f"atleast_3d_{v}", "atleast_3d", [x], KW("atleast_3d"))
            fam.add(f"diag_{v}", "diag", [x], KW("diag", k=-1))
            fam.add(f"diagonal_{v}", "diagonal", [x], KW("diagonal", offset=1))
            fam.add(f"trace_{v}", "trace", [x], KW("trace", offset=-1))
            fam.add(f"kron_{v}", "kron", [x, A(dt, vals(dt, 2), [2, 1])], KW("kron"))
            fam.add(f"as_strided_{v}", "as_strided", [x],
                    KW("as_strided", shape=[2, 2], strides=[1, 3], offset=1))
            fam.add(f"broadcast_arrays_{v}", "broadcast_arrays",
                    [x, A(dt, vals(dt, 1), [1, 1, 1])], KW("broadcast_arrays"))
            fam.add(f"expand_dims_{v}", "expand_dims", [x],
                    KW("expand_dims", axis=[0, -1]))
    # squeeze a view with unit axes; meshgrid of a reversed 1-d view;
    # diag of a strided 1-d view
    fam.add("squeeze_int32_transpose", "squeeze", [I([3, 1], view="transpose")],
            KW("squeeze", axis=[0]))
    fam.add("meshgrid_int32_flip0", "meshgrid", [I([3], view="flip0"),
                                                  I([4], view="step2")],
            KW("meshgrid", indexing="ij"))
    fam.add("diag_int32_1d_step2", "diag", [I([5], view="step2")], KW("diag", k=1))
    fam.add("concatenate_mixed_views", "concatenate",
            [I([3, 2], view="transpose"), I([4, 3], "float32", view="step2")],
            KW("concatenate"))


# ============================================================ 0-d and empty

def gen_empty(fam):
    z = A("float32", [1.5], [])
    zi = A("int32", [7], [])
    e03 = A("float32", [], [0, 3])
    e20 = A("float32", [], [2, 0])
    e0 = A("int32", [], [0])
    # 0-d
    fam.add("flatten_0d", "flatten", [z], KW("flatten"))
    fam.add("flatten_0d_0_0", "flatten", [z], KW("flatten", start_axis=0, end_axis=0))
    fam.add("flatten_0d_5_m7", "flatten", [z], KW("flatten", start_axis=5, end_axis=-7))
    fam.add("concatenate_0d_axnone", "concatenate", [z, z], KW("concatenate", axis=None))
    fam.add("stack_0d", "stack", [zi, zi], KW("stack"))
    fam.add("stack_0d_axm1", "stack", [zi, zi], KW("stack", axis=-1))
    fam.add("tile_0d_list", "tile", [zi], KW("tile", reps=[2, 2]))
    fam.add("tile_0d_int", "tile", [zi], KW("tile", reps=3))
    fam.add("tile_0d_empty", "tile", [zi], KW("tile", reps=[]))
    fam.add("repeat_0d", "repeat", [zi], KW("repeat", repeats=3))
    fam.add("roll_0d", "roll", [zi], KW("roll", shift=3))
    fam.add("roll_0d_list", "roll", [zi], KW("roll", shift=[1, 2]))
    fam.add("pad_0d", "pad", [z], KW("pad", pad_width=2))
    fam.add("pad_0d_edge", "pad", [z], KW("pad", pad_width=2, mode="edge"))
    fam.add("pad_0d_pairs", "pad", [z], KW("pad", pad_width=[[1, 1]]))
    fam.add("squeeze_0d_empty", "squeeze", [z], KW("squeeze", axis=[]))
    fam.add("expand_dims_0d", "expand_dims", [z], KW("expand_dims", axis=[0, 1]))
    fam.add("expand_dims_0d_neg", "expand_dims", [z], KW("expand_dims", axis=[-1, -2]))
    fam.add("kron_0d_0d", "kron", [zi, A("int32", [3], [])], KW("kron"))
    fam.add("broadcast_arrays_0d", "broadcast_arrays", [z, zi], KW("broadcast_arrays"))
    fam.add("as_strided_0d", "as_strided", [z], KW("as_strided"))
    # zero-size
    fam.add("flatten_2x0x4", "flatten", [A("float32", [], [2, 0, 4])], KW("flatten"))
    fam.add("flatten_2x0x4_0_1", "flatten", [A("float32", [], [2, 0, 4])],
            KW("flatten", start_axis=0, end_axis=1))
    fam.add("unflatten_0x3_0_5", "unflatten", [e03], KW("unflatten", shape=[0, 5]))
    fam.add("unflatten_0x3_m1_5", "unflatten", [e03], KW("unflatten", shape=[-1, 5]))
    fam.add("unflatten_2x0_ax1_0_2", "unflatten", [e20],
            KW("unflatten", axis=1, shape=[2, 0]))
    fam.add("concatenate_empty_ax0", "concatenate", [e03, R("float32", [2, 3])],
            KW("concatenate"))
    fam.add("concatenate_empty_both", "concatenate", [e03, e03], KW("concatenate"))
    fam.add("concatenate_empty_ax1", "concatenate", [e20, R("float32", [2, 2])],
            KW("concatenate", axis=1))
    fam.add("concatenate_empty_axnone", "concatenate", [e03, R("float32", [2])],
            KW("concatenate", axis=None))
    fam.add("concatenate_empty_mixed", "concatenate", [e0, A("float16", [1.5])],
            KW("concatenate"))
    fam.add("stack_empty", "stack", [e03, e03], KW("stack", axis=1))
    fam.add("split_empty_2", "split", [e0], KW("split", indices_or_sections=2))
    fam.add("split_empty_idx", "split", [e0], KW("split", indices_or_sections=[1, 2]))
    fam.add("split_0x3_ax1", "split", [e03], KW("split", indices_or_sections=3, axis=1))
    fam.add("tile_empty", "tile", [e03], KW("tile", reps=[2, 2]))
    fam.add("repeat_empty", "repeat", [e20], KW("repeat", repeats=3, axis=0))
    fam.add("repeat_empty_flat", "repeat", [e20], KW("repeat", repeats=3))
    fam.add("roll_empty", "roll", [e03], KW("roll", shift=1, axis=1))
    fam.add("roll_empty_flat", "roll", [e03], KW("roll", shift=1))
    fam.add("roll_empty_ax0", "roll", [e03], KW("roll", shift=2, axis=0))
    fam.add("pad_empty_const", "pad", [e03], KW("pad", pad_width=1, constant_values=5))
    fam.add("pad_empty_edge_nonempty_ax", "pad", [e20],
            KW("pad", pad_width=[[1, 1], [0, 0]], mode="edge"))
    fam.add("pad_empty_edge_zeros", "pad", [e03],
            KW("pad", pad_width=[[1, 1], [1, 1]], mode="edge"))
    fam.add("pad_empty_edge_1d_zeros", "pad", [e0], KW("pad", pad_width=2, mode="edge"))
    fam.add("atleast_1d_empty", "atleast_1d", [e0], KW("atleast_1d"))
    fam.add("atleast_2d_empty", "atleast_2d", [e0], KW("atleast_2d"))
    fam.add("atleast_3d_empty", "atleast_3d", [e0], KW("atleast_3d"))
    fam.add("atleast_3d_empty_2d", "atleast_3d", [e03], KW("atleast_3d"))
    fam.add("meshgrid_empty", "meshgrid", [e0, I([3])], KW("meshgrid"))
    fam.add("meshgrid_empty_ij_sparse", "meshgrid", [e0, I([3])],
            KW("meshgrid", indexing="ij", sparse=True))
    fam.add("diag_empty_1d", "diag", [e0], KW("diag"))
    fam.add("diag_empty_1d_k2", "diag", [e0], KW("diag", k=2))
    fam.add("diag_empty_2d", "diag", [e03], KW("diag"))
    fam.add("diagonal_empty", "diagonal", [e03], KW("diagonal"))
    fam.add("diagonal_empty_3d", "diagonal", [A("int32", [], [0, 2, 2])],
            KW("diagonal", axis1=1, axis2=2))
    fam.add("trace_empty", "trace", [e03], KW("trace"))
    fam.add("trace_empty_int32", "trace", [A("int32", [], [3, 0])], KW("trace"))
    fam.add("trace_empty_3d", "trace", [A("int32", [], [0, 2, 2])],
            KW("trace", axis1=1, axis2=2))
    fam.add("as_strided_empty_src", "as_strided", [e03], KW("as_strided"))
    fam.add("broadcast_arrays_empty", "broadcast_arrays", [z, e20],
            KW("broadcast_arrays"))
    fam.add("broadcast_arrays_empty_1", "broadcast_arrays", [e03, A("float32", [1, 2, 3])],
            KW("broadcast_arrays"))
    fam.add("squeeze_empty", "squeeze", [A("float32", [], [1, 0, 1])],
            KW("squeeze", axis=[0, 2]))
    fam.add("expand_dims_empty", "expand_dims", [e03], KW("expand_dims", axis=[1, -1]))


# ================================================================ errors

def gen_errors(fam):
    x = I([2, 3])
    x3 = I([2, 3, 4])
    z = A("float32", [1.5], [])
    E = [
        ("flatten_err_start_gt_end", "flatten", [x3], KW("flatten", start_axis=2, end_axis=1)),
        ("flatten_err_start_ge_ndim", "flatten", [x3], KW("flatten", start_axis=3, end_axis=5)),
        ("flatten_err_end_lt_mndim", "flatten", [x3], KW("flatten", start_axis=0, end_axis=-5)),
        ("unflatten_err_bad_shape", "unflatten", [I([6, 4])], KW("unflatten", shape=[4, 2])),
        ("unflatten_err_two_m1", "unflatten", [I([6, 4])], KW("unflatten", shape=[-1, -1])),
        ("unflatten_err_m1_nodiv", "unflatten", [I([6, 4])], KW("unflatten", shape=[-1, 4])),
        ("unflatten_err_empty_shape", "unflatten", [I([6, 4])], KW("unflatten", shape=[])),
        ("unflatten_err_axis", "unflatten", [I([6, 4])], KW("unflatten", axis=2, shape=[4])),
        ("unflatten_err_axis_neg", "unflatten", [I([6, 4])], KW("unflatten", axis=-3, shape=[6])),
        ("unflatten_err_0d", "unflatten", [z], KW("unflatten", shape=[1])),
        ("unflatten_err_zero_dim", "unflatten", [I([6, 4])], KW("unflatten", shape=[0, 3])),
        ("unflatten_err_neg_dim", "unflatten", [I([6, 4])], KW("unflatten", shape=[-2, 3])),
        ("unflatten_neg_dims_bug", "unflatten", [I([6, 4])], KW("unflatten", shape=[-2, -3])),
        ("concatenate_err_none", "concatenate", [], KW("concatenate")),
        ("concatenate_err_shapes", "concatenate", [x, I([2, 4])], KW("concatenate")),
        ("concatenate_err_shapes_ax1", "concatenate", [x, I([3, 3])], KW("concatenate", axis=1)),
        ("concatenate_err_ndim", "concatenate", [x, I([3])], KW("concatenate")),
        ("concatenate_err_axis", "concatenate", [x, x], KW("concatenate", axis=2)),
        ("concatenate_err_axis_neg", "concatenate", [x, x], KW("concatenate", axis=-3)),
        ("concatenate_err_0d", "concatenate", [z, z], KW("concatenate")),
        ("concatenate_err_empty_shapes", "concatenate", [A("float32", [], [0, 4]), x],
         KW("concatenate")),
        ("stack_err_none", "stack", [], KW("stack")),
        ("stack_err_shapes", "stack", [x, I([2, 4])], KW("stack")),
        ("stack_err_shapes_transposed", "stack", [x, I([3, 2])], KW("stack")),
        ("stack_err_axis", "stack", [x, x], KW("stack", axis=3)),
        ("stack_err_axis_neg", "stack", [x, x], KW("stack", axis=-4)),
        ("stack_err_0d_ax1", "stack", [z, z], KW("stack", axis=1)),
        ("split_err_not_divisible", "split", [I([6])], KW("split", indices_or_sections=4)),
        ("split_err_not_divisible_ax1", "split", [x], KW("split", indices_or_sections=2, axis=1)),
        ("split_err_zero", "split", [I([6])], KW("split", indices_or_sections=0)),
        ("split_err_neg", "split", [I([6])], KW("split", indices_or_sections=-1)),
        ("split_err_axis", "split", [I([6])], KW("split", indices_or_sections=2, axis=1)),
        ("split_err_axis_neg", "split", [x], KW("split", indices_or_sections=1, axis=-3)),
        ("split_err_0d", "split", [z], KW("split", indices_or_sections=1)),
        ("split_err_0d_idx", "split", [z], KW("split", indices_or_sections=[1])),
        ("split_err_zero_on_empty", "split", [A("int32", [], [0])],
         KW("split", indices_or_sections=0)),
        ("tile_err_neg", "tile", [x], KW("tile", reps=-1)),
        ("tile_err_neg_list", "tile", [x], KW("tile", reps=[2, -1])),
        ("repeat_err_neg", "repeat", [x], KW("repeat", repeats=-1, axis=1)),
        ("repeat_err_neg_flat", "repeat", [x], KW("repeat", repeats=-2)),
        ("repeat_err_axis", "repeat", [x], KW("repeat", repeats=2, axis=2)),
        ("repeat_err_axis_neg", "repeat", [x], KW("repeat", repeats=2, axis=-3)),
        ("repeat_err_0d_axis", "repeat", [z], KW("repeat", repeats=2, axis=0)),
        ("pad_err_neg", "pad", [x], KW("pad", pad_width=-1)),
        ("pad_err_neg_lo", "pad", [x], KW("pad", pad_width=[[-1, 0], [0, 0]])),
        ("pad_err_neg_hi", "pad", [x], KW("pad", pad_width=[[0, 0], [0, -2]])),
        ("pad_err_neg_pair", "pad", [x], KW("pad", pad_width=[1, -1])),
        ("pad_err_neg_edge", "pad", [x], KW("pad", pad_width=-1, mode="edge")),
        ("pad_err_too_many", "pad", [x], KW("pad", pad_width=[[0, 1], [1, 1], [1, 1]])),
        ("pad_err_too_few_3d", "pad", [x3], KW("pad", pad_width=[[0, 1], [1, 1]])),
        ("pad_err_mode", "pad", [x], KW("pad", pad_width=1, mode="wrap")),
                ("roll_err_axis", "roll", [x], KW("roll", shift=1, axis=2)),
        ("roll_err_axis_neg", "roll", [x], KW("roll", shift=1, axis=-3)),
        ("roll_err_axes_list", "roll", [x], KW("roll", shift=1, axis=[0, 2])),
        ("roll_err_too_few_shifts", "roll", [x], KW("roll", shift=[1], axis=[0, 1])),
        ("roll_err_0d_axis", "roll", [z], KW("roll", shift=1, axis=0)),
        ("meshgrid_err_indexing", "meshgrid", [I([2]), I([3])], KW("meshgrid", indexing="xx")),
        ("diag_err_0d", "diag", [z], KW("diag")),
        ("diag_err_3d", "diag", [x3], KW("diag")),
        ("diagonal_err_same", "diagonal", [x], KW("diagonal", axis1=1, axis2=1)),
        ("diagonal_err_same_neg", "diagonal", [x], KW("diagonal", axis1=1, axis2=-1)),
        ("diagonal_err_axis2", "diagonal", [x], KW("diagonal", axis1=0, axis2=2)),
        ("diagonal_err_axis1_neg", "diagonal", [x], KW("diagonal", axis1=-3, axis2=1)),
        ("diagonal_err_1d", "diagonal", [I([3])], KW("diagonal")),
        ("diagonal_err_0d", "diagonal", [z], KW("diagonal")),
        ("trace_err_same", "trace", [x], KW("trace", axis1=0, axis2=0)),
        ("trace_err_same_neg", "trace", [x3], KW("trace", axis1=2, axis2=-1)),
        ("trace_err_axis", "trace", [x], KW("trace", axis1=0, axis2=2)),
        ("trace_err_1d", "trace", [I([3])], KW("trace")),
        ("trace_err_0d", "trace", [z], KW("trace")),
        ("kron_err_empty", "kron", [A("float32", [], [0, 2]), I([2, 2])], KW("kron")),
        ("kron_err_empty_b", "kron", [I([2]), A("int32", [], [0])], KW("kron")),
        ("broadcast_arrays_err", "broadcast_arrays", [I([3]), I([4])], KW("broadcast_arrays")),
        ("broadcast_arrays_err_2d", "broadcast_arrays", [x, I([3, 2])], KW("broadcast_arrays")),
        ("squeeze_err_dup", "squeeze", [I([1, 2, 1])], KW("squeeze", axis=[0, 0])),
        ("squeeze_err_dup_neg", "squeeze", [I([1, 2, 1])], KW("squeeze", axis=[0, -3])),
        ("squeeze_err_not_one", "squeeze", [I([1, 2, 1])], KW("squeeze", axis=[0, 1])),
        ("squeeze_err_zero_size", "squeeze", [A("int32", [], [1, 0])], KW("squeeze", axis=[1])),
        ("squeeze_err_axis", "squeeze", [I([1, 2, 1])], KW("squeeze", axis=[3])),
        ("squeeze_err_axis_neg", "squeeze", [I([1, 2, 1])], KW("squeeze", axis=[-4])),
        ("squeeze_err_0d", "squeeze", [z], KW("squeeze", axis=[0])),
        ("expand_dims_err_dup", "expand_dims", [x], KW("expand_dims", axis=[1, 1])),
        ("expand_dims_err_dup_neg", "expand_dims", [x], KW("expand_dims", axis=[3, -1])),
        ("expand_dims_err_axis", "expand_dims", [x], KW("expand_dims", axis=[0, 4])),
        ("expand_dims_err_axis_single", "expand_dims", [x], KW("expand_dims", axis=[3])),
        ("expand_dims_err_axis_neg", "expand_dims", [x], KW("expand_dims", axis=[-4])),
        ("expand_dims_err_axis_neg2", "expand_dims", [x], KW("expand_dims", axis=[0, -5])),
    ]
    for name, op, args, kw in E:
        fam.add(name, op, args, kw)


def gen_crashes(fam):
    """Cases that kill MLX (SIGFPE); Family.add leaves them out of the JSON
    and main() lists them. Kept here so FINDINGS.md stays checkable."""
    fam.add("unflatten_crash_zero_m1", "unflatten", [I([6, 4])],
            KW("unflatten", shape=[0, -1]))
    fam.add("unflatten_crash_zero_m1_empty", "unflatten", [A("int32", [], [0, 4])],
            KW("unflatten", shape=[0, -1]))


# ======================================================================= main

def _empty_trace(args, kw):
    """Does this trace case sum an empty diagonal (or an empty input)?"""
    if not args or args[0].get("kind") != "array":
        return False
    shape = args[0]["shape"]
    if args[0]["view"] == "transpose":
        shape = shape[::-1]
    elif args[0]["view"] == "step2" and shape:
        shape = [(shape[0] + 1) // 2] + shape[1:]
    try:
        d = np.diagonal(np.zeros(shape), kw["offset"], kw["axis1"], kw["axis2"])
    except (ValueError, np.exceptions.AxisError):
        return False  # an error case: MLX raises before reducing
    return d.size == 0


class ShapeFamily(Family):
    def add(self, name, op, args=(), kwargs=None, **opts):
        # MLX's CPU sum of an EMPTY input sometimes spins or hangs (see the
        # reductions notes in FINDINGS.md): run such trace cases in a fresh
        # worker with retries, like gen_reduce.py does.
        if op == "trace" and _empty_trace(list(args), kwargs):
            opts = dict(fresh=True, retries=10, timeout=3, **opts)
        return super().add(name, op, args, kwargs, **opts)


FAMILIES = [gen_dtypes, gen_promote, gen_axes, gen_split, gen_roll, gen_pad,
            gen_noncontig, gen_empty, gen_errors, gen_crashes]


def main():
    runner = Runner(ops_module="gen_shape")
    fam = ShapeFamily(runner, "shape.json")
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
