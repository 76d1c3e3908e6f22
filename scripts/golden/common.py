"""Helpers shared by the golden-data generators.

Cases are evaluated in a separate worker process (this file run with
``--worker``) that rebuilds every input from its JSON encoding, exactly as
the Rust reader will. That (a) guarantees the recorded inputs are the ones
actually used and (b) survives MLX crashes (e.g. SIGFPE on some integer
divisions by zero): a crashed case is reported and left out of the output.
"""

import json
import math
import os
import select
import subprocess
import sys

import numpy as np
import mlx.core as mx

MLX_VERSION = "0.32.4"

DTYPES = [
    "bool", "uint8", "uint16", "uint32", "uint64",
    "int8", "int16", "int32", "int64",
    "float16", "bfloat16", "float32", "float64", "complex64",
]
MXD = {n: getattr(mx, "bool_" if n == "bool" else n) for n in DTYPES}
# numpy dtype used to hold the values before mx.array(..., dtype=...);
# numpy has no bfloat16, so bfloat16 goes through float32.
NPD = {
    "bool": np.bool_, "uint8": np.uint8, "uint16": np.uint16,
    "uint32": np.uint32, "uint64": np.uint64, "int8": np.int8,
    "int16": np.int16, "int32": np.int32, "int64": np.int64,
    "float16": np.float16, "bfloat16": np.float32, "float32": np.float32,
    "float64": np.float64, "complex64": np.complex64,
}
FLOATS = ("float16", "bfloat16", "float32", "float64")
SIGNED = ("int8", "int16", "int32", "int64")
UNSIGNED = ("uint8", "uint16", "uint32", "uint64")
INTS = UNSIGNED + SIGNED
BITS = {"uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64,
        "int8": 8, "int16": 16, "int32": 32, "int64": 64}


def imin(dt):
    return int(np.iinfo(NPD[dt]).min)


def imax(dt):
    return int(np.iinfo(NPD[dt]).max)


def dtype_name(d):
    return str(d).split(".")[-1]


# ----------------------------------------------------------------- encoding

def enc_float(v):
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def dec_float(v):
    if isinstance(v, str):
        return float(v)  # "nan", "inf", "-inf"
    return float(v)


def enc_value(v, dt):
    if dt == "bool":
        return bool(v)
    if dt in INTS:
        return int(v)
    if dt == "complex64":
        c = complex(v)
        return [enc_float(c.real), enc_float(c.imag)]
    return enc_float(v)


def dec_value(v, dt):
    if dt == "complex64":
        return complex(dec_float(v[0]), dec_float(v[1]))
    if dt in FLOATS:
        return dec_float(v)
    return v


def to_numpy(a):
    if a.dtype == mx.bfloat16:
        return np.array(a.astype(mx.float32))
    return np.array(a)


def enc_out(a):
    dt = dtype_name(a.dtype)
    flat = to_numpy(a).reshape(-1)
    return {"dtype": dt, "shape": list(a.shape),
            "data": [enc_value(v, dt) for v in flat.tolist()]}


def np_base(dt, values, shape):
    vals = values
    if dt in FLOATS:
        vals = [float(v) for v in values]
    with np.errstate(over="ignore"):  # e.g. 1e10 -> float16 inf, on purpose
        arr = np.array(vals, dtype=NPD[dt])
    return arr.reshape(shape)


def apply_view(x, view):
    if view is None:
        return x
    if view == "transpose":
        return x.T
    if view == "flip0":
        return x[::-1]
    if view == "step2":
        return x[::2]
    raise ValueError("unknown view " + str(view))


# ------------------------------------------------------- generator-side ARGs

def A(dt, values, shape=None, view=None):
    """Array ARG. `values` are flat row-major values of the base array.
    The recorded data is read back from MLX so that it is exactly
    representable in `dt` (e.g. float16 rounding, bfloat16 rounding)."""
    values = list(values)
    if shape is None:
        shape = [len(values)]
    base = mx.array(np_base(dt, values, shape), dtype=MXD[dt])
    data = enc_out(base)["data"]
    return {"kind": "array", "dtype": dt, "shape": list(shape),
            "data": data, "view": view}


def S(v):
    """Python scalar ARG (bool / int / float are distinct weak kinds)."""
    if isinstance(v, float):
        return {"kind": "scalar", "value": enc_float(v)}
    return {"kind": "scalar", "value": v}


def ARANGE(n, dt, shape):
    return {"kind": "arange", "n": n, "dtype": dt, "shape": list(shape)}


# ---------------------------------------------------------- worker-side decode

def build_arg(arg):
    if arg is None:
        return None
    k = arg["kind"]
    if k == "scalar":
        v = arg["value"]
        if isinstance(v, str):
            return float(v)
        return v
    if k == "array":
        dt = arg["dtype"]
        vals = [dec_value(v, dt) for v in arg["data"]]
        base = mx.array(np_base(dt, vals, arg["shape"]), dtype=MXD[dt])
        return apply_view(base, arg["view"])
    if k == "arange":
        return mx.arange(arg["n"]).reshape(arg["shape"]).astype(MXD[arg["dtype"]])
    raise ValueError("unknown ARG kind " + k)


