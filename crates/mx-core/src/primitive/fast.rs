//! The fused ops of `mx::fast`: each runs as one kernel per backend, and its transform
//! rules come from the composition of ordinary ops it stands for (`fast::reference`).

/// A fused op of `mx::fast`.
#[derive(Clone, Debug, PartialEq)]
pub enum FastOp {
    /// `x * rsqrt(mean(x², -1) + eps) * weight` over the last axis; inputs `x` and
    /// optionally `weight`, all of the output dtype.
    RmsNorm {
        /// Added to the mean square.
        eps: f32,
    },
    /// `(x - mean) * rsqrt(var + eps) * weight + bias` over the last axis; inputs `x`, then
    /// `weight` and `bias` where present, all of the output dtype.
    LayerNorm {
        /// Added to the variance.
        eps: f32,
        /// A weight input follows `x`.
        weight: bool,
        /// A bias input is last.
        bias: bool,
    },
    /// Rotary position embedding of the first `dims` features of `[..., L, D]`; inputs
    /// `x`, the int32 offset (a scalar or one per leading index) and, with no `base`, the
    /// float32 `freqs`.
    Rope {
        /// Features rotated (even); the rest pass through.
        dims: usize,
        /// Rotate adjacent pairs rather than the two halves.
        traditional: bool,
        /// Base of the default frequencies; `None` when `freqs` is given.
        base: Option<f32>,
        /// Scale of the positions.
        scale: f32,
    },
    /// Scaled dot-product attention of `q [B, Hq, L, D]` over `k, v [B, Hkv, S, D]`;
    /// inputs `q, k, v`, then the mask array and the sinks where present.
    Sdpa {
        /// Scale of the scores.
        scale: f32,
        /// The mask input, if any.
        mask: AttentionMask,
        /// A `[Hq]` sinks input is last.
        sinks: bool,
    },
}

/// The mask of an attention op.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttentionMask {
    /// Every key is seen.
    None,
    /// Query `i` sees keys up to `i + S - L` (aligned to the end).
    Causal,
    /// A boolean input: true keeps a score.
    Keep,
    /// An additive input, added to the scores.
    Additive,
}

impl FastOp {
    /// The name MLX uses for the op, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            FastOp::RmsNorm { .. } => "rms_norm",
            FastOp::LayerNorm { .. } => "layer_norm",
            FastOp::Rope { .. } => "rope",
            FastOp::Sdpa { .. } => "scaled_dot_product_attention",
        }
    }
}
