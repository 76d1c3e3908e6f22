//! Strided views: as_strided, diagonal, diag and trace.

use crate::array::shape::{normalize_axis, row_major_strides};
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::Primitive;
use crate::Array;

/// A view of `x`'s elements, in row-major order, with `shape`, element `strides` and `offset`.
/// Unlike MLX, a view that would reach outside the array is an error rather than garbage.
pub fn as_strided(
    x: &Array,
    shape: Option<&[usize]>,
    strides: Option<&[isize]>,
    offset: usize,
) -> Result<Array> {
    let shape = shape.unwrap_or(x.shape()).to_vec();
    let strides: Vec<isize> = match strides {
        Some(s) => s.to_vec(),
        None => row_major_strides(&shape),
    };
    if strides.len() != shape.len() {
        return Err(Error::InvalidArgument(format!(
            "[as_strided] Got {} strides for a shape with {} dimensions.",
            strides.len(),
            shape.len()
        )));
    }
    if shape.iter().product::<usize>() > 0 {
        let reach = |positive: bool| -> isize {
            shape
                .iter()
                .zip(&strides)
                .filter(|(_, &s)| (s > 0) == positive)
                .map(|(&d, &s)| (d as isize - 1) * s)
                .sum()
        };
        let (low, high) = (
            offset as isize + reach(false),
            offset as isize + reach(true),
        );
        if low < 0 || high >= x.size() as isize {
            return Err(Error::InvalidArgument(format!(
                "[as_strided] The view reads elements {low}..={high} of an array with {} elements.",
                x.size()
            )));
        }
    }
    Array::from_op(
        shape,
        x.dtype(),
        Primitive::AsStrided { strides, offset },
        vec![x.contiguous()?],
    )
}

fn diagonal_axes(x: &Array, axis1: isize, axis2: isize, op: &str) -> Result<(usize, usize)> {
    if x.ndim() < 2 {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Array must have at least two dimensions, but got {} dimensions.",
            x.ndim()
        )));
    }
    let norm = |a: isize, name: &str| {
        normalize_axis(a, x.ndim(), op).map_err(|_| {
            Error::InvalidArgument(format!(
                "[{op}] Invalid {name} {a} for array with {} dimensions.",
                x.ndim()
            ))
        })
    };
    let (a1, a2) = (norm(axis1, "axis1")?, norm(axis2, "axis2")?);
    if a1 == a2 {
        return Err(Error::InvalidArgument(format!(
            "[{op}] axis1 and axis2 cannot be the same axis"
        )));
    }
    Ok((a1, a2))
}

/// The diagonal `offset` of the planes spanned by `axis1` and `axis2`, as the last axis.
pub fn diagonal(x: &Array, offset: isize, axis1: isize, axis2: isize) -> Result<Array> {
    let (a1, a2) = diagonal_axes(x, axis1, axis2, "diagonal")?;
    let base = x.contiguous()?;
    let strides = row_major_strides(x.shape());
    let (n1, n2) = (x.shape()[a1] as isize, x.shape()[a2] as isize);
    let (row, col) = if offset >= 0 {
        (0, offset)
    } else {
        (-offset, 0)
    };
    let len = (n1 - row).min(n2 - col).max(0) as usize;
    let mut shape: Vec<usize> = Vec::with_capacity(x.ndim() - 1);
    let mut out_strides: Vec<isize> = Vec::with_capacity(x.ndim() - 1);
    for d in (0..x.ndim()).filter(|&d| d != a1 && d != a2) {
        shape.push(x.shape()[d]);
        out_strides.push(strides[d]);
    }
    shape.push(len);
    out_strides.push(strides[a1] + strides[a2]);
    let start = if len == 0 {
        0
    } else {
        (row * strides[a1] + col * strides[a2]) as usize
    };
    Array::from_op(
        shape,
        x.dtype(),
        Primitive::AsStrided {
            strides: out_strides,
            offset: start,
        },
        vec![base],
    )
}

/// A 1-d input becomes a square matrix with it on diagonal `k`; a 2-d input gives diagonal `k`.
pub fn diag(x: &Array, k: isize) -> Result<Array> {
    match x.ndim() {
        1 => {
            let n = x.shape()[0] + k.unsigned_abs();
            let (rows, cols) = if k >= 0 {
                (0, k as usize)
            } else {
                (k.unsigned_abs(), 0)
            };
            let zeros = super::zeros(&[n, n], x.dtype())?;
            if x.size() == 0 {
                return Ok(zeros);
            }
            let index = super::arange(0, x.shape()[0] as i64, 1, Some(Dtype::Int32))?;
            let r = super::add(&index, rows as i32)?;
            let c = super::add(&index, cols as i32)?;
            super::scatter(
                &zeros,
                &[&r, &c],
                &x.reshape(&[-1, 1, 1])?,
                &[0, 1],
                crate::primitive::ScatterKind::Set,
            )
        }
        2 => diagonal(x, k, 0, 1),
        n => Err(Error::InvalidArgument(format!(
            "[diag] array must be 1-D or 2-D, got array with {n} dimensions."
        ))),
    }
}

/// Sum of the diagonal; `dtype` casts the diagonal before summing (the sum's own dtype rules
/// then apply, as in MLX).
pub fn trace(
    x: &Array,
    offset: isize,
    axis1: isize,
    axis2: isize,
    dtype: Option<Dtype>,
) -> Result<Array> {
    diagonal_axes(x, axis1, axis2, "trace")?;
    let d = diagonal(x, offset, axis1, axis2)?;
    let d = match dtype {
        Some(t) => d.astype(t)?,
        None => d,
    };
    super::sum(&d, Some(&[-1]), false)
}
