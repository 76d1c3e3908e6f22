//! Scalars: weakly typed Rust numbers and single element values.

use super::{Complex64, Dtype, Element};

/// A single value. As an operand it is *weak*, like a Python scalar in MLX:
/// it takes the dtype of the array it meets when that loses nothing of its kind
/// (`&bf16_array * 2.0` stays bf16, `&int_array + 1.5` becomes float32).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    /// A boolean.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer too large for `i64`, or one read from an unsigned array.
    UInt(u64),
    /// A real float.
    Float(f64),
    /// A complex number.
    Complex(f64, f64),
}

impl Scalar {
    /// The dtype MLX gives a scalar of this kind when it stands alone (`mx.array(2.5)`).
    pub fn default_dtype(self) -> Dtype {
        match self {
            Scalar::Bool(_) => Dtype::Bool,
            Scalar::Int(_) | Scalar::UInt(_) => Dtype::Int32,
            Scalar::Float(_) => Dtype::Float32,
            Scalar::Complex(..) => Dtype::Complex64,
        }
    }

    /// Converts to `T` with C-style cast semantics (truncation toward zero, wrapping).
    pub fn cast<T: Element>(self) -> T {
        T::from_scalar(self)
    }

    /// The value after a round trip through `dtype`: wrapped, truncated or rounded as
    /// storing it in an array of that dtype would.
    pub fn through(self, dtype: Dtype) -> Scalar {
        crate::dispatch_dtype!(dtype, T => self.cast::<T>().to_scalar())
    }

    /// The value as f64 (real part for complex, 0/1 for bool).
    pub fn to_f64(self) -> f64 {
        match self {
            Scalar::Bool(b) => b as u8 as f64,
            Scalar::Int(i) => i as f64,
            Scalar::UInt(u) => u as f64,
            Scalar::Float(f) => f,
            Scalar::Complex(re, _) => re,
        }
    }

    /// True if an integer scalar fits in the integer dtype `dtype` without wrapping.
    pub(crate) fn fits_integer(self, dtype: Dtype) -> bool {
        let (lo, hi): (i128, i128) = match dtype {
            Dtype::Uint8 => (0, u8::MAX as i128),
            Dtype::Uint16 => (0, u16::MAX as i128),
            Dtype::Uint32 => (0, u32::MAX as i128),
            Dtype::Uint64 => (0, u64::MAX as i128),
            Dtype::Int8 => (i8::MIN as i128, i8::MAX as i128),
            Dtype::Int16 => (i16::MIN as i128, i16::MAX as i128),
            Dtype::Int32 => (i32::MIN as i128, i32::MAX as i128),
            Dtype::Int64 => (i64::MIN as i128, i64::MAX as i128),
            _ => return true,
        };
        let v: i128 = match self {
            Scalar::Int(i) => i as i128,
            Scalar::UInt(u) => u as i128,
            _ => return true,
        };
        lo <= v && v <= hi
    }
}

macro_rules! scalar_from {
    ($variant:ident, $via:ty: $($t:ty),*) => {$(
        impl From<$t> for Scalar {
            fn from(v: $t) -> Self {
                Scalar::$variant(v as $via)
            }
        }
    )*};
}
scalar_from!(Int, i64: i8, i16, i32, i64, u8, u16, u32, isize);
scalar_from!(Float, f64: f32, f64);

impl From<u64> for Scalar {
    fn from(v: u64) -> Self {
        match i64::try_from(v) {
            Ok(i) => Scalar::Int(i),
            Err(_) => Scalar::UInt(v),
        }
    }
}

impl From<usize> for Scalar {
    fn from(v: usize) -> Self {
        Scalar::from(v as u64)
    }
}

impl From<bool> for Scalar {
    fn from(v: bool) -> Self {
        Scalar::Bool(v)
    }
}

impl From<Complex64> for Scalar {
    fn from(v: Complex64) -> Self {
        Scalar::Complex(v.re as f64, v.im as f64)
    }
}

impl From<half::f16> for Scalar {
    fn from(v: half::f16) -> Self {
        Scalar::Float(v.to_f64())
    }
}

impl From<half::bf16> for Scalar {
    fn from(v: half::bf16) -> Self {
        Scalar::Float(v.to_f64())
    }
}
