//! `quantized_matmul` and `gather_qmm`: products with a quantized matrix, accumulated in
//! float32.

use super::{check_affine, check_float_mode, QuantizationParams};
use crate::array::shape::broadcast_shapes;
use crate::error::{shape_str, Error, Result};
use crate::primitive::{Primitive, QuantizationFormat, QuantizationMode};
use crate::{take, Array, Dtype};

/// `x @ Wᵀ` (with `transpose`, the usual layout of linear layers) or `x @ W` for the
/// matrix `W` that `quantize` packed into `w`, `scales` and `biases`.
///
/// Batch axes broadcast when both `x` and `w` have more than two axes; a batched `w` with
/// a 1- or 2-d `x` uses its first matrix, as MLX does. The result's type is that of `x`
/// promoted with the scales (affine), or `x`'s (float modes). Sums are float32, as on
/// MLX's GPU, where MLX's x86 CPU rounds every partial sum to the output type.
pub fn quantized_matmul(
    x: &Array,
    w: &Array,
    scales: &Array,
    biases: Option<&Array>,
    transpose: bool,
    params: &QuantizationParams,
) -> Result<Array> {
    let checked = check_operands("quantized_matmul", x, w, scales, biases, transpose, params)?;
    product(x, w, scales, biases, transpose, checked)
}

/// Which matrices `gather_qmm` multiplies: `x`'s batch entries `lhs` with `w`'s `rhs`
/// (each an integer array; all of a batch by default).
#[derive(Clone, Copy, Debug, Default)]
pub struct GatherIndices<'a> {
    /// Indices into `x`'s flattened batch axes.
    pub lhs: Option<&'a Array>,
    /// Indices into `w`'s flattened batch axes.
    pub rhs: Option<&'a Array>,
}

/// The quantized products `x[lhs[i]] @ W[rhs[i]]ᵀ` (or without the transpose) for every
/// position of the broadcast index arrays: the mixture-of-experts product. The result has
/// the indices' shape followed by `[M, N]`. Indices out of range are an error.
pub fn gather_qmm(
    x: &Array,
    w: &Array,
    scales: &Array,
    biases: Option<&Array>,
    indices: GatherIndices<'_>,
    transpose: bool,
    params: &QuantizationParams,
) -> Result<Array> {
    const OP: &str = "gather_qmm";
    if x.ndim() < 2 {
        return Err(Error::InvalidArgument(format!(
            "[{OP}] Input must have at least two dimensions but got input with shape {}.",
            shape_str(x.shape())
        )));
    }
    let checked = check_operands(OP, x, w, scales, biases, transpose, params)?;
    let batch_of = |a: &Array| a.shape()[..a.ndim().saturating_sub(2)].to_vec();
    let default_indices = |a: &Array| -> Result<Array> {
        let batch = batch_of(a);
        let count: usize = batch.iter().product();
        let shape: Vec<isize> = batch.iter().map(|&d| d as isize).collect();
        crate::arange(0, count as i64, 1, Some(Dtype::Uint32))?.reshape(&shape)
    };
    let lhs = match indices.lhs {
        Some(i) => i.clone(),
        None => default_indices(x)?,
    };
    let rhs = match indices.rhs {
        Some(i) => i.clone(),
        None => default_indices(w)?,
    };
    for index in [&lhs, &rhs] {
        if !index.dtype().is_integer() {
            return Err(Error::Dtype(format!(
                "[{OP}] Got indices with invalid dtype. Indices must be integral."
            )));
        }
    }
    let shape = broadcast_shapes(lhs.shape(), rhs.shape())?;
    let flat = |index: &Array| -> Result<Array> { index.broadcast_to(&shape)?.reshape(&[-1]) };
    let (lhs, rhs) = (flat(&lhs)?, flat(&rhs)?);
    // Every operand's batch axes flattened into one, then the selected matrices taken.
    let pick = |a: &Array, index: &Array| -> Result<Array> {
        let nd = a.ndim();
        let mut flat_shape = vec![-1isize];
        flat_shape.extend(a.shape()[nd - 2..].iter().map(|&d| d as isize));
        take(&a.reshape(&flat_shape)?, index, Some(0))
    };
    let xs = pick(x, &lhs)?;
    let ws = pick(w, &rhs)?;
    let ss = pick(scales, &rhs)?;
    let bs = biases.map(|b| pick(b, &rhs)).transpose()?;
    let out = product(&xs, &ws, &ss, bs.as_ref(), transpose, checked)?;
    let mut out_shape: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
    out_shape.extend(out.shape()[1..].iter().map(|&d| d as isize));
    out.reshape(&out_shape)
}

