//! RandomBits on the GPU: the key's Threefry stream, generated where it is used.

use super::compiler::function;
use super::launch::{allocate, arg, device_address, launch_flat};
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;

const RANDOM: &str = include_str!("kernels/random.cu");

/// The random-bits kernel.
fn random_module() -> String {
    format!(
        "{RANDOM}\nextern \"C\" __global__ void bits(const uint32_t* key, int64_t key_stride, uint8_t* out, int64_t nbytes) \
         {{ random_bits(key, key_stride, out, nbytes); }}\n"
    )
}

/// The first bytes of the Threefry stream of `key` (two uint32 along its only axis), as
/// a row-major array of `shape` and `dtype`.
pub(crate) fn bits(key: &Data, shape: &[usize], dtype: Dtype, stream: GpuStream) -> Result<Data> {
    let (out, out_ptr) = allocate(shape, dtype, stream)?;
    let nbytes = shape.iter().product::<usize>() * dtype.size();
    if nbytes == 0 {
        return Ok(out);
    }
    let key_ptr = device_address(key, Dtype::Uint32, stream)?;
    let key_stride = key.strides.first().copied().unwrap_or(1) as i64;
    let nbytes_arg = nbytes as i64;
    let kernel = function("random", "bits", random_module)?;
    // One thread per pair of words.
    launch_flat(
        kernel,
        nbytes.div_ceil(8),
        stream,
        &mut [
            arg(&key_ptr),
            arg(&key_stride),
            arg(&out_ptr),
            arg(&nbytes_arg),
        ],
    )?;
    Ok(out)
}

/// Every module of this file, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    vec![("random".to_string(), random_module())]
}
