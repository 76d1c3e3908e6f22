//! Tensor contraction over chosen axes, by transposing into one matmul.

use crate::array::shape::normalize_axis;
use crate::error::{Error, Result};
use crate::Array;

/// Which axes `tensordot` contracts.
#[derive(Clone, Debug, PartialEq)]
pub enum TensordotAxes {
    /// The last `n` axes of `a` with the first `n` axes of `b`.
    Count(usize),
    /// `a`'s listed axes with `b`'s listed axes, pairwise.
    Pairs(Vec<isize>, Vec<isize>),
}

/// Sum of products over the contracted axes; the result has `a`'s free axes then `b`'s.
///
/// ```
/// # use mx_core::{array, tensordot, TensordotAxes};
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let t = tensordot(&a, &a, TensordotAxes::Count(2)).unwrap();
/// assert_eq!(t.item::<f32>().unwrap(), 30.0);
/// ```
pub fn tensordot(a: &Array, b: &Array, axes: TensordotAxes) -> Result<Array> {
    let (axes_a, axes_b): (Vec<usize>, Vec<usize>) = match axes {
        TensordotAxes::Count(n) => {
            if n > a.ndim() || n > b.ndim() {
                return Err(Error::InvalidArgument(format!(
                    "[tensordot] axes must be at most the number of dimensions of a and b, got {n}."
                )));
            }
            ((a.ndim() - n..a.ndim()).collect(), (0..n).collect())
        }
        TensordotAxes::Pairs(xa, xb) => {
            if xa.len() != xb.len() {
                return Err(Error::InvalidArgument(
                    "[tensordot] axes must have the same length for a and b.".into(),
                ));
            }
            let norm = |x: &Array, list: &[isize]| -> Result<Vec<usize>> {
                list.iter()
                    .map(|&ax| normalize_axis(ax, x.ndim(), "tensordot"))
                    .collect()
            };
            (norm(a, &xa)?, norm(b, &xb)?)
        }
    };
    for (&i, &j) in axes_a.iter().zip(&axes_b) {
        if a.shape()[i] != b.shape()[j] {
            return Err(Error::Shape(format!(
                "[tensordot] a and b must have the same shape on the contracted axes, got {} and {}.",
                crate::error::shape_str(a.shape()),
                crate::error::shape_str(b.shape())
            )));
        }
    }
    let free_a: Vec<usize> = (0..a.ndim()).filter(|d| !axes_a.contains(d)).collect();
    let free_b: Vec<usize> = (0..b.ndim()).filter(|d| !axes_b.contains(d)).collect();
    let size =
        |x: &Array, dims: &[usize]| dims.iter().map(|&d| x.shape()[d]).product::<usize>() as isize;
    let as_isize = |v: &[usize]| v.iter().map(|&d| d as isize).collect::<Vec<_>>();
    let perm_a: Vec<usize> = free_a.iter().chain(&axes_a).copied().collect();
    let perm_b: Vec<usize> = axes_b.iter().chain(&free_b).copied().collect();
    let k = size(a, &axes_a);
    let a2 = a
        .transpose(Some(&as_isize(&perm_a)))?
        .reshape(&[size(a, &free_a), k])?;
    let b2 = b
        .transpose(Some(&as_isize(&perm_b)))?
        .reshape(&[k, size(b, &free_b)])?;
    let out_shape: Vec<isize> = free_a
        .iter()
        .map(|&d| a.shape()[d] as isize)
        .chain(free_b.iter().map(|&d| b.shape()[d] as isize))
        .collect();
    super::matmul(&a2, &b2)?.reshape(&out_shape)
}
