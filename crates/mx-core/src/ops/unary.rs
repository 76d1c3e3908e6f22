//! Unary elementwise ops.

use super::binary::{divide, maximum, minimum, multiply};
use super::operand::Operand;
use super::select::where_;
use crate::dtype::{Dtype, Scalar};
use crate::error::{Error, Result};
use crate::primitive::{Primitive, UnaryOp};
use crate::Array;

pub(crate) fn unary_op(op: UnaryOp, x: &Array) -> Result<Array> {
    let (compute, out) = op.dtypes(x.dtype()).ok_or_else(|| {
        Error::Dtype(match op {
            UnaryOp::Negative => {
                "[negative] Not supported for bool, use logical_not instead.".to_string()
            }
            UnaryOp::BitwiseInvert => {
                "[bitwise_invert] Bitwise inverse only allowed on integer types.".to_string()
            }
            _ => format!("[{}] Not supported for {}.", op.name(), x.dtype()),
        })
    })?;
    let input = x.astype(compute)?;
    Array::from_op(x.shape().to_vec(), out, Primitive::Unary(op), vec![input])
}

macro_rules! unary_fns {
    ($($name:ident => $op:ident, $doc:literal;)*) => {$(
        #[doc = $doc]
        pub fn $name(x: &Array) -> Result<Array> {
            unary_op(UnaryOp::$op, x)
        }
    )*};
}

unary_fns! {
    abs => Abs, "Absolute value; the magnitude (float32) for complex64.";
    negative => Negative, "Negation; integers wrap. Not defined for bool.";
    sign => Sign, "-1, 0 or 1 by the sign of each element; `x / |x|` for complex.";
    sqrt => Sqrt, "Square root. Integer and bool inputs compute in float32.";
    rsqrt => Rsqrt, "Reciprocal square root.";
    square => Square, "`x * x` in the input dtype.";
    reciprocal => Reciprocal, "`1 / x`, in at least float32.";
    exp => Exp, "Natural exponential.";
    exp2 => Exp2, "Base-2 exponential.";
    expm1 => Expm1, "`exp(x) - 1`, accurate near zero.";
    log => Log, "Natural logarithm.";
    log1p => Log1p, "`log(1 + x)`, accurate near zero.";
    log2 => Log2, "Base-2 logarithm.";
    log10 => Log10, "Base-10 logarithm.";
    sin => Sin, "Sine.";
    cos => Cos, "Cosine.";
    tan => Tan, "Tangent.";
    arcsin => ArcSin, "Inverse sine.";
    arccos => ArcCos, "Inverse cosine.";
    arctan => ArcTan, "Inverse tangent.";
    sinh => Sinh, "Hyperbolic sine.";
    cosh => Cosh, "Hyperbolic cosine.";
    tanh => Tanh, "Hyperbolic tangent.";
    arcsinh => ArcSinh, "Inverse hyperbolic sine.";
    arccosh => ArcCosh, "Inverse hyperbolic cosine.";
    arctanh => ArcTanh, "Inverse hyperbolic tangent.";
    sigmoid => Sigmoid, "Logistic sigmoid `1 / (1 + exp(-x))`.";
    erf => Erf, "Error function.";
    erfinv => ErfInv, "Inverse error function.";
    floor => Floor, "Round toward negative infinity; integers are unchanged.";
    ceil => Ceil, "Round toward positive infinity; integers are unchanged.";
    logical_not => LogicalNot, "True where the element is zero.";
    bitwise_invert => BitwiseInvert, "Bitwise NOT of integers and bool.";
    isnan => IsNan, "True where the element is NaN.";
    isinf => IsInf, "True where the element is infinite.";
    isposinf => IsPosInf, "True where the element is positive infinity.";
    isneginf => IsNegInf, "True where the element is negative infinity.";
    isfinite => IsFinite, "True where the element is neither infinite nor NaN.";
    real => Real, "The real part (float32 for complex64; other dtypes unchanged).";
    imag => Imag, "The imaginary part (zeros for real dtypes).";
    conj => Conj, "The complex conjugate (real dtypes unchanged).";
}

