//! Shape ops. Each is a view of the same buffer; data is copied only when the layout demands it.

use crate::array::shape::{broadcast_shapes, normalize_axis};
use crate::dtype::Dtype;
use crate::error::{shape_str, Error, Result};
use crate::primitive::Primitive;
use crate::Array;

/// One axis of a basic slice, `start:stop:step` with Python's defaults and clamping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// First index; `None` is the start in the direction of `step`.
    pub start: Option<isize>,
    /// End index (exclusive); `None` is the end in the direction of `step`.
    pub stop: Option<isize>,
    /// Step, non-zero, possibly negative.
    pub step: isize,
}

impl Slice {
    /// The whole axis, `:`.
    pub const FULL: Slice = Slice {
        start: None,
        stop: None,
        step: 1,
    };

    /// `start:stop:step`.
    pub fn new(start: Option<isize>, stop: Option<isize>, step: isize) -> Slice {
        Slice { start, stop, step }
    }

    /// `start:stop`.
    pub fn range(start: isize, stop: isize) -> Slice {
        Slice::new(Some(start), Some(stop), 1)
    }

    /// First index, step and length of the slice on an axis of size `dim`.
    pub(crate) fn resolve(self, dim: usize) -> Result<(usize, isize, usize)> {
        if self.step == 0 {
            return Err(Error::InvalidArgument(
                "[slice] Slice step cannot be zero.".into(),
            ));
        }
        let n = dim as isize;
        let norm = |v: isize| if v < 0 { v + n } else { v };
        let (start, stop) = if self.step > 0 {
            let start = self.start.map_or(0, |s| norm(s).clamp(0, n));
            let stop = self.stop.map_or(n, |s| norm(s).clamp(0, n));
            (start, stop)
        } else {
            let start = self.start.map_or(n - 1, |s| norm(s).clamp(-1, n - 1));
            let stop = self.stop.map_or(-1, |s| norm(s).clamp(-1, n - 1));
            (start, stop)
        };
        let span = stop - start;
        let len = if (span > 0) == (self.step > 0) && span != 0 {
            ((span.abs() + self.step.abs() - 1) / self.step.abs()) as usize
        } else {
            0
        };
        Ok((if len == 0 { 0 } else { start as usize }, self.step, len))
    }
}

impl Array {
    /// Casts to `dtype` (lazily; no node when the dtype already matches).
    pub fn astype(&self, dtype: Dtype) -> Result<Array> {
        if dtype == self.dtype() {
            return Ok(self.clone());
        }
        Array::from_op(
            self.shape().to_vec(),
            dtype,
            Primitive::AsType,
            vec![self.clone()],
        )
    }

