//! Reductions: sum, prod, max, min, mean, var, std, all, any, argmax, argmin,
//! logsumexp and softmax, over any axes, with MLX's output dtypes.

use super::binary::{add, divide, multiply, subtract};
use super::select::where_;
use super::unary::{abs, exp, isinf, log, sqrt, square};
use crate::array::shape::normalize_axis;
use crate::dtype::{Dtype, Scalar};
use crate::error::{Error, Result};
use crate::primitive::{ArgReduceKind, Primitive, ReduceKind};
use crate::Array;

/// Normalises reduction axes: `None` means all axes; duplicates are an error.
pub(crate) fn reduction_axes(x: &Array, axes: Option<&[isize]>, op: &str) -> Result<Vec<usize>> {
    let mut out: Vec<usize> = match axes {
        None => (0..x.ndim()).collect(),
        Some(axes) => axes
            .iter()
            .map(|&a| {
                normalize_axis(a, x.ndim(), op).map_err(|_| {
                    Error::InvalidArgument(format!(
                        "[{op}] Invalid axis {a} for array with {} dimensions.",
                        x.ndim()
                    ))
                })
            })
            .collect::<Result<_>>()?,
    };
    out.sort_unstable();
    if out.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Duplicate axes detected in reduction."
        )));
    }
    Ok(out)
}

/// The shape after reducing `axes`, with or without the reduced axes kept as size 1.
fn reduced_shape(shape: &[usize], axes: &[usize], keepdims: bool) -> Vec<usize> {
    shape
        .iter()
        .enumerate()
        .filter(|(d, _)| keepdims || !axes.contains(d))
        .map(|(d, &n)| if axes.contains(&d) { 1 } else { n })
        .collect()
}

fn drop_axes(reduced: Array, shape: &[usize], axes: &[usize], keepdims: bool) -> Result<Array> {
    if keepdims {
        return Ok(reduced);
    }
    let squeezed: Vec<isize> = reduced_shape(shape, axes, false)
        .iter()
        .map(|&n| n as isize)
        .collect();
    reduced.reshape(&squeezed)
}

fn reduce_op(kind: ReduceKind, x: &Array, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
    let name = kind.name();
    let axes = reduction_axes(x, axes, name)?;
    let dtype = match kind {
        ReduceKind::All | ReduceKind::Any => Dtype::Bool,
        ReduceKind::Sum | ReduceKind::Prod => match x.dtype() {
            Dtype::Bool | Dtype::Int8 | Dtype::Int16 => Dtype::Int32,
            Dtype::Uint8 | Dtype::Uint16 => Dtype::Uint32,
            other => other,
        },
        ReduceKind::Max | ReduceKind::Min => {
            if let Some(&axis) = axes.iter().find(|&&a| x.shape()[a] == 0) {
                return Err(Error::InvalidArgument(format!(
                    "[{name}] Cannot {name} reduce over axis {axis} with size 0."
                )));
            }
            x.dtype()
        }
    };
    if axes.is_empty() {
        // MLX returns the input itself when there is nothing to reduce (as bool for all/any).
        return x.astype(if dtype == Dtype::Bool {
            Dtype::Bool
        } else {
            x.dtype()
        });
    }
    // Half-precision sums and products accumulate in float32, as in MLX: both backends
    // widen each element as they fold it, so the input needs no float32 copy.
    let input = match kind {
        ReduceKind::Sum | ReduceKind::Prod => x.astype(dtype)?,
        _ => x.clone(),
    };
    let kept = reduced_shape(x.shape(), &axes, true);
    let reduced = Array::from_op(
        kept,
        dtype,
        Primitive::Reduce {
            kind,
            axes: axes.clone(),
        },
        vec![input],
    )?;
    drop_axes(reduced, x.shape(), &axes, keepdims)
}

macro_rules! reduction_fns {
    ($($name:ident => $kind:ident, $doc:literal;)*) => {$(
        #[doc = $doc]
        pub fn $name(x: &Array, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
            reduce_op(ReduceKind::$kind, x, axes, keepdims)
        }
    )*};
}

reduction_fns! {
    sum => Sum, "Sum over `axes` (all if `None`). Small integers and bool accumulate in int32/uint32, as in MLX.";
    prod => Prod, "Product over `axes`, with the dtypes of [`sum`].";
    max => Max, "Largest element over `axes`; NaN propagates. Reducing an empty axis is an error.";
    min => Min, "Smallest element over `axes`; NaN propagates. Reducing an empty axis is an error.";
    all => All, "True where every element over `axes` is non-zero.";
    any => Any, "True where any element over `axes` is non-zero.";
}

fn float_dtype(dtype: Dtype) -> Dtype {
    if dtype.is_inexact() {
        dtype
    } else {
        Dtype::Float32
    }
}

fn element_count(x: &Array, axes: &[usize]) -> usize {
    axes.iter().map(|&a| x.shape()[a]).product()
}

/// Mean over `axes`, in at least float32.
///
/// ```
/// let x = mx_core::array![[1, 2], [3, 4]];
/// let m = mx_core::mean(&x, Some(&[0]), false).unwrap();
/// assert_eq!(m.to_vec::<f32>().unwrap(), vec![2.0, 3.0]);
/// ```
pub fn mean(x: &Array, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
    let resolved = reduction_axes(x, axes, "mean")?;
    let n = element_count(x, &resolved) as f64;
    let dtype = float_dtype(x.dtype());
    let scale = Array::scalar_of(Scalar::Float(1.0 / n), dtype)?;
    multiply(&sum(x, axes, keepdims)?, &scale)
}

