//! CPU reductions over any set of axes, with a vectorised path for trailing contiguous axes.

use super::math::Arith;
use super::strided::{collapse, for_each_run, parallel_items, SendPtr};
use crate::array::shape::is_row_contiguous;
use crate::array::Data;
use crate::dtype::{Complex64, Dtype, Element, Scalar};
use crate::error::{Error, Result};
use crate::primitive::{ArgReduceKind, ReduceKind};
use half::{bf16, f16};

/// Lanes of independent accumulators: lets the compiler vectorise a float reduction
/// without reassociating any single accumulator.
const LANES: usize = 16;

/// Folds one contiguous row with `LANES` accumulators, then combines them.
#[inline]
pub(crate) fn fold_row<T: Copy, A: Copy>(
    row: &[T],
    init: A,
    fold: &impl Fn(A, T) -> A,
    combine: &impl Fn(A, A) -> A,
) -> A {
    let mut lanes = [init; LANES];
    let mut chunks = row.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            *lane = fold(*lane, v);
        }
    }
    let mut acc = chunks.remainder().iter().fold(init, |acc, &v| fold(acc, v));
    for lane in lanes {
        acc = combine(acc, lane);
    }
    acc
}

/// Folds the elements over `axes` into one value per kept position. The output keeps
/// the reduced axes as size 1, so its row-major order is that of the kept axes.
fn fold_axes<T: Element, A: Element>(
    x: &Data,
    shape: &[usize],
    axes: &[usize],
    init: A,
    fold: impl Fn(A, T) -> A + Sync,
    combine: impl Fn(A, A) -> A + Sync,
) -> Result<Data> {
    let out_shape: Vec<usize> = (0..shape.len())
        .map(|d| if axes.contains(&d) { 1 } else { shape[d] })
        .collect();
    let out = Data::allocate(&out_shape, A::DTYPE)?;
    let dst = SendPtr(out.mut_ptr::<A>());
    let src = SendPtr(x.ptr::<T>() as *mut T);
    let kept: Vec<usize> = (0..shape.len()).filter(|d| !axes.contains(d)).collect();
    let out_size: usize = kept.iter().map(|&d| shape[d]).product();
    let red_size: usize = axes.iter().map(|&d| shape[d]).product();
    let trailing = axes
        .iter()
        .enumerate()
        .all(|(i, &a)| a == shape.len() - axes.len() + i);
    // SAFETY (below): offsets come from the input's own strides, and each output
    // position is written by exactly one range.
    if trailing && is_row_contiguous(shape, &x.strides) {
        parallel_items(out_size, red_size, |first, last| {
            for row in first..last {
                let values = unsafe {
                    std::slice::from_raw_parts(src.at((row * red_size) as isize), red_size)
                };
                unsafe { *dst.at(row as isize) = fold_row(values, init, &fold, &combine) };
            }
        });
        return Ok(out);
    }
    let kept_shape: Vec<usize> = kept.iter().map(|&d| shape[d]).collect();
    let kept_strides: Vec<isize> = kept.iter().map(|&d| x.strides[d]).collect();
    let red_shape: Vec<usize> = axes.iter().map(|&d| shape[d]).collect();
    let red_strides: Vec<isize> = axes.iter().map(|&d| x.strides[d]).collect();
    let (kshape, kstrides) = collapse(&kept_shape, [&kept_strides]);
    let (rshape, rstrides) = collapse(&red_shape, [&red_strides]);
    parallel_items(out_size, red_size, |first, last| {
        for_each_run(
            &kshape,
            &kstrides,
            first,
            last,
            |pos, [base], len, [step]| {
                for i in 0..len {
                    let origin = base + i as isize * step;
                    let mut acc = init;
                    for_each_run(
                        &rshape,
                        &rstrides,
                        0,
                        red_size,
                        |_, [off], rlen, [rstep]| {
                            if rstep == 1 {
                                let values = unsafe {
                                    std::slice::from_raw_parts(src.at(origin + off), rlen)
                                };
                                acc = combine(acc, fold_row(values, init, &fold, &combine));
                            } else {
                                for j in 0..rlen as isize {
                                    acc = fold(acc, unsafe { *src.at(origin + off + j * rstep) });
                                }
                            }
                        },
                    );
                    unsafe { *dst.at((pos + i) as isize) = acc };
                }
            },
        );
    });
    Ok(out)
}

