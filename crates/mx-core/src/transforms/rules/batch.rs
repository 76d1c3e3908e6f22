//! The batching rule of every primitive, for `vmap`: each op runs once on the whole batch,
//! which it carries as one more axis (moved to the front, where the rules put it).

use super::super::tape::Step;
use super::super::vmap::Batched;
use super::no_rule;
use crate::error::Result;
use crate::primitive::Primitive;
use crate::{Array, Dtype};

/// `b` with its batch axis first; an unbatched array is broadcast along a new one.
pub(crate) fn batch_first(b: &Batched, size: usize) -> Result<Array> {
    match b.axis {
        Some(0) => Ok(b.array.clone()),
        Some(axis) => b.array.moveaxis(axis as isize, 0),
        None => {
            let mut shape = vec![size];
            shape.extend_from_slice(b.array.shape());
            b.array.expand_dims(&[0])?.broadcast_to(&shape)
        }
    }
}

/// A batched array (batch first) with size-1 axes after the batch axis, so that it has
/// `rank` axes besides the batch and broadcasts against unbatched operands of that rank.
fn aligned(array: &Array, rank: usize) -> Result<Array> {
    let missing = rank + 1 - array.ndim().min(rank + 1);
    if missing == 0 {
        return Ok(array.clone());
    }
    let mut shape: Vec<isize> = vec![array.shape()[0] as isize];
    shape.extend(std::iter::repeat_n(1, missing));
    shape.extend(array.shape()[1..].iter().map(|&d| d as isize));
    array.reshape(&shape)
}

/// `shape` with the batch size in front.
fn with_batch(size: usize, shape: &[usize]) -> Vec<usize> {
    let mut out = vec![size];
    out.extend_from_slice(shape);
    out
}

/// Runs `primitive` on `inputs`, producing outputs of the step's shapes with the batch in
/// front, on the step's stream.
fn run(step: &Step, primitive: Primitive, inputs: Vec<Array>, size: usize) -> Vec<Batched> {
    let meta = step
        .op
        .output_meta
        .iter()
        .map(|(shape, dtype)| (with_batch(size, shape), *dtype))
        .collect();
    Array::from_op_multi(meta, primitive, inputs, step.op.stream)
        .into_iter()
        .map(|array| Batched {
            array,
            axis: Some(0),
        })
        .collect()
}

/// Axes shifted past the batch axis.
fn shifted(axes: &[usize]) -> Vec<usize> {
    axes.iter().map(|a| a + 1).collect()
}

