//! Layout primitives: views that share the buffer, and the copies made when a view is impossible.

use super::elementwise::map_unary;
use super::math::Arith;
use crate::array::shape::{broadcast_strides, row_major_strides};
use crate::array::Data;
use crate::dtype::{Dtype, Element, Scalar};
use crate::error::{Error, Result};

/// A row-major copy of `x` in its own dtype.
pub(crate) fn contiguous(x: &Data, shape: &[usize], dtype: Dtype) -> Result<Data> {
    crate::dispatch_dtype!(dtype, T => map_unary::<T, T>(x, shape, |v| v))
}

/// `x` cast from `from` to `to`.
pub(crate) fn astype(x: &Data, shape: &[usize], from: Dtype, to: Dtype) -> Result<Data> {
    crate::dispatch_dtype!(from, S => {
        crate::dispatch_dtype!(to, D => map_unary::<S, D>(x, shape, |v| v.cast::<D>()))
    })
}

/// `x` as row-major data of `out_shape`, a view when `x` is row-contiguous.
pub(crate) fn reshape(
    x: &Data,
    in_shape: &[usize],
    dtype: Dtype,
    out_shape: &[usize],
) -> Result<Data> {
    let source = if x.is_row_contiguous(in_shape) {
        x.clone()
    } else {
        contiguous(x, in_shape, dtype)?
    };
    Ok(source.view(source.offset, row_major_strides(out_shape)))
}

/// `x` seen with stride 0 along the broadcast dimensions of `out_shape`.
pub(crate) fn broadcast(x: &Data, in_shape: &[usize], out_shape: &[usize]) -> Data {
    x.view(x.offset, broadcast_strides(in_shape, &x.strides, out_shape))
}

/// `x` with its axes permuted.
pub(crate) fn transpose(x: &Data, axes: &[usize]) -> Data {
    x.view(x.offset, axes.iter().map(|&a| x.strides[a]).collect())
}

/// `x[start::step]` per axis.
pub(crate) fn slice(x: &Data, start: &[usize], step: &[isize], out_shape: &[usize]) -> Data {
    if out_shape.contains(&0) {
        return x.view(x.offset, x.strides.clone());
    }
    let offset: isize = x.offset as isize
        + start
            .iter()
            .zip(&x.strides)
            .map(|(&s, &st)| s as isize * st)
            .sum::<isize>();
    let strides = x
        .strides
        .iter()
        .zip(step)
        .map(|(&st, &sp)| st * sp)
        .collect();
    x.view(offset as usize, strides)
}

/// The bytes of `x` reinterpreted as `to`. Bytes viewed as bool are normalised to 0 or 1,
/// since any other byte is not a valid bool.
pub(crate) fn view_as(
    x: &Data,
    in_shape: &[usize],
    from: Dtype,
    to: Dtype,
    out_shape: &[usize],
) -> Result<Data> {
    if to == Dtype::Bool && from != Dtype::Bool {
        let bytes = view_as(x, in_shape, from, Dtype::Uint8, out_shape)?;
        return map_unary::<u8, bool>(&bytes, out_shape, |b| b != 0);
    }
    if let Some(view) = reinterpret(x, in_shape, from, to, out_shape) {
        return Ok(view);
    }
    let source = contiguous(x, in_shape, from)?;
    reinterpret(&source, in_shape, from, to, out_shape)
        .ok_or_else(|| Error::Eval("[view] Misaligned view offset.".into()))
}

/// `x`'s buffer seen as `to` without a copy, when `x` is row-contiguous and its offset
/// falls on a whole element of `to` (any backend: only strides change).
pub(crate) fn reinterpret(
    x: &Data,
    in_shape: &[usize],
    from: Dtype,
    to: Dtype,
    out_shape: &[usize],
) -> Option<Data> {
    let byte_offset = x.offset * from.size();
    (x.is_row_contiguous(in_shape) && byte_offset.is_multiple_of(to.size()))
        .then(|| x.view(byte_offset / to.size(), row_major_strides(out_shape)))
}

/// `start, start + step, ...` accumulated in the output dtype, as MLX does.
pub(crate) fn arange(start: f64, step: f64, n: usize, dtype: Dtype) -> Result<Data> {
    let out = Data::allocate(&[n], dtype)?;
    crate::dispatch_dtype!(dtype, T => fill_arange::<T>(&out, start, step, n));
    Ok(out)
}

fn fill_arange<T: Arith>(out: &Data, start: f64, step: f64, n: usize) {
    let ptr = out.mut_ptr::<T>();
    let step = T::from_scalar(Scalar::Float(step));
    let mut value = T::from_scalar(Scalar::Float(start));
    for i in 0..n {
        // SAFETY: the buffer holds n elements.
        unsafe { *ptr.add(i) = value };
        value = value.add(step);
    }
}
