//! The CPU kernel of `RandomBits`.

use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;
use crate::random::threefry::random_bits;

/// The first bytes of the Threefry stream of `key` (two uint32 along its only axis), as
/// a row-major array of `shape` and `dtype`.
pub(crate) fn bits(key: &Data, shape: &[usize], dtype: Dtype) -> Result<Data> {
    let stride = key.strides.first().copied().unwrap_or(1);
    let base = key.ptr::<u32>();
    // SAFETY: the key holds two uint32 elements, `stride` apart.
    let words = unsafe { [*base, *base.offset(stride)] };
    let nbytes = shape.iter().product::<usize>() * dtype.size();
    let out = Data::allocate(shape, dtype)?;
    let bytes = random_bits(words, nbytes);
    // SAFETY: the fresh buffer holds `nbytes` bytes.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out.mut_ptr::<u8>(), nbytes) };
    Ok(out)
}
