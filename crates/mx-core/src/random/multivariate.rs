//! Multivariate normal samples through the symmetric square root of the covariance,
//! as MLX takes it (from an SVD, which for a covariance is its eigendecomposition).

use super::distributions::normal;
use crate::array::shape::broadcast_shapes;
use crate::dtype::Dtype;
use crate::error::{shape_str, Error, Result};
use crate::Array;

/// Eigenvalues and eigenvectors (columns of `vectors`, row-major `n × n`) of a symmetric
/// matrix by cyclic Jacobi rotations, in float64.
fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut vectors = vec![0.0; n * n];
    for i in 0..n {
        vectors[i * n + i] = 1.0;
    }
    for _sweep in 0..64 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * n + j] * a[i * n + j])
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (vectors[k * n + p], vectors[k * n + q]);
                    vectors[k * n + p] = c * vkp - s * vkq;
                    vectors[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), vectors)
}

/// `Q · diag(sqrt(|λ|)) · Qᵀ` of one symmetric `n × n` matrix.
fn square_root(matrix: &[f32], n: usize) -> Vec<f32> {
    let (values, vectors) = symmetric_eigen(matrix.iter().map(|&v| v as f64).collect(), n);
    let mut out = vec![0.0f32; n * n];
    for i in 0..n {
        for j in 0..n {
            let v: f64 = (0..n)
                .map(|k| vectors[i * n + k] * values[k].abs().sqrt() * vectors[j * n + k])
                .sum();
            out[i * n + j] = v as f32;
        }
    }
    out
}

/// Samples of `N(mean, cov)`: the result has shape
/// `broadcast(cov.shape[:-2], mean.shape[:-1], shape) + [n]` and float32 values.
pub fn multivariate_normal(
    mean: &Array,
    cov: &Array,
    shape: &[usize],
    dtype: Dtype,
    key: Option<&Array>,
) -> Result<Array> {
    if dtype != Dtype::Float32 {
        return Err(Error::Dtype(format!(
            "[multivariate_normal] dtype must be float32, got {dtype}."
        )));
    }
    if mean.ndim() < 1 || cov.ndim() < 2 {
        return Err(Error::Shape(
            "[multivariate_normal] mean must be at least 1-d and cov at least 2-d.".into(),
        ));
    }
    let n = mean.shape()[mean.ndim() - 1];
    let (rows, cols) = (cov.shape()[cov.ndim() - 2], cov.shape()[cov.ndim() - 1]);
    if rows != cols || rows != n {
        return Err(Error::Shape(format!(
            "[multivariate_normal] cov with shape {} must be square and match the last dimension of mean with shape {}.",
            shape_str(cov.shape()),
            shape_str(mean.shape())
        )));
    }
    let batch = broadcast_shapes(
        &cov.shape()[..cov.ndim() - 2],
        &mean.shape()[..mean.ndim() - 1],
    )?;
    let batch = broadcast_shapes(&batch, shape)?;
    let cov32 = cov.astype(Dtype::Float32)?.contiguous()?;
    let values = cov32.to_vec::<f32>()?;
    let roots: Vec<f32> = values
        .chunks(n * n)
        .flat_map(|m| square_root(m, n))
        .collect();
    let std = Array::from_slice(&roots, cov.shape())?;
    let mut out_shape = batch.clone();
    out_shape.push(n);
    let z = normal(&out_shape, Dtype::Float32, None, None, key)?;
    let rows = z.expand_dims(&[-2])?;
    let product = crate::ops::matmul(&rows, &std)?.squeeze(Some(&[-2]))?;
    crate::ops::add(&mean.astype(Dtype::Float32)?, &product)
}
