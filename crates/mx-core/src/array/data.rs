//! Evaluated array data: a shared buffer seen through an offset and strides.

use super::shape::{is_row_contiguous, row_major_strides};
use crate::dtype::Dtype;
use crate::error::Result;
use crate::memory::Buffer;
use std::sync::Arc;

/// The data of an evaluated array. Views share `buffer` and differ in `offset` and `strides`,
/// both counted in elements. A stride of 0 is a broadcast dimension.
#[derive(Clone)]
pub(crate) struct Data {
    pub(crate) buffer: Arc<Buffer>,
    pub(crate) offset: usize,
    pub(crate) strides: Vec<isize>,
}

impl Data {
    /// A new row-major buffer for `shape` and `dtype`, uninitialised.
    pub(crate) fn allocate(shape: &[usize], dtype: Dtype) -> Result<Data> {
        let size: usize = shape.iter().product();
        let buffer = Buffer::allocate(size * dtype.size())?;
        Ok(Data {
            buffer: Arc::new(buffer),
            offset: 0,
            strides: row_major_strides(shape),
        })
    }

    /// A view of the same buffer with other strides and offset.
    pub(crate) fn view(&self, offset: usize, strides: Vec<isize>) -> Data {
        Data {
            buffer: self.buffer.clone(),
            offset,
            strides,
        }
    }

    /// Pointer to the first element, typed.
    pub(crate) fn ptr<T>(&self) -> *const T {
        // SAFETY: the offset stays inside the buffer for every valid view.
        unsafe { (self.buffer.as_ptr() as *const T).add(self.offset) }
    }

    /// Mutable pointer to the first element, for kernels filling a fresh buffer.
    pub(crate) fn mut_ptr<T>(&self) -> *mut T {
        // SAFETY: as for `ptr`.
        unsafe { (self.buffer.as_mut_ptr() as *mut T).add(self.offset) }
    }

    /// True if the elements are laid out densely in row-major order.
    pub(crate) fn is_row_contiguous(&self, shape: &[usize]) -> bool {
        is_row_contiguous(shape, &self.strides)
    }
}
