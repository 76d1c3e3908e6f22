//! The CUDA backend: kernels compiled at run time by NVRTC, matrix products by cuBLASLt,
//! streams and stream-ordered device memory from the driver, all loaded dynamically so
//! that mx builds and runs on machines without CUDA.
//!
//! A primitive without a GPU kernel for its dtype runs on the host instead (its inputs
//! migrate there), so every graph evaluates; `gpu::cpu_fallbacks` lists those runs, and
//! the backend-parity harness prints them as the coverage table.

pub(crate) mod compiler;
pub(crate) mod context;
mod conv;
mod elementwise;
mod fast;
mod fft;
pub(crate) mod fusion;
mod gather;
mod gemv;
mod hadamard;
mod lanes;
pub(crate) mod launch;
mod matmul;
pub(crate) mod memory;
mod quantized;
mod random;
mod reduce;
mod scan;
mod sort;
pub(crate) mod stream;

pub use matmul::set_tf32;

use crate::array::shape::row_major_strides;
use crate::array::{Data, Op};
use crate::backend::cpu;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::{BinaryOp, Primitive};
use std::collections::BTreeMap;
use std::sync::Mutex;
use stream::{gpu_stream, GpuStream};

static FALLBACKS: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());

/// True when the driver loaded and found a GPU.
pub(crate) fn is_available() -> bool {
    context::is_available()
}

/// Runs `op` on its GPU stream.
pub(crate) fn execute(op: &Op, inputs: &[Data]) -> Result<Vec<Data>> {
    let mut dtypes = op
        .inputs
        .iter()
        .map(|a| a.dtype())
        .chain(op.output_meta.iter().map(|m| m.1));
    if dtypes.any(|dtype| dtype == Dtype::Float64) {
        return Err(Error::Dtype(format!(
            "[{}] float64 is not supported on the GPU.",
            op.primitive.name()
        )));
    }
    let stream = gpu_stream(op.stream.index())?;
    match gpu_kernel(op, inputs, stream)? {
        Some(outputs) => Ok(outputs),
        None => {
            *FALLBACKS
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(describe(op))
                .or_default() += 1;
            for input in inputs {
                input.buffer.ensure_host()?;
            }
            cpu::execute(op, inputs)
        }
    }
}

fn describe(op: &Op) -> String {
    let dtype = op
        .inputs
        .first()
        .map(|a| a.dtype())
        .unwrap_or(op.output_meta[0].1);
    format!("{} ({dtype})", op.primitive.name())
}

/// `(op, dtype)` pairs that ran on the host instead of the GPU, with their counts.
pub(crate) fn cpu_fallbacks() -> Vec<(String, usize)> {
    let map = FALLBACKS.lock().unwrap_or_else(|p| p.into_inner());
    map.iter().map(|(k, v)| (k.clone(), *v)).collect()
}

