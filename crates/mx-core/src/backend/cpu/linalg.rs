//! Linear algebra on the CPU, one matrix of the batch at a time in float64: Householder
//! QR, LU and Cholesky written out with LAPACK's conventions (signs, pivots, the partial
//! factor of a matrix that is not positive definite), and `faer` for the SVD and the
//! eigendecompositions.

use crate::array::Data;
use crate::dtype::{Complex64, Dtype};
use crate::error::{Error, Result};
use crate::primitive::LinalgOp;
use faer::{Mat, Side};

/// A row-major float64 matrix.
#[derive(Clone)]
struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }

    fn identity(n: usize) -> Matrix {
        let mut m = Matrix::zeros(n, n);
        for i in 0..n {
            m.data[i * n + i] = 1.0;
        }
        m
    }

    fn at(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols + c]
    }

    fn set(&mut self, r: usize, c: usize, v: f64) {
        self.data[r * self.cols + c] = v;
    }

    fn transposed(&self) -> Matrix {
        let mut t = Matrix::zeros(self.cols, self.rows);
        for r in 0..self.rows {
            for c in 0..self.cols {
                t.set(c, r, self.at(r, c));
            }
        }
        t
    }

    fn to_faer(&self) -> Mat<f64> {
        Mat::from_fn(self.rows, self.cols, |r, c| self.at(r, c))
    }
}

/// Reads and writes the batch of matrices of one element type.
pub(super) trait Real: Copy + 'static {
    fn to_f64(self) -> f64;
    fn from_f64(v: f64) -> Self;
}

impl Real for f32 {
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
}

impl Real for f64 {
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(v: f64) -> f64 {
        v
    }
}

/// Runs `op` on every matrix of the row-contiguous `input` (shape `[.., M, N]`), writing
/// the outputs described by `out_meta`.
pub(crate) fn linalg(
    op: LinalgOp,
    input: &Data,
    shape: &[usize],
    dtype: Dtype,
    out_meta: &[(Vec<usize>, Dtype)],
) -> Result<Vec<Data>> {
    match dtype {
        Dtype::Float32 => run::<f32>(op, input, shape, out_meta),
        Dtype::Float64 => run::<f64>(op, input, shape, out_meta),
        Dtype::Complex64 => super::linalg_complex::run(op, input, shape, out_meta),
        other => Err(Error::Dtype(format!(
            "[linalg] {} does not support {other} inputs.",
            op.name()
        ))),
    }
}

/// One output buffer and where the next matrix goes in it.
pub(super) struct Output {
    data: Data,
    dtype: Dtype,
    per_matrix: usize,
}

impl Output {
    pub(super) fn write_real<T: Real>(&self, index: usize, values: &[f64]) {
        let at = index * self.per_matrix;
        for (i, &v) in values.iter().enumerate() {
            // SAFETY: matrix `index` of the fresh output holds `per_matrix` elements.
            unsafe {
                match self.dtype {
                    Dtype::Uint32 => *self.data.mut_ptr::<u32>().add(at + i) = v as u32,
                    _ => *self.data.mut_ptr::<T>().add(at + i) = T::from_f64(v),
                }
            }
        }
    }

    pub(super) fn write_complex(&self, index: usize, values: &[Complex64]) {
        let at = index * self.per_matrix;
        // SAFETY: as above, complex64 elements.
        let target = unsafe {
            std::slice::from_raw_parts_mut(self.data.mut_ptr::<Complex64>().add(at), values.len())
        };
        target.copy_from_slice(values);
    }
}

