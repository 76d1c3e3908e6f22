//! A block of memory that holds array elements.

use super::allocator;
use crate::error::Result;
use std::ptr::NonNull;

/// Host memory for array data, returned to the allocator's cache on drop.
///
/// Arrays share a buffer through `Arc<Buffer>`; views differ only in offset and strides.
pub(crate) struct Buffer {
    ptr: NonNull<u8>,
    capacity: usize,
}

// SAFETY: a buffer is written only by the kernel that creates it, before it is shared.
unsafe impl Send for Buffer {}
unsafe impl Sync for Buffer {}

impl Buffer {
    /// Allocates an uninitialised buffer of `nbytes`.
    pub(crate) fn allocate(nbytes: usize) -> Result<Buffer> {
        let (ptr, capacity) = allocator::allocate(nbytes)?;
        Ok(Buffer { ptr, capacity })
    }

    /// The start of the data.
    pub(crate) fn as_ptr(&self) -> *const u8 {
        self.ptr.as_ptr()
    }

    /// The start of the data, for the kernel that fills a new buffer.
    pub(crate) fn as_mut_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        allocator::free(self.ptr, self.capacity);
    }
}
