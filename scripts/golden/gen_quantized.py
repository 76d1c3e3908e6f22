#!/usr/bin/env python3
"""Golden data for quantization from real MLX: quantize, dequantize, quantized_matmul,
gather_qmm, to_fp8 and from_fp8.

Writes tests/golden/ops/quantized.json. Cases (kwargs: group_size, bits, mode, ...):
  quantize          args [w, global|null]                     -> [wq, scales(, biases)]
  dequantize        args [wq, scales, biases|null, global|null] {"dtype": str|null}
  quantized_matmul  args [x, wq, scales, biases|null]         {"transpose"}
  gather_qmm        args [x, wq, scales, biases|null, lhs|null, rhs|null] {"transpose"}
  to_fp8 args [x];  from_fp8 args [bytes] {"dtype"}
Quantized products of half-precision inputs are recorded from float32 inputs (the same
values) and rounded to the half type: mx sums in float32, where MLX's x86 CPU rounds every
partial sum to the half type (docs/api.md lists the deviation).
Usage: python3 scripts/golden/gen_quantized.py (seeded, deterministic).
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
SEED = 20261125
RNG = np.random.default_rng(SEED)

assert mx.__version__ == MLX_VERSION, mx.__version__
FLOATS = ["float32", "float16", "bfloat16"]


def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


def R(dt, shape, scale=1.0):
    n = int(np.prod(shape)) if shape else 1
    return A(dt, [float(v) for v in RNG.normal(size=n) * scale], shape)


def q_kw(kw):
    return dict(group_size=kw.get("group_size"), bits=kw.get("bits"), mode=kw.get("mode", "affine"))


def upcast(a):
    return a.astype(mx.float32) if a is not None and a.dtype in (mx.float16, mx.bfloat16) else a


def apply_op(op, args, kw):
    a = [build_arg(x) if x is not None else None for x in args]
    if op == "quantize":
        return mx.quantize(a[0], **q_kw(kw), global_scale=a[1])
    if op == "dequantize":
        dtype = getattr(mx, kw["dtype"]) if kw.get("dtype") else None
        return mx.dequantize(a[0], a[1], a[2], **q_kw(kw), global_scale=a[3], dtype=dtype)
    if op in ("quantized_matmul", "gather_qmm"):
        def run(x, s, b):
            if op == "quantized_matmul":
                return mx.quantized_matmul(x, a[1], s, b, transpose=kw["transpose"], **q_kw(kw))
            return mx.gather_qmm(x, a[1], s, b, lhs_indices=a[4], rhs_indices=a[5],
                                 transpose=kw["transpose"], **q_kw(kw))
        out = run(a[0], a[2], a[3])
        if out.dtype in (mx.float16, mx.bfloat16):
            out = run(upcast(a[0]), upcast(a[2]), upcast(a[3])).astype(out.dtype)
        return out
    if op == "to_fp8":
        return mx.to_fp8(a[0])
    if op == "from_fp8":
        return mx.from_fp8(a[0], dtype=getattr(mx, kw["dtype"]))
    return NotImplemented


def quantized(w, **kw):
    """MLX's quantize outputs of w (an ARG) as ARG encodings."""
    outs = mx.quantize(build_arg(w), **q_kw(kw))
    enc = []
    for o in outs:
        if o.dtype == mx.uint32:
            enc.append(A("uint32", [int(v) for v in np.array(o).ravel()], list(o.shape)))
        elif o.dtype == mx.uint8:
            enc.append(A("uint8", [int(v) for v in np.array(o).ravel()], list(o.shape)))
        else:
            name = str(o.dtype).split(".")[-1]
            enc.append(A(name, [float(v) for v in np.array(o.astype(mx.float32)).ravel()], list(o.shape)))
    return enc + [None] * (3 - len(enc))


