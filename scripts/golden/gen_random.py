#!/usr/bin/env python3
"""Generate golden test data for `mx.random` from real MLX (CPU).

Writes tests/golden/ops/random.json (format described in README.md).
Every case builds its key inside from "seed" (key = mx.random.key(seed)), so
no key array is recorded. Ops and kwargs (always all present, in this form):
  key:               {"seed"}                                  -> uint32 [2]
  split:             {"seed", "num"}                           -> uint32 [num, 2]
  bits:              {"seed", "shape", "width"}                -> uint8/16/32 (width 1/2/4)
  uniform:           {"seed", "low", "high", "shape", "dtype"}
                     (low/high: number; or null with args [low, high] arrays)
  normal:            {"seed", "shape", "dtype", "loc": null|num, "scale": null|num}
  randint:           {"seed", "low", "high", "shape", "dtype"}
                     (low/high: number; or null with args [low, high] arrays)
  bernoulli:         {"seed", "p": num|null, "shape": null|list}  (p null: args [p])
  truncated_normal:  {"seed", "lower", "upper", "shape": null|list, "dtype"}
  gumbel:            {"seed", "shape", "dtype"}
  categorical:       args [logits]; {"seed", "axis", "shape": null|list, "num_samples": null|int}
  permutation:       {"seed", "n": int|null, "axis"}              (n null: args [x])
  laplace:           {"seed", "shape", "dtype", "loc", "scale"}
  multivariate_normal: args [mean, cov]; {"seed", "shape", "dtype"}
  global_uniform:    {"seed", "calls", "shape"}: mx.random.seed(seed), then
                     `calls` x mx.random.uniform(shape=shape) -> list of outputs
Numbers that are floats are Python floats (MLX turns them into float32 arrays,
float64 normal loc/scale excepted: see FINDINGS.md "## Random").

`bits` is not exposed in MLX's Python API, so it is read from a tiny C++ helper
linked against the wheel's libmlx.so (compiled on first use with g++ -std=c++20;
set MX_GOLDEN_BITS_HELPER to a prebuilt binary to skip that).
Usage: python3 scripts/golden/gen_random.py
"""

