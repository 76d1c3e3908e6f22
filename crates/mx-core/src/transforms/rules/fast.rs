//! The rules of the fused ops of `mx::fast`: those of the composition of ordinary ops
//! each stands for, so the fused forward pass keeps exact derivatives of any order.

use super::super::tape::Step;
use super::super::vmap::Batched;
use super::batch::batch_first;
use crate::error::Result;
use crate::fast::reference;
use crate::primitive::{FastOp, Primitive};
use crate::{zeros, Array};

/// The reference composition as a transformable function of the node's inputs.
fn composed(op: &FastOp) -> impl Fn(&[Array]) -> Result<Vec<Array>> + '_ {
    move |inputs: &[Array]| Ok(vec![reference(op, inputs)?])
}

/// The cotangents of a fused node's inputs (those not `needed` are left out).
pub(crate) fn vjp(
    step: &Step,
    op: &FastOp,
    ct: &Array,
    needed: &[bool],
) -> Result<Vec<Option<Array>>> {
    let (_, grads) = super::super::vjp(composed(op), step.inputs(), std::slice::from_ref(ct))?;
    Ok(grads
        .into_iter()
        .zip(needed)
        .map(|(g, &n)| n.then_some(g))
        .collect())
}

/// The tangent of a fused node's output.
pub(crate) fn jvp(step: &Step, op: &FastOp, tangents: &[Option<Array>]) -> Result<Array> {
    let inputs = step.inputs();
    let filled = tangents
        .iter()
        .zip(inputs)
        .map(|(t, x)| match t {
            Some(t) => Ok(t.clone()),
            None => zeros(x.shape(), x.dtype()),
        })
        .collect::<Result<Vec<_>>>()?;
    let (_, mut out) = super::super::jvp(composed(op), inputs, &filled)?;
    Ok(out.remove(0))
}

/// The batched output of a fused node. The fused op runs on the whole batch where it can:
/// a norm, or a rope with one offset, over a batch of its first input takes the batch as
/// one more leading axis, and attention over batched `q, k, v` folds the batch into its
/// own. Anything else (a batched weight, offsets, mask or sinks) is the batched
/// composition.
pub(crate) fn batch(step: &Step, op: &FastOp, inputs: &[Batched], size: usize) -> Result<Batched> {
    let unbatched_from = |first: usize| inputs[first..].iter().all(|b| b.axis.is_none());
    let fused = match op {
        FastOp::RmsNorm { .. } | FastOp::LayerNorm { .. } => unbatched_from(1),
        FastOp::Rope { .. } => unbatched_from(1) && inputs[1].array.ndim() == 0,
        FastOp::Sdpa { .. } => unbatched_from(3),
    };
    if !fused {
        let axes: Vec<Option<isize>> = inputs.iter().map(|b| b.axis.map(|a| a as isize)).collect();
        let arrays: Vec<Array> = inputs.iter().map(|b| b.array.clone()).collect();
        let mut out = super::super::vmap(composed(op), &axes, &[Some(0)])(&arrays)?;
        return Ok(Batched {
            array: out.remove(0),
            axis: Some(0),
        });
    }
    let (shape, dtype) = &step.op.output_meta[0];
    let node = |arguments: Vec<Array>, out_shape: Vec<usize>| {
        Array::from_op_multi(
            vec![(out_shape, *dtype)],
            Primitive::Fast(op.clone()),
            arguments,
            step.op.stream,
        )
        .remove(0)
    };
    let mut batched_shape = vec![size];
    batched_shape.extend_from_slice(shape);
    let array = if let FastOp::Sdpa { .. } = op {
        // The batch joins attention's own batch axis: [N, B, ...] as [N * B, ...].
        let merged = |b: &Batched| -> Result<Array> {
            let first = batch_first(b, size)?;
            let mut dims: Vec<isize> = vec![-1];
            dims.extend(first.shape()[2..].iter().map(|&d| d as isize));
            first.reshape(&dims)?.contiguous()
        };
        let mut arguments = inputs[..3].iter().map(merged).collect::<Result<Vec<_>>>()?;
        for extra in &inputs[3..] {
            let array = &extra.array;
            arguments.push(if array.ndim() == 4 {
                merged(extra)?
            } else {
                array.clone()
            });
        }
        let mut merged_shape = shape.clone();
        merged_shape[0] *= size;
        let dims: Vec<isize> = batched_shape.iter().map(|&d| d as isize).collect();
        node(arguments, merged_shape).reshape(&dims)?
    } else {
        let mut arguments = vec![batch_first(&inputs[0], size)?.contiguous()?];
        arguments.extend(inputs[1..].iter().map(|b| b.array.clone()));
        node(arguments, batched_shape)
    };
    Ok(Batched {
        array,
        axis: Some(0),
    })
}
