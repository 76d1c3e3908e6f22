//! The `Array` handle and the graph nodes behind it.

mod data;
mod display;
mod literal;
mod node;
pub(crate) mod shape;

pub(crate) use data::Data;
pub use literal::NestedLiteral;
pub(crate) use node::{complete, Node, Op, State};

use crate::dtype::{Dtype, Element, Scalar};
use crate::error::{shape_str, Error, Result};
use crate::primitive::Primitive;
use crate::scheduler::{current_stream, Event, Stream};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock};

/// A lazy n-dimensional array: a cheap handle (`Arc`) to a graph node.
///
/// Ops build the graph; `eval` (or reading the data) runs it.
///
/// ```
/// use mx_core::{array, Array};
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = &a * 2.0;
/// assert_eq!(b.shape(), &[2, 2]);
/// assert_eq!(b.to_vec::<f32>().unwrap(), vec![2.0, 4.0, 6.0, 8.0]);
/// ```
#[derive(Clone)]
pub struct Array {
    pub(crate) node: Arc<Node>,
}

impl Array {
    /// An evaluated array from a row-major slice and a shape.
    ///
    /// ```
    /// let a = mx_core::Array::from_slice(&[1u8, 2, 3, 4], &[2, 2]).unwrap();
    /// assert_eq!(a.dtype(), mx_core::Dtype::Uint8);
    /// ```
    pub fn from_slice<T: Element>(values: &[T], shape: &[usize]) -> Result<Array> {
        let size: usize = shape.iter().product();
        if size != values.len() {
            return Err(Error::Shape(format!(
                "[array] Cannot create an array of shape {} from {} elements.",
                shape_str(shape),
                values.len()
            )));
        }
        let data = Data::allocate(shape, T::DTYPE)?;
        // SAFETY: the fresh buffer holds exactly `size` elements of T.
        unsafe { std::ptr::copy_nonoverlapping(values.as_ptr(), data.mut_ptr::<T>(), size) };
        Ok(Array::from_data(shape.to_vec(), T::DTYPE, data))
    }

    /// An evaluated 1-d array that takes the elements of a `Vec`.
    pub fn from_vec<T: Element>(values: Vec<T>) -> Result<Array> {
        Array::from_slice(&values, &[values.len()])
    }

    /// A 0-d array holding one value, of the value's own dtype.
    pub fn from_scalar<T: Element>(value: T) -> Result<Array> {
        Array::from_slice(&[value], &[])
    }

    /// A 0-d array of `dtype` holding `value` cast to it.
    pub fn scalar_of(value: Scalar, dtype: Dtype) -> Result<Array> {
        crate::dispatch_dtype!(dtype, T => Array::from_scalar::<T>(value.cast::<T>()))
    }

    /// An array from nested Rust arrays (`[[1, 2], [3, 4]]`). Float literals become float32,
    /// as Python floats do in MLX; use `from_slice` with `f64` for float64.
    pub fn from_literal<L: NestedLiteral>(literal: L) -> Array {
        literal.into_array()
    }

    pub(crate) fn from_data(shape: Vec<usize>, dtype: Dtype, data: Data) -> Array {
        Array {
            node: Arc::new(Node {
                shape,
                dtype,
                state: std::sync::Mutex::new(State::Ready(data)),
            }),
        }
    }

    /// A pending array produced by `primitive` on the current stream.
    pub(crate) fn from_op(
        shape: Vec<usize>,
        dtype: Dtype,
        primitive: Primitive,
        inputs: Vec<Array>,
    ) -> Result<Array> {
        let stream = current_stream()?;
        let mut outputs = Array::from_op_multi(vec![(shape, dtype)], primitive, inputs, stream);
        Ok(outputs.remove(0))
    }

    /// Pending sibling arrays produced together by one primitive.
    pub(crate) fn from_op_multi(
        output_meta: Vec<(Vec<usize>, Dtype)>,
        primitive: Primitive,
        inputs: Vec<Array>,
        stream: Stream,
    ) -> Vec<Array> {
        let op = Arc::new(Op {
            primitive,
            inputs,
            stream,
            output_meta: output_meta.clone(),
            outputs: OnceLock::new(),
            scheduled: AtomicBool::new(false),
            done: Event::default(),
        });
        let arrays: Vec<Array> = output_meta
            .into_iter()
            .map(|(shape, dtype)| Array {
                node: Arc::new(Node {
                    shape,
                    dtype,
                    state: std::sync::Mutex::new(State::Pending { op: op.clone() }),
                }),
            })
            .collect();
        // The cell was created just above, so this first set always succeeds.
        let _ = op
            .outputs
            .set(arrays.iter().map(|a| Arc::downgrade(&a.node)).collect());
        arrays
    }

    /// The shape.
    pub fn shape(&self) -> &[usize] {
        &self.node.shape
    }

    /// The number of dimensions.
    pub fn ndim(&self) -> usize {
        self.node.shape.len()
    }

    /// The number of elements.
    pub fn size(&self) -> usize {
        self.node.shape.iter().product()
    }

    /// The element type.
    pub fn dtype(&self) -> Dtype {
        self.node.dtype
    }

    /// Bytes per element.
    pub fn itemsize(&self) -> usize {
        self.node.dtype.size()
    }

    /// Bytes of the whole array (`size * itemsize`).
    pub fn nbytes(&self) -> usize {
        self.size() * self.itemsize()
    }

    /// True once the array holds data (or an evaluation error).
    pub fn is_evaluated(&self) -> bool {
        !matches!(&*self.node.lock(), State::Pending { .. })
    }

    /// Evaluates this array. Same as `mx::eval(&[self])`.
    pub fn eval(&self) -> Result<()> {
        crate::transforms::eval(&[self])
    }

    /// Evaluates and returns the data, waiting for an async evaluation in flight.
    pub(crate) fn data(&self) -> Result<Data> {
        loop {
            let pending = match &*self.node.lock() {
                State::Ready(data) => return Ok(data.clone()),
                State::Failed(err) => return Err(err.clone()),
                State::Pending { op, .. } => op.clone(),
            };
            if pending.is_scheduled() {
                pending.done.wait();
            } else {
                crate::transforms::eval(&[self])?;
            }
        }
    }

    /// Evaluates and copies the elements out in row-major order, cast to `T`.
    ///
    /// ```
    /// let a = mx_core::array![1, 2, 3];
    /// assert_eq!(a.to_vec::<i32>().unwrap(), vec![1, 2, 3]);
    /// assert_eq!(a.to_vec::<f64>().unwrap(), vec![1.0, 2.0, 3.0]);
    /// ```
    pub fn to_vec<T: Element>(&self) -> Result<Vec<T>> {
        let data = self.data()?;
        data.buffer.ensure_host()?;
        let shape = self.shape();
        Ok(crate::dispatch_dtype!(self.dtype(), S => {
            crate::backend::cpu::strided::gather_cast::<S, T>(&data, shape)
        }))
    }

    /// Evaluates a one-element array and returns its value cast to `T`.
    pub fn item<T: Element>(&self) -> Result<T> {
        if self.size() != 1 {
            return Err(Error::InvalidArgument(format!(
                "[item] Only arrays with one element can be converted to a scalar, got shape {}.",
                shape_str(self.shape())
            )));
        }
        Ok(self.to_vec::<T>()?[0])
    }
}
