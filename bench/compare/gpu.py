"""Ratios of `mx-bench gpu` against PyTorch measured in the same device call.

Usage (on the GPU machine, after both ran):

    python3 gpu_anchor.py                       # writes $OUT/gpu_anchor.json
    mx-bench gpu --jsonl $OUT/gpu.jsonl
    python3 bench/compare/gpu.py --mx $OUT/gpu.jsonl --torch $OUT/gpu_anchor.json

`gpu_anchor.py` is `../shared/anchors/gpu_anchor.py`. Rates: higher is better, except
us/op, where the ratio is inverted so that above 1 always means mx is faster.
"""

import argparse
import json

PAIRS = {
    "gpu_copy_64M_f32": ("copy", "64M f32"),
    "gpu_chain_eager_64M_f32": ("elemwise chain eager", "64M f32"),
    "gpu_sum_last_8192x8192_bf16": ("sum(-1)", "8192x8192 bf16"),
    "gpu_softmax_last_8192x8192_bf16": ("softmax(-1)", "8192x8192 bf16"),
    "gpu_matmul_4096_bf16": ("matmul", "4096x4096x4096 bf16"),
    "gpu_matmul_4096_f32": ("matmul", "4096x4096x4096 f32"),
    "gpu_gemv_1x4096x4096_bf16": ("matmul(gemv)", "1x4096x4096 bf16"),
    "gpu_gemv_16x4096x14336_bf16": ("matmul(gemv)", "16x4096x14336 bf16"),
    "gpu_tiny_add_chain_100": ("100 tiny adds", "256 f32"),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mx", required=True)
    parser.add_argument("--torch", required=True)
    args = parser.parse_args()
    ours = {}
    with open(args.mx) as f:
        for line in f:
            row = json.loads(line)
            ours[row["case"]] = row
    torch = {(r["op"], r["shape"]): r for r in json.load(open(args.torch)) if r["fw"] == "torch"}
    print("case | mx | torch | unit | mx/torch")
    for case, row in ours.items():
        peer = torch.get(PAIRS.get(case, ("", "")))
        rate = row["rate"]
        if peer is None:
            print(f"{case} | {rate:.1f} | - | {row['unit']} | -")
            continue
        theirs = peer["rate"]
        # PyTorch reports TFLOP/s as GFLOP/ms / 1e3 = TFLOP/s already; GB/s likewise.
        ratio = theirs / rate if row["unit"] == "us/op" else rate / theirs
        print(f"{case} | {rate:.1f} | {theirs:.1f} | {row['unit']} | {ratio:.2f}")


if __name__ == "__main__":
    main()
