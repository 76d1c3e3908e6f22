//! Dtypes, MLX's promotion table and weak scalars.

mod element;
mod promotion;
mod scalar;

pub use element::{Complex64, Element};
pub use promotion::result_type;
pub use scalar::Scalar;

use std::fmt;

/// The 14 element types of MLX, in MLX's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dtype {
    /// Boolean, one byte per element.
    Bool,
    /// Unsigned 8-bit integer.
    Uint8,
    /// Unsigned 16-bit integer.
    Uint16,
    /// Unsigned 32-bit integer.
    Uint32,
    /// Unsigned 64-bit integer.
    Uint64,
    /// Signed 8-bit integer.
    Int8,
    /// Signed 16-bit integer.
    Int16,
    /// Signed 32-bit integer.
    Int32,
    /// Signed 64-bit integer.
    Int64,
    /// IEEE half precision.
    Float16,
    /// IEEE single precision.
    Float32,
    /// IEEE double precision (CPU only in MLX).
    Float64,
    /// Brain float 16.
    Bfloat16,
    /// Complex number of two f32.
    Complex64,
}

/// The broad kind of a dtype, used by promotion and op validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DtypeCategory {
    /// `bool`.
    Bool,
    /// Unsigned integers.
    Unsigned,
    /// Signed integers.
    Signed,
    /// Real floating point.
    Floating,
    /// Complex floating point.
    Complex,
}

impl Dtype {
    /// All dtypes in MLX's order.
    pub const ALL: [Dtype; 14] = [
        Dtype::Bool,
        Dtype::Uint8,
        Dtype::Uint16,
        Dtype::Uint32,
        Dtype::Uint64,
        Dtype::Int8,
        Dtype::Int16,
        Dtype::Int32,
        Dtype::Int64,
        Dtype::Float16,
        Dtype::Float32,
        Dtype::Float64,
        Dtype::Bfloat16,
        Dtype::Complex64,
    ];

    /// Bytes per element.
    pub fn size(self) -> usize {
        use Dtype::*;
        match self {
            Bool | Uint8 | Int8 => 1,
            Uint16 | Int16 | Float16 | Bfloat16 => 2,
            Uint32 | Int32 | Float32 => 4,
            Uint64 | Int64 | Float64 | Complex64 => 8,
        }
    }

    /// The MLX name of the dtype, e.g. `float32`.
    pub fn name(self) -> &'static str {
        use Dtype::*;
        match self {
            Bool => "bool",
            Uint8 => "uint8",
            Uint16 => "uint16",
            Uint32 => "uint32",
            Uint64 => "uint64",
            Int8 => "int8",
            Int16 => "int16",
            Int32 => "int32",
            Int64 => "int64",
            Float16 => "float16",
            Float32 => "float32",
            Float64 => "float64",
            Bfloat16 => "bfloat16",
            Complex64 => "complex64",
        }
    }

    /// Parses an MLX dtype name.
    pub fn from_name(name: &str) -> Option<Dtype> {
        Dtype::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The category of the dtype.
    pub fn category(self) -> DtypeCategory {
        use Dtype::*;
        match self {
            Bool => DtypeCategory::Bool,
            Uint8 | Uint16 | Uint32 | Uint64 => DtypeCategory::Unsigned,
            Int8 | Int16 | Int32 | Int64 => DtypeCategory::Signed,
            Float16 | Float32 | Float64 | Bfloat16 => DtypeCategory::Floating,
            Complex64 => DtypeCategory::Complex,
        }
    }

    /// True for signed and unsigned integers (not bool).
    pub fn is_integer(self) -> bool {
        matches!(
            self.category(),
            DtypeCategory::Unsigned | DtypeCategory::Signed
        )
    }

    /// True for real floating point types.
    pub fn is_floating(self) -> bool {
        self.category() == DtypeCategory::Floating
    }

    /// True for real or complex floating point types (MLX's `inexact`).
    pub fn is_inexact(self) -> bool {
        self.is_floating() || self == Dtype::Complex64
    }

    /// True for `complex64`.
    pub fn is_complex(self) -> bool {
        self == Dtype::Complex64
    }

    /// True for unsigned integers.
    pub fn is_unsigned(self) -> bool {
        self.category() == DtypeCategory::Unsigned
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
