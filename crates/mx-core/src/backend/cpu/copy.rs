//! Element copies between strided views of any dtype, moved as raw words of the element size.

use super::strided::{collapse, for_each_run, parallel_ranges, SendPtr};
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;

fn copy_words<W: Copy>(
    src: &Data,
    dst: &Data,
    dst_offset: usize,
    dst_strides: &[isize],
    shape: &[usize],
) {
    let size: usize = shape.iter().product();
    let from = SendPtr(src.ptr::<W>() as *mut W);
    // SAFETY: `dst_offset` is inside the destination buffer.
    let to = SendPtr(unsafe { (dst.buffer.as_mut_ptr() as *mut W).add(dst_offset) });
    let (cshape, [src_strides, dst_strides]) = collapse(shape, [&src.strides, dst_strides]);
    let strides = [src_strides, dst_strides];
    parallel_ranges(size, |start, end| {
        for_each_run(&cshape, &strides, start, end, |_, [s, d], len, [ss, ds]| {
            for i in 0..len as isize {
                // SAFETY: both views' strides address elements inside their buffers, and
                // each destination element is written by exactly one run.
                unsafe { *to.at(d + i * ds) = *from.at(s + i * ss) };
            }
        });
    });
}

/// Copies `src` (of logical `shape`) into the region of `dst`'s buffer that starts at
/// element `dst_offset` and has `dst_strides`.
pub(crate) fn copy_into(
    src: &Data,
    dst: &Data,
    dst_offset: usize,
    dst_strides: &[isize],
    shape: &[usize],
    dtype: Dtype,
) -> Result<()> {
    match dtype.size() {
        1 => copy_words::<u8>(src, dst, dst_offset, dst_strides, shape),
        2 => copy_words::<u16>(src, dst, dst_offset, dst_strides, shape),
        4 => copy_words::<u32>(src, dst, dst_offset, dst_strides, shape),
        _ => copy_words::<u64>(src, dst, dst_offset, dst_strides, shape),
    }
    Ok(())
}

/// Joins `inputs` along `axis` into a fresh row-major output.
pub(crate) fn concatenate(
    inputs: &[(&Data, &[usize])],
    axis: usize,
    out_shape: &[usize],
    dtype: Dtype,
) -> Result<Data> {
    let out = Data::allocate(out_shape, dtype)?;
    let mut start = 0;
    for (data, shape) in inputs {
        let offset = start * out.strides[axis] as usize;
        if shape.iter().product::<usize>() > 0 {
            copy_into(data, &out, offset, &out.strides, shape, dtype)?;
        }
        start += shape[axis];
    }
    Ok(out)
}
