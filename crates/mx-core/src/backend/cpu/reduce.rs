//! CPU reductions over any set of axes.

use super::strided::{collapse, for_each_run, parallel_ranges, SendPtr};
use crate::array::Data;
use crate::dtype::{Dtype, Element};
use crate::error::Result;
use crate::primitive::ReduceKind;

/// Folds the elements over `axes` into one value per kept position. The output keeps
/// the reduced axes as size 1, so its row-major order is that of the kept axes.
fn fold_axes<T: Element, A: Element>(
    x: &Data,
    shape: &[usize],
    axes: &[usize],
    init: A,
    fold: impl Fn(A, T) -> A + Sync,
) -> Result<Data> {
    let kept: Vec<usize> = (0..shape.len()).filter(|d| !axes.contains(d)).collect();
    let kept_shape: Vec<usize> = kept.iter().map(|&d| shape[d]).collect();
    let kept_strides: Vec<isize> = kept.iter().map(|&d| x.strides[d]).collect();
    let red_shape: Vec<usize> = axes.iter().map(|&d| shape[d]).collect();
    let red_strides: Vec<isize> = axes.iter().map(|&d| x.strides[d]).collect();
    let out_shape: Vec<usize> = (0..shape.len())
        .map(|d| if axes.contains(&d) { 1 } else { shape[d] })
        .collect();
    let out = Data::allocate(&out_shape, A::DTYPE)?;
    let out_size: usize = kept_shape.iter().product();
    let red_size: usize = red_shape.iter().product();
    let (kshape, kstrides) = collapse(&kept_shape, [&kept_strides]);
    let (rshape, rstrides) = collapse(&red_shape, [&red_strides]);
    let dst = SendPtr(out.mut_ptr::<A>());
    let src = SendPtr(x.ptr::<T>() as *mut T);
    parallel_ranges(out_size, |first, last| {
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
                            for j in 0..rlen as isize {
                                // SAFETY: offsets come from the input's strides.
                                acc = fold(acc, unsafe { *src.at(origin + off + j * rstep) });
                            }
                        },
                    );
                    // SAFETY: each output position is written by exactly one range.
                    unsafe { *dst.at((pos + i) as isize) = acc };
                }
            },
        );
    });
    Ok(out)
}

/// Runs a reduction of `kind` over `axes`.
pub(crate) fn reduce(
    kind: ReduceKind,
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    axes: &[usize],
) -> Result<Data> {
    crate::dispatch_dtype!(dtype, T => match kind {
        ReduceKind::All => fold_axes::<T, bool>(x, shape, axes, true, |acc, v| acc && v != T::default()),
        ReduceKind::Any => fold_axes::<T, bool>(x, shape, axes, false, |acc, v| acc || v != T::default()),
    })
}
