//! The CPU kernels of `RandomBits` and `RandomMath`.

use super::elementwise::map_unary;
use crate::array::Data;
use crate::dtype::{Dtype, Element};
use crate::error::{Error, Result};
use crate::primitive::RandomMath;
use crate::random::float::{random_step, random_step_f64, Real};
use crate::random::threefry::random_bits;
use half::{bf16, f16};

/// The first bytes of the Threefry stream of `key` (two uint32 along its only axis), as
/// a row-major array of `shape` and `dtype`.
pub(crate) fn bits(key: &Data, key_shape: &[usize], shape: &[usize], dtype: Dtype) -> Result<Data> {
    // Keys of shape [..., 2] (batched by vmap) each fill an equal, contiguous share of
    // the output, exactly as one call per key would.
    let words = super::strided::gather_cast::<u32, u32>(key, key_shape);
    let keys = (words.len() / 2).max(1);
    let nbytes = shape.iter().product::<usize>() * dtype.size();
    let out = Data::allocate(shape, dtype)?;
    let per_key = nbytes / keys;
    for (i, pair) in words.chunks_exact(2).enumerate() {
        let bytes = random_bits([pair[0], pair[1]], per_key);
        // SAFETY: the fresh buffer holds `nbytes` bytes; key `i` fills `per_key` of them.
        unsafe {
            std::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                out.mut_ptr::<u8>().add(i * per_key),
                per_key,
            )
        };
    }
    Ok(out)
}

/// `step` of MLX's random samplers over `x` (uint32 words, or a real float dtype), producing
/// `to`.
pub(crate) fn random_math(
    step: RandomMath,
    x: &Data,
    shape: &[usize],
    from: Dtype,
    to: Dtype,
) -> Result<Data> {
    match from {
        Dtype::Uint32 => random_math_from::<u32>(step, x, shape, to),
        Dtype::Float32 => random_math_from::<f32>(step, x, shape, to),
        Dtype::Float16 => random_math_from::<f16>(step, x, shape, to),
        Dtype::Bfloat16 => random_math_from::<bf16>(step, x, shape, to),
        _ => Err(unsupported(step, from)),
    }
}

/// [`random_math`] for inputs of type `S`.
fn random_math_from<S: Element>(
    step: RandomMath,
    x: &Data,
    shape: &[usize],
    to: Dtype,
) -> Result<Data> {
    let value = |v: S| v.to_scalar().to_f64();
    match to {
        Dtype::Float32 => map_unary::<S, f32>(x, shape, |v| random_step(step, value(v), Real::F32)),
        // The step rounds to the dtype already, so the conversions are exact.
        Dtype::Float16 => map_unary::<S, f16>(x, shape, |v| {
            f16::from_f32(random_step(step, value(v), Real::F16))
        }),
        Dtype::Bfloat16 => map_unary::<S, bf16>(x, shape, |v| {
            bf16::from_f32(random_step(step, value(v), Real::Bf16))
        }),
        Dtype::Float64 => {
            let step_f64 = random_step_f64(step)?;
            map_unary::<S, f64>(x, shape, |v| step_f64(value(v) as f32))
        }
        _ => Err(unsupported(step, to)),
    }
}

/// The error for a dtype a step has no form for.
fn unsupported(step: RandomMath, dtype: Dtype) -> Error {
    Error::InvalidArgument(format!("[{}] {dtype} is not supported.", step.name()))
}