import hashlib
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlx.core as mx  # noqa: E402
from common import (  # noqa: E402
    A, MXD, build_arg, dec_float, Family, Runner, MLX_VERSION,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTDIR = os.path.join(ROOT, "tests", "golden", "ops")

NAN = float("nan")
INF = float("inf")

assert mx.__version__ == MLX_VERSION, mx.__version__


# ============================================================ bits helper

BITS_CPP = r"""
#include <iostream>
#include <sstream>
#include <string>
#include "mlx/mlx.h"
namespace mx = mlx::core;
// stdin lines: seed width ndim d0 d1 ...; stdout: "ok v0 v1 ..." or "error msg"
int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    unsigned long long seed;
    int width, nd;
    in >> seed >> width >> nd;
    mx::Shape shape;
    for (int i = 0; i < nd; i++) {
      int d;
      in >> d;
      shape.push_back(d);
    }
    try {
      auto b = mx::random::bits(shape, width, mx::random::key(seed),
                                mx::Device::cpu);
      b = mx::astype(b, mx::uint32);
      mx::eval(b);
      auto p = b.data<uint32_t>();
      std::cout << "ok";
      for (size_t i = 0; i < b.size(); i++) std::cout << " " << p[i];
      std::cout << std::endl;
    } catch (std::exception& e) {
      std::cout << "error " << e.what() << std::endl;
    }
  }
}
"""


def build_bits_helper():
    """Compile the helper (once; cached in the temp dir) and return its path."""
    pre = os.environ.get("MX_GOLDEN_BITS_HELPER")
    if pre:
        return pre
    pkg = os.path.dirname(mx.__file__)
    inc, lib = os.path.join(pkg, "include"), os.path.join(pkg, "lib")
    tag = hashlib.sha256((BITS_CPP + pkg + MLX_VERSION).encode()).hexdigest()[:12]
    exe = os.path.join(tempfile.gettempdir(), f"mx_golden_bits_{tag}")
    if not os.path.exists(exe):
        src = exe + ".cpp"
        with open(src, "w") as f:
            f.write(BITS_CPP)
        subprocess.run(["g++", "-std=c++20", "-O1", "-I" + inc, src,
                        "-L" + lib, "-lmlx", "-Wl,-rpath," + lib,
                        "-o", exe + ".tmp"], check=True)
        os.replace(exe + ".tmp", exe)
    return exe


_BITS_PROC = None


def mlx_bits(seed, shape, width):
    global _BITS_PROC
    if _BITS_PROC is None:
        _BITS_PROC = subprocess.Popen(
            [os.environ["MX_GOLDEN_BITS_HELPER"]], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, bufsize=1)
    p = _BITS_PROC
    p.stdin.write(f"{seed} {width} {len(shape)} "
                  + " ".join(str(d) for d in shape) + "\n")
    p.stdin.flush()
    line = p.stdout.readline().rstrip("\n")
    if line.startswith("error "):
        raise ValueError(line[len("error "):])
    vals = [int(v) for v in line.split()[1:]]
    dt = {1: np.uint8, 2: np.uint16, 4: np.uint32}[width]
    return mx.array(np.array(vals, dtype=dt).reshape(shape))


# ================================================================ worker side

def _num(v):
    if v is None:
        return None
    if isinstance(v, str):
        return dec_float(v)
    return v


def _dt(name):
    return None if name is None else MXD[name]


def apply_op(op, args, kw):
    """Called in the worker process (Runner(ops_module="gen_random"))."""
    a = [build_arg(x) for x in args]
    if op == "key":
        return mx.random.key(kw["seed"])
    if op == "global_uniform":
        mx.random.seed(kw["seed"])
        return [mx.random.uniform(shape=kw["shape"]) for _ in range(kw["calls"])]
    if op == "bits":
        return mlx_bits(kw["seed"], kw["shape"], kw["width"])
    if "seed" not in kw:
        return NotImplemented
    k = mx.random.key(kw["seed"])
    if op == "split":
        return mx.random.split(k, kw["num"])
    if op in ("uniform", "randint"):
        lo, hi = (a[0], a[1]) if a else (_num(kw["low"]), _num(kw["high"]))
        if op == "uniform":
            return mx.random.uniform(lo, hi, kw["shape"], dtype=_dt(kw["dtype"]),
                                     key=k)
        return mx.random.randint(lo, hi, kw["shape"], dtype=_dt(kw["dtype"]),
                                 key=k)
    if op == "normal":
        return mx.random.normal(kw["shape"], dtype=_dt(kw["dtype"]),
                                loc=_num(kw["loc"]), scale=_num(kw["scale"]),
                                key=k)
    if op == "laplace":
        return mx.random.laplace(kw["shape"], dtype=_dt(kw["dtype"]),
                                 loc=_num(kw["loc"]), scale=_num(kw["scale"]),
                                 key=k)
    if op == "bernoulli":
        p = a[0] if a else _num(kw["p"])
        return mx.random.bernoulli(p, kw["shape"], key=k)
    if op == "truncated_normal":
        lo, hi = (a[0], a[1]) if a else (_num(kw["lower"]), _num(kw["upper"]))
        return mx.random.truncated_normal(lo, hi, kw["shape"],
                                          dtype=_dt(kw["dtype"]), key=k)
    if op == "gumbel":
        return mx.random.gumbel(kw["shape"], dtype=_dt(kw["dtype"]), key=k)
    if op == "categorical":
        return mx.random.categorical(a[0], axis=kw["axis"], shape=kw["shape"],
                                     num_samples=kw["num_samples"], key=k)
    if op == "permutation":
        x = a[0] if a else kw["n"]
        return mx.random.permutation(x, axis=kw["axis"], key=k)
    if op == "multivariate_normal":
        return mx.random.multivariate_normal(a[0], a[1], kw["shape"],
                                             dtype=_dt(kw["dtype"]), key=k)
    return NotImplemented


# ============================================================ generator side

SEEDS = [0, 1, 42, 2**32 + 7, 0xDEADBEEFCAFEBABE]
SHAPES = [[], [0], [1], [3], [4], [5], [2, 3], [7, 5], [2, 0, 3]]
HALF = ["float32", "float16", "bfloat16"]


def sname(shape):
    return "s" + ("x".join(str(d) for d in shape) if shape else "0d")


def gen_keys(fam):
    for seed in [0, 1, 42, 2**32 - 1, 2**32, 2**63, 2**64 - 1,
                 0x123456789ABCDEF0]:
        fam.add(f"key_{seed}", "key", [], {"seed": seed})
    for seed in SEEDS[:4]:
        for num in (0, 1, 2, 3, 5):
            fam.add(f"split_{seed}_n{num}", "split", [],
                    {"seed": seed, "num": num})
    fam.add("split_7_n64", "split", [], {"seed": 7, "num": 64})


def gen_bits(fam):
    # byte counts 0..12 and larger odd/even word counts, every width
    shapes = [[], [0], [1], [2], [3], [4], [5], [6], [7], [8], [9], [11],
              [2, 3], [7, 5], [2, 0, 3], [1, 1, 1]]
    for seed in (0, 42, 0xDEADBEEFCAFEBABE):
        for width in (1, 2, 4):
            for shp in shapes:
                fam.add(f"bits_{seed}_w{width}_{sname(shp)}", "bits", [],
                        {"seed": seed, "shape": shp, "width": width})
    for width in (1, 2, 4):
        fam.add(f"bits_5_w{width}_s301", "bits", [],
                {"seed": 5, "shape": [301], "width": width})
    fam.add("bits_err_width3", "bits", [], {"seed": 0, "shape": [2], "width": 3})
    fam.add("bits_err_width8", "bits", [], {"seed": 0, "shape": [2], "width": 8})


def UKW(seed, low, high, shape, dtype):
    return {"seed": seed, "low": low, "high": high, "shape": shape,
            "dtype": dtype}


def gen_uniform(fam):
    for seed in SEEDS[:3]:
        for dt in HALF:
            for shp in SHAPES:
                fam.add(f"uniform_{seed}_{dt}_{sname(shp)}", "uniform", [],
                        UKW(seed, 0.0, 1.0, shp, dt))
    for dt in HALF:
        fam.add(f"uniform_5_{dt}_s301", "uniform", [], UKW(5, 0.0, 1.0, [301], dt))
        fam.add(f"uniform_3_{dt}_lohi", "uniform", [], UKW(3, -3.5, 7.25, [7, 5], dt))
        fam.add(f"uniform_3_{dt}_narrow", "uniform", [], UKW(3, 0.1, 0.3, [9], dt))
        fam.add(f"uniform_3_{dt}_int_bounds", "uniform", [], UKW(3, -2, 5, [6], dt))
        fam.add(f"uniform_3_{dt}_reversed", "uniform", [], UKW(3, 1.0, -1.0, [6], dt))
        fam.add(f"uniform_3_{dt}_big", "uniform", [], UKW(3, 1000.0, 1001.0, [6], dt))
    fam.add("uniform_3_float32_high_inf", "uniform", [], UKW(3, 0.0, INF, [4], "float32"))
    # array bounds, broadcast to shape
    fam.add("uniform_9_float32_array_bounds", "uniform",
            [A("float32", [0.0, -1.0, 10.0]), A("float32", [1.0, 1.0, 20.0])],
            UKW(9, None, None, [2, 3], "float32"))
    fam.add("uniform_9_float16_array_bounds", "uniform",
            [A("float16", [0.0, -1.0, 10.0]), A("float32", [1.0, 1.0, 20.0])],
            UKW(9, None, None, [2, 3], "float16"))
    fam.add("uniform_err_float64", "uniform", [], UKW(0, 0.0, 1.0, [2], "float64"))
    fam.add("uniform_err_int32", "uniform", [], UKW(0, 0.0, 1.0, [2], "int32"))
    fam.add("uniform_err_shape", "uniform",
            [A("float32", [0.0, 1.0, 2.0]), A("float32", [5.0])],
            UKW(0, None, None, [2, 1], "float32"))
    fam.add("uniform_err_broadcast", "uniform",
            [A("float32", [0.0, 1.0, 2.0]), A("float32", [5.0])],
            UKW(0, None, None, [2], "float32"))


def NKW(seed, shape, dtype, loc=None, scale=None):
    return {"seed": seed, "shape": shape, "dtype": dtype, "loc": loc,
            "scale": scale}


def gen_normal(fam):
    for seed in SEEDS[:3]:
        for dt in HALF:
            for shp in SHAPES:
                fam.add(f"normal_{seed}_{dt}_{sname(shp)}", "normal", [],
                        NKW(seed, shp, dt))
    for dt in HALF + ["float64"]:
        fam.add(f"normal_5_{dt}_s301", "normal", [], NKW(5, [301], dt))
        fam.add(f"normal_3_{dt}_locscale", "normal", [], NKW(3, [7, 5], dt, 1.5, 0.3))
        fam.add(f"normal_3_{dt}_loc", "normal", [], NKW(3, [5], dt, -2.0, None))
        fam.add(f"normal_3_{dt}_scale", "normal", [], NKW(3, [5], dt, None, 3.7))
        fam.add(f"normal_3_{dt}_loc0_scale1", "normal", [], NKW(3, [5], dt, 0.0, 1.0))
    fam.add("normal_4_float64_0d", "normal", [], NKW(4, [], "float64"))
    fam.add("normal_4_complex64", "normal", [], NKW(4, [5], "complex64"))
    fam.add("normal_4_complex64_2x3", "normal", [], NKW(4, [2, 3], "complex64"))
    fam.add("normal_4_complex64_locscale", "normal", [],
            NKW(4, [5], "complex64", 1.0, 2.0))
    fam.add("normal_err_int32", "normal", [], NKW(0, [2], "int32"))


def RKW(seed, low, high, shape, dtype):
    return {"seed": seed, "low": low, "high": high, "shape": shape,
            "dtype": dtype}


def gen_randint(fam):
    ints = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
            "uint64"]
    for seed in SEEDS[:3]:
        for shp in SHAPES:
            fam.add(f"randint_{seed}_int32_0_10_{sname(shp)}", "randint", [],
                    RKW(seed, 0, 10, shp, "int32"))
    for dt in ints:
        fam.add(f"randint_1_{dt}_0_100", "randint", [], RKW(1, 0, 100, [7, 5], dt))
        fam.add(f"randint_1_{dt}_low_eq_high", "randint", [], RKW(1, 7, 7, [4], dt))
        fam.add(f"randint_1_{dt}_low_gt_high", "randint", [], RKW(1, 10, 3, [4], dt))
        fam.add(f"randint_1_{dt}_width1", "randint", [], RKW(1, 3, 4, [4], dt))
        fam.add(f"randint_1_{dt}_0_255", "randint", [], RKW(1, 0, 255, [9], dt))
        if dt.startswith("int"):
            fam.add(f"randint_1_{dt}_neg", "randint", [], RKW(1, -5, 5, [9], dt))
            fam.add(f"randint_1_{dt}_float_bounds", "randint", [],
                    RKW(1, -2.5, 3.7, [9], dt))
        else:  # negative low: low cast wraps, floor(u) < 0 cast to unsigned is UB
            fam.add(f"randint_1_{dt}_neg_ub", "randint", [], RKW(1, -5, 5, [9], dt))
    for dt, lo, hi in (("int8", -128, 127), ("int16", -32768, 32767),
                       ("uint8", 0, 255), ("uint16", 0, 65535),
                       ("int32", -2**31, 2**31 - 1), ("int32", 0, 2**31 - 1),
                       ("uint32", 0, 2**32 - 1), ("int64", 0, 2**40),
                       ("int64", -2**40, 2**40), ("uint64", 0, 2**40)):
        fam.add(f"randint_2_{dt}_{lo}_{hi}".replace("-", "m"), "randint", [],
                RKW(2, lo, hi, [9], dt))
    # bounds that wrap when cast to the output dtype
    fam.add("randint_3_uint8_250_300_wrap", "randint", [], RKW(3, 250, 300, [6], "uint8"))
    fam.add("randint_3_int8_m130_5_wrap", "randint", [], RKW(3, -130, 5, [6], "int8"))
    # float32 resolution: bounds beyond 2^24
    fam.add("randint_3_int32_2p24", "randint", [], RKW(3, 2**24, 2**24 + 5, [9], "int32"))
    fam.add("randint_3_int32_2p30", "randint", [],
            RKW(3, 2**30 - 1, 2**30 + 100, [9], "int32"))
    for dt in ("bool", "int32"):
        fam.add(f"randint_4_{dt}_0_2", "randint", [], RKW(4, 0, 2, [9], dt))
    fam.add("randint_5_int32_s301", "randint", [], RKW(5, -50, 50, [301], "int32"))
    fam.add("randint_5_uint8_s301", "randint", [], RKW(5, 0, 256, [301], "uint8"))
    fam.add("randint_6_int32_array_bounds", "randint",
            [A("int32", [0, -10, 100]), A("int32", [5, 10, 1000])],
            RKW(6, None, None, [2, 3], "int32"))
    fam.add("randint_err_float32", "randint", [], RKW(0, 0, 5, [2], "float32"))


