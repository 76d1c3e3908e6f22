//! Array creation: constants, ranges and triangular masks.

use super::binary::{add, equal, greater_equal, multiply, subtract};
use super::operand::{check_integer_fits, Operand};
use super::select::where_;
use crate::dtype::{Dtype, Scalar};
use crate::error::{Error, Result};
use crate::primitive::Primitive;
use crate::Array;

/// An array of `shape` filled with `value` (an array broadcast to `shape`, or a scalar).
/// With `dtype` `None` the value's own dtype is kept. Like MLX, the result is a broadcast view.
///
/// ```
/// let a = mx_core::full(&[2, 2], 7, None).unwrap();
/// assert_eq!(a.to_vec::<i32>().unwrap(), vec![7; 4]);
/// ```
pub fn full<'a>(
    shape: &[usize],
    value: impl Into<Operand<'a>>,
    dtype: Option<Dtype>,
) -> Result<Array> {
    let value = value.into();
    if let (Operand::Scalar(s), Some(d)) = (&value, dtype) {
        check_integer_fits(*s, d)?;
    }
    let value = match dtype {
        Some(d) => value.into_array_of(d)?,
        None => value.into_array()?,
    };
    value.broadcast_to(shape)
}

/// An array of zeros.
pub fn zeros(shape: &[usize], dtype: Dtype) -> Result<Array> {
    full(shape, Scalar::Int(0), Some(dtype))
}

/// An array of ones.
pub fn ones(shape: &[usize], dtype: Dtype) -> Result<Array> {
    full(shape, Scalar::Int(1), Some(dtype))
}

/// Zeros with the shape and dtype of `a`.
pub fn zeros_like(a: &Array) -> Result<Array> {
    zeros(a.shape(), a.dtype())
}

/// Ones with the shape and dtype of `a`.
pub fn ones_like(a: &Array) -> Result<Array> {
    ones(a.shape(), a.dtype())
}

/// `value` with the shape of `a`, in `dtype` or else `a`'s dtype.
pub fn full_like<'a>(
    a: &Array,
    value: impl Into<Operand<'a>>,
    dtype: Option<Dtype>,
) -> Result<Array> {
    full(a.shape(), value, Some(dtype.unwrap_or(a.dtype())))
}

/// Values from `start` up to (not including) `stop` by `step`. The dtype defaults to
/// int32 when all three are integers and float32 otherwise. For integer dtypes the step
/// is `T(start + step) - T(start)`, as in MLX.
///
/// ```
/// let a = mx_core::arange(0, 5, 2, None).unwrap();
/// assert_eq!(a.to_vec::<i32>().unwrap(), vec![0, 2, 4]);
/// let b = mx_core::arange(0.0, 1.0, 0.25, None).unwrap();
/// assert_eq!(b.dtype(), mx_core::Dtype::Float32);
/// ```
pub fn arange(
    start: impl Into<Scalar>,
    stop: impl Into<Scalar>,
    step: impl Into<Scalar>,
    dtype: Option<Dtype>,
) -> Result<Array> {
    let (start, stop, step) = (start.into(), stop.into(), step.into());
    let all_int = [start, stop, step]
        .iter()
        .all(|s| matches!(s, Scalar::Int(_) | Scalar::UInt(_)));
    let dtype = dtype.unwrap_or(if all_int {
        Dtype::Int32
    } else {
        Dtype::Float32
    });
    if dtype == Dtype::Bool {
        return Err(Error::Dtype("[arange] Cannot use bool dtype.".into()));
    }
    let (start, stop, step) = (start.to_f64(), stop.to_f64(), step.to_f64());
    if step == 0.0 || !step.is_finite() || !start.is_finite() || !stop.is_finite() {
        return Err(Error::InvalidArgument(
            "[arange] Cannot compute length.".into(),
        ));
    }
    let real_size = ((stop - start) / step).ceil();
    if real_size > i32::MAX as f64 {
        return Err(Error::InvalidArgument(
            "[arange] Maximum size exceeded.".into(),
        ));
    }
    let size = real_size.max(0.0) as usize;
    let (start, step) = if dtype.is_integer() {
        let cast = |v: f64| Scalar::Float(v).cast::<i64>() as f64;
        (cast(start), cast(start + step) - cast(start))
    } else {
        (start, step)
    };
    Array::from_op(vec![size], dtype, Primitive::Arange { start, step }, vec![])
}

/// `num` evenly spaced values from `start` to `stop` inclusive (float32 by default).
pub fn linspace(start: f64, stop: f64, num: usize, dtype: Option<Dtype>) -> Result<Array> {
    let dtype = dtype.unwrap_or(Dtype::Float32);
    let step = if num > 1 {
        (stop - start) / (num - 1) as f64
    } else {
        0.0
    };
    let grid = arange(0, num as i64, 1, Some(Dtype::Float32))?;
    let values = add(
        &multiply(
            &grid,
            Array::scalar_of(Scalar::Float(step), Dtype::Float32)?,
        )?,
        Array::scalar_of(Scalar::Float(start), Dtype::Float32)?,
    )?;
    values.astype(dtype)
}

/// Column index minus row index, an `n × m` int32 grid, shifted by `k`.
fn diagonal_offsets(n: usize, m: usize, k: i64) -> Result<Array> {
    let rows = arange(0, n as i64, 1, None)?.reshape(&[n as isize, 1])?;
    let cols = arange(0, m as i64, 1, None)?.reshape(&[1, m as isize])?;
    subtract(&cols, &add(&rows, k)?)
}

/// An `n × m` (default `n × n`) array with ones on diagonal `k` and zeros elsewhere.
pub fn eye(n: usize, m: Option<usize>, k: i64, dtype: Dtype) -> Result<Array> {
    equal(&diagonal_offsets(n, m.unwrap_or(n), k)?, 0)?.astype(dtype)
}

/// The `n × n` identity matrix.
pub fn identity(n: usize, dtype: Dtype) -> Result<Array> {
    eye(n, None, 0, dtype)
}

/// An `n × m` array with ones at and below diagonal `k`.
pub fn tri(n: usize, m: Option<usize>, k: i64, dtype: Dtype) -> Result<Array> {
    greater_equal(0, &diagonal_offsets(n, m.unwrap_or(n), k)?)?.astype(dtype)
}

fn check_matrix(x: &Array, op: &str) -> Result<(usize, usize)> {
    match x.shape() {
        [.., n, m] => Ok((*n, *m)),
        _ => Err(Error::InvalidArgument(format!(
            "[{op}] Input must have at least 2 dimensions."
        ))),
    }
}

/// `x` with the elements above diagonal `k` of the last two axes set to zero.
pub fn tril(x: &Array, k: i64) -> Result<Array> {
    let (n, m) = check_matrix(x, "tril")?;
    let mask = tri(n, Some(m), k, Dtype::Bool)?;
    where_(&mask, x, Array::scalar_of(Scalar::Int(0), x.dtype())?)
}

/// `x` with the elements below diagonal `k` of the last two axes set to zero.
pub fn triu(x: &Array, k: i64) -> Result<Array> {
    let (n, m) = check_matrix(x, "triu")?;
    let mask = tri(n, Some(m), k - 1, Dtype::Bool)?;
    where_(&mask, Array::scalar_of(Scalar::Int(0), x.dtype())?, x)
}
