//! Element math used by the CPU kernels.

mod arith;
mod float;

pub(crate) use arith::{complex_div, Arith, Bits};
pub(crate) use float::{exp_f32, FloatMath};
