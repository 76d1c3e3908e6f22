//! Random numbers on the GPU: the key's Threefry stream (`RandomBits`), generated where it
//! is used, and the steps of MLX's samplers (`RandomMath`).

use super::compiler::{function, KernelTable};
use super::elementwise::{one_input, BODIES};
use super::launch::{allocate, arg, c_type, device_address, launch_flat};
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;
use crate::primitive::RandomMath;

const RANDOM: &str = include_str!("kernels/random.cu");

/// Every `RandomMath` step, in the order of the kernel table's slots.
const STEPS: [RandomMath; 5] = [
    RandomMath::UnitUniform,
    RandomMath::ErfInv,
    RandomMath::Erf,
    RandomMath::Gumbel,
    RandomMath::Laplace,
];

/// The output dtypes a step can produce on the GPU.
const OUTPUTS: [Dtype; 3] = [Dtype::Float32, Dtype::Float16, Dtype::Bfloat16];

/// RandomMath kernels by (step, output dtype, input dtype, strided).
static STEP_KERNELS: KernelTable<{ 8 * 16 * 16 * 2 }> = KernelTable::new();

/// The random-bits kernel.
fn random_module() -> String {
    format!(
        "{RANDOM}\nextern \"C\" __global__ void bits(const uint32_t* key, int64_t key_stride, uint8_t* out, int64_t nbytes) \
         {{ random_bits(key, key_stride, out, nbytes); }}\n"
    )
}

/// The functor of `step`.
fn functor(step: RandomMath) -> &'static str {
    match step {
        RandomMath::UnitUniform => "RandomUnitUniform",
        RandomMath::ErfInv => "RandomErfInv",
        RandomMath::Erf => "RandomErf",
        RandomMath::Gumbel => "RandomGumbel",
        RandomMath::Laplace => "RandomLaplace",
    }
}

/// The input dtypes `step` reads: uint32 words for the unit uniform, real floats otherwise.
fn inputs_of(step: RandomMath) -> &'static [Dtype] {
    match step {
        RandomMath::UnitUniform => &[Dtype::Uint32],
        _ => &OUTPUTS,
    }
}

/// The kernels of every step from input `t` (of `dtype`) to each GPU output dtype.
fn step_module(dtype: Dtype, t: &str) -> String {
    let mut source = format!("{BODIES}\n{RANDOM}\n");
    for step in STEPS.iter().filter(|s| inputs_of(**s).contains(&dtype)) {
        for out in OUTPUTS {
            let op = format!("{}<{}>", functor(*step), c_type(out).unwrap_or("float"));
            let name = format!("{}_{out}", step.name());
            source += &format!(
                "extern \"C\" __global__ void {name}_flat(const {t}* in, decltype({op}()({t}()))* out, int64_t n) \
                 {{ unary_flat<{op}, {t}>(in, out, n); }}\n\
                 extern \"C\" __global__ void {name}_strided(const {t}* in, decltype({op}()({t}()))* out, int64_t n, Layout<1> layout) \
                 {{ unary_strided<{op}, {t}>(in, out, n, layout); }}\n"
            );
        }
    }
    source
}

/// `step` over `x` (of `dtype`), producing `out_dtype`; `None` for float64, which the GPU
/// does not run.
pub(crate) fn random_math(
    step: RandomMath,
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    out_dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    if !OUTPUTS.contains(&out_dtype) || !inputs_of(step).contains(&dtype) {
        return Ok(None);
    }
    one_input(
        &STEP_KERNELS,
        step as usize * 16 + out_dtype as usize,
        || format!("random_steps_{dtype}"),
        || format!("{}_{out_dtype}", step.name()),
        || step_module(dtype, t),
        x,
        shape,
        dtype,
        out_dtype,
        stream,
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
    let mut sources = vec![("random".to_string(), random_module())];
    for dtype in [
        Dtype::Uint32,
        Dtype::Float32,
        Dtype::Float16,
        Dtype::Bfloat16,
    ] {
        let t = c_type(dtype).unwrap_or("float");
        sources.push((format!("random_steps_{dtype}"), step_module(dtype, t)));
    }
    sources
}