def gen_bernoulli(fam):
    for seed in SEEDS[:3]:
        for p in (0.5, 0.3):
            for shp in SHAPES:
                fam.add(f"bernoulli_{seed}_p{p}_{sname(shp)}", "bernoulli", [],
                        {"seed": seed, "p": p, "shape": shp})
    for p in (0.0, 1.0, 0.999, 1e-9, 2.0, -1.0, NAN):
        fam.add(f"bernoulli_3_p{p}", "bernoulli", [],
                {"seed": 3, "p": p, "shape": [7, 5]})
    fam.add("bernoulli_5_s301", "bernoulli", [], {"seed": 5, "p": 0.5, "shape": [301]})
    fam.add("bernoulli_0_default_shape", "bernoulli", [], {"seed": 0, "p": 0.5, "shape": None})
    for dt in ("float32", "float16", "bfloat16"):
        fam.add(f"bernoulli_6_array_{dt}", "bernoulli",
                [A(dt, [0.1, 0.3, 0.5, 0.7, 0.9, 0.33])],
                {"seed": 6, "p": None, "shape": None})
    fam.add("bernoulli_6_array_broadcast", "bernoulli",
            [A("float32", [0.1, 0.9])], {"seed": 6, "p": None, "shape": [3, 2]})
    fam.add("bernoulli_err_int_p", "bernoulli", [A("int32", [1])],
            {"seed": 0, "p": None, "shape": [2]})
    fam.add("bernoulli_err_shape_incompatible", "bernoulli", [A("float32", [0.1, 0.9])],
            {"seed": 0, "p": None, "shape": [1]})
    fam.add("bernoulli_err_shape", "bernoulli", [A("float32", [0.1, 0.9])],
            {"seed": 0, "p": None, "shape": [3]})


