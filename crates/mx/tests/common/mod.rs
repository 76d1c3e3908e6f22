//! Reading golden cases written by `scripts/golden/*.py` from real MLX, and comparing results.

#![allow(dead_code)]

use mx::{Array, Dtype, Operand, Scalar};
use serde_json::Value;
use std::path::PathBuf;

/// One golden case.
pub struct Case {
    pub name: String,
    pub op: String,
    pub args: Vec<Value>,
    pub kwargs: serde_json::Map<String, Value>,
    pub raw: Value,
}

impl Case {
    pub fn kw(&self, key: &str) -> &Value {
        self.kwargs.get(key).unwrap_or(&Value::Null)
    }
    pub fn is_error(&self) -> bool {
        self.raw.get("error").is_some()
    }
    pub fn is_ub(&self) -> bool {
        self.name.ends_with("_ub")
    }
}

pub fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden")
}

pub fn load(family: &str) -> Vec<Case> {
    let path = golden_dir().join(family);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text).expect("valid JSON");
    json["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| Case {
            name: c["name"].as_str().unwrap_or_default().to_string(),
            op: c["op"].as_str().unwrap_or_default().to_string(),
            args: c["args"].as_array().cloned().unwrap_or_default(),
            kwargs: c["kwargs"].as_object().cloned().unwrap_or_default(),
            raw: c.clone(),
        })
        .collect()
}

pub fn dtype(v: &Value) -> Dtype {
    Dtype::from_name(v.as_str().expect("dtype name")).expect("known dtype")
}

pub fn opt_dtype(v: &Value) -> Option<Dtype> {
    v.as_str()
        .map(|s| Dtype::from_name(s).expect("known dtype"))
}

/// A JSON value as a scalar ("nan"/"inf" strings, [re, im] pairs).
pub fn scalar(v: &Value) -> Scalar {
    match v {
        Value::Bool(b) => Scalar::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Scalar::Int(i)
            } else if let Some(u) = n.as_u64() {
                Scalar::UInt(u)
            } else {
                Scalar::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => Scalar::Float(match s.as_str() {
            "nan" => f64::NAN,
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            other => other.parse().unwrap_or(f64::NAN),
        }),
        Value::Array(pair) => Scalar::Complex(scalar(&pair[0]).to_f64(), scalar(&pair[1]).to_f64()),
        Value::Null | Value::Object(_) => panic!("not a scalar: {v}"),
    }
}

/// A weak scalar argument: ints stay ints even when written as JSON floats only if integral JSON.
pub fn weak_scalar(v: &Value) -> Scalar {
    match v {
        Value::Number(n) if n.is_f64() => Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
        other => scalar(other),
    }
}

pub fn f64_of(v: &Value) -> f64 {
    scalar(v).to_f64()
}

fn build(dtype: Dtype, shape: &[usize], values: &[Scalar]) -> Array {
    mx::dispatch_dtype!(dtype, T => {
        let data: Vec<T> = values.iter().map(|s| s.cast::<T>()).collect();
        Array::from_slice(&data, shape).expect("golden input")
    })
}

/// Builds an array argument, applying its view.
pub fn array(v: &Value) -> Array {
    if v["kind"] == "scalar" {
        let s = weak_scalar(&v["value"]);
        return Array::scalar_of(s, s.default_dtype()).expect("scalar arg");
    }
    if v["kind"] == "arange" {
        let n = v["n"].as_i64().unwrap_or(0);
        let shape: Vec<isize> = shape_of(&v["shape"]).iter().map(|&d| d as isize).collect();
        return mx::arange(0, n, 1, None)
            .and_then(|a| a.reshape(&shape))
            .and_then(|a| a.astype(dtype(&v["dtype"])))
            .expect("arange arg");
    }
    let dt = dtype(&v["dtype"]);
    let shape = shape_of(&v["shape"]);
    let values: Vec<Scalar> = v["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(scalar)
        .collect();
    let base = build(dt, &shape, &values);
    match v["view"].as_str() {
        None => base,
        Some("transpose") => base.transpose(None).expect("transpose view"),
        Some("flip0") => base
            .slice(&[mx::Slice::new(None, None, -1)])
            .expect("flip view"),
        Some("step2") => base
            .slice(&[mx::Slice::new(None, None, 2)])
            .expect("step view"),
        Some(other) => panic!("unknown view {other}"),
    }
}

/// An argument as an operand: arrays or weak scalars.
pub fn operand(v: &Value) -> Operand<'static> {
    match v["kind"].as_str() {
        Some("scalar") => Operand::Scalar(weak_scalar(&v["value"])),
        _ => Operand::Owned(array(v)),
    }
}

/// An `axis`/`axes` kwarg: null, one int, or a list.
pub fn axes(v: &Value) -> Option<Vec<isize>> {
    match v {
        Value::Null => None,
        Value::Number(n) => Some(vec![n.as_i64().unwrap_or(0) as isize]),
        Value::Array(list) => Some(
            list.iter()
                .map(|x| x.as_i64().unwrap_or(0) as isize)
                .collect(),
        ),
        _ => panic!("bad axes {v}"),
    }
}

pub fn shape_of(v: &Value) -> Vec<usize> {
    v.as_array()
        .map(|a| a.iter().map(|d| d.as_u64().unwrap_or(0) as usize).collect())
        .unwrap_or_default()
}

/// Tolerance class of a case's op.
#[derive(Clone, Copy, PartialEq)]
pub enum Tolerance {
    /// Bit-exact up to NaN equality and the sign of zero.
    Exact,
    /// Transcendental ops: relative tolerance by dtype.
    Approx,
}

