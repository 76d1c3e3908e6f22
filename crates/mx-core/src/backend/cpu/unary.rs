//! CPU kernels of the unary primitives.

use super::elementwise::map_unary;
use super::math::{complex_div, Arith, Bits, FloatMath};
use crate::array::Data;
use crate::dtype::{Complex64, Dtype, Element};
use crate::error::{Error, Result};
use crate::primitive::UnaryOp;
use half::{bf16, f16};

/// Runs `op` on `x` (already in the op's compute dtype).
pub(crate) fn unary(op: UnaryOp, x: &Data, shape: &[usize], dtype: Dtype) -> Result<Data> {
    match dtype {
        Dtype::Float32 => unary_float::<f32>(op, x, shape),
        Dtype::Float64 => unary_float::<f64>(op, x, shape),
        Dtype::Float16 => unary_float::<f16>(op, x, shape),
        Dtype::Bfloat16 => unary_float::<bf16>(op, x, shape),
        Dtype::Complex64 => unary_complex(op, x, shape),
        Dtype::Bool => unary_integral::<bool>(op, x, shape),
        Dtype::Uint8 => unary_integral::<u8>(op, x, shape),
        Dtype::Uint16 => unary_integral::<u16>(op, x, shape),
        Dtype::Uint32 => unary_integral::<u32>(op, x, shape),
        Dtype::Uint64 => unary_integral::<u64>(op, x, shape),
        Dtype::Int8 => unary_integral::<i8>(op, x, shape),
        Dtype::Int16 => unary_integral::<i16>(op, x, shape),
        Dtype::Int32 => unary_integral::<i32>(op, x, shape),
        Dtype::Int64 => unary_integral::<i64>(op, x, shape),
    }
}

fn unsupported(op: UnaryOp, dtype: Dtype) -> Error {
    Error::Dtype(format!(
        "[{}] Not supported for {dtype} on the CPU.",
        op.name()
    ))
}

fn unary_float<T: Element + FloatMath + Arith>(op: UnaryOp, x: &Data, s: &[usize]) -> Result<Data> {
    use UnaryOp::*;
    match op {
        Abs => map_unary::<T, T>(x, s, |v| v.abs()),
        Negative => map_unary::<T, T>(x, s, |v| v.neg()),
        Sign => map_unary::<T, T>(x, s, |v| v.sign()),
        Sqrt => map_unary::<T, T>(x, s, |v| v.sqrt()),
        Rsqrt => map_unary::<T, T>(x, s, |v| v.rsqrt()),
        Square => map_unary::<T, T>(x, s, |v| v.square()),
        Reciprocal => map_unary::<T, T>(x, s, |v| v.recip()),
        Exp => map_unary::<T, T>(x, s, |v| v.exp()),
        Exp2 => map_unary::<T, T>(x, s, |v| v.exp2()),
        Expm1 => map_unary::<T, T>(x, s, |v| v.expm1()),
        Log => map_unary::<T, T>(x, s, |v| v.ln()),
        Log1p => map_unary::<T, T>(x, s, |v| v.ln1p()),
        Log2 => map_unary::<T, T>(x, s, |v| v.log2()),
        Log10 => map_unary::<T, T>(x, s, |v| v.log10()),
        Sin => map_unary::<T, T>(x, s, |v| v.sin()),
        Cos => map_unary::<T, T>(x, s, |v| v.cos()),
        Tan => map_unary::<T, T>(x, s, |v| v.tan()),
        ArcSin => map_unary::<T, T>(x, s, |v| v.asin()),
        ArcCos => map_unary::<T, T>(x, s, |v| v.acos()),
        ArcTan => map_unary::<T, T>(x, s, |v| v.atan()),
        Sinh => map_unary::<T, T>(x, s, |v| v.sinh()),
        Cosh => map_unary::<T, T>(x, s, |v| v.cosh()),
        Tanh => map_unary::<T, T>(x, s, |v| v.tanh()),
        ArcSinh => map_unary::<T, T>(x, s, |v| v.asinh()),
        ArcCosh => map_unary::<T, T>(x, s, |v| v.acosh()),
        ArcTanh => map_unary::<T, T>(x, s, |v| v.atanh()),
        Sigmoid => map_unary::<T, T>(x, s, |v| v.sigmoid()),
        Erf => map_unary::<T, T>(x, s, |v| v.erf()),
        ErfInv => map_unary::<T, T>(x, s, |v| v.erfinv()),
        Floor => map_unary::<T, T>(x, s, |v| v.floor()),
        Ceil => map_unary::<T, T>(x, s, |v| v.ceil()),
        Round => map_unary::<T, T>(x, s, |v| v.round_even()),
        LogicalNot => map_unary::<T, bool>(x, s, |v| v.is_zero()),
        IsNan => map_unary::<T, bool>(x, s, |v| FloatMath::is_nan(v)),
        IsInf => map_unary::<T, bool>(x, s, |v| v.is_infinite()),
        IsPosInf => map_unary::<T, bool>(x, s, |v| v.is_infinite() && v.is_sign_positive()),
        IsNegInf => map_unary::<T, bool>(x, s, |v| v.is_infinite() && !v.is_sign_positive()),
        IsFinite => map_unary::<T, bool>(x, s, |v| !v.is_infinite() && !FloatMath::is_nan(v)),
        Real | Conj => map_unary::<T, T>(x, s, |v| v),
        Imag => map_unary::<T, T>(x, s, |_| T::default()),
        BitwiseInvert => Err(unsupported(op, T::DTYPE)),
    }
}

/// Integer behaviour shared by signed, unsigned and bool elements.
trait IntegralMath: Element + Arith + Bits {
    fn abs(self) -> Self;
    fn neg(self) -> Self;
    fn sign(self) -> Self;
}

