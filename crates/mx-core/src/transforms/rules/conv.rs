//! The rules of the convolution: both cotangents are convolutions themselves (MLX's
//! formulas), the tangent is the sum of the two linear parts, and a batch becomes more
//! images, more output channels, or more groups.

use super::super::vmap::Batched;
use super::batch::batch_first;
use crate::conv::conv_node;
use crate::error::Result;
use crate::primitive::ConvParams;
use crate::{add, conv_general, Array, ConvGeneral, Slice};

/// `size` elements with `dilation - 1` zeros between neighbours.
fn dilated(size: usize, dilation: usize) -> isize {
    if size == 0 {
        0
    } else {
        ((size - 1) * dilation + 1) as isize
    }
}

/// MLX's `group_transpose`: axis `group_axis` split into (groups, rest), axes `a` and `b`
/// swapped, and the split merged back. One group is a plain swap of the first and last.
fn group_transpose(
    t: &Array,
    groups: usize,
    group_axis: isize,
    a: isize,
    b: isize,
) -> Result<Array> {
    if groups == 1 {
        return t.swapaxes(0, -1);
    }
    let nd = t.ndim() as isize;
    let axis = if group_axis < 0 {
        group_axis + nd
    } else {
        group_axis
    } as usize;
    let mut split: Vec<isize> = t.shape().iter().map(|&d| d as isize).collect();
    let size = split[axis];
    split.splice(axis..=axis, [groups as isize, size / groups as isize]);
    let swapped = t.reshape(&split)?.swapaxes(a, b)?;
    let mut merged: Vec<isize> = swapped.shape().iter().map(|&d| d as isize).collect();
    let joined = merged[axis] * merged[axis + 1];
    merged.splice(axis..=axis + 1, [joined]);
    swapped.reshape(&merged)
}

/// The cotangents of `x` and `w` from the output's `ct`.
pub(crate) fn vjp(
    params: &ConvParams,
    x: &Array,
    w: &Array,
    ct: &Array,
    needed: &[bool],
) -> Result<[Option<Array>; 2]> {
    let spatial = params.spatial();
    let ct = ct.astype(x.dtype())?;
    let sizes = |axis: usize| {
        (
            dilated(w.shape()[axis + 1], params.kernel_dilation[axis]),
            dilated(x.shape()[axis + 1], params.input_dilation[axis]),
            dilated(ct.shape()[axis + 1], params.stride[axis]),
            params.padding_lo[axis] as isize,
        )
    };
    let mut grads = [None, None];
    if needed[0] {
        let (mut lo, mut hi) = (Vec::new(), Vec::new());
        for axis in 0..spatial {
            let (kernel, input, output, pad) = sizes(axis);
            lo.push(kernel - pad - 1);
            hi.push(input - output + pad);
        }
        let w_t = group_transpose(w, params.groups, 0, 1, -1)?;
        let gx = conv_general(
            &ct,
            &w_t,
            &ConvGeneral {
                stride: params.input_dilation.clone(),
                padding_lo: lo.iter().map(|&v| v.max(0)).collect(),
                padding_hi: hi.iter().map(|&v| v.max(0)).collect(),
                kernel_dilation: params.kernel_dilation.clone(),
                input_dilation: params.stride.clone(),
                groups: params.groups,
                flip: !params.flip,
            },
        )?;
        let gx = if lo.iter().chain(&hi).any(|&v| v < 0) {
            let mut slices = vec![Slice::new(None, None, 1); gx.ndim()];
            for axis in 0..spatial {
                let length = gx.shape()[axis + 1] as isize;
                let start = (-lo[axis]).max(0);
                let stop = if hi[axis] < 0 {
                    length + hi[axis]
                } else {
                    length
                };
                slices[axis + 1] = Slice::new(Some(start), Some(stop), 1);
            }
            gx.slice(&slices)?
        } else {
            gx
        };
        grads[0] = Some(gx);
    }
    if needed[1] {
        let mut hi = Vec::new();
        for axis in 0..spatial {
            let (kernel, input, output, pad) = sizes(axis);
            hi.push(output - input + kernel - pad - 1);
        }
        let ct_t = ct.swapaxes(0, -1)?;
        let x_t = group_transpose(x, params.groups, -1, 0, -1)?;
        let gt = conv_general(
            &x_t,
            &ct_t,
            &ConvGeneral {
                stride: params.kernel_dilation.clone(),
                padding_lo: params.padding_lo.iter().map(|&v| v as isize).collect(),
                padding_hi: hi,
                kernel_dilation: params.stride.clone(),
                input_dilation: params.input_dilation.clone(),
                groups: params.groups,
                flip: false,
            },
        )?;
        let gt = if params.flip {
            let mut slices = vec![Slice::new(None, None, 1); gt.ndim()];
            for slice in slices.iter_mut().skip(1).take(spatial) {
                *slice = Slice::new(None, None, -1);
            }
            gt.slice(&slices)?
        } else {
            gt
        };
        grads[1] = Some(gt.swapaxes(0, -1)?);
    }
    Ok(grads)
}