/// Runs `each(b, matrix, outputs)` on every matrix `b` of the row-contiguous `input`
/// (shape `[.., M, N]`, elements `E`), writing into fresh buffers described by
/// `out_meta`, each with the input's batch axes in front.
pub(super) fn for_each_matrix<E: Copy>(
    input: &Data,
    shape: &[usize],
    out_meta: &[(Vec<usize>, Dtype)],
    mut each: impl FnMut(usize, &[E], &[Output]) -> Result<()>,
) -> Result<Vec<Data>> {
    let nd = shape.len();
    let size = shape[nd - 2] * shape[nd - 1];
    let batch: usize = shape[..nd - 2].iter().product();
    let outputs: Vec<Output> = out_meta
        .iter()
        .map(|(out_shape, dtype)| {
            let total: usize = out_shape.iter().product();
            Ok(Output {
                data: Data::allocate(out_shape, *dtype)?,
                dtype: *dtype,
                per_matrix: total.checked_div(batch).unwrap_or(0),
            })
        })
        .collect::<Result<_>>()?;
    for b in 0..batch {
        // SAFETY: matrix `b` of the row-contiguous input of `E`s.
        let values = unsafe { std::slice::from_raw_parts(input.ptr::<E>().add(b * size), size) };
        each(b, values, &outputs)?;
    }
    Ok(outputs.into_iter().map(|o| o.data).collect())
}

fn run<T: Real>(
    op: LinalgOp,
    input: &Data,
    shape: &[usize],
    out_meta: &[(Vec<usize>, Dtype)],
) -> Result<Vec<Data>> {
    let (m, n) = (shape[shape.len() - 2], shape[shape.len() - 1]);
    for_each_matrix::<T>(input, shape, out_meta, |b, values, outputs| {
        let a = Matrix {
            rows: m,
            cols: n,
            data: values.iter().map(|v| v.to_f64()).collect(),
        };
        match op {
            LinalgOp::Qr => {
                let (q, r) = qr(a);
                outputs[0].write_real::<T>(b, &q.data);
                outputs[1].write_real::<T>(b, &r.data);
            }
            LinalgOp::Svd { vectors } => svd::<T>(&a, vectors, outputs, b)?,
            LinalgOp::Inverse { triangular, upper } => {
                let inverse = if triangular {
                    triangular_inverse(&a, upper)?
                } else {
                    inverse(&a)?
                };
                outputs[0].write_real::<T>(b, &inverse.data);
            }
            LinalgOp::Cholesky { upper } => {
                outputs[0].write_real::<T>(b, &cholesky(&a, upper).data)
            }
            LinalgOp::LuFactor => {
                let (lu, pivots) = lu_factor(a);
                outputs[0].write_real::<T>(b, &lu.data);
                let pivots: Vec<f64> = pivots.iter().map(|&p| p as f64).collect();
                outputs[1].write_real::<T>(b, &pivots);
            }
            LinalgOp::Eigh { lower, vectors } => eigh::<T>(&a, lower, vectors, outputs, b)?,
            LinalgOp::Eig { vectors } => eig(&a, vectors, outputs, b)?,
        }
        Ok(())
    })
}

/// Householder QR with LAPACK's `dlarfg` reflectors: the reduced `Q` and `R`.
fn qr(mut a: Matrix) -> (Matrix, Matrix) {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let mut taus = vec![0.0; k];
    for (j, tau_slot) in taus.iter_mut().enumerate() {
        let alpha = a.at(j, j);
        let norm = (j + 1..m)
            .map(|i| a.at(i, j) * a.at(i, j))
            .sum::<f64>()
            .sqrt();
        if norm == 0.0 {
            continue;
        }
        let beta = -alpha.hypot(norm).copysign(alpha);
        let tau = (beta - alpha) / beta;
        let scale = 1.0 / (alpha - beta);
        for i in j + 1..m {
            a.set(i, j, a.at(i, j) * scale);
        }
        a.set(j, j, beta);
        *tau_slot = tau;
        for c in j + 1..n {
            let w = a.at(j, c) + (j + 1..m).map(|i| a.at(i, j) * a.at(i, c)).sum::<f64>();
            a.set(j, c, a.at(j, c) - tau * w);
            for i in j + 1..m {
                a.set(i, c, a.at(i, c) - tau * a.at(i, j) * w);
            }
        }
    }
    let mut r = Matrix::zeros(k, n);
    for i in 0..k {
        for c in i..n {
            r.set(i, c, a.at(i, c));
        }
    }
    let mut q = Matrix::zeros(m, k);
    for i in 0..k {
        q.set(i, i, 1.0);
    }
    for j in (0..k).rev() {
        let tau = taus[j];
        if tau == 0.0 {
            continue;
        }
        for c in 0..k {
            let w = q.at(j, c) + (j + 1..m).map(|i| a.at(i, j) * q.at(i, c)).sum::<f64>();
            q.set(j, c, q.at(j, c) - tau * w);
            for i in j + 1..m {
                q.set(i, c, q.at(i, c) - tau * a.at(i, j) * w);
            }
        }
    }
    (q, r)
}

