#!/usr/bin/env python3
"""Reference re-implementation of MLX 0.32.x random number generation (CPU,
x86-64 Linux wheel), in numpy uint32 / float32 arithmetic.

It exists to pin down the algorithm documented in FINDINGS.md ("## Random")
and to check it against the real `mlx.core.random`:

    python3 scripts/golden/mlx_random_ref.py        # runs self_check()

Float math that MLX does with libm (logf, log1pf) or std::fma is done here by
calling the C library through ctypes, because the point is bit-exactness.
Half-precision values are carried in float32 arrays and rounded after every
operation, exactly as MLX's _MLX_Float16 / _MLX_BFloat16 operators do
(convert to float, compute in float, round back).
"""

import ctypes
import ctypes.util

import numpy as np

U32 = np.uint32
F32 = np.float32
MASK32 = 0xFFFFFFFF

_libm = ctypes.CDLL(ctypes.util.find_library("m"))
for _name, _nargs in (("logf", 1), ("log1pf", 1), ("fmaf", 3)):
    _f = getattr(_libm, _name)
    _f.restype = ctypes.c_float
    _f.argtypes = [ctypes.c_float] * _nargs

_libm.log1p.restype = ctypes.c_double
_libm.log1p.argtypes = [ctypes.c_double]
_log1p_d = np.vectorize(lambda x: _libm.log1p(float(x)), otypes=[np.float64])
_logf = np.vectorize(lambda x: _libm.logf(float(x)), otypes=[np.float32])
_log1pf = np.vectorize(lambda x: _libm.log1pf(float(x)), otypes=[np.float32])
_fmaf = np.vectorize(lambda a, b, c: _libm.fmaf(float(a), float(b), float(c)),
                     otypes=[np.float32])


def logf(x):
    return _logf(np.asarray(x, F32)).astype(F32)


def log1pf(x):
    return _log1pf(np.asarray(x, F32)).astype(F32)


def log1p_d(x):
    return _log1p_d(np.asarray(x, np.float64)).astype(np.float64)


def fmaf(a, b, c):
    a, b, c = np.broadcast_arrays(np.asarray(a, F32), np.asarray(b, F32),
                                  np.asarray(c, F32))
    return _fmaf(a, b, c).astype(F32)


# ------------------------------------------------------------ float rounding

def round_bf16(x):
    """float32 -> bfloat16 (MLX: bits += ((bits >> 16) & 1) + 0x7FFF; NaN ->
    0x7FC0), returned as float32 values."""
    x = np.asarray(x, F32)
    b = x.view(U32).astype(np.uint64)
    b = (b + ((b >> 16) & 1) + 0x7FFF) & MASK32
    out = ((b >> 16) << 16).astype(U32).view(F32)
    return np.where(np.isnan(x), F32(np.nan), out).astype(F32)


def round_f16(x):
    """float32 -> float16 (round to nearest even), as float32 values."""
    with np.errstate(over="ignore"):
        return np.asarray(x, F32).astype(np.float16).astype(F32)


def rnd(x, dtype):
    """Round values to `dtype` ("float32", "float16", "bfloat16"; "float64"
    just converts)."""
    if dtype == "float64":
        return np.asarray(x, np.float64)
    x = np.asarray(x, F32)
    if dtype == "float32":
        return x
    if dtype == "float16":
        return round_f16(x)
    if dtype == "bfloat16":
        return round_bf16(x)
    if dtype == "float64":
        return x.astype(np.float64)
    raise ValueError(dtype)


def below_one(dtype):
    """Largest value < 1 of `dtype`, as float32: the clamp of uniform()."""
    return {"float32": F32(np.nextafter(F32(1), F32(0))),
            "float16": F32(0.99951171875),    # 0x3BFF
            "bfloat16": F32(0.99609375)}[dtype]  # 0x3F7F


# ------------------------------------------------------------------ threefry

ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
KS_PARITY = 0x1BD11BDA