/// What the checks resolved: the format and the product's element type.
#[derive(Clone, Copy)]
struct Checked {
    format: QuantizationFormat,
    dtype: Dtype,
}

/// MLX's checks of a quantized product's operands, in its words.
fn check_operands(
    op: &str,
    x: &Array,
    w: &Array,
    scales: &Array,
    biases: Option<&Array>,
    transpose: bool,
    params: &QuantizationParams,
) -> Result<Checked> {
    let format = params.format();
    if w.dtype() != Dtype::Uint32 {
        return Err(Error::Dtype(format!(
            "[{op}] The weight matrix should be uint32 but received {}",
            w.dtype()
        )));
    }
    let affine = format.mode == QuantizationMode::Affine;
    let dtype = if affine {
        let Some(b) = biases else {
            return Err(Error::InvalidArgument(format!(
                "[{op}] Biases must be provided for affine quantization."
            )));
        };
        if !scales.dtype().is_floating() || !b.dtype().is_floating() {
            return Err(Error::Dtype(format!(
                "[{op}] Only real floating types are supported but scales.dtype() == {} and biases.dtype() == {}.",
                scales.dtype(),
                b.dtype()
            )));
        }
        crate::result_type(x.dtype(), crate::result_type(scales.dtype(), b.dtype()))
    } else {
        if scales.dtype() != Dtype::Uint8 {
            return Err(Error::Dtype(format!(
                "[{op}] Scale type must be uint8 but received type {}.",
                scales.dtype()
            )));
        }
        if biases.is_some() {
            return Err(Error::InvalidArgument(format!(
                "[{op}] Biases must be null for quantization mode '{}'.",
                format.mode.name()
            )));
        }
        if !x.dtype().is_floating() {
            return Err(Error::Dtype(format!(
                "[{op}] Only real floating types are supported but x.dtype() == {}.",
                x.dtype()
            )));
        }
        x.dtype()
    };
    if w.ndim() < 2
        || scales.ndim() < 2
        || w.shape()[..w.ndim() - 2] != scales.shape()[..scales.ndim() - 2]
    {
        let batch = |a: &Array| shape_str(&a.shape()[..a.ndim().saturating_sub(2)]);
        return Err(Error::InvalidArgument(format!(
            "[{op}] Weight and scales should have the same batch shape. Received weight with shape {}, scales with {}.",
            shape_str(w.shape()),
            batch(scales)
        )));
    }
    if let Some(b) = biases {
        if b.shape() != scales.shape() {
            return Err(Error::InvalidArgument(format!(
                "[{op}] Scales and biases should have the same shape. Received scales with shape {} and biases with {}",
                shape_str(scales.shape()),
                shape_str(b.shape())
            )));
        }
    }
    let packed = w.shape()[w.ndim() - 1];
    let groups = scales.shape()[scales.ndim() - 1];
    if format.bits == 0
        || format.group_size == 0
        || !(packed * 32).is_multiple_of(format.bits)
        || groups * format.group_size != packed * 32 / format.bits
        || scales.shape()[scales.ndim() - 2] != w.shape()[w.ndim() - 2]
    {
        return Err(Error::InvalidArgument(format!(
            "[{op}] The shapes of the weight and scales are incompatible based on bits and group_size. w.shape() == {} and scales.shape() == {} with group_size={} and bits={}",
            shape_str(w.shape()),
            shape_str(scales.shape()),
            format.group_size,
            format.bits
        )));
    }
    if x.ndim() == 0 {
        return Err(Error::InvalidArgument(format!(
            "[{op}] The input must have at least one dimension."
        )));
    }
    let expanded = packed * 32 / format.bits;
    let rows = w.shape()[w.ndim() - 2];
    let (k, matrix) = if transpose {
        (expanded, format!("({expanded}, {rows})"))
    } else {
        (rows, format!("({rows}, {expanded})"))
    };
    if x.shape()[x.ndim() - 1] != k {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Last dimension of first input with shape (..., {}) does not match the expanded quantized matrix {matrix} computed from shape {} with group_size={}, bits={} and transpose={transpose}",
            x.shape()[x.ndim() - 1],
            shape_str(w.shape()),
            format.group_size,
            format.bits
        )));
    }
    if affine {
        check_affine(format, op).map_err(|_| {
            let what = if [32, 64, 128].contains(&format.group_size) {
                "bits must be 1, 2, 3, 4, 5, 6 or 8"
            } else {
                "group size must be 32, 64 or 128"
            };
            Error::InvalidArgument(format!("Quantization {what}."))
        })?;
    } else {
        check_float_mode(format, op)?;
    }
    if dtype == Dtype::Float64 || !dtype.is_floating() {
        return Err(Error::Dtype(format!(
            "[{op}] only floating types are supported"
        )));
    }
    Ok(Checked { format, dtype })
}