fn gpu_kernel(op: &Op, inputs: &[Data], stream: GpuStream) -> Result<Option<Vec<Data>>> {
    let shapes: Vec<&[usize]> = op.inputs.iter().map(|a| a.shape()).collect();
    let dtypes: Vec<Dtype> = op.inputs.iter().map(|a| a.dtype()).collect();
    let (out_shape, out_dtype) = (&op.output_meta[0].0, op.output_meta[0].1);
    let operand = |i: usize| (&inputs[i], shapes[i]);
    let single = |data: Option<Data>| data.map(|d| vec![d]);
    Ok(match &op.primitive {
        Primitive::Unary(u) => single(elementwise::unary(
            *u, &inputs[0], shapes[0], dtypes[0], out_dtype, stream,
        )?),
        Primitive::Binary(b) => single(elementwise::binary(
            *b,
            operand(0),
            operand(1),
            out_shape,
            dtypes[0],
            out_dtype,
            stream,
        )?),
        Primitive::DivMod => {
            let quotient = elementwise::binary(
                BinaryOp::FloorDivide,
                operand(0),
                operand(1),
                out_shape,
                dtypes[0],
                out_dtype,
                stream,
            )?;
            let remainder = elementwise::binary(
                BinaryOp::Remainder,
                operand(0),
                operand(1),
                out_shape,
                dtypes[0],
                out_dtype,
                stream,
            )?;
            quotient.zip(remainder).map(|(q, r)| vec![q, r])
        }
        Primitive::Select => single(elementwise::select(
            [operand(0), operand(1), operand(2)],
            out_shape,
            dtypes[1],
            stream,
        )?),
        Primitive::AsType => single(elementwise::convert(
            &inputs[0], shapes[0], dtypes[0], out_dtype, stream,
        )?),
        Primitive::Contiguous if inputs[0].is_row_contiguous(shapes[0]) => {
            Some(vec![inputs[0].clone()])
        }
        Primitive::Contiguous => single(elementwise::convert(
            &inputs[0], shapes[0], dtypes[0], dtypes[0], stream,
        )?),
        Primitive::Reshape if inputs[0].is_row_contiguous(shapes[0]) => Some(vec![
            inputs[0].view(inputs[0].offset, row_major_strides(out_shape))
        ]),
        Primitive::Reshape => single(
            elementwise::convert(&inputs[0], shapes[0], dtypes[0], dtypes[0], stream)?
                .map(|dense| dense.view(0, row_major_strides(out_shape))),
        ),
        // Views only change strides: the host code computes them without touching memory.
        Primitive::Broadcast => Some(vec![cpu::layout::broadcast(
            &inputs[0], shapes[0], out_shape,
        )]),
        Primitive::Transpose(axes) => Some(vec![cpu::layout::transpose(&inputs[0], axes)]),
        Primitive::Slice { start, step } => {
            Some(vec![cpu::layout::slice(&inputs[0], start, step, out_shape)])
        }
        Primitive::AsStrided { strides, offset } => Some(vec![
            inputs[0].view(inputs[0].offset + offset, strides.clone())
        ]),
        Primitive::Reduce { kind, axes } => single(reduce::reduce(
            *kind, &inputs[0], shapes[0], dtypes[0], axes, out_dtype, stream,
        )?),
        Primitive::Softmax { .. } => single(reduce::softmax(
            &inputs[0], shapes[0], dtypes[0], false, out_shape, stream,
        )?),
        Primitive::LogSumExp => single(reduce::softmax(
            &inputs[0], shapes[0], dtypes[0], true, out_shape, stream,
        )?),
        Primitive::Matmul => {
            match gemv::gemv(operand(0), operand(1), out_dtype, out_shape, stream)? {
                Some(out) => Some(vec![out]),
                None => single(matmul::matmul(
                    operand(0),
                    operand(1),
                    None,
                    1.0,
                    0.0,
                    out_dtype,
                    out_shape,
                    stream,
                )?),
            }
        }
        Primitive::AddMm { alpha, beta } => single(matmul::matmul(
            operand(0),
            operand(1),
            Some(operand(2)),
            *alpha,
            *beta,
            out_dtype,
            out_shape,
            stream,
        )?),
        Primitive::ArgReduce { kind, axis } => single(reduce::arg_reduce(
            *kind, &inputs[0], shapes[0], dtypes[0], *axis, out_shape, stream,
        )?),
        Primitive::Concatenate(axis) => {
            let parts: Vec<(&Data, &[usize])> = inputs.iter().zip(shapes.iter().copied()).collect();
            single(elementwise::concatenate(
                &parts, *axis, out_shape, out_dtype, stream,
            )?)
        }
        Primitive::Scan {
            kind,
            axis,
            reverse,
            inclusive,
        } => single(scan::scan(
            &inputs[0], shapes[0], dtypes[0], *kind, *axis, *reverse, *inclusive, stream,
        )?),
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
                stream,
            )?)
        }
        Primitive::Arange { start, step } => single(elementwise::arange(
            *start,
            *step,
            out_shape.iter().product(),
            out_dtype,
            stream,
        )?),
        Primitive::View => single(elementwise::view_as(
            &inputs[0], shapes[0], dtypes[0], out_dtype, out_shape, stream,
        )?),
        Primitive::Sort(axis) => single(sort::sort(
            &inputs[0], shapes[0], dtypes[0], *axis, false, stream,
        )?),
        Primitive::ArgSort(axis) => single(sort::sort(
            &inputs[0], shapes[0], dtypes[0], *axis, true, stream,
        )?),
        // Keys batched by vmap run on the host, one share of the output per key.
        Primitive::RandomBits if shapes[0].len() > 1 => None,
        Primitive::RandomBits => Some(vec![random::bits(
            &inputs[0], out_shape, out_dtype, stream,
        )?]),
        Primitive::Identity | Primitive::StopGradient => Some(vec![inputs[0].clone()]),
        Primitive::Custom(_) => Some(inputs[inputs.len() - op.output_meta.len()..].to_vec()),
        Primitive::Fast(fast_op) => single(fast::execute(
            fast_op, inputs, &shapes, out_dtype, out_shape, stream,
        )?),
        Primitive::Hadamard { scale, transpose } => single(hadamard::hadamard(
            &inputs[0], shapes[0], dtypes[0], *scale, *transpose, stream,
        )?),
        Primitive::Quantize(format) => quantized::quantize(
            &inputs[0],
            shapes[0],
            dtypes[0],
            *format,
            inputs.get(1),
            stream,
        )?,
        Primitive::Dequantize(format) => single(quantized::dequantize(
            inputs, out_shape, *format, out_dtype, stream,
        )?),
        Primitive::QuantizedMatmul { format, transpose } => single(quantized::quantized_matmul(
            inputs, &shapes, *format, *transpose, out_dtype, out_shape, stream,
        )?),
        Primitive::ToFp8 | Primitive::FromFp8 => single(quantized::fp8(
            &inputs[0], shapes[0], dtypes[0], out_dtype, stream,
        )?),
        // MLX's factorisations run on the CPU only; the ops refuse GPU streams.
        Primitive::Linalg(_) => None,
        // Loads run on the CPU stream; the GPU reads their buffers by upload.
        Primitive::Load(_) => None,
        Primitive::Conv(params) => single(conv::conv(
            &inputs[0],
            &inputs[1],
            [shapes[0], shapes[1]],
            out_dtype,
            params,
            out_shape,
            stream,
        )?),
        Primitive::Fft(kind) => single(fft::fft_rows(
            *kind, &inputs[0], shapes[0], out_shape, stream,
        )?),
        Primitive::RandomMath(step) => single(random::random_math(
            *step, &inputs[0], shapes[0], dtypes[0], out_dtype, stream,
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
                stream,
            )?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kernel module compiles with NVRTC for sm_90, without a GPU. Opt in with
    /// `MX_CHECK_KERNELS=1` where NVRTC and the CUDA headers are installed (the parity
    /// harness compiles the modules it uses on a GPU machine anyway).
    #[test]
    fn every_kernel_module_compiles() {
        if std::env::var_os("MX_CHECK_KERNELS").is_none() {
            eprintln!("skipped: set MX_CHECK_KERNELS=1 (with NVRTC on LD_LIBRARY_PATH) to run");
            return;
        }
        let sources = [
            elementwise::sources(),
            reduce::sources(),
            scan::sources(),
            sort::sources(),
            gather::sources(),
            gemv::sources(),
            random::sources(),
            fast::sources(),
            hadamard::sources(),
            quantized::sources(),
            conv::sources(),
        ]
        .concat();
        let (first, second) = sources.split_at(sources.len() / 2);
        let check = |part: &[(String, String)]| -> Vec<String> {
            part.iter()
                .filter_map(|(key, body)| compiler::compile_offline(key, body, 90).err())
                .map(|e| e.to_string())
                .collect()
        };
        let failures = std::thread::scope(|scope| {
            let other = scope.spawn(|| check(second));
            let mut failures = check(first);
            failures.extend(other.join().unwrap_or_default());
            failures
        });
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }
}
