//! Backends: where primitives are turned into kernels.

pub(crate) mod cpu;
#[cfg(feature = "cuda")]
pub(crate) mod cuda;

use crate::array::{Data, Op};
use crate::error::Result;
use crate::scheduler::Device;

/// Runs `op` on the device of its stream.
pub(crate) fn execute(op: &Op, inputs: &[Data]) -> Result<Vec<Data>> {
    match op.stream.device() {
        Device::Cpu => {
            for input in inputs {
                input.buffer.ensure_host()?;
            }
            cpu::execute(op, inputs)
        }
        #[cfg(feature = "cuda")]
        Device::Gpu(_) => cuda::execute(op, inputs),
        #[cfg(not(feature = "cuda"))]
        Device::Gpu(_) => Err(crate::Error::Device(format!(
            "[{}] No GPU backend in this build.",
            op.primitive.name()
        ))),
    }
}