/// LU with partial pivoting (the first largest magnitude wins), in place: unit-lower
/// `L` below the diagonal, `U` on and above it, and LAPACK's 0-based row swaps.
fn lu_factor(mut a: Matrix) -> (Matrix, Vec<usize>) {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let mut pivots = Vec::with_capacity(k);
    for j in 0..k {
        let mut p = j;
        for i in j + 1..m {
            if a.at(i, j).abs() > a.at(p, j).abs() {
                p = i;
            }
        }
        pivots.push(p);
        if a.at(p, j) == 0.0 {
            continue;
        }
        if p != j {
            for c in 0..n {
                let (x, y) = (a.at(j, c), a.at(p, c));
                a.set(j, c, y);
                a.set(p, c, x);
            }
        }
        let pivot = a.at(j, j);
        for i in j + 1..m {
            let factor = a.at(i, j) / pivot;
            a.set(i, j, factor);
            for c in j + 1..n {
                a.set(i, c, a.at(i, c) - factor * a.at(j, c));
            }
        }
    }
    (a, pivots)
}

/// The inverse through the LU of `Aᵀ`, whose first exactly-zero pivot (1-based) is
/// MLX's error code for a singular matrix.
fn inverse(a: &Matrix) -> Result<Matrix> {
    let n = a.rows;
    let (lu, pivots) = lu_factor(a.transposed());
    if let Some(k) = (0..n).find(|&i| lu.at(i, i) == 0.0) {
        return Err(Error::InvalidArgument(format!(
            "[Inverse::eval_cpu] LU factorization failed with error code {}",
            k + 1
        )));
    }
    // Solve Aᵀ X = I, so X = inv(Aᵀ) = inv(A)ᵀ.
    let mut x = Matrix::identity(n);
    for (j, &p) in pivots.iter().enumerate() {
        if p != j {
            for c in 0..n {
                let (u, v) = (x.at(j, c), x.at(p, c));
                x.set(j, c, v);
                x.set(p, c, u);
            }
        }
    }
    for c in 0..n {
        for i in 0..n {
            let mut v = x.at(i, c);
            for t in 0..i {
                v -= lu.at(i, t) * x.at(t, c);
            }
            x.set(i, c, v);
        }
        for i in (0..n).rev() {
            let mut v = x.at(i, c);
            for t in i + 1..n {
                v -= lu.at(i, t) * x.at(t, c);
            }
            x.set(i, c, v / lu.at(i, i));
        }
    }
    Ok(x.transposed())
}

/// The inverse of the chosen triangle of `a` (the other triangle is ignored and zero in
/// the result); a zero on the diagonal is MLX's error, with its 1-based position.
fn triangular_inverse(a: &Matrix, upper: bool) -> Result<Matrix> {
    let n = a.rows;
    if let Some(k) = (0..n).find(|&i| a.at(i, i) == 0.0) {
        return Err(Error::InvalidArgument(format!(
            "[Inverse::eval_cpu] triangular inversion failed with error code {}",
            k + 1
        )));
    }
    let lower = if upper { a.transposed() } else { a.clone() };
    let mut x = Matrix::zeros(n, n);
    for c in 0..n {
        for i in c..n {
            let mut v = if i == c { 1.0 } else { 0.0 };
            for t in c..i {
                v -= lower.at(i, t) * x.at(t, c);
            }
            x.set(i, c, v / lower.at(i, i));
        }
    }
    Ok(if upper { x.transposed() } else { x })
}

