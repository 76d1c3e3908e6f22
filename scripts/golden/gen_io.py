"""Golden files for mx::io, in both directions.

    python3 scripts/golden/gen_io.py            # files written by MLX and NumPy, and what mx.load reads
    MX_REGENERATE_IO_GOLDEN=1 cargo test -p mx --test golden_io   # mx writes its own files
    python3 scripts/golden/gen_io.py --check-mx  # MLX and NumPy read the files mx wrote

The Rust test loads every MLX/NumPy file and compares with `expected.json`; it also
writes mx's files again and checks they are byte-identical to the committed `mx_*` files,
which `--check-mx` verified with MLX and NumPy.
Needs `pip install "mlx[cpu]==0.32.4" gguf` (gguf writes the quantized GGUF).
"""

import json
import os
import sys

import numpy as np
import mlx.core as mx
from gguf import GGUFWriter, GGMLQuantizationType as Q, GGML_QUANT_SIZES
from gguf.quants import quantize

sys.path.insert(0, os.path.dirname(__file__))
from common import DTYPES, MXD, enc_out, dtype_name, to_numpy  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "golden", "io")
# What MLX's own writers can hold (safetensors has no float64 in MLX; GGUF five dtypes).
SAFETENSORS_DTYPES = [d for d in DTYPES if d != "float64"]
GGUF_DTYPES = ["float32", "float16", "int8", "int16", "int32"]
GGUF_METADATA_DTYPES = ["uint8", "int8", "uint16", "int16", "uint32", "int32",
                        "uint64", "int64", "float32", "bool"]


def sample(dt, shape):
    """The arrays every file holds: distinct values, negative where the dtype allows.
    The Rust test builds the same values from expected.json."""
    n = int(np.prod(shape)) if shape else 1
    values = (mx.arange(n).astype(mx.float32) * 0.75 - 2.0).reshape(shape)
    if dt == "complex64":
        return values.astype(mx.complex64) + 1j * values.astype(mx.complex64)
    return values.astype(MXD[dt])


def enc_metadata(meta):
    out = {}
    for k, v in meta.items():
        if isinstance(v, str):
            out[k] = {"string": v}
        elif isinstance(v, list):
            out[k] = {"strings": v}
        else:
            out[k] = {"array": enc_out(v)}
    return out


def record(expected, fname, loaded, metadata=None):
    if isinstance(loaded, dict):
        entry = {"arrays": {k: enc_out(v) for k, v in sorted(loaded.items())}}
    else:
        entry = {"array": enc_out(loaded)}
    if metadata is not None:
        entry["metadata"] = enc_metadata(metadata)
    expected[fname] = entry


def gguf_metadata():
    meta = {"general.name": "golden ✓", "tokens": ["<s>", "", "héllo"]}
    for dt in GGUF_METADATA_DTYPES:
        meta[f"scalar.{dt}"] = sample(dt, ())
        meta[f"list.{dt}"] = sample(dt, (3,))
    return meta


