//! Shape and stride arithmetic shared by ops and kernels.

use crate::error::{shape_str, Error, Result};

/// Row-major strides (in elements) for `shape`.
pub(crate) fn row_major_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut acc = 1isize;
    for (stride, &dim) in strides.iter_mut().zip(shape).rev() {
        *stride = acc;
        acc *= dim.max(1) as isize;
    }
    strides
}

/// True if `strides` describe a dense row-major layout of `shape`
/// (dimensions of size 1 may have any stride).
pub(crate) fn is_row_contiguous(shape: &[usize], strides: &[isize]) -> bool {
    let mut expected = 1isize;
    for (&dim, &stride) in shape.iter().zip(strides).rev() {
        if dim == 1 {
            continue;
        }
        if stride != expected {
            return false;
        }
        expected *= dim as isize;
    }
    true
}

/// The shape two shapes broadcast to, with MLX's error message.
///
/// ```
/// use mx_core::broadcast_shapes;
/// assert_eq!(broadcast_shapes(&[3, 1], &[4]).unwrap(), vec![3, 4]);
/// assert!(broadcast_shapes(&[3], &[4]).is_err());
/// ```
pub fn broadcast_shapes(a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    let ndim = a.len().max(b.len());
    let mut out = vec![0; ndim];
    for i in 0..ndim {
        let da = if i < ndim - a.len() {
            1
        } else {
            a[i - (ndim - a.len())]
        };
        let db = if i < ndim - b.len() {
            1
        } else {
            b[i - (ndim - b.len())]
        };
        out[i] = if da == db || db == 1 {
            da
        } else if da == 1 {
            db
        } else {
            return Err(Error::Shape(format!(
                "[broadcast_shapes] Shapes {} and {} cannot be broadcast.",
                shape_str(a),
                shape_str(b)
            )));
        };
    }
    Ok(out)
}

/// Strides that view an array of `shape`/`strides` as the larger `target` shape (stride 0 where broadcast).
pub(crate) fn broadcast_strides(
    shape: &[usize],
    strides: &[isize],
    target: &[usize],
) -> Vec<isize> {
    let pad = target.len() - shape.len();
    (0..target.len())
        .map(|i| {
            if i < pad || shape[i - pad] == 1 && target[i] != 1 {
                0
            } else {
                strides[i - pad]
            }
        })
        .collect()
}

/// Normalises a possibly negative axis against `ndim`, naming `op` in the error.
pub(crate) fn normalize_axis(axis: isize, ndim: usize, op: &str) -> Result<usize> {
    let n = ndim as isize;
    if axis < -n || axis >= n {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Axis {axis} is out of bounds for array with {ndim} dimensions."
        )));
    }
    Ok(if axis < 0 { axis + n } else { axis } as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_error_message_matches_mlx() {
        let err = broadcast_shapes(&[3], &[4]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "[broadcast_shapes] Shapes (3) and (4) cannot be broadcast."
        );
    }

    #[test]
    fn contiguity() {
        assert!(is_row_contiguous(&[2, 3], &[3, 1]));
        assert!(!is_row_contiguous(&[2, 3], &[1, 2]));
        assert!(is_row_contiguous(&[1, 3], &[100, 1]));
    }
}
