//! `to_fp8` and `from_fp8`: float arrays to E4M3 bytes and back.

use crate::error::{Error, Result};
use crate::primitive::Primitive;
use crate::{Array, Dtype};

/// The E4M3 (FN) byte of each element (uint8): rounded to nearest even and saturated at
/// ±448; NaN and infinities also become ±448, as in MLX.
///
/// ```
/// use mx_core::{array, from_fp8, to_fp8, Dtype};
/// let bytes = to_fp8(&array![1.0, 3.3, 1000.0]).unwrap();
/// let back = from_fp8(&bytes, Dtype::Float32).unwrap();
/// assert_eq!(back.to_vec::<f32>().unwrap(), vec![1.0, 3.25, 448.0]);
/// ```
pub fn to_fp8(x: &Array) -> Result<Array> {
    if !x.dtype().is_floating() || x.dtype() == Dtype::Float64 {
        return Err(Error::Dtype(format!(
            "[to_fp8] Only real floating types are supported but x.dtype() == {}.",
            x.dtype()
        )));
    }
    Array::from_op(
        x.shape().to_vec(),
        Dtype::Uint8,
        Primitive::ToFp8,
        vec![x.contiguous()?],
    )
}

/// The float value (of `dtype`) of each E4M3 (FN) byte; `0x7F` and `0xFF` are NaN.
pub fn from_fp8(x: &Array, dtype: Dtype) -> Result<Array> {
    if x.dtype() != Dtype::Uint8 {
        return Err(Error::Dtype(format!(
            "[from_fp8] Input must have type uint8 but x.dtype() == {}.",
            x.dtype()
        )));
    }
    if !dtype.is_floating() || dtype == Dtype::Float64 {
        return Err(Error::Dtype(format!(
            "[from_fp8] Only real floating types are supported but dtype == {dtype}."
        )));
    }
    Array::from_op(
        x.shape().to_vec(),
        dtype,
        Primitive::FromFp8,
        vec![x.contiguous()?],
    )
}