def _dt(name):
    return None if name is None else MXD[name]


def _kw_float(v):
    return None if v is None else dec_float(v)


def _num(v):
    # JSON number or "nan"/"inf" string; keep int vs float distinction.
    if isinstance(v, str):
        return float(v)
    return v


def apply_op(op, args, kw):
    a = [build_arg(x) for x in args]
    if op == "nan_to_num":
        return mx.nan_to_num(a[0], nan=_kw_float(kw.get("nan", 0.0)),
                             posinf=_kw_float(kw.get("posinf")),
                             neginf=_kw_float(kw.get("neginf")))
    if op == "round":
        return mx.round(a[0], decimals=kw.get("decimals", 0))
    if op == "clip":
        return mx.clip(a[0], build_arg(kw["a_min"]), build_arg(kw["a_max"]))
    if op == "where":
        return mx.where(a[0], a[1], a[2])
    if op in ("isclose", "allclose"):
        return getattr(mx, op)(a[0], a[1], rtol=kw["rtol"], atol=kw["atol"],
                               equal_nan=kw["equal_nan"])
    if op == "array_equal":
        return mx.array_equal(a[0], a[1], equal_nan=kw["equal_nan"])
    if op == "result_type":
        return mx.add(a[0], a[1])
    # creation
    if op in ("zeros", "ones"):
        return getattr(mx, op)(kw["shape"], dtype=MXD[kw["dtype"]])
    if op == "full":
        if kw.get("dtype") is None:
            return mx.full(kw["shape"], a[0])
        return mx.full(kw["shape"], a[0], dtype=MXD[kw["dtype"]])
    if op in ("zeros_like", "ones_like"):
        return getattr(mx, op)(a[0])
    if op == "arange":
        opt = {}
        if kw.get("step") is not None:
            opt["step"] = _num(kw["step"])
        if kw.get("dtype") is not None:
            opt["dtype"] = MXD[kw["dtype"]]
        if kw.get("start") is None:
            return mx.arange(_num(kw["stop"]), **opt)
        return mx.arange(_num(kw["start"]), _num(kw["stop"]), **opt)
    if op == "linspace":
        opt = {}
        if kw.get("dtype") is not None:
            opt["dtype"] = MXD[kw["dtype"]]
        return mx.linspace(_num(kw["start"]), _num(kw["stop"]), kw["num"], **opt)
    if op in ("eye", "identity", "tri"):
        opt = {}
        if kw.get("dtype") is not None:
            opt["dtype"] = MXD[kw["dtype"]]
        if op == "identity":
            return mx.identity(kw["n"], **opt)
        return getattr(mx, op)(kw["n"], kw.get("m"), k=kw.get("k", 0), **opt)
    if op in ("tril", "triu"):
        return getattr(mx, op)(a[0], k=kw.get("k", 0))
    # views
    if op == "reshape":
        return mx.reshape(a[0], kw["shape"])
    if op == "transpose":
        if kw.get("axes") is None:
            return mx.transpose(a[0])
        return mx.transpose(a[0], kw["axes"])
    if op == "swapaxes":
        return mx.swapaxes(a[0], kw["axis1"], kw["axis2"])
    if op == "moveaxis":
        return mx.moveaxis(a[0], kw["source"], kw["destination"])
    if op == "squeeze":
        if kw.get("axis") is None:
            return mx.squeeze(a[0])
        return mx.squeeze(a[0], kw["axis"])
    if op == "expand_dims":
        return mx.expand_dims(a[0], kw["axis"])
    if op == "broadcast_to":
        return mx.broadcast_to(a[0], kw["shape"])
    if op == "slice":
        idx = tuple(slice(s, e, st) for (s, e, st) in kw["index"])
        return a[0][idx]
    # dtype conversions
    if op == "astype":
        return a[0].astype(MXD[kw["dtype"]])
    if op == "view":
        return a[0].view(MXD[kw["dtype"]])
    if op == "repr":
        return repr(a[0])
    # generic elementwise: unary / binary by MLX name, kwargs passed through
    return getattr(mx, op)(*a, **kw)


# Set by the worker from `--ops MODULE`: a generator's own `apply_op(op, args, kw)`,
# tried first; it returns NotImplemented for ops it leaves to the generic one here.
EXTRA_APPLY = None


