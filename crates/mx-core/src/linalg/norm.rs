//! `norm` and `cross`: compositions of ordinary ops (the spectral norms go through the
//! SVD), so they run on any stream and have derivatives where MLX has them.

use super::singular_values;
use crate::array::shape::broadcast_shapes;
use crate::error::{shape_str, Error, Result};
use crate::ops::{
    abs, astype, concatenate, max, min, multiply, not_equal, power, sqrt, square, subtract, sum,
};
use crate::{Array, Dtype, Slice};

/// The `ord` of [`norm`]: a number (vector orders, and matrix orders ±1, ±2, ±inf), the
/// Frobenius norm, or the nuclear norm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NormOrder {
    /// A numeric order.
    P(f64),
    /// `'fro'`: the square root of the sum of squares over two axes.
    Fro,
    /// `'nuc'`: the sum of the singular values.
    Nuc,
}

/// `x` as C's `%g` prints it, as MLX's messages show orders.
fn printed(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == x.trunc() && x.abs() < 1e6 {
        return if x == 0.0 && x.is_sign_negative() {
            "-0".into()
        } else {
            format!("{}", x as i64)
        };
    }
    let text = format!("{x:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Floats keep their type; everything else is computed in float32.
fn at_least_float(dtype: Dtype) -> Dtype {
    if dtype.is_inexact() {
        dtype
    } else {
        Dtype::Float32
    }
}

/// The square root of the sum of squares (of magnitudes) over `axes` (all when `None`).
fn l2(a: &Array, axes: Option<&[isize]>, keepdims: bool) -> Result<Array> {
    let squares = if a.dtype() == Dtype::Complex64 {
        let magnitude = abs(a)?;
        multiply(&magnitude, &magnitude)?
    } else {
        square(a)?
    };
    sqrt(&sum(&squares, axes, keepdims)?)
}

/// The norm of `a`, as `mx.linalg.norm`: with no order the 2-norm of the flattened
/// array (or over `axes`); with an order, a vector norm over one axis or a matrix norm
/// over two.
pub fn norm(
    a: &Array,
    ord: Option<NormOrder>,
    axes: Option<&[isize]>,
    keepdims: bool,
) -> Result<Array> {
    let all: Vec<isize> = (0..a.ndim() as isize).collect();
    let Some(ord) = ord else {
        if let Some(axes) = axes {
            if axes.len() > 2 {
                return Err(Error::InvalidArgument(
                    "[linalg::norm] Received too many axes for norm.".into(),
                ));
            }
        }
        return l2(a, axes, keepdims);
    };
    let axes = axes.unwrap_or(&all);
    match ord {
        NormOrder::Fro | NormOrder::Nuc => {
            let name = if ord == NormOrder::Fro { "fro" } else { "nuc" };
            if axes.len() != 2 {
                return Err(Error::InvalidArgument(format!(
                    "[linalg::norm] Norm '{name}' only supported for matrices, but received {} axis/axes.",
                    axes.len()
                )));
            }
            if ord == NormOrder::Fro {
                l2(a, Some(axes), keepdims)
            } else {
                spectral(a, axes, keepdims, |s| sum(s, Some(&[-1]), false))
            }
        }
        NormOrder::P(p) => match axes.len() {
            1 => vector_norm(a, p, axes[0], keepdims),
            2 => matrix_norm(a, p, axes, keepdims),
            _ => Err(Error::InvalidArgument(
                "[linalg::norm] Received too many axes for norm.".into(),
            )),
        },
    }
}

fn vector_norm(a: &Array, p: f64, axis: isize, keepdims: bool) -> Result<Array> {
    let dt = at_least_float(a.dtype());
    let axes = [axis];
    let over = Some(&axes[..]);
    if p == 0.0 {
        astype(&sum(&not_equal(a, 0)?, over, keepdims)?, dt)
    } else if p == 1.0 {
        astype(&sum(&abs(a)?, over, keepdims)?, dt)
    } else if p == 2.0 {
        l2(a, over, keepdims)
    } else if p == f64::INFINITY {
        astype(&max(&abs(a)?, over, keepdims)?, dt)
    } else if p == f64::NEG_INFINITY {
        astype(&min(&abs(a)?, over, keepdims)?, dt)
    } else {
        let exponent = Array::from_slice(&[p], &[])?.astype(dt)?;
        let root = Array::from_slice(&[1.0 / p], &[])?.astype(dt)?;
        power(&sum(&power(&abs(a)?, &exponent)?, over, keepdims)?, &root)
    }
}

fn matrix_norm(a: &Array, p: f64, axes: &[isize], keepdims: bool) -> Result<Array> {
    let dt = at_least_float(a.dtype());
    let nd = a.ndim() as isize;
    let positive = |x: isize| if x < 0 { x + nd } else { x };
    let (rows, cols) = (positive(axes[0]), positive(axes[1]));
    // Sum over one axis, then reduce the other, both kept so that the axes stay put.
    let summed_then = |sum_axis: isize, other: isize, largest: bool| -> Result<Array> {
        let sums = sum(&abs(a)?, Some(&[sum_axis]), true)?;
        let reduced = if largest {
            max(&sums, Some(&[other]), true)?
        } else {
            min(&sums, Some(&[other]), true)?
        };
        let out = if keepdims {
            reduced
        } else {
            let mut both = [rows, cols];
            both.sort_unstable();
            reduced.squeeze(Some(&both))?
        };
        astype(&out, dt)
    };
    if p == 1.0 || p == -1.0 {
        summed_then(rows, cols, p > 0.0)
    } else if p.is_infinite() {
        summed_then(cols, rows, p > 0.0)
    } else if p == 2.0 || p == -2.0 {
        let out = spectral(a, &[rows, cols], keepdims, |s| {
            if p > 0.0 {
                max(s, Some(&[-1]), false)
            } else {
                min(s, Some(&[-1]), false)
            }
        })?;
        astype(&out, dt)
    } else {
        Err(Error::InvalidArgument(format!(
            "[linalg::norm] Invalid ord {} for matrix norm.",
            printed(p)
        )))
    }
}

/// `reduce` of the singular values of the matrices over `axes` (rows, columns).
fn spectral(
    a: &Array,
    axes: &[isize],
    keepdims: bool,
    reduce: impl Fn(&Array) -> Result<Array>,
) -> Result<Array> {
    let nd = a.ndim() as isize;
    let positive = |x: isize| if x < 0 { x + nd } else { x };
    let (rows, cols) = (positive(axes[0]), positive(axes[1]));
    let moved = a.moveaxis(rows, -2)?;
    let cols_after = if cols > rows { cols - 1 } else { cols };
    let moved = moved.moveaxis(cols_after, -1)?;
    let out = reduce(&singular_values(&moved)?)?;
    if keepdims {
        let mut both = [rows, cols];
        both.sort_unstable();
        out.expand_dims(&both)
    } else {
        Ok(out)
    }
}

/// The cross product of 2- or 3-vectors along `axis` (the result always has 3
/// components, as in MLX), broadcasting the other axes.
pub fn cross(a: &Array, b: &Array, axis: isize) -> Result<Array> {
    for x in [a, b] {
        let nd = x.ndim() as isize;
        if axis >= nd || axis < -nd {
            return Err(Error::InvalidArgument(format!(
                "[linalg::cross] Axis {axis} is out of bounds for array with {nd} dimensions."
            )));
        }
        let size = x.shape()[(if axis < 0 { axis + nd } else { axis }) as usize];
        if size != 2 && size != 3 {
            return Err(Error::InvalidArgument(
                "[linalg::cross] The specified axis must have size 2 or 3.".into(),
            ));
        }
    }
    let dtype = crate::result_type(a.dtype(), b.dtype());
    let component = |x: &Array, i: isize| -> Result<Option<Array>> {
        let nd = x.ndim() as isize;
        let ax = if axis < 0 { axis + nd } else { axis } as usize;
        if i as usize >= x.shape()[ax] {
            return Ok(None);
        }
        let mut slices = vec![Slice::new(None, None, 1); x.ndim()];
        slices[ax] = Slice::new(Some(i), Some(i + 1), 1);
        Ok(Some(x.astype(dtype)?.slice(&slices)?))
    };
    let (a0, a1, a2) = (component(a, 0)?, component(a, 1)?, component(a, 2)?);
    let (b0, b1, b2) = (component(b, 0)?, component(b, 1)?, component(b, 2)?);
    // A missing third component is zero, so its terms drop out.
    let term = |x: &Option<Array>, y: &Option<Array>| -> Result<Option<Array>> {
        match (x, y) {
            (Some(x), Some(y)) => multiply(x, y).map(Some),
            _ => Ok(None),
        }
    };
    let difference = |p: Option<Array>, q: Option<Array>| -> Result<Option<Array>> {
        match (p, q) {
            (Some(p), Some(q)) => subtract(&p, &q).map(Some),
            (Some(p), None) => Ok(Some(p)),
            (None, Some(q)) => crate::ops::negative(&q).map(Some),
            (None, None) => Ok(None),
        }
    };
    let third = difference(term(&a0, &b1)?, term(&a1, &b0)?)?.expect("both have two components");
    let zero = || crate::ops::zeros_like(&third);
    let first = difference(term(&a1, &b2)?, term(&a2, &b1)?)?.map_or_else(zero, Ok)?;
    let second = difference(term(&a2, &b0)?, term(&a0, &b2)?)?.map_or_else(zero, Ok)?;
    let shape = broadcast_shapes(
        &broadcast_shapes(first.shape(), second.shape())?,
        third.shape(),
    )
    .map_err(|_| {
        Error::InvalidArgument(format!(
            "[broadcast_shapes] Shapes {} and {} cannot be broadcast.",
            shape_str(a.shape()),
            shape_str(b.shape())
        ))
    })?;
    let parts: Vec<Array> = [first, second, third]
        .iter()
        .map(|p| p.broadcast_to(&shape))
        .collect::<Result<_>>()?;
    let refs: Vec<&Array> = parts.iter().collect();
    let nd = shape.len() as isize;
    let out_axis = if axis < 0 { axis + nd } else { axis };
    astype(&concatenate(&refs, Some(out_axis))?, dtype)
}
