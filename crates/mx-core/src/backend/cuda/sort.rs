//! Sort and argsort along an axis: rows that fit in a block's shared memory are sorted
//! there in one launch; longer ones by a bitonic network in global memory. Rows are read
//! through the input's strides, so a transposed or sliced input is not copied first.

use super::compiler::function;
use super::launch::{
    allocate, arg, axis_last_view, c_type, device_address, launch, launch_flat, launch_rows, Layout,
};
use super::memory::DeviceBlock;
use super::reduce::as_rows;
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;

const SORT: &str = include_str!("kernels/sort.cu");
const SORT_GLOBAL: &str = include_str!("kernels/sort_global.cu");
/// `MX_SORT_CHUNK` of `sort_global.cu`: elements a block sorts in shared memory.
const CHUNK: usize = 2048;
/// Shared memory a sorting block may use (the default limit without opting in).
const SHARED_BYTES: usize = 48 << 10;

/// The sort and argsort kernels of element type `t`, for short and for long rows.
fn sort_module(t: &str) -> String {
    format!(
        "{SORT}\n{SORT_GLOBAL}\n\
         extern \"C\" __global__ void sort(const {t}* in, void* out, Layout<1> row_layout, int64_t stride, int64_t rows, int64_t length, int64_t padded) \
         {{ sort_rows<{t}, false>(in, out, row_layout, stride, rows, length, padded); }}\n\
         extern \"C\" __global__ void argsort(const {t}* in, void* out, Layout<1> row_layout, int64_t stride, int64_t rows, int64_t length, int64_t padded) \
         {{ sort_rows<{t}, true>(in, out, row_layout, stride, rows, length, padded); }}\n\
         extern \"C\" __global__ void fill(const {t}* in, {t}* keys, uint32_t* indices, Layout<1> row_layout, int64_t stride, int64_t rows, int64_t length, int64_t padded) \
         {{ sort_fill<{t}>(in, keys, indices, row_layout, stride, rows, length, padded); }}\n\
         extern \"C\" __global__ void step({t}* keys, uint32_t* indices, int64_t total, int64_t padded, int64_t size, int64_t stride) \
         {{ sort_step<{t}>(keys, indices, total, padded, size, stride); }}\n\
         extern \"C\" __global__ void chunk({t}* keys, uint32_t* indices, int64_t padded, int64_t first_size, int64_t last_size) \
         {{ sort_chunk<{t}>(keys, indices, padded, first_size, last_size); }}\n\
         extern \"C\" __global__ void output_sort(const {t}* keys, const uint32_t* indices, void* out, int64_t rows, int64_t length, int64_t padded) \
         {{ sort_output<{t}, false>(keys, indices, out, rows, length, padded); }}\n\
         extern \"C\" __global__ void output_argsort(const {t}* keys, const uint32_t* indices, void* out, int64_t rows, int64_t length, int64_t padded) \
         {{ sort_output<{t}, true>(keys, indices, out, rows, length, padded); }}\n"
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
    if length >= u32::MAX as usize {
        return Ok(None);
    }
    let Some(rows_of) = sort_rows(x, shape, dtype, axis, stream)? else {
        return Ok(None);
    };
    let rows = rows_of.count;
    let out_dtype = if indices { Dtype::Uint32 } else { dtype };
    let (out, out_ptr) = allocate(shape, out_dtype, stream)?;
    if rows == 0 || length == 0 {
        return Ok(Some(out));
    }
    let module = format!("sort_{dtype}");
    let source = || sort_module(t);
    let in_ptr = device_address(&rows_of.data, dtype, stream)?;
    if shared > SHARED_BYTES {
        let rows_sorted = sort_long(
            &module, source, in_ptr, &rows_of, out_ptr, length, padded, dtype, indices, stream,
        )?;
        return Ok(rows_sorted.then(|| axis_last_view(out, shape, axis)));
    }
    let kernel = function(&module, if indices { "argsort" } else { "sort" }, source)?;
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
            arg(&rows_of.layout),
            arg(&rows_of.stride),
            arg(&rows_arg),
            arg(&length_arg),
            arg(&padded_arg),
        ],
    )?;
    Ok(Some(axis_last_view(out, shape, axis)))
}

