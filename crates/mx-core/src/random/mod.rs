//! Random number generation, bit for bit as MLX 0.32.4 does it on the CPU.
//!
//! Keys are uint32 arrays of shape `[2]`; the bits of a key come from Threefry-2x32 (20
//! rounds). Every function takes an optional key: with `None` it draws exactly one key from
//! a global sequence, which [`seed`] resets. MLX seeds that sequence from the wall clock;
//! mx starts it at `key(0)`, so runs are reproducible without a seed.
//!
//! Every sampler is a lazy graph that runs on the CPU or the GPU: [`bits`] and [`split`] are
//! `RandomBits` ops, and the distributions add `RandomMath` steps (MLX's exact sequence of
//! f32 operations, float16 and bfloat16 rounded after every op, with MLX's own `exp`, `erf`
//! and `erfinv` polynomials) and ordinary ops. On the CPU the results match MLX bit for bit;
//! on the GPU the logarithms are CUDA's, within an ulp. `multivariate_normal` and the
//! inverse-CDF path of `categorical` evaluate on the host.
//!
//! ```
//! use mx_core::{random, Dtype};
//! let k = random::key(0).unwrap();
//! let x = random::normal(&[3], Dtype::Float32, None, None, Some(&k)).unwrap();
//! assert_eq!(x.to_vec::<f32>().unwrap(), vec![1.8160871, -0.482623, 0.33988926]);
//! ```

mod bits;
mod bounds;
mod discrete;
mod distributions;
pub(crate) mod float;
mod key;
mod multivariate;
pub(crate) mod threefry;

#[cfg(test)]
mod tests;

pub use bits::bits;
pub use bounds::{bernoulli_array, randint_array, truncated_normal_array, uniform_array};
pub use discrete::{
    bernoulli, categorical, categorical_with_shape, permutation, permutation_array, randint,
};
pub use distributions::{gumbel, laplace, normal, truncated_normal, uniform};
pub use key::{key, seed, split};
pub use multivariate::multivariate_normal;