/// The outputs of `step` for batched `inputs` (at least one of them carries the batch).
pub(crate) fn apply(step: &Step, inputs: &[Batched], size: usize) -> Result<Vec<Batched>> {
    let primitive = step.op.primitive.clone();
    let first = |i: usize| batch_first(&inputs[i], size);
    let all_first = || -> Result<Vec<Array>> { (0..inputs.len()).map(first).collect() };
    let out_rank = step.op.output_meta[0].0.len();
    // Operands of broadcasting ops: batched ones aligned to the output's rank, the others
    // left as they are.
    let broadcasting = || -> Result<Vec<Array>> {
        inputs
            .iter()
            .map(|b| match b.axis {
                Some(_) => aligned(&batch_first(b, size)?, out_rank),
                None => Ok(b.array.clone()),
            })
            .collect()
    };
    Ok(match &primitive {
        Primitive::Unary(_)
        | Primitive::AsType
        | Primitive::View
        | Primitive::Identity
        | Primitive::StopGradient
        | Primitive::Contiguous
        | Primitive::RandomMath(_)
        | Primitive::Reshape
        | Primitive::Softmax { .. }
        | Primitive::LogSumExp => run(step, primitive, all_first()?, size),
        Primitive::Binary(_) | Primitive::DivMod | Primitive::Select => {
            run(step, primitive, broadcasting()?, size)
        }
        // The product kernels take operands of the output's rank: the op broadcasts the
        // batch axes first.
        Primitive::Matmul => {
            let operands = broadcasting()?;
            vec![Batched {
                array: crate::ops::matmul(&operands[0], &operands[1])?,
                axis: Some(0),
            }]
        }
        Primitive::AddMm { alpha, beta } => {
            let operands = broadcasting()?;
            vec![Batched {
                array: crate::ops::addmm(&operands[2], &operands[0], &operands[1], *alpha, *beta)?,
                axis: Some(0),
            }]
        }
        Primitive::Broadcast => {
            let x = aligned(&first(0)?, out_rank)?;
            run(step, primitive, vec![x], size)
        }
        Primitive::Transpose(perm) => {
            let mut moved = vec![0];
            moved.extend(shifted(perm));
            run(step, Primitive::Transpose(moved), all_first()?, size)
        }
        Primitive::Slice {
            start,
            step: stride,
        } => {
            let mut start_b = vec![0];
            start_b.extend(start);
            let mut step_b = vec![1];
            step_b.extend(stride);
            let sliced = Primitive::Slice {
                start: start_b,
                step: step_b,
            };
            run(step, sliced, all_first()?, size)
        }
        Primitive::Reduce { kind, axes } => {
            let reduce = Primitive::Reduce {
                kind: *kind,
                axes: shifted(axes),
            };
            run(step, reduce, all_first()?, size)
        }
        Primitive::ArgReduce { kind, axis } => {
            let reduce = Primitive::ArgReduce {
                kind: *kind,
                axis: axis + 1,
            };
            run(step, reduce, all_first()?, size)
        }
        Primitive::Scan {
            kind,
            axis,
            reverse,
            inclusive,
        } => {
            let scan = Primitive::Scan {
                kind: *kind,
                axis: axis + 1,
                reverse: *reverse,
                inclusive: *inclusive,
            };
            run(step, scan, all_first()?, size)
        }
        Primitive::Sort(axis) => run(step, Primitive::Sort(axis + 1), all_first()?, size),
        Primitive::ArgSort(axis) => run(step, Primitive::ArgSort(axis + 1), all_first()?, size),
        Primitive::Concatenate(axis) => {
            run(step, Primitive::Concatenate(axis + 1), all_first()?, size)
        }
        Primitive::Gather { axes, window } => gather(step, inputs, axes, window, size)?,
        Primitive::Scatter { kind, axes } => {
            let count = inputs.len() - 2;
            let indices_batched = inputs[1..=count].iter().any(|b| b.axis.is_some());
            let x = first(0)?;
            let originals = step.inputs();
            let index_ndim = originals[originals.len() - 1].ndim() - originals[0].ndim();
            let updates = batch_first(&inputs[inputs.len() - 1], size)?;
            let mut all = vec![x];
            let (axes_b, updates) = if indices_batched {
                all.extend(batched_indices(inputs, count, size)?);
                let mut axes_b = vec![0];
                axes_b.extend(shifted(axes));
                (axes_b, updates.expand_dims(&[1 + index_ndim as isize])?)
            } else {
                all.extend(inputs[1..=count].iter().map(|b| b.array.clone()));
                (shifted(axes), updates.moveaxis(0, index_ndim as isize)?)
            };
            all.push(updates);
            let scatter = Primitive::Scatter {
                kind: *kind,
                axes: axes_b,
            };
            run(step, scatter, all, size)
        }
        Primitive::Custom(custom) => {
            let count = step.op.output_meta.len();
            let primals = inputs.len() - count;
            match &custom.0.vmap {
                Some(rule) => {
                    let args: Vec<Array> =
                        inputs[..primals].iter().map(|b| b.array.clone()).collect();
                    let axes: Vec<Option<usize>> =
                        inputs[..primals].iter().map(|b| b.axis).collect();
                    let (outputs, out_axes) = rule(&args, &axes)?;
                    outputs
                        .into_iter()
                        .zip(out_axes)
                        .map(|(array, axis)| Batched { array, axis })
                        .collect()
                }
                // The function's own outputs were batched already, op by op.
                None => inputs[primals..].to_vec(),
            }
        }
        Primitive::AsStrided { strides, offset } => {
            // Each batch element is a row-major block of the batched input.
            let per_element = step.inputs()[0].size() as isize;
            let mut strides_b = vec![per_element];
            strides_b.extend(strides);
            let strided = Primitive::AsStrided {
                strides: strides_b,
                offset: *offset,
            };
            run(step, strided, vec![first(0)?.contiguous()?], size)
        }
        Primitive::Fast(op) => vec![super::fast::batch(step, op, inputs, size)?],
        // Batch elements are more rows; the kernel reads rows densely.
        Primitive::QuantizedMatmul { format, transpose } => vec![super::quantized::matmul_batch(
            step, *format, *transpose, inputs, size,
        )?],
        Primitive::Dequantize(_) | Primitive::ToFp8 | Primitive::FromFp8 => {
            let operands = all_first()?
                .iter()
                .map(Array::contiguous)
                .collect::<Result<Vec<_>>>()?;
            run(step, primitive, operands, size)
        }
        Primitive::Quantize(_) => {
            if inputs[1..].iter().any(|b| b.axis.is_some()) {
                return Err(no_rule(&primitive));
            }
            let mut operands = vec![first(0)?.contiguous()?];
            operands.extend(inputs[1..].iter().map(|b| b.array.clone()));
            run(step, primitive, operands, size)
        }
        Primitive::Conv(params) => vec![super::conv::batch(params, inputs, size)?],
        Primitive::Fft(_) | Primitive::Hadamard { .. } | Primitive::Linalg(_) => {
            run(step, primitive, vec![first(0)?.contiguous()?], size)
        }
        // A batch of keys ([B, ..., 2]) gives each key its own share, as in MLX.
        Primitive::RandomBits => run(step, primitive, vec![first(0)?], size),
        Primitive::Arange { .. } | Primitive::Load(_) => return Err(no_rule(&primitive)),
    })
}