def _rotl(v, r):
    return ((v << U32(r)) | (v >> U32(32 - r))).astype(U32)


def threefry2x32(key, c0, c1):
    """Threefry-2x32 with 20 rounds (5 groups of 4), elementwise over the
    counter arrays c0, c1. key = (k0, k1)."""
    k0, k1 = int(key[0]), int(key[1])
    ks = [U32(k0), U32(k1), U32(k0 ^ k1 ^ KS_PARITY)]
    with np.errstate(over="ignore"):
        x0 = np.asarray(c0, U32) + ks[0]
        x1 = np.asarray(c1, U32) + ks[1]
        for i in range(5):
            for r in ROTATIONS[i % 2]:
                x0 = (x0 + x1).astype(U32)
                x1 = _rotl(x1, r)
                x1 = x1 ^ x0
            x0 = (x0 + ks[(i + 1) % 3]).astype(U32)
            x1 = (x1 + ks[(i + 2) % 3] + U32(i + 1)).astype(U32)
    return x0.astype(U32), x1.astype(U32)


# ---------------------------------------------------------------- keys, bits

def key(seed):
    """mx.random.key(seed): [seed >> 32, seed & 0xFFFFFFFF] as uint32."""
    seed = int(seed) & ((1 << 64) - 1)
    return np.array([seed >> 32, seed & MASK32], dtype=U32)


def bits_bytes(key, nbytes):
    """The first `nbytes` bytes of the random stream of one key."""
    nwords = (nbytes + 3) // 4
    half = nwords // 2
    odd = nwords % 2
    words = np.zeros(nwords, U32)
    if half:
        i = np.arange(half, dtype=U32)
        a, b = threefry2x32(key, i, i + U32(half + odd))
        words[:half] = a
        words[half + odd:] = b
    if odd:
        a, _ = threefry2x32(key, np.array([half], U32), np.array([0], U32))
        words[half] = a[0]
    return words.astype("<u4").tobytes()[:nbytes]


def bits(key, shape, width=4):
    """random::bits(shape, width, key): uint8/16/32 (width 1/2/4) array."""
    if width not in (1, 2, 4):
        raise ValueError("[bits] Bit width must be in {1, 2, 4} but got %d."
                         % width)
    n = int(np.prod(shape, dtype=np.int64))
    dt = {1: "<u1", 2: "<u2", 4: "<u4"}[width]
    return np.frombuffer(bits_bytes(key, n * width), dtype=dt).reshape(shape)


def split(key, num=2):
    """mx.random.split(key, num) = bits((num, 2), 4, key)."""
    return bits(key, (num, 2), 4)


class KeySequence:
    """The global key of mx.random: seed() sets state = key(seed); every call
    without key= does (state, k) = split(state) and uses k."""

    def __init__(self, seed=0):
        self.state = key(seed)

    def seed(self, seed):
        self.state = key(seed)

    def next(self):
        s = split(self.state, 2)
        self.state = s[0].copy()
        return s[1].copy()


# ------------------------------------------------------------- elementwise f32

def exp_mlx(x):
    """MLX's CPU simd::exp (Cephes polynomial; float32)."""
    x_init = np.asarray(x, F32)
    with np.errstate(all="ignore"):
        xx = (x_init * F32(1.442695)).astype(F32)
        ipart = np.floor(xx.astype(np.float64) + 0.5).astype(F32)
        fpart = (xx - ipart).astype(F32)
        p = np.full(xx.shape, 1.535336188319500e-4, F32)
        for c in (1.339887440266574e-3, 9.618437357674640e-3,
                  5.550332471162809e-2, 2.402264791363012e-1,
                  6.931472028550421e-1, 1.0):
            p = fmaf(p, fpart, F32(c))
        e = ((ipart.astype(np.int64) + 127) << 23) & MASK32
        two = e.astype(U32).view(F32)
        res = (two * p).astype(F32)
    res = np.where(np.isnan(x_init), x_init, res)
    res = np.where(x_init > 88.0, F32(np.inf), res)
    res = np.where(x_init < -88.0, F32(0), res)
    return res.astype(F32)


