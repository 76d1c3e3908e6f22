//! Quantization on the GPU (`kernels/quantized.cu`): quantize and dequantize in every
//! mode, the E4M3 conversions, and the quantized product as a dequantize into a scratch
//! matrix followed by the dense product (GEMV or cuBLASLt).

use super::compiler::function;
use super::launch::{allocate, arg, c_type, device_address, launch_flat};
use super::stream::GpuStream;
use super::{gemv, matmul};
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;
use crate::primitive::{QuantizationFormat, QuantizationMode};

const QUANTIZED: &str = include_str!("kernels/quantized.cu");

/// The quantization kernels of element type `t`.
fn quantized_module(t: &str) -> String {
    format!(
        "{QUANTIZED}\n\
         extern \"C\" __global__ void quantize(const {t}* w, uint32_t* packed, {t}* scales, uint8_t* bytes, {t}* biases, int64_t groups, int64_t group_size, int bits, int mode, float global) \
         {{ quantize_groups<{t}>(w, packed, scales, bytes, biases, groups, group_size, bits, mode, global); }}\n\
         extern \"C\" __global__ void dequantize(const uint32_t* packed, const {t}* scales, const uint8_t* bytes, const {t}* biases, {t}* out, int64_t rows, int64_t k, int64_t group_size, int bits, int mode, float inverse_global, int has_global) \
         {{ dequantize_elements<{t}>(packed, scales, bytes, biases, out, rows, k, group_size, bits, mode, inverse_global, has_global); }}\n\
         extern \"C\" __global__ void to_fp8(const {t}* x, uint8_t* out, int64_t n) \
         {{ for (int64_t i = global_thread(); i < n; i += grid_threads()) out[i] = fp8_byte(mx_ew::to_f32(x[i])); }}\n\
         extern \"C\" __global__ void from_fp8(const uint8_t* x, {t}* out, int64_t n) \
         {{ for (int64_t i = global_thread(); i < n; i += grid_threads()) out[i] = mx_ew::from_f32<{t}>(fp8_value(x[i])); }}\n"
    )
}

/// Every dtype's module, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    [Dtype::Float32, Dtype::Float16, Dtype::Bfloat16]
        .into_iter()
        .filter_map(|dtype| {
            Some((
                format!("quantized_{dtype}"),
                quantized_module(c_type(dtype)?),
            ))
        })
        .collect()
}

fn mode_code(mode: QuantizationMode) -> i32 {
    match mode {
        QuantizationMode::Affine => 0,
        QuantizationMode::Mxfp4 => 1,
        QuantizationMode::Mxfp8 => 2,
        QuantizationMode::Nvfp4 => 3,
    }
}

fn float_kernels(dtype: Dtype) -> Option<&'static str> {
    matches!(dtype, Dtype::Float32 | Dtype::Float16 | Dtype::Bfloat16)
        .then(|| c_type(dtype))
        .flatten()
}

/// The value of a one-element float32 input, read back to the host.
fn scalar(data: &Data) -> Result<f32> {
    data.buffer.ensure_host()?;
    // SAFETY: the op passes a one-element float32 array, now on the host.
    Ok(unsafe { *data.ptr::<f32>() })
}

/// Quantizes row-contiguous `w`; `None` for types without kernels.
pub(crate) fn quantize(
    w: &Data,
    shape: &[usize],
    dtype: Dtype,
    format: QuantizationFormat,
    global: Option<&Data>,
    stream: GpuStream,
) -> Result<Option<Vec<Data>>> {
    let Some(t) = float_kernels(dtype) else {
        return Ok(None);
    };
    let k = shape.last().copied().unwrap_or(1);
    let lead = &shape[..shape.len() - 1];
    let with_last = |last: usize| [lead, &[last]].concat();
    let groups_per_row = k / format.group_size;
    let affine = format.mode == QuantizationMode::Affine;
    let (packed, packed_ptr) = allocate(&with_last(k * format.bits / 32), Dtype::Uint32, stream)?;
    let scale_dtype = if affine { dtype } else { Dtype::Uint8 };
    let (scales, scales_ptr) = allocate(&with_last(groups_per_row), scale_dtype, stream)?;
    let (biases, biases_ptr) = allocate(&with_last(groups_per_row), dtype, stream)?;
    let groups = (shape.iter().product::<usize>() / format.group_size.max(1)) as i64;
    if groups > 0 {
        let global = global.map(scalar).transpose()?.map_or(1.0, |g| 2688.0 / g);
        let w_ptr = device_address(w, dtype, stream)?;
        let (group_size, bits, mode) = (
            format.group_size as i64,
            format.bits as i32,
            mode_code(format.mode),
        );
        let kernel = function(&format!("quantized_{dtype}"), "quantize", || {
            quantized_module(t)
        })?;
        launch_flat(
            kernel,
            groups as usize,
            stream,
            &mut [
                arg(&w_ptr),
                arg(&packed_ptr),
                arg(&scales_ptr),
                arg(&scales_ptr),
                arg(&biases_ptr),
                arg(&groups),
                arg(&group_size),
                arg(&bits),
                arg(&mode),
                arg(&global),
            ],
        )?;
    }
    Ok(Some(if affine {
        vec![packed, scales, biases]
    } else {
        vec![packed, scales]
    }))
}

