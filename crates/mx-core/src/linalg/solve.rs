//! Solvers and inverses built from the factorisations, as MLX composes them: `solve`
//! through LU and triangular inverses, `solve_triangular`, `pinv` through the SVD and
//! `cholesky_inv`.

use super::{check_real, check_square, lu, svd, tri_inv};
use crate::error::{shape_str, Error, Result};
use crate::ops::{greater, matmul, max, multiply, take_along_axis, where_};
use crate::{Array, Dtype};

/// MLX's checks of a solver's operands; returns the common float type.
fn check_system(a: &Array, b: &Array, name: &str) -> Result<Dtype> {
    super::check_cpu_stream(name)?;
    if a.ndim() < 2 {
        return Err(Error::InvalidArgument(format!(
            "[linalg::{name}] First input must have >= 2 dimensions. Received array with {} dimensions.",
            a.ndim()
        )));
    }
    if b.ndim() < 1 {
        return Err(Error::InvalidArgument(format!(
            "[linalg::{name}] Second input must have >= 1 dimensions. Received array with {} dimensions.",
            b.ndim()
        )));
    }
    let nd = a.ndim();
    if a.shape()[nd - 1] != a.shape()[nd - 2] {
        return Err(Error::InvalidArgument(format!(
            "[linalg::{name}] First input must be a square matrix. Received array with shape {}.",
            shape_str(a.shape())
        )));
    }
    let rows = if b.ndim() > 1 {
        b.shape()[b.ndim() - 2]
    } else {
        b.shape()[0]
    };
    if a.shape()[nd - 1] != rows {
        return Err(Error::InvalidArgument(format!(
            "[linalg::{name}] Last dimension of first input with shape {} must match second to last dimension of second input with shape {}.",
            shape_str(a.shape()),
            shape_str(b.shape())
        )));
    }
    let dtype = crate::result_type(a.dtype(), b.dtype());
    if dtype != Dtype::Float32 && dtype != Dtype::Float64 {
        return Err(Error::Dtype(format!(
            "[linalg::{name}] Input arrays must promote to float32 or float64.  Received arrays with type {} and {}.",
            a.dtype(),
            b.dtype()
        )));
    }
    Ok(dtype)
}

/// The solution `x` of `a @ x = b` for square `a` (`b` a vector or a batch of matrices).
/// A singular `a` is an error.
pub fn solve(a: &Array, b: &Array) -> Result<Array> {
    check_system(a, b, "solve")?;
    let (p, l, u) = lu(a)?;
    let order = crate::argsort(&p, Some(-1))?;
    let permuted = if b.ndim() == 1 {
        take_along_axis(b, &order, Some(-1))?
    } else {
        take_along_axis(b, &order.expand_dims(&[-1])?, Some(-2))?
    };
    let y = matmul(&tri_inv(&l, false)?, &permuted)?;
    matmul(&tri_inv(&u, true)?, &y)
}

/// The solution of `a @ x = b` for triangular `a` (its lower triangle, or the `upper`
/// one; the other is not read).
pub fn solve_triangular(a: &Array, b: &Array, upper: bool) -> Result<Array> {
    check_system(a, b, "solve_triangular")?;
    matmul(&tri_inv(a, upper)?, b)
}

/// The Moore–Penrose pseudo-inverse `[.., N, M]` of each matrix, through the SVD with
/// singular values below `10 · max(M, N) · eps · max(S)` dropped.
pub fn pinv(a: &Array) -> Result<Array> {
    check_real(a, "pinv")?;
    let nd = a.ndim();
    let (m, n) = (a.shape()[nd - 2], a.shape()[nd - 1]);
    let k = m.min(n);
    if k == 0 {
        let mut shape = a.shape()[..nd - 2].to_vec();
        shape.extend([n, m]);
        return crate::zeros(&shape, a.dtype());
    }
    let (u, s, vt) = svd(a)?;
    let range = |nd: usize, axis: usize| {
        let mut slices = vec![crate::Slice::new(None, None, 1); nd];
        slices[axis] = crate::Slice::new(Some(0), Some(k as isize), 1);
        slices
    };
    let uk = u.slice(&range(nd, nd - 1))?;
    let vk = vt.slice(&range(nd, nd - 2))?.swapaxes(-1, -2)?;
    let eps = if a.dtype() == Dtype::Float32 {
        f32::EPSILON as f64
    } else {
        f64::EPSILON
    };
    let cutoff = multiply(&max(&s, Some(&[-1]), true)?, 10.0 * m.max(n) as f64 * eps)?;
    let inverse = where_(&greater(&s, &cutoff)?, &crate::ops::reciprocal(&s)?, 0.0)?;
    matmul(
        &multiply(&vk, &inverse.expand_dims(&[-2])?)?,
        &uk.swapaxes(-1, -2)?,
    )
}

/// The inverse of `A` from its Cholesky factor (lower, or `upper`).
pub fn cholesky_inv(factor: &Array, upper: bool) -> Result<Array> {
    check_real(factor, "cholesky_inv")?;
    check_square(
        factor,
        "[linalg::cholesky_inv] Cholesky inverse is only defined for square matrices.".into(),
    )?;
    let inverse = tri_inv(factor, upper)?;
    if upper {
        matmul(&inverse, &inverse.swapaxes(-1, -2)?)
    } else {
        matmul(&inverse.swapaxes(-1, -2)?, &inverse)
    }
}