def erf_mlx(x, dtype="float32"):
    """MLX's CPU simd::erf (Abramowitz-Stegun 7.1.26 via fma), input values
    of `dtype` (carried in float32), result rounded to `dtype`."""
    v = np.asarray(x, F32)
    with np.errstate(all="ignore"):
        t = (F32(1) / fmaf(F32(0.3275911), np.abs(v), F32(1))).astype(F32)
        r = fmaf(F32(1.061405429), t, F32(-1.453152027))
        r = fmaf(r, t, F32(1.421413741))
        r = fmaf(r, t, F32(-0.284496736))
        r = fmaf(r, t, F32(0.254829592))
        e = -exp_mlx(-(v * v).astype(F32))
        res = rnd(fmaf((e * t).astype(F32), r, F32(1)), dtype)
    return np.where(v > 0, res, -res).astype(F32)


ERFINV_LHS = (3.03697567e-10, 2.93243101e-8, 1.22150334e-6, 2.84108955e-5,
              3.93552968e-4, 3.02698812e-3, 4.83185798e-3, -2.64646143e-1,
              8.40016484e-1)
ERFINV_RHS = (5.43877832e-9, 1.43285448e-7, 1.22774793e-6, 1.12963626e-7,
              -5.61530760e-5, -1.47697632e-4, 2.31468678e-3, 1.15392581e-2,
              -2.32015476e-1, 8.86226892e-1)


def erfinv_mlx(x, dtype="float32"):
    """MLX's CPU simd::erfinv (Giles' single-precision approximation):
    t = logf(fma(a, -a, 1)); p = poly(t) (lhs if |t| > 6.125 else rhs);
    result = a * p, rounded to `dtype`."""
    a = np.asarray(x, F32)
    with np.errstate(all="ignore"):
        t = logf(fmaf(a, (F32(0) - a).astype(F32), F32(1)))
        out = np.empty(a.shape, F32)
        for coeffs, sel in ((ERFINV_LHS, np.abs(t) > F32(6.125)),
                            (ERFINV_RHS, ~(np.abs(t) > F32(6.125)))):
            if not sel.any():
                continue
            ts = t[sel]
            p = np.full(ts.shape, coeffs[0], F32)
            for c in coeffs[1:]:
                p = fmaf(p, ts, F32(c))
            out[sel] = (a[sel] * p).astype(F32)
    return rnd(out, dtype)


# ------------------------------------------------------------- distributions

def _f32_scalar(v):
    """A Python float argument: MLX turns it into a float32 array first."""
    return F32(v)


def unit_uniform_f32(key, shape, dtype="float32"):
    """min(float32(bits) / float32(UINT32_MAX) (= 4294967296f),
    below_one(dtype)) as float32."""
    b = bits(key, shape, 4)
    with np.errstate(all="ignore"):
        u = (b.astype(F32) / F32(4294967295.0)).astype(F32)
    return np.minimum(u, below_one(dtype)).astype(F32)


def uniform(key, low=0.0, high=1.0, shape=(), dtype="float32"):
    """lo = low cast to dtype, hi likewise (Python floats pass through
    float32 first), range = hi - lo (rounded to dtype),
    out = range * rnd(u, dtype) + lo, each op rounded to dtype."""
    if dtype not in ("float32", "float16", "bfloat16"):
        raise ValueError("[uniform] Unsupported type.")
    lo = rnd(np.asarray(low, F32), dtype)
    hi = rnd(np.asarray(high, F32), dtype)
    with np.errstate(all="ignore"):
        rng = rnd(hi - lo, dtype)
        u = rnd(unit_uniform_f32(key, shape, dtype), dtype)
        out = rnd(rnd(rng * u, dtype) + lo, dtype)
    return np.broadcast_to(out, shape).astype(F32)


