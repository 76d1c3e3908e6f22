//! Quantizing and dequantizing groups of elements, bit for bit as MLX's CPU does: affine
//! integer codes packed into a little-endian bit stream per row, and the E2M1 / E4M3
//! float codes with their E8M0 or E4M3 group scales.

use crate::backend::cpu::fast::Widen;
use crate::primitive::{from_fp8, to_fp8, QuantizationFormat, QuantizationMode, FP4_VALUES};

/// `v` rounded to the element type `T`, back in float32.
#[inline(always)]
fn rounded<T: Widen>(v: f32) -> f32 {
    T::from_f32(v).to_f32()
}

/// x86's float → int32 conversion: truncation, with NaN and out-of-range values giving
/// `i32::MIN` (MLX's casts run it, and its quantizers depend on the result).
fn x86_i32(v: f32) -> i32 {
    if v.is_finite() && v > -2_147_483_904.0 && v < 2_147_483_648.0 {
        v.trunc() as i32
    } else {
        i32::MIN
    }
}

/// `2^e` exactly (0 below the subnormals, infinity above the largest exponent); `e` is
/// a float holding an integer, or an infinity.
pub(crate) fn pow2(e: f32) -> f32 {
    if e.is_nan() {
        return f32::NAN;
    }
    if e < -149.0 {
        0.0
    } else if e > 127.0 {
        f32::INFINITY
    } else if e >= -126.0 {
        f32::from_bits(((e as i32 + 127) as u32) << 23)
    } else {
        f32::from_bits(1u32 << (e as i32 + 149))
    }
}

/// The codes and group parameters of one quantized group.
pub(crate) struct Group {
    /// The scale (float) or the scale byte (float modes), as float32.
    pub(crate) scale: f32,
    /// The bias (affine only).
    pub(crate) bias: f32,
}

/// Quantizes `values` (one group, widened from `T`) into `codes`; `global` is the nvfp4
/// encode factor `2688 / global_scale` (1 without one).
pub(crate) fn quantize_group<T: Widen>(
    values: &[f32],
    format: QuantizationFormat,
    global: f32,
    codes: &mut [u32],
) -> Group {
    match format.mode {
        QuantizationMode::Affine => affine_group(values, format.bits, codes),
        QuantizationMode::Mxfp4 | QuantizationMode::Mxfp8 => {
            mx_group::<T>(values, format.bits, codes)
        }
        QuantizationMode::Nvfp4 => nv_group::<T>(values, global, codes),
    }
}

fn affine_group(values: &[f32], bits: usize, codes: &mut [u32]) -> Group {
    let n_bins = ((1u32 << bits) - 1) as f32;
    let eps = 1e-7f32;
    let (mut w_max, mut w_min) = (f32::NEG_INFINITY, f32::INFINITY);
    for &x in values {
        if w_max < x {
            w_max = x;
        }
        if x < w_min {
            w_min = x;
        }
    }
    // std::max(a, b) keeps `a` unless a < b.
    let at_least = |a: f32, b: f32| if a < b { b } else { a };
    let (scale, bias) = if bits == 1 {
        (at_least(w_max - w_min, eps), w_min)
    } else {
        // MLX puts the endpoint of larger magnitude on a code exactly (the scale is
        // negative when that is the maximum), and moves the scale so that 0 is a code.
        let mask = w_min.abs() > w_max.abs();
        let scale = at_least((w_max - w_min) / n_bins, eps);
        let scale = if mask { scale } else { -scale };
        let edge = if mask { w_min } else { w_max };
        let q0 = (edge / scale).round_ties_even();
        if q0 != 0.0 {
            (edge / q0, edge)
        } else {
            (scale, 0.0)
        }
    };
    for (code, &x) in codes.iter_mut().zip(values) {
        let q = ((x - bias) / scale).round_ties_even();
        let q = if q < 0.0 { 0.0 } else { q };
        let q = if n_bins < q { n_bins } else { q };
        *code = if q.is_nan() { 0 } else { q as u32 };
    }
    Group { scale, bias }
}

