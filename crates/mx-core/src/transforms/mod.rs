//! Function transforms. Evaluation lives here, as in MLX.

mod eval;

pub use eval::{async_eval, eval};