def gen_quantize(fam):
    for dt in FLOATS:
        for gs in (32, 64, 128):
            for bits in (1, 2, 3, 4, 5, 6, 8):
                w = R(dt, [2, 128], 0.3)
                kw = {"group_size": gs, "bits": bits, "mode": "affine"}
                fam.add(f"quantize_{dt}_g{gs}_b{bits}", "quantize", [w, None], kw)
                wq, s, b = quantized(w, **kw)
                fam.add(f"dequantize_{dt}_g{gs}_b{bits}", "dequantize", [wq, s, b, None],
                        dict(kw, dtype=None))
        for mode in ("mxfp4", "mxfp8", "nvfp4"):
            w = R(dt, [4, 64], 2.0)
            kw = {"mode": mode}
            fam.add(f"quantize_{dt}_{mode}", "quantize", [w, None], kw)
            wq, s, _ = quantized(w, **kw)
            fam.add(f"dequantize_{dt}_{mode}", "dequantize", [wq, s, None, None], dict(kw, dtype=dt))
    # Specials: zeros, one-signed groups, large ranges, a 3-d input.
    w = A("float32", [0.0] * 64 + [1.0] * 64 + list(np.linspace(0.5, 1.0, 64)) + list(np.linspace(-2, 1, 64)), [4, 64])
    fam.add("quantize_specials", "quantize", [w, None], {"group_size": 64, "bits": 4})
    fam.add("quantize_specials_mxfp4", "quantize", [A("float32", [0.0] * 32 + [2.5, 3.5, 5.0, -0.25, 0.75, 1.25, 1.75, 6.1] * 4, [2, 32]), None], {"mode": "mxfp4"})
    fam.add("quantize_3d", "quantize", [R("float32", [2, 3, 64]), None], {"group_size": 32, "bits": 3})
    fam.add("quantize_nvfp4_global", "quantize", [R("float32", [2, 32], 5.0), A("float32", [7.3], [])], {"mode": "nvfp4"})
    wq, s, _ = quantized(R("float32", [2, 32], 5.0), mode="nvfp4")
    fam.add("dequantize_nvfp4_global", "dequantize", [wq, s, None, A("float32", [0.5], [])], {"mode": "nvfp4", "dtype": None})
    wq, s, b = quantized(R("bfloat16", [2, 64]), group_size=32, bits=4)
    fam.add("dequantize_dtype_f32", "dequantize", [wq, s, b, None], {"group_size": 32, "bits": 4, "dtype": "float32"})
    fam.add("dequantize_mx_default_dtype", "dequantize", [*quantized(R("float32", [2, 32]), mode="mxfp8")[:2], None, None], {"mode": "mxfp8", "dtype": None})
    # Errors.
    w = R("float32", [4, 128])
    fam.add("quantize_err_bits7", "quantize", [w, None], {"group_size": 64, "bits": 7})
    fam.add("quantize_err_gs48", "quantize", [w, None], {"group_size": 48, "bits": 4})
    fam.add("quantize_err_gs48_k96", "quantize", [R("float32", [4, 96]), None], {"group_size": 48, "bits": 4})
    fam.add("quantize_err_k100", "quantize", [R("float32", [4, 100]), None], {"group_size": 64, "bits": 4})
    fam.add("quantize_err_1d", "quantize", [R("float32", [128]), None], {"group_size": 64, "bits": 4})
    fam.add("quantize_err_int", "quantize", [A("int32", [1] * 128, [2, 64]), None], {"group_size": 64, "bits": 4})
    fam.add("quantize_err_mxfp4_gs", "quantize", [w, None], {"group_size": 64, "mode": "mxfp4"})
    fam.add("quantize_err_mxfp8_bits", "quantize", [w, None], {"bits": 4, "mode": "mxfp8"})
    fam.add("quantize_err_global_affine", "quantize", [w, A("float32", [1.0], [])], {"group_size": 64, "bits": 4})
    fam.add("quantize_err_global_shape", "quantize", [R("float32", [2, 32]), A("float32", [1.0, 2.0], [2])], {"mode": "nvfp4"})
    wq, s, b = quantized(R("float32", [4, 128]), group_size=64, bits=4)
    fam.add("dequantize_err_no_biases", "dequantize", [wq, s, None, None], {"group_size": 64, "bits": 4, "dtype": None})
    fam.add("dequantize_err_shape", "dequantize", [wq, s, b, None], {"group_size": 32, "bits": 4, "dtype": None})
    fam.add("dequantize_err_dtype", "dequantize", [wq, s, b, None], {"group_size": 64, "bits": 4, "dtype": "int32"})
    fam.add("dequantize_err_mx_scales", "dequantize", [wq, s, None, None], {"mode": "mxfp4", "dtype": None})
    fam.add("dequantize_err_not_uint32", "dequantize", [A("int32", [1] * 64, [4, 16]), s, b, None], {"group_size": 64, "bits": 4, "dtype": None})


