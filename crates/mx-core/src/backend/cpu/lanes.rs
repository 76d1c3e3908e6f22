//! Per-lane kernels along one axis: scans (cumsum, cumprod, cummax, cummin, logcumsumexp)
//! and sorts (sort, argsort; partitions reuse the sort). Each lane is the run of elements
//! along `axis` at one position of the other axes.

use super::layout::contiguous;
use super::math::Arith;
use super::strided::{parallel_items, SendPtr};
use crate::array::Data;
use crate::dtype::{Complex64, Dtype, Element, Scalar};
use crate::error::Result;
use crate::primitive::ScanKind;
use std::cmp::Ordering;

/// `(outer, len, inner)`: lane `(o, i)` holds elements `o*len*inner + j*inner + i`.
fn lane_geometry(shape: &[usize], axis: usize) -> (usize, usize, usize) {
    let outer = shape[..axis].iter().product();
    let inner = shape[axis + 1..].iter().product();
    (outer, shape[axis], inner)
}

/// Runs `f(lane_in, lane_out)` over every lane of a row-major copy of `x`.
fn for_each_lane<T: Element, U: Element>(
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    axis: usize,
    out_dtype: Dtype,
    f: impl Fn(&[T], &mut [U]) + Sync,
) -> Result<Data> {
    let source = if x.is_row_contiguous(shape) {
        x.clone()
    } else {
        contiguous(x, shape, dtype)?
    };
    let out = Data::allocate(shape, out_dtype)?;
    let (outer, len, inner) = lane_geometry(shape, axis);
    if outer * len * inner == 0 {
        return Ok(out);
    }
    let src = SendPtr(source.ptr::<T>() as *mut T);
    let dst = SendPtr(out.mut_ptr::<U>());
    parallel_items(outer * inner, len * 8, |start, end| {
        let mut lane_in: Vec<T> = Vec::with_capacity(len);
        let mut lane_out: Vec<U> = vec![U::default(); len];
        for lane in start..end {
            let (o, i) = (lane / inner, lane % inner);
            let base = (o * len * inner + i) as isize;
            lane_in.clear();
            // SAFETY: lane elements lie inside the row-major buffers of `shape`, and each
            // lane is written by exactly one task.
            lane_in.extend((0..len).map(|j| unsafe { *src.at(base + (j * inner) as isize) }));
            f(&lane_in, &mut lane_out);
            for (j, &v) in lane_out.iter().enumerate() {
                unsafe { *dst.at(base + (j * inner) as isize) = v };
            }
        }
    });
    Ok(out)
}

fn combine<T: Arith>(kind: ScanKind, acc: T, x: T) -> T {
    match kind {
        ScanKind::Sum => acc.add(x),
        ScanKind::Prod => acc.mul(x),
        // MLX keeps NaN, takes the new element on ties for max and the running one for min.
        ScanKind::Max if acc.is_nan() || x.is_nan() => {
            if acc.is_nan() {
                acc
            } else {
                x
            }
        }
        ScanKind::Min if acc.is_nan() || x.is_nan() => {
            if acc.is_nan() {
                acc
            } else {
                x
            }
        }
        ScanKind::Max => {
            if x.less(acc) {
                acc
            } else {
                x
            }
        }
        ScanKind::Min => {
            if x.less(acc) {
                x
            } else {
                acc
            }
        }
        ScanKind::LogAddExp if T::DTYPE == Dtype::Complex64 => {
            let sum = complex_logaddexp(complex_of(acc), complex_of(x));
            Scalar::Complex(sum.re as f64, sum.im as f64).cast()
        }
        ScanKind::LogAddExp => {
            let (a, b) = (acc.cast::<f64>(), x.cast::<f64>());
            let (hi, lo) = if a > b { (a, b) } else { (b, a) };
            let value = if a.is_nan() || b.is_nan() {
                f64::NAN
            } else if hi.is_infinite() {
                hi
            } else {
                hi + (lo - hi).exp().ln_1p()
            };
            Scalar::Float(value).cast()
        }
    }
}

fn complex_of<T: Element>(v: T) -> Complex64 {
    match v.to_scalar() {
        Scalar::Complex(re, im) => Complex64::new(re as f32, im as f32),
        other => Complex64::new(other.to_f64() as f32, 0.0),
    }
}

/// MLX's complex `logaddexp`: the larger operand (ordered by real, then imaginary part)
/// plus `log1p(exp(smaller - larger))`, passing infinities through.
fn complex_logaddexp(a: Complex64, b: Complex64) -> Complex64 {
    let a_larger = a.re > b.re || (a.re == b.re && a.im > b.im);
    let (hi, lo) = if a_larger { (a, b) } else { (b, a) };
    if lo.re == f32::NEG_INFINITY || hi.re == f32::INFINITY {
        return hi;
    }
    hi + (Complex64::new(1.0, 0.0) + (lo - hi).exp()).ln()
}

fn identity<T: Arith>(kind: ScanKind) -> T {
    match kind {
        ScanKind::Sum => T::default(),
        ScanKind::Prod => Scalar::Int(1).cast(),
        ScanKind::Max => T::lowest(),
        ScanKind::Min => T::highest(),
        ScanKind::LogAddExp => Scalar::Float(f64::NEG_INFINITY).cast(),
    }
}

/// Cumulative `kind` along `axis`, accumulated in the dtype itself.
pub(crate) fn scan(
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    kind: ScanKind,
    axis: usize,
    reverse: bool,
    inclusive: bool,
) -> Result<Data> {
    crate::dispatch_dtype!(dtype, T => for_each_lane::<T, T>(x, shape, dtype, axis, dtype, |lane, out| {
        let n = lane.len();
        let mut acc: T = identity(kind);
        for step in 0..n {
            let j = if reverse { n - 1 - step } else { step };
            if inclusive {
                acc = if step == 0 { lane[j] } else { combine(kind, acc, lane[j]) };
                out[j] = acc;
            } else {
                out[j] = acc;
                acc = if step == 0 { lane[j] } else { combine(kind, acc, lane[j]) };
            }
        }
    }))
}

/// NumPy's sort order: NaN (and complex values with a NaN part) last, ties equal.
fn order<T: Arith>(a: &T, b: &T) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ if a.less(*b) => Ordering::Less,
        _ if b.less(*a) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// Sorted values along `axis` (stable).
pub(crate) fn sort(x: &Data, shape: &[usize], dtype: Dtype, axis: usize) -> Result<Data> {
    crate::dispatch_dtype!(dtype, T => for_each_lane::<T, T>(x, shape, dtype, axis, dtype, |lane, out| {
        out.copy_from_slice(lane);
        out.sort_by(order);
    }))
}

/// Indices (uint32) that sort each lane along `axis`, stably.
pub(crate) fn argsort(x: &Data, shape: &[usize], dtype: Dtype, axis: usize) -> Result<Data> {
    crate::dispatch_dtype!(dtype, T => for_each_lane::<T, u32>(x, shape, dtype, axis, Dtype::Uint32, |lane, out| {
        for (j, slot) in out.iter_mut().enumerate() {
            *slot = j as u32;
        }
        out.sort_by(|&i, &j| order(&lane[i as usize], &lane[j as usize]));
    }))
}
