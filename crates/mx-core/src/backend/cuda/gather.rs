//! Gather and scatter on the GPU, with out-of-range indices reported as an `Err` like
//! the CPU's.

use super::compiler::function;
use super::elementwise::convert;
use super::launch::{allocate, arg, c_type, device_address, launch_flat, Layout};
use super::memory::DeviceBlock;
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::ScatterKind;

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

/// The unsigned integer type of `dtype`'s width: gathers move elements as words.
fn word_type(dtype: Dtype) -> &'static str {
    match dtype.size() {
        1 => "uint8_t",
        2 => "uint16_t",
        4 => "uint32_t",
        _ => "uint64_t",
    }
}

/// The gather kernel for elements of C type `word`.
fn gather_module(word: &str) -> String {
    format!(
        "{GATHER}\nextern \"C\" __global__ void gather(const {word}* x, {word}* out, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window, unsigned long long* error) \
         {{ gather_words<{word}>(x, out, positions, per, arrays, window, error); }}\n"
    )
}

/// The index check and the scatter kernels (one per combining rule) of C type `t`.
fn scatter_module(t: &str) -> String {
    let mut text = format!(
        "{GATHER}\nextern \"C\" __global__ void scatter_claim(uint32_t* claims, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window, unsigned long long* error) \
         {{ claim_slots(claims, positions, per, arrays, window, error); }}\n\
         extern \"C\" __global__ void scatter_set({t}* out, const {t}* updates, const uint32_t* claims, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window) \
         {{ write_claimed<{t}>(out, updates, claims, positions, per, arrays, window); }}\n"
    );
    for rule in ["Add", "Prod", "Max", "Min"] {
        text += &format!(
            "extern \"C\" __global__ void scatter_{rule}({t}* out, const {t}* updates, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window, unsigned long long* error) \
             {{ scatter_combine<{t}, Scatter{rule}>(out, updates, positions, per, arrays, window, error); }}\n"
        );
    }
    text
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
    let word = word_type(dtype);
    let (out, out_ptr) = allocate(out_shape, dtype, stream)?;
    let positions: usize = out_shape[..out_shape.len() - window.len()].iter().product();
    let per: usize = window.iter().product();
    if positions * per == 0 {
        return Ok(Some(out));
    }
    let Some(window_layout) = Layout::<1>::new(window, [&x.strides]) else {
        return Ok(None);
    };
    let Some((arrays, dense)) =
        index_arrays(indices, axes, window, x.strides.as_slice(), x_shape, stream)?
    else {
        return Ok(None);
    };
    let error = error_record(stream)?;
    let x_ptr = device_address(x, dtype, stream)?;
    let (positions_arg, per_arg) = (positions as i64, per as i64);
    let module = format!("gather_{word}");
    let source = || gather_module(word);
    let kernel = function(&module, "gather", source)?;
    launch_flat(
        kernel,
        positions * per,
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
    report_error("gather", &error, x_shape)?;
    drop(dense);
    Ok(Some(out))
}

/// Dense int64 copies of the index arrays (kept alive by the caller until its kernels
/// have run) and their description for the kernels.
fn index_arrays(
    indices: &[(&Data, &[usize], Dtype)],
    axes: &[usize],
    window: &[usize],
    strides: &[isize],
    x_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<(IndexArrays, Vec<Data>)>> {
    let mut arrays = IndexArrays {
        indices: [0; MAX_INDEX_ARRAYS],
        stride: [0; MAX_INDEX_ARRAYS],
        bound: [0; MAX_INDEX_ARRAYS],
        limit: [0; MAX_INDEX_ARRAYS],
        axis: [0; MAX_INDEX_ARRAYS],
        count: indices.len() as i32,
    };
    let mut dense = Vec::with_capacity(indices.len());
    for (k, (&(data, shape, index_dtype), &axis)) in indices.iter().zip(axes).enumerate() {
        let Some(copy) = convert(data, shape, index_dtype, Dtype::Int64, stream)? else {
            return Ok(None);
        };
        arrays.indices[k] = device_address(&copy, Dtype::Int64, stream)?;
        arrays.stride[k] = strides[axis] as i64;
        arrays.bound[k] = x_shape[axis] as i64;
        arrays.limit[k] = x_shape[axis] as i64 - window[axis] as i64;
        arrays.axis[k] = axis as i32;
        dense.push(copy);
    }
    Ok(Some((arrays, dense)))
}

/// A zeroed error record for the kernels.
fn error_record(stream: GpuStream) -> Result<DeviceBlock> {
    let error = DeviceBlock::allocate(24, stream)?;
    error.zero()?;
    Ok(error)
}

/// Waits for the kernels and turns an out-of-range index into the CPU's error.
fn report_error(op: &str, error: &DeviceBlock, x_shape: &[usize]) -> Result<()> {
    let mut record = [0u64; 3];
    // SAFETY: `record` holds 24 bytes; the download waits for the kernels.
    unsafe { error.download(record.as_mut_ptr() as *mut u8, 24)? };
    if record[0] == 0 {
        return Ok(());
    }
    let axis = record[1] as usize;
    Err(Error::InvalidArgument(format!(
        "[{op}] Index {} is out of bounds for axis {axis} with size {}.",
        record[2] as i64, x_shape[axis]
    )))
}

/// A copy of `x` with `updates` combined into the windows at `indices` by `kind`. Set
/// gives the CPU's result (the last index position wins); the other rules combine
/// atomically in no fixed order, as on MLX's GPUs: where indices repeat, float sums and
/// products may round differently from the CPU, and max/min with a NaN among the updates
/// may keep it or not. An index outside its axis fails the op with the CPU's message; the
/// check waits for the kernels.
#[allow(clippy::too_many_arguments)]
pub(crate) fn scatter(
    (x, x_shape): (&Data, &[usize]),
    indices: &[(&Data, &[usize], Dtype)],
    (updates, update_shape): (&Data, &[usize]),
    axes: &[usize],
    kind: ScatterKind,
    dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    let window: Vec<usize> = update_shape[update_shape.len() - x_shape.len()..].to_vec();
    if indices.len() > MAX_INDEX_ARRAYS {
        return Ok(None);
    }
    let Some(out) = convert(x, x_shape, dtype, dtype, stream)? else {
        return Ok(None);
    };
    let per: usize = window.iter().product();
    let positions = update_shape
        .iter()
        .product::<usize>()
        .checked_div(per)
        .unwrap_or(0);
    if positions * per == 0 {
        return Ok(Some(out));
    }
    // Claims hold `position + 1` as uint32.
    if positions >= u32::MAX as usize {
        return Ok(None);
    }
    let Some((arrays, dense)) =
        index_arrays(indices, axes, &window, &out.strides, x_shape, stream)?
    else {
        return Ok(None);
    };
    let Some(dense_updates) = convert(updates, update_shape, dtype, dtype, stream)? else {
        return Ok(None);
    };
    let Some(window_layout) = Layout::<1>::new(&window, [&out.strides]) else {
        return Ok(None);
    };
    let error = error_record(stream)?;
    let module = format!("scatter_{dtype}");
    let source = || scatter_module(t);
    let (out_ptr, updates_ptr) = (
        device_address(&out, dtype, stream)?,
        device_address(&dense_updates, dtype, stream)?,
    );
    let (positions_arg, per_arg) = (positions as i64, per as i64);
    let n = positions * per;
    let rule = match kind {
        ScatterKind::Set => None,
        ScatterKind::Add => Some("scatter_Add"),
        ScatterKind::Prod => Some("scatter_Prod"),
        ScatterKind::Max => Some("scatter_Max"),
        ScatterKind::Min => Some("scatter_Min"),
    };
    if let Some(name) = rule {
        let kernel = function(&module, name, source)?;
        launch_flat(
            kernel,
            n,
            stream,
            &mut [
                arg(&out_ptr),
                arg(&updates_ptr),
                arg(&positions_arg),
                arg(&per_arg),
                arg(&arrays),
                arg(&window_layout),
                arg(&error.ptr),
            ],
        )?;
    } else {
        let elements: usize = x_shape.iter().product();
        let claims = DeviceBlock::allocate(elements * 4, stream)?;
        claims.zero()?;
        let claim = function(&module, "scatter_claim", source)?;
        launch_flat(
            claim,
            n,
            stream,
            &mut [
                arg(&claims.ptr),
                arg(&positions_arg),
                arg(&per_arg),
                arg(&arrays),
                arg(&window_layout),
                arg(&error.ptr),
            ],
        )?;
        let write = function(&module, "scatter_set", source)?;
        launch_flat(
            write,
            n,
            stream,
            &mut [
                arg(&out_ptr),
                arg(&updates_ptr),
                arg(&claims.ptr),
                arg(&positions_arg),
                arg(&per_arg),
                arg(&arrays),
                arg(&window_layout),
            ],
        )?;
    }
    report_error("scatter", &error, x_shape)?;
    drop(dense);
    Ok(Some(out))
}

/// Every module of this file, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    let mut sources: Vec<(String, String)> = ["uint8_t", "uint16_t", "uint32_t", "uint64_t"]
        .into_iter()
        .map(|word| (format!("gather_{word}"), gather_module(word)))
        .collect();
    for dtype in Dtype::ALL {
        if let Some(t) = c_type(dtype) {
            sources.push((format!("scatter_{dtype}"), scatter_module(t)));
        }
    }
    sources
}