SQRT2 = 1.4142135623730951


def normal(key, shape=(), dtype="float32", loc=None, scale=None):
    """u = uniform(nextafter(-1f, 0), 1f, shape, float32);
    out = [loc +] (sqrt2 [* scale]) * astype(erfinv(u), dtype), each op in
    dtype. sqrt2 is the double sqrt(2) cast to dtype; loc/scale are
    Python scalars, made float32 arrays and cast to dtype (float64: the exact
    double), skipped when None (the Python default).
    dtype float64 works too (erfinv still runs in float32)."""
    if dtype == "complex64":
        # no sqrt2: re, im ~ N(0, 1/2); pairs of consecutive uniforms
        u = uniform(key, np.nextafter(F32(-1), F32(0)), F32(1),
                    list(shape) + [2], "float32")
        e = erfinv_mlx(u)
        out = (e[..., 0] + 1j * e[..., 1]).astype(np.complex64)
        if scale is not None:
            out = (np.complex64(F32(scale)) * out).astype(np.complex64)
        if loc is not None:
            out = (np.complex64(F32(loc)) + out).astype(np.complex64)
        return out
    u = uniform(key, np.nextafter(F32(-1), F32(0)), F32(1), shape, "float32")
    s = rnd(np.asarray(SQRT2 if dtype == "float64" else F32(SQRT2)), dtype)
    def param(v):  # Python float -> array of dtype (via float32 unless f64)
        return rnd(np.asarray(v if dtype == "float64" else _f32_scalar(v)),
                   dtype)
    if scale is not None:
        s = rnd(s * param(scale), dtype)
    out = rnd(s * erfinv_mlx(u, dtype), dtype)
    if loc is not None:
        out = rnd(param(loc) + out, dtype)
    return out


def laplace(key, shape=(), dtype="float32", loc=0.0, scale=1.0):
    """u = uniform(nextafter(-1f, 0), 1f, shape, float32);
    v = sign(u) * log1p(array(-1, dtype) * |u|): float32 math (log1pf) for
    f32/f16/bf16, but DOUBLE math (log1p) for float64 because the -1 constant
    has the output dtype; then astype(dtype); then [* scale] [+ loc] in dtype
    with loc/scale C++ floats (float32), skipped when exactly 1 / 0."""
    u = uniform(key, np.nextafter(F32(-1), F32(0)), F32(1), shape, "float32")
    with np.errstate(all="ignore"):
        if dtype == "float64":
            w = (-1.0 * np.abs(u).astype(np.float64))
            v = np.sign(u).astype(np.float64) * log1p_d(w)
        else:
            v = (np.sign(u) * log1pf((F32(-1) * np.abs(u)).astype(F32))).astype(F32)
    v = rnd(v, dtype)
    if scale != 1:
        v = rnd(rnd(np.asarray(_f32_scalar(scale)), dtype) * v, dtype)
    if loc != 0:
        v = rnd(rnd(np.asarray(_f32_scalar(loc)), dtype) + v, dtype)
    return v


def gumbel(key, shape=(), dtype="float32"):
    u = uniform(key, 0.0, 1.0, shape, dtype)
    with np.errstate(all="ignore"):
        return rnd(-logf(rnd(-logf(u), dtype)), dtype)


def bernoulli(key, p, shape):
    """float32(bits(shape)) < p * 4294967808f (p as float32 here; MLX
    multiplies in promote(p.dtype, float32))."""
    b = bits(key, shape, 4).astype(F32)
    thr = (np.asarray(p, F32) * F32(4294967808.0)).astype(F32)
    return b < thr


INT_DTYPES = {"bool": np.bool_, "uint8": np.uint8, "uint16": np.uint16,
              "uint32": np.uint32, "uint64": np.uint64, "int8": np.int8,
              "int16": np.int16, "int32": np.int32, "int64": np.int64}


