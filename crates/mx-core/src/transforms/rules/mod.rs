//! The derivative rules of every primitive, for reverse mode (`vjp`) and forward mode
//! (`jvp`). Rules build their results from ordinary ops, so they can be differentiated
//! again: that is what makes `grad(grad(f))` work.

pub(crate) mod batch;
mod conv;
mod elementwise;
mod fast;
mod fft;
mod quantized;
mod reduction;
mod scan;
mod scatter_prod;

use super::custom::CustomRules;
use super::tape::{tracer, Step};
use crate::error::{Error, Result};
use crate::ops::{
    add, broadcast_to, cumsum, equal, floor_divide, gather, hadamard_node, matmul, multiply,
    negative, put_along_axis, scatter, subtract, sum, where_, zeros, zeros_like, ScanOptions,
};
use crate::primitive::{Primitive, ReduceKind, ScanKind, ScatterKind, UnaryOp};
use crate::{Array, Index, Slice};
use elementwise::{binary_partials, unary_derivative};
use reduction::{extreme_share, product_of_others, signed};
use scatter_prod::scatter_prod_vjp;

/// `ct` summed over the axes along which an operand of `shape` was broadcast to
/// `ct`'s shape, as that operand's share of the cotangent.
pub(crate) fn unbroadcast(ct: &Array, shape: &[usize]) -> Result<Array> {
    if ct.shape() == shape {
        return Ok(ct.clone());
    }
    let extra = ct.ndim() - shape.len();
    let mut axes: Vec<isize> = (0..extra as isize).collect();
    for (i, &d) in shape.iter().enumerate() {
        if d == 1 && ct.shape()[extra + i] != 1 {
            axes.push((extra + i) as isize);
        }
    }
    let summed = if axes.is_empty() {
        ct.clone()
    } else {
        sum(ct, Some(&axes), true)?
    };
    summed.reshape(&shape.iter().map(|&d| d as isize).collect::<Vec<_>>())
}

/// The cotangent of `real`, `imag` or `conj` of `x`, in MLX's convention for complex
/// values: `ct`, `i·ct` and `conj(ct)` (a real `x` gets `ct` and zeros).
fn complex_part_vjp(op: UnaryOp, x: &Array, ct: &Array) -> Result<Array> {
    let complex = x.dtype() == crate::Dtype::Complex64;
    match op {
        UnaryOp::Real if complex => ct.astype(crate::Dtype::Complex64),
        UnaryOp::Imag if complex => multiply(
            &ct.astype(crate::Dtype::Complex64)?,
            crate::Scalar::Complex(0.0, 1.0),
        ),
        UnaryOp::Imag => zeros_like(ct),
        UnaryOp::Conj => crate::ops::conj(ct),
        _ => Ok(ct.clone()),
    }
}

/// The error of a primitive without a rule.
pub(crate) fn no_rule(primitive: &Primitive) -> Error {
    Error::InvalidArgument(format!(
        "[transforms] {} has no derivative rule yet.",
        primitive.name()
    ))
}

/// `a` with its last two axes swapped.
fn swap_last(a: &Array) -> Result<Array> {
    a.swapaxes(-1, -2)
}

/// The slices `x[start::step]` per axis that a `Slice` primitive took, as index items.
fn slice_items(start: &[usize], step: &[isize], out_shape: &[usize]) -> Vec<Index> {
    start
        .iter()
        .zip(step)
        .zip(out_shape)
        .map(|((&start, &step), &n)| {
            let start = start as isize;
            let last = start + step * (n as isize - 1).max(0);
            let stop = if n == 0 {
                Some(start)
            } else if step > 0 {
                Some(last + 1)
            } else if last > 0 {
                Some(last - 1)
            } else {
                None
            };
            Index::Slice(Slice::new(Some(start), stop, step))
        })
        .collect()
}

/// The index inputs and window of a `Scatter` step: inputs `x, idx.., updates`.
fn scatter_parts(inputs: &[Array]) -> (Vec<&Array>, &Array) {
    let last = inputs.len() - 1;
    (inputs[1..last].iter().collect(), &inputs[last])
}

