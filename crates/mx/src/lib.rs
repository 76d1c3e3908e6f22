//! # mx
//!
//! The MLX array framework in Rust. This umbrella crate re-exports `mx-core`
//! (arrays, dtypes, ops, streams, memory); `mx::nn` and `mx::optim` will join it.
//!
//! ```
//! let a = mx::array![[1.0, 2.0], [3.0, 4.0]];
//! let b = mx::exp(&(&a * 0.5)).unwrap();
//! mx::eval(&[&b]).unwrap();
//! assert_eq!(b.shape(), &[2, 2]);
//! ```

pub use mx_core::*;