def _py_to_array(v):
    """to_array() of a Python scalar: bool -> bool, int -> int32 (int64 if
    it does not fit), float -> float32."""
    if isinstance(v, (bool, np.bool_)):
        return np.asarray(v, np.bool_)
    if isinstance(v, (int, np.integer)):
        v = int(v)
        return np.asarray(v, np.int32 if -2**31 <= v < 2**31 else np.int64)
    return np.asarray(v, F32)


def _cast_int(x, dtype):
    """C++ static_cast of MLX's astype to an integer dtype: integers wrap
    modulo 2^bits, floats truncate toward zero (out of range: UB in MLX)."""
    x = np.asarray(x)
    if dtype == "bool":
        return x != 0
    if x.dtype.kind == "f":
        x = np.trunc(x.astype(np.float64))
        with np.errstate(invalid="ignore"):
            x = x.astype(np.int64) if dtype != "uint64" else x.astype(np.uint64)
    with np.errstate(over="ignore"):
        return x.astype(np.int64).astype(INT_DTYPES[dtype]) \
            if x.dtype != np.uint64 else x.astype(INT_DTYPES[dtype])


def randint(key, low, high, shape=(), dtype="int32"):
    """MLX 0.32.4 randint (low/high Python scalars or numpy arrays):
    u = uniform(low, high, shape, float32); x = astype(floor(u), dtype);
    x = minimum(x, astype(high - 1, dtype)); x = maximum(x, astype(low, dtype)).
    `high - 1` is computed in high's own dtype (int32 for a Python int,
    float32 for a Python float)."""
    lo = _py_to_array(low) if np.ndim(low) == 0 and not isinstance(low, np.ndarray) else np.asarray(low)
    hi = _py_to_array(high) if np.ndim(high) == 0 and not isinstance(high, np.ndarray) else np.asarray(high)
    u = uniform(key, lo.astype(F32), hi.astype(F32), shape, "float32")
    x = _cast_int(np.floor(u), dtype)
    with np.errstate(over="ignore"):
        if hi.dtype.kind == "b":
            hi1 = hi.astype(np.int32) - np.int32(1)
        elif hi.dtype.kind == "f":
            hi1 = (hi - F32(1)).astype(F32)
        else:
            hi1 = (hi - hi.dtype.type(1)).astype(hi.dtype)
    x = np.minimum(x, _cast_int(hi1, dtype))
    x = np.maximum(x, _cast_int(lo, dtype))
    return np.broadcast_to(x, shape).astype(INT_DTYPES[dtype])


def truncated_normal(key, lower, upper, shape, dtype="float32"):
    s2 = rnd(np.asarray(_f32_scalar(SQRT2)), dtype)
    lo = rnd(np.asarray(lower, F32), dtype)
    hi = rnd(np.asarray(upper, F32), dtype)
    a = erf_mlx(rnd(lo / s2, dtype), dtype)
    b = erf_mlx(rnd(hi / s2, dtype), dtype)
    u = uniform(key, a, b, shape, dtype)
    out = rnd(s2 * erfinv_mlx(u, dtype), dtype)
    return np.maximum(np.minimum(hi, out), lo).astype(F32)


def permutation(key, n):
    """argsort(bits([n])) (stable for ties, as MLX's CPU sort)."""
    return np.argsort(bits(key, (n,), 4), kind="stable").astype(U32)


def categorical(key, logits, axis=-1, shape=None, num_samples=None):
    """mx.random.categorical. num_samples: logits gets a trailing axis of 1
    and shape = logits.shape minus axis, with the last entry = num_samples.
    Then, if logits.shape[axis] > 0 and == logits.size and shape is not
    empty (a single distribution, sampled with an explicit shape / count):
    inverse-CDF path; otherwise Gumbel-max."""
    logits = np.asarray(logits, F32)
    axis = axis % logits.ndim
    if num_samples is not None:
        logits = logits[..., None]
        shape = list(logits.shape)
        del shape[axis]
        shape[-1] = num_samples
    elif shape is None:
        shape = list(logits.shape)
        del shape[axis]
    shape = list(shape)
    n = logits.shape[axis]
    if n > 0 and n == logits.size and shape:
        return categorical_inverse_cdf(key, logits.reshape(-1), shape)
    offset = axis + len(shape) - logits.ndim + 1
    gshape = shape[:offset] + [n] + shape[offset:]
    g = gumbel(key, gshape, "float32")
    return np.argmax(g + logits, axis=offset).astype(U32)


