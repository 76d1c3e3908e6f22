//! `mx::linalg`, as in `mlx.core.linalg`: norms, factorisations (QR, SVD, LU, Cholesky,
//! eigendecompositions), inverses and solvers, batched over leading axes.
//!
//! As in MLX, the factorisations run on the CPU only: on a GPU stream they return an
//! error that says so. `norm` and `cross` are compositions of ordinary ops and run
//! anywhere.
//!
//! ```
//! use mx_core::{array, linalg};
//! let a = array![[4.0, 1.0], [1.0, 3.0]];
//! let x = linalg::solve(&a, &array![1.0, 2.0]).unwrap();
//! let back = mx_core::matmul(&a, &x).unwrap().to_vec::<f32>().unwrap();
//! assert!((back[0] - 1.0).abs() < 1e-5 && (back[1] - 2.0).abs() < 1e-5);
//! ```

mod norm;
mod solve;
#[cfg(test)]
mod tests;

pub use norm::{cross, norm, NormOrder};
pub use solve::{cholesky_inv, pinv, solve, solve_triangular};

use crate::error::{Error, Result};
use crate::primitive::{LinalgOp, Primitive};
use crate::{Array, Device, Dtype};

/// MLX's refusal of a GPU stream for the CPU-only ops.
fn check_cpu_stream(name: &str) -> Result<()> {
    let stream = crate::scheduler::current_stream()?;
    if matches!(stream.device(), Device::Gpu(_)) {
        return Err(Error::InvalidArgument(format!(
            "[linalg::{name}] This op is not yet supported on the GPU. Explicitly pass a CPU stream to run it."
        )));
    }
    Ok(())
}

/// MLX's checks of a factorisation's input: the stream, the types `allowed` (named in
/// `types`), and at least two axes.
fn check_matrix(a: &Array, name: &str, allowed: &[Dtype], types: &str, input: &str) -> Result<()> {
    check_cpu_stream(name)?;
    if !allowed.contains(&a.dtype()) {
        return Err(Error::Dtype(format!(
            "[linalg::{name}] Arrays must have type {types}. Received array with type {}.",
            a.dtype()
        )));
    }
    if a.ndim() < 2 {
        return Err(Error::InvalidArgument(format!(
            "[linalg::{name}] {input} must have >= 2 dimensions. Received array with {} dimensions.",
            a.ndim()
        )));
    }
    Ok(())
}

const REAL: [Dtype; 2] = [Dtype::Float32, Dtype::Float64];
const REAL_TYPES: &str = "float32 or float64";

/// The types of the decompositions MLX also runs on complex64 matrices.
const SPECTRAL: [Dtype; 3] = [Dtype::Float32, Dtype::Float64, Dtype::Complex64];
const SPECTRAL_TYPES: &str = "float32, float64 or complex64";

/// The type of the singular values and of `eigh`'s eigenvalues: real, of `dtype`'s
/// precision.
fn real_part_type(dtype: Dtype) -> Dtype {
    if dtype == Dtype::Complex64 {
        Dtype::Float32
    } else {
        dtype
    }
}

fn check_real(a: &Array, name: &str) -> Result<()> {
    check_matrix(a, name, &REAL, REAL_TYPES, "Arrays")
}

fn check_square(a: &Array, message: String) -> Result<()> {
    let nd = a.ndim();
    if a.shape()[nd - 2] != a.shape()[nd - 1] {
        return Err(Error::InvalidArgument(message));
    }
    Ok(())
}

/// The outputs of a factorisation node over the last two axes of `a`.
fn factorise(a: &Array, op: LinalgOp, outputs: Vec<(Vec<usize>, Dtype)>) -> Result<Vec<Array>> {
    Ok(Array::from_op_multi(
        outputs,
        Primitive::Linalg(op),
        vec![a.contiguous()?],
        crate::scheduler::current_stream()?,
    ))
}

/// `a`'s batch axes followed by `tail`.
fn batched(a: &Array, tail: &[usize]) -> Vec<usize> {
    let mut shape = a.shape()[..a.ndim() - 2].to_vec();
    shape.extend_from_slice(tail);
    shape
}

fn matrix_dims(a: &Array) -> (usize, usize) {
    let nd = a.ndim();
    (a.shape()[nd - 2], a.shape()[nd - 1])
}

/// The reduced QR factorisation `a = Q R`: `Q [.., M, K]` with orthonormal columns and
/// upper-triangular `R [.., K, N]`, `K = min(M, N)`, with LAPACK's signs.
pub fn qr(a: &Array) -> Result<(Array, Array)> {
    check_real(a, "qr")?;
    let (m, n) = matrix_dims(a);
    let k = m.min(n);
    let mut out = factorise(
        a,
        LinalgOp::Qr,
        vec![
            (batched(a, &[m, k]), a.dtype()),
            (batched(a, &[k, n]), a.dtype()),
        ],
    )?;
    let r = out.remove(1);
    Ok((out.remove(0), r))
}

