"""What MLX 0.32.4's `mx.load` returns for the SmolLM2-135M-Instruct Q4_1 GGUF
(fetched by scripts/fetch_models.sh): every array's name, dtype and shape, and for a few
tensors their exact sum, first and last values; and the metadata.

    scripts/fetch_models.sh && python3 scripts/golden/gen_smollm2.py
"""

import json
import os

import numpy as np
import mlx.core as mx

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
GGUF = os.path.join(ROOT, "target", "models", "SmolLM2-135M-Instruct.Q4_1.gguf")
OUT = os.path.join(ROOT, "tests", "golden", "models", "smollm2_load.json")
CHECKED = ["token_embd.weight", "token_embd.scales", "token_embd.biases",
           "blk.0.attn_q.weight", "blk.0.attn_q.scales", "blk.0.attn_q.biases",
           "blk.29.ffn_down.weight", "blk.29.ffn_down.scales", "output_norm.weight"]


def values(a):
    flat = np.array(a.astype(mx.float32) if a.dtype != mx.uint32 else a).reshape(-1)
    exact = flat.astype(np.float64) if a.dtype != mx.uint32 else flat.astype(np.uint64)
    return {"sum": float(exact.sum()) if a.dtype != mx.uint32 else int(exact.sum()),
            "first": exact[:8].tolist(), "last": exact[-8:].tolist()}


def main():
    arrays, metadata = mx.load(GGUF, return_metadata=True)
    out = {"arrays": {k: {"dtype": str(v.dtype).split(".")[-1], "shape": list(v.shape)}
                      for k, v in sorted(arrays.items())},
           "values": {k: values(arrays[k]) for k in CHECKED},
           "metadata": {}}
    for k, v in sorted(metadata.items()):
        if isinstance(v, str):
            out["metadata"][k] = {"string": v}
        elif isinstance(v, list):
            out["metadata"][k] = {"strings": len(v), "first": v[:5], "last": v[-5:]}
        else:
            out["metadata"][k] = {"dtype": str(v.dtype).split(".")[-1], "shape": list(v.shape),
                                  "values": np.array(v).reshape(-1)[:5].tolist()}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=0, ensure_ascii=False)
    print(f"{len(arrays)} arrays, {len(metadata)} metadata keys -> {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
