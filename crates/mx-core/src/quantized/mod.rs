//! Quantization, as in `mlx.core`: `quantize`, `dequantize`, `quantized_matmul`,
//! `gather_qmm`, `to_fp8` and `from_fp8`.
//!
//! The affine mode stores `bits`-bit integer codes per element with a float scale and bias
//! per group; the float modes store E2M1 or E4M3 codes with an E8M0 or E4M3 scale per
//! group. Codes, scales and packing are bit-identical to MLX's CPU.
//!
//! ```
//! use mx_core::{quantize, dequantize, random, QuantizationParams};
//! let w = random::normal(&[4, 64], mx_core::Dtype::Float32, None, None, None).unwrap();
//! let params = QuantizationParams::affine(64, 8);
//! let q = quantize(&w, &params, None).unwrap();
//! assert_eq!(q.weights.shape(), &[4, 16]);
//! let back = dequantize(&q.weights, &q.scales, q.biases.as_ref(), &params, None, None).unwrap();
//! assert_eq!(back.shape(), &[4, 64]);
//! ```

mod fp8;
mod matmul;

pub use fp8::{from_fp8, to_fp8};
pub use matmul::{gather_qmm, quantized_matmul, GatherIndices};

use crate::error::{shape_str, Error, Result};
use crate::primitive::{Primitive, QuantizationFormat, QuantizationMode};
use crate::{Array, Dtype};

/// The quantization an op uses: the mode, and the group size and bits (the mode's
/// defaults where `None`: affine 64 and 4, mxfp4 32 and 4, mxfp8 32 and 8, nvfp4 16 and 4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuantizationParams {
    /// The mode.
    pub mode: QuantizationMode,
    /// Elements per scale.
    pub group_size: Option<usize>,
    /// Bits per element.
    pub bits: Option<usize>,
}

impl QuantizationParams {
    /// Affine quantization with these group size and bits.
    pub fn affine(group_size: usize, bits: usize) -> Self {
        QuantizationParams {
            mode: QuantizationMode::Affine,
            group_size: Some(group_size),
            bits: Some(bits),
        }
    }

    /// `mode` with its default group size and bits.
    pub fn mode(mode: QuantizationMode) -> Self {
        QuantizationParams {
            mode,
            ..Default::default()
        }
    }

    /// The format with the defaults filled in (not yet validated).
    pub(crate) fn format(&self) -> QuantizationFormat {
        let (group_size, bits) = self.mode.defaults();
        QuantizationFormat {
            mode: self.mode,
            group_size: self.group_size.unwrap_or(group_size),
            bits: self.bits.unwrap_or(bits),
        }
    }
}

/// A quantized matrix: packed codes (uint32), scales, and the biases of the affine mode.
#[derive(Clone, Debug)]
pub struct Quantized {
    /// The codes, `bits` each, packed little-endian into uint32 words along the last axis.
    pub weights: Array,
    /// One scale per group: the input's float type (affine) or uint8 (float modes).
    pub scales: Array,
    /// One bias per group (affine only).
    pub biases: Option<Array>,
}

/// The float modes' fixed group size and bits, for `op`'s messages.
pub(crate) fn check_float_mode(format: QuantizationFormat, op: &str) -> Result<()> {
    let (group_size, bits) = format.mode.defaults();
    let name = format.mode.name();
    if format.group_size != group_size {
        return Err(Error::InvalidArgument(format!(
            "[{op}] {name} quantization requires group size {group_size} but got {}.",
            format.group_size
        )));
    }
    if format.bits != bits {
        return Err(Error::InvalidArgument(format!(
            "[{op}] {name} quantization requires bits to be {bits} but got {}.",
            format.bits
        )));
    }
    Ok(())
}

/// An nvfp4 global scale: a float32 scalar, only for that mode.
fn check_global_scale(global: Option<&Array>, mode: QuantizationMode, op: &str) -> Result<()> {
    let Some(g) = global else {
        return Ok(());
    };
    if mode != QuantizationMode::Nvfp4 {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Global scale is only supported for 'nvfp4' quantization mode."
        )));
    }
    if g.dtype() != Dtype::Float32 {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Global scale must have dtype float32 but got {}.",
            g.dtype()
        )));
    }
    if g.size() != 1 {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Global scale must be a scalar but got shape {}.",
            shape_str(g.shape())
        )));
    }
    Ok(())
}