/// The cotangents of a step's inputs from the cotangents of its outputs. `needed[i]` is
/// false for inputs that do not depend on the transform's inputs; their entries may be
/// `None`.
pub(crate) fn vjp(
    step: &Step,
    cts: &[Option<Array>],
    needed: &[bool],
) -> Result<Vec<Option<Array>>> {
    let inputs = step.inputs();
    let primitive = &step.op.primitive;
    let mut grads: Vec<Option<Array>> = vec![None; inputs.len()];
    if let Primitive::DivMod = primitive {
        if let Some(ct) = &cts[1] {
            let (a, b) = (&inputs[0], &inputs[1]);
            grads[0] = Some(unbroadcast(ct, a.shape())?);
            let db = multiply(&negative(ct)?, &floor_divide(a, b)?)?;
            grads[1] = Some(unbroadcast(&db, b.shape())?);
        }
        return Ok(grads);
    }
    if let Primitive::Custom(custom) = primitive {
        return custom_vjp(step, &custom.0, cts, needed);
    }
    let (Some(ct), Some(out)) = (&cts[0], &step.outputs[0]) else {
        return Ok(grads);
    };
    if let Primitive::Fast(op) = primitive {
        return fast::vjp(step, op, ct, needed);
    }
    let x = &inputs[0];
    match primitive {
        Primitive::Unary(op @ (UnaryOp::Real | UnaryOp::Imag | UnaryOp::Conj)) => {
            grads[0] = Some(complex_part_vjp(*op, x, ct)?);
        }
        Primitive::Unary(op) => {
            grads[0] = unary_derivative(*op, x, out)?
                .map(|d| multiply(ct, &d))
                .transpose()?;
        }
        Primitive::Binary(op) => {
            let (da, db) = binary_partials(*op, x, &inputs[1], out)?;
            for (i, partial) in [da, db].into_iter().enumerate() {
                if let Some(d) = partial {
                    grads[i] = Some(unbroadcast(&multiply(ct, &d)?, inputs[i].shape())?);
                }
            }
        }
        Primitive::Select => {
            let zero = zeros(&[], ct.dtype())?;
            grads[1] = Some(unbroadcast(&where_(x, ct, &zero)?, inputs[1].shape())?);
            grads[2] = Some(unbroadcast(&where_(x, &zero, ct)?, inputs[2].shape())?);
        }
        Primitive::AsType => grads[0] = Some(ct.astype(x.dtype())?),
        Primitive::Identity | Primitive::Contiguous => grads[0] = Some(ct.clone()),
        Primitive::Broadcast => grads[0] = Some(unbroadcast(ct, x.shape())?),
        Primitive::Reshape => {
            grads[0] = Some(ct.reshape(&signed(x.shape()))?);
        }
        Primitive::Transpose(perm) => {
            let mut inverse = vec![0isize; perm.len()];
            for (i, &p) in perm.iter().enumerate() {
                inverse[p] = i as isize;
            }
            grads[0] = Some(ct.transpose(Some(&inverse))?);
        }
        Primitive::Slice { start, step } => {
            let items = slice_items(start, step, out.shape());
            grads[0] = Some(zeros_like(x)?.index_set(&items, ct)?);
        }
        Primitive::Concatenate(axis) => {
            let mut offset = 0;
            for (i, input) in inputs.iter().enumerate() {
                let n = input.shape()[*axis];
                let mut items = vec![Index::Slice(Slice::new(None, None, 1)); ct.ndim()];
                items[*axis] = Index::Slice(Slice::range(offset as isize, (offset + n) as isize));
                grads[i] = Some(ct.index(&items)?);
                offset += n;
            }
        }
        Primitive::Reduce { kind, axes } => {
            grads[0] = match kind {
                ReduceKind::Sum => Some(broadcast_to(ct, x.shape())?),
                ReduceKind::Prod => Some(multiply(ct, &product_of_others(x, axes)?)?),
                ReduceKind::Max | ReduceKind::Min => {
                    Some(multiply(ct, &extreme_share(x, out, axes)?)?)
                }
                ReduceKind::All | ReduceKind::Any => None,
            };
        }
        Primitive::Softmax { .. } => {
            let dot = sum(&multiply(ct, out)?, Some(&[-1]), true)?;
            grads[0] = Some(multiply(out, &subtract(ct, &dot)?)?);
        }
        Primitive::LogSumExp => {
            let weights = crate::ops::exp(&subtract(&x.astype(out.dtype())?, out)?)?;
            grads[0] = Some(multiply(ct, &weights)?.astype(x.dtype())?);
        }
        Primitive::Matmul => {
            let b = &inputs[1];
            grads[0] = Some(unbroadcast(&matmul(ct, &swap_last(b)?)?, x.shape())?);
            grads[1] = Some(unbroadcast(&matmul(&swap_last(x)?, ct)?, b.shape())?);
        }
        Primitive::AddMm { alpha, beta } => {
            let b = &inputs[1];
            let ga = matmul(ct, &swap_last(b)?)?;
            let gb = matmul(&swap_last(x)?, ct)?;
            grads[0] = Some(unbroadcast(&multiply(&ga, *alpha)?, x.shape())?);
            grads[1] = Some(unbroadcast(&multiply(&gb, *alpha)?, b.shape())?);
            grads[2] = Some(unbroadcast(&multiply(ct, *beta)?, inputs[2].shape())?);
        }
        Primitive::Scan {
            kind,
            axis,
            reverse,
            inclusive,
        } => {
            let (axis, reverse, inclusive) = (*axis, *reverse, *inclusive);
            grads[0] = Some(match kind {
                ScanKind::Sum => {
                    let options = ScanOptions {
                        reverse: !reverse,
                        inclusive,
                    };
                    cumsum(ct, Some(axis as isize), options, None)?
                }
                ScanKind::Prod => scan::cumprod_vjp(x, out, ct, axis, reverse, inclusive)?,
                ScanKind::Max | ScanKind::Min => scan::cumulative_extreme_vjp(
                    x,
                    ct,
                    axis,
                    reverse,
                    inclusive,
                    *kind == ScanKind::Max,
                )?,
                ScanKind::LogAddExp => {
                    scan::logcumsumexp_vjp(x, out, ct, axis, reverse, inclusive)?
                }
            });
        }
        Primitive::Sort(axis) => {
            let axis = Some(*axis as isize);
            let order = crate::ops::argsort(x, axis)?;
            grads[0] = Some(put_along_axis(&zeros_like(x)?, &order, ct, axis)?);
        }
        Primitive::Gather { axes, .. } => {
            let indices: Vec<&Array> = inputs[1..].iter().collect();
            grads[0] = Some(scatter(
                &zeros_like(x)?,
                &indices,
                ct,
                axes,
                ScatterKind::Add,
            )?);
        }
        Primitive::Scatter { kind, axes } => {
            let (indices, updates) = scatter_parts(inputs);
            let window = &updates.shape()[updates.ndim() - x.ndim()..];
            let taken = || gather(ct, &indices, axes, window);
            match kind {
                ScatterKind::Set => {
                    let cleared =
                        scatter(ct, &indices, &zeros_like(updates)?, axes, ScatterKind::Set)?;
                    grads[0] = Some(cleared);
                    grads[inputs.len() - 1] = Some(taken()?);
                }
                ScatterKind::Add => {
                    grads[0] = Some(ct.clone());
                    grads[inputs.len() - 1] = Some(taken()?);
                }
                // MLX's rule: the cotangent flows to whichever of `x` and the update equals
                // the result (both, at a tie).
                ScatterKind::Max | ScatterKind::Min => {
                    let zero = Array::scalar_of(crate::Scalar::Int(0), ct.dtype())?;
                    grads[0] = Some(where_(&equal(out, x)?, ct, &zero)?);
                    let winners = equal(&gather(out, &indices, axes, window)?, updates)?;
                    grads[inputs.len() - 1] = Some(multiply(&taken()?, &winners)?);
                }
                ScatterKind::Prod => {
                    let (gx, gu) = scatter_prod_vjp(x, &indices, updates, axes, ct)?;
                    grads[0] = Some(gx);
                    grads[inputs.len() - 1] = Some(gu);
                }
            }
        }
        Primitive::StopGradient
        | Primitive::ArgReduce { .. }
        | Primitive::ArgSort(_)
        | Primitive::Arange { .. }
        | Primitive::Load(_)
        | Primitive::RandomBits
        | Primitive::RandomMath(_) => {}
        Primitive::AsStrided { strides, offset } => {
            grads[0] = Some(as_strided_vjp(x, ct, strides, *offset)?);
        }
        Primitive::Fft(kind) => grads[0] = Some(fft::vjp(*kind, x, ct)?),
        Primitive::QuantizedMatmul { format, transpose } => {
            return quantized::matmul_vjp(*format, *transpose, inputs, ct, needed)
        }
        Primitive::Conv(params) => {
            let [gx, gw] = conv::vjp(params, x, &inputs[1], ct, needed)?;
            grads[0] = gx;
            grads[1] = gw;
        }
        Primitive::Dequantize(format) => {
            return quantized::dequantize_vjp(*format, inputs, ct, needed)
        }
        Primitive::Quantize(_) | Primitive::ToFp8 | Primitive::FromFp8 => {
            return Err(no_rule(primitive))
        }
        // MLX has no derivative of any factorisation either.
        Primitive::Linalg(op) => {
            return Err(Error::InvalidArgument(format!(
                "[Primitive::vjp] Not implemented for {}.",
                op.name()
            )))
        }
        // The adjoint of `H` is `Hᵀ` (MLX applies `H` again, wrong for orders 20 and 28).
        Primitive::Hadamard { scale, transpose } => {
            grads[0] = Some(hadamard_node(&ct.astype(x.dtype())?, *scale, !*transpose)?);
        }
        // Reinterpreted bits have no derivative, as in MLX.
        Primitive::View => {
            return Err(Error::InvalidArgument(format!(
                "[Primitive::vjp] Not implemented for View {}.",
                out.dtype()
            )))
        }
        Primitive::DivMod | Primitive::Custom(_) | Primitive::Fast(_) => {
            return Err(no_rule(primitive))
        }
    }
    for (grad, &needed) in grads.iter_mut().zip(needed) {
        if !needed {
            *grad = None;
        }
    }
    Ok(grads)
}

