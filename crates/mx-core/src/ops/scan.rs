//! Cumulative ops: cumsum, cumprod, cummax, cummin and logcumsumexp, each with `reverse`
//! and `inclusive`, accumulated in the output dtype as MLX does.

use crate::array::shape::normalize_axis;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::{Primitive, ScanKind};
use crate::Array;

/// Options shared by every scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScanOptions {
    /// Scan from the end of the axis.
    pub reverse: bool,
    /// Include each element in its own result (`false` shifts in the identity).
    pub inclusive: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            reverse: false,
            inclusive: true,
        }
    }
}

fn scan(x: &Array, kind: ScanKind, axis: Option<isize>, options: ScanOptions) -> Result<Array> {
    let name = match kind {
        ScanKind::Sum => "cumsum",
        ScanKind::Prod => "cumprod",
        ScanKind::Max => "cummax",
        ScanKind::Min => "cummin",
        ScanKind::LogAddExp => "logcumsumexp",
    };
    let Some(axis) = axis else {
        return scan(&x.reshape(&[-1])?, kind, Some(0), options);
    };
    let ax = normalize_axis(axis, x.ndim(), name).map_err(|_| {
        Error::InvalidArgument(format!(
            "[{name}] Axis {axis} is out of bounds for array with {} dimensions.",
            x.ndim()
        ))
    })?;
    let dtype = match (kind, x.dtype()) {
        (ScanKind::Sum, Dtype::Bool) => Dtype::Int32,
        (ScanKind::LogAddExp, d) if !d.is_inexact() => Dtype::Float32,
        (_, d) => d,
    };
    Array::from_op(
        x.shape().to_vec(),
        dtype,
        Primitive::Scan {
            kind,
            axis: ax,
            reverse: options.reverse,
            inclusive: options.inclusive,
        },
        vec![x.astype(dtype)?],
    )
}

fn with_dtype(x: &Array, dtype: Option<Dtype>) -> Result<Array> {
    match dtype {
        Some(d) => x.astype(d),
        None => Ok(x.clone()),
    }
}

/// Cumulative sum along `axis` (`None`: the flattened array). bool becomes int32; other
/// dtypes keep their own (int8 wraps), unlike `sum`. `dtype` casts the input first.
///
/// ```
/// # use mx_core::{array, cumsum, ScanOptions};
/// let c = cumsum(&array![1, 2, 3], Some(0), ScanOptions::default(), None).unwrap();
/// assert_eq!(c.to_vec::<i32>().unwrap(), vec![1, 3, 6]);
/// ```
pub fn cumsum(
    x: &Array,
    axis: Option<isize>,
    options: ScanOptions,
    dtype: Option<Dtype>,
) -> Result<Array> {
    scan(&with_dtype(x, dtype)?, ScanKind::Sum, axis, options)
}

/// Cumulative product along `axis`, in the input dtype (or `dtype`).
pub fn cumprod(
    x: &Array,
    axis: Option<isize>,
    options: ScanOptions,
    dtype: Option<Dtype>,
) -> Result<Array> {
    scan(&with_dtype(x, dtype)?, ScanKind::Prod, axis, options)
}

/// Running maximum along `axis`; NaN propagates.
pub fn cummax(x: &Array, axis: Option<isize>, options: ScanOptions) -> Result<Array> {
    scan(x, ScanKind::Max, axis, options)
}

/// Running minimum along `axis`; NaN propagates.
pub fn cummin(x: &Array, axis: Option<isize>, options: ScanOptions) -> Result<Array> {
    scan(x, ScanKind::Min, axis, options)
}

/// Running `log(sum(exp(x)))` along `axis`; bool and integers give float32.
pub fn logcumsumexp(x: &Array, axis: Option<isize>, options: ScanOptions) -> Result<Array> {
    scan(x, ScanKind::LogAddExp, axis, options)
}
