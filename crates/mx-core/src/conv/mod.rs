//! Convolutions, as in `mlx.core`: `conv1d`, `conv2d`, `conv3d`, their transposes,
//! `conv_general` and `convolve`. Layouts are channels-last: input `[N, *S, C_in]`, weight
//! `[C_out, *K, C_in / groups]`, output `[N, *S_out, C_out]`.
//!
//! ```
//! use mx_core::{conv1d, ones, Dtype};
//! let x = ones(&[1, 5, 2], Dtype::Float32).unwrap();
//! let w = ones(&[3, 3, 2], Dtype::Float32).unwrap();
//! let y = conv1d(&x, &w, 1, 1, 1, 1).unwrap();
//! assert_eq!(y.shape(), &[1, 5, 3]);
//! assert_eq!(y.to_vec::<f32>().unwrap()[..3], [4.0, 4.0, 4.0]);
//! ```

mod checks;
#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::primitive::{ConvParams, Primitive};
use crate::{Array, Slice};
use checks::{check_operands, check_params};

/// The options of [`conv_general`], one entry per spatial axis (a single entry applies to
/// every axis; an empty list means the default).
#[derive(Clone, Debug)]
pub struct ConvGeneral {
    /// Output step (default 1).
    pub stride: Vec<usize>,
    /// Zeros before each axis (default 0); negative values drop input elements.
    pub padding_lo: Vec<isize>,
    /// Zeros after each axis (default 0); negative values drop input elements.
    pub padding_hi: Vec<isize>,
    /// Spacing of kernel taps (default 1).
    pub kernel_dilation: Vec<usize>,
    /// Spacing of input elements (default 1).
    pub input_dilation: Vec<usize>,
    /// Channel groups.
    pub groups: usize,
    /// Reverse the kernel (a true convolution instead of a cross-correlation).
    pub flip: bool,
}

impl Default for ConvGeneral {
    fn default() -> Self {
        ConvGeneral {
            stride: vec![],
            padding_lo: vec![],
            padding_hi: vec![],
            kernel_dilation: vec![],
            input_dilation: vec![],
            groups: 1,
            flip: false,
        }
    }
}

/// `values` with one entry per axis: an empty list gives `default`, one entry repeats.
fn per_axis<T: Copy>(values: &[T], spatial: usize, default: T) -> Vec<T> {
    match values.len() {
        0 => vec![default; spatial],
        1 => vec![values[0]; spatial],
        _ => values.to_vec(),
    }
}

/// The general convolution every other one lowers to: strides, asymmetric padding, kernel
/// and input dilation, groups and flipping, over 1–3 spatial axes.
pub fn conv_general(input: &Array, weight: &Array, options: &ConvGeneral) -> Result<Array> {
    let spatial = check_operands(input, weight, options.groups)?;
    let dtype = crate::result_type(input.dtype(), weight.dtype());
    let mut input = input.astype(dtype)?;
    let weight = weight.astype(dtype)?;
    let mut lo = per_axis(&options.padding_lo, spatial, 0);
    let mut hi = per_axis(&options.padding_hi, spatial, 0);
    // MLX drops input elements (before input dilation) for negative padding.
    for axis in 0..spatial {
        let (low, high) = (lo[axis], hi[axis]);
        if low < 0 || high < 0 {
            let length = input.shape()[axis + 1] as isize;
            let mut slices = vec![Slice::new(None, None, 1); input.ndim()];
            let start = if low < 0 { -low } else { 0 };
            let stop = if high < 0 {
                (length + high).max(start)
            } else {
                length
            };
            slices[axis + 1] = Slice::new(Some(start.min(length)), Some(stop.min(length)), 1);
            input = input.slice(&slices)?;
            lo[axis] = low.max(0);
            hi[axis] = high.max(0);
        }
    }
    let params = check_params(
        &input,
        &weight,
        options,
        spatial,
        lo.iter().map(|&v| v as usize).collect(),
        hi.iter().map(|&v| v as usize).collect(),
    )?;
    conv_node(&input, &weight, params)
}