def categorical_inverse_cdf(key, logits, shape):
    """Single-distribution path (float32 logits):
    m = max(l); w = isinf(m) ? (l == m) : exp_mlx(l - m);
    c = exclusive cumsum(w); total = sum(w); t = uniform(shape) * total;
    out = searchsorted(c, t, side="right") - 1   (uint32)."""
    l = np.asarray(logits, F32)
    with np.errstate(all="ignore"):
        m = l.max()
        if np.isinf(m):
            w = (l == m).astype(F32)
        else:
            w = exp_mlx((l - m).astype(F32))
        c = np.zeros(l.shape, F32)
        acc = F32(0)
        for i in range(1, l.size):
            acc = F32(acc + w[i - 1])
            c[i] = acc
        total = F32(0)
        for v in w:  # MLX sums in SIMD order; equal for small n
            total = F32(total + v)
        t = (uniform(key, 0.0, 1.0, shape, "float32") * total).astype(F32)
    idx = np.searchsorted(c, t, side="right")
    return (idx.astype(np.int64) - 1).astype(U32).reshape(shape)


# ---------------------------------------------------------------- self check

def self_check(verbose=True):
    import mlx.core as mx

    def same(name, got, want):
        got = np.asarray(got)
        want = np.asarray(want)
        ok = got.shape == want.shape and (
            got.tobytes() == want.tobytes()
            if got.dtype == want.dtype else np.array_equal(got, want))
        if verbose or not ok:
            print(("OK   " if ok else "FAIL ") + name)
        return ok

    def mxf(a):
        if a.dtype == mx.bfloat16:
            a = a.astype(mx.float32)
        return np.array(a)

    allok = True
    for seed in (0, 1, 42, 2**32 + 7, 0xDEADBEEFCAFEBABE):
        k = key(seed)
        mk = mx.random.key(seed)
        allok &= same(f"key {seed}", k, np.array(mk))
        for num in (1, 2, 3, 5):
            allok &= same(f"split {seed} {num}", split(k, num),
                          np.array(mx.random.split(mk, num)))
        for shp in ([], [0], [1], [3], [4], [5], [2, 3], [7, 5], [301]):
            for dt in ("float32", "float16", "bfloat16"):
                allok &= same(f"uniform {seed} {shp} {dt}",
                              uniform(k, 0.0, 1.0, shp, dt),
                              mxf(mx.random.uniform(shape=shp, dtype=getattr(mx, dt), key=mk)))
                allok &= same(f"normal {seed} {shp} {dt}",
                              normal(k, shp, dt),
                              mxf(mx.random.normal(shp, dtype=getattr(mx, dt), key=mk)))
    return allok


# ------------------------------------------------- check tests/golden/ops/random.json

def _dec(v):
    return float(v) if isinstance(v, str) else v


def _arg(a):
    """An ARG of common.py as numpy (bfloat16/float16 data as float32)."""
    npd = {"float32": F32, "float16": F32, "bfloat16": F32, "float64": np.float64}
    dt = a["dtype"]
    vals = [_dec(v) for v in a["data"]]
    return np.array(vals, dtype=npd.get(dt, INT_DTYPES.get(dt))).reshape(a["shape"])