    /// Reinterprets the bytes as `dtype`. With a different item size the last axis scales.
    ///
    /// ```
    /// let a = mx_core::array![1.0f32];
    /// assert_eq!(a.view(mx_core::Dtype::Uint32).unwrap().item::<u32>().unwrap(), 0x3f80_0000);
    /// ```
    pub fn view(&self, dtype: Dtype) -> Result<Array> {
        let (from, to) = (self.dtype().size(), dtype.size());
        let mut shape = self.shape().to_vec();
        if from != to {
            let last = shape.last_mut().ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "[view] Changing the type of a scalar is only allowed for types with the same size (from {} to {dtype}).",
                    self.dtype()
                ))
            })?;
            if (*last * from) % to != 0 {
                return Err(Error::InvalidArgument(format!(
                    "[view] Cannot view array of shape {} and type {} as type {dtype}: the last axis does not divide.",
                    shape_str(self.shape()),
                    self.dtype()
                )));
            }
            *last = *last * from / to;
        }
        Array::from_op(shape, dtype, Primitive::View, vec![self.clone()])
    }

    /// A new shape with the same elements; one dimension may be `-1`.
    ///
    /// ```
    /// let a = mx_core::array![1, 2, 3, 4, 5, 6];
    /// assert_eq!(a.reshape(&[2, -1]).unwrap().shape(), &[2, 3]);
    /// ```
    pub fn reshape(&self, shape: &[isize]) -> Result<Array> {
        let size = self.size();
        let mut infer = None;
        let mut known = 1usize;
        for (i, &d) in shape.iter().enumerate() {
            if d == -1 {
                if infer.is_some() {
                    return Err(Error::InvalidArgument(
                        "[reshape] Reshape can only infer one dimension.".into(),
                    ));
                }
                infer = Some(i);
            } else if d < 0 {
                return Err(Error::InvalidArgument(format!(
                    "[reshape] Invalid dimension {d} in shape."
                )));
            } else {
                known *= d as usize;
            }
        }
        let mut out: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
        if let Some(i) = infer {
            if known == 0 || !size.is_multiple_of(known) {
                return Err(Error::Shape(format!(
                    "[reshape] Cannot infer the shape of an empty array or of size {size} into shape {}.",
                    crate::error::shape_str(shape)
                )));
            }
            out[i] = size / known;
        }
        if out.iter().product::<usize>() != size {
            return Err(Error::Shape(format!(
                "[reshape] Cannot reshape array of size {size} into shape {}.",
                shape_str(&out)
            )));
        }
        if out == self.shape() {
            return Ok(self.clone());
        }
        Array::from_op(out, self.dtype(), Primitive::Reshape, vec![self.clone()])
    }

    /// Permutes the axes; `None` reverses them.
    pub fn transpose(&self, axes: Option<&[isize]>) -> Result<Array> {
        let ndim = self.ndim();
        let axes: Vec<usize> = match axes {
            None => (0..ndim).rev().collect(),
            Some(axes) => {
                if axes.len() != ndim {
                    return Err(Error::InvalidArgument(format!(
                        "[transpose] Recived {} axes for array with {ndim} dimensions.",
                        axes.len()
                    )));
                }
                let mut seen = vec![false; ndim];
                let mut out = Vec::with_capacity(ndim);
                for &a in axes {
                    let axis = normalize_axis(a, ndim, "transpose").map_err(|_| {
                        Error::InvalidArgument(format!(
                            "[transpose] Invalid axis ({a}) for array with {ndim} dimensions."
                        ))
                    })?;
                    if std::mem::replace(&mut seen[axis], true) {
                        return Err(Error::InvalidArgument(
                            "[transpose] Repeat axes not allowed.".into(),
                        ));
                    }
                    out.push(axis);
                }
                out
            }
        };
        if axes.iter().enumerate().all(|(i, &a)| i == a) {
            return Ok(self.clone());
        }
        let shape = axes.iter().map(|&a| self.shape()[a]).collect();
        Array::from_op(
            shape,
            self.dtype(),
            Primitive::Transpose(axes),
            vec![self.clone()],
        )
    }

    /// Swaps two axes.
    pub fn swapaxes(&self, axis1: isize, axis2: isize) -> Result<Array> {
        let a = normalize_axis(axis1, self.ndim(), "swapaxes")?;
        let b = normalize_axis(axis2, self.ndim(), "swapaxes")?;
        let mut axes: Vec<isize> = (0..self.ndim() as isize).collect();
        axes.swap(a, b);
        self.transpose(Some(&axes))
    }

    /// Moves axis `source` to position `destination`.
    pub fn moveaxis(&self, source: isize, destination: isize) -> Result<Array> {
        let s = normalize_axis(source, self.ndim(), "moveaxis")?;
        let d = normalize_axis(destination, self.ndim(), "moveaxis")?;
        let mut axes: Vec<isize> = (0..self.ndim() as isize).collect();
        let moved = axes.remove(s);
        axes.insert(d, moved);
        self.transpose(Some(&axes))
    }

    /// Removes size-1 axes: the given ones, or all of them for `None`.
    pub fn squeeze(&self, axes: Option<&[isize]>) -> Result<Array> {
        let ndim = self.ndim();
        let remove: Vec<usize> = match axes {
            None => (0..ndim).filter(|&d| self.shape()[d] == 1).collect(),
            Some(axes) => {
                let mut out = Vec::new();
                for &a in axes {
                    let axis = normalize_axis(a, ndim, "squeeze")?;
                    if self.shape()[axis] != 1 {
                        return Err(Error::InvalidArgument(
                            "[squeeze] Cannot squeeze axis with size != 1".into(),
                        ));
                    }
                    if out.contains(&axis) {
                        return Err(Error::InvalidArgument(
                            "[squeeze] Received duplicate axes.".into(),
                        ));
                    }
                    out.push(axis);
                }
                out
            }
        };
        let shape: Vec<isize> = (0..ndim)
            .filter(|d| !remove.contains(d))
            .map(|d| self.shape()[d] as isize)
            .collect();
        self.reshape(&shape)
    }

    /// Inserts size-1 axes at the given positions of the result.
    pub fn expand_dims(&self, axes: &[isize]) -> Result<Array> {
        let out_ndim = self.ndim() + axes.len();
        let mut positions = Vec::with_capacity(axes.len());
        for &a in axes {
            let axis = normalize_axis(a, out_ndim, "expand_dims")?;
            if positions.contains(&axis) {
                return Err(Error::InvalidArgument(
                    "[expand_dims] Received duplicate axes.".into(),
                ));
            }
            positions.push(axis);
        }
        let mut dims = self.shape().iter();
        let shape: Vec<isize> = (0..out_ndim)
            .map(|d| {
                if positions.contains(&d) {
                    1
                } else {
                    dims.next().copied().unwrap_or(1) as isize
                }
            })
            .collect();
        self.reshape(&shape)
    }

    /// A view broadcast to `shape`.
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Array> {
        if self.shape() == shape {
            return Ok(self.clone());
        }
        let out = broadcast_shapes(self.shape(), shape)?;
        if out != shape {
            return Err(Error::Shape(format!(
                "[broadcast_shapes] Shapes {} and {} cannot be broadcast.",
                shape_str(self.shape()),
                shape_str(shape)
            )));
        }
        Array::from_op(out, self.dtype(), Primitive::Broadcast, vec![self.clone()])
    }

    /// Basic slicing with one [`Slice`] per leading axis, like `a[1:5:2, ::-1]`.
    ///
    /// ```
    /// use mx_core::{array, Slice};
    /// let a = array![0, 1, 2, 3, 4, 5];
    /// let b = a.slice(&[Slice::new(None, None, -2)]).unwrap();
    /// assert_eq!(b.to_vec::<i32>().unwrap(), vec![5, 3, 1]);
    /// ```
    pub fn slice(&self, slices: &[Slice]) -> Result<Array> {
        if slices.len() > self.ndim() {
            return Err(Error::InvalidArgument(format!(
                "[slice] Too many indices ({}) for array with {} dimensions.",
                slices.len(),
                self.ndim()
            )));
        }
        let mut start = Vec::with_capacity(self.ndim());
        let mut step = Vec::with_capacity(self.ndim());
        let mut shape = Vec::with_capacity(self.ndim());
        for (d, &dim) in self.shape().iter().enumerate() {
            let (s, st, len) = slices.get(d).copied().unwrap_or(Slice::FULL).resolve(dim)?;
            start.push(s);
            step.push(st);
            shape.push(len);
        }
        if shape == self.shape() && step.iter().all(|&s| s == 1) {
            return Ok(self.clone());
        }
        Array::from_op(
            shape,
            self.dtype(),
            Primitive::Slice { start, step },
            vec![self.clone()],
        )
    }

    /// The array in row-major layout: a copy only when the data is not row-major already.
    pub fn contiguous(&self) -> Result<Array> {
        Array::from_op(
            self.shape().to_vec(),
            self.dtype(),
            Primitive::Contiguous,
            vec![self.clone()],
        )
    }
}