def TKW(seed, lower, upper, shape, dtype):
    return {"seed": seed, "lower": lower, "upper": upper, "shape": shape,
            "dtype": dtype}


def gen_truncated(fam):
    for dt in HALF:
        for shp in ([], [0], [1], [4], [5], [7, 5]):
            fam.add(f"truncated_normal_1_{dt}_{sname(shp)}", "truncated_normal",
                    [], TKW(1, -1.0, 2.0, shp, dt))
        fam.add(f"truncated_normal_2_{dt}_narrow", "truncated_normal", [],
                TKW(2, 0.5, 0.7, [9], dt))
        fam.add(f"truncated_normal_2_{dt}_tail", "truncated_normal", [],
                TKW(2, 2.5, 4.0, [9], dt))
        fam.add(f"truncated_normal_5_{dt}_s301", "truncated_normal", [],
                TKW(5, -2.0, 2.0, [301], dt))
    fam.add("truncated_normal_3_float32_inf", "truncated_normal", [],
            TKW(3, -INF, INF, [9], "float32"))
    fam.add("truncated_normal_3_float32_shape_none", "truncated_normal", [],
            TKW(3, -1.0, 1.0, None, "float32"))
    fam.add("truncated_normal_3_float32_array_bounds", "truncated_normal",
            [A("float32", [0.0, 1.0]), A("float32", [1.0, 2.0], [2, 1])],
            TKW(3, None, None, None, "float32"))
    fam.add("truncated_normal_err_float64", "truncated_normal", [],
            TKW(0, 0.0, 1.0, [2], "float64"))
    fam.add("truncated_normal_err_int32", "truncated_normal", [],
            TKW(0, 0.0, 1.0, [2], "int32"))