fn reduce_typed<T: Element + Arith>(
    kind: ReduceKind,
    x: &Data,
    shape: &[usize],
    axes: &[usize],
) -> Result<Data> {
    let zero = T::from_scalar(Scalar::Int(0));
    let one = T::from_scalar(Scalar::Int(1));
    match kind {
        ReduceKind::Sum => {
            fold_axes::<T, T>(x, shape, axes, zero, |a, v| a.add(v), |a, b| a.add(b))
        }
        ReduceKind::Prod => {
            fold_axes::<T, T>(x, shape, axes, one, |a, v| a.mul(v), |a, b| a.mul(b))
        }
        ReduceKind::Max => fold_axes::<T, T>(
            x,
            shape,
            axes,
            T::lowest(),
            |a, v| a.max(v),
            |a, b| a.max(b),
        ),
        ReduceKind::Min => fold_axes::<T, T>(
            x,
            shape,
            axes,
            T::highest(),
            |a, v| a.min(v),
            |a, b| a.min(b),
        ),
        ReduceKind::All => fold_axes::<T, bool>(
            x,
            shape,
            axes,
            true,
            |a, v| a && !v.is_zero(),
            |a, b| a && b,
        ),
        ReduceKind::Any => fold_axes::<T, bool>(
            x,
            shape,
            axes,
            false,
            |a, v| a || !v.is_zero(),
            |a, b| a || b,
        ),
    }
}

/// Half-precision sums and products accumulate in float32, as in MLX.
fn widens(kind: ReduceKind) -> bool {
    matches!(kind, ReduceKind::Sum | ReduceKind::Prod)
}

/// A half-precision sum or product: each element is widened as it is folded into a
/// float32 accumulator, and the result is rounded to the half type once.
fn reduce_half<T: Element + Into<f32>>(
    kind: ReduceKind,
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    axes: &[usize],
) -> Result<Data> {
    let wide = if kind == ReduceKind::Sum {
        fold_axes::<T, f32>(x, shape, axes, 0.0, |a, v| a + v.into(), |a, b| a + b)?
    } else {
        fold_axes::<T, f32>(x, shape, axes, 1.0, |a, v| a * v.into(), |a, b| a * b)?
    };
    let out_shape: Vec<usize> = (0..shape.len())
        .map(|d| if axes.contains(&d) { 1 } else { shape[d] })
        .collect();
    super::layout::astype(&wide, &out_shape, Dtype::Float32, dtype)
}

/// Runs a reduction of `kind` over `axes`.
pub(crate) fn reduce(
    kind: ReduceKind,
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    axes: &[usize],
) -> Result<Data> {
    match dtype {
        Dtype::Bool => reduce_typed::<bool>(kind, x, shape, axes),
        Dtype::Uint8 => reduce_typed::<u8>(kind, x, shape, axes),
        Dtype::Uint16 => reduce_typed::<u16>(kind, x, shape, axes),
        Dtype::Uint32 => reduce_typed::<u32>(kind, x, shape, axes),
        Dtype::Uint64 => reduce_typed::<u64>(kind, x, shape, axes),
        Dtype::Int8 => reduce_typed::<i8>(kind, x, shape, axes),
        Dtype::Int16 => reduce_typed::<i16>(kind, x, shape, axes),
        Dtype::Int32 => reduce_typed::<i32>(kind, x, shape, axes),
        Dtype::Int64 => reduce_typed::<i64>(kind, x, shape, axes),
        Dtype::Float16 if widens(kind) => reduce_half::<f16>(kind, x, shape, dtype, axes),
        Dtype::Bfloat16 if widens(kind) => reduce_half::<bf16>(kind, x, shape, dtype, axes),
        Dtype::Float16 => reduce_typed::<f16>(kind, x, shape, axes),
        Dtype::Bfloat16 => reduce_typed::<bf16>(kind, x, shape, axes),
        Dtype::Float32 => reduce_typed::<f32>(kind, x, shape, axes),
        Dtype::Float64 => reduce_typed::<f64>(kind, x, shape, axes),
        Dtype::Complex64 => reduce_typed::<Complex64>(kind, x, shape, axes),
    }
}

