//! Derivatives of the elementwise primitives: unary and binary ops, select and astype.
//! Each rule gives the partial derivatives, which reverse mode multiplies by the
//! cotangent and forward mode by the tangent.

use crate::error::{Error, Result};
use crate::ops::{
    add, cos, cosh, divide, equal, exp, floor_divide, greater, greater_equal, less, less_equal,
    log, multiply, negative, power, sin, sinh, sqrt, square, subtract, where_,
};
use crate::primitive::{BinaryOp, UnaryOp};
use crate::Array;
use std::f64::consts::{LN_10, LN_2, PI};

/// `f'(x)` of a unary op with output `y`; `None` where the derivative is zero (the op is
/// piecewise constant or its output is boolean). The complex part ops have no rule yet
/// and fail.
pub(crate) fn unary_derivative(op: UnaryOp, x: &Array, y: &Array) -> Result<Option<Array>> {
    use UnaryOp::*;
    let one_minus = |v: &Array| subtract(1.0, v);
    Ok(Some(match op {
        Abs => crate::ops::sign(x)?,
        Negative => crate::ops::full_like(x, -1.0, None)?,
        Sqrt => divide(0.5, y)?,
        Rsqrt => multiply(-0.5, &divide(y, x)?)?,
        Square => multiply(2.0, x)?,
        Reciprocal => negative(&square(y)?)?,
        Exp => y.clone(),
        Exp2 => multiply(y, LN_2)?,
        Expm1 => add(y, 1.0)?,
        Log => divide(1.0, x)?,
        Log1p => divide(1.0, &add(x, 1.0)?)?,
        Log2 => divide(1.0, &multiply(x, LN_2)?)?,
        Log10 => divide(1.0, &multiply(x, LN_10)?)?,
        Sin => cos(x)?,
        Cos => negative(&sin(x)?)?,
        Tan => add(&square(y)?, 1.0)?,
        ArcSin => divide(1.0, &sqrt(&one_minus(&square(x)?)?)?)?,
        ArcCos => divide(-1.0, &sqrt(&one_minus(&square(x)?)?)?)?,
        ArcTan => divide(1.0, &add(&square(x)?, 1.0)?)?,
        Sinh => cosh(x)?,
        Cosh => sinh(x)?,
        Tanh => one_minus(&square(y)?)?,
        ArcSinh => divide(1.0, &sqrt(&add(&square(x)?, 1.0)?)?)?,
        ArcCosh => divide(1.0, &sqrt(&subtract(&square(x)?, 1.0)?)?)?,
        ArcTanh => divide(1.0, &one_minus(&square(x)?)?)?,
        Sigmoid => multiply(y, &one_minus(y)?)?,
        Erf => multiply(2.0 / PI.sqrt(), &exp(&negative(&square(x)?)?)?)?,
        ErfInv => multiply(PI.sqrt() / 2.0, &exp(&square(y)?)?)?,
        Sign | Floor | Ceil | Round | LogicalNot | BitwiseInvert | IsNan | IsInf | IsPosInf
        | IsNegInf | IsFinite => return Ok(None),
        Real | Imag | Conj => {
            return Err(Error::InvalidArgument(format!(
                "[transforms] {} takes the complex-part rules, not a derivative.",
                op.name()
            )))
        }
    }))
}

/// The partial derivatives `(∂/∂a, ∂/∂b)` of a binary op with output `out`, each
/// broadcastable to the output; `None` where it is zero.
pub(crate) fn binary_partials(
    op: BinaryOp,
    a: &Array,
    b: &Array,
    out: &Array,
) -> Result<(Option<Array>, Option<Array>)> {
    use BinaryOp::*;
    let ones = || crate::ops::ones(&[], out.dtype());
    let mask = |m: Array| m.astype(out.dtype());
    Ok(match op {
        Add => (Some(ones()?), Some(ones()?)),
        Subtract => (
            Some(ones()?),
            Some(crate::ops::full(&[], -1.0, Some(out.dtype()))?),
        ),
        Multiply => (Some(b.clone()), Some(a.clone())),
        Divide => (Some(divide(1.0, b)?), Some(negative(&divide(out, b)?)?)),
        Power => {
            let base = where_(&equal(a, 0.0)?, 1.0, a)?;
            (
                Some(multiply(b, &power(a, &subtract(b, 1.0)?)?)?),
                Some(multiply(&log(&base)?, out)?),
            )
        }
        Maximum => (Some(mask(greater(a, b)?)?), Some(mask(less_equal(a, b)?)?)),
        Minimum => (Some(mask(less(a, b)?)?), Some(mask(greater_equal(a, b)?)?)),
        ArcTan2 => {
            let norm = add(&square(a)?, &square(b)?)?;
            (Some(divide(b, &norm)?), Some(negative(&divide(a, &norm)?)?))
        }
        LogAddExp => (
            Some(exp(&subtract(a, out)?)?),
            Some(exp(&subtract(b, out)?)?),
        ),
        Remainder => (Some(ones()?), Some(negative(&floor_divide(a, b)?)?)),
        FloorDivide | Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual | LogicalAnd
        | LogicalOr | BitwiseAnd | BitwiseOr | BitwiseXor | LeftShift | RightShift => (None, None),
    })
}
