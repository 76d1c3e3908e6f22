//! Reduction primitives.

/// How a reduction combines elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReduceKind {
    /// True if every element is non-zero.
    All,
    /// True if any element is non-zero.
    Any,
}

impl ReduceKind {
    /// MLX's name of the op.
    pub fn name(self) -> &'static str {
        match self {
            ReduceKind::All => "all",
            ReduceKind::Any => "any",
        }
    }
}