/// Free-function form of [`Array::reshape`].
pub fn reshape(a: &Array, shape: &[isize]) -> Result<Array> {
    a.reshape(shape)
}

/// Free-function form of [`Array::transpose`].
pub fn transpose(a: &Array, axes: Option<&[isize]>) -> Result<Array> {
    a.transpose(axes)
}

/// Free-function form of [`Array::swapaxes`].
pub fn swapaxes(a: &Array, axis1: isize, axis2: isize) -> Result<Array> {
    a.swapaxes(axis1, axis2)
}

/// Free-function form of [`Array::moveaxis`].
pub fn moveaxis(a: &Array, source: isize, destination: isize) -> Result<Array> {
    a.moveaxis(source, destination)
}

/// Free-function form of [`Array::squeeze`].
pub fn squeeze(a: &Array, axes: Option<&[isize]>) -> Result<Array> {
    a.squeeze(axes)
}

/// Free-function form of [`Array::expand_dims`].
pub fn expand_dims(a: &Array, axes: &[isize]) -> Result<Array> {
    a.expand_dims(axes)
}

/// Free-function form of [`Array::broadcast_to`].
pub fn broadcast_to(a: &Array, shape: &[usize]) -> Result<Array> {
    a.broadcast_to(shape)
}

/// Free-function form of [`Array::astype`].
pub fn astype(a: &Array, dtype: Dtype) -> Result<Array> {
    a.astype(dtype)
}

/// Free-function form of [`Array::view`].
pub fn view(a: &Array, dtype: Dtype) -> Result<Array> {
    a.view(dtype)
}
