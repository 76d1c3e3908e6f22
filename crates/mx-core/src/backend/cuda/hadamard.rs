//! The Walsh–Hadamard transform on the GPU (`kernels/hadamard.cu`), in place on a copy of
//! the input: one launch per radix-2 stage, then one for the order-m matrix.

use super::compiler::function;
use super::elementwise::convert;
use super::launch::{arg, c_type, device_address, launch_flat};
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;
use crate::primitive::hadamard::{decompose, rows};

const HADAMARD: &str = include_str!("kernels/hadamard.cu");

/// The order-`m` matrices as constant sign tables, and the kernels of element type `t`.
fn hadamard_module(t: &str) -> String {
    let mut text = format!("{HADAMARD}\n");
    for m in [12, 20, 28] {
        let signs: Vec<&str> = rows(m)
            .iter()
            .flat_map(|row| row.chars().map(|c| if c == '+' { "1" } else { "-1" }))
            .collect();
        text += &format!(
            "__constant__ signed char H{m}[{}] = {{{}}};\n",
            m * m,
            signs.join(",")
        );
    }
    text += &format!(
        "extern \"C\" __global__ void hadamard_stage({t}* data, int64_t pairs, int64_t n, int64_t h, float scale, int last) \
         {{ hadamard_stage_elements<{t}>(data, pairs, n, h, scale, last); }}\n\
         extern \"C\" __global__ void hadamard_mix({t}* data, int64_t rows, int64_t m, int64_t n, float scale, int transpose) \
         {{ const signed char* signs = m == 12 ? H12 : (m == 20 ? H20 : H28); \
            hadamard_mix_elements<{t}>(data, signs, rows, m, n, scale, transpose); }}\n"
    );
    text
}

/// Every dtype's module, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    [Dtype::Float32, Dtype::Float16, Dtype::Bfloat16]
        .into_iter()
        .filter_map(|dtype| Some((format!("hadamard_{dtype}"), hadamard_module(c_type(dtype)?))))
        .collect()
}

/// The transform of each row of `input`; `None` for dtypes without kernels.
pub(crate) fn hadamard(
    input: &Data,
    shape: &[usize],
    dtype: Dtype,
    scale: f32,
    transpose: bool,
    stream: GpuStream,
) -> Result<Option<Data>> {
    if !matches!(dtype, Dtype::Float32 | Dtype::Float16 | Dtype::Bfloat16) {
        return Ok(None);
    }
    let (Some(t), Some((m, n))) = (c_type(dtype), decompose(shape.last().copied().unwrap_or(1)))
    else {
        return Ok(None);
    };
    let Some(out) = convert(input, shape, dtype, dtype, stream)? else {
        return Ok(None);
    };
    let size: usize = shape.iter().product();
    if size == 0 {
        return Ok(Some(out));
    }
    let module = format!("hadamard_{dtype}");
    let source = || hadamard_module(t);
    let data = device_address(&out, dtype, stream)?;
    let (pairs, n_arg) = ((size / 2) as i64, n as i64);
    let block_scale = if m > 1 { 1.0f32 } else { scale };
    let stage = function(&module, "hadamard_stage", source)?;
    let mut h = 1i64;
    while h < n_arg {
        let last = (2 * h == n_arg) as i32;
        launch_flat(
            stage,
            size / 2,
            stream,
            &mut [
                arg(&data),
                arg(&pairs),
                arg(&n_arg),
                arg(&h),
                arg(&block_scale),
                arg(&last),
            ],
        )?;
        h <<= 1;
    }
    if m > 1 {
        let mix = function(&module, "hadamard_mix", || hadamard_module(t))?;
        let (row_count, m_arg) = ((size / (m * n)) as i64, m as i64);
        let transpose_arg = transpose as i32;
        launch_flat(
            mix,
            size / m,
            stream,
            &mut [
                arg(&data),
                arg(&row_count),
                arg(&m_arg),
                arg(&n_arg),
                arg(&scale),
                arg(&transpose_arg),
            ],
        )?;
    }
    Ok(Some(out))
}