def ref_case(op, args, kw):
    """Recompute one golden case with this module (None: not covered)."""
    seed = kw.get("seed")
    k = key(seed) if seed is not None else None
    a = [_arg(x) for x in args]
    if op == "key":
        return key(seed)
    if op == "split":
        return split(k, kw["num"])
    if op == "bits":
        return bits(k, kw["shape"], kw["width"])
    if op == "global_uniform":
        ks = KeySequence(seed)
        return [uniform(ks.next(), 0.0, 1.0, kw["shape"]) for _ in range(kw["calls"])]
    if op == "uniform":
        lo, hi = (a[0], a[1]) if a else (_dec(kw["low"]), _dec(kw["high"]))
        return uniform(k, lo, hi, kw["shape"], kw["dtype"])
    if op == "normal":
        return normal(k, kw["shape"], kw["dtype"], _dec(kw["loc"]), _dec(kw["scale"]))
    if op == "laplace":
        return laplace(k, kw["shape"], kw["dtype"], _dec(kw["loc"]), _dec(kw["scale"]))
    if op == "gumbel":
        return gumbel(k, kw["shape"], kw["dtype"])
    if op == "randint":
        lo, hi = (a[0], a[1]) if a else (kw["low"], kw["high"])
        return randint(k, lo, hi, kw["shape"], kw["dtype"])
    if op == "bernoulli":
        p = a[0] if a else _dec(kw["p"])
        shape = kw["shape"] if kw["shape"] is not None else np.shape(p)
        return np.broadcast_to(bernoulli(k, p, shape), shape)
    if op == "truncated_normal":
        lo, hi = (a[0], a[1]) if a else (_dec(kw["lower"]), _dec(kw["upper"]))
        shape = kw["shape"]
        if shape is None:
            shape = np.broadcast_shapes(np.shape(lo), np.shape(hi))
        return truncated_normal(k, lo, hi, shape, kw["dtype"])
    if op == "categorical":
        return categorical(k, a[0], kw["axis"], kw["shape"], kw["num_samples"])
    if op == "permutation":
        if a:
            return np.take(a[0], permutation(k, a[0].shape[kw["axis"]]),
                           axis=kw["axis"])
        return permutation(k, kw["n"])
    return None


def check_golden(path=None, verbose=False):
    """Compare every covered case of random.json with this module, bit for
    bit (values as float32/int64). Returns (n_checked, n_failed)."""
    import json
    import os
    if path is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                            "..", "tests", "golden", "ops", "random.json")
    with open(path) as f:
        cases = json.load(f)["cases"]
    nchk = nbad = 0
    for c in cases:
        if "expect" not in c:
            continue
        got = ref_case(c["op"], c["args"], c["kwargs"])
        if got is None:
            continue
        exp = c["expect"] if isinstance(c["expect"], list) else [c["expect"]]
        got = got if isinstance(got, list) else [got]
        ok = len(got) == len(exp)
        for g, e in zip(got, exp):
            g = np.asarray(g)
            ev = None if g.dtype.kind == "c" else np.array(
                [_dec(v) for v in e["data"]],
                dtype=np.float64 if g.dtype.kind == "f" else object)
            gv = g.reshape(-1)
            ok &= list(g.shape) == e["shape"]
            if g.dtype.kind == "c":
                ev = np.array([complex(_dec(v[0]), _dec(v[1])) for v in e["data"]])
                ok &= np.array_equal(gv.astype(np.complex128), ev)
            elif g.dtype.kind == "f":
                ok &= np.array_equal(gv.astype(np.float64), ev, equal_nan=True) and \
                    np.array_equal(np.signbit(gv), np.signbit(ev))
            else:
                ok &= [int(v) for v in gv.tolist()] == [int(v) for v in ev.tolist()]
        nchk += 1
        if not ok:
            nbad += 1
            print("MISMATCH", c["name"])
        elif verbose:
            print("ok", c["name"])
    return nchk, nbad


if __name__ == "__main__":
    import sys
    good = self_check(verbose=False)
    n, bad = check_golden()
    print(f"self_check vs mlx: {'ok' if good else 'FAILED'}; "
          f"random.json: {n} cases recomputed, {bad} mismatches")
    sys.exit(0 if good and not bad else 1)