/// LAPACK's recursive `potrf2` on the lower triangle of `w[off.., off..]` (`n` wide);
/// returns LAPACK's `info` (0, or the 1-based column where it stopped).
fn potrf2(w: &mut Matrix, off: usize, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    if n == 1 {
        let x = w.at(off, off);
        // Zero, negative or NaN: LAPACK stops and leaves the entry as it is.
        if x.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return 1;
        }
        w.set(off, off, x.sqrt());
        return 0;
    }
    let n1 = n / 2;
    let info = potrf2(w, off, n1);
    if info != 0 {
        return info;
    }
    // W21 = W21 L11⁻ᵀ, then the trailing block loses W21 W21ᵀ.
    for r in off + n1..off + n {
        for j in off..off + n1 {
            let mut v = w.at(r, j);
            for i in off..j {
                v -= w.at(r, i) * w.at(j, i);
            }
            w.set(r, j, v / w.at(j, j));
        }
    }
    for r in off + n1..off + n {
        for c in off + n1..=r {
            let dot: f64 = (off..off + n1).map(|i| w.at(r, i) * w.at(c, i)).sum();
            w.set(r, c, w.at(r, c) - dot);
        }
    }
    let info = potrf2(w, off + n1, n - n1);
    if info != 0 {
        info + n1
    } else {
        0
    }
}

/// The Cholesky factor of the chosen triangle, as MLX returns it: LAPACK's partially
/// factored matrix (no error) when `a` is not positive definite.
fn cholesky(a: &Matrix, upper: bool) -> Matrix {
    let mut w = if upper { a.transposed() } else { a.clone() };
    let n = w.rows;
    potrf2(&mut w, 0, n);
    let mut l = Matrix::zeros(n, n);
    for r in 0..n {
        for c in 0..=r {
            l.set(r, c, w.at(r, c));
        }
    }
    if upper {
        l.transposed()
    } else {
        l
    }
}

/// MLX's error for an SVD that LAPACK could not finish.
pub(super) fn svd_failure() -> Error {
    Error::InvalidArgument("[SVD::eval_cpu] SVD failed with error code -4".into())
}

/// MLX's error for a symmetric eigendecomposition that did not converge.
pub(super) fn eigh_failure() -> Error {
    Error::InvalidArgument(
        "[Eigh::eval_cpu] Eigenvalue decomposition failed with error code 1".into(),
    )
}

/// MLX's error for a general eigendecomposition that did not converge.
pub(super) fn eig_failure() -> Error {
    Error::InvalidArgument(
        "[Eig::eval_cpu] Eigenvalue decomposition failed with error code 1".into(),
    )
}

/// The error for a general eigendecomposition of a matrix with NaNs.
pub(super) fn eig_nan() -> Error {
    Error::InvalidArgument(
        "[Eig::eval_cpu] Eigenvalue decomposition failed: the matrix has NaN entries.".into(),
    )
}

fn has_nan(a: &Matrix) -> bool {
    a.data.iter().any(|v| v.is_nan())
}

fn svd<T: Real>(a: &Matrix, vectors: bool, outputs: &[Output], b: usize) -> Result<()> {
    if has_nan(a) {
        return Err(svd_failure());
    }
    let k = a.rows.min(a.cols);
    if k == 0 {
        if vectors {
            outputs[0].write_real::<T>(b, &Matrix::identity(a.rows).data);
            outputs[2].write_real::<T>(b, &Matrix::identity(a.cols).data);
        }
        return Ok(());
    }
    let m = a.to_faer();
    if !vectors {
        let values = m.singular_values().map_err(|_| svd_failure())?;
        outputs[0].write_real::<T>(b, &values);
        return Ok(());
    }
    let decomposition = m.svd().map_err(|_| svd_failure())?;
    let (u, s, v) = (decomposition.U(), decomposition.S(), decomposition.V());
    let mut u_values = Vec::with_capacity(a.rows * a.rows);
    for r in 0..a.rows {
        for c in 0..a.rows {
            u_values.push(u[(r, c)]);
        }
    }
    let s_values: Vec<f64> = (0..k).map(|i| s.column_vector()[i]).collect();
    let mut vt_values = Vec::with_capacity(a.cols * a.cols);
    for r in 0..a.cols {
        for c in 0..a.cols {
            vt_values.push(v[(c, r)]);
        }
    }
    outputs[0].write_real::<T>(b, &u_values);
    outputs[1].write_real::<T>(b, &s_values);
    outputs[2].write_real::<T>(b, &vt_values);
    Ok(())
}