def gen_gumbel_laplace(fam):
    for seed in SEEDS[:2]:
        for dt in HALF:
            for shp in SHAPES:
                fam.add(f"gumbel_{seed}_{dt}_{sname(shp)}", "gumbel", [],
                        {"seed": seed, "shape": shp, "dtype": dt})
                fam.add(f"laplace_{seed}_{dt}_{sname(shp)}", "laplace", [],
                        {"seed": seed, "shape": shp, "dtype": dt,
                         "loc": 0.0, "scale": 1.0})
    for dt in HALF:
        fam.add(f"gumbel_5_{dt}_s301", "gumbel", [],
                {"seed": 5, "shape": [301], "dtype": dt})
    for dt in HALF + ["float64"]:
        fam.add(f"laplace_5_{dt}_s301", "laplace", [],
                {"seed": 5, "shape": [301], "dtype": dt, "loc": 0.0, "scale": 1.0})
        fam.add(f"laplace_3_{dt}_locscale", "laplace", [],
                {"seed": 3, "shape": [7, 5], "dtype": dt, "loc": -2.0, "scale": 3.0})
        fam.add(f"laplace_3_{dt}_locscale_inexact", "laplace", [],
                {"seed": 3, "shape": [5], "dtype": dt, "loc": 0.3, "scale": 1.7})
    fam.add("gumbel_err_float64", "gumbel", [],
            {"seed": 0, "shape": [2], "dtype": "float64"})
    fam.add("gumbel_err_int32", "gumbel", [],
            {"seed": 0, "shape": [2], "dtype": "int32"})
    fam.add("laplace_err_int32", "laplace", [],
            {"seed": 0, "shape": [2], "dtype": "int32", "loc": 0.0, "scale": 1.0})


