//! The CPU backend: contiguous fast paths, a general strided path, rayon above a threshold.

mod binary;
mod conv;
mod copy;
mod elementwise;
mod fast;
mod fft;
mod gather;
mod gemv;
mod hadamard;
mod lanes;
pub(crate) mod layout;
mod linalg;
mod linalg_complex;
mod math;
mod matmul;
mod quantized;
mod random;
mod reduce;
mod row_f32;
mod simd;
mod softmax;
pub(crate) mod strided;
mod unary;

use crate::array::{Data, Op};
use crate::error::Result;
use crate::primitive::Primitive;

/// Runs `op` on evaluated `inputs`, returning one `Data` per output.
pub(crate) fn execute(op: &Op, inputs: &[Data]) -> Result<Vec<Data>> {
    let shapes: Vec<&[usize]> = op.inputs.iter().map(|a| a.shape()).collect();
    let dtypes: Vec<crate::Dtype> = op.inputs.iter().map(|a| a.dtype()).collect();
    let (out_shape, out_dtype) = (&op.output_meta[0].0, op.output_meta[0].1);
    let operand = |i: usize| (&inputs[i], shapes[i]);
    let single = |data: Data| Ok(vec![data]);
    match &op.primitive {
        Primitive::Unary(u) => single(unary::unary(*u, &inputs[0], shapes[0], dtypes[0])?),
        Primitive::Binary(b) => single(binary::binary(
            *b,
            operand(0),
            operand(1),
            out_shape,
            dtypes[0],
        )?),
        Primitive::DivMod => binary::divmod(operand(0), operand(1), out_shape, dtypes[0]),
        Primitive::Select => single(binary::select(
            operand(0),
            operand(1),
            operand(2),
            out_shape,
            dtypes[1],
        )?),
        Primitive::AsType => single(layout::astype(&inputs[0], shapes[0], dtypes[0], out_dtype)?),
        Primitive::View => single(layout::view_as(
            &inputs[0], shapes[0], dtypes[0], out_dtype, out_shape,
        )?),
        Primitive::Arange { start, step } => single(layout::arange(
            *start,
            *step,
            out_shape.iter().product(),
            out_dtype,
        )?),
        Primitive::Broadcast => single(layout::broadcast(&inputs[0], shapes[0], out_shape)),
        Primitive::Reshape => single(layout::reshape(
            &inputs[0], shapes[0], dtypes[0], out_shape,
        )?),
        Primitive::Transpose(axes) => single(layout::transpose(&inputs[0], axes)),
        Primitive::Slice { start, step } => {
            single(layout::slice(&inputs[0], start, step, out_shape))
        }
        Primitive::Contiguous if inputs[0].is_row_contiguous(shapes[0]) => {
            single(inputs[0].clone())
        }
        Primitive::Contiguous => single(layout::contiguous(&inputs[0], shapes[0], dtypes[0])?),
        Primitive::Reduce { kind, axes } => single(reduce::reduce(
            *kind, &inputs[0], shapes[0], dtypes[0], axes,
        )?),
        Primitive::ArgReduce { kind, axis } => single(reduce::arg_reduce(
            *kind, &inputs[0], shapes[0], dtypes[0], *axis,
        )?),
        Primitive::Softmax { precise } => single(softmax::softmax(
            &inputs[0], shapes[0], dtypes[0], *precise,
        )?),
        Primitive::LogSumExp => single(softmax::logsumexp_f32(&inputs[0], shapes[0])?),
        Primitive::Matmul => single(matmul::matmul(
            operand(0),
            operand(1),
            None,
            1.0,
            0.0,
            out_dtype,
            out_shape,
        )?),
        Primitive::Scan {
            kind,
            axis,
            reverse,
            inclusive,
        } => single(lanes::scan(
            &inputs[0], shapes[0], dtypes[0], *kind, *axis, *reverse, *inclusive,
        )?),
        Primitive::Sort(axis) => single(lanes::sort(&inputs[0], shapes[0], dtypes[0], *axis)?),
        Primitive::ArgSort(axis) => {
            single(lanes::argsort(&inputs[0], shapes[0], dtypes[0], *axis)?)
        }
        Primitive::Concatenate(axis) => {
            let parts: Vec<(&Data, &[usize])> = inputs.iter().zip(shapes.iter().copied()).collect();
            single(copy::concatenate(&parts, *axis, out_shape, out_dtype)?)
        }
        Primitive::AsStrided { strides, offset } => {
            single(inputs[0].view(inputs[0].offset + offset, strides.clone()))
        }
        Primitive::Gather { axes, window } => {
            let indices: Vec<_> = (1..inputs.len())
                .map(|i| (&inputs[i], shapes[i], dtypes[i]))
                .collect();
            single(gather::gather(
                operand(0),
                &indices,
                axes,
                window,
                out_dtype,
                out_shape,
            )?)
        }
        Primitive::RandomBits => single(random::bits(&inputs[0], shapes[0], out_shape, out_dtype)?),
        Primitive::Identity | Primitive::StopGradient => single(inputs[0].clone()),
        Primitive::Custom(_) => Ok(inputs[inputs.len() - op.output_meta.len()..].to_vec()),
        Primitive::Fast(fast_op) => single(fast::execute(
            fast_op, inputs, &shapes, out_dtype, out_shape,
        )?),
        Primitive::Hadamard { scale, transpose } => single(hadamard::hadamard(
            &inputs[0], shapes[0], dtypes[0], *scale, *transpose,
        )?),
        Primitive::Quantize(format) => {
            quantized::quantize(&inputs[0], shapes[0], dtypes[0], *format, inputs.get(1))
        }
        Primitive::Dequantize(format) => single(quantized::dequantize(
            inputs, out_shape, *format, out_dtype,
        )?),
        Primitive::QuantizedMatmul { format, transpose } => single(quantized::quantized_matmul(
            inputs, &shapes, *format, *transpose, out_dtype, out_shape,
        )?),
        Primitive::ToFp8 | Primitive::FromFp8 => {
            single(quantized::fp8(&inputs[0], shapes[0], dtypes[0], out_dtype)?)
        }
        Primitive::Conv(params) => single(conv::conv(
            &inputs[0],
            &inputs[1],
            [shapes[0], shapes[1]],
            out_dtype,
            params,
            out_shape,
        )?),
        Primitive::Linalg(linalg_op) => linalg::linalg(
            *linalg_op,
            &inputs[0],
            shapes[0],
            dtypes[0],
            &op.output_meta,
        ),
        Primitive::Fft(kind) => single(fft::fft_rows(*kind, &inputs[0], shapes[0], out_shape)?),
        Primitive::Load(source) => crate::io::source::read(source, &op.output_meta),
        Primitive::RandomMath(step) => single(random::random_math(
            *step, &inputs[0], shapes[0], dtypes[0], out_dtype,
        )?),
        Primitive::Scatter { kind, axes } => {
            let last = inputs.len() - 1;
            let indices: Vec<_> = (1..last)
                .map(|i| (&inputs[i], shapes[i], dtypes[i]))
                .collect();
            single(gather::scatter(
                operand(0),
                &indices,
                operand(last),
                axes,
                *kind,
                out_dtype,
            )?)
        }
        Primitive::AddMm { alpha, beta } => single(matmul::matmul(
            operand(0),
            operand(1),
            Some(operand(2)),
            *alpha,
            *beta,
            out_dtype,
            out_shape,
        )?),
    }
}
