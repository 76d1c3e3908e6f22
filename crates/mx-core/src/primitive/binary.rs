//! Binary elementwise primitives and their dtype rules.

use crate::dtype::{Dtype, DtypeCategory};

/// Elementwise ops of two inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    FloorDivide,
    Remainder,
    Power,
    Maximum,
    Minimum,
    ArcTan2,
    LogAddExp,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    LogicalAnd,
    LogicalOr,
    BitwiseAnd,
    BitwiseOr,
    BitwiseXor,
    LeftShift,
    RightShift,
}

impl BinaryOp {
    /// MLX's name of the op.
    pub fn name(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "add",
            Subtract => "subtract",
            Multiply => "multiply",
            Divide => "divide",
            FloorDivide => "floor_divide",
            Remainder => "remainder",
            Power => "power",
            Maximum => "maximum",
            Minimum => "minimum",
            ArcTan2 => "arctan2",
            LogAddExp => "logaddexp",
            Equal => "equal",
            NotEqual => "not_equal",
            Less => "less",
            LessEqual => "less_equal",
            Greater => "greater",
            GreaterEqual => "greater_equal",
            LogicalAnd => "logical_and",
            LogicalOr => "logical_or",
            BitwiseAnd => "bitwise_and",
            BitwiseOr => "bitwise_or",
            BitwiseXor => "bitwise_xor",
            LeftShift => "left_shift",
            RightShift => "right_shift",
        }
    }

    /// True for ops whose output is bool.
    pub fn is_comparison(self) -> bool {
        use BinaryOp::*;
        matches!(
            self,
            Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual
        )
    }

    /// For inputs promoted to `dtype`: the dtype the kernel computes in and the output
    /// dtype, or `None` when MLX rejects the dtype.
    pub(crate) fn dtypes(self, dtype: Dtype) -> Option<(Dtype, Dtype)> {
        use BinaryOp::*;
        let category = dtype.category();
        let integral = matches!(
            category,
            DtypeCategory::Bool | DtypeCategory::Signed | DtypeCategory::Unsigned
        );
        match self {
            Add | Subtract | Multiply | FloorDivide | Power | Maximum | Minimum => {
                Some((dtype, dtype))
            }
            Remainder => (category != DtypeCategory::Complex).then_some((dtype, dtype)),
            Divide | LogAddExp => {
                let float = if integral { Dtype::Float32 } else { dtype };
                Some((float, float))
            }
            ArcTan2 => match category {
                DtypeCategory::Complex => None,
                _ if integral => Some((Dtype::Float32, Dtype::Float32)),
                _ => Some((dtype, dtype)),
            },
            Equal | NotEqual | Less | LessEqual | Greater | GreaterEqual => {
                Some((dtype, Dtype::Bool))
            }
            LogicalAnd | LogicalOr => Some((Dtype::Bool, Dtype::Bool)),
            BitwiseAnd | BitwiseOr | BitwiseXor => integral.then_some((dtype, dtype)),
            LeftShift | RightShift => {
                if dtype == Dtype::Bool {
                    Some((Dtype::Uint8, Dtype::Uint8))
                } else {
                    integral.then_some((dtype, dtype))
                }
            }
        }
    }
}