/// The index of the smallest of `distances`, scanning with a strict `<` from the first
/// (so a NaN first entry wins, as in MLX's argmin).
fn nearest(distances: impl Iterator<Item = f32>) -> u32 {
    let mut best = (0u32, f32::NAN);
    for (i, d) in distances.enumerate() {
        if i == 0 || d < best.1 {
            best = (i as u32, d);
        }
    }
    best.0
}

fn mx_group<T: Widen>(values: &[f32], bits: usize, codes: &mut [u32]) -> Group {
    let maxval = if bits == 4 { 6.0 } else { 448.0 };
    let amax = values.iter().fold(0.0f32, |m, &x| {
        if m.is_nan() || x.is_nan() {
            f32::NAN
        } else {
            m.max(x.abs())
        }
    });
    let s = rounded::<T>(amax / maxval);
    let mut e = x86_i32(rounded::<T>(rounded::<T>(s.log2()).round_ties_even()));
    if rounded::<T>(pow2(e as f32)) < s {
        e = e.wrapping_add(1);
    }
    let exponent = if s == 0.0 {
        0.0
    } else {
        rounded::<T>(e as f32)
    };
    let step = rounded::<T>(pow2(exponent));
    for (code, &x) in codes.iter_mut().zip(values) {
        let x = rounded::<T>(x / step);
        *code = if bits == 4 {
            nearest(
                FP4_VALUES
                    .iter()
                    .map(|&v| rounded::<T>(rounded::<T>(x - v).abs())),
            )
        } else {
            to_fp8(x) as u32
        };
    }
    let byte = x86_i32(rounded::<T>(exponent + 127.0)) as u8;
    Group {
        scale: byte as f32,
        bias: 0.0,
    }
}

fn nv_group<T: Widen>(values: &[f32], global: f32, codes: &mut [u32]) -> Group {
    let amax = values.iter().fold(0.0f32, |m, &x| {
        if m.is_nan() || x.is_nan() {
            f32::NAN
        } else {
            m.max(x.abs())
        }
    });
    let s = rounded::<T>(amax / 6.0);
    let byte = to_fp8(s * global);
    let decoded = rounded::<T>(from_fp8(byte));
    for (code, &x) in codes.iter_mut().zip(values) {
        let x = rounded::<T>(x / decoded) * global;
        *code = nearest(FP4_VALUES.iter().map(|&v| (x - v).abs()));
    }
    Group {
        scale: byte as f32,
        bias: 0.0,
    }
}

/// Writes `codes` of `bits` each into `words` as one little-endian bit stream.
pub(crate) fn pack(codes: &[u32], bits: usize, words: &mut [u32]) {
    words.fill(0);
    for (i, &code) in codes.iter().enumerate() {
        let at = i * bits;
        let (word, shift) = (at / 32, at % 32);
        words[word] |= code << shift;
        if shift + bits > 32 {
            words[word + 1] |= code >> (32 - shift);
        }
    }
}

/// Code `i` of `bits` from the little-endian bit stream `words`.
#[inline(always)]
pub(crate) fn unpack(words: &[u32], bits: usize, i: usize) -> u32 {
    let at = i * bits;
    let (word, shift) = (at / 32, at % 32);
    let mut v = words[word] >> shift;
    if shift + bits > 32 {
        v |= words[word + 1] << (32 - shift);
    }
    v & ((1u32 << bits) - 1)
}

/// The float value of an element code in a float mode, before its group scale.
#[inline(always)]
pub(crate) fn element_value(mode: QuantizationMode, code: u32) -> f32 {
    match mode {
        QuantizationMode::Mxfp8 => from_fp8(code as u8),
        _ => FP4_VALUES[code as usize & 15],
    }
}

/// The dequantizing factor of a float mode's scale byte, as MLX's dequantize computes it
/// in the output type `T`: `2^(byte - 127)` or the E4M3 value.
pub(crate) fn scale_factor<T: Widen>(mode: QuantizationMode, byte: u8) -> f32 {
    match mode {
        QuantizationMode::Nvfp4 => rounded::<T>(from_fp8(byte)),
        _ => rounded::<T>(pow2(rounded::<T>(rounded::<T>(byte as f32) - 127.0))),
    }
}
