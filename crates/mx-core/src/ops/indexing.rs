//! Integer-array indexing: gather, scatter, take, take_along_axis, put_along_axis and
//! slices with dynamic start positions. Out-of-range indices are an `Err` from `eval`
//! that names the op, the axis, the index and the bound.

use crate::array::shape::{broadcast_shapes, normalize_axis};
use crate::dtype::Dtype;
use crate::error::{shape_str, Error, Result};
use crate::primitive::{Primitive, ScatterKind};
use crate::Array;

fn check_index_dtype(op: &str, index: &Array) -> Result<()> {
    if !index.dtype().is_integer() {
        return Err(Error::Dtype(format!(
            "[{op}] Indices must be integral, got {}.",
            index.dtype()
        )));
    }
    Ok(())
}

fn broadcast_indices(op: &str, indices: &[&Array]) -> Result<(Vec<Array>, Vec<usize>)> {
    let mut shape = Vec::new();
    for index in indices {
        check_index_dtype(op, index)?;
        shape = broadcast_shapes(&shape, index.shape())?;
    }
    let out = indices
        .iter()
        .map(|i| i.broadcast_to(&shape))
        .collect::<Result<_>>()?;
    Ok((out, shape))
}

/// Windows of `x`: for each position `p` of the broadcast `indices`, the block of size
/// `window` that starts at `indices[k][p]` on `axes[k]` (and at 0 on other axes).
/// The result has the index shape followed by `window`.
pub fn gather(x: &Array, indices: &[&Array], axes: &[usize], window: &[usize]) -> Result<Array> {
    if indices.len() != axes.len() || window.len() != x.ndim() {
        return Err(Error::InvalidArgument(format!(
            "[gather] Got {} indices for {} axes and a window of {} sizes for an array with {} dimensions.",
            indices.len(),
            axes.len(),
            window.len(),
            x.ndim()
        )));
    }
    for (d, (&w, &n)) in window.iter().zip(x.shape()).enumerate() {
        // Indexed axes are checked with their indices at eval time.
        if w > n && !axes.contains(&d) {
            return Err(Error::InvalidArgument(format!(
                "[gather] Window size {w} exceeds axis {d} of shape {}.",
                shape_str(x.shape())
            )));
        }
    }
    let (indices, index_shape) = broadcast_indices("gather", indices)?;
    let mut shape = index_shape;
    shape.extend(window);
    let mut inputs = vec![x.clone()];
    inputs.extend(indices);
    Array::from_op(
        shape,
        x.dtype(),
        Primitive::Gather {
            axes: axes.to_vec(),
            window: window.to_vec(),
        },
        inputs,
    )
}

/// A copy of `x` where each window of `updates` (shaped like `gather`'s result) is combined
/// into `x` at the indexed position. Duplicate indices apply in order.
pub fn scatter(
    x: &Array,
    indices: &[&Array],
    updates: &Array,
    axes: &[usize],
    kind: ScatterKind,
) -> Result<Array> {
    let (indices, index_shape) = broadcast_indices("scatter", indices)?;
    if indices.len() != axes.len() || axes.iter().any(|&a| a >= x.ndim()) {
        return Err(Error::InvalidArgument(
            "[scatter] Every index array needs one valid axis.".into(),
        ));
    }
    if updates.ndim() != index_shape.len() + x.ndim()
        || updates.shape()[..index_shape.len()] != index_shape[..]
        || updates.shape()[index_shape.len()..]
            .iter()
            .zip(x.shape())
            .any(|(&w, &n)| w > n)
    {
        return Err(Error::Shape(format!(
            "[scatter] Updates with shape {} do not fit indices of shape {} into an array of shape {}.",
            shape_str(updates.shape()),
            shape_str(&index_shape),
            shape_str(x.shape())
        )));
    }
    let mut inputs = vec![x.clone()];
    inputs.extend(indices);
    inputs.push(updates.astype(x.dtype())?);
    Array::from_op(
        x.shape().to_vec(),
        x.dtype(),
        Primitive::Scatter {
            kind,
            axes: axes.to_vec(),
        },
        inputs,
    )
}

