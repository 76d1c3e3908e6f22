//! Binary elementwise ops with broadcasting and weak-scalar promotion.

use super::operand::{promote_operands, Operand};
use crate::array::shape::broadcast_shapes;
use crate::error::{Error, Result};
use crate::primitive::{BinaryOp, Primitive};
use crate::scheduler::current_stream;
use crate::Array;

/// Promotes two operands and returns them as arrays of the compute dtype of `op`,
/// with the output dtype and broadcast shape.
fn prepare<'a>(
    op: BinaryOp,
    dtypes: impl Fn(crate::Dtype) -> Option<(crate::Dtype, crate::Dtype)>,
    a: Operand<'a>,
    b: Operand<'a>,
) -> Result<(Array, Array, crate::Dtype, Vec<usize>)> {
    let promoted = promote_operands(&[&a, &b])?;
    let (compute, out) = dtypes(promoted).ok_or_else(|| {
        let name = op.name();
        Error::Dtype(match op {
            BinaryOp::BitwiseAnd
            | BinaryOp::BitwiseOr
            | BinaryOp::BitwiseXor
            | BinaryOp::LeftShift
            | BinaryOp::RightShift => format!(
                "[{name}] Only allowed on integer or boolean types but got types {} and {}.",
                a.dtype(),
                b.dtype()
            ),
            BinaryOp::Remainder => format!("[{name}] Complex type not supported."),
            _ => format!("[{name}] Not supported for {promoted}."),
        })
    })?;
    let a = a.into_array_through(promoted, compute)?;
    let b = b.into_array_through(promoted, compute)?;
    let shape = broadcast_shapes(a.shape(), b.shape())?;
    Ok((a, b, out, shape))
}

pub(crate) fn binary_op<'a>(
    op: BinaryOp,
    a: impl Into<Operand<'a>>,
    b: impl Into<Operand<'a>>,
) -> Result<Array> {
    let (a, b, out, shape) = prepare(op, |d| op.dtypes(d), a.into(), b.into())?;
    Array::from_op(shape, out, Primitive::Binary(op), vec![a, b])
}

macro_rules! binary_fns {
    ($($name:ident => $op:ident, $doc:literal;)*) => {$(
        #[doc = $doc]
        pub fn $name<'a>(a: impl Into<Operand<'a>>, b: impl Into<Operand<'a>>) -> Result<Array> {
            binary_op(BinaryOp::$op, a, b)
        }
    )*};
}

binary_fns! {
    add => Add, "`a + b` with broadcasting; integers wrap on overflow.";
    subtract => Subtract, "`a - b`.";
    multiply => Multiply, "`a * b`.";
    divide => Divide, "True division `a / b`, in at least float32.";
    floor_divide => FloorDivide, "Division rounded toward negative infinity, like Python's `//`. Integer division by zero gives 0.";
    remainder => Remainder, "Remainder with the sign of the divisor, like Python's `%`. An integer remainder by zero gives `a`.";
    power => Power, "`a ** b`. Negative integer exponents give 0.";
    maximum => Maximum, "Elementwise maximum; NaN propagates.";
    minimum => Minimum, "Elementwise minimum; NaN propagates.";
    arctan2 => ArcTan2, "Angle of the point `(b, a)`: `atan(a / b)` in the right quadrant.";
    logaddexp => LogAddExp, "`log(exp(a) + exp(b))`, computed stably.";
    equal => Equal, "`a == b` as bool.";
    not_equal => NotEqual, "`a != b` as bool.";
    less => Less, "`a < b` as bool.";
    less_equal => LessEqual, "`a <= b` as bool.";
    greater => Greater, "`a > b` as bool.";
    greater_equal => GreaterEqual, "`a >= b` as bool.";
    logical_and => LogicalAnd, "Logical AND of the truth values.";
    logical_or => LogicalOr, "Logical OR of the truth values.";
    bitwise_and => BitwiseAnd, "Bitwise AND of integers and bool.";
    bitwise_or => BitwiseOr, "Bitwise OR of integers and bool.";
    bitwise_xor => BitwiseXor, "Bitwise XOR of integers and bool.";
    left_shift => LeftShift, "`a << b`, as MLX computes it on x86 (the count is masked to the promoted width).";
    right_shift => RightShift, "`a >> b` (arithmetic for signed integers).";
}

/// Floor division and remainder together, as two arrays computed by one op.
///
/// ```
/// let (q, r) = mx_core::divmod(&mx_core::array![7, -7], 2).unwrap();
/// assert_eq!(q.to_vec::<i32>().unwrap(), vec![3, -4]);
/// assert_eq!(r.to_vec::<i32>().unwrap(), vec![1, 1]);
/// ```
pub fn divmod<'a>(a: impl Into<Operand<'a>>, b: impl Into<Operand<'a>>) -> Result<(Array, Array)> {
    let (a, b, out, shape) = prepare(
        BinaryOp::Remainder,
        |d| BinaryOp::Remainder.dtypes(d),
        a.into(),
        b.into(),
    )?;
    let stream = current_stream()?;
    let mut outputs = Array::from_op_multi(
        vec![(shape.clone(), out), (shape, out)],
        Primitive::DivMod,
        vec![a, b],
        stream,
    );
    let remainder = outputs.pop();
    let quotient = outputs.pop();
    quotient
        .zip(remainder)
        .ok_or_else(|| Error::Eval("[divmod] Expected two outputs.".to_string()))
}
