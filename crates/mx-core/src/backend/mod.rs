//! Backends: where primitives are turned into kernels.

pub(crate) mod cpu;
#[cfg(feature = "cuda")]
pub(crate) mod cuda;

use crate::array::{Data, Op};
use crate::error::Result;
use crate::scheduler::Device;
use std::sync::Arc;

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

/// How many ops from the start of `ops` (a stream's batch, in dependency order) run as one
/// fused kernel: 1 when the first runs alone.
pub(crate) fn fusible_len(ops: &[Arc<Op>]) -> usize {
    #[cfg(feature = "cuda")]
    {
        cuda::fusion::fusible_len(ops)
    }
    #[cfg(not(feature = "cuda"))]
    {
        let _ = ops;
        1
    }
}

/// The plan of a fused run of ops (a prefix [`fusible_len`] accepted): the arrays it reads
/// from outside itself, in `externals`.
#[cfg(feature = "cuda")]
pub(crate) use cuda::fusion::{execute as execute_fused, plan as plan_fusion};
