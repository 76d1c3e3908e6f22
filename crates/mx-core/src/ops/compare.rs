//! Approximate and exact comparison of whole arrays.

use super::binary::{add, equal, less_equal, logical_and, logical_or, multiply, subtract};
use super::reduce::all;
use super::unary::{abs, isinf, isnan, logical_not};
use crate::dtype::Dtype;
use crate::error::Result;
use crate::Array;

/// True where `|a - b| <= atol + rtol * |b|`, with infinities equal only to
/// themselves and NaN equal to NaN when `equal_nan`.
///
/// ```
/// let a = mx_core::array![1.0, 2.0];
/// let b = mx_core::array![1.0 + 1e-9, 2.1];
/// let c = mx_core::isclose(&a, &b, 1e-5, 1e-8, false).unwrap();
/// assert_eq!(c.to_vec::<bool>().unwrap(), vec![true, false]);
/// ```
pub fn isclose(a: &Array, b: &Array, rtol: f64, atol: f64, equal_nan: bool) -> Result<Array> {
    let rtol = Array::scalar_of(rtol.into(), Dtype::Float32)?;
    let atol = Array::scalar_of(atol.into(), Dtype::Float32)?;
    let rhs = add(&atol, multiply(&rtol, abs(b)?)?)?;
    let lhs = abs(&subtract(a, b)?)?;
    let mut out = less_equal(&lhs, &rhs)?;
    let any_inf = logical_or(isinf(a)?, isinf(b)?)?;
    out = logical_and(&out, logical_not(&any_inf)?)?;
    out = logical_or(&out, logical_and(&any_inf, equal(a, b)?)?)?;
    if equal_nan {
        out = logical_or(&out, logical_and(isnan(a)?, isnan(b)?)?)?;
    }
    Ok(out)
}

/// True (as a 0-d bool array) when every element is close; see [`isclose`].
pub fn allclose(a: &Array, b: &Array, rtol: f64, atol: f64, equal_nan: bool) -> Result<Array> {
    all(&isclose(a, b, rtol, atol, equal_nan)?, None, false)
}

/// True (as a 0-d bool array) when the shapes match and every element is equal.
/// The dtypes may differ. NaN equals NaN only with `equal_nan`.
pub fn array_equal(a: &Array, b: &Array, equal_nan: bool) -> Result<Array> {
    if a.shape() != b.shape() {
        return Array::from_scalar(false);
    }
    let mut eq = equal(a, b)?;
    if equal_nan {
        eq = logical_or(&eq, logical_and(isnan(a)?, isnan(b)?)?)?;
    }
    all(&eq, None, false)
}