/// The convolution node over checked operands of one float type.
pub(crate) fn conv_node(input: &Array, weight: &Array, params: ConvParams) -> Result<Array> {
    let mut shape = vec![input.shape()[0]];
    for axis in 0..params.spatial() {
        let size = params.output_size(axis, input.shape()[axis + 1], weight.shape()[axis + 1]);
        shape.push(size.max(0) as usize);
    }
    shape.push(weight.shape()[0]);
    Array::from_op(
        shape,
        input.dtype(),
        Primitive::Conv(params),
        vec![input.contiguous()?, weight.contiguous()?],
    )
}

/// A convolution of `spatial` axes with symmetric padding.
fn conv_symmetric(
    input: &Array,
    weight: &Array,
    stride: &[usize],
    padding: &[isize],
    dilation: &[usize],
    groups: usize,
) -> Result<Array> {
    conv_general(
        input,
        weight,
        &ConvGeneral {
            stride: stride.to_vec(),
            padding_lo: padding.to_vec(),
            padding_hi: padding.to_vec(),
            kernel_dilation: dilation.to_vec(),
            input_dilation: vec![],
            groups,
            flip: false,
        },
    )
}

/// 1-d convolution (cross-correlation) of `[N, L, C_in]` with `[C_out, K, C_in / groups]`.
pub fn conv1d(
    input: &Array,
    weight: &Array,
    stride: usize,
    padding: isize,
    dilation: usize,
    groups: usize,
) -> Result<Array> {
    conv_symmetric(input, weight, &[stride], &[padding], &[dilation], groups)
}

/// 2-d convolution of `[N, H, W, C_in]` with `[C_out, KH, KW, C_in / groups]`.
pub fn conv2d(
    input: &Array,
    weight: &Array,
    stride: [usize; 2],
    padding: [isize; 2],
    dilation: [usize; 2],
    groups: usize,
) -> Result<Array> {
    conv_symmetric(input, weight, &stride, &padding, &dilation, groups)
}

/// 3-d convolution of `[N, D, H, W, C_in]` with `[C_out, KD, KH, KW, C_in]`.
pub fn conv3d(
    input: &Array,
    weight: &Array,
    stride: [usize; 3],
    padding: [isize; 3],
    dilation: [usize; 3],
    groups: usize,
) -> Result<Array> {
    conv_symmetric(input, weight, &stride, &padding, &dilation, groups)
}

/// The transposed convolution (the gradient of a convolution with respect to its input):
/// the output is `(L - 1) * stride - 2 * padding + dilation * (K - 1) + 1 + output_padding`
/// long per axis, as in PyTorch.
fn conv_transpose_general(
    input: &Array,
    weight: &Array,
    stride: &[usize],
    padding: &[isize],
    dilation: &[usize],
    output_padding: &[isize],
    groups: usize,
) -> Result<Array> {
    if weight.ndim() != stride.len() + 2 {
        return check_operands(input, weight, groups).and_then(|_| {
            Err(Error::InvalidArgument(format!(
                "[conv] Invalid weight array with {} dimensions for {}D convolution.",
                weight.ndim(),
                stride.len()
            )))
        });
    }
    let spatial = stride.len();
    let mut lo = Vec::with_capacity(spatial);
    let mut hi = Vec::with_capacity(spatial);
    for axis in 0..spatial {
        let k = weight.shape()[axis + 1] as isize;
        let reach = dilation[axis] as isize * (k - 1);
        lo.push(reach - padding[axis]);
        hi.push(reach - padding[axis] + output_padding[axis]);
    }
    conv_general(
        input,
        weight,
        &ConvGeneral {
            stride: vec![1; spatial],
            padding_lo: lo,
            padding_hi: hi,
            kernel_dilation: dilation.to_vec(),
            input_dilation: stride.to_vec(),
            groups,
            flip: true,
        },
    )
}