/// Elements of `x` at `indices` along `axis` (`None`: of the flattened array). The index
/// dimensions replace `axis`.
///
/// ```
/// # use mx_core::{array, take};
/// let x = array![10, 20, 30];
/// let i = array![2, 0];
/// assert_eq!(take(&x, &i, None).unwrap().to_vec::<i32>().unwrap(), vec![30, 10]);
/// ```
pub fn take(x: &Array, indices: &Array, axis: Option<isize>) -> Result<Array> {
    let Some(axis) = axis else {
        return take(&x.reshape(&[-1])?, indices, Some(0));
    };
    let ax = normalize_axis(axis, x.ndim(), "take")?;
    check_index_dtype("take", indices)?;
    let mut window = x.shape().to_vec();
    window[ax] = 1;
    let gathered = gather(x, &[indices], &[ax], &window)?;
    // [idx..., x0.., 1, ..xn] -> [x0.., idx..., ..xn]
    let k = indices.ndim();
    let mut shape: Vec<isize> = indices.shape().iter().map(|&d| d as isize).collect();
    shape.extend(
        x.shape()
            .iter()
            .enumerate()
            .filter(|&(d, _)| d != ax)
            .map(|(_, &n)| n as isize),
    );
    let squeezed = gathered.reshape(&shape)?;
    let mut perm: Vec<isize> = (k..k + ax).map(|d| d as isize).collect();
    perm.extend((0..k).map(|d| d as isize));
    perm.extend((k + ax..shape.len()).map(|d| d as isize));
    squeezed.transpose(Some(&perm))
}

/// `arange` over axis `d` of an `ndim`-d shape, 1 elsewhere: the identity index of that axis.
fn axis_positions(size: usize, d: usize, ndim: usize) -> Result<Array> {
    let mut shape = vec![1isize; ndim];
    shape[d] = size as isize;
    super::arange(0, size as i64, 1, Some(Dtype::Int32))?.reshape(&shape)
}

/// Index arrays for every axis of `x`, with `indices` on `axis` and identities elsewhere,
/// and the shape they broadcast to.
fn along_axis_indices(
    x: &Array,
    indices: &Array,
    axis: usize,
    op: &str,
) -> Result<(Vec<Array>, Vec<usize>)> {
    check_index_dtype(op, indices)?;
    if indices.ndim() != x.ndim() {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Indices of dimension {} does not match array of dimension {}.",
            indices.ndim(),
            x.ndim()
        )));
    }
    let mut x_shape = x.shape().to_vec();
    x_shape[axis] = 1;
    let mut i_shape = indices.shape().to_vec();
    i_shape[axis] = 1;
    let mut shape = broadcast_shapes(&x_shape, &i_shape)?;
    shape[axis] = indices.shape()[axis];
    let arrays = (0..x.ndim())
        .map(|d| {
            if d == axis {
                indices.broadcast_to(&shape)
            } else {
                axis_positions(x.shape()[d], d, x.ndim())?.broadcast_to(&shape)
            }
        })
        .collect::<Result<_>>()?;
    Ok((arrays, shape))
}

/// `x[..., indices[i, j], ...]` along `axis`, with `indices` broadcast against `x` elsewhere.
pub fn take_along_axis(x: &Array, indices: &Array, axis: Option<isize>) -> Result<Array> {
    let Some(axis) = axis else {
        return take_along_axis(&x.reshape(&[-1])?, indices, Some(0));
    };
    let ax = normalize_axis(axis, x.ndim(), "take_along_axis")?;
    let (arrays, shape) = along_axis_indices(x, indices, ax, "take_along_axis")?;
    let axes: Vec<usize> = (0..x.ndim()).collect();
    let refs: Vec<&Array> = arrays.iter().collect();
    let out = gather(x, &refs, &axes, &vec![1; x.ndim()])?;
    out.reshape(&shape.iter().map(|&d| d as isize).collect::<Vec<_>>())
}

