//! `scaled_dot_product_attention`: softmax(q·kᵀ·scale + mask)·v per head in one fused op,
//! with grouped-query heads, causal, boolean or additive masks, and attention sinks.

use crate::dtype::{result_type, Dtype, Scalar};
use crate::error::{shape_str, Error, Result};
use crate::ops::{arange, concatenate, greater_equal, matmul, multiply, softmax, where_, Slice};
use crate::primitive::{AttentionMask, FastOp, Primitive};
use crate::Array;

/// The mask of [`scaled_dot_product_attention`].
#[derive(Clone, Copy)]
pub enum Mask<'a> {
    /// No mask.
    None,
    /// Query `i` of `L` sees keys `0..=i + S - L` of `S` (aligned to the end).
    Causal,
    /// A boolean array (true keeps a score) or an additive one, broadcastable to
    /// `[B, Hq, L, S]`.
    Array(&'a Array),
}

const NAME: &str = "[scaled_dot_product_attention]";

fn invalid(message: String) -> Error {
    Error::InvalidArgument(format!("{NAME} {message}"))
}

/// Attention of queries `q` (`[B, Hq, L, D]`) over keys `k` (`[B, Hkv, S, D]`) and
/// values `v` (`[B, Hkv, S, Dv]`): `softmax(scale · q·kᵀ + mask) · v`, with query head
/// `h` reading key/value head `h / (Hq / Hkv)` (grouped-query and multi-query attention).
///
/// The softmax is float32; scores and probabilities round to the inputs' dtype as in
/// MLX. `sinks` (`[Hq]`) adds one unscaled logit per head to each softmax, which takes
/// part in the normalisation but has no value. A row whose keys are all masked by a
/// boolean or causal mask averages the values, as MLX's does.
///
/// ```
/// use mx_core::{fast, fast::Mask, ones, Dtype};
/// let q = ones(&[1, 2, 3, 8], Dtype::Float32).unwrap();
/// let kv = ones(&[1, 1, 5, 8], Dtype::Float32).unwrap();
/// let out = fast::scaled_dot_product_attention(&q, &kv, &kv, 0.35, Mask::Causal, None).unwrap();
/// assert_eq!(out.shape(), &[1, 2, 3, 8]);
/// ```
pub fn scaled_dot_product_attention(
    q: &Array,
    k: &Array,
    v: &Array,
    scale: f32,
    mask: Mask,
    sinks: Option<&Array>,
) -> Result<Array> {
    for input in [q, k, v] {
        if input.ndim() != 4 {
            return Err(invalid(format!(
                "input with shape {} expected to be rank 4",
                shape_str(input.shape())
            )));
        }
    }
    if let Mask::Array(m) = mask {
        if m.ndim() > 4 {
            return Err(invalid(format!(
                "the mask with shape {} expected to have at most rank 4.",
                shape_str(m.shape())
            )));
        }
    }
    let (batch, heads, queries, depth) = (q.shape()[0], q.shape()[1], q.shape()[2], q.shape()[3]);
    for input in [k, v] {
        if input.shape()[0] != batch {
            return Err(invalid(format!(
                "mismatching batch dimension for input with shape {}.",
                shape_str(input.shape())
            )));
        }
    }
    if k.shape()[3] != depth {
        return Err(invalid(format!(
            "query, keys expected to have matching last dimension; found query shape {} for keys shape {}.",
            shape_str(q.shape()),
            shape_str(k.shape())
        )));
    }
    let kv_heads = k.shape()[1];
    if v.shape()[1] != kv_heads {
        return Err(invalid(format!(
            "keys, values expected to have matching n_kv_heads; found keys with n_heads {kv_heads} for values with n_heads {}.",
            v.shape()[1]
        )));
    }
    if kv_heads == 0 || !heads.is_multiple_of(kv_heads) {
        return Err(invalid(format!(
            "n_heads must be a multiple of n_kv_heads, found n_heads {heads} for n_kv_heads {kv_heads}."
        )));
    }
    let dtype = result_type(result_type(q.dtype(), k.dtype()), v.dtype());
    if !dtype.is_floating() {
        return Err(Error::Dtype(format!(
            "{NAME} Received unsupported type {dtype}."
        )));
    }
    let keys = k.shape()[2];
    let scores_shape = [batch, heads, queries, keys];
    let (mask_kind, mask_input) = match mask {
        Mask::None => (AttentionMask::None, None),
        Mask::Causal => (AttentionMask::Causal, None),
        Mask::Array(m) if m.dtype() == Dtype::Bool => {
            (AttentionMask::Keep, Some(m.broadcast_to(&scores_shape)?))
        }
        Mask::Array(m) => {
            if result_type(m.dtype(), dtype) != dtype {
                return Err(Error::Dtype(format!(
                    "{NAME} Mask type must promote to output type {dtype}."
                )));
            }
            let additive = m.astype(dtype)?.broadcast_to(&scores_shape)?;
            (AttentionMask::Additive, Some(additive))
        }
    };
    let sinks = sinks
        .map(|s| {
            if result_type(s.dtype(), dtype) != dtype {
                return Err(Error::Dtype(format!(
                    "{NAME} Type of sinks must promote to output type {dtype}."
                )));
            }
            if s.shape() != [heads] {
                return Err(invalid(format!(
                    "Received invalid shape for sinks {}.",
                    shape_str(s.shape())
                )));
            }
            s.astype(dtype)?.contiguous()
        })
        .transpose()?;
    if v.shape()[2] != keys {
        let (scores, values) = if heads == kv_heads {
            (scores_shape.to_vec(), v.shape().to_vec())
        } else {
            let repeats = heads / kv_heads;
            let (values, depth_v) = (v.shape()[2], v.shape()[3]);
            (
                vec![batch, kv_heads, repeats, queries, keys],
                vec![batch, kv_heads, 1, values, depth_v],
            )
        };
        return Err(Error::InvalidArgument(format!(
            "[matmul] Last dimension of first input with shape {} must match second to last dimension of second input with shape {}.",
            shape_str(&scores),
            shape_str(&values)
        )));
    }
    let mut inputs = vec![
        q.astype(dtype)?.contiguous()?,
        k.astype(dtype)?.contiguous()?,
        v.astype(dtype)?.contiguous()?,
    ];
    inputs.extend(mask_input);
    inputs.extend(sinks.clone());
    let op = FastOp::Sdpa {
        scale,
        mask: mask_kind,
        sinks: sinks.is_some(),
    };
    // float64 keeps its precision through the composition; the kernel computes in float32.
    if dtype == Dtype::Float64 {
        return reference(&op, &inputs);
    }
    let out_shape = vec![batch, heads, queries, v.shape()[3]];
    Array::from_op(out_shape, dtype, Primitive::Fast(op), inputs)
}

