//! The decompositions MLX also runs on complex64 matrices: the SVD, the Hermitian
//! eigendecomposition and the general one, through `faer` in complex128. Singular values
//! and Hermitian eigenvalues are real (float32); `Vᴴ` is the conjugate transpose.

use super::linalg::{
    eig_failure, eig_nan, eigh_failure, for_each_matrix, lapack_eigenvectors, narrow, svd_failure,
    Output,
};
use crate::array::Data;
use crate::dtype::{Complex64, Dtype};
use crate::error::{Error, Result};
use crate::primitive::LinalgOp;
use faer::{c64, Mat, Side};

/// Runs `op` on every complex64 matrix of the row-contiguous `input`.
pub(super) fn run(
    op: LinalgOp,
    input: &Data,
    shape: &[usize],
    out_meta: &[(Vec<usize>, Dtype)],
) -> Result<Vec<Data>> {
    let (m, n) = (shape[shape.len() - 2], shape[shape.len() - 1]);
    for_each_matrix::<Complex64>(input, shape, out_meta, |b, values, outputs| {
        let a = Mat::from_fn(m, n, |r, c| {
            let z = values[r * n + c];
            c64::new(z.re as f64, z.im as f64)
        });
        match op {
            LinalgOp::Svd { vectors } => svd(&a, vectors, outputs, b),
            LinalgOp::Eigh { lower, vectors } => eigh(&a, lower, vectors, outputs, b),
            LinalgOp::Eig { vectors } => eig(&a, vectors, outputs, b),
            other => Err(Error::Dtype(format!(
                "[linalg] {} does not support complex64 inputs.",
                other.name()
            ))),
        }
    })
}

fn has_nan(a: &Mat<c64>) -> bool {
    (0..a.nrows()).any(|r| (0..a.ncols()).any(|c| a[(r, c)].re.is_nan() || a[(r, c)].im.is_nan()))
}

/// The rows of `m` (or of its conjugate transpose) in row-major complex64.
fn complex_rows(m: faer::MatRef<'_, c64>, conjugate_transpose: bool) -> Vec<Complex64> {
    let (rows, cols) = if conjugate_transpose {
        (m.ncols(), m.nrows())
    } else {
        (m.nrows(), m.ncols())
    };
    let mut out = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            out.push(if conjugate_transpose {
                narrow(m[(c, r)].conj())
            } else {
                narrow(m[(r, c)])
            });
        }
    }
    out
}

/// The identity of size `n` in complex64, the factor of an empty matrix's SVD.
fn identity(n: usize) -> Vec<Complex64> {
    let mut out = vec![Complex64::new(0.0, 0.0); n * n];
    for i in 0..n {
        out[i * n + i] = Complex64::new(1.0, 0.0);
    }
    out
}

fn svd(a: &Mat<c64>, vectors: bool, outputs: &[Output], b: usize) -> Result<()> {
    if has_nan(a) {
        return Err(svd_failure());
    }
    let (m, n) = (a.nrows(), a.ncols());
    if m.min(n) == 0 {
        if vectors {
            outputs[0].write_complex(b, &identity(m));
            outputs[2].write_complex(b, &identity(n));
        }
        return Ok(());
    }
    if !vectors {
        let values = a.singular_values().map_err(|_| svd_failure())?;
        outputs[0].write_real::<f32>(b, &values);
        return Ok(());
    }
    let decomposition = a.svd().map_err(|_| svd_failure())?;
    let s = decomposition.S().column_vector();
    let values: Vec<f64> = (0..m.min(n)).map(|i| s[i].re).collect();
    outputs[0].write_complex(b, &complex_rows(decomposition.U(), false));
    outputs[1].write_real::<f32>(b, &values);
    outputs[2].write_complex(b, &complex_rows(decomposition.V(), true));
    Ok(())
}

/// The Hermitian matrix that LAPACK's `cheevd` reads from one triangle of `a`: the
/// diagonal's real parts, and the triangle mirrored with conjugates.
fn hermitian_from(a: &Mat<c64>, lower: bool) -> Mat<c64> {
    Mat::from_fn(a.nrows(), a.ncols(), |r, c| {
        if r == c {
            c64::new(a[(r, r)].re, 0.0)
        } else if (r > c) == lower {
            a[(r, c)]
        } else {
            a[(c, r)].conj()
        }
    })
}

fn eigh(a: &Mat<c64>, lower: bool, vectors: bool, outputs: &[Output], b: usize) -> Result<()> {
    let n = a.nrows();
    if n == 0 {
        return Ok(());
    }
    let h = hermitian_from(a, lower);
    if !vectors {
        let values = h
            .self_adjoint_eigenvalues(Side::Lower)
            .map_err(|_| eigh_failure())?;
        outputs[0].write_real::<f32>(b, &values);
        return Ok(());
    }
    let decomposition = h
        .self_adjoint_eigen(Side::Lower)
        .map_err(|_| eigh_failure())?;
    let s = decomposition.S().column_vector();
    let values: Vec<f64> = (0..n).map(|i| s[i].re).collect();
    outputs[0].write_real::<f32>(b, &values);
    outputs[1].write_complex(b, &complex_rows(decomposition.U(), false));
    Ok(())
}

fn eig(a: &Mat<c64>, vectors: bool, outputs: &[Output], b: usize) -> Result<()> {
    if a.nrows() == 0 {
        return Ok(());
    }
    if has_nan(a) {
        return Err(eig_nan());
    }
    if !vectors {
        let values = a.eigenvalues().map_err(|_| eig_failure())?;
        outputs[0].write_complex(b, &values.into_iter().map(narrow).collect::<Vec<_>>());
        return Ok(());
    }
    let decomposition = a.eigen().map_err(|_| eig_failure())?;
    let s = decomposition.S().column_vector();
    let values: Vec<Complex64> = (0..a.nrows()).map(|i| narrow(s[i])).collect();
    outputs[0].write_complex(b, &values);
    outputs[1].write_complex(b, &lapack_eigenvectors(decomposition.U()));
    Ok(())
}
