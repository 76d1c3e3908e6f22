//! The primitives of the graph: one data-carrying enum, so that every backend's
//! `match` is checked for exhaustiveness by the compiler.

mod binary;
mod reduce;
mod unary;

pub use binary::BinaryOp;
pub use reduce::{ArgReduceKind, ReduceKind};
pub use unary::UnaryOp;

/// An operation a backend knows how to run.
#[derive(Clone, Debug, PartialEq)]
pub enum Primitive {
    /// Elementwise op of one input.
    Unary(UnaryOp),
    /// Elementwise op of two inputs of one dtype, broadcast to the output shape.
    Binary(BinaryOp),
    /// Floor division and remainder together: two outputs.
    DivMod,
    /// `where(condition, x, y)`.
    Select,
    /// Cast to the output dtype.
    AsType,
    /// Reinterpret the bytes as the output dtype.
    View,
    /// `start + i * step` for each index of the 1-d output.
    Arange {
        /// First value.
        start: f64,
        /// Increment.
        step: f64,
    },
    /// View the input with stride 0 along broadcast dimensions.
    Broadcast,
    /// New shape with the same elements; a view when the layout allows.
    Reshape,
    /// Permute the axes (a view).
    Transpose(Vec<usize>),
    /// Basic slicing `start::step` per axis (a view); the output shape gives the stop.
    Slice {
        /// First index per axis.
        start: Vec<usize>,
        /// Step per axis, possibly negative.
        step: Vec<isize>,
    },
    /// Copy into a fresh row-major buffer.
    Contiguous,
    /// Reduce over `axes`; the output keeps them as size-1 dimensions.
    Reduce {
        /// The combining rule.
        kind: ReduceKind,
        /// Sorted axes to reduce.
        axes: Vec<usize>,
    },
    /// Index of the largest or smallest element along `axis` (kept as size 1), as uint32.
    ArgReduce {
        /// Which index.
        kind: ArgReduceKind,
        /// The axis.
        axis: usize,
    },
    /// Softmax over the last axis, computed in one pass per row.
    Softmax {
        /// Accumulate half-precision inputs in float32.
        precise: bool,
    },
}

impl Primitive {
    /// The name MLX uses for the op, for messages.
    pub fn name(&self) -> String {
        match self {
            Primitive::Unary(op) => op.name().to_string(),
            Primitive::Binary(op) => op.name().to_string(),
            Primitive::DivMod => "divmod".into(),
            Primitive::Select => "where".into(),
            Primitive::AsType => "astype".into(),
            Primitive::View => "view".into(),
            Primitive::Arange { .. } => "arange".into(),
            Primitive::Broadcast => "broadcast_to".into(),
            Primitive::Reshape => "reshape".into(),
            Primitive::Transpose(_) => "transpose".into(),
            Primitive::Slice { .. } => "slice".into(),
            Primitive::Contiguous => "contiguous".into(),
            Primitive::Reduce { kind, .. } => kind.name().into(),
            Primitive::ArgReduce { kind, .. } => kind.name().into(),
            Primitive::Softmax { .. } => "softmax".into(),
        }
    }
}