/// The most negative finite value of a float dtype: what a masked score becomes.
pub(crate) fn lowest(dtype: Dtype) -> f64 {
    match dtype {
        Dtype::Float16 => -65504.0,
        Dtype::Bfloat16 => -3.389_531_389_251_535_5e38,
        Dtype::Float64 => f64::MIN,
        _ => f64::from(f32::MIN),
    }
}

/// The composition of ordinary ops an attention node stands for (MLX's fallback): its
/// transform rules are this function's.
pub(crate) fn reference(op: &FastOp, inputs: &[Array]) -> Result<Array> {
    let FastOp::Sdpa { scale, mask, sinks } = *op else {
        return Err(invalid("not an attention node.".into()));
    };
    let (q, k, v) = (&inputs[0], &inputs[1], &inputs[2]);
    let dtype = q.dtype();
    let (batch, heads, queries, _) = (q.shape()[0], q.shape()[1], q.shape()[2], q.shape()[3]);
    let (kv_heads, keys) = (k.shape()[1], k.shape()[2]);
    let repeats = heads / kv_heads;
    let mut q = multiply(&Array::scalar_of(Scalar::Float(scale.into()), dtype)?, q)?;
    let (mut k, mut v) = (k.clone(), v.clone());
    // Grouped heads: query head h reads key head h / repeats.
    if repeats > 1 {
        q = q.reshape(&[
            batch as isize,
            kv_heads as isize,
            repeats as isize,
            queries as isize,
            -1,
        ])?;
        k = k.expand_dims(&[2])?;
        v = v.expand_dims(&[2])?;
    }
    let grouped = |a: &Array| -> Result<Array> {
        if repeats > 1 {
            let shape = [batch, kv_heads, repeats, queries, a.shape()[3]];
            a.reshape(&shape.map(|d| d as isize))
        } else {
            Ok(a.clone())
        }
    };
    let mut scores = matmul(&q, &k.swapaxes(-1, -2)?)?;
    let lowest = Array::scalar_of(Scalar::Float(lowest(dtype)), dtype)?;
    let mut next = 3;
    match mask {
        AttentionMask::None => {}
        AttentionMask::Causal => {
            let shift = keys as i64 - queries as i64;
            let rows = arange(shift, queries as i64 + shift, 1, None)?.expand_dims(&[-1])?;
            let columns = arange(0, keys as i64, 1, None)?;
            let keep = greater_equal(&rows, &columns)?;
            scores = where_(&keep, &scores, &lowest)?;
        }
        AttentionMask::Keep => {
            scores = where_(&grouped(&inputs[next])?, &scores, &lowest)?;
            next += 1;
        }
        AttentionMask::Additive => {
            scores = crate::ops::add(&scores, &grouped(&inputs[next])?)?;
            next += 1;
        }
    }
    let probabilities = if sinks {
        let sink = inputs[next]
            .reshape(&[1, heads as isize, 1, 1])?
            .broadcast_to(&[batch, heads, queries, 1])?;
        let sink = grouped(&sink)?;
        let joined = concatenate(&[&sink, &scores], Some(-1))?;
        let mut slices = vec![Slice::FULL; joined.ndim() - 1];
        slices.push(Slice::new(Some(1), None, 1));
        softmax(&joined, Some(&[-1]), true)?.slice(&slices)?
    } else {
        softmax(&scores, Some(&[-1]), true)?
    };
    let out = matmul(&probabilities, &v)?;
    if repeats > 1 {
        let depth_v = out.shape()[4] as isize;
        return out.reshape(&[batch as isize, heads as isize, queries as isize, depth_v]);
    }
    Ok(out)
}