/// The affine mode's supported group sizes and bits, in MLX's words.
pub(crate) fn check_affine(format: QuantizationFormat, op: &str) -> Result<()> {
    if ![32, 64, 128].contains(&format.group_size) {
        return Err(Error::InvalidArgument(format!(
            "[{op}] The requested group size {} is not supported. The supported group sizes are 32, 64, and 128.",
            format.group_size
        )));
    }
    if ![1, 2, 3, 4, 5, 6, 8].contains(&format.bits) {
        return Err(Error::InvalidArgument(format!(
            "[{op}] The requested number of bits {} is not supported. The supported bits are 1, 2, 3, 4, 5, 6 and 8.",
            format.bits
        )));
    }
    Ok(())
}

/// Quantizes `w` (at least 2-d, floating) along its last axis, in groups of
/// `group_size` elements. `global_scale` (nvfp4 only) is a float32 scalar that widens the
/// range of the E4M3 group scales.
pub fn quantize(
    w: &Array,
    params: &QuantizationParams,
    global_scale: Option<&Array>,
) -> Result<Quantized> {
    const OP: &str = "quantize";
    let format = params.format();
    if !w.dtype().is_floating() {
        return Err(Error::Dtype(format!(
            "[{OP}] Only real floating types can be quantized but w has type {}.",
            w.dtype()
        )));
    }
    if w.ndim() < 2 {
        return Err(Error::InvalidArgument(format!(
            "[{OP}] The matrix to be quantized must have at least 2 dimension but it has only {}.",
            w.ndim()
        )));
    }
    let k = w.shape()[w.ndim() - 1];
    if format.group_size == 0 {
        // MLX divides by zero here; mx reports the unsupported size.
        return Err(Error::InvalidArgument(format!(
            "[{OP}] The requested group size 0 is not supported. The supported group sizes are 32, 64, and 128."
        )));
    }
    if !k.is_multiple_of(format.group_size) {
        return Err(Error::InvalidArgument(format!(
            "[{OP}] The last dimension of the matrix needs to be divisible by the quantization group size {}. However the provided  matrix has shape {}",
            format.group_size,
            shape_str(w.shape())
        )));
    }
    check_global_scale(global_scale, format.mode, OP)?;
    match format.mode {
        QuantizationMode::Affine => check_affine(format, OP)?,
        _ => check_float_mode(format, OP)?,
    }
    if w.dtype() == Dtype::Float64 {
        return Err(Error::Dtype(
            "[fast::Quantize::eval_cpu] Only supports floating point inputs".into(),
        ));
    }
    let lead = &w.shape()[..w.ndim() - 1];
    let with_last = |last: usize| [lead, &[last]].concat();
    let affine = format.mode == QuantizationMode::Affine;
    let scale_dtype = if affine { w.dtype() } else { Dtype::Uint8 };
    let mut meta = vec![
        (with_last(k * format.bits / 32), Dtype::Uint32),
        (with_last(k / format.group_size), scale_dtype),
    ];
    if affine {
        meta.push((with_last(k / format.group_size), w.dtype()));
    }
    let mut inputs = vec![w.contiguous()?];
    inputs.extend(global_scale.map(|g| g.reshape(&[])).transpose()?);
    let mut outputs = Array::from_op_multi(
        meta,
        Primitive::Quantize(format),
        inputs,
        crate::scheduler::current_stream()?,
    );
    let biases = affine.then(|| outputs.remove(2));
    let scales = outputs.remove(1);
    Ok(Quantized {
        weights: outputs.remove(0),
        scales,
        biases,
    })
}