/// The index inputs `1..=count` with the batch first, plus an index over the batch axis
/// itself in front (all of shape `[size, ...index shape]`, in the first index's dtype).
fn batched_indices(inputs: &[Batched], count: usize, size: usize) -> Result<Vec<Array>> {
    let mut indices: Vec<Array> = inputs[1..=count]
        .iter()
        .map(|b| batch_first(b, size))
        .collect::<Result<_>>()?;
    let shape = indices[0].shape().to_vec();
    let dtype: Dtype = indices[0].dtype();
    let mut positions_shape = vec![size as isize];
    positions_shape.extend(std::iter::repeat_n(1, shape.len() - 1));
    let positions = crate::ops::arange(0.0, size as f64, 1.0, Some(dtype))?
        .reshape(&positions_shape)?
        .broadcast_to(&shape)?;
    for index in &mut indices {
        *index = index.broadcast_to(&shape)?;
    }
    indices.insert(0, positions);
    Ok(indices)
}

/// The batching rule of `Gather`.
fn gather(
    step: &Step,
    inputs: &[Batched],
    axes: &[usize],
    window: &[usize],
    size: usize,
) -> Result<Vec<Batched>> {
    let x = batch_first(&inputs[0], size)?;
    let index_ndim = step.op.output_meta[0].0.len() - window.len();
    if inputs[1..].iter().all(|b| b.axis.is_none()) {
        // Indices shared by the batch: gather whole batches of windows.
        let mut window_b = vec![size];
        window_b.extend(window);
        let mut all = vec![x];
        all.extend(inputs[1..].iter().map(|b| b.array.clone()));
        let gathered = Primitive::Gather {
            axes: shifted(axes),
            window: window_b.clone(),
        };
        let mut shape = step.op.output_meta[0].0[..index_ndim].to_vec();
        shape.extend(window_b);
        let dtype = step.op.output_meta[0].1;
        let array =
            Array::from_op_multi(vec![(shape, dtype)], gathered, all, step.op.stream).remove(0);
        return Ok(vec![Batched {
            array,
            axis: Some(index_ndim),
        }]);
    }
    let mut all = vec![x];
    all.extend(batched_indices(inputs, inputs.len() - 1, size)?);
    let mut axes_b = vec![0];
    axes_b.extend(shifted(axes));
    let mut window_b = vec![1];
    window_b.extend(window);
    let gathered = Primitive::Gather {
        axes: axes_b,
        window: window_b,
    };
    // The output is [size, ...index shape, 1, ...window]: drop the batch's window axis.
    let (out_shape, dtype) = &step.op.output_meta[0];
    let mut shape = vec![size];
    shape.extend_from_slice(&out_shape[..index_ndim]);
    shape.push(1);
    shape.extend_from_slice(window);
    let array = Array::from_op_multi(vec![(shape, *dtype)], gathered, all, step.op.stream)
        .remove(0)
        .squeeze(Some(&[1 + index_ndim as isize]))?;
    Ok(vec![Batched {
        array,
        axis: Some(0),
    }])
}