/// The cotangent of the row-major `x` for a strided view of it: each element of `ct`
/// added to the element of `x` it views (views may overlap).
fn as_strided_vjp(x: &Array, ct: &Array, strides: &[isize], offset: usize) -> Result<Array> {
    let n = x.size();
    let positions = crate::ops::arange(0.0, n as f64, 1.0, Some(crate::Dtype::Int32))?;
    let viewed = Array::from_op(
        ct.shape().to_vec(),
        crate::Dtype::Int32,
        Primitive::AsStrided {
            strides: strides.to_vec(),
            offset,
        },
        vec![positions],
    )?;
    let mut window: Vec<isize> = ct.shape().iter().map(|&d| d as isize).collect();
    window.push(1);
    let flat = scatter(
        &zeros(&[n], ct.dtype())?,
        &[&viewed],
        &ct.reshape(&window)?,
        &[0],
        ScatterKind::Add,
    )?;
    flat.reshape(&signed(x.shape()))
}

/// The number of outputs of `step`.
fn output_count(step: &Step) -> usize {
    step.op.output_meta.len()
}

/// Zeros of each output of `step` where `given` has no array.
fn filled(step: &Step, given: &[Option<Array>]) -> Result<Vec<Array>> {
    given
        .iter()
        .zip(&step.op.output_meta)
        .map(|(g, (shape, dtype))| match g {
            Some(g) => Ok(g.clone()),
            None => zeros(shape, *dtype),
        })
        .collect()
}

