//! Gather on the GPU, with out-of-range indices reported as an `Err` like the CPU's.

use super::compiler::function;
use super::elementwise::convert;
use super::launch::{allocate, arg, device_address, grid_for, launch, Layout, BLOCK};
use super::memory::DeviceBlock;
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::{Error, Result};

const GATHER: &str = include_str!("kernels/gather.cu");
const MAX_INDEX_ARRAYS: usize = 8;

/// `IndexArrays` of `gather.cu`.
#[repr(C)]
#[derive(Clone, Copy)]
struct IndexArrays {
    indices: [u64; MAX_INDEX_ARRAYS],
    stride: [i64; MAX_INDEX_ARRAYS],
    bound: [i64; MAX_INDEX_ARRAYS],
    limit: [i64; MAX_INDEX_ARRAYS],
    axis: [i32; MAX_INDEX_ARRAYS],
    count: i32,
}

/// `out[p, w...] = x[indices[p] + w]`; an index outside its axis fails the op with the
/// CPU's message. The check waits for the kernel, so a gather synchronises its stream.
pub(crate) fn gather(
    (x, x_shape): (&Data, &[usize]),
    indices: &[(&Data, &[usize], Dtype)],
    axes: &[usize],
    window: &[usize],
    dtype: Dtype,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    if indices.len() > MAX_INDEX_ARRAYS {
        return Ok(None);
    }
    let word = match dtype.size() {
        1 => "uint8_t",
        2 => "uint16_t",
        4 => "uint32_t",
        _ => "uint64_t",
    };
    let (out, out_ptr) = allocate(out_shape, dtype, stream)?;
    let positions: usize = out_shape[..out_shape.len() - window.len()].iter().product();
    let per: usize = window.iter().product();
    if positions * per == 0 {
        return Ok(Some(out));
    }
    let Some(window_layout) = Layout::<1>::new(window, [&x.strides]) else {
        return Ok(None);
    };
    let mut arrays = IndexArrays {
        indices: [0; MAX_INDEX_ARRAYS],
        stride: [0; MAX_INDEX_ARRAYS],
        bound: [0; MAX_INDEX_ARRAYS],
        limit: [0; MAX_INDEX_ARRAYS],
        axis: [0; MAX_INDEX_ARRAYS],
        count: indices.len() as i32,
    };
    // Dense int64 copies of the index arrays, kept alive until the kernel has run.
    let mut dense = Vec::with_capacity(indices.len());
    for (k, (&(data, shape, index_dtype), &axis)) in indices.iter().zip(axes).enumerate() {
        let Some(copy) = convert(data, shape, index_dtype, Dtype::Int64, stream)? else {
            return Ok(None);
        };
        arrays.indices[k] = device_address(&copy, Dtype::Int64, stream)?;
        arrays.stride[k] = x.strides[axis] as i64;
        arrays.bound[k] = x_shape[axis] as i64;
        arrays.limit[k] = x_shape[axis] as i64 - window[axis] as i64;
        arrays.axis[k] = axis as i32;
        dense.push(copy);
    }
    let error = DeviceBlock::allocate(24, stream)?;
    let zeros = [0u8; 24];
    // SAFETY: the block holds 24 bytes.
    unsafe { error.upload(zeros.as_ptr(), 24)? };
    let x_ptr = device_address(x, dtype, stream)?;
    let (positions_arg, per_arg) = (positions as i64, per as i64);
    let module = format!("gather_{word}");
    let source = || {
        format!(
            "{GATHER}\nextern \"C\" __global__ void gather(const {word}* x, {word}* out, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window, unsigned long long* error) \
             {{ gather_words<{word}>(x, out, positions, per, arrays, window, error); }}\n"
        )
    };
    let kernel = function(&module, "gather", source)?;
    launch(
        kernel,
        (grid_for(positions * per), 1, 1),
        (BLOCK, 1, 1),
        stream,
        &mut [
            arg(&x_ptr),
            arg(&out_ptr),
            arg(&positions_arg),
            arg(&per_arg),
            arg(&arrays),
            arg(&window_layout),
            arg(&error.ptr),
        ],
    )?;
    let mut record = [0u64; 3];
    // SAFETY: `record` holds 24 bytes; the download waits for the kernel.
    unsafe { error.download(record.as_mut_ptr() as *mut u8, 24)? };
    drop(dense);
    if record[0] != 0 {
        let axis = record[1] as usize;
        return Err(Error::InvalidArgument(format!(
            "[gather] Index {} is out of bounds for axis {axis} with size {}.",
            record[2] as i64, x_shape[axis]
        )));
    }
    Ok(Some(out))
}
