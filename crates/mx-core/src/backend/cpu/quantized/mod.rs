//! Quantization on the CPU: quantize and dequantize (every mode, bit for bit as MLX),
//! and the quantized matrix product.

#[cfg(target_arch = "x86_64")]
mod avx2;
mod codec;
#[cfg(all(test, target_arch = "x86_64"))]
mod gemv_fixture;
mod qmm;
#[cfg(target_arch = "x86_64")]
mod qmv_int;
#[cfg(target_arch = "x86_64")]
mod qmv_nibble;
#[cfg(target_arch = "x86_64")]
mod x_split;

pub(crate) use qmm::quantized_matmul;

use super::fast::Widen;
use super::strided::{parallel_items, SendPtr};
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::{QuantizationFormat, QuantizationMode};
use codec::{element_value, pack, quantize_group, scale_factor, unpack};

/// Runs `$run` with `$t` bound to the float element type of `$dtype`.
macro_rules! by_float {
    ($dtype:expr, $op:expr, $t:ident => $run:expr) => {
        match $dtype {
            Dtype::Float32 => {
                type $t = f32;
                $run
            }
            Dtype::Float16 => {
                type $t = half::f16;
                $run
            }
            Dtype::Bfloat16 => {
                type $t = half::bf16;
                $run
            }
            other => Err(Error::Dtype(format!(
                "[{}] Only supports floating point inputs but got {other}.",
                $op
            ))),
        }
    };
}
pub(crate) use by_float;

/// The nvfp4 encode factor `2688 / global_scale` of an optional float32 scalar input.
fn global_factor(global: Option<&Data>) -> f32 {
    global.map_or(1.0, |g| {
        // SAFETY: the op passes a one-element float32 array.
        let value = unsafe { *g.ptr::<f32>() };
        2688.0 / value
    })
}

/// Quantizes the row-contiguous `w` (`[.., K]`) into packed codes, scales and (affine)
/// biases.
pub(crate) fn quantize(
    w: &Data,
    shape: &[usize],
    dtype: Dtype,
    format: QuantizationFormat,
    global: Option<&Data>,
) -> Result<Vec<Data>> {
    by_float!(dtype, "quantize", T => quantize_typed::<T>(w, shape, format, global))
}

fn quantize_typed<T: Widen>(
    w: &Data,
    shape: &[usize],
    format: QuantizationFormat,
    global: Option<&Data>,
) -> Result<Vec<Data>> {
    let QuantizationFormat {
        mode,
        group_size,
        bits,
    } = format;
    let k = shape.last().copied().unwrap_or(1);
    let rows = shape.iter().product::<usize>().checked_div(k).unwrap_or(0);
    let (words, groups) = (k * bits / 32, k / group_size);
    let lead = &shape[..shape.len() - 1];
    let with_last = |last: usize| [lead, &[last]].concat();
    let affine = mode == QuantizationMode::Affine;
    let scale_dtype = if affine { T::DTYPE } else { Dtype::Uint8 };
    let packed = Data::allocate(&with_last(words), Dtype::Uint32)?;
    let scales = Data::allocate(&with_last(groups), scale_dtype)?;
    let biases = Data::allocate(&with_last(groups), T::DTYPE)?;
    let factor = global_factor(global);
    let (src, dst) = (
        SendPtr(w.ptr::<T>() as *mut T),
        SendPtr(packed.mut_ptr::<u32>()),
    );
    let (scale_ptr, bias_ptr) = (
        SendPtr(scales.mut_ptr::<u8>()),
        SendPtr(biases.mut_ptr::<T>()),
    );
    parallel_items(rows, k * 8, |first, last| {
        let mut values = vec![0.0f32; group_size];
        let mut codes = vec![0u32; k];
        for r in first..last {
            // SAFETY: row `r` of the input and of each fresh output, disjoint per worker.
            let (row, out) = unsafe {
                (
                    std::slice::from_raw_parts(src.at((r * k) as isize), k),
                    std::slice::from_raw_parts_mut(dst.at((r * words) as isize), words),
                )
            };
            for g in 0..groups {
                let span = g * group_size..(g + 1) * group_size;
                for (v, &x) in values.iter_mut().zip(&row[span.clone()]) {
                    *v = x.to_f32();
                }
                let group = quantize_group::<T>(&values, format, factor, &mut codes[span]);
                let at = (r * groups + g) as isize;
                // SAFETY: one scale (and bias) per group of the fresh outputs.
                unsafe {
                    if affine {
                        *(scale_ptr.at(0) as *mut T).offset(at) = T::from_f32(group.scale);
                        *bias_ptr.at(at) = T::from_f32(group.bias);
                    } else {
                        *scale_ptr.at(at) = group.scale as u8;
                    }
                }
            }
            pack(&codes, bits, out);
        }
    });
    Ok(if affine {
        vec![packed, scales, biases]
    } else {
        vec![packed, scales]
    })
}

