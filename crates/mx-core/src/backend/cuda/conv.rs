//! Convolutions on the GPU: an im2col kernel (`kernels/conv.cu`) writes the patch matrix,
//! then cuBLASLt multiplies it by the weight, one batch entry per group.

use super::compiler::function;
use super::elementwise::convert;
use super::launch::{allocate, arg, c_type, device_address, launch_flat};
use super::matmul;
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;
use crate::primitive::ConvParams;

const CONV: &str = include_str!("kernels/conv.cu");

/// `ConvGeometry` of `conv.cu`.
#[repr(C)]
struct Geometry {
    in_spatial: [i64; 3],
    out_spatial: [i64; 3],
    kernel: [i64; 3],
    stride: [i64; 3],
    pad_lo: [i64; 3],
    kernel_dilation: [i64; 3],
    input_dilation: [i64; 3],
    channels: i64,
    groups: i64,
    spatial: i32,
    flip: i32,
}

fn conv_module(t: &str) -> String {
    format!(
        "{CONV}\nextern \"C\" __global__ void im2col(const {t}* x, {t}* columns, ConvGeometry g, int64_t rows) \
         {{ im2col_elements<{t}>(x, columns, g, rows); }}\n"
    )
}

/// Every dtype's module, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    [Dtype::Float32, Dtype::Float16, Dtype::Bfloat16]
        .into_iter()
        .filter_map(|dtype| Some((format!("conv_{dtype}"), conv_module(c_type(dtype)?))))
        .collect()
}

fn padded(values: &[usize]) -> [i64; 3] {
    let mut out = [1i64; 3];
    for (o, &v) in out.iter_mut().zip(values) {
        *o = v as i64;
    }
    out
}

/// The convolution of row-contiguous `x` and `w`; `None` for types without kernels.
pub(crate) fn conv(
    x: &Data,
    w: &Data,
    shapes: [&[usize]; 2],
    dtype: Dtype,
    params: &ConvParams,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    if !matches!(dtype, Dtype::Float32 | Dtype::Float16 | Dtype::Bfloat16) {
        return Ok(None);
    }
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    let d = params.spatial();
    let (x_shape, w_shape) = (shapes[0], shapes[1]);
    let groups = params.groups;
    let channels = x_shape[d + 1];
    let outputs = w_shape[0];
    let (cg, og) = (channels / groups, outputs / groups);
    let taps: usize = w_shape[1..=d].iter().product();
    let patch = taps * cg;
    let rows: usize = out_shape[..=d].iter().product();
    if rows == 0 {
        return Ok(Some(allocate(out_shape, dtype, stream)?.0));
    }
    let (columns, columns_ptr) = allocate(&[rows, groups * patch], dtype, stream)?;
    let geometry = Geometry {
        in_spatial: padded(&x_shape[1..=d]),
        out_spatial: padded(&out_shape[1..=d]),
        kernel: padded(&w_shape[1..=d]),
        stride: padded(&params.stride),
        pad_lo: {
            let mut lo = [0i64; 3];
            for (o, &v) in lo.iter_mut().zip(&params.padding_lo) {
                *o = v as i64;
            }
            lo
        },
        kernel_dilation: padded(&params.kernel_dilation),
        input_dilation: padded(&params.input_dilation),
        channels: channels as i64,
        groups: groups as i64,
        spatial: d as i32,
        flip: params.flip as i32,
    };
    let x_ptr = device_address(x, dtype, stream)?;
    let rows_arg = rows as i64;
    let kernel = function(&format!("conv_{dtype}"), "im2col", || conv_module(t))?;
    launch_flat(
        kernel,
        rows * groups * patch,
        stream,
        &mut [
            arg(&x_ptr),
            arg(&columns_ptr),
            arg(&geometry),
            arg(&rows_arg),
        ],
    )?;
    // Per group: patches [rows, patch] (row stride groups * patch) times the weight's
    // transpose [patch, Og] (a view of the row-major [Og, patch] block).
    let a = columns.view(0, vec![patch as isize, (groups * patch) as isize, 1]);
    let b = w.view(w.offset, vec![(og * patch) as isize, 1, patch as isize]);
    let Some(product) = matmul::matmul(
        (&a, &[groups, rows, patch]),
        (&b, &[groups, patch, og]),
        None,
        1.0,
        0.0,
        dtype,
        &[groups, rows, og],
        stream,
    )?
    else {
        return Ok(None);
    };
    drop(columns);
    if groups == 1 {
        return Ok(Some(
            product.view(0, crate::array::shape::row_major_strides(out_shape)),
        ));
    }
    // [groups, rows, Og] back to [rows, groups * Og].
    let regrouped = product.view(0, vec![og as isize, (rows * og) as isize, 1]);
    let dense = convert(&regrouped, &[rows, groups, og], dtype, dtype, stream)?;
    Ok(dense.map(|d| d.view(0, crate::array::shape::row_major_strides(out_shape))))
}