macro_rules! signed_math {
    ($($t:ty),*) => {$(
        impl IntegralMath for $t {
            fn abs(self) -> Self { self.wrapping_abs() }
            fn neg(self) -> Self { self.wrapping_neg() }
            fn sign(self) -> Self { self.signum() }
        }
    )*};
}
signed_math!(i8, i16, i32, i64);

macro_rules! unsigned_math {
    ($($t:ty),*) => {$(
        impl IntegralMath for $t {
            fn abs(self) -> Self { self }
            fn neg(self) -> Self { self.wrapping_neg() }
            fn sign(self) -> Self { (self != 0) as $t }
        }
    )*};
}
unsigned_math!(u8, u16, u32, u64);

impl IntegralMath for bool {
    fn abs(self) -> Self {
        self
    }
    fn neg(self) -> Self {
        self
    }
    fn sign(self) -> Self {
        self
    }
}

fn unary_integral<T: IntegralMath>(op: UnaryOp, x: &Data, s: &[usize]) -> Result<Data> {
    use UnaryOp::*;
    match op {
        Abs => map_unary::<T, T>(x, s, |v| v.abs()),
        Negative => map_unary::<T, T>(x, s, |v| v.neg()),
        Sign => map_unary::<T, T>(x, s, |v| v.sign()),
        Square => map_unary::<T, T>(x, s, |v| v.mul(v)),
        Floor | Ceil | Round | Real | Conj => map_unary::<T, T>(x, s, |v| v),
        Imag => map_unary::<T, T>(x, s, |_| T::default()),
        BitwiseInvert => map_unary::<T, T>(x, s, |v| v.not()),
        LogicalNot => map_unary::<T, bool>(x, s, |v| v.is_zero()),
        IsNan | IsInf | IsPosInf | IsNegInf => map_unary::<T, bool>(x, s, |_| false),
        IsFinite => map_unary::<T, bool>(x, s, |_| true),
        _ => Err(unsupported(op, T::DTYPE)),
    }
}

fn unary_complex(op: UnaryOp, x: &Data, s: &[usize]) -> Result<Data> {
    use UnaryOp::*;
    type C = Complex64;
    match op {
        Abs => map_unary::<C, f32>(x, s, |v| v.norm()),
        Negative => map_unary::<C, C>(x, s, |v| -v),
        Sign => map_unary::<C, C>(x, s, |v| {
            let n = v.norm();
            if !v.re.is_finite() || !v.im.is_finite() {
                C::new(f32::NAN, f32::NAN)
            } else if n == 0.0 {
                C::new(0.0, 0.0)
            } else {
                v / n
            }
        }),
        Sqrt => map_unary::<C, C>(x, s, |v| v.sqrt()),
        Rsqrt => map_unary::<C, C>(x, s, |v| complex_div(C::new(1.0, 0.0), v.sqrt())),
        Square => map_unary::<C, C>(x, s, |v| v * v),
        Reciprocal => map_unary::<C, C>(x, s, |v| complex_div(C::new(1.0, 0.0), v)),
        Exp => map_unary::<C, C>(x, s, |v| v.exp()),
        Log => map_unary::<C, C>(x, s, |v| v.ln()),
        Log1p => map_unary::<C, C>(x, s, |v| (v + C::new(1.0, 0.0)).ln()),
        Log2 => map_unary::<C, C>(x, s, |v| v.ln() / std::f32::consts::LN_2),
        Log10 => map_unary::<C, C>(x, s, |v| v.ln() / std::f32::consts::LN_10),
        Sin => map_unary::<C, C>(x, s, |v| v.sin()),
        Cos => map_unary::<C, C>(x, s, |v| v.cos()),
        Tan => map_unary::<C, C>(x, s, |v| v.tan()),
        ArcSin => map_unary::<C, C>(x, s, |v| v.asin()),
        ArcCos => map_unary::<C, C>(x, s, |v| v.acos()),
        ArcTan => map_unary::<C, C>(x, s, |v| v.atan()),
        Sinh => map_unary::<C, C>(x, s, |v| v.sinh()),
        Cosh => map_unary::<C, C>(x, s, |v| v.cosh()),
        Tanh => map_unary::<C, C>(x, s, |v| v.tanh()),
        ArcSinh => map_unary::<C, C>(x, s, |v| v.asinh()),
        ArcCosh => map_unary::<C, C>(x, s, |v| v.acosh()),
        ArcTanh => map_unary::<C, C>(x, s, |v| v.atanh()),
        Round => map_unary::<C, C>(x, s, |v| {
            C::new(v.re.round_ties_even(), v.im.round_ties_even())
        }),
        Conj => map_unary::<C, C>(x, s, |v| v.conj()),
        Real => map_unary::<C, f32>(x, s, |v| v.re),
        Imag => map_unary::<C, f32>(x, s, |v| v.im),
        LogicalNot => map_unary::<C, bool>(x, s, |v| v.is_zero()),
        IsNan => map_unary::<C, bool>(x, s, |v| v.re.is_nan() || v.im.is_nan()),
        IsInf => map_unary::<C, bool>(x, s, |v| v.re.is_infinite() || v.im.is_infinite()),
        IsPosInf => map_unary::<C, bool>(x, s, |v| v.re == f32::INFINITY && v.im == 0.0),
        IsNegInf => map_unary::<C, bool>(x, s, |v| v.re == f32::NEG_INFINITY && v.im == 0.0),
        IsFinite => map_unary::<C, bool>(x, s, |v| v.re.is_finite() && v.im.is_finite()),
        Exp2 | Expm1 | Sigmoid | Erf | ErfInv | Floor | Ceil | BitwiseInvert => {
            Err(unsupported(op, Dtype::Complex64))
        }
    }
}