/// 1-d transposed convolution of `[N, L, C_in]` with `[C_out, K, C_in / groups]`.
pub fn conv_transpose1d(
    input: &Array,
    weight: &Array,
    stride: usize,
    padding: isize,
    dilation: usize,
    output_padding: isize,
    groups: usize,
) -> Result<Array> {
    conv_transpose_general(
        input,
        weight,
        &[stride],
        &[padding],
        &[dilation],
        &[output_padding],
        groups,
    )
}

/// 2-d transposed convolution of `[N, H, W, C_in]` with `[C_out, KH, KW, C_in / groups]`.
pub fn conv_transpose2d(
    input: &Array,
    weight: &Array,
    stride: [usize; 2],
    padding: [isize; 2],
    dilation: [usize; 2],
    output_padding: [isize; 2],
    groups: usize,
) -> Result<Array> {
    conv_transpose_general(
        input,
        weight,
        &stride,
        &padding,
        &dilation,
        &output_padding,
        groups,
    )
}

/// 3-d transposed convolution of `[N, D, H, W, C_in]` with `[C_out, KD, KH, KW, C_in]`.
pub fn conv_transpose3d(
    input: &Array,
    weight: &Array,
    stride: [usize; 3],
    padding: [isize; 3],
    dilation: [usize; 3],
    output_padding: [isize; 3],
    groups: usize,
) -> Result<Array> {
    conv_transpose_general(
        input,
        weight,
        &stride,
        &padding,
        &dilation,
        &output_padding,
        groups,
    )
}

/// What `convolve` returns, as `numpy.convolve`'s `mode`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConvolveMode {
    /// Every overlap: `len(a) + len(v) - 1` values.
    #[default]
    Full,
    /// Full overlaps only: `max(len) - min(len) + 1` values.
    Valid,
    /// As long as the longer input, centred.
    Same,
}

/// The discrete linear convolution of two 1-d arrays, as `numpy.convolve`.
///
/// ```
/// use mx_core::{array, convolve, ConvolveMode};
/// let y = convolve(&array![1.0, 2.0, 3.0], &array![0.0, 1.0, 0.5], ConvolveMode::Full).unwrap();
/// assert_eq!(y.to_vec::<f32>().unwrap(), vec![0.0, 1.0, 2.5, 4.0, 1.5]);
/// ```
pub fn convolve(a: &Array, v: &Array, mode: ConvolveMode) -> Result<Array> {
    if a.ndim() != 1 || v.ndim() != 1 {
        return Err(Error::InvalidArgument(
            "[convolve] Inputs must be 1D.".into(),
        ));
    }
    if a.size() == 0 || v.size() == 0 {
        return Err(Error::InvalidArgument(
            "[convolve] Inputs cannot be empty.".into(),
        ));
    }
    let (input, kernel) = if a.size() < v.size() { (v, a) } else { (a, v) };
    let reversed = kernel.slice(&[Slice::new(None, None, -1)])?;
    let k = kernel.size() as isize;
    let input = input.reshape(&[1, -1, 1])?;
    let weight = reversed.reshape(&[1, -1, 1])?;
    let out = match mode {
        ConvolveMode::Full => conv1d(&input, &weight, 1, k - 1, 1, 1)?,
        ConvolveMode::Valid => conv1d(&input, &weight, 1, 0, 1, 1)?,
        ConvolveMode::Same if k % 2 == 1 => conv1d(&input, &weight, 1, k / 2, 1, 1)?,
        ConvolveMode::Same => {
            let padded = crate::ops::pad(
                &input,
                &[(0, 0), (k / 2, (k / 2 - 1).max(0)), (0, 0)],
                crate::ops::PadMode::Constant,
                0.0,
            )?;
            conv1d(&padded, &weight, 1, 0, 1, 1)?
        }
    };
    out.reshape(&[-1])
}
