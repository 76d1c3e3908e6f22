//! `hadamard_transform`: the Walsh–Hadamard transform along the last axis.

use crate::error::{Error, Result};
use crate::primitive::{hadamard::decompose, Primitive};
use crate::{Array, Dtype};

/// `(H @ x) * scale` along the last axis for the Hadamard matrix `H` of the axis's size
/// `n = m * 2^k` (`m` in 1, 12, 20, 28; `H` as `scipy.linalg.hadamard` for `m = 1`).
///
/// `scale` defaults to `1/sqrt(n)`, which makes `H` orthonormal. Floats keep their type;
/// other inputs become float32. float64 is not supported, as in MLX.
///
/// ```
/// use mx_core::{array, hadamard_transform};
/// let y = hadamard_transform(&array![1.0, 2.0], Some(1.0)).unwrap();
/// assert_eq!(y.to_vec::<f32>().unwrap(), vec![3.0, -1.0]);
/// ```
pub fn hadamard_transform(a: &Array, scale: Option<f32>) -> Result<Array> {
    if a.size() == 0 {
        return Err(Error::InvalidArgument(
            "[hadamard_transform] Does not support empty arrays.".into(),
        ));
    }
    let n = a.shape().last().copied().unwrap_or(1);
    let scale = scale.unwrap_or((1.0 / (n as f64).sqrt()) as f32);
    let dtype = if a.dtype().is_inexact() && a.dtype() != Dtype::Complex64 {
        a.dtype()
    } else {
        Dtype::Float32
    };
    if n == 1 {
        // MLX's shortcut: no transform, and no cast at all when the scale is one.
        return if scale == 1.0 {
            Ok(a.clone())
        } else {
            super::multiply(a, &Array::from_slice(&[scale], &[])?.astype(dtype)?)
        };
    }
    if decompose(n).is_none() {
        return Err(Error::InvalidArgument(
            "[hadamard] Only supports n = m*2^k where m in (1, 12, 20, 28).".into(),
        ));
    }
    if dtype == Dtype::Float64 {
        return Err(Error::Dtype("[hadamard] Unsupported type.".into()));
    }
    hadamard_node(&a.astype(dtype)?, scale, false)
}

/// The transform node (of `Hᵀ` when `transpose`) over a float input of a valid size.
pub(crate) fn hadamard_node(x: &Array, scale: f32, transpose: bool) -> Result<Array> {
    Array::from_op(
        x.shape().to_vec(),
        x.dtype(),
        Primitive::Hadamard { scale, transpose },
        vec![x.contiguous()?],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::checks::{check_vmap, check_with, values_f32, Function, Mapped};

    /// The adjoint of the Hadamard transform is its transpose, which differs from the matrix
    /// for the orders 20 and 28.
    #[test]
    fn hadamard_derivatives_use_the_transpose() {
        for n in [8, 12, 40, 56] {
            let x = values_f32(&[2, n], 9).astype(Dtype::Float64).unwrap();
            let f: &Function<'_> =
                &|a: &[Array]| hadamard_transform(&a[0].astype(Dtype::Float32)?, Some(0.5));
            check_with("hadamard", f, std::slice::from_ref(&x), 1e-2, 2e-3);
            let mapped: &Mapped<'_> = &|a: &[Array]| hadamard_transform(&a[0], None);
            let batch = values_f32(&[3, 2, n], 4);
            check_vmap(
                "hadamard",
                mapped,
                std::slice::from_ref(&batch),
                &[Some(1)],
                0,
            );
        }
    }
}