/// The tangent of the output: the convolution is linear in each operand.
pub(crate) fn jvp(
    params: &ConvParams,
    x: &Array,
    w: &Array,
    tx: Option<&Array>,
    tw: Option<&Array>,
) -> Result<Option<Array>> {
    let from_x = tx
        .map(|t| conv_node(&t.astype(x.dtype())?, w, params.clone()))
        .transpose()?;
    let from_w = tw
        .map(|t| conv_node(x, &t.astype(w.dtype())?, params.clone()))
        .transpose()?;
    Ok(match (from_x, from_w) {
        (Some(a), Some(b)) => Some(add(&a, &b)?),
        (a, b) => a.or(b),
    })
}

/// The batched convolution: a batch of images folds into `N`, a batch of kernels into
/// the output channels, and both into the groups.
pub(crate) fn batch(params: &ConvParams, inputs: &[Batched], size: usize) -> Result<Batched> {
    let (x, w) = (&inputs[0], &inputs[1]);
    let signed = |shape: &[usize]| shape.iter().map(|&d| d as isize).collect::<Vec<_>>();
    match (x.axis, w.axis) {
        (Some(_), None) => {
            let x = batch_first(x, size)?;
            let mut folded = signed(&x.shape()[1..]);
            folded[0] *= size as isize;
            let out = conv_node(&x.reshape(&folded)?, &w.array, params.clone())?;
            let mut shape = vec![size as isize, -1];
            shape.extend(signed(&out.shape()[1..]));
            Ok(Batched {
                array: out.reshape(&shape)?,
                axis: Some(0),
            })
        }
        (None, Some(_)) => {
            // The kernels fold into each group's output channels: [G, B, O / G].
            let groups = params.groups as isize;
            let w = batch_first(w, size)?;
            let tail = signed(&w.shape()[2..]);
            let per_group = w.shape()[1] as isize / groups;
            let mut split = vec![size as isize, groups, per_group];
            split.extend(&tail);
            let mut folded = vec![-1];
            folded.extend(&tail);
            let w = w.reshape(&split)?.swapaxes(0, 1)?.reshape(&folded)?;
            let out = conv_node(&x.array, &w, params.clone())?;
            let lead = signed(&out.shape()[..out.ndim() - 1]);
            let mut grouped = lead.clone();
            grouped.extend([groups, size as isize, per_group]);
            let mut shape = lead;
            shape.extend([size as isize, -1]);
            let nd = shape.len();
            let array = out.reshape(&grouped)?.swapaxes(-3, -2)?.reshape(&shape)?;
            Ok(Batched {
                array,
                axis: Some(nd - 2),
            })
        }
        _ => {
            let xb = batch_first(x, size)?.moveaxis(0, -2)?;
            let mut folded = signed(&xb.shape()[..xb.ndim() - 2]);
            folded.push(-1);
            let wb = batch_first(w, size)?;
            let mut w_folded = signed(&wb.shape()[1..]);
            w_folded[0] *= size as isize;
            let grouped = ConvParams {
                groups: params.groups * size,
                ..params.clone()
            };
            let out = conv_node(&xb.reshape(&folded)?, &wb.reshape(&w_folded)?, grouped)?;
            let mut shape = signed(&out.shape()[..out.ndim() - 1]);
            shape.extend([size as isize, -1]);
            let nd = shape.len();
            Ok(Batched {
                array: out.reshape(&shape)?,
                axis: Some(nd - 2),
            })
        }
    }
}