def CKW(seed, axis=-1, shape=None, num_samples=None):
    return {"seed": seed, "axis": axis, "shape": shape,
            "num_samples": num_samples}


def gen_categorical(fam):
    lp3 = [float(v) for v in np.log(np.array([0.1, 0.2, 0.7], np.float32))]
    lp23 = [float(v) for v in np.log(np.array([0.1, 0.2, 0.7, 0.5, 0.25, 0.25],
                                               np.float32))]
    L3, L23 = A("float32", lp3), A("float32", lp23, [2, 3])
    rng = np.random.default_rng(20240717)
    L45 = A("float32", [round(float(v), 3) for v in rng.normal(size=20)], [4, 5])
    for seed in SEEDS[:3]:
        fam.add(f"categorical_{seed}_1d", "categorical", [L3], CKW(seed))
        fam.add(f"categorical_{seed}_2x3", "categorical", [L23], CKW(seed))
        fam.add(f"categorical_{seed}_2x3_ax0", "categorical", [L23], CKW(seed, 0))
        fam.add(f"categorical_{seed}_2x3_ns7", "categorical", [L23],
                CKW(seed, num_samples=7))
        fam.add(f"categorical_{seed}_2x3_shape4x2", "categorical", [L23],
                CKW(seed, shape=[4, 2]))
    fam.add("categorical_1_1d_ns10", "categorical", [L3], CKW(1, num_samples=10))
    fam.add("categorical_1_1d_shape5", "categorical", [L3], CKW(1, shape=[5]))
    fam.add("categorical_1_4x5_ax0_ns3", "categorical", [L45], CKW(1, 0, num_samples=3))
    fam.add("categorical_1_4x5_ax1_shape3x4", "categorical", [L45],
            CKW(1, 1, shape=[3, 4]))
    fam.add("categorical_1_4x5_axm2", "categorical", [L45], CKW(1, -2))
    # single distribution + explicit shape/num_samples: inverse-CDF path
    fam.add("categorical_2_ninf", "categorical",
            [A("float32", [-INF, 0.0, -INF, 1.0])], CKW(2, num_samples=20))
    fam.add("categorical_2_ninf_gumbel", "categorical",
            [A("float32", [-INF, 0.0, -INF, 1.0], [1, 4])], CKW(2))
    fam.add("categorical_2_all_ninf", "categorical",
            [A("float32", [-INF, -INF, -INF])], CKW(2, num_samples=12))
    fam.add("categorical_2_pinf", "categorical",
            [A("float32", [1.0, INF, 2.0, INF])], CKW(2, num_samples=12))
    fam.add("categorical_2_zeros", "categorical",
            [A("float32", [0.0] * 5)], CKW(2, shape=[3, 4]))
    fam.add("categorical_2_1x3_shape6", "categorical",
            [A("float32", [0.3, 0.1, 2.0], [1, 3])], CKW(2, shape=[6]))
    fam.add("categorical_5_wide_ns50", "categorical",
            [A("float32", [round(float(v), 3) for v in rng.normal(size=40) * 3])],
            CKW(5, num_samples=50))
    fam.add("categorical_2_float16", "categorical",
            [A("float16", [0.5, 1.0, -1.0, 2.0], [2, 2])], CKW(2, num_samples=6))
    fam.add("categorical_err_both", "categorical", [L23], CKW(0, shape=[2], num_samples=3))
    fam.add("categorical_err_axis", "categorical", [L23], CKW(0, 2))
    fam.add("categorical_err_shape", "categorical", [L23], CKW(0, shape=[3]))
    fam.add("categorical_err_shape2", "categorical", [L23], CKW(0, shape=[4, 1]))


