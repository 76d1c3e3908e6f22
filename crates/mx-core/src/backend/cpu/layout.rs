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
    // A copy in the same dtype moves bits (NaN payloads included), not values.
    let cast = |x: &Data, shape: &[usize], from: Dtype, to: Dtype| {
        if from == to {
            contiguous(x, shape, from).map(Some)
        } else {
            astype(x, shape, from, to).map(Some)
        }
    };
    view_through(x, in_shape, from, to, out_shape, &cast)?
        .ok_or_else(|| Error::Eval("[view] Misaligned view offset.".into()))
}

/// A backend's cast of `(x, shape, from, to)` into a fresh row-major array; `None` where
/// the backend has no kernel for it.
pub(crate) type RowMajorCast<'a> =
    dyn Fn(&Data, &[usize], Dtype, Dtype) -> Result<Option<Data>> + 'a;

/// [`view_as`] for any backend, given its row-major cast (`None` where it has none): a
/// view where the layout allows, else a view of a row-major copy; a view as bool is the
/// cast of the bytes (`byte != 0`).
pub(crate) fn view_through(
    x: &Data,
    in_shape: &[usize],
    from: Dtype,
    to: Dtype,
    out_shape: &[usize],
    cast: &RowMajorCast,
) -> Result<Option<Data>> {
    if to == Dtype::Bool && from != Dtype::Bool {
        let Some(bytes) = view_through(x, in_shape, from, Dtype::Uint8, out_shape, cast)? else {
            return Ok(None);
        };
        return cast(&bytes, out_shape, Dtype::Uint8, Dtype::Bool);
    }
    if let Some(view) = reinterpret(x, in_shape, from, to, out_shape) {
        return Ok(Some(view));
    }
    let Some(dense) = cast(x, in_shape, from, from)? else {
        return Ok(None);
    };
    Ok(reinterpret(&dense, in_shape, from, to, out_shape))
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
