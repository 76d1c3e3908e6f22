//! Unary elementwise primitives and their dtype rules.

use crate::dtype::{Dtype, DtypeCategory};

/// Elementwise ops of one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum UnaryOp {
    Abs,
    Negative,
    Sign,
    Sqrt,
    Rsqrt,
    Square,
    Reciprocal,
    Exp,
    Exp2,
    Expm1,
    Log,
    Log1p,
    Log2,
    Log10,
    Sin,
    Cos,
    Tan,
    ArcSin,
    ArcCos,
    ArcTan,
    Sinh,
    Cosh,
    Tanh,
    ArcSinh,
    ArcCosh,
    ArcTanh,
    Sigmoid,
    Erf,
    ErfInv,
    Floor,
    Ceil,
    Round,
    LogicalNot,
    BitwiseInvert,
    IsNan,
    IsInf,
    IsPosInf,
    IsNegInf,
    IsFinite,
    Real,
    Imag,
    Conj,
}

/// How an op treats its input dtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnaryKind {
    /// Floating math: integer and bool inputs are cast to float32 first.
    Float { complex: bool },
    /// Keeps the input dtype.
    Same { complex: bool },
    /// Produces bool.
    Predicate,
    /// Integer and bool inputs only.
    Bitwise,
    /// Complex parts: complex gives float32, other dtypes stay.
    Part,
}

impl UnaryOp {
    /// MLX's name of the op.
    pub fn name(self) -> &'static str {
        use UnaryOp::*;
        match self {
            Abs => "abs",
            Negative => "negative",
            Sign => "sign",
            Sqrt => "sqrt",
            Rsqrt => "rsqrt",
            Square => "square",
            Reciprocal => "reciprocal",
            Exp => "exp",
            Exp2 => "exp2",
            Expm1 => "expm1",
            Log => "log",
            Log1p => "log1p",
            Log2 => "log2",
            Log10 => "log10",
            Sin => "sin",
            Cos => "cos",
            Tan => "tan",
            ArcSin => "arcsin",
            ArcCos => "arccos",
            ArcTan => "arctan",
            Sinh => "sinh",
            Cosh => "cosh",
            Tanh => "tanh",
            ArcSinh => "arcsinh",
            ArcCosh => "arccosh",
            ArcTanh => "arctanh",
            Sigmoid => "sigmoid",
            Erf => "erf",
            ErfInv => "erfinv",
            Floor => "floor",
            Ceil => "ceil",
            Round => "round",
            LogicalNot => "logical_not",
            BitwiseInvert => "bitwise_invert",
            IsNan => "isnan",
            IsInf => "isinf",
            IsPosInf => "isposinf",
            IsNegInf => "isneginf",
            IsFinite => "isfinite",
            Real => "real",
            Imag => "imag",
            Conj => "conj",
        }
    }

    pub(crate) fn kind(self) -> UnaryKind {
        use UnaryOp::*;
        match self {
            Sqrt | Rsqrt | Reciprocal | Exp | Log | Log1p | Log2 | Log10 | Sin | Cos | Tan
            | ArcSin | ArcCos | ArcTan | Sinh | Cosh | Tanh | ArcSinh | ArcCosh | ArcTanh => {
                UnaryKind::Float { complex: true }
            }
            Exp2 | Expm1 | Sigmoid | Erf | ErfInv => UnaryKind::Float { complex: false },
            Abs | Sign | Square | Round | Conj => UnaryKind::Same { complex: true },
            Negative => UnaryKind::Same { complex: true },
            Floor | Ceil => UnaryKind::Same { complex: false },
            LogicalNot | IsNan | IsInf | IsPosInf | IsNegInf | IsFinite => UnaryKind::Predicate,
            BitwiseInvert => UnaryKind::Bitwise,
            Real | Imag => UnaryKind::Part,
        }
    }

    /// The dtype the kernel computes in for an input of `dtype`, and the output dtype;
    /// `None` when MLX rejects the dtype.
    pub(crate) fn dtypes(self, dtype: Dtype) -> Option<(Dtype, Dtype)> {
        let category = dtype.category();
        match self.kind() {
            UnaryKind::Float { complex } => match category {
                DtypeCategory::Complex if !complex => None,
                DtypeCategory::Bool | DtypeCategory::Signed | DtypeCategory::Unsigned => {
                    Some((Dtype::Float32, Dtype::Float32))
                }
                _ => Some((dtype, dtype)),
            },
            UnaryKind::Same { complex } => {
                if category == DtypeCategory::Complex && !complex {
                    return None;
                }
                if self == UnaryOp::Negative && dtype == Dtype::Bool {
                    return None;
                }
                if self == UnaryOp::Abs && dtype == Dtype::Complex64 {
                    return Some((dtype, Dtype::Float32));
                }
                Some((dtype, dtype))
            }
            UnaryKind::Predicate => Some((dtype, Dtype::Bool)),
            UnaryKind::Bitwise => match category {
                DtypeCategory::Bool | DtypeCategory::Signed | DtypeCategory::Unsigned => {
                    Some((dtype, dtype))
                }
                _ => None,
            },
            UnaryKind::Part => Some((
                dtype,
                if dtype == Dtype::Complex64 {
                    Dtype::Float32
                } else {
                    dtype
                },
            )),
        }
    }
}