/// Rebuilds the float matrix from packed `w` and its `scales` (and `biases`, affine only).
///
/// The result's type is `dtype`, or by default the scales' and biases' common type
/// (affine) or bfloat16 (float modes; float32 for nvfp4 with a `global_scale`).
pub fn dequantize(
    w: &Array,
    scales: &Array,
    biases: Option<&Array>,
    params: &QuantizationParams,
    global_scale: Option<&Array>,
    dtype: Option<Dtype>,
) -> Result<Array> {
    const OP: &str = "dequantize";
    let format = params.format();
    if format.bits == 0 || format.bits > 16 {
        return Err(Error::InvalidArgument(format!(
            "[{OP}] Invalid value for bits: {}",
            format.bits
        )));
    }
    if format.group_size == 0 {
        return Err(Error::InvalidArgument(format!(
            "[{OP}] Invalid value for group_size: {}",
            format.group_size
        )));
    }
    if w.dtype() != Dtype::Uint32 {
        return Err(Error::Dtype(format!(
            "[{OP}] The matrix should be given as a uint32"
        )));
    }
    if w.ndim() < 2 {
        return Err(Error::InvalidArgument(format!(
            "[{OP}] The matrix to be dequantized must have at least 2 dimension but it has only {}.",
            w.ndim()
        )));
    }
    let affine = format.mode == QuantizationMode::Affine;
    let float_type = |d: Dtype| d.is_floating();
    let common = if affine {
        let Some(b) = biases else {
            return Err(Error::InvalidArgument(format!(
                "[{OP}] Biases must be provided for affine quantization."
            )));
        };
        if !float_type(scales.dtype()) || !float_type(b.dtype()) {
            return Err(Error::Dtype(format!(
                "[{OP}] Only real floating types are supported but scales.dtype() == {} and biases.dtype() == {}.",
                scales.dtype(),
                b.dtype()
            )));
        }
        crate::result_type(scales.dtype(), b.dtype())
    } else {
        if scales.dtype() != Dtype::Uint8 {
            return Err(Error::Dtype(format!(
                "[{OP}] Scale type must be uint8 but received type {}.",
                scales.dtype()
            )));
        }
        if biases.is_some() {
            return Err(Error::InvalidArgument(format!(
                "[{OP}] Biases must be null for quantization mode '{}'.",
                format.mode.name()
            )));
        }
        check_float_mode(format, OP)?;
        Dtype::Bfloat16
    };
    check_global_scale(global_scale, format.mode, OP)?;
    if let Some(d) = dtype {
        if !d.is_floating() {
            return Err(Error::Dtype(format!(
                "[{OP}] Only real floating types are supported but output dtype == {d}."
            )));
        }
    }
    let lead_matches =
        |a: &Array| a.ndim() == w.ndim() && a.shape()[..a.ndim() - 1] == w.shape()[..w.ndim() - 1];
    let packed = w.shape()[w.ndim() - 1];
    let k = packed * 32 / format.bits;
    let groups = scales.shape().last().copied().unwrap_or(0);
    if affine {
        let b = biases.expect("checked above");
        if !lead_matches(scales) || !lead_matches(b) {
            return Err(Error::InvalidArgument(format!(
                "[{OP}] Shape of scales and biases does not match the matrix"
            )));
        }
        if !(packed * 32).is_multiple_of(format.bits)
            || groups * format.group_size != k
            || b.shape() != scales.shape()
        {
            return Err(Error::InvalidArgument(format!(
                "[{OP}] Shape of scales and biases does not match the matrix given the quantization parameters. Provided matrix of shape {} and scales/biases of shape {} with group_size={} and bits={}.",
                shape_str(w.shape()),
                shape_str(scales.shape()),
                format.group_size,
                format.bits
            )));
        }
    } else {
        if !lead_matches(scales) {
            return Err(Error::InvalidArgument(format!(
                "[{OP}] Shape of scales does not match the matrix"
            )));
        }
        if groups * format.group_size != k {
            return Err(Error::InvalidArgument(format!(
                "[{OP}] Shape of scales does not match the matrix given the quantization parameters. Provided matrix of shape {} and scales of shape {}.",
                shape_str(w.shape()),
                shape_str(scales.shape())
            )));
        }
    }
    let mut out_shape = w.shape().to_vec();
    *out_shape.last_mut().expect("at least 2-d") = k;
    let (kernel_dtype, inputs) = if affine {
        let b = biases.expect("checked above");
        let inputs = vec![
            w.contiguous()?,
            scales.astype(common)?.contiguous()?,
            b.astype(common)?.contiguous()?,
        ];
        (common, inputs)
    } else {
        let mut inputs = vec![w.contiguous()?, scales.contiguous()?];
        inputs.extend(global_scale.map(|g| g.reshape(&[])).transpose()?);
        let od = if global_scale.is_some() {
            Dtype::Float32
        } else {
            dtype.unwrap_or(common)
        };
        (od, inputs)
    };
    let out = Array::from_op(
        out_shape,
        kernel_dtype,
        Primitive::Dequantize(format),
        inputs,
    )?;
    match dtype {
        Some(d) if affine && d != kernel_dtype => out.astype(d),
        _ => Ok(out),
    }
}
