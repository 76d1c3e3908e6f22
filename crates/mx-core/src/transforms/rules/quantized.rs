//! The rules of the quantization primitives. Gradients reach the float operands only:
//! `x` of a quantized product, and the affine scales and biases; packed codes have none.

use super::super::tape::Step;
use super::super::vmap::Batched;
use super::batch::batch_first;
use super::unbroadcast;
use crate::error::{Error, Result};
use crate::ops::{matmul, multiply, ones_like, sum, zeros_like};
use crate::primitive::{Primitive, QuantizationFormat, QuantizationMode};
use crate::quantized::QuantizationParams;
use crate::{dequantize, quantized_matmul, Array};

fn params(format: QuantizationFormat) -> QuantizationParams {
    QuantizationParams {
        mode: format.mode,
        group_size: Some(format.group_size),
        bits: Some(format.bits),
    }
}

/// `values` (`[.., rows, cols]`) summed over each group of the last axis.
fn group_sums(values: &Array, group_size: usize) -> Result<Array> {
    let nd = values.ndim();
    let mut shape: Vec<isize> = values.shape()[..nd - 1]
        .iter()
        .map(|&d| d as isize)
        .collect();
    shape.push((values.shape()[nd - 1] / group_size) as isize);
    shape.push(group_size as isize);
    sum(&values.reshape(&shape)?, Some(&[-1]), false)
}

/// The codes of packed `w` as floats of `like`'s type (a dequantize with unit scales).
fn codes(w: &Array, scales: &Array, format: QuantizationFormat) -> Result<Array> {
    dequantize(
        w,
        &ones_like(scales)?,
        Some(&zeros_like(scales)?),
        &params(format),
        None,
        None,
    )
}

/// The affine scales' and biases' cotangents from the cotangent `dw` of the dequantized
/// matrix (of `w`'s row layout).
fn affine_parts(
    dw: &Array,
    w: &Array,
    scales: &Array,
    format: QuantizationFormat,
) -> Result<[Array; 2]> {
    let q = codes(w, scales, format)?;
    let grad_scales = group_sums(&multiply(dw, &q)?, format.group_size)?;
    let grad_biases = group_sums(dw, format.group_size)?;
    Ok([
        unbroadcast(&grad_scales, scales.shape())?,
        unbroadcast(&grad_biases, scales.shape())?,
    ])
}

/// The cotangents of a quantized product's inputs `x, w, scales[, biases]`.
pub(crate) fn matmul_vjp(
    format: QuantizationFormat,
    transpose: bool,
    inputs: &[Array],
    ct: &Array,
    needed: &[bool],
) -> Result<Vec<Option<Array>>> {
    let (x, w, scales) = (&inputs[0], &inputs[1], &inputs[2]);
    let biases = inputs.get(3);
    let mut grads = vec![None; inputs.len()];
    if needed[1] {
        return Err(Error::InvalidArgument(
            "[QuantizedMatmul::vjp] no gradient wrt the quantized weights.".into(),
        ));
    }
    if needed[0] {
        let dx = quantized_matmul(ct, w, scales, biases, !transpose, &params(format))?;
        grads[0] = Some(unbroadcast(&dx, x.shape())?);
    }
    if needed[2..].iter().any(|&n| n) {
        if format.mode != QuantizationMode::Affine {
            return Err(Error::InvalidArgument(format!(
                "[QuantizedMatmul::vjp] no gradient wrt scales in {} quantization.",
                format.mode.name()
            )));
        }
        // The dense weight's cotangent, in `w`'s row layout.
        let dw = if transpose {
            matmul(&ct.swapaxes(-1, -2)?, x)?
        } else {
            matmul(&x.swapaxes(-1, -2)?, ct)?
        };
        let [ds, db] = affine_parts(&dw, w, scales, format)?;
        grads[2] = needed[2].then_some(ds);
        if grads.len() > 3 {
            grads[3] = needed[3].then_some(db);
        }
    }
    Ok(grads)
}

/// The cotangents of a dequantize's inputs `w, scales, biases` (affine only).
pub(crate) fn dequantize_vjp(
    format: QuantizationFormat,
    inputs: &[Array],
    ct: &Array,
    needed: &[bool],
) -> Result<Vec<Option<Array>>> {
    let mut grads = vec![None; inputs.len()];
    if format.mode != QuantizationMode::Affine || needed[0] {
        return Err(super::no_rule(&Primitive::Dequantize(format)));
    }
    let dw = ct.astype(inputs[1].dtype())?;
    let [ds, db] = affine_parts(&dw, &inputs[0], &inputs[1], format)?;
    grads[1] = needed[1].then_some(ds);
    grads[2] = needed[2].then_some(db);
    Ok(grads)
}

/// The tangent of a quantized product: only `x` may carry one.
pub(crate) fn matmul_jvp(
    format: QuantizationFormat,
    transpose: bool,
    inputs: &[Array],
    tangents: &[Option<Array>],
) -> Result<Option<Array>> {
    if tangents[1..].iter().any(Option::is_some) {
        return Err(Error::InvalidArgument(
            "[QuantizedMatmul::jvp] No JVP wrt the quantized matrix yet.".into(),
        ));
    }
    tangents[0]
        .as_ref()
        .map(|t| {
            let t = t.astype(inputs[0].dtype())?;
            quantized_matmul(
                &t,
                &inputs[1],
                &inputs[2],
                inputs.get(3),
                transpose,
                &params(format),
            )
        })
        .transpose()
}

/// The batched quantized product: a batch of `x` alone becomes more rows; a batch of the
/// weights becomes a batch axis both sides share.
pub(crate) fn matmul_batch(
    step: &Step,
    format: QuantizationFormat,
    transpose: bool,
    inputs: &[Batched],
    size: usize,
) -> Result<Batched> {
    let x = batch_first(&inputs[0], size)?;
    let weights_batched = inputs[1..].iter().any(|b| b.axis.is_some());
    let params = params(format);
    if !weights_batched {
        let out = quantized_matmul(
            &x,
            &inputs[1].array,
            &inputs[2].array,
            inputs.get(3).map(|b| &b.array),
            transpose,
            &params,
        )?;
        return Ok(Batched {
            array: out,
            axis: Some(0),
        });
    }
    let vector = step.inputs()[0].ndim() == 1;
    let x = if vector { x.expand_dims(&[1])? } else { x };
    let weights: Vec<Array> = inputs[1..]
        .iter()
        .map(|b| batch_first(b, size))
        .collect::<Result<_>>()?;
    // Equal ranks, so the batch axes line up when the product broadcasts them.
    let rank = x.ndim().max(weights[0].ndim());
    let lifted = |a: &Array| -> Result<Array> {
        let missing = rank - a.ndim();
        let axes: Vec<isize> = (1..=missing as isize).collect();
        if axes.is_empty() {
            Ok(a.clone())
        } else {
            a.expand_dims(&axes)
        }
    };
    let x = lifted(&x)?;
    let weights: Vec<Array> = weights.iter().map(lifted).collect::<Result<_>>()?;
    let out = quantized_matmul(
        &x,
        &weights[0],
        &weights[1],
        weights.get(2),
        transpose,
        &params,
    )?;
    let out = if vector {
        out.squeeze(Some(&[-2]))?
    } else {
        out
    };
    let expected = step.op.output_meta[0].0.len() + 1;
    let out = if out.ndim() > expected {
        let extra: Vec<isize> = (1..=(out.ndim() - expected) as isize).collect();
        out.squeeze(Some(&extra))?
    } else {
        out
    };
    Ok(Batched {
        array: out,
        axis: Some(0),
    })
}