/// The product node over checked operands: batch axes broadcast (or `w`'s first matrix
/// with an unbatched `x`), everything row-contiguous and of the product's type.
fn product(
    x: &Array,
    w: &Array,
    scales: &Array,
    biases: Option<&Array>,
    transpose: bool,
    checked: Checked,
) -> Result<Array> {
    let Checked { format, dtype } = checked;
    let vector = x.ndim() == 1;
    let x = if vector {
        x.expand_dims(&[0])?
    } else {
        x.clone()
    };
    let matrix_of = |a: &Array| -> Result<Array> {
        let nd = a.ndim();
        if nd == 2 {
            return Ok(a.clone());
        }
        let mut flat_shape = vec![-1isize];
        flat_shape.extend(a.shape()[nd - 2..].iter().map(|&d| d as isize));
        let flat = a.reshape(&flat_shape)?;
        crate::ops::squeeze(
            &take(&flat, &Array::from_slice(&[0u32], &[1])?, Some(0))?,
            Some(&[0]),
        )
    };
    let (x, w, scales, biases) = if x.ndim() > 2 && w.ndim() > 2 {
        let x_batch = &x.shape()[..x.ndim() - 2];
        let w_batch = &w.shape()[..w.ndim() - 2];
        let batch = broadcast_shapes(x_batch, w_batch)?;
        let full = |a: &Array| -> Result<Array> {
            let mut shape = batch.clone();
            shape.extend_from_slice(&a.shape()[a.ndim() - 2..]);
            a.broadcast_to(&shape)
        };
        let w_full = if w_batch == batch.as_slice() {
            w.clone()
        } else {
            full(w)?
        };
        let s_full = if w_batch == batch.as_slice() {
            scales.clone()
        } else {
            full(scales)?
        };
        let b_full = biases
            .map(|b| {
                if w_batch == batch.as_slice() {
                    Ok(b.clone())
                } else {
                    full(b)
                }
            })
            .transpose()?;
        (full(&x)?, w_full, s_full, b_full)
    } else {
        (
            x,
            matrix_of(w)?,
            matrix_of(scales)?,
            biases.map(matrix_of).transpose()?,
        )
    };
    let n = if transpose {
        w.shape()[w.ndim() - 2]
    } else {
        w.shape()[w.ndim() - 1] * 32 / format.bits
    };
    let mut out_shape = x.shape().to_vec();
    *out_shape.last_mut().expect("at least 2-d") = n;
    let affine = format.mode == QuantizationMode::Affine;
    let mut inputs = vec![x.astype(dtype)?.contiguous()?, w.contiguous()?];
    if affine {
        inputs.push(scales.astype(dtype)?.contiguous()?);
        inputs.push(
            biases
                .expect("affine has biases")
                .astype(dtype)?
                .contiguous()?,
        );
    } else {
        inputs.push(scales.contiguous()?);
    }
    let out = Array::from_op(
        out_shape,
        dtype,
        Primitive::QuantizedMatmul { format, transpose },
        inputs,
    )?;
    if vector {
        out.squeeze(Some(&[0]))
    } else {
        Ok(out)
    }
}
