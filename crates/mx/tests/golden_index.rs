//! Indexing checked against golden data from MLX 0.32.4 (`scripts/golden/gen_index.py`),
//! plus mx's own out-of-range errors (undefined behaviour in MLX).

mod common;

use common::{array, check_family, operand, Case, Tolerance};
use mx::{Array, Index, Result, Slice};
use serde_json::Value;

fn opt_int(v: &Value) -> Option<isize> {
    v.as_i64().map(|i| i as isize)
}

fn item(v: &Value, args: &[Value]) -> Index {
    match v["kind"].as_str() {
        Some("slice") => Index::Slice(Slice::new(
            opt_int(&v["start"]),
            opt_int(&v["stop"]),
            opt_int(&v["step"]).unwrap_or(1),
        )),
        Some("int") => Index::Int(v["value"].as_i64().unwrap_or(0) as isize),
        Some("array") => Index::Array(array(&args[v["arg"].as_u64().unwrap_or(0) as usize])),
        Some("none") => Index::NewAxis,
        Some("ellipsis") => Index::Ellipsis,
        other => panic!("unknown index item {other:?}"),
    }
}

fn items(case: &Case) -> Vec<Index> {
    match case.kw("index") {
        Value::Array(list) => list.iter().map(|v| item(v, &case.args)).collect(),
        single => vec![item(single, &case.args)],
    }
}

fn axis(case: &Case) -> Option<isize> {
    opt_int(case.kw("axis"))
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .map(|l| l.iter().map(|d| d.as_u64().unwrap_or(0) as usize).collect())
        .unwrap_or_default()
}

fn isizes(v: &Value) -> Vec<isize> {
    v.as_array()
        .map(|l| l.iter().map(|d| d.as_i64().unwrap_or(0) as isize).collect())
        .unwrap_or_default()
}

fn run(case: &Case) -> Result<Vec<Array>> {
    let arg = |i: usize| array(&case.args[i]);
    let update = || operand(&case.args[case.kw("update").as_u64().unwrap_or(0) as usize]);
    let out = match case.op.as_str() {
        "take" => match case.args[1]["kind"].as_str() {
            Some("scalar") => {
                let v = &case.args[1]["value"];
                let i = Array::from_scalar(
                    v.as_i64().unwrap_or(v.as_bool().map_or(0, i64::from)) as i32
                )?;
                mx::take(&arg(0), &i, axis(case))?
            }
            _ => mx::take(&arg(0), &arg(1), axis(case))?,
        },
        "take_along_axis" => mx::take_along_axis(&arg(0), &arg(1), axis(case))?,
        "put_along_axis" => mx::put_along_axis(&arg(0), &arg(1), &arg(2), axis(case))?,
        "slice" if isizes(case.kw("slice_size")).iter().any(|&d| d < 0) => {
            return Err(mx::Error::InvalidArgument(
                "negative dimensions are not allowed".into(),
            ))
        }
        "slice" => mx::slice_dynamic(
            &arg(0),
            &arg(1),
            &isizes(case.kw("axes")),
            &usizes(case.kw("slice_size")),
        )?,
        "slice_update" => mx::slice_update(&arg(0), &arg(1), &arg(2), &isizes(case.kw("axes")))?,
        "getitem" => arg(0).index(&items(case))?,
        "setitem" => arg(0).index_set(&items(case), update())?,
        "at_add" => arg(0).at(&items(case)).add(update())?,
        "at_subtract" => arg(0).at(&items(case)).subtract(update())?,
        "at_multiply" => arg(0).at(&items(case)).multiply(update())?,
        "at_divide" => arg(0).at(&items(case)).divide(update())?,
        "at_maximum" => arg(0).at(&items(case)).maximum(update())?,
        "at_minimum" => arg(0).at(&items(case)).minimum(update())?,
        other => panic!("{}: unknown op {other}", case.name),
    };
    Ok(vec![out])
}

fn tolerance(case: &Case) -> Tolerance {
    if case.op == "at_divide" {
        Tolerance::Approx
    } else {
        Tolerance::Exact
    }
}

/// Cases where mx deliberately differs from MLX; each is listed in docs/api.md.
fn deviations(case: &Case) -> Option<&'static str> {
    if case.name.ends_with("_bug") {
        return Some("MLX errors where NumPy (and mx) give a result");
    }
    if case.name.contains("_mask_") && case.op != "setitem" {
        return Some("MLX raises an untranslated SystemError for masks outside a bare setitem");
    }
    if case.op == "at_divide"
        && ["_t_empty", "_t_none", "_t_ell_none"]
            .iter()
            .any(|t| case.name.contains(t))
    {
        return Some("MLX scatters x.at[()] / x.at[None] divisions in x's dtype; mx divides with promotion as for x.at[...]");
    }
    None
}

#[test]
fn indexing_matches_mlx() {
    check_family("ops/index.json", &deviations, &tolerance, &run);
}

fn message(result: Result<Array>) -> String {
    match result.and_then(|a| a.eval().map(|_| a)) {
        Ok(_) => panic!("expected an out-of-range error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn out_of_range_indices_are_errors_naming_op_axis_index_and_bound() {
    let x = mx::arange(0, 12, 1, None)
        .unwrap()
        .reshape(&[3, 4])
        .unwrap();
    let bad = mx::array![0, 5];
    let msg = message(mx::take(&x, &bad, Some(1)));
    assert!(
        msg.contains("gather")
            && msg.contains("axis 1")
            && msg.contains('5')
            && msg.contains("size 4"),
        "{msg}"
    );
    let msg = message(x.index(&mx::idx![&mx::array![-4]]));
    assert!(
        msg.contains("-4") && msg.contains("axis 0") && msg.contains("size 3"),
        "{msg}"
    );
    let msg = message(x.at(&mx::idx![&mx::array![3]]).add(1));
    assert!(
        msg.contains("scatter") && msg.contains("axis 0") && msg.contains("size 3"),
        "{msg}"
    );
    let msg = message(mx::put_along_axis(
        &x,
        &mx::array![[7]],
        &mx::array![[1]],
        Some(1),
    ));
    assert!(msg.contains("scatter") && msg.contains('7'), "{msg}");
    let start = mx::array![2];
    let msg = message(mx::slice_dynamic(&x, &start, &[0], &[2, 4]));
    assert!(msg.contains("gather") && msg.contains("size 3"), "{msg}");
    // The source array is untouched and still usable after a failed scatter.
    assert_eq!(mx::sum(&x, None, false).unwrap().item::<i32>().unwrap(), 66);
}
