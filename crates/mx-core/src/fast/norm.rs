//! `rms_norm` and `layer_norm`: one fused pass per row over the last axis, with the
//! statistics in float32, as MLX computes them.

use crate::dtype::{result_type, Dtype};
use crate::error::{Error, Result};
use crate::ops::{add, mean, multiply, rsqrt, square, subtract};
use crate::primitive::{FastOp, Primitive};
use crate::Array;

/// Root-mean-square normalisation over the last axis:
/// `x * rsqrt(mean(x², -1) + eps)`, rounded to the output dtype, times `weight`.
///
/// The statistics are float32 whatever the input. The output dtype is
/// `result_type(x, weight)` (or `x`'s without a weight) and must be a float.
///
/// ```
/// use mx_core::{array, fast};
/// let y = fast::rms_norm(&array![[3.0, 4.0]], Some(&array![1.0, 2.0]), 0.0).unwrap();
/// let v = y.to_vec::<f32>().unwrap();
/// assert!((v[0] - 0.848_528).abs() < 1e-5 && (v[1] - 2.262_742).abs() < 1e-5);
/// ```
pub fn rms_norm(x: &Array, weight: Option<&Array>, eps: f32) -> Result<Array> {
    const NAME: &str = "rms_norm";
    at_least_1d(x, NAME)?;
    if let Some(w) = weight {
        check_vector(w, x, NAME, "(*weight)")?;
    }
    let out_dtype = match weight {
        Some(w) => result_type(x.dtype(), w.dtype()),
        None => x.dtype(),
    };
    float_output(out_dtype, NAME)?;
    let op = FastOp::RmsNorm { eps };
    let extras: Vec<Array> = weight
        .map(|w| w.astype(out_dtype)?.contiguous())
        .transpose()?
        .into_iter()
        .collect();
    norm(op, x, extras, out_dtype)
}

/// Layer normalisation over the last axis: `(x - mean) * rsqrt(var + eps)`, rounded to
/// the output dtype, then times `weight` and plus `bias` where given.
///
/// The statistics are float32 (two passes, so large offsets do not cancel). The output
/// dtype is `result_type(x, weight, bias)` with a weight, and `x`'s without one.
///
/// ```
/// use mx_core::{array, fast};
/// let y = fast::layer_norm(&array![[1.0, 3.0]], None, Some(&array![0.5, 0.5]), 0.0).unwrap();
/// assert_eq!(y.to_vec::<f32>().unwrap(), vec![-0.5, 1.5]);
/// ```
pub fn layer_norm(
    x: &Array,
    weight: Option<&Array>,
    bias: Option<&Array>,
    eps: f32,
) -> Result<Array> {
    const NAME: &str = "layer_norm";
    at_least_1d(x, NAME)?;
    if let Some(w) = weight {
        check_vector(w, x, NAME, "weight")?;
    }
    if let Some(b) = bias {
        check_vector(b, x, NAME, "bias")?;
    }
    let out_dtype = match (weight, bias) {
        (Some(w), Some(b)) => result_type(result_type(x.dtype(), w.dtype()), b.dtype()),
        (Some(w), None) => result_type(x.dtype(), w.dtype()),
        (None, _) => x.dtype(),
    };
    float_output(out_dtype, NAME)?;
    let op = FastOp::LayerNorm {
        eps,
        weight: weight.is_some(),
        bias: bias.is_some(),
    };
    let extras = [weight, bias]
        .into_iter()
        .flatten()
        .map(|v| v.astype(out_dtype)?.contiguous())
        .collect::<Result<Vec<_>>>()?;
    norm(op, x, extras, out_dtype)
}

/// The fused node of a norm, which keeps `x`'s shape. An integer `x` goes to float32
/// directly, as MLX's does (a detour through a half output dtype would round it), so it
/// takes the composed path.
fn norm(op: FastOp, x: &Array, extras: Vec<Array>, out_dtype: Dtype) -> Result<Array> {
    if !x.dtype().is_inexact() {
        return compose(&op, x, &extras, out_dtype);
    }
    let mut inputs = vec![x.astype(out_dtype)?.contiguous()?];
    inputs.extend(extras);
    Array::from_op(x.shape().to_vec(), out_dtype, Primitive::Fast(op), inputs)
}

fn at_least_1d(x: &Array, name: &str) -> Result<()> {
    if x.ndim() == 0 {
        return Err(Error::InvalidArgument(format!(
            "[{name}] Input must have at least 1 dimension but got input with 0 dimensions."
        )));
    }
    Ok(())
}

/// A weight or bias must be a vector as long as `x`'s last axis.
fn check_vector(v: &Array, x: &Array, name: &str, what: &str) -> Result<()> {
    if v.ndim() != 1 {
        return Err(Error::InvalidArgument(format!(
            "[{name}] {what} must have 1 dimension but has {} dimensions.",
            v.ndim()
        )));
    }
    if Some(&v.size()) != x.shape().last() {
        return Err(Error::InvalidArgument(format!(
            "[{name}] {what} must have the same size as the last dimension of x but has {} elements.",
            v.size()
        )));
    }
    Ok(())
}

fn float_output(dtype: Dtype, name: &str) -> Result<()> {
    if !dtype.is_floating() {
        return Err(Error::Dtype(format!(
            "[{name}] Received unsupported type {dtype}."
        )));
    }
    Ok(())
}

/// The composition of ordinary ops a norm node stands for: its transform rules are this
/// function's.
pub(crate) fn reference(op: &FastOp, inputs: &[Array]) -> Result<Array> {
    compose(op, &inputs[0], &inputs[1..], inputs[0].dtype())
}

/// MLX's fallback: the norm of `x` with the weight and bias in `extras`.
fn compose(op: &FastOp, x: &Array, extras: &[Array], out_dtype: Dtype) -> Result<Array> {
    let x = x.astype(Dtype::Float32)?;
    let eps = Array::scalar_of(crate::Scalar::Float(f64::from(op_eps(op))), Dtype::Float32)?;
    let normalised = match op {
        FastOp::LayerNorm { .. } => {
            let centred = subtract(&x, &mean(&x, Some(&[-1]), true)?)?;
            let variance = mean(&square(&centred)?, Some(&[-1]), true)?;
            multiply(&centred, &rsqrt(&add(&variance, &eps)?)?)?
        }
        _ => {
            let mean_square = mean(&square(&x)?, Some(&[-1]), true)?;
            multiply(&x, &rsqrt(&add(&mean_square, &eps)?)?)?
        }
    };
    let mut y = normalised.astype(out_dtype)?;
    let (has_weight, has_bias) = match op {
        FastOp::LayerNorm { weight, bias, .. } => (*weight, *bias),
        _ => (!extras.is_empty(), false),
    };
    if has_weight {
        y = multiply(&y, &extras[0])?;
    }
    if has_bias {
        y = add(&y, &extras[extras.len() - 1])?;
    }
    Ok(y)
}

fn op_eps(op: &FastOp) -> f32 {
    match op {
        FastOp::RmsNorm { eps } | FastOp::LayerNorm { eps, .. } => *eps,
        _ => 0.0,
    }
}
