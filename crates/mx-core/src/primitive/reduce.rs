//! Reduction primitives.

/// How a reduction combines elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReduceKind {
    /// Sum of the elements.
    Sum,
    /// Product of the elements.
    Prod,
    /// Largest element; NaN propagates.
    Max,
    /// Smallest element; NaN propagates.
    Min,
    /// True if every element is non-zero.
    All,
    /// True if any element is non-zero.
    Any,
}

impl ReduceKind {
    /// MLX's name of the op.
    pub fn name(self) -> &'static str {
        match self {
            ReduceKind::Sum => "sum",
            ReduceKind::Prod => "prod",
            ReduceKind::Max => "max",
            ReduceKind::Min => "min",
            ReduceKind::All => "all",
            ReduceKind::Any => "any",
        }
    }
}

/// Which index an arg-reduction returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArgReduceKind {
    /// Index of the first largest element (NaN counts as largest).
    ArgMax,
    /// Index of the first smallest element (NaN counts as smallest).
    ArgMin,
}

impl ArgReduceKind {
    /// MLX's name of the op.
    pub fn name(self) -> &'static str {
        match self {
            ArgReduceKind::ArgMax => "argmax",
            ArgReduceKind::ArgMin => "argmin",
        }
    }
}