/// The singular value decomposition `a = U diag(S) Vᵀ` with full `U [.., M, M]` and
/// `Vᵀ [.., N, N]`, singular values descending.
pub fn svd(a: &Array) -> Result<(Array, Array, Array)> {
    check_matrix(a, "svd", &SPECTRAL, SPECTRAL_TYPES, "Input array")?;
    let (m, n) = matrix_dims(a);
    let mut out = factorise(
        a,
        LinalgOp::Svd { vectors: true },
        vec![
            (batched(a, &[m, m]), a.dtype()),
            (batched(a, &[m.min(n)]), real_part_type(a.dtype())),
            (batched(a, &[n, n]), a.dtype()),
        ],
    )?;
    let vt = out.remove(2);
    let s = out.remove(1);
    Ok((out.remove(0), s, vt))
}

/// The singular values of `a`, descending (`svd` with `compute_uv=False`).
pub fn singular_values(a: &Array) -> Result<Array> {
    check_matrix(a, "svd", &SPECTRAL, SPECTRAL_TYPES, "Input array")?;
    let (m, n) = matrix_dims(a);
    Ok(factorise(
        a,
        LinalgOp::Svd { vectors: false },
        vec![(batched(a, &[m.min(n)]), real_part_type(a.dtype()))],
    )?
    .remove(0))
}

/// The inverse of each square matrix. A singular matrix is an error (MLX's message, with
/// the position of the first zero pivot).
pub fn inv(a: &Array) -> Result<Array> {
    check_real(a, "inv")?;
    check_square(
        a,
        "[linalg::inv] Inverses are only defined for square matrices.".into(),
    )?;
    inverse_node(a, false, false)
}

/// The inverse of the lower (or `upper`) triangle of each square matrix; the other
/// triangle is not read.
pub fn tri_inv(a: &Array, upper: bool) -> Result<Array> {
    check_real(a, "inv")?;
    check_square(
        a,
        "[linalg::inv] Inverses are only defined for square matrices.".into(),
    )?;
    inverse_node(a, true, upper)
}

fn inverse_node(a: &Array, triangular: bool, upper: bool) -> Result<Array> {
    Ok(factorise(
        a,
        LinalgOp::Inverse { triangular, upper },
        vec![(a.shape().to_vec(), a.dtype())],
    )?
    .remove(0))
}

/// The Cholesky factor of each symmetric positive-definite matrix, read from its lower
/// (or `upper`) triangle: `L` with `L Lᵀ = a`, or `U` with `Uᵀ U = a`. As in MLX, a matrix
/// that is not positive definite gives LAPACK's partial factor, not an error.
pub fn cholesky(a: &Array, upper: bool) -> Result<Array> {
    check_real(a, "cholesky")?;
    check_square(
        a,
        "[linalg::cholesky] Cholesky decomposition is only defined for square matrices.".into(),
    )?;
    Ok(factorise(
        a,
        LinalgOp::Cholesky { upper },
        vec![(a.shape().to_vec(), a.dtype())],
    )?
    .remove(0))
}

fn lu_parts(a: &Array, name: &str) -> Result<(Array, Array)> {
    check_real(a, name)?;
    let (m, n) = matrix_dims(a);
    if m == 0 || n == 0 {
        return Err(Error::InvalidArgument(format!(
            "[linalg::{name}] The matrix must not be empty. Received array with shape {}.",
            crate::error::shape_str(a.shape())
        )));
    }
    let mut out = factorise(
        a,
        LinalgOp::LuFactor,
        vec![
            (a.shape().to_vec(), a.dtype()),
            (batched(a, &[m.min(n)]), Dtype::Uint32),
        ],
    )?;
    let pivots = out.remove(1);
    Ok((out.remove(0), pivots))
}

/// LU with partial pivoting, packed as LAPACK's `getrf`: `(LU, pivots)` with the unit
/// lower `L` below the diagonal, `U` on and above it, and 0-based row swaps (uint32).
pub fn lu_factor(a: &Array) -> Result<(Array, Array)> {
    lu_parts(a, "lu_factor")
}

/// LU with partial pivoting as `(P, L, U)`: `P` holds row indices (uint32) with
/// `a = L[P] @ U`, `L [.., M, K]` is unit lower and `U [.., K, N]` upper triangular.
pub fn lu(a: &Array) -> Result<(Array, Array, Array)> {
    let (packed, pivots) = lu_parts(a, "lu")?;
    let (m, n) = matrix_dims(a);
    let k = m.min(n);
    let lead: Vec<isize> = a.shape()[..a.ndim() - 2]
        .iter()
        .map(|&d| d as isize)
        .collect();
    let l = crate::tril(&packed.slice(&column_range(packed.ndim(), 0, k))?, -1)?;
    let eye = crate::eye(m, Some(k), 0, a.dtype())?;
    let l = crate::add(&l, &eye)?;
    let u = crate::triu(&packed.slice(&row_range(packed.ndim(), 0, k))?, 0)?;
    let p = permutation(&pivots, m, &lead)?;
    Ok((p, l, u))
}

