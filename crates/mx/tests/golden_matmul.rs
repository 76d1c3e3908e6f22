//! The matmul family checked against golden data from MLX 0.32.4 (`scripts/golden/gen_matmul.py`).

mod common;

use common::{array, check_family, Case, Tolerance};
use mx::{Array, Result, TensordotAxes};
use serde_json::Value;

fn int_lists(v: &Value) -> Vec<isize> {
    v.as_array()
        .map(|l| l.iter().map(|x| x.as_i64().unwrap_or(0) as isize).collect())
        .unwrap_or_default()
}

fn tensordot_axes(v: &Value) -> Result<TensordotAxes> {
    match v {
        Value::Number(n) => usize::try_from(n.as_i64().unwrap_or(-1))
            .map(TensordotAxes::Count)
            .map_err(|_| mx::Error::InvalidArgument("[tensordot] axes must be >= 0".into())),
        Value::Array(lists) if lists.len() == 2 => Ok(TensordotAxes::Pairs(
            int_lists(&lists[0]),
            int_lists(&lists[1]),
        )),
        _ => Err(mx::Error::InvalidArgument(
            "[tensordot] axes must be a list of two lists.".into(),
        )),
    }
}

fn optional(v: &Value) -> Option<Array> {
    (!v.is_null()).then(|| array(v))
}

fn run(case: &Case) -> Result<Vec<Array>> {
    let arg = |i: usize| array(&case.args[i]);
    let out = match case.op.as_str() {
        "matmul" => mx::matmul(&arg(0), &arg(1))?,
        "addmm" => mx::addmm(
            &arg(0),
            &arg(1),
            &arg(2),
            common::f64_of(case.kw("alpha")),
            common::f64_of(case.kw("beta")),
        )?,
        "inner" => mx::inner(&arg(0), &arg(1))?,
        "outer" => mx::outer(&arg(0), &arg(1))?,
        "tensordot" => mx::tensordot(&arg(0), &arg(1), tensordot_axes(case.kw("axes"))?)?,
        "einsum" => {
            let operands: Vec<Array> = case.args.iter().map(array).collect();
            mx::einsum(
                case.kw("subscripts").as_str().unwrap_or(""),
                &operands.iter().collect::<Vec<_>>(),
            )?
        }
        "einsum_path" => {
            let operands: Vec<Array> = case.args.iter().map(array).collect();
            let refs: Vec<&Array> = operands.iter().collect();
            mx::einsum_path(case.kw("subscripts").as_str().unwrap_or(""), &refs)?;
            return Ok(vec![]);
        }
        "block_masked_mm" => mx::block_masked_mm(
            &arg(0),
            &arg(1),
            case.kw("block_size").as_u64().unwrap_or(0) as usize,
            optional(&case.args[2]).as_ref(),
            optional(&case.args[3]).as_ref(),
            optional(&case.args[4]).as_ref(),
        )?,
        "gather_mm" => mx::gather_mm(
            &arg(0),
            &arg(1),
            optional(&case.args[2]).as_ref(),
            optional(&case.args[3]).as_ref(),
            case.kw("sorted_indices").as_bool().unwrap_or(false),
        )?,
        other => panic!("{}: unknown op {other}", case.name),
    };
    Ok(vec![out])
}

fn tolerance(case: &Case) -> Tolerance {
    if case.name.contains("rand") {
        Tolerance::Approx
    } else {
        Tolerance::Exact
    }
}

/// Cases where mx deliberately differs from MLX; each is listed in docs/api.md.
fn deviations(case: &Case) -> Option<&'static str> {
    if case.name.ends_with("_bug") {
        return Some(
            "MLX zeroes a batch-broadcast operand in place under a bool mask; mx masks per batch",
        );
    }
    if case.name.starts_with("addmm_quirk") {
        return Some(
            "mx broadcasts c against the product shape after removing 1-d axes, as NumPy would",
        );
    }
    if case.name.starts_with("bmm_err_f")
        || case.name.starts_with("gmm_err_f")
        || case.name.starts_with("gmm_err_bf")
        || case.name.starts_with("bmm_err_bf")
    {
        return Some(
            "MLX's CPU block_masked_mm/gather_mm run float32 only; mx runs every real float dtype",
        );
    }
    if case.op == "einsum_path" && !case.is_error() {
        return Some("checked by einsum_path_matches_mlx");
    }
    if case.op == "addmm" && case.name.contains("alpha0") {
        return Some("MLX's half-precision addmm with alpha=0 still multiplies inf/NaN; mx skips the product");
    }
    None
}

#[test]
fn matmul_family_matches_mlx() {
    check_family("ops/matmul.json", &deviations, &tolerance, &run);
}

#[test]
fn einsum_path_matches_mlx() {
    let mut checked = 0;
    for case in common::load("ops/matmul.json") {
        if case.op != "einsum_path" || case.is_error() {
            continue;
        }
        let expected: Value =
            serde_json::from_str(case.raw["expect_str"].as_str().unwrap()).unwrap();
        let operands: Vec<Array> = case.args.iter().map(array).collect();
        let refs: Vec<&Array> = operands.iter().collect();
        let (path, info) = mx::einsum_path(case.kw("subscripts").as_str().unwrap(), &refs).unwrap();
        let want: Vec<Vec<usize>> = serde_json::from_value(expected["path"].clone()).unwrap();
        assert_eq!(path, want, "{}", case.name);
        assert_eq!(info, expected["info"].as_str().unwrap(), "{}", case.name);
        checked += 1;
    }
    assert!(checked >= 12, "{checked}");
}
