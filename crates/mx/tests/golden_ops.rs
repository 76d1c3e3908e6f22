//! Op-library ops checked against golden data from MLX 0.32.4 (`scripts/golden/gen_reduce.py`).

mod common;

use common::{array, axes, check_family, Case, Tolerance};
use mx::{Array, Result};

fn run_reduce(case: &Case) -> Result<Vec<Array>> {
    let x = array(&case.args[0]);
    let axes = axes(case.kw("axis"));
    let axes = axes.as_deref();
    let keepdims = case.kw("keepdims").as_bool().unwrap_or(false);
    let ddof = case.kw("ddof").as_u64().unwrap_or(0) as usize;
    let single_axis = || case.kw("axis").as_i64().map(|a| a as isize);
    let out = match case.op.as_str() {
        "sum" => mx::sum(&x, axes, keepdims)?,
        "prod" => mx::prod(&x, axes, keepdims)?,
        "max" => mx::max(&x, axes, keepdims)?,
        "min" => mx::min(&x, axes, keepdims)?,
        "mean" => mx::mean(&x, axes, keepdims)?,
        "all" => mx::all(&x, axes, keepdims)?,
        "any" => mx::any(&x, axes, keepdims)?,
        "var" => mx::var(&x, axes, keepdims, ddof)?,
        "std" => mx::std(&x, axes, keepdims, ddof)?,
        "argmax" => mx::argmax(&x, single_axis(), keepdims)?,
        "argmin" => mx::argmin(&x, single_axis(), keepdims)?,
        "logsumexp" => mx::logsumexp(&x, axes, keepdims)?,
        "softmax" => mx::softmax(&x, axes, case.kw("precise").as_bool().unwrap_or(false))?,
        other => panic!("{}: unknown op {other}", case.name),
    };
    Ok(vec![out])
}

fn tolerance(case: &Case) -> Tolerance {
    match case.op.as_str() {
        "sum" | "prod" | "max" | "min" | "all" | "any" | "argmax" | "argmin" => {
            let float = case.args[0]["dtype"].as_str().is_some_and(|d| {
                d.starts_with("float") || d.starts_with("bfloat") || d == "complex64"
            });
            if float && matches!(case.op.as_str(), "sum" | "prod") {
                Tolerance::Approx
            } else {
                Tolerance::Exact
            }
        }
        _ => Tolerance::Approx,
    }
}

/// Cases where mx deliberately differs from MLX; each is listed in docs/api.md.
fn deviations(case: &Case) -> Option<&'static str> {
    let dtype = case.args[0]["dtype"].as_str().unwrap_or_default();
    let float = dtype.starts_with("float") || dtype == "bfloat16";
    if case.op == "logsumexp" && (dtype == "bool" || dtype.starts_with("uint")) {
        return Some("MLX shifts bool and unsigned inputs in their own dtype (xor, wrapping); mx computes in float32");
    }
    if dtype == "complex64" && (case.name.contains("c_nan") || case.name.contains("c_inf")) {
        return Some("complex NaN/inf ordering and products in MLX follow std::complex corner cases mx does not copy");
    }
    if case.name.contains("ddofm1") {
        return Some("negative ddof cannot be expressed: mx takes usize");
    }
    if case.raw["error"]
        .as_str()
        .is_some_and(|e| e.contains("std::vector"))
    {
        return Some("an MLX bug (argmax of a 0-d array with keepdims); mx returns the 0-d index");
    }
    if case.op == "softmax" && !float && dtype != "complex64" && !case.is_error() {
        return Some("MLX casts a non-last-axis softmax of integers back to the integer dtype; mx returns float32");
    }
    if (case.op == "var" || case.op == "std") && (dtype == "float16" || dtype == "bfloat16") {
        return Some("half-precision E[x^2]-E[x]^2 cancels; results differ by rounding order");
    }
    None
}

#[test]
fn reductions_match_mlx() {
    check_family("ops/reduce.json", &deviations, &tolerance, &run_reduce);
}
