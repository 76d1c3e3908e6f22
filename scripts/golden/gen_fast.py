#!/usr/bin/env python3
"""Golden data for `mx::fast` (rms_norm, layer_norm, rope, scaled_dot_product_attention)
from real MLX's CPU fallbacks.

Writes tests/golden/ops/fast.json. Cases (args are ARG encodings, null where absent):
  rms_norm   args [x, weight|null]            {"eps"}
  layer_norm args [x, weight|null, bias|null] {"eps"}
  rope       args [x, offset_array|null, freqs|null]
             {"dims", "traditional", "base": float|null, "scale", "offset": int}
  sdpa       args [q, k, v, mask_array|null, sinks|null] {"scale", "mask": "causal"|null}
Usage: python3 scripts/golden/gen_fast.py (seeded, deterministic).
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
SEED = 20261122
RNG = np.random.default_rng(SEED)

assert mx.__version__ == MLX_VERSION, mx.__version__


def reseed(tag):
    global RNG
    RNG = np.random.default_rng([SEED, zlib.crc32(tag.encode())])


def R(dt, shape, scale=1.0, shift=0.0):
    n = int(np.prod(shape)) if shape else 1
    return A(dt, [float(v) for v in RNG.normal(size=n) * scale + shift], shape)


def apply_op(op, args, kw):
    a = [build_arg(x) for x in args]
    if op == "rms_norm":
        return mx.fast.rms_norm(a[0], a[1], eps=kw["eps"])
    if op == "layer_norm":
        return mx.fast.layer_norm(a[0], a[1], a[2], eps=kw["eps"])
    if op == "rope":
        offset = a[1] if a[1] is not None else kw["offset"]
        return mx.fast.rope(a[0], kw["dims"], traditional=kw["traditional"], base=kw["base"],
                            scale=kw["scale"], offset=offset, freqs=a[2])
    if op == "sdpa":
        mask = kw["mask"] if kw["mask"] is not None else a[3]
        return mx.fast.scaled_dot_product_attention(a[0], a[1], a[2], scale=kw["scale"],
                                                    mask=mask, sinks=a[4])
    return NotImplemented


FLOATS = ["float32", "float16", "bfloat16"]


def gen_norms(fam):
    for dt in FLOATS + ["float64"]:
        x = R(dt, [3, 5, 16], 2.0, 0.5)
        w = R(dt, [16])
        b = R(dt, [16])
        fam.add(f"rms_norm_{dt}", "rms_norm", [x, w], {"eps": 1e-5})
        fam.add(f"rms_norm_{dt}_noweight", "rms_norm", [x, None], {"eps": 1e-5})
        fam.add(f"layer_norm_{dt}", "layer_norm", [x, w, b], {"eps": 1e-5})
        fam.add(f"layer_norm_{dt}_weight", "layer_norm", [x, w, None], {"eps": 1e-5})
        fam.add(f"layer_norm_{dt}_bias", "layer_norm", [x, None, b], {"eps": 1e-5})
        fam.add(f"layer_norm_{dt}_plain", "layer_norm", [x, None, None], {"eps": 1e-5})
    # Large offsets, long rows and mixed dtypes.
    fam.add("layer_norm_offset", "layer_norm", [R("float32", [4, 300], 0.01, 1000.0), None, None],
            {"eps": 1e-6})
    fam.add("rms_norm_long", "rms_norm", [R("float32", [2, 1000]), R("float32", [1000])], {"eps": 0.1})
    fam.add("rms_norm_bf16_f16", "rms_norm", [R("bfloat16", [2, 8]), R("float16", [8])], {"eps": 1e-5})
    fam.add("rms_norm_f16_f32", "rms_norm", [R("float16", [2, 8]), R("float32", [8])], {"eps": 1e-5})
    fam.add("rms_norm_int_f16", "rms_norm",
            [A("int32", [int(v) for v in RNG.integers(-50, 50, 16)], [2, 8]), R("float16", [8])],
            {"eps": 1e-5})
    fam.add("layer_norm_f16_bias_f32", "layer_norm", [R("float16", [2, 8]), None, R("float32", [8])],
            {"eps": 1e-5})
    fam.add("rms_norm_1d", "rms_norm", [R("float32", [7]), None], {"eps": 1e-5})
    fam.add("rms_norm_empty_rows", "rms_norm", [R("float32", [0, 4]), None], {"eps": 1e-5})
    # Errors.
    fam.add("rms_norm_err_0d", "rms_norm", [R("float32", []), None], {"eps": 1e-5})
    fam.add("rms_norm_err_weight_2d", "rms_norm", [R("float32", [2, 4]), R("float32", [1, 4])], {"eps": 1e-5})
    fam.add("rms_norm_err_weight_size", "rms_norm", [R("float32", [2, 4]), R("float32", [5])], {"eps": 1e-5})
    fam.add("rms_norm_err_int", "rms_norm",
            [A("int32", [1, 2, 3, 4], [2, 2]), None], {"eps": 1e-5})
    fam.add("layer_norm_err_bias_size", "layer_norm", [R("float32", [2, 4]), None, R("float32", [3])],
            {"eps": 1e-5})
    fam.add("layer_norm_err_int_bias", "layer_norm",
            [A("int32", [1, 2, 3, 4], [2, 2]), None, R("float32", [2])], {"eps": 1e-5})


def rope_kw(dims, traditional=False, base=10000.0, scale=1.0, offset=0):
    return {"dims": dims, "traditional": traditional, "base": base, "scale": scale, "offset": offset}


def gen_rope(fam):
    for dt in FLOATS:
        x = R(dt, [2, 3, 5, 16])
        for traditional in (False, True):
            t = "trad" if traditional else "split"
            fam.add(f"rope_{dt}_{t}", "rope", [x, None, None], rope_kw(16, traditional))
            fam.add(f"rope_{dt}_{t}_partial", "rope", [x, None, None],
                    rope_kw(8, traditional, 500.0, 0.5, 7))
    x = R("float32", [2, 6, 12])
    fam.add("rope_3d_offset_array", "rope", [x, A("int32", [3, 11], [2]), None], rope_kw(12))
    fam.add("rope_3d_offset_scalar_array", "rope", [x, A("int32", [5], []), None], rope_kw(12, True))
    fam.add("rope_freqs", "rope", [x, None, A("float32", [1.0, 2.0, 5.0, 10.0, 50.0, 100.0], [6])],
            rope_kw(12, False, None, 1.0, 3))
    fam.add("rope_5d", "rope", [R("float32", [2, 2, 2, 3, 8]), A("int32", [1, 4], [2]), None],
            rope_kw(8, True, 10000.0, 2.0))
    fam.add("rope_f64", "rope", [R("float64", [1, 3, 8]), None, None], rope_kw(8))
    fam.add("rope_negative_offset", "rope", [x, None, None], rope_kw(12, False, 10000.0, 1.0, -4))
    fam.add("rope_err_2d", "rope", [R("float32", [3, 8]), None, None], rope_kw(8))
    fam.add("rope_err_int", "rope", [A("int32", list(range(24)), [1, 3, 8]), None, None], rope_kw(8))
    fam.add("rope_err_odd", "rope", [x, None, None], rope_kw(5))
    fam.add("rope_err_too_many_dims", "rope", [x, None, None], rope_kw(14))
    fam.add("rope_err_offset_shape", "rope", [x, A("int32", [1, 2, 3], [3]), None], rope_kw(12))
    fam.add("rope_err_offset_float", "rope", [x, A("float32", [1.0], []), None], rope_kw(12))
    fam.add("rope_err_freqs_size", "rope", [x, None, A("float32", [1.0, 2.0, 3.0], [3])],
            rope_kw(12, False, None))


def sdpa_kw(scale, mask=None):
    return {"scale": scale, "mask": mask}


def gen_sdpa(fam):
    for dt in FLOATS:
        q, k, v = R(dt, [1, 4, 3, 8]), R(dt, [1, 2, 5, 8]), R(dt, [1, 2, 5, 8])
        fam.add(f"sdpa_{dt}_gqa", "sdpa", [q, k, v, None, None], sdpa_kw(0.35))
        fam.add(f"sdpa_{dt}_causal", "sdpa", [q, k, v, None, None], sdpa_kw(0.35, "causal"))
        keep = A("bool", [bool(b) for b in RNG.random(15) < 0.7], [3, 5])
        fam.add(f"sdpa_{dt}_bool_mask", "sdpa", [q, k, v, keep, None], sdpa_kw(0.35))
        fam.add(f"sdpa_{dt}_additive_mask", "sdpa", [q, k, v, R(dt, [1, 4, 3, 5]), None], sdpa_kw(0.35))
        fam.add(f"sdpa_{dt}_sinks", "sdpa", [q, k, v, None, R(dt, [4])], sdpa_kw(0.35, "causal"))
    for depth in (64, 80, 96, 128):
        q, k, v = R("float32", [2, 2, 3, depth]), R("float32", [2, 1, 7, depth]), R("float32", [2, 1, 7, depth])
        fam.add(f"sdpa_depth{depth}_mqa", "sdpa", [q, k, v, None, None], sdpa_kw(depth ** -0.5, "causal"))
        fam.add(f"sdpa_depth{depth}_bf16", "sdpa",
                [R("bfloat16", [1, 2, 2, depth]), R("bfloat16", [1, 2, 4, depth]),
                 R("bfloat16", [1, 2, 4, depth]), None, None], sdpa_kw(depth ** -0.5))
    q, k, v = R("float32", [1, 2, 4, 8]), R("float32", [1, 2, 3, 8]), R("float32", [1, 2, 3, 6])
    fam.add("sdpa_causal_more_queries", "sdpa", [q, k, v, None, None], sdpa_kw(0.5, "causal"))
    fam.add("sdpa_all_masked_bool", "sdpa", [q, k, v, A("bool", [False] * 12, [4, 3]), None], sdpa_kw(0.5))
    fam.add("sdpa_all_masked_sink", "sdpa",
            [q, k, v, A("bool", [False] * 12, [4, 3]), R("float32", [2])], sdpa_kw(0.5))
    fam.add("sdpa_mask_f16_int", "sdpa",
            [R("float16", [1, 2, 2, 8]), R("float16", [1, 2, 3, 8]), R("float16", [1, 2, 3, 8]),
             A("int32", [0, -1, 2, 1, 0, -3], [2, 3]), None], sdpa_kw(0.5))
    q4, kv = R("float32", [1, 4, 3, 8]), R("float32", [1, 2, 5, 8])
    fam.add("sdpa_err_rank", "sdpa", [R("float32", [4, 3, 8]), kv, kv, None, None], sdpa_kw(0.5))
    fam.add("sdpa_err_batch", "sdpa", [q4, R("float32", [2, 2, 5, 8]), kv, None, None], sdpa_kw(0.5))
    fam.add("sdpa_err_depth", "sdpa", [q4, R("float32", [1, 2, 5, 7]), kv, None, None], sdpa_kw(0.5))
    fam.add("sdpa_err_heads", "sdpa", [R("float32", [1, 3, 3, 8]), kv, kv, None, None], sdpa_kw(0.5))
    fam.add("sdpa_err_kv_heads", "sdpa", [q4, kv, R("float32", [1, 1, 5, 8]), None, None], sdpa_kw(0.5))
    fam.add("sdpa_err_int", "sdpa", [A("int32", [1] * 96, [1, 4, 3, 8]),
                                     A("int32", [1] * 80, [1, 2, 5, 8]),
                                     A("int32", [1] * 80, [1, 2, 5, 8]), None, None], sdpa_kw(0.5))
    fam.add("sdpa_err_mask_dtype", "sdpa",
            [R("float16", [1, 2, 2, 8]), R("float16", [1, 2, 3, 8]), R("float16", [1, 2, 3, 8]),
             R("float32", [2, 3]), None], sdpa_kw(0.5))
    fam.add("sdpa_err_mask_shape", "sdpa", [q4, kv, kv, R("float32", [3, 4]), None], sdpa_kw(0.5))
    fam.add("sdpa_err_sinks_shape", "sdpa", [q4, kv, kv, None, R("float32", [2])], sdpa_kw(0.5))
    fam.add("sdpa_err_values_length", "sdpa", [q4, kv, R("float32", [1, 2, 4, 8]), None, None],
            sdpa_kw(0.5))


def main():
    write_family("gen_fast", "fast.json", (gen_norms, gen_rope, gen_sdpa), reseed, OUTDIR)


if __name__ == "__main__":
    main()