/// The vjp of a custom node: its rule on the arguments, or else the cotangents passed on
/// to the function's own outputs, so that the walk continues through the function.
fn custom_vjp(
    step: &Step,
    rules: &CustomRules,
    cts: &[Option<Array>],
    needed: &[bool],
) -> Result<Vec<Option<Array>>> {
    let inputs = step.inputs();
    let primals = inputs.len() - output_count(step);
    let mut grads: Vec<Option<Array>> = vec![None; inputs.len()];
    match &rules.vjp {
        Some(rule) => {
            let outputs = &inputs[primals..];
            let given = rule(&inputs[..primals], &filled(step, cts)?, outputs)?;
            for (i, grad) in given.into_iter().enumerate().take(primals) {
                grads[i] = needed[i].then_some(grad);
            }
        }
        None => {
            for (i, ct) in cts.iter().enumerate() {
                grads[primals + i] = ct.clone();
            }
        }
    }
    Ok(grads)
}

/// The jvp of a custom node: its rule on the arguments, or else the tangents of the
/// function's own outputs.
fn custom_jvp(
    step: &Step,
    rules: &CustomRules,
    tangents: &[Option<Array>],
) -> Result<Vec<Option<Array>>> {
    let inputs = step.inputs();
    let primals = inputs.len() - output_count(step);
    match &rules.jvp {
        Some(rule) => {
            let given: Vec<Array> = (0..primals)
                .map(|i| tangent_or_zeros(tangents, inputs, i))
                .collect::<Result<_>>()?;
            Ok(rule(&inputs[..primals], &given)?
                .into_iter()
                .map(Some)
                .collect())
        }
        None => Ok(tangents[primals..].to_vec()),
    }
}

