//! Quantization checked against golden data from MLX 0.32.4
//! (`scripts/golden/gen_quantized.py`): codes, scales and biases bit for bit, products to
//! rounding, and error messages word for word.

mod common;

use common::{array, check_error_messages, check_family, Case, Tolerance};
use mx::{Array, Dtype, GatherIndices, QuantizationMode, QuantizationParams, Result};

fn optional(case: &Case, i: usize) -> Option<Array> {
    case.args.get(i).filter(|v| !v.is_null()).map(array)
}

fn params(case: &Case) -> QuantizationParams {
    let mode = QuantizationMode::parse(case.kw("mode").as_str().unwrap_or("affine"), "test")
        .expect("a valid mode");
    QuantizationParams {
        mode,
        group_size: case.kw("group_size").as_u64().map(|v| v as usize),
        bits: case.kw("bits").as_u64().map(|v| v as usize),
    }
}

fn dtype(name: &str) -> Dtype {
    match name {
        "float16" => Dtype::Float16,
        "bfloat16" => Dtype::Bfloat16,
        "int32" => Dtype::Int32,
        _ => Dtype::Float32,
    }
}

fn run(case: &Case) -> Result<Vec<Array>> {
    let a = |i: usize| array(&case.args[i]);
    let params = params(case);
    let transpose = case.kw("transpose").as_bool().unwrap_or(true);
    Ok(match case.op.as_str() {
        "quantize" => {
            let q = mx::quantize(&a(0), &params, optional(case, 1).as_ref())?;
            let mut outs = vec![q.weights, q.scales];
            outs.extend(q.biases);
            outs
        }
        "dequantize" => vec![mx::dequantize(
            &a(0),
            &a(1),
            optional(case, 2).as_ref(),
            &params,
            optional(case, 3).as_ref(),
            case.kw("dtype").as_str().map(dtype),
        )?],
        "quantized_matmul" => vec![mx::quantized_matmul(
            &a(0),
            &a(1),
            &a(2),
            optional(case, 3).as_ref(),
            transpose,
            &params,
        )?],
        "gather_qmm" => {
            let (lhs, rhs) = (optional(case, 4), optional(case, 5));
            let indices = GatherIndices {
                lhs: lhs.as_ref(),
                rhs: rhs.as_ref(),
            };
            vec![mx::gather_qmm(
                &a(0),
                &a(1),
                &a(2),
                optional(case, 3).as_ref(),
                indices,
                transpose,
                &params,
            )?]
        }
        "to_fp8" => vec![mx::to_fp8(&a(0))?],
        "from_fp8" => vec![mx::from_fp8(
            &a(0),
            dtype(case.kw("dtype").as_str().unwrap_or("")),
        )?],
        other => panic!("{}: unknown op {other}", case.name),
    })
}

/// Quantizers and conversions are bit-exact; products sum in a different order.
fn tolerance(case: &Case) -> Tolerance {
    match case.op.as_str() {
        "quantized_matmul" | "gather_qmm" => Tolerance::Approx,
        _ => Tolerance::Exact,
    }
}

#[test]
fn quantization_matches_mlx() {
    check_family("ops/quantized.json", &|_| None, &tolerance, &run);
}

#[test]
fn quantization_errors_read_as_mlx() {
    check_error_messages("ops/quantized.json", &|_| None, &run);
}