/// Dequantizes row-contiguous packed `w` with its scales (and, affine, biases of the same
/// float type; float modes: an optional nvfp4 global scale) into `out_dtype`.
pub(crate) fn dequantize(
    inputs: &[Data],
    out_shape: &[usize],
    format: QuantizationFormat,
    out_dtype: Dtype,
) -> Result<Data> {
    by_float!(out_dtype, "dequantize", T => dequantize_typed::<T>(inputs, out_shape, format))
}

fn dequantize_typed<T: Widen>(
    inputs: &[Data],
    out_shape: &[usize],
    format: QuantizationFormat,
) -> Result<Data> {
    let QuantizationFormat {
        mode,
        group_size,
        bits,
    } = format;
    let out = Data::allocate(out_shape, T::DTYPE)?;
    let k = out_shape.last().copied().unwrap_or(1);
    let rows = out_shape
        .iter()
        .product::<usize>()
        .checked_div(k)
        .unwrap_or(0);
    let (words, groups) = (k * bits / 32, k / group_size);
    let affine = mode == QuantizationMode::Affine;
    let global = (!affine && inputs.len() > 2).then(|| &inputs[2]);
    let inverse_global = global.map(|g| {
        // SAFETY: the op passes a one-element float32 array.
        (unsafe { *g.ptr::<f32>() }) / 2688.0
    });
    let src = SendPtr(inputs[0].ptr::<u32>() as *mut u32);
    // Offsets count elements of each input's own type.
    let scale_ptr = SendPtr(if affine {
        inputs[1].ptr::<T>() as *mut u8
    } else {
        inputs[1].ptr::<u8>() as *mut u8
    });
    let bias_ptr = SendPtr(if affine {
        inputs[2].ptr::<T>() as *mut T
    } else {
        std::ptr::null_mut()
    });
    let dst = SendPtr(out.mut_ptr::<T>());
    parallel_items(rows, k * 4, |first, last| {
        for r in first..last {
            // SAFETY: row `r` of the packed input and of the fresh output.
            let (packed, row) = unsafe {
                (
                    std::slice::from_raw_parts(src.at((r * words) as isize), words),
                    std::slice::from_raw_parts_mut(dst.at((r * k) as isize), k),
                )
            };
            for g in 0..groups {
                let at = (r * groups + g) as isize;
                let span = g * group_size..(g + 1) * group_size;
                if affine {
                    // SAFETY: one scale and bias of the element type per group.
                    let (scale, bias) = unsafe {
                        (
                            (*(scale_ptr.at(0) as *const T).offset(at)).to_f32(),
                            (*bias_ptr.at(at)).to_f32(),
                        )
                    };
                    for i in span {
                        let q = unpack(packed, bits, i) as f32;
                        let scaled = T::from_f32(q * scale).to_f32();
                        row[i] = T::from_f32(scaled + bias);
                    }
                } else {
                    // SAFETY: one scale byte per group.
                    let byte = unsafe { *scale_ptr.at(at) };
                    for i in span {
                        let v = element_value(mode, unpack(packed, bits, i));
                        row[i] = match inverse_global {
                            Some(inverse) => {
                                T::from_f32(v * (crate::primitive::from_fp8(byte) * inverse))
                            }
                            None => T::from_f32(v * scale_factor::<T>(mode, byte)),
                        };
                    }
                }
            }
        }
    });
    Ok(out)
}

/// E4M3 bytes of float `x` (`to_fp8`), or floats of bytes (`from_fp8`).
pub(crate) fn fp8(x: &Data, shape: &[usize], dtype: Dtype, out_dtype: Dtype) -> Result<Data> {
    let n: usize = shape.iter().product();
    let out = Data::allocate(shape, out_dtype)?;
    if out_dtype == Dtype::Uint8 {
        by_float!(dtype, "to_fp8", T => {
            // SAFETY: row-contiguous input and fresh output of `n` elements.
            let (src, dst) = unsafe {
                (
                    std::slice::from_raw_parts(x.ptr::<T>(), n),
                    std::slice::from_raw_parts_mut(out.mut_ptr::<u8>(), n),
                )
            };
            for (o, &v) in dst.iter_mut().zip(src) {
                *o = crate::primitive::to_fp8(v.to_f32());
            }
            Ok(out)
        })
    } else {
        by_float!(out_dtype, "from_fp8", T => {
            // SAFETY: as above.
            let (src, dst) = unsafe {
                (
                    std::slice::from_raw_parts(x.ptr::<u8>(), n),
                    std::slice::from_raw_parts_mut(out.mut_ptr::<T>(), n),
                )
            };
            for (o, &b) in dst.iter_mut().zip(src) {
                *o = T::from_f32(crate::primitive::from_fp8(b));
            }
            Ok(out)
        })
    }
}
