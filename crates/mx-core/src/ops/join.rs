//! Joining and splitting arrays: concatenate, stack, split, broadcast_arrays, meshgrid.

use crate::array::shape::{broadcast_shapes, normalize_axis};
use crate::dtype::result_type;
use crate::error::{shape_str, Error, Result};
use crate::primitive::Primitive;
use crate::Array;

use super::Slice;

/// `x[start:stop]` along one axis, everything else whole.
pub(crate) fn slice_axis(x: &Array, axis: usize, start: isize, stop: isize) -> Result<Array> {
    let mut slices = vec![Slice::FULL; axis + 1];
    slices[axis] = Slice::range(start, stop);
    x.slice(&slices)
}

/// Joins arrays along `axis` (`None` flattens them first). Dtypes promote as in `add`.
///
/// ```
/// # use mx_core::{array, concatenate};
/// let c = concatenate(&[&array![1, 2], &array![3]], Some(0)).unwrap();
/// assert_eq!(c.to_vec::<i32>().unwrap(), vec![1, 2, 3]);
/// ```
pub fn concatenate(arrays: &[&Array], axis: Option<isize>) -> Result<Array> {
    let Some(first) = arrays.first() else {
        return Err(Error::InvalidArgument(
            "[concatenate] No arrays provided for concatenation".into(),
        ));
    };
    let Some(axis) = axis else {
        let flat: Vec<Array> = arrays
            .iter()
            .map(|a| a.reshape(&[-1]))
            .collect::<Result<_>>()?;
        return concatenate(&flat.iter().collect::<Vec<_>>(), Some(0));
    };
    let ndim = first.ndim();
    let axis = normalize_axis(axis, ndim, "concatenate").map_err(|_| {
        Error::InvalidArgument(format!(
            "[concatenate] Invalid axis {axis} passed to concatenate for array with shape {}.",
            shape_str(first.shape())
        ))
    })?;
    let mut out_shape = first.shape().to_vec();
    out_shape[axis] = 0;
    let mut dtype = first.dtype();
    for a in arrays {
        let same_rest =
            a.ndim() == ndim && (0..ndim).all(|d| d == axis || a.shape()[d] == first.shape()[d]);
        if !same_rest {
            return Err(Error::Shape(format!(
                "[concatenate] All the input array dimensions must match exactly except for the concatenation axis. However, the provided shapes are {} and {}, and the concatenation axis is {axis}.",
                shape_str(first.shape()),
                shape_str(a.shape())
            )));
        }
        out_shape[axis] += a.shape()[axis];
        dtype = result_type(dtype, a.dtype());
    }
    let inputs: Vec<Array> = arrays
        .iter()
        .map(|a| a.astype(dtype))
        .collect::<Result<_>>()?;
    if inputs.len() == 1 {
        return Ok(inputs[0].clone());
    }
    Array::from_op(out_shape, dtype, Primitive::Concatenate(axis), inputs)
}

/// Joins arrays of one shape along a new axis.
pub fn stack(arrays: &[&Array], axis: isize) -> Result<Array> {
    let Some(first) = arrays.first() else {
        return Err(Error::InvalidArgument(
            "[stack] No arrays provided for stacking".into(),
        ));
    };
    if arrays.iter().any(|a| a.shape() != first.shape()) {
        return Err(Error::Shape(
            "[stack] All arrays must have the same shape".into(),
        ));
    }
    let axis = normalize_axis(axis, first.ndim() + 1, "stack")? as isize;
    let expanded: Vec<Array> = arrays
        .iter()
        .map(|a| a.expand_dims(&[axis]))
        .collect::<Result<_>>()?;
    concatenate(&expanded.iter().collect::<Vec<_>>(), Some(axis))
}

/// How `split` divides an axis.
#[derive(Clone, Debug, PartialEq)]
pub enum SplitAt {
    /// Into this many equal parts (the axis must divide evenly).
    Sections(usize),
    /// At these indices, as Python slices `a[i_{k-1}:i_k]`: unsorted indices give empty parts.
    Indices(Vec<isize>),
}

/// Splits `x` along `axis` into views.
pub fn split(x: &Array, at: SplitAt, axis: isize) -> Result<Vec<Array>> {
    let ax = normalize_axis(axis, x.ndim(), "split")?;
    let dim = x.shape()[ax] as isize;
    let indices: Vec<isize> = match at {
        SplitAt::Sections(0) => {
            return Err(Error::InvalidArgument(
                "[split] The number of sections must be positive.".into(),
            ))
        }
        SplitAt::Sections(n) => {
            if dim % n as isize != 0 {
                return Err(Error::InvalidArgument(
                    "Array split does not result in sub arrays with equal size".into(),
                ));
            }
            let part = dim / n as isize;
            (1..n as isize).map(|k| k * part).collect()
        }
        SplitAt::Indices(list) => list,
    };
    let mut bounds = vec![0isize];
    bounds.extend(indices);
    let mut parts = Vec::with_capacity(bounds.len());
    for (k, &start) in bounds.iter().enumerate() {
        let stop = bounds.get(k + 1).copied().unwrap_or(dim);
        parts.push(slice_axis(x, ax, start, stop)?);
    }
    Ok(parts)
}

/// Broadcasts every array to their common shape (each keeps its dtype).
pub fn broadcast_arrays(arrays: &[&Array]) -> Result<Vec<Array>> {
    let mut shape: Vec<usize> = Vec::new();
    for a in arrays {
        shape = broadcast_shapes(&shape, a.shape())?;
    }
    arrays.iter().map(|a| a.broadcast_to(&shape)).collect()
}

/// Coordinate grids from 1-d coordinate vectors (flattened if not 1-d).
/// `xy` indexing swaps the first two output axes, as in NumPy.
pub fn meshgrid(arrays: &[&Array], sparse: bool, indexing: &str) -> Result<Vec<Array>> {
    if indexing != "xy" && indexing != "ij" {
        return Err(Error::InvalidArgument(
            "[meshgrid] Invalid indexing value. Valid values are 'xy' and 'ij'.".into(),
        ));
    }
    let n = arrays.len();
    let mut outs = Vec::with_capacity(n);
    for (i, a) in arrays.iter().enumerate() {
        let mut shape = vec![1isize; n];
        let mut pos = i;
        if indexing == "xy" && n >= 2 && i < 2 {
            pos = 1 - i;
        }
        shape[pos] = -1;
        outs.push(a.reshape(&shape)?);
    }
    if sparse {
        return Ok(outs);
    }
    broadcast_arrays(&outs.iter().collect::<Vec<_>>())
}