/// Rounds half to even, to `decimals` places (negative rounds to tens, hundreds, ...).
///
/// ```
/// let x = mx_core::array![0.5, 1.5, 2.5, -2.5];
/// assert_eq!(mx_core::round(&x, 0).unwrap().to_vec::<f32>().unwrap(), vec![0.0, 2.0, 2.0, -2.0]);
/// ```
pub fn round(x: &Array, decimals: i32) -> Result<Array> {
    if decimals == 0 {
        return unary_op(UnaryOp::Round, x);
    }
    // MLX scales by a float32 power of ten in the float dtype, then casts back.
    let scale = 10f32.powi(decimals) as f64;
    let scaled = multiply(&at_least_float(x)?, Scalar::Float(scale))?;
    let rounded = unary_op(UnaryOp::Round, &scaled)?;
    divide(&rounded, Scalar::Float(scale))?.astype(x.dtype())
}

/// Replaces NaN with `nan`, and infinities with `posinf` and `neginf`
/// (default: the largest and lowest finite values of the dtype). For complex64 a value
/// counts as infinite when it equals `±inf + 0j`, as in MLX.
pub fn nan_to_num(x: &Array, nan: f64, posinf: Option<f64>, neginf: Option<f64>) -> Result<Array> {
    let dtype = x.dtype();
    if !dtype.is_inexact() {
        return Ok(x.clone());
    }
    let (lowest, highest) = finite_range(dtype);
    let posinf = posinf.unwrap_or(highest);
    let neginf = neginf.unwrap_or(lowest);
    let scalar = |v: f64| Array::scalar_of(Scalar::Float(v), dtype);
    let out = where_(&isnan(x)?, &scalar(nan)?, x)?;
    let out = where_(&isposinf(x)?, &scalar(posinf)?, &out)?;
    where_(&isneginf(x)?, &scalar(neginf)?, &out)
}

fn finite_range(dtype: Dtype) -> (f64, f64) {
    match dtype {
        Dtype::Float16 => (half::f16::MIN.to_f64(), half::f16::MAX.to_f64()),
        Dtype::Bfloat16 => (half::bf16::MIN.to_f64(), half::bf16::MAX.to_f64()),
        Dtype::Float64 => (f64::MIN, f64::MAX),
        _ => (f32::MIN as f64, f32::MAX as f64),
    }
}

/// Limits values to `[a_min, a_max]`; either bound may be omitted, not both.
///
/// ```
/// let x = mx_core::array![-2, 0, 5];
/// let y = mx_core::clip(&x, Some(0.into()), Some(3.into())).unwrap();
/// assert_eq!(y.to_vec::<i32>().unwrap(), vec![0, 0, 3]);
/// ```
pub fn clip(x: &Array, a_min: Option<Operand>, a_max: Option<Operand>) -> Result<Array> {
    if a_min.is_none() && a_max.is_none() {
        return Err(Error::InvalidArgument(
            "[clip] At most one of a_min and a_max may be None".to_string(),
        ));
    }
    let mut out = x.clone();
    if let Some(lo) = a_min {
        out = maximum(&out, lo)?;
    }
    if let Some(hi) = a_max {
        out = minimum(&out, hi)?;
    }
    Ok(out)
}

fn at_least_float(x: &Array) -> Result<Array> {
    if x.dtype().is_inexact() {
        Ok(x.clone())
    } else {
        x.astype(Dtype::Float32)
    }
}

/// Radians to degrees.
pub fn degrees(x: &Array) -> Result<Array> {
    multiply(&at_least_float(x)?, 180.0 / std::f64::consts::PI)
}

/// Degrees to radians.
pub fn radians(x: &Array) -> Result<Array> {
    multiply(&at_least_float(x)?, std::f64::consts::PI / 180.0)
}