/// Variance over `axes` with `ddof` delta degrees of freedom: the mean squared deviation
/// from the mean (two passes, so large offsets do not cancel), in at least float32.
/// Complex inputs give the float32 variance of their magnitude of deviation.
pub fn var(x: &Array, axes: Option<&[isize]>, keepdims: bool, ddof: usize) -> Result<Array> {
    let resolved = reduction_axes(x, axes, "var")?;
    // MLX takes the mean of the input itself, whose integer sum wraps in its own dtype.
    let mu = mean(x, axes, true)?;
    let x = x.astype(float_dtype(x.dtype()))?;
    let deviation = subtract(&x, &mu)?;
    let squared = if x.dtype().is_complex() {
        square(&abs(&deviation)?)?
    } else {
        square(&deviation)?
    };
    let n = element_count(&x, &resolved) as f64;
    let scale = 1.0 / (n - ddof as f64).max(0.0);
    multiply(
        &sum(&squared, axes, keepdims)?,
        &Array::scalar_of(Scalar::Float(scale), squared.dtype())?,
    )
}

/// Standard deviation: the square root of [`var`].
pub fn std(x: &Array, axes: Option<&[isize]>, keepdims: bool, ddof: usize) -> Result<Array> {
    sqrt(&var(x, axes, keepdims, ddof)?)
}

fn signed(shape: &[usize]) -> Vec<isize> {
    shape.iter().map(|&n| n as isize).collect()
}

/// `log(sum(exp(x)))` over `axes`, shifted by the maximum for stability.
pub fn logsumexp(x: &Array, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
    let resolved = reduction_axes(x, axes, "logsumexp")?;
    if x.size() == 0 {
        return Err(Error::InvalidArgument(
            "[logsumexp] Received empty array.".into(),
        ));
    }
    let x = &x.astype(float_dtype(x.dtype()))?;
    if x.dtype() == Dtype::Float32 && x.ndim() > 0 && resolved == [x.ndim() - 1] {
        let mut kept = x.shape().to_vec();
        kept[x.ndim() - 1] = 1;
        let out = Array::from_op(
            kept,
            Dtype::Float32,
            Primitive::LogSumExp,
            vec![x.contiguous()?],
        )?;
        return drop_axes(out, x.shape(), &resolved, keepdims);
    }
    let maxval = max(x, axes, true)?;
    let shifted = sum(&exp(&subtract(x, &maxval)?)?, axes, keepdims)?;
    let maxval = maxval.reshape(&signed(&reduced_shape(x.shape(), &resolved, keepdims)))?;
    let out = add(&log(&shifted)?, &maxval)?;
    where_(&isinf(&maxval)?, &maxval, &out)
}

/// Softmax over `axes` (all if `None`). With `precise`, half-precision inputs accumulate
/// in float32. The last axis alone runs as one fused kernel.
///
/// ```
/// let x = mx_core::array![1.0, 1.0];
/// let s = mx_core::softmax(&x, Some(&[-1]), false).unwrap();
/// assert_eq!(s.to_vec::<f32>().unwrap(), vec![0.5, 0.5]);
/// ```
pub fn softmax(x: &Array, axes: Option<&[isize]>, precise: bool) -> Result<Array> {
    let resolved = reduction_axes(x, axes, "softmax")?;
    let x = x.astype(float_dtype(x.dtype()))?;
    if x.size() == 0 {
        return Ok(x);
    }
    if x.ndim() > 0 && resolved == [x.ndim() - 1] && x.dtype().is_floating() {
        let input = x.contiguous()?;
        return Array::from_op(
            x.shape().to_vec(),
            x.dtype(),
            Primitive::Softmax { precise },
            vec![input],
        );
    }
    let compute = if precise && x.dtype().is_floating() {
        Dtype::Float32
    } else {
        x.dtype()
    };
    let xc = x.astype(compute)?;
    let e = exp(&subtract(&xc, &max(&xc, axes, true)?)?)?;
    divide(&e, &sum(&e, axes, true)?)?.astype(x.dtype())
}

fn arg_reduce(
    kind: ArgReduceKind,
    x: &Array,
    axis: Option<isize>,
    keepdims: bool,
) -> Result<Array> {
    let name = kind.name();
    if x.size() == 0 {
        return Err(Error::InvalidArgument(format!(
            "[{name}] Cannot {name} reduce zero size array."
        )));
    }
    let (input, axis_index) = match axis {
        Some(a) => (x.clone(), normalize_axis(a, x.ndim(), name)?),
        None => (x.reshape(&[-1])?, 0),
    };
    if input.shape()[axis_index] == 0 {
        return Err(Error::InvalidArgument(format!(
            "[{name}] Cannot {name} reduce over axis {axis_index} with size 0."
        )));
    }
    let kept = reduced_shape(input.shape(), &[axis_index], true);
    let shape = input.shape().to_vec();
    let reduced = Array::from_op(
        kept,
        Dtype::Uint32,
        Primitive::ArgReduce {
            kind,
            axis: axis_index,
        },
        vec![input],
    )?;
    match (axis, keepdims) {
        (None, true) => reduced.reshape(&vec![1; x.ndim()]),
        _ => drop_axes(reduced, &shape, &[axis_index], keepdims),
    }
}

/// Index (uint32) of the first largest element along `axis`, or of the flattened array.
pub fn argmax(x: &Array, axis: Option<isize>, keepdims: bool) -> Result<Array> {
    arg_reduce(ArgReduceKind::ArgMax, x, axis, keepdims)
}

/// Index (uint32) of the first smallest element along `axis`, or of the flattened array.
pub fn argmin(x: &Array, axis: Option<isize>, keepdims: bool) -> Result<Array> {
    arg_reduce(ArgReduceKind::ArgMin, x, axis, keepdims)
}
