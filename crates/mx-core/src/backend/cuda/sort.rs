//! Sort and argsort along an axis, for rows that fit in a block's shared memory.

use super::compiler::function;
use super::launch::{allocate, arg, axis_last_view, c_type, device_address, launch_rows};
use super::reduce::as_rows;
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;

const SORT: &str = include_str!("kernels/sort.cu");
/// Shared memory a sorting block may use (the default limit without opting in).
const SHARED_BYTES: usize = 48 << 10;

/// The sort and argsort kernels of element type `t`.
fn sort_module(t: &str) -> String {
    format!(
        "{SORT}\n\
         extern \"C\" __global__ void sort(const {t}* in, void* out, int64_t rows, int64_t length, int64_t padded) \
         {{ sort_rows<{t}, false>(in, out, rows, length, padded); }}\n\
         extern \"C\" __global__ void argsort(const {t}* in, void* out, int64_t rows, int64_t length, int64_t padded) \
         {{ sort_rows<{t}, true>(in, out, rows, length, padded); }}\n"
    )
}

/// Sorted values (`indices == false`) or the uint32 indices that sort `x` along `axis`.
pub(crate) fn sort(
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    axis: usize,
    indices: bool,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    let length = shape[axis];
    let padded = length.next_power_of_two().max(2);
    let shared = padded * (4 + dtype.size());
    if shared > SHARED_BYTES {
        return Ok(None);
    }
    let Some((rows_data, rows, _)) = as_rows(x, shape, dtype, &[axis], stream)? else {
        return Ok(None);
    };
    let out_dtype = if indices { Dtype::Uint32 } else { dtype };
    let (out, out_ptr) = allocate(shape, out_dtype, stream)?;
    if rows == 0 || length == 0 {
        return Ok(Some(out));
    }
    let module = format!("sort_{dtype}");
    let source = || sort_module(t);
    let kernel = function(&module, if indices { "argsort" } else { "sort" }, source)?;
    let in_ptr = device_address(&rows_data, dtype, stream)?;
    let (rows_arg, length_arg, padded_arg) = (rows as i64, length as i64, padded as i64);
    let block = (padded / 2).clamp(32, 1024) as u32;
    launch_rows(
        kernel,
        rows,
        block,
        shared as u32,
        stream,
        &mut [
            arg(&in_ptr),
            arg(&out_ptr),
            arg(&rows_arg),
            arg(&length_arg),
            arg(&padded_arg),
        ],
    )?;
    Ok(Some(axis_last_view(out, shape, axis)))
}

/// Every module of this file, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    Dtype::ALL
        .into_iter()
        .filter_map(|dtype| Some((format!("sort_{dtype}"), sort_module(c_type(dtype)?))))
        .collect()
}
