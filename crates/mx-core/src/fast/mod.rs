//! `mx::fast`: fused ops, each one kernel per backend, as in `mlx.core.fast`.
//!
//! Each op is one graph node. Its transform rules are those of the composition of ordinary
//! ops it stands for (MLX's fallback), so `grad`, `jvp` and `vmap` see through it.

mod norm;
mod rope;
mod sdpa;
#[cfg(test)]
mod tests;

pub use norm::{layer_norm, rms_norm};
pub use rope::{rope, RopeFrequencies, RopeOffset};
pub use sdpa::{scaled_dot_product_attention, Mask};

pub(crate) use sdpa::lowest;

use crate::error::Result;
use crate::primitive::FastOp;
use crate::Array;

/// The composition of ordinary ops that a fused node with these `inputs` stands for.
pub(crate) fn reference(op: &FastOp, inputs: &[Array]) -> Result<Array> {
    match op {
        FastOp::RmsNorm { .. } | FastOp::LayerNorm { .. } => norm::reference(op, inputs),
        FastOp::Rope { .. } => rope::reference(op, inputs),
        FastOp::Sdpa { .. } => sdpa::reference(op, inputs),
    }
}