/// The rows of a sort: where each starts and the stride along them.
struct SortRows {
    /// The data the layout indexes: the input, or a dense copy of it.
    data: Data,
    /// Each row's first element.
    layout: Layout<1>,
    /// The number of rows.
    count: usize,
    /// The element stride along a row.
    stride: i64,
}

/// The rows of `x` along `axis`, read in place; a dense copy only when the other axes
/// do not collapse into a layout.
fn sort_rows(
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    axis: usize,
    stream: GpuStream,
) -> Result<Option<SortRows>> {
    let kept: Vec<usize> = (0..shape.len()).filter(|&d| d != axis).collect();
    let extents: Vec<usize> = kept.iter().map(|&d| shape[d]).collect();
    let strides: Vec<isize> = kept.iter().map(|&d| x.strides[d]).collect();
    let count = extents.iter().product();
    if let Some(layout) = Layout::new(&extents, [&strides]) {
        let stride = x.strides[axis] as i64;
        return Ok(Some(SortRows {
            data: x.clone(),
            layout,
            count,
            stride,
        }));
    }
    Ok(
        as_rows(x, shape, dtype, &[axis], stream)?.map(|(data, rows, length)| SortRows {
            data,
            layout: Layout::line(rows, length as isize),
            count: rows,
            stride: 1,
        }),
    )
}

/// Sorts rows longer than a block's shared memory holds into `out_ptr` through padded
/// key and index buffers; false if the grid would be too large.
#[allow(clippy::too_many_arguments)]
fn sort_long(
    module: &str,
    source: impl Fn() -> String,
    in_ptr: u64,
    rows_of: &SortRows,
    out_ptr: u64,
    length: usize,
    padded: usize,
    dtype: Dtype,
    indices: bool,
    stream: GpuStream,
) -> Result<bool> {
    let rows = rows_of.count;
    let total = rows * padded;
    let chunks = total / CHUNK;
    if chunks > i32::MAX as usize {
        return Ok(false);
    }
    let keys = DeviceBlock::allocate(total * dtype.size(), stream)?;
    let order = DeviceBlock::allocate(total * 4, stream)?;
    let (rows_arg, length_arg, padded_arg, total_arg) =
        (rows as i64, length as i64, padded as i64, total as i64);
    let fill = function(module, "fill", &source)?;
    launch_flat(
        fill,
        total,
        stream,
        &mut [
            arg(&in_ptr),
            arg(&keys.ptr),
            arg(&order.ptr),
            arg(&rows_of.layout),
            arg(&rows_of.stride),
            arg(&rows_arg),
            arg(&length_arg),
            arg(&padded_arg),
        ],
    )?;
    let chunk = function(module, "chunk", &source)?;
    let step = function(module, "step", &source)?;
    let sort_chunks = |first: i64, last: i64| {
        launch(
            chunk,
            (chunks as u32, 1, 1),
            (1024, 1, 1),
            stream,
            &mut [
                arg(&keys.ptr),
                arg(&order.ptr),
                arg(&padded_arg),
                arg(&first),
                arg(&last),
            ],
        )
    };
    sort_chunks(2, CHUNK as i64)?;
    let mut size = 2 * CHUNK;
    while size <= padded {
        let mut stride = size / 2;
        while stride >= CHUNK {
            let (size_arg, stride_arg) = (size as i64, stride as i64);
            launch_flat(
                step,
                total / 2,
                stream,
                &mut [
                    arg(&keys.ptr),
                    arg(&order.ptr),
                    arg(&total_arg),
                    arg(&padded_arg),
                    arg(&size_arg),
                    arg(&stride_arg),
                ],
            )?;
            stride /= 2;
        }
        sort_chunks(size as i64, size as i64)?;
        size *= 2;
    }
    let output = function(
        module,
        if indices {
            "output_argsort"
        } else {
            "output_sort"
        },
        &source,
    )?;
    launch_flat(
        output,
        rows * length,
        stream,
        &mut [
            arg(&keys.ptr),
            arg(&order.ptr),
            arg(&out_ptr),
            arg(&rows_arg),
            arg(&length_arg),
            arg(&padded_arg),
        ],
    )?;
    Ok(true)
}

/// Every module of this file, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    Dtype::ALL
        .into_iter()
        .filter_map(|dtype| Some((format!("sort_{dtype}"), sort_module(c_type(dtype)?))))
        .collect()
}
