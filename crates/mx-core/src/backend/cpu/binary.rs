//! CPU kernels of the binary primitives, `divmod` and `where`.

use super::elementwise::{map_binary, map_ternary};
use super::math::{Arith, Bits, FloatMath};
use crate::array::Data;
use crate::dtype::{Complex64, Dtype};
use crate::error::{Error, Result};
use crate::primitive::BinaryOp;
use half::{bf16, f16};

type Operand<'a> = (&'a Data, &'a [usize]);

fn unsupported(op: BinaryOp, dtype: Dtype) -> Error {
    Error::Dtype(format!(
        "[{}] Not supported for {dtype} on the CPU.",
        op.name()
    ))
}

/// Runs `op` on two inputs of the compute dtype `dtype`.
pub(crate) fn binary(
    op: BinaryOp,
    a: Operand,
    b: Operand,
    shape: &[usize],
    dtype: Dtype,
) -> Result<Data> {
    match dtype {
        Dtype::Float32 => binary_float::<f32>(op, a, b, shape),
        Dtype::Float64 => binary_float::<f64>(op, a, b, shape),
        Dtype::Float16 => binary_float::<f16>(op, a, b, shape),
        Dtype::Bfloat16 => binary_float::<bf16>(op, a, b, shape),
        Dtype::Complex64 => binary_complex(op, a, b, shape),
        Dtype::Bool => binary_integral::<bool>(op, a, b, shape),
        Dtype::Uint8 => binary_integral::<u8>(op, a, b, shape),
        Dtype::Uint16 => binary_integral::<u16>(op, a, b, shape),
        Dtype::Uint32 => binary_integral::<u32>(op, a, b, shape),
        Dtype::Uint64 => binary_integral::<u64>(op, a, b, shape),
        Dtype::Int8 => binary_integral::<i8>(op, a, b, shape),
        Dtype::Int16 => binary_integral::<i16>(op, a, b, shape),
        Dtype::Int32 => binary_integral::<i32>(op, a, b, shape),
        Dtype::Int64 => binary_integral::<i64>(op, a, b, shape),
    }
}

/// Ops every dtype shares: arithmetic and comparisons. `None` if `op` is not one of them.
fn common<T: Arith>(op: BinaryOp, a: Operand, b: Operand, s: &[usize]) -> Option<Result<Data>> {
    use BinaryOp::*;
    Some(match op {
        Add => map_binary::<T, T, T>(a, b, s, |x, y| x.add(y)),
        Subtract => map_binary::<T, T, T>(a, b, s, |x, y| x.sub(y)),
        Multiply => map_binary::<T, T, T>(a, b, s, |x, y| x.mul(y)),
        Divide => map_binary::<T, T, T>(a, b, s, |x, y| x.div(y)),
        FloorDivide => map_binary::<T, T, T>(a, b, s, |x, y| x.floor_div(y)),
        Remainder => map_binary::<T, T, T>(a, b, s, |x, y| x.rem(y)),
        Power => map_binary::<T, T, T>(a, b, s, |x, y| x.pow(y)),
        Maximum => map_binary::<T, T, T>(a, b, s, |x, y| x.max(y)),
        Minimum => map_binary::<T, T, T>(a, b, s, |x, y| x.min(y)),
        Equal => map_binary::<T, T, bool>(a, b, s, |x, y| x == y),
        NotEqual => map_binary::<T, T, bool>(a, b, s, |x, y| x != y),
        Less => map_binary::<T, T, bool>(a, b, s, |x, y| x.less(y)),
        LessEqual => map_binary::<T, T, bool>(a, b, s, |x, y| x.less(y) || x == y),
        Greater => map_binary::<T, T, bool>(a, b, s, |x, y| y.less(x)),
        GreaterEqual => map_binary::<T, T, bool>(a, b, s, |x, y| y.less(x) || x == y),
        LogicalAnd => map_binary::<T, T, bool>(a, b, s, |x, y| !x.is_zero() && !y.is_zero()),
        LogicalOr => map_binary::<T, T, bool>(a, b, s, |x, y| !x.is_zero() || !y.is_zero()),
        _ => return None,
    })
}

fn binary_float<T: Arith + FloatMath>(
    op: BinaryOp,
    a: Operand,
    b: Operand,
    s: &[usize],
) -> Result<Data> {
    if let Some(result) = common::<T>(op, a, b, s) {
        return result;
    }
    match op {
        BinaryOp::ArcTan2 => map_binary::<T, T, T>(a, b, s, |x, y| x.atan2(y)),
        BinaryOp::LogAddExp => map_binary::<T, T, T>(a, b, s, |x, y| x.logaddexp(y)),
        _ => Err(unsupported(op, T::DTYPE)),
    }
}

fn binary_integral<T: Arith + Bits>(
    op: BinaryOp,
    a: Operand,
    b: Operand,
    s: &[usize],
) -> Result<Data> {
    if let Some(result) = common::<T>(op, a, b, s) {
        return result;
    }
    match op {
        BinaryOp::BitwiseAnd => map_binary::<T, T, T>(a, b, s, |x, y| x.and(y)),
        BinaryOp::BitwiseOr => map_binary::<T, T, T>(a, b, s, |x, y| x.or(y)),
        BinaryOp::BitwiseXor => map_binary::<T, T, T>(a, b, s, |x, y| x.xor(y)),
        BinaryOp::LeftShift => map_binary::<T, T, T>(a, b, s, |x, y| x.shl(y)),
        BinaryOp::RightShift => map_binary::<T, T, T>(a, b, s, |x, y| x.shr(y)),
        _ => Err(unsupported(op, T::DTYPE)),
    }
}

fn binary_complex(op: BinaryOp, a: Operand, b: Operand, s: &[usize]) -> Result<Data> {
    if let Some(result) = common::<Complex64>(op, a, b, s) {
        return result;
    }
    match op {
        BinaryOp::LogAddExp => map_binary::<Complex64, Complex64, Complex64>(a, b, s, |x, y| {
            let (hi, lo) = if y.less(x) { (x, y) } else { (y, x) };
            hi + ((lo - hi).exp() + Complex64::new(1.0, 0.0)).ln()
        }),
        _ => Err(unsupported(op, Dtype::Complex64)),
    }
}

/// The two outputs of `divmod`: floor division and remainder.
pub(crate) fn divmod(a: Operand, b: Operand, shape: &[usize], dtype: Dtype) -> Result<Vec<Data>> {
    let quotient = binary(BinaryOp::FloorDivide, a, b, shape, dtype)?;
    let remainder = binary(BinaryOp::Remainder, a, b, shape, dtype)?;
    Ok(vec![quotient, remainder])
}

/// `where(condition, x, y)` with `x` and `y` of one dtype.
pub(crate) fn select(
    cond: Operand,
    x: Operand,
    y: Operand,
    shape: &[usize],
    dtype: Dtype,
) -> Result<Data> {
    crate::dispatch_dtype!(dtype, T => map_ternary::<bool, T, T, T>(cond, x, y, shape, |c, a, b| if c { a } else { b }))
}