fn eigh<T: Real>(
    a: &Matrix,
    lower: bool,
    vectors: bool,
    outputs: &[Output],
    b: usize,
) -> Result<()> {
    let n = a.rows;
    if n == 0 {
        return Ok(());
    }
    let side = if lower { Side::Lower } else { Side::Upper };
    let m = a.to_faer();
    if !vectors {
        let values = m
            .self_adjoint_eigenvalues(side)
            .map_err(|_| eigh_failure())?;
        outputs[0].write_real::<T>(b, &values);
        return Ok(());
    }
    let decomposition = m.self_adjoint_eigen(side).map_err(|_| eigh_failure())?;
    let (u, s) = (decomposition.U(), decomposition.S());
    let values: Vec<f64> = (0..n).map(|i| s.column_vector()[i]).collect();
    let mut columns = Vec::with_capacity(n * n);
    for r in 0..n {
        for c in 0..n {
            columns.push(u[(r, c)]);
        }
    }
    outputs[0].write_real::<T>(b, &values);
    outputs[1].write_real::<T>(b, &columns);
    Ok(())
}

/// The columns of `u` in row-major complex64 with LAPACK's normalisation of
/// eigenvectors: unit norm, the largest component real and positive.
pub(super) fn lapack_eigenvectors(u: faer::MatRef<'_, faer::c64>) -> Vec<Complex64> {
    let n = u.nrows();
    let mut columns = vec![Complex64::new(0.0, 0.0); n * u.ncols()];
    for c in 0..u.ncols() {
        let column: Vec<faer::c64> = (0..n).map(|r| u[(r, c)]).collect();
        let norm = column.iter().map(|z| z.norm_sqr()).sum::<f64>().sqrt();
        let largest = column
            .iter()
            .copied()
            .fold(faer::c64::new(0.0, 0.0), |best, z| {
                if z.norm() > best.norm() {
                    z
                } else {
                    best
                }
            });
        let phase = if largest.norm() > 0.0 {
            largest.conj() / largest.norm()
        } else {
            faer::c64::new(1.0, 0.0)
        };
        for (r, z) in column.into_iter().enumerate() {
            let scaled = if norm > 0.0 { z * phase / norm } else { z };
            columns[r * u.ncols() + c] = narrow(scaled);
        }
    }
    columns
}

/// A complex128 value as complex64.
pub(super) fn narrow(z: faer::c64) -> Complex64 {
    Complex64::new(z.re as f32, z.im as f32)
}

fn eig(a: &Matrix, vectors: bool, outputs: &[Output], b: usize) -> Result<()> {
    let n = a.rows;
    if n == 0 {
        return Ok(());
    }
    if has_nan(a) {
        return Err(eig_nan());
    }
    let m = a.to_faer();
    if !vectors {
        let values = m.eigenvalues().map_err(|_| eig_failure())?;
        outputs[0].write_complex(b, &values.into_iter().map(narrow).collect::<Vec<_>>());
        return Ok(());
    }
    let decomposition = m.eigen().map_err(|_| eig_failure())?;
    let (u, s) = (decomposition.U(), decomposition.S());
    let values: Vec<Complex64> = (0..n).map(|i| narrow(s.column_vector()[i])).collect();
    let columns = lapack_eigenvectors(u);
    outputs[0].write_complex(b, &values);
    outputs[1].write_complex(b, &columns);
    Ok(())
}