def gen_permutation(fam):
    for seed in SEEDS[:3]:
        for n in (0, 1, 2, 3, 5, 10, 64):
            fam.add(f"permutation_{seed}_n{n}", "permutation", [],
                    {"seed": seed, "n": n, "axis": 0})
    fam.add("permutation_5_n300", "permutation", [], {"seed": 5, "n": 300, "axis": 0})
    x = A("int32", list(range(12)), [3, 4])
    fam.add("permutation_6_array_ax0", "permutation", [x], {"seed": 6, "n": None, "axis": 0})
    fam.add("permutation_6_array_ax1", "permutation", [x], {"seed": 6, "n": None, "axis": 1})
    fam.add("permutation_6_array_1d", "permutation",
            [A("float32", [0.5, 1.5, 2.5, 3.5, 4.5])], {"seed": 6, "n": None, "axis": 0})


def gen_mvn(fam):
    mean3 = A("float32", [1.0, -2.0, 0.5])
    cov3 = A("float32", [2.0, 0.3, 0.1, 0.3, 1.0, 0.2, 0.1, 0.2, 0.5], [3, 3])
    eye2 = A("float32", [1.0, 0.0, 0.0, 1.0], [2, 2])
    for seed in SEEDS[:3]:
        for shp in ([], [4], [2, 2]):
            fam.add(f"multivariate_normal_{seed}_{sname(shp)}", "multivariate_normal",
                    [mean3, cov3], {"seed": seed, "shape": shp, "dtype": "float32"})
    fam.add("multivariate_normal_1_identity", "multivariate_normal",
            [A("float32", [0.0, 0.0]), eye2], {"seed": 1, "shape": [5], "dtype": "float32"})
    fam.add("multivariate_normal_1_batch_mean", "multivariate_normal",
            [A("float32", [0.0, 0.0, 10.0, 10.0], [2, 2]),
             A("float32", [2.0, 1.0, 1.0, 2.0], [2, 2])],
            {"seed": 1, "shape": [], "dtype": "float32"})
    fam.add("multivariate_normal_err_float16", "multivariate_normal",
            [mean3, cov3], {"seed": 0, "shape": [2], "dtype": "float16"})
    fam.add("multivariate_normal_err_shapes", "multivariate_normal",
            [A("float32", [0.0, 0.0]), cov3], {"seed": 0, "shape": [], "dtype": "float32"})


def gen_global(fam):
    for seed in (0, 42, 2**63 + 5):
        for calls in (1, 3):
            for shp in ([], [3], [2, 2]):
                fam.add(f"global_uniform_{seed}_c{calls}_{sname(shp)}",
                        "global_uniform", [],
                        {"seed": seed, "calls": calls, "shape": shp})
    fam.add("global_uniform_7_c8_s5", "global_uniform", [],
            {"seed": 7, "calls": 8, "shape": [5]})


FAMILIES = [gen_keys, gen_bits, gen_uniform, gen_normal, gen_randint,
            gen_bernoulli, gen_truncated, gen_gumbel_laplace, gen_categorical,
            gen_permutation, gen_mvn, gen_global]


def main():
    os.environ["MX_GOLDEN_BITS_HELPER"] = build_bits_helper()
    runner = Runner(ops_module="gen_random")
    fam = Family(runner, "random.json")
    for gen in FAMILIES:
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
