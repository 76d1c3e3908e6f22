//! MLX's checks of a convolution's operands and parameters, in its order and words.

use super::{per_axis, ConvGeneral};
use crate::error::{shape_str, Error, Result};
use crate::primitive::ConvParams;
use crate::Array;

fn invalid(message: String) -> Error {
    Error::InvalidArgument(message)
}

/// The operands' ranks, type and channels; returns the number of spatial axes.
pub(super) fn check_operands(input: &Array, weight: &Array, groups: usize) -> Result<usize> {
    if groups != 1 && !matches!(input.ndim(), 3 | 4) {
        return Err(invalid(
            "[conv] Can only handle groups != 1 in 1D or 2D convolutions.".into(),
        ));
    }
    let spatial = input.ndim().saturating_sub(2);
    if !(1..=3).contains(&spatial) {
        return Err(invalid("[conv] Only works for inputs with 1-3 spatial dimensions. The inputs must be in the format [N, ..., C_in]".into()));
    }
    if !input.dtype().is_floating() {
        return Err(Error::Dtype(format!(
            "[conv] Invalid input array with type {}. Convolution currently only supports floating point types",
            input.dtype()
        )));
    }
    if weight.ndim() != spatial + 2 {
        return Err(invalid(format!(
            "[conv] Invalid weight array with {} dimensions for {spatial}D convolution. Expected an array with {} dimensions following the format [C_out, ..., C_in].",
            weight.ndim(),
            spatial + 2
        )));
    }
    if groups == 0 {
        return Err(invalid(
            "[conv] The number of groups must be positive. Got 0.".into(),
        ));
    }
    let channels = input.shape()[input.ndim() - 1];
    if !channels.is_multiple_of(groups) {
        return Err(invalid(format!(
            "[conv] The input channels must be divisible by the number of groups. Got input with shape {} and {groups} groups.",
            shape_str(input.shape())
        )));
    }
    let outputs = weight.shape()[0];
    if groups > 1 && !outputs.is_multiple_of(groups) {
        return Err(invalid(format!(
            "[conv] If groups > 1, the output channels must be divisible by the number of groups. Got {outputs} output channels and {groups} groups."
        )));
    }
    let weight_channels = weight.shape()[weight.ndim() - 1];
    if channels != groups * weight_channels {
        return Err(invalid(if groups == 1 {
            format!(
                "[conv] Expect the input channels in the input and weight array to match but got shapes - input: {} and weight: {}",
                shape_str(input.shape()),
                shape_str(weight.shape())
            )
        } else {
            format!(
                "Given groups={groups} and weights of shape {}, expected to have {} input channels but got {channels} input channels instead.",
                shape_str(weight.shape()),
                groups * weight_channels
            )
        }));
    }
    if channels == 0 || outputs == 0 || weight.size() == 0 {
        return Err(invalid(format!(
            "[conv] Channels and kernel sizes must be positive. Got input with shape {} and weight of shape {}.",
            shape_str(input.shape()),
            shape_str(weight.shape())
        )));
    }
    Ok(spatial)
}

/// The resolved parameters of a convolution whose negative padding was sliced away.
pub(super) fn check_params(
    input: &Array,
    weight: &Array,
    options: &ConvGeneral,
    spatial: usize,
    padding_lo: Vec<usize>,
    padding_hi: Vec<usize>,
) -> Result<ConvParams> {
    let stride = per_axis(&options.stride, spatial, 1);
    let kernel_dilation = per_axis(&options.kernel_dilation, spatial, 1);
    let input_dilation = per_axis(&options.input_dilation, spatial, 1);
    let length_error = |what: &str, values: String| {
        invalid(format!(
            "[conv] Invalid {what} {values} for {spatial}D convolution."
        ))
    };
    if stride.len() != spatial {
        return Err(length_error("strides", shape_str(&stride)));
    }
    if padding_lo.len() != spatial || padding_hi.len() != spatial {
        return Err(length_error(
            "padding",
            format!("{} | {}", shape_str(&padding_lo), shape_str(&padding_hi)),
        ));
    }
    if kernel_dilation.len() != spatial {
        return Err(length_error("kernel dilation", shape_str(&kernel_dilation)));
    }
    if input_dilation.len() != spatial {
        return Err(length_error("input dilation", shape_str(&input_dilation)));
    }
    let params = ConvParams {
        stride,
        padding_lo,
        padding_hi,
        kernel_dilation,
        input_dilation,
        groups: options.groups,
        flip: options.flip,
    };
    for axis in 0..spatial {
        if params.kernel_dilation[axis] == 0 {
            return Err(invalid(format!(
                "[conv] Kernel dilation sizes must be positive. Got kernel dilation {}.",
                shape_str(&params.kernel_dilation)
            )));
        }
        if params.input_dilation[axis] == 0 {
            return Err(invalid(format!(
                "[conv] Input dilation sizes must be positive. Got input dilation {}.",
                shape_str(&params.input_dilation)
            )));
        }
        if params.stride[axis] == 0 {
            return Err(invalid(format!(
                "[conv] Stride sizes must be positive. Got strides {}.",
                shape_str(&params.stride)
            )));
        }
        let size = params.output_size(axis, input.shape()[axis + 1], weight.shape()[axis + 1]);
        if size <= 0 {
            return Err(invalid(format!(
                "[conv] Spatial dimensions of input after padding cannot be smaller than weight spatial dimensions. Got error at axis {} for input with shape {}, padding low {}, padding high {}, and weight of shape {}.",
                axis + 1,
                shape_str(input.shape()),
                shape_str(&params.padding_lo),
                shape_str(&params.padding_hi),
                shape_str(weight.shape())
            )));
        }
    }
    Ok(params)
}