def quantized_gguf(path):
    """Q4_0, Q4_1 and Q8_0 tensors written by the gguf package from random floats."""
    rng = np.random.default_rng(7)
    w = GGUFWriter(path, None)
    for name, qtype, shape in [("blk.q40.weight", Q.Q4_0, (3, 64)),
                               ("blk.q41.weight", Q.Q4_1, (2, 2, 32)),
                               ("q80.weight", Q.Q8_0, (4, 96))]:
        data = rng.standard_normal(shape).astype(np.float32) * 3
        raw = quantize(data, qtype)
        block_bytes = GGML_QUANT_SIZES[qtype][1]
        w.add_tensor(name, raw.reshape(shape[:-1] + (shape[-1] // 32 * block_bytes,)), raw_dtype=qtype)
    w.add_tensor("norm", rng.standard_normal((8,)).astype(np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def generate():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    path = lambda name: os.path.join(OUT, name)  # noqa: E731
    for dt in DTYPES:
        name = f"mlx_{dt}.npy"
        mx.save(path(name), sample(dt, (2, 3)))
        record(expected, name, mx.load(path(name)))
    # A column-contiguous view: MLX writes it with fortran_order True.
    mx.save(path("mlx_transposed.npy"), sample("int32", (2, 3)).T)
    record(expected, "mlx_transposed.npy", mx.load(path("mlx_transposed.npy")))
    mx.save(path("mlx_scalar.npy"), sample("float32", ()))
    record(expected, "mlx_scalar.npy", mx.load(path("mlx_scalar.npy")))
    pair = {"x": sample("float32", (3, 4)), "y": sample("int64", (5,))}
    mx.savez(path("mlx.npz"), **pair)
    record(expected, "mlx.npz", mx.load(path("mlx.npz")))
    mx.savez_compressed(path("mlx_compressed.npz"), **pair)
    record(expected, "mlx_compressed.npz", mx.load(path("mlx_compressed.npz")))
    tensors = {dt: sample(dt, (2, 3)) for dt in SAFETENSORS_DTYPES}
    mx.save_safetensors(path("mlx.safetensors"), tensors, metadata={"format": "mlx", "note": "ünï"})
    record(expected, "mlx.safetensors", *mx.load(path("mlx.safetensors"), return_metadata=True))
    mx.save_gguf(path("mlx.gguf"), {dt: sample(dt, (2, 3)) for dt in GGUF_DTYPES}, gguf_metadata())
    record(expected, "mlx.gguf", *mx.load(path("mlx.gguf"), return_metadata=True))
    quantized_gguf(path("quantized.gguf"))
    record(expected, "quantized.gguf", mx.load(path("quantized.gguf")))
    # NumPy's own files: its dtypes, big-endian, Fortran order, npz.
    for dt in [d for d in DTYPES if d != "bfloat16"]:
        name = f"numpy_{dt}.npy"
        np.save(path(name), np.array(sample(dt, (2, 3))))
        record(expected, name, mx.load(path(name)))
    np.save(path("numpy_big_endian.npy"), np.arange(6, dtype=">f4").reshape(2, 3))
    record(expected, "numpy_big_endian.npy", mx.load(path("numpy_big_endian.npy")))
    np.save(path("numpy_fortran.npy"), np.asfortranarray(np.arange(24, dtype=np.int16).reshape(2, 3, 4)))
    record(expected, "numpy_fortran.npy", mx.load(path("numpy_fortran.npy")))
    np.savez_compressed(path("numpy.npz"), a=np.arange(5, dtype=np.float64), b=np.ones((2, 2), np.uint16))
    record(expected, "numpy.npz", mx.load(path("numpy.npz")))
    with open(path("expected.json"), "w") as f:
        json.dump({"mlx_version": mx.__version__, "files": expected}, f, indent=1)
    print(f"{len(expected)} files in {os.path.relpath(OUT)}")


def same(got, want, what):
    got_np, want_np = to_numpy(got), to_numpy(want)
    assert dtype_name(got.dtype) == dtype_name(want.dtype), (what, got.dtype, want.dtype)
    assert got_np.shape == want_np.shape and np.array_equal(got_np, want_np), (what, got_np, want_np)


def check_mx():
    """MLX and NumPy read every file mx wrote, with the values mx meant."""
    path = lambda name: os.path.join(OUT, name)  # noqa: E731
    for dt in DTYPES:
        name = f"mx_{dt}.npy"
        same(mx.load(path(name)), sample(dt, (2, 3)), name)
        if dt != "bfloat16":
            assert np.array_equal(np.load(path(name)), np.array(sample(dt, (2, 3)))), name
        else:
            assert np.load(path(name)).dtype == np.dtype("V2"), name
    for name in ["mx.npz", "mx_compressed.npz"]:
        loaded = mx.load(path(name))
        same(loaded["x"], sample("float32", (3, 4)), name)
        same(loaded["y"], sample("int64", (5,)), name)
        with np.load(path(name)) as z:
            assert np.array_equal(z["y"], np.array(sample("int64", (5,)))), name
    loaded, meta = mx.load(path("mx.safetensors"), return_metadata=True)
    for dt in SAFETENSORS_DTYPES:
        same(loaded[dt], sample(dt, (2, 3)), f"mx.safetensors {dt}")
    assert meta == {"format": "mx"}, meta
    loaded, meta = mx.load(path("mx.gguf"), return_metadata=True)
    for dt in GGUF_DTYPES:
        same(loaded[dt], sample(dt, (2, 3)), f"mx.gguf {dt}")
    for key, value in gguf_metadata().items():
        if isinstance(value, (str, list)):
            assert meta[key] == value, (key, meta[key])
        else:
            same(meta[key], value, key)
    print("MLX and NumPy read every mx file correctly")


if __name__ == "__main__":
    check_mx() if "--check-mx" in sys.argv else generate()