fn arg_reduce_typed<T: Element + Arith>(
    kind: ArgReduceKind,
    x: &Data,
    shape: &[usize],
    axis: usize,
) -> Result<Data> {
    let out_shape: Vec<usize> = shape
        .iter()
        .enumerate()
        .map(|(d, &n)| if d == axis { 1 } else { n })
        .collect();
    let out = Data::allocate(&out_shape, Dtype::Uint32)?;
    let n = shape[axis];
    let step = x.strides[axis];
    let kept_shape: Vec<usize> = out_shape
        .iter()
        .enumerate()
        .filter(|&(d, _)| d != axis)
        .map(|(_, &s)| s)
        .collect();
    let kept_strides: Vec<isize> = (0..shape.len())
        .filter(|&d| d != axis)
        .map(|d| x.strides[d])
        .collect();
    let out_size: usize = kept_shape.iter().product();
    let (kshape, kstrides) = collapse(&kept_shape, [&kept_strides]);
    let dst = SendPtr(out.mut_ptr::<u32>());
    let src = SendPtr(x.ptr::<T>() as *mut T);
    let better = move |candidate: T, best: T| -> bool {
        if best.is_nan() {
            return false;
        }
        candidate.is_nan()
            || match kind {
                ArgReduceKind::ArgMax => best.less(candidate),
                ArgReduceKind::ArgMin => candidate.less(best),
            }
    };
    parallel_items(out_size, n, |first, last| {
        for_each_run(
            &kshape,
            &kstrides,
            first,
            last,
            |pos, [base], len, [kstep]| {
                for i in 0..len {
                    let origin = base + i as isize * kstep;
                    // SAFETY: offsets come from the input's strides; n > 0 is checked by the op.
                    let mut best = unsafe { *src.at(origin) };
                    let mut best_index = 0u32;
                    for j in 1..n {
                        let v = unsafe { *src.at(origin + j as isize * step) };
                        if better(v, best) {
                            best = v;
                            best_index = j as u32;
                        }
                    }
                    unsafe { *dst.at((pos + i) as isize) = best_index };
                }
            },
        );
    });
    Ok(out)
}

/// Index of the largest or smallest element along `axis`.
pub(crate) fn arg_reduce(
    kind: ArgReduceKind,
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    axis: usize,
) -> Result<Data> {
    if shape[axis] == 0 {
        return Err(Error::InvalidArgument(format!(
            "[{}] Cannot reduce an empty axis.",
            kind.name()
        )));
    }
    match dtype {
        Dtype::Bool => arg_reduce_typed::<bool>(kind, x, shape, axis),
        Dtype::Uint8 => arg_reduce_typed::<u8>(kind, x, shape, axis),
        Dtype::Uint16 => arg_reduce_typed::<u16>(kind, x, shape, axis),
        Dtype::Uint32 => arg_reduce_typed::<u32>(kind, x, shape, axis),
        Dtype::Uint64 => arg_reduce_typed::<u64>(kind, x, shape, axis),
        Dtype::Int8 => arg_reduce_typed::<i8>(kind, x, shape, axis),
        Dtype::Int16 => arg_reduce_typed::<i16>(kind, x, shape, axis),
        Dtype::Int32 => arg_reduce_typed::<i32>(kind, x, shape, axis),
        Dtype::Int64 => arg_reduce_typed::<i64>(kind, x, shape, axis),
        Dtype::Float16 => arg_reduce_typed::<f16>(kind, x, shape, axis),
        Dtype::Bfloat16 => arg_reduce_typed::<bf16>(kind, x, shape, axis),
        Dtype::Float32 => arg_reduce_typed::<f32>(kind, x, shape, axis),
        Dtype::Float64 => arg_reduce_typed::<f64>(kind, x, shape, axis),
        Dtype::Complex64 => arg_reduce_typed::<Complex64>(kind, x, shape, axis),
    }
}