def run_case(req):
    try:
        r = NotImplemented
        if EXTRA_APPLY is not None:
            r = EXTRA_APPLY(req["op"], req["args"], req.get("kwargs", {}))
        if r is NotImplemented:
            r = apply_op(req["op"], req["args"], req.get("kwargs", {}))
        if isinstance(r, str):
            return {"expect_str": r}
        mx.eval(r)
        if isinstance(r, (list, tuple)):
            return {"expect": [enc_out(x) for x in r]}
        return {"expect": enc_out(r)}
    except Exception as e:  # noqa: BLE001 - any MLX exception is a result
        return {"error": str(e)}


def worker_loop():
    out = sys.stdout
    sys.stdout = sys.stderr  # keep the protocol channel clean
    for line in sys.stdin:
        res = run_case(json.loads(line))
        out.write(json.dumps(res, allow_nan=False) + "\n")
        out.flush()


class Runner:
    """Runs cases in a worker subprocess; restarts it after a crash."""

    def __init__(self, timeout=30.0, ops_module=None):
        """ops_module: name of a module next to this file whose `apply_op`
        the worker tries before the generic one (see EXTRA_APPLY)."""
        self.timeout = timeout
        self.ops_module = ops_module
        self.crashes = []
        self._start()

    def _start(self):
        argv = [sys.executable, os.path.abspath(__file__), "--worker"]
        if self.ops_module:
            argv += ["--ops", self.ops_module]
        self.p = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            bufsize=1)

    def restart(self):
        """Replace the worker with a fresh process (clean MLX state)."""
        self.p.stdin.close()
        self.p.kill()
        self.p.wait()
        self._start()

    def run(self, req, timeout=None):
        self.p.stdin.write(json.dumps(req, allow_nan=False) + "\n")
        self.p.stdin.flush()
        ready, _, _ = select.select([self.p.stdout], [], [],
                                    timeout or self.timeout)
        if not ready:  # hung: kill this worker (we started it) and go on
            self.p.kill()
            self.p.wait()
            self._start()
            return {"crash": "timeout"}
        line = self.p.stdout.readline()
        if not line:
            rc = self.p.wait()
            self._start()
            return {"crash": rc}
        return json.loads(line)

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def enc_kwargs(v):
    """Non-finite floats in kwargs become "nan"/"inf"/"-inf" strings."""
    if isinstance(v, float):
        return enc_float(v)
    if isinstance(v, dict):
        return {k: enc_kwargs(x) for k, x in v.items()}
    if isinstance(v, list):
        return [enc_kwargs(x) for x in v]
    return v


class Family:
    """Collects the cases of one output file."""

    def __init__(self, runner, fname):
        self.runner = runner
        self.fname = fname
        self.cases = []
        self.names = set()

    def add(self, name, op, args=(), kwargs=None, fresh=False, retries=0,
            timeout=None):
        """Run one case and keep it. fresh: run it in a new worker process;
        retries: how often to re-run it (in a new worker) after a crash or
        timeout, for MLX code paths that only sometimes hang."""
        assert name not in self.names, "duplicate case name " + name
        self.names.add(name)
        case = {"name": name, "op": op, "args": list(args),
                "kwargs": enc_kwargs(dict(kwargs or {}))}
        if fresh:
            self.runner.restart()
        res = self.runner.run(case, timeout)
        while "crash" in res and retries > 0:
            retries -= 1  # run() has already restarted the worker
            res = self.runner.run(case, timeout)
        if "crash" in res:
            self.runner.crashes.append((self.fname, name, res["crash"]))
            return None
        case.update(res)
        self.cases.append(case)
        return case

    def write(self, outdir):
        os.makedirs(outdir, exist_ok=True)
        path = os.path.join(outdir, self.fname)
        lines = [json.dumps(c, separators=(",", ":"), allow_nan=False)
                 for c in self.cases]
        with open(path, "w") as f:
            f.write('{"mlx_version":"%s","cases":[\n' % MLX_VERSION)
            f.write(",\n".join(lines))
            f.write("\n]}\n")
        return path, len(self.cases)


if __name__ == "__main__" and "--worker" in sys.argv:
    if "--ops" in sys.argv:
        import importlib
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        EXTRA_APPLY = importlib.import_module(
            sys.argv[sys.argv.index("--ops") + 1]).apply_op
    worker_loop()


def write_family(ops_module, fname, generators, reseed, outdir):
    """Runs each generator (after `reseed(generator.__name__)`) into one Family written to
    `outdir/fname`, and reports the case count and any MLX crashes."""
    runner = Runner(ops_module=ops_module)
    fam = Family(runner, fname)
    for gen in generators:
        reseed(gen.__name__)
        gen(fam)
    path, n = fam.write(outdir)
    nerr = sum(1 for c in fam.cases if "error" in c)
    runner.close()
    root = os.path.abspath(os.path.join(outdir, "..", "..", ".."))
    print(f"{os.path.relpath(path, root)}: {n} cases ({nerr} errors), {os.path.getsize(path)} bytes")
    for name, case, rc in runner.crashes:
        print(f"  crashed: {name}: {case} (exit {rc})")