/// Dequantizes row-contiguous packed `inputs[0]` with its scales (and biases or global
/// scale) into `out_dtype`.
pub(crate) fn dequantize(
    inputs: &[Data],
    out_shape: &[usize],
    format: QuantizationFormat,
    out_dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = float_kernels(out_dtype) else {
        return Ok(None);
    };
    let (out, out_ptr) = allocate(out_shape, out_dtype, stream)?;
    let size: usize = out_shape.iter().product();
    if size == 0 {
        return Ok(Some(out));
    }
    let k = out_shape.last().copied().unwrap_or(1);
    let affine = format.mode == QuantizationMode::Affine;
    let packed = device_address(&inputs[0], Dtype::Uint32, stream)?;
    let scale_dtype = if affine { out_dtype } else { Dtype::Uint8 };
    let scales = device_address(&inputs[1], scale_dtype, stream)?;
    let biases = if affine {
        device_address(&inputs[2], out_dtype, stream)?
    } else {
        0
    };
    let global = if affine { None } else { inputs.get(2) };
    let inverse_global = global.map(scalar).transpose()?.map_or(1.0, |g| g / 2688.0);
    let has_global = global.is_some() as i32;
    let (rows, k_arg, group_size) = ((size / k) as i64, k as i64, format.group_size as i64);
    let (bits, mode) = (format.bits as i32, mode_code(format.mode));
    let kernel = function(&format!("quantized_{out_dtype}"), "dequantize", || {
        quantized_module(t)
    })?;
    launch_flat(
        kernel,
        size,
        stream,
        &mut [
            arg(&packed),
            arg(&scales),
            arg(&scales),
            arg(&biases),
            arg(&out_ptr),
            arg(&rows),
            arg(&k_arg),
            arg(&group_size),
            arg(&bits),
            arg(&mode),
            arg(&inverse_global),
            arg(&has_global),
        ],
    )?;
    Ok(Some(out))
}

/// E4M3 bytes of floats, or floats of bytes.
pub(crate) fn fp8(
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    out_dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let float = if out_dtype == Dtype::Uint8 {
        dtype
    } else {
        out_dtype
    };
    let Some(t) = float_kernels(float) else {
        return Ok(None);
    };
    let (out, out_ptr) = allocate(shape, out_dtype, stream)?;
    let n: usize = shape.iter().product();
    if n == 0 {
        return Ok(Some(out));
    }
    let in_ptr = device_address(x, dtype, stream)?;
    let count = n as i64;
    let name = if out_dtype == Dtype::Uint8 {
        "to_fp8"
    } else {
        "from_fp8"
    };
    let kernel = function(&format!("quantized_{float}"), name, || quantized_module(t))?;
    launch_flat(
        kernel,
        n,
        stream,
        &mut [arg(&in_ptr), arg(&out_ptr), arg(&count)],
    )?;
    Ok(Some(out))
}

/// `x @ Wᵀ` or `x @ W`: `W` dequantized into a scratch matrix of the product's type, then
/// the dense product.
pub(crate) fn quantized_matmul(
    inputs: &[Data],
    shapes: &[&[usize]],
    format: QuantizationFormat,
    transpose: bool,
    out_dtype: Dtype,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    let w_shape = shapes[1];
    let mut dense_shape = w_shape.to_vec();
    *dense_shape.last_mut().expect("at least 2-d") = w_shape[w_shape.len() - 1] * 32 / format.bits;
    let mut weight_inputs = vec![inputs[1].clone(), inputs[2].clone()];
    weight_inputs.extend(inputs.get(3).cloned());
    let Some(dense) = dequantize(&weight_inputs, &dense_shape, format, out_dtype, stream)? else {
        return Ok(None);
    };
    let nd = dense_shape.len();
    // With `transpose`, the product reads the dense `[.., N, K]` matrix as `[.., K, N]`.
    let (b, b_shape) = if transpose {
        let mut strides = dense.strides.clone();
        strides.swap(nd - 2, nd - 1);
        let mut shape = dense_shape.clone();
        shape.swap(nd - 2, nd - 1);
        (dense.view(dense.offset, strides), shape)
    } else {
        (dense, dense_shape)
    };
    let a = (&inputs[0], shapes[0]);
    if let Some(out) = gemv::gemv(a, (&b, &b_shape), out_dtype, out_shape, stream)? {
        return Ok(Some(out));
    }
    matmul::matmul(
        a,
        (&b, &b_shape),
        None,
        1.0,
        0.0,
        out_dtype,
        out_shape,
        stream,
    )
}
