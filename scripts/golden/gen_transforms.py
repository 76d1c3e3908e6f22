"""Golden gradients from MLX for the transforms issue.

Writes tests/golden/transforms/mlp.json: the loss and gradients of a small MLP's mean
cross-entropy (mx.value_and_grad over a parameter dict), and per-example gradients with
mx.vmap(mx.grad(...)). Parameters, inputs and labels come from the same deterministic
formula as crates/mx/tests/golden_transforms.rs, so only the results are stored.

Regenerate: python3 scripts/golden/gen_transforms.py (deterministic).
"""

import json
import os

import numpy as np
import mlx.core as mx

BATCH, INPUTS, HIDDEN, CLASSES = 6, 20, 16, 5


def values(shape, scale, seed):
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.uint64)
    v = ((i * np.uint64(2654435761) + np.uint64(seed * 40503)) % np.uint64(2001)).astype(np.float32)
    return mx.array((v / 1000.0 - 1.0).reshape(shape) * scale)


def forward(params, x):
    hidden = mx.maximum(x @ params["w1"] + params["b1"], 0.0)
    return hidden @ params["w2"] + params["b2"]


def loss_fn(params, x, labels):
    logits = forward(params, x)
    picked = mx.take_along_axis(logits, labels[:, None], axis=-1)
    return mx.mean(mx.logsumexp(logits, axis=-1, keepdims=True) - picked)


def example_loss(params, x, label):
    logits = forward(params, x[None])
    return mx.logsumexp(logits) - logits[0, label]


def flat(a):
    return [float(v) for v in np.array(a.astype(mx.float32)).reshape(-1)]


def main():
    mx.set_default_device(mx.cpu)
    params = {
        "w1": values((INPUTS, HIDDEN), 0.3, 1),
        "b1": values((HIDDEN,), 0.1, 4),
        "w2": values((HIDDEN, CLASSES), 0.3, 2),
        "b2": values((CLASSES,), 0.1, 5),
    }
    x = values((BATCH, INPUTS), 1.0, 3)
    labels = mx.array(np.arange(BATCH, dtype=np.uint32) % CLASSES)
    loss, grads = mx.value_and_grad(loss_fn)(params, x, labels)
    per_example = mx.vmap(mx.grad(example_loss), in_axes=(None, 0, 0))(params, x, labels)
    out = {
        "mlx_version": mx.__version__,
        "sizes": [BATCH, INPUTS, HIDDEN, CLASSES],
        "loss": float(loss.item()),
        "grads": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in grads.items()},
        "per_example": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in per_example.items()},
    }
    root = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "golden", "transforms")
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "mlp.json"), "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", os.path.join(root, "mlp.json"))


if __name__ == "__main__":
    main()
