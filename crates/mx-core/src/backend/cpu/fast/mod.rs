//! The fused ops of `mx::fast` on the CPU: each one pass over its rows.

mod norm;
mod rope;
mod sdpa;

use super::math::Arith;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::FastOp;
use half::{bf16, f16};

/// A float element computed through float32, as MLX's fast-op fallbacks compute it: the
/// statistics and angles in float32, the final arithmetic in the element's own precision.
pub(crate) trait Widen: Arith {
    fn to_f32(self) -> f32;
    fn from_f32(v: f32) -> Self;
}

impl Widen for f32 {
    #[inline(always)]
    fn to_f32(self) -> f32 {
        self
    }
    #[inline(always)]
    fn from_f32(v: f32) -> Self {
        v
    }
}

impl Widen for f64 {
    #[inline(always)]
    fn to_f32(self) -> f32 {
        self as f32
    }
    #[inline(always)]
    fn from_f32(v: f32) -> Self {
        v.into()
    }
}

impl Widen for f16 {
    #[inline(always)]
    fn to_f32(self) -> f32 {
        f16::to_f32(self)
    }
    #[inline(always)]
    fn from_f32(v: f32) -> Self {
        f16::from_f32(v)
    }
}

impl Widen for bf16 {
    #[inline(always)]
    fn to_f32(self) -> f32 {
        bf16::to_f32(self)
    }
    #[inline(always)]
    fn from_f32(v: f32) -> Self {
        bf16::from_f32(v)
    }
}

/// Runs the fused op on evaluated `inputs` (shapes in `shapes`) into a fresh output.
pub(crate) fn execute(
    op: &FastOp,
    inputs: &[Data],
    shapes: &[&[usize]],
    out_dtype: Dtype,
    out_shape: &[usize],
) -> Result<Data> {
    macro_rules! by_dtype {
        ($t:ident => $run:expr) => {
            match out_dtype {
                Dtype::Float32 => {
                    type $t = f32;
                    $run
                }
                Dtype::Float16 => {
                    type $t = f16;
                    $run
                }
                Dtype::Bfloat16 => {
                    type $t = bf16;
                    $run
                }
                Dtype::Float64 => {
                    type $t = f64;
                    $run
                }
                other => Err(Error::Dtype(format!(
                    "[{}] Received unsupported type {other}.",
                    op.name()
                ))),
            }
        };
    }
    match *op {
        FastOp::RmsNorm { eps } => {
            let norm = norm::Norm {
                eps,
                centred: false,
                weight: inputs.len() > 1,
                bias: false,
            };
            by_dtype!(T => norm.run::<T>(inputs, out_shape))
        }
        FastOp::LayerNorm { eps, weight, bias } => {
            let norm = norm::Norm {
                eps,
                centred: true,
                weight,
                bias,
            };
            by_dtype!(T => norm.run::<T>(inputs, out_shape))
        }
        FastOp::Rope {
            dims,
            traditional,
            base,
            scale,
        } => {
            let rope = rope::Rope {
                dims,
                traditional,
                base,
                scale,
            };
            by_dtype!(T => rope.run::<T>(inputs, shapes))
        }
        FastOp::Sdpa { scale, mask, sinks } => {
            let attention = sdpa::Attention { scale, mask, sinks };
            by_dtype!(T => attention.run::<T>(inputs, shapes, out_shape))
        }
    }
}
