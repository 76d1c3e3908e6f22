//! The fused ops of `mx::fast` on the GPU: norms, rope and attention (`kernels/fast.cu`).

use super::compiler::function;
use super::launch::{allocate, arg, c_type, device_address, launch_flat, launch_rows};
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;
use crate::fast::lowest;
use crate::primitive::{AttentionMask, FastOp};

const FAST: &str = include_str!("kernels/fast.cu");
const SOFTMAX: &str = include_str!("kernels/softmax.cu");
/// Threads per block of the norm and attention kernels.
const BLOCK: u32 = 256;
/// The attention kernels' register chunks of 32 features: depths up to 256.
const CHUNKS: [usize; 4] = [1, 2, 4, 8];

/// The fast-op kernels of element type `t`.
fn fast_module(t: &str) -> String {
    let mut text = format!(
        "{SOFTMAX}\n{FAST}\n\
         extern \"C\" __global__ void rms_norm(const {t}* in, const {t}* weight, const {t}* bias, {t}* out, int64_t rows, int64_t n, float eps) \
         {{ norm_rows<{t}, false>(in, weight, bias, out, rows, n, eps); }}\n\
         extern \"C\" __global__ void layer_norm(const {t}* in, const {t}* weight, const {t}* bias, {t}* out, int64_t rows, int64_t n, float eps) \
         {{ norm_rows<{t}, true>(in, weight, bias, out, rows, n, eps); }}\n\
         extern \"C\" __global__ void rope(const {t}* in, {t}* out, const int32_t* offsets, int64_t offset_count, const float* freqs, int64_t rows, int64_t width, int64_t length, int64_t rows_per_offset, int64_t dims, int32_t traditional, float step, float scale) \
         {{ rope_elements<{t}>(in, out, offsets, offset_count, freqs, rows, width, length, rows_per_offset, dims, traditional, step, scale); }}\n"
    );
    for chunks in CHUNKS {
        text += &format!(
            "extern \"C\" __global__ void attention_{chunks}(const {t}* q, const {t}* k, const {t}* v, const {t}* sinks, {t}* out, AttentionMaskView mask, int64_t batch, int64_t heads, int64_t kv_heads, int64_t queries, int64_t keys, int64_t depth, int64_t depth_v, float scale, float lowest) \
             {{ attention_rows<{t}, {chunks}>(q, k, v, sinks, out, mask, batch, heads, kv_heads, queries, keys, depth, depth_v, scale, lowest); }}\n"
        );
    }
    text
}

/// `AttentionMaskView` of `fast.cu`.
#[repr(C)]
struct MaskView {
    data: u64,
    strides: [i64; 4],
    kind: i32,
}