fn column_range(nd: usize, start: usize, stop: usize) -> Vec<crate::Slice> {
    let mut slices = vec![crate::Slice::new(None, None, 1); nd];
    slices[nd - 1] = crate::Slice::new(Some(start as isize), Some(stop as isize), 1);
    slices
}

fn row_range(nd: usize, start: usize, stop: usize) -> Vec<crate::Slice> {
    let mut slices = vec![crate::Slice::new(None, None, 1); nd];
    slices[nd - 2] = crate::Slice::new(Some(start as isize), Some(stop as isize), 1);
    slices
}

/// MLX's `P` of `lu`: the inverse of the row order that LAPACK's swaps produce.
fn permutation(pivots: &Array, m: usize, lead: &[isize]) -> Result<Array> {
    pivots.eval()?;
    let swaps = pivots.astype(Dtype::Int64)?.to_vec::<i64>()?;
    let k = pivots.shape().last().copied().unwrap_or(0);
    let batch = swaps.len().checked_div(k).unwrap_or(0);
    let mut all = Vec::with_capacity(batch * m);
    for b in 0..batch {
        let mut order: Vec<u32> = (0..m as u32).collect();
        for (j, &p) in swaps[b * k..(b + 1) * k].iter().enumerate() {
            order.swap(j, p as usize);
        }
        let mut inverse = vec![0u32; m];
        for (i, &row) in order.iter().enumerate() {
            inverse[row as usize] = i as u32;
        }
        all.extend(inverse);
    }
    let mut shape: Vec<usize> = lead.iter().map(|&d| d as usize).collect();
    shape.push(m);
    Array::from_slice(&all, &shape)
}

/// Whether MLX's `UPLO` string selects the lower triangle: only a leading uppercase `L`.
fn reads_lower(uplo: &str) -> bool {
    uplo.starts_with('L')
}

fn check_eigen(a: &Array, name: &str) -> Result<()> {
    check_matrix(a, name, &SPECTRAL, SPECTRAL_TYPES, "Arrays")?;
    check_square(
        a,
        format!("[linalg::{name}] Only defined for square matrices."),
    )
}

/// The eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix, read
/// from its lower triangle for `uplo = "L"` (anything else reads the upper one, as in MLX).
pub fn eigh(a: &Array, uplo: &str) -> Result<(Array, Array)> {
    check_eigen(a, "eigh")?;
    let lower = reads_lower(uplo);
    let n = a.shape()[a.ndim() - 1];
    let mut out = factorise(
        a,
        LinalgOp::Eigh {
            lower,
            vectors: true,
        },
        vec![
            (batched(a, &[n]), real_part_type(a.dtype())),
            (a.shape().to_vec(), a.dtype()),
        ],
    )?;
    let vectors = out.remove(1);
    Ok((out.remove(0), vectors))
}

/// The eigenvalues (ascending) of each symmetric matrix (see [`eigh`]).
pub fn eigvalsh(a: &Array, uplo: &str) -> Result<Array> {
    check_eigen(a, "eigvalsh")?;
    let lower = reads_lower(uplo);
    let n = a.shape()[a.ndim() - 1];
    Ok(factorise(
        a,
        LinalgOp::Eigh {
            lower,
            vectors: false,
        },
        vec![(batched(a, &[n]), real_part_type(a.dtype()))],
    )?
    .remove(0))
}

/// The eigenvalues and unit-norm eigenvectors (columns) of each square matrix, as
/// complex64.
pub fn eig(a: &Array) -> Result<(Array, Array)> {
    check_eigen(a, "eig")?;
    let n = a.shape()[a.ndim() - 1];
    let mut out = factorise(
        a,
        LinalgOp::Eig { vectors: true },
        vec![
            (batched(a, &[n]), Dtype::Complex64),
            (a.shape().to_vec(), Dtype::Complex64),
        ],
    )?;
    let vectors = out.remove(1);
    Ok((out.remove(0), vectors))
}

/// The eigenvalues (complex64) of each square matrix.
pub fn eigvals(a: &Array) -> Result<Array> {
    check_eigen(a, "eigvals")?;
    let n = a.shape()[a.ndim() - 1];
    Ok(factorise(
        a,
        LinalgOp::Eig { vectors: false },
        vec![(batched(a, &[n]), Dtype::Complex64)],
    )?
    .remove(0))
}
