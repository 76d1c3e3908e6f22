//! Gather and scatter: windows of `x` picked by integer index arrays, with every index
//! checked against its axis first (MLX leaves out-of-range indices undefined; we return `Err`).

use super::math::Arith;
use super::strided::{gather_cast, parallel_items, SendPtr};
use crate::array::Data;
use crate::dtype::{Dtype, Element};
use crate::error::{Error, Result};
use crate::primitive::ScatterKind;

/// Index arrays read as `i64`, negative entries wrapped, all checked against `x_shape`.
fn read_indices(
    op: &str,
    indices: &[(&Data, &[usize], Dtype)],
    axes: &[usize],
    window: &[usize],
    x_shape: &[usize],
) -> Result<Vec<Vec<i64>>> {
    indices
        .iter()
        .zip(axes)
        .map(|(&(data, shape, dtype), &axis)| {
            let mut values: Vec<i64> =
                crate::dispatch_dtype!(dtype, T => gather_cast::<T, i64>(data, shape));
            let bound = x_shape[axis] as i64;
            let limit = bound - window[axis] as i64;
            for v in &mut values {
                let wrapped = if *v < 0 { *v + bound } else { *v };
                if wrapped < 0 || wrapped > limit {
                    return Err(Error::InvalidArgument(format!(
                        "[{op}] Index {v} is out of bounds for axis {axis} with size {bound}."
                    )));
                }
                *v = wrapped;
            }
            Ok(values)
        })
        .collect()
}

/// Element offsets, relative to the window's start, of every element of a window.
fn window_offsets(window: &[usize], strides: &[isize]) -> Vec<isize> {
    let mut offsets = vec![0isize];
    for (&size, &stride) in window.iter().zip(strides) {
        offsets = offsets
            .iter()
            .flat_map(|&o| (0..size as isize).map(move |i| o + i * stride))
            .collect();
    }
    offsets
}

fn start_offset(indices: &[Vec<i64>], axes: &[usize], strides: &[isize], p: usize) -> isize {
    indices
        .iter()
        .zip(axes)
        .map(|(idx, &axis)| idx[p] as isize * strides[axis])
        .sum()
}

fn gather_words<W: Copy>(
    x: &Data,
    indices: &[Vec<i64>],
    axes: &[usize],
    window: &[usize],
    out: &Data,
    count: usize,
) {
    let offsets = window_offsets(window, &x.strides);
    let per = offsets.len();
    let (src, dst) = (SendPtr(x.ptr::<W>() as *mut W), SendPtr(out.mut_ptr::<W>()));
    parallel_items(count, per, |start, end| {
        for p in start..end {
            let base = start_offset(indices, axes, &x.strides, p);
            for (j, &o) in offsets.iter().enumerate() {
                // SAFETY: every index was checked against its axis, so `base + o` is inside
                // `x`'s view; each `p` writes its own block of the output.
                unsafe { *dst.at((p * per + j) as isize) = *src.at(base + o) };
            }
        }
    });
}

/// `out[p, w...] = x[indices[p] + w]` for every index position `p` and window element `w`.
pub(crate) fn gather(
    x: (&Data, &[usize]),
    indices: &[(&Data, &[usize], Dtype)],
    axes: &[usize],
    window: &[usize],
    dtype: Dtype,
    out_shape: &[usize],
) -> Result<Data> {
    let values = read_indices("gather", indices, axes, window, x.1)?;
    let out = Data::allocate(out_shape, dtype)?;
    let count = out_shape[..out_shape.len() - window.len()].iter().product();
    if window.iter().product::<usize>() == 0 {
        return Ok(out);
    }
    match dtype.size() {
        1 => gather_words::<u8>(x.0, &values, axes, window, &out, count),
        2 => gather_words::<u16>(x.0, &values, axes, window, &out, count),
        4 => gather_words::<u32>(x.0, &values, axes, window, &out, count),
        _ => gather_words::<u64>(x.0, &values, axes, window, &out, count),
    }
    Ok(out)
}

fn scatter_typed<T: Element + Arith>(
    out: &Data,
    updates: &Data,
    update_shape: &[usize],
    indices: &[Vec<i64>],
    axes: &[usize],
    window: &[usize],
    kind: ScatterKind,
) {
    let updates: Vec<T> = gather_cast::<T, T>(updates, update_shape);
    let offsets = window_offsets(window, &out.strides);
    let per = offsets.len();
    let count = updates.len().checked_div(per).unwrap_or(0);
    let dst = out.mut_ptr::<T>();
    // Sequential: with duplicate indices the later update wins or accumulates, as in MLX.
    for p in 0..count {
        let base = start_offset(indices, axes, &out.strides, p);
        for (j, &o) in offsets.iter().enumerate() {
            let u = updates[p * per + j];
            // SAFETY: indices were checked, so `base + o` is inside the fresh output.
            unsafe {
                let slot = dst.offset(base + o);
                *slot = match kind {
                    ScatterKind::Set => u,
                    ScatterKind::Add => (*slot).add(u),
                    ScatterKind::Prod => (*slot).mul(u),
                    // MLX's `(out > u) ? out : u`: a NaN on either side resolves to `u`
                    // unless `out` compares greater, so the order of updates matters.
                    ScatterKind::Max => {
                        if u.less(*slot) {
                            *slot
                        } else {
                            u
                        }
                    }
                    ScatterKind::Min => {
                        if (*slot).less(u) {
                            *slot
                        } else {
                            u
                        }
                    }
                };
            }
        }
    }
}

/// A copy of `x` with `updates[p, w...]` combined into `x[indices[p] + w]` by `kind`.
pub(crate) fn scatter(
    x: (&Data, &[usize]),
    indices: &[(&Data, &[usize], Dtype)],
    updates: (&Data, &[usize]),
    axes: &[usize],
    kind: ScatterKind,
    dtype: Dtype,
) -> Result<Data> {
    let window: Vec<usize> = updates.1[updates.1.len() - x.1.len()..].to_vec();
    let values = read_indices("scatter", indices, axes, &window, x.1)?;
    let out = super::layout::contiguous(x.0, x.1, dtype)?;
    crate::dispatch_dtype!(dtype, T => scatter_typed::<T>(
        &out, updates.0, updates.1, &values, axes, &window, kind
    ));
    Ok(out)
}