/// Runs a fused op; `None` where no kernel applies (the CPU runs it).
pub(crate) fn execute(
    op: &FastOp,
    inputs: &[Data],
    shapes: &[&[usize]],
    out_dtype: Dtype,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    if !matches!(out_dtype, Dtype::Float32 | Dtype::Float16 | Dtype::Bfloat16) {
        return Ok(None);
    }
    let Some(t) = c_type(out_dtype) else {
        return Ok(None);
    };
    let module = format!("fast_{out_dtype}");
    let source = || fast_module(t);
    let (out, out_ptr) = allocate(out_shape, out_dtype, stream)?;
    let size: usize = out_shape.iter().product();
    if size == 0 {
        return Ok(Some(out));
    }
    let address = |i: usize, dtype: Dtype| device_address(&inputs[i], dtype, stream);
    match *op {
        FastOp::RmsNorm { eps } | FastOp::LayerNorm { eps, .. } => {
            let (name, weight, bias) = match *op {
                FastOp::LayerNorm { weight, bias, .. } => ("layer_norm", weight, bias),
                _ => ("rms_norm", inputs.len() > 1, false),
            };
            let n = out_shape.last().copied().unwrap_or(1);
            let rows = size / n;
            let in_ptr = address(0, out_dtype)?;
            let weight_ptr = if weight { address(1, out_dtype)? } else { 0 };
            let bias_ptr = if bias {
                address(inputs.len() - 1, out_dtype)?
            } else {
                0
            };
            let (rows_arg, n_arg) = (rows as i64, n as i64);
            let kernel = function(&module, name, source)?;
            launch_rows(
                kernel,
                rows,
                BLOCK,
                0,
                stream,
                &mut [
                    arg(&in_ptr),
                    arg(&weight_ptr),
                    arg(&bias_ptr),
                    arg(&out_ptr),
                    arg(&rows_arg),
                    arg(&n_arg),
                    arg(&eps),
                ],
            )?;
        }
        FastOp::Rope {
            dims,
            traditional,
            base,
            scale,
        } => {
            let ndim = out_shape.len();
            let (length, width) = (out_shape[ndim - 2], out_shape[ndim - 1]);
            let rows = size / width;
            let offset_count = shapes[1].iter().product::<usize>() as i64;
            let rows_per_offset = (rows / out_shape[0].max(1)) as i64;
            let in_ptr = address(0, out_dtype)?;
            let offsets_ptr = address(1, Dtype::Int32)?;
            let freqs_ptr = if base.is_none() {
                address(2, Dtype::Float32)?
            } else {
                0
            };
            let step = base.map_or(0.0, |b| b.ln() / (dims / 2) as f32);
            let (rows_arg, width_arg, length_arg, dims_arg) =
                (rows as i64, width as i64, length as i64, dims as i64);
            let traditional_arg = traditional as i32;
            let kernel = function(&module, "rope", source)?;
            launch_flat(
                kernel,
                size,
                stream,
                &mut [
                    arg(&in_ptr),
                    arg(&out_ptr),
                    arg(&offsets_ptr),
                    arg(&offset_count),
                    arg(&freqs_ptr),
                    arg(&rows_arg),
                    arg(&width_arg),
                    arg(&length_arg),
                    arg(&rows_per_offset),
                    arg(&dims_arg),
                    arg(&traditional_arg),
                    arg(&step),
                    arg(&scale),
                ],
            )?;
        }
        FastOp::Sdpa { scale, mask, sinks } => {
            let (q, k, v) = (shapes[0], shapes[1], shapes[2]);
            let (depth, depth_v) = (q[3], v[3]);
            let Some(&chunks) = CHUNKS.iter().find(|&&c| 32 * c >= depth.max(depth_v)) else {
                return Ok(None);
            };
            let mask_view = match mask {
                AttentionMask::Keep | AttentionMask::Additive => {
                    let data = &inputs[3];
                    let dtype = if mask == AttentionMask::Keep {
                        Dtype::Bool
                    } else {
                        out_dtype
                    };
                    let mut strides = [0i64; 4];
                    for (target, &stride) in strides.iter_mut().zip(&data.strides) {
                        *target = stride as i64;
                    }
                    MaskView {
                        data: address(3, dtype)?,
                        strides,
                        kind: if mask == AttentionMask::Keep { 2 } else { 3 },
                    }
                }
                AttentionMask::Causal => MaskView {
                    data: 0,
                    strides: [0; 4],
                    kind: 1,
                },
                AttentionMask::None => MaskView {
                    data: 0,
                    strides: [0; 4],
                    kind: 0,
                },
            };
            let pointers = [
                address(0, out_dtype)?,
                address(1, out_dtype)?,
                address(2, out_dtype)?,
            ];
            let sinks_ptr = if sinks {
                address(inputs.len() - 1, out_dtype)?
            } else {
                0
            };
            let dims = [q[0], q[1], k[1], q[2], k[2], depth, depth_v].map(|d| d as i64);
            let lowest = lowest(out_dtype) as f32;
            let kernel = function(&module, &format!("attention_{chunks}"), source)?;
            let rows = q[0] * q[1] * q[2];
            // A warp per 64 keys, up to 32: long caches split over a whole block.
            let warps = k[2].div_ceil(64).clamp(1, 32) as u32;
            launch_rows(
                kernel,
                rows,
                32 * warps,
                0,
                stream,
                &mut [
                    arg(&pointers[0]),
                    arg(&pointers[1]),
                    arg(&pointers[2]),
                    arg(&sinks_ptr),
                    arg(&out_ptr),
                    arg(&mask_view),
                    arg(&dims[0]),
                    arg(&dims[1]),
                    arg(&dims[2]),
                    arg(&dims[3]),
                    arg(&dims[4]),
                    arg(&dims[5]),
                    arg(&dims[6]),
                    arg(&scale),
                    arg(&lowest),
                ],
            )?;
        }
    }
    Ok(Some(out))
}

/// Every module of this file, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    [Dtype::Float32, Dtype::Float16, Dtype::Bfloat16]
        .into_iter()
        .filter_map(|dtype| Some((format!("fast_{dtype}"), fast_module(c_type(dtype)?))))
        .collect()
}
