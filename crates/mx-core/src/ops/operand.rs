//! Operands: what an op accepts, an array (borrowed or owned) or a weak Rust scalar.

use crate::dtype::{result_type, Dtype, Scalar};
use crate::error::{Error, Result};
use crate::Array;

/// An op argument: an array, or a Rust scalar that is weakly typed like a Python scalar in MLX.
///
/// ```
/// use mx_core::{add, array, Dtype};
/// let x = array![1.0, 2.0].astype(Dtype::Bfloat16).unwrap();
/// assert_eq!(add(&x, 2.0).unwrap().dtype(), Dtype::Bfloat16);
/// assert_eq!(add(&array![1, 2], 1.5).unwrap().dtype(), Dtype::Float32);
/// ```
#[derive(Clone)]
pub enum Operand<'a> {
    /// A borrowed array.
    Ref(&'a Array),
    /// An owned array.
    Owned(Array),
    /// A weakly typed scalar.
    Scalar(Scalar),
}

impl<'a> From<&'a Array> for Operand<'a> {
    fn from(a: &'a Array) -> Self {
        Operand::Ref(a)
    }
}

impl From<Array> for Operand<'_> {
    fn from(a: Array) -> Self {
        Operand::Owned(a)
    }
}

impl From<Scalar> for Operand<'_> {
    fn from(s: Scalar) -> Self {
        Operand::Scalar(s)
    }
}

macro_rules! operand_from_scalar {
    ($($t:ty),*) => {$(
        impl From<$t> for Operand<'_> {
            fn from(v: $t) -> Self {
                Operand::Scalar(Scalar::from(v))
            }
        }
    )*};
}
operand_from_scalar!(
    bool,
    u8,
    u16,
    u32,
    u64,
    usize,
    i8,
    i16,
    i32,
    i64,
    isize,
    f32,
    f64,
    half::f16,
    half::bf16,
    crate::Complex64
);

impl Operand<'_> {
    pub(crate) fn dtype(&self) -> Dtype {
        match self {
            Operand::Ref(a) => a.dtype(),
            Operand::Owned(a) => a.dtype(),
            Operand::Scalar(s) => s.default_dtype(),
        }
    }

    /// The operand as an array of `dtype` (casting lazily if needed).
    pub(crate) fn into_array_of(self, dtype: Dtype) -> Result<Array> {
        match self {
            Operand::Ref(a) => a.astype(dtype),
            Operand::Owned(a) => a.astype(dtype),
            Operand::Scalar(s) => Array::scalar_of(s, dtype),
        }
    }

    /// The operand as an array of `compute`, a scalar first taking the `promoted` dtype
    /// (so that `bool_array / 2**40` wraps the scalar to int32 before dividing, as in MLX).
    pub(crate) fn into_array_through(self, promoted: Dtype, compute: Dtype) -> Result<Array> {
        match self {
            Operand::Scalar(s) => Array::scalar_of(s.through(promoted), compute),
            other => other.into_array_of(compute),
        }
    }

    /// The operand as an array of its own dtype.
    pub(crate) fn into_array(self) -> Result<Array> {
        let dtype = self.dtype();
        self.into_array_of(dtype)
    }
}

/// The dtype a weak scalar takes next to an array of `dtype`, or MLX's overflow error.
fn weak_scalar_dtype(scalar: Scalar, dtype: Dtype) -> Result<Dtype> {
    Ok(match scalar {
        Scalar::Bool(_) => dtype,
        Scalar::Int(_) | Scalar::UInt(_) => {
            if dtype == Dtype::Bool {
                Dtype::Int32
            } else {
                check_integer_fits(scalar, dtype)?;
                dtype
            }
        }
        Scalar::Float(_) => {
            if dtype.is_inexact() {
                dtype
            } else {
                Dtype::Float32
            }
        }
        Scalar::Complex(..) => Dtype::Complex64,
    })
}

/// MLX's overflow check for an integer scalar stored in an integer dtype
/// (uint64 is not checked: MLX wraps negative values there).
pub(crate) fn check_integer_fits(scalar: Scalar, dtype: Dtype) -> Result<()> {
    if dtype.is_integer() && dtype != Dtype::Uint64 && !scalar.fits_integer(dtype) {
        let value = match scalar {
            Scalar::Int(i) => i.to_string(),
            Scalar::UInt(u) => u.to_string(),
            _ => String::new(),
        };
        return Err(Error::InvalidArgument(format!(
            "Converting {value} to {dtype} would result in overflow."
        )));
    }
    Ok(())
}

/// The common dtype of several operands under MLX's rules: arrays promote by the
/// table, scalars are weak.
pub(crate) fn promote_operands(operands: &[&Operand]) -> Result<Dtype> {
    let arrays: Vec<Dtype> = operands
        .iter()
        .filter(|o| !matches!(o, Operand::Scalar(_)))
        .map(|o| o.dtype())
        .collect();
    let mut dtype = match arrays.split_first() {
        Some((first, rest)) => rest.iter().fold(*first, |acc, &d| result_type(acc, d)),
        None => {
            return Ok(operands
                .iter()
                .map(|o| o.dtype())
                .reduce(result_type)
                .unwrap_or(Dtype::Float32))
        }
    };
    for operand in operands {
        if let Operand::Scalar(s) = operand {
            dtype = weak_scalar_dtype(*s, dtype)?;
        }
    }
    Ok(dtype)
}