fn close(got: Scalar, want: Scalar, dtype: Dtype, tol: Tolerance) -> bool {
    match (got, want) {
        (Scalar::Complex(gr, gi), Scalar::Complex(wr, wi)) => {
            close(Scalar::Float(gr), Scalar::Float(wr), Dtype::Float32, tol)
                && close(Scalar::Float(gi), Scalar::Float(wi), Dtype::Float32, tol)
        }
        (Scalar::Float(g), Scalar::Float(w)) => {
            if g.is_nan() || w.is_nan() {
                return g.is_nan() && w.is_nan();
            }
            // Goldens print floats with 16 significant digits: compare at the dtype's precision.
            let w = Scalar::Float(w).through(dtype).to_f64();
            if g == w {
                return true;
            }
            if tol == Tolerance::Exact {
                return dtype == Dtype::Float64 && (g - w).abs() <= 4e-16 * w.abs();
            }
            let (rtol, atol) = match dtype {
                Dtype::Float16 => (2e-3, 1e-4),
                Dtype::Bfloat16 => (1.6e-2, 1e-3),
                _ => (2e-4, 1e-6),
            };
            if g.is_infinite() || w.is_infinite() {
                return false;
            }
            (g - w).abs() <= atol + rtol * w.abs()
        }
        (g, w) => g == w || (g.to_f64() == w.to_f64() && !matches!(g, Scalar::Float(_))),
    }
}

/// Compares an output with its expected JSON; returns a description of the mismatch.
pub fn compare(
    got: &Array,
    want: &Value,
    tol: Tolerance,
    check_values: bool,
) -> Result<(), String> {
    let want_dtype = dtype(&want["dtype"]);
    if got.dtype() != want_dtype {
        return Err(format!("dtype {} != {}", got.dtype(), want_dtype));
    }
    let want_shape = shape_of(&want["shape"]);
    if got.shape() != want_shape.as_slice() {
        return Err(format!("shape {:?} != {:?}", got.shape(), want_shape));
    }
    if !check_values {
        return got.eval().map_err(|e| e.to_string());
    }
    let got_values: Vec<Scalar> = mx::dispatch_dtype!(got.dtype(), T => {
        got.to_vec::<T>().map_err(|e| e.to_string())?.into_iter().map(mx::Element::to_scalar).collect()
    });
    let want_values: Vec<Scalar> = want["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(scalar)
        .collect();
    for (i, (g, w)) in got_values.iter().zip(&want_values).enumerate() {
        let w = w.cast_like(*g);
        if !close(*g, w, want_dtype, tol) {
            return Err(format!("element {i}: got {g:?}, want {w:?}"));
        }
    }
    Ok(())
}

trait CastLike {
    fn cast_like(self, other: Scalar) -> Scalar;
}

impl CastLike for Scalar {
    /// Expected values decode as Int/Float by JSON form; align them with the output's kind.
    fn cast_like(self, other: Scalar) -> Scalar {
        match (self, other) {
            (Scalar::Int(i), Scalar::Float(_)) => Scalar::Float(i as f64),
            (Scalar::Int(i), Scalar::UInt(_)) => Scalar::UInt(i as u64),
            (Scalar::UInt(u), Scalar::Float(_)) => Scalar::Float(u as f64),
            (Scalar::Float(f), Scalar::Int(_)) if f.fract() == 0.0 => Scalar::Int(f as i64),
            (s, _) => s,
        }
    }
}

/// Runs every case through `run`, checks errors and values, and fails with a summary.
pub fn check_family(
    family: &str,
    skip: &dyn Fn(&Case) -> Option<&'static str>,
    tolerance: &dyn Fn(&Case) -> Tolerance,
    run: &dyn Fn(&Case) -> mx::Result<Vec<Array>>,
) {
    let cases = load(family);
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut skipped = 0;
    for case in &cases {
        if let Some(_reason) = skip(case) {
            skipped += 1;
            continue;
        }
        checked += 1;
        let result = run(case).and_then(|outs| {
            mx::eval(&outs.iter().collect::<Vec<_>>())?;
            Ok(outs)
        });
        match (result, case.is_error()) {
            (Err(_), true) => {}
            (Ok(_), true) => failures.push(format!(
                "{}: expected an error ({})",
                case.name, case.raw["error"]
            )),
            (Err(e), false) => failures.push(format!("{}: unexpected error: {e}", case.name)),
            (Ok(outs), false) => {
                let expected: Vec<Value> = match &case.raw["expect"] {
                    Value::Array(list) => list.clone(),
                    single => vec![single.clone()],
                };
                for (got, want) in outs.iter().zip(&expected) {
                    if let Err(msg) = compare(got, want, tolerance(case), !case.is_ub()) {
                        failures.push(format!("{}: {msg}", case.name));
                    }
                }
            }
        }
    }
    println!(
        "{family}: {checked} cases checked, {skipped} skipped, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} golden cases failed:\n{}",
        failures.len(),
        failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Every error case of `family` (except those `skip` names) fails with MLX's message, word
/// for word, when its outputs are built or evaluated.
pub fn check_error_messages(
    family: &str,
    skip: &dyn Fn(&Case) -> Option<&'static str>,
    run: &dyn Fn(&Case) -> mx::Result<Vec<Array>>,
) {
    for case in load(family)
        .iter()
        .filter(|c| c.is_error() && skip(c).is_none())
    {
        let want = case.raw["error"].as_str().unwrap_or_default();
        match run(case).and_then(|outs| {
            mx::eval(&outs.iter().collect::<Vec<_>>())?;
            Ok(outs)
        }) {
            Err(e) => assert_eq!(e.message(), want, "{}", case.name),
            Ok(_) => panic!("{}: expected the error {want}", case.name),
        }
    }
}