/// `step`'s primitive applied again, to `inputs` in place of its own.
fn replay(step: &Step, inputs: Vec<Array>) -> Vec<Array> {
    Array::from_op_multi(
        step.op.output_meta.clone(),
        step.op.primitive.clone(),
        inputs,
        step.op.stream,
    )
}

/// The tangent of input `i`, or zeros of its shape and dtype.
fn tangent_or_zeros(tangents: &[Option<Array>], inputs: &[Array], i: usize) -> Result<Array> {
    match &tangents[i] {
        Some(t) => Ok(t.clone()),
        None => zeros_like(&inputs[i]),
    }
}

/// `a + b` where either may be missing.
fn add_optional(a: Option<Array>, b: Option<Array>) -> Result<Option<Array>> {
    Ok(match (a, b) {
        (Some(a), Some(b)) => Some(add(&a, &b)?),
        (a, b) => a.or(b),
    })
}

/// The tangents of a step's outputs from the tangents of its inputs (`None`: zero).
pub(crate) fn jvp(step: &Step, tangents: &[Option<Array>]) -> Result<Vec<Option<Array>>> {
    let inputs = step.inputs();
    let primitive = &step.op.primitive;
    let mut outs: Vec<Option<Array>> = vec![None; step.op.output_meta.len()];
    if let Primitive::Custom(custom) = primitive {
        return custom_jvp(step, &custom.0, tangents);
    }
    let Some(out) = step.outputs.iter().flatten().next().cloned() else {
        return Ok(outs);
    };
    if let Primitive::Fast(op) = primitive {
        if tangents.iter().any(Option::is_some) {
            outs[0] = Some(fast::jvp(step, op, tangents)?);
        }
        return Ok(outs);
    }
    let x = &inputs[0];
    let linear_in = |positions: &[usize]| -> Result<Vec<Option<Array>>> {
        let mut replaced = inputs.to_vec();
        for &i in positions {
            replaced[i] = tangent_or_zeros(tangents, inputs, i)?;
        }
        Ok(replay(step, replaced).into_iter().map(Some).collect())
    };
    let tangent = |i: usize| tangents[i].clone();
    match primitive {
        Primitive::Unary(UnaryOp::Real | UnaryOp::Imag | UnaryOp::Conj) => {
            // Each is linear: the tangent goes through the op itself.
            if let Some(t) = tangent(0) {
                outs[0] = Some(replay(step, vec![t.astype(x.dtype())?]).remove(0));
            }
        }
        Primitive::Unary(op) => {
            if let (Some(t), Some(d)) = (tangent(0), unary_derivative(*op, x, &out)?) {
                outs[0] = Some(multiply(&t, &d)?);
            }
        }
        Primitive::Binary(op) => {
            let (da, db) = binary_partials(*op, x, &inputs[1], &out)?;
            let term = |t: Option<Array>, d: Option<Array>| -> Result<Option<Array>> {
                Ok(match (t, d) {
                    (Some(t), Some(d)) => Some(broadcast_to(&multiply(&t, &d)?, out.shape())?),
                    _ => None,
                })
            };
            outs[0] = add_optional(term(tangent(0), da)?, term(tangent(1), db)?)?;
        }
        Primitive::Select => {
            let zero = zeros(&[], out.dtype())?;
            let tx = tangent(1).unwrap_or_else(|| zero.clone());
            let ty = tangent(2).unwrap_or_else(|| zero.clone());
            outs[0] = Some(broadcast_to(&where_(x, &tx, &ty)?, out.shape())?);
        }
        Primitive::AsType
        | Primitive::Identity
        | Primitive::Contiguous
        | Primitive::Broadcast
        | Primitive::Reshape
        | Primitive::Transpose(_)
        | Primitive::Slice { .. }
        | Primitive::AsStrided { .. }
        | Primitive::Reduce {
            kind: ReduceKind::Sum,
            ..
        }
        | Primitive::Scan {
            kind: ScanKind::Sum,
            ..
        }
        | Primitive::Gather { .. } => outs = linear_in(&[0])?,
        Primitive::Concatenate(_) => outs = linear_in(&(0..inputs.len()).collect::<Vec<_>>())?,
        Primitive::Scatter {
            kind: ScatterKind::Set | ScatterKind::Add,
            ..
        } => outs = linear_in(&[0, inputs.len() - 1])?,
        Primitive::Reduce { kind, axes } => {
            let Some(t) = tangent(0) else { return Ok(outs) };
            let weights = match kind {
                ReduceKind::Prod => product_of_others(x, axes)?,
                ReduceKind::Max | ReduceKind::Min => extreme_share(x, &out, axes)?,
                _ => return Ok(outs),
            };
            outs[0] = Some(sum(&multiply(&t, &weights)?, Some(&signed(axes)), true)?);
        }
        Primitive::Softmax { .. } => {
            let Some(t) = tangent(0) else { return Ok(outs) };
            let dot = sum(&multiply(&t, &out)?, Some(&[-1]), true)?;
            outs[0] = Some(multiply(&out, &subtract(&t, &dot)?)?);
        }
        Primitive::LogSumExp => {
            let Some(t) = tangent(0) else { return Ok(outs) };
            let weights = crate::ops::exp(&subtract(&x.astype(out.dtype())?, &out)?)?;
            let t = t.astype(out.dtype())?;
            outs[0] = Some(sum(&multiply(&t, &weights)?, Some(&[-1]), true)?);
        }
        Primitive::Matmul => {
            let b = &inputs[1];
            let left = tangent(0).map(|t| matmul(&t, b)).transpose()?;
            let right = tangent(1).map(|t| matmul(x, &t)).transpose()?;
            outs[0] = add_optional(left, right)?;
        }
        Primitive::AddMm { alpha, beta } => {
            let b = &inputs[1];
            let left = tangent(0).map(|t| matmul(&t, b)).transpose()?;
            let right = tangent(1).map(|t| matmul(x, &t)).transpose()?;
            let product = add_optional(left, right)?
                .map(|p| multiply(&p, *alpha))
                .transpose()?;
            let shift = tangent(2)
                .map(|t| broadcast_to(&multiply(&t, *beta)?, out.shape()))
                .transpose()?;
            outs[0] = add_optional(product, shift)?;
        }
        Primitive::Sort(axis) => {
            let Some(t) = tangent(0) else { return Ok(outs) };
            let axis = Some(*axis as isize);
            let order = crate::ops::argsort(x, axis)?;
            outs[0] = Some(crate::ops::take_along_axis(&t, &order, axis)?);
        }
        Primitive::DivMod => {
            let (a, b) = (x, &inputs[1]);
            let da = tangent(0)
                .map(|t| broadcast_to(&t, out.shape()))
                .transpose()?;
            let db = tangent(1)
                .map(|t| multiply(&negative(&t)?, &floor_divide(a, b)?))
                .transpose()?;
            outs[1] = add_optional(da, db)?;
        }
        Primitive::StopGradient
        | Primitive::ArgReduce { .. }
        | Primitive::ArgSort(_)
        | Primitive::Arange { .. }
        | Primitive::Load(_)
        | Primitive::RandomBits
        | Primitive::RandomMath(_) => {}
        Primitive::Scan { .. } => outs = jvp_by_transposition(step, tangents)?,
        Primitive::Fft(kind) => {
            if let Some(t) = &tangents[0] {
                outs[0] = Some(fft::jvp(*kind, t, &out)?);
            }
        }
        Primitive::QuantizedMatmul { format, transpose } => {
            outs[0] = quantized::matmul_jvp(*format, *transpose, inputs, tangents)?;
        }
        Primitive::Conv(params) => {
            outs[0] = conv::jvp(
                params,
                x,
                &inputs[1],
                tangents[0].as_ref(),
                tangents[1].as_ref(),
            )?;
        }
        Primitive::Dequantize(format) => {
            // Affine dequantization is linear in the scales and biases.
            if tangents[0].is_some() || format.mode != crate::QuantizationMode::Affine {
                return Err(no_rule(primitive));
            }
            let scales = tangent_or_zeros(tangents, inputs, 1)?;
            let biases = tangent_or_zeros(tangents, inputs, 2)?;
            outs[0] = Some(replay(step, vec![x.clone(), scales, biases]).remove(0));
        }
        Primitive::Quantize(_) | Primitive::ToFp8 | Primitive::FromFp8 => {
            return Err(no_rule(primitive))
        }
        Primitive::Linalg(op) => {
            return Err(Error::InvalidArgument(format!(
                "[Primitive::jvp] Not implemented for {}.",
                op.name()
            )))
        }
        Primitive::Hadamard { scale, transpose } => {
            if let Some(t) = &tangents[0] {
                outs[0] = Some(hadamard_node(&t.astype(out.dtype())?, *scale, *transpose)?);
            }
        }
        Primitive::Scatter {
            kind: ScatterKind::Max | ScatterKind::Min | ScatterKind::Prod,
            ..
        } => outs = jvp_by_transposition(step, tangents)?,
        Primitive::View | Primitive::Custom(_) | Primitive::Fast(_) => {
            return Err(no_rule(primitive))
        }
    }
    Ok(outs)
}

/// The jvp of a single-output step through its vjp rule, which is linear in the
/// cotangent `u`: `J t = ∂⟨Jᵀu, t⟩/∂u`.
fn jvp_by_transposition(step: &Step, tangents: &[Option<Array>]) -> Result<Vec<Option<Array>>> {
    let (shape, dtype) = &step.op.output_meta[0];
    let u = tracer(&zeros(shape, *dtype)?)?;
    let needed: Vec<bool> = tangents.iter().map(Option::is_some).collect();
    let grads = vjp(step, &[Some(u.clone())], &needed)?;
    let mut total: Option<Array> = None;
    for (g, t) in grads.iter().zip(tangents) {
        if let (Some(g), Some(t)) = (g, t) {
            total = add_optional(total, Some(sum(&multiply(g, t)?, None, false)?))?;
        }
    }
    let Some(total) = total else {
        return Ok(vec![None]);
    };
    let seed = crate::ops::ones(&[], total.dtype())?;
    let mut jt = super::vjp::backward(std::slice::from_ref(&u), &[total], &[seed])?;
    Ok(vec![Some(jt.remove(0))])
}