/// A copy of `x` with `values` written at `indices` along `axis` (the last duplicate wins).
pub fn put_along_axis(
    x: &Array,
    indices: &Array,
    values: &Array,
    axis: Option<isize>,
) -> Result<Array> {
    let Some(axis) = axis else {
        let flat = put_along_axis(&x.reshape(&[-1])?, indices, values, Some(0))?;
        return flat.reshape(&x.shape().iter().map(|&d| d as isize).collect::<Vec<_>>());
    };
    let ax = normalize_axis(axis, x.ndim(), "put_along_axis")?;
    let (arrays, shape) = along_axis_indices(x, indices, ax, "put_along_axis")?;
    let shape = broadcast_shapes(&shape, values.shape())?;
    let arrays: Vec<Array> = arrays
        .iter()
        .map(|a| a.broadcast_to(&shape))
        .collect::<Result<_>>()?;
    let mut update_shape = shape.clone();
    update_shape.extend(vec![1; x.ndim()]);
    let updates = values
        .astype(x.dtype())?
        .broadcast_to(&shape)?
        .reshape(&update_shape.iter().map(|&d| d as isize).collect::<Vec<_>>())?;
    let axes: Vec<usize> = (0..x.ndim()).collect();
    let refs: Vec<&Array> = arrays.iter().collect();
    scatter(x, &refs, &updates, &axes, ScatterKind::Set)
}

fn dynamic_starts(
    x: &Array,
    start: &Array,
    axes: &[isize],
    op: &str,
) -> Result<(Vec<Array>, Vec<usize>)> {
    check_index_dtype(op, start)?;
    let start = &if start.ndim() == 0 {
        start.reshape(&[1])?
    } else {
        start.clone()
    };
    if start.ndim() != 1 || start.shape()[0] != axes.len() {
        return Err(Error::InvalidArgument(format!(
            "[{op}] The start indices must be 1-d with one entry per axis, got shape {} for {} axes.",
            shape_str(start.shape()),
            axes.len()
        )));
    }
    let axes: Vec<usize> = axes
        .iter()
        .map(|&a| normalize_axis(a, x.ndim(), op))
        .collect::<Result<_>>()?;
    if (1..axes.len()).any(|i| axes[..i].contains(&axes[i])) {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Repeat axes not allowed."
        )));
    }
    let starts = (0..axes.len())
        .map(|i| {
            start
                .slice(&[super::Slice::range(i as isize, i as isize + 1)])?
                .reshape(&[])
        })
        .collect::<Result<_>>()?;
    Ok((starts, axes))
}

/// `x[start[0]:start[0]+size[a0], ...]` on `axes`, with the start positions in an array
/// (so that they can change without rebuilding the graph). `slice_size` is the output shape.
pub fn slice_dynamic(
    x: &Array,
    start: &Array,
    axes: &[isize],
    slice_size: &[usize],
) -> Result<Array> {
    if slice_size.len() != x.ndim() {
        return Err(Error::InvalidArgument(format!(
            "[slice] Invalid slice size {} for array with {} dimensions.",
            shape_str(slice_size),
            x.ndim()
        )));
    }
    let (starts, axes) = dynamic_starts(x, start, axes, "slice")?;
    let refs: Vec<&Array> = starts.iter().collect();
    gather(x, &refs, &axes, slice_size)
}

/// A copy of `x` with `update` written at the start positions `start` on `axes`.
pub fn slice_update(x: &Array, update: &Array, start: &Array, axes: &[isize]) -> Result<Array> {
    let (starts, axes) = dynamic_starts(x, start, axes, "slice_update")?;
    if update.ndim() > x.ndim() {
        return Err(Error::Shape(format!(
            "[slice_update] Update with shape {} has more dimensions than the array with shape {}.",
            shape_str(update.shape()),
            shape_str(x.shape())
        )));
    }
    // The update's own axes keep their sizes; the axes it lacks are 1 where listed in
    // `axes` and the whole extent elsewhere, as in MLX.
    let missing = x.ndim() - update.ndim();
    let window: Vec<usize> = (0..x.ndim())
        .map(|d| match d.checked_sub(missing) {
            Some(u) => update.shape()[u],
            None if axes.contains(&d) => 1,
            None => x.shape()[d],
        })
        .collect();
    let update = update.astype(x.dtype())?.broadcast_to(&window)?;
    let refs: Vec<&Array> = starts.iter().collect();
    scatter(x, &refs, &update, &axes, ScatterKind::Set)
}