def gen_matmul(fam):
    for dt in FLOATS:
        for bits in (2, 3, 4, 5, 6, 8):
            for transpose in (True, False):
                n, k = 64, 64
                w = R(dt, [n, k] if transpose else [k, n], 0.2)
                kw = {"group_size": 32 if bits != 6 else 64, "bits": bits, "mode": "affine"}
                wq, s, b = quantized(w, **kw)
                x = R(dt, [2, k])
                t = "t" if transpose else "n"
                fam.add(f"qmm_{dt}_b{bits}_{t}", "quantized_matmul", [x, wq, s, b], dict(kw, transpose=transpose))
        for mode in ("mxfp4", "mxfp8", "nvfp4"):
            w = R("float32", [32, 64])
            wq, s, _ = quantized(w, mode=mode)
            fam.add(f"qmm_{dt}_{mode}", "quantized_matmul", [R(dt, [2, 64]), wq, s, None], {"mode": mode, "transpose": True})
    wq, s, b = quantized(R("float32", [4, 32, 64]), group_size=64, bits=4)
    fam.add("qmm_batched", "quantized_matmul", [R("float32", [2, 1, 3, 64]), wq, s, b], {"group_size": 64, "bits": 4, "transpose": True})
    fam.add("qmm_vector", "quantized_matmul", [R("float32", [64]), *quantized(R("float32", [16, 64]), group_size=64, bits=8)], {"group_size": 64, "bits": 8, "transpose": True})
    fam.add("qmm_long", "quantized_matmul", [R("float32", [40, 128]), *quantized(R("float32", [24, 128]), group_size=64, bits=4)], {"group_size": 64, "bits": 4, "transpose": True})
    fam.add("gather_qmm", "gather_qmm", [R("float32", [3, 2, 64]), wq, s, b, A("uint32", [2, 0, 1, 1], [4]), A("uint32", [3, 1, 0, 2], [4])], {"group_size": 64, "bits": 4, "transpose": True})
    fam.add("gather_qmm_default", "gather_qmm", [R("float32", [4, 2, 64]), wq, s, b, None, None], {"group_size": 64, "bits": 4, "transpose": True})
    wq4, s4, b4 = quantized(R("float32", [4, 128]), group_size=64, bits=4)
    x = R("float32", [2, 64])
    fam.add("qmm_err_k", "quantized_matmul", [x, wq4, s4, b4], {"group_size": 64, "bits": 4, "transpose": True})
    fam.add("qmm_err_k_n", "quantized_matmul", [x, wq4, s4, b4], {"group_size": 64, "bits": 4, "transpose": False})
    fam.add("qmm_err_scales", "quantized_matmul", [R("float32", [2, 128]), wq4, s4, b4], {"group_size": 32, "bits": 4, "transpose": True})
    fam.add("qmm_err_no_biases", "quantized_matmul", [R("float32", [2, 128]), wq4, s4, None], {"group_size": 64, "bits": 4, "transpose": True})
    fam.add("qmm_err_biases_shape", "quantized_matmul", [R("float32", [2, 128]), wq4, s4, A("float32", [0.0] * 4, [4, 1])], {"group_size": 64, "bits": 4, "transpose": True})
    fam.add("gather_qmm_err_float_index", "gather_qmm", [R("float32", [2, 128]), wq4, s4, b4, A("float32", [0.0], [1]), None], {"group_size": 64, "bits": 4, "transpose": True})


def gen_fp8(fam):
    for dt in FLOATS:
        fam.add(f"from_fp8_{dt}", "from_fp8", [A("uint8", list(range(256)), [256])], {"dtype": dt})
        values = list(RNG.normal(size=200) * 100) + [448, 464, 500, -1e9, 2.0 ** -7, 2.0 ** -10, 0.0, -0.0, 3.3, 0.0137]
        fam.add(f"to_fp8_{dt}", "to_fp8", [A(dt, [float(v) for v in values], [len(values)])], {})
    fam.add("to_fp8_err_int", "to_fp8", [A("int32", [1, 2], [2])], {})
    fam.add("from_fp8_err_float", "from_fp8", [A("float32", [1.0], [1])], {"dtype": "float32"})


def main():
    write_family("gen_quantized", "quantized.json", (gen_quantize, gen_matmul, gen_fp8), reseed, OUTDIR)


if __name__ == "__main__":
    main()
