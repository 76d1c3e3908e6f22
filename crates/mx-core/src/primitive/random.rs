//! The elementwise steps of MLX's random samplers that use MLX's own arithmetic.

/// An elementwise step of a random sampler, computed as MLX's CPU backend computes it: in
/// f32, with float16 and bfloat16 rounded after every op, and MLX's own `exp`, `erf` and
/// `erfinv` polynomials. The samplers in `mx::random` build on these with ordinary ops.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RandomMath {
    /// uint32 word to a unit uniform of the output dtype: `min(word / 2^32, b)`, with `b`
    /// the dtype's largest value below 1.
    UnitUniform,
    /// A real float to MLX's `erfinv` of it (computed in f32), in the output dtype.
    ErfInv,
    /// A real float to MLX's `erf` of it, in the same dtype.
    Erf,
    /// A unit uniform `u` to `-ln(-ln(u))`, in the same dtype.
    Gumbel,
    /// A float32 uniform `u` in (-1, 1) to `sign(u) * ln(1 - |u|)` in the output dtype.
    Laplace,
}

impl RandomMath {
    /// The name of the step, for messages.
    pub fn name(self) -> &'static str {
        match self {
            RandomMath::UnitUniform => "random_unit_uniform",
            RandomMath::ErfInv => "random_erfinv",
            RandomMath::Erf => "random_erf",
            RandomMath::Gumbel => "random_gumbel",
            RandomMath::Laplace => "random_laplace",
        }
    }
}
