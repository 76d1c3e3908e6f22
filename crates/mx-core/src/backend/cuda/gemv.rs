//! One-row matrix products against row-major weights, `x @ w.T`: the shape of every
//! decode step of a language model, where cuBLAS is slow. (With more rows every warp
//! rereads all of `x`, and cuBLAS wins from 16 rows on: measured on an H100.)

use super::compiler::function;
use super::launch::{allocate, arg, c_type, device_address, launch};
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;

const GEMV: &str = include_str!("kernels/gemv.cu");
/// Row counts with an instantiated kernel; a product takes the smallest that fits.
const ROWS: [usize; 1] = [1];
/// Warps per block.
const WARPS: u32 = 8;

/// The GEMV kernels of element type `t`, one per rows-per-warp count.
fn gemv_module(t: &str) -> String {
    let mut text = GEMV.to_string();
    for r in ROWS {
        text += &format!(
            "extern \"C\" __global__ void gemv_{r}(const {t}* x, const {t}* w, {t}* y, int32_t m, int64_t n, int64_t k) \
             {{ gemv_rows<{t}, {r}>(x, w, y, m, n, k); }}\n"
        );
    }
    text
}

/// `a @ b` for `a` of one dense row and `b` the transpose of a row-major (N x K)
/// matrix, without batch axes. `None` when the operands do not have that form.
pub(crate) fn gemv(
    (a, a_shape): (&Data, &[usize]),
    (b, b_shape): (&Data, &[usize]),
    dtype: Dtype,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    if !matches!(dtype, Dtype::Float32 | Dtype::Float16 | Dtype::Bfloat16)
        || a_shape.len() != 2
        || b_shape.len() != 2
    {
        return Ok(None);
    }
    let (m, k, n) = (a_shape[0], a_shape[1], b_shape[1]);
    let per_pack = 16 / dtype.size();
    let Some(&rows) = ROWS.iter().find(|&&r| m <= r) else {
        return Ok(None);
    };
    let b_transposed = b.strides[0] == 1 && b.strides[1] == k as isize;
    if m == 0
        || n == 0
        || !k.is_multiple_of(per_pack)
        || !b_transposed
        || !a.is_row_contiguous(a_shape)
    {
        return Ok(None);
    }
    let (a_ptr, b_ptr) = (
        device_address(a, dtype, stream)?,
        device_address(b, dtype, stream)?,
    );
    if !a_ptr.is_multiple_of(16) || !b_ptr.is_multiple_of(16) {
        return Ok(None);
    }
    let (out, out_ptr) = allocate(out_shape, dtype, stream)?;
    let module = format!("gemv_{dtype}");
    let source = || gemv_module(t);
    let kernel = function(&module, &format!("gemv_{rows}"), source)?;
    let (m_arg, n_arg, k_arg) = (m as i32, n as i64, k as i64);
    let blocks = n.div_ceil(WARPS as usize).min(1 << 20) as u32;
    launch(
        kernel,
        (blocks, 1, 1),
        (WARPS * 32, 1, 1),
        stream,
        &mut [
            arg(&a_ptr),
            arg(&b_ptr),
            arg(&out_ptr),
            arg(&m_arg),
            arg(&n_arg),
            arg(&k_arg),
        ],
    )?;
    Ok(Some(out))
}

/// Every module of this file, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    [Dtype::Float32, Dtype::Float16, Dtype::Bfloat16]
        .into_iter()
        .filter_map(|dtype| Some((format!("gemv_{dtype}"), gemv_module(c_type(dtype)?))))
        .collect()
}
