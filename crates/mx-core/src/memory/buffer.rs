//! A block of memory that holds array elements, on the host, the device, or both.

use super::allocator;
use crate::error::Result;
use std::ptr::NonNull;
use std::sync::{Arc, OnceLock};

/// Host memory holding a buffer's data: a block of the caching allocator, returned to it
/// on drop, or a range of a memory-mapped file, which a loaded array uses in place.
enum HostBlock {
    Allocated {
        ptr: NonNull<u8>,
        capacity: usize,
    },
    Mapped {
        mapping: Arc<memmap2::Mmap>,
        offset: usize,
    },
}

impl HostBlock {
    fn ptr(&self) -> *mut u8 {
        match self {
            HostBlock::Allocated { ptr, .. } => ptr.as_ptr(),
            // The mapping is read-only and never written: only `as_ptr` readers see it,
            // since a mapped buffer is complete when it is made.
            HostBlock::Mapped { mapping, offset } => {
                mapping.as_ptr().wrapping_add(*offset) as *mut u8
            }
        }
    }
}

impl Drop for HostBlock {
    fn drop(&mut self) {
        if let HostBlock::Allocated { ptr, capacity } = self {
            allocator::free(*ptr, *capacity);
        }
    }
}

/// The elements of one or more arrays. Memory is unified from the user's side: a buffer
/// written on one device gets a copy on another when an op there first reads it.
///
/// A buffer is written once, by the kernel that creates it, before it is shared, so a
/// copy made later never goes stale. Arrays share a buffer through `Arc<Buffer>`; views
/// differ only in offset and strides.
pub(crate) struct Buffer {
    nbytes: usize,
    host: OnceLock<HostBlock>,
    #[cfg(feature = "cuda")]
    device: std::sync::Mutex<Option<crate::backend::cuda::memory::DeviceBlock>>,
    /// Serialises migrations, so that two readers do not copy the same data twice.
    migrating: std::sync::Mutex<()>,
}

// SAFETY: a buffer is written only by the kernel that creates it, before it is shared;
// later copies are made under `migrating`.
unsafe impl Send for Buffer {}
unsafe impl Sync for Buffer {}

impl Buffer {
    /// Allocates an uninitialised host buffer of `nbytes`.
    pub(crate) fn allocate(nbytes: usize) -> Result<Buffer> {
        let (ptr, capacity) = allocator::allocate(nbytes)?;
        let buffer = Buffer::empty(nbytes);
        // A fresh OnceLock always accepts its first value.
        let _ = buffer.host.set(HostBlock::Allocated { ptr, capacity });
        Ok(buffer)
    }

    /// A buffer that reads `nbytes` of a file mapping in place, from `offset`. The data
    /// costs no allocator memory; the pages are read from the file when first touched.
    ///
    /// `offset + nbytes` must lie inside the mapping.
    pub(crate) fn from_mapping(
        mapping: Arc<memmap2::Mmap>,
        offset: usize,
        nbytes: usize,
    ) -> Buffer {
        debug_assert!(offset + nbytes <= mapping.len());
        let buffer = Buffer::empty(nbytes);
        let _ = buffer.host.set(HostBlock::Mapped { mapping, offset });
        buffer
    }

    fn empty(nbytes: usize) -> Buffer {
        Buffer {
            nbytes,
            host: OnceLock::new(),
            #[cfg(feature = "cuda")]
            device: std::sync::Mutex::new(None),
            migrating: std::sync::Mutex::new(()),
        }
    }

    /// True if the data is read in place from a file mapping.
    #[cfg(test)]
    pub(crate) fn is_mapped(&self) -> bool {
        matches!(self.host.get(), Some(HostBlock::Mapped { .. }))
    }

    /// Makes sure the host holds the data, copying it from the device if needed.
    pub(crate) fn ensure_host(&self) -> Result<()> {
        if self.host.get().is_some() {
            return Ok(());
        }
        let _guard = self.migrating.lock().unwrap_or_else(|p| p.into_inner());
        if self.host.get().is_some() {
            return Ok(());
        }
        let (ptr, capacity) = allocator::allocate(self.nbytes)?;
        let block = HostBlock::Allocated { ptr, capacity };
        #[cfg(feature = "cuda")]
        {
            let device = self.device.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(source) = device.as_ref() {
                // SAFETY: the host block holds `nbytes`, and so does the device block.
                unsafe { source.download(block.ptr(), self.nbytes)? };
            }
        }
        let _ = self.host.set(block);
        Ok(())
    }

    fn host_block(&self) -> &HostBlock {
        if let Err(err) = self.ensure_host() {
            // Every reader calls `ensure_host` first and reports its error; reaching this
            // is a bug in mx, turned into an op error by the worker.
            panic!("host copy of a buffer is missing: {err}");
        }
        match self.host.get() {
            Some(block) => block,
            None => panic!("host copy of a buffer is missing"),
        }
    }

    /// The start of the data on the host.
    pub(crate) fn as_ptr(&self) -> *const u8 {
        self.host_block().ptr()
    }

    /// The start of the data on the host, for the kernel that fills a new buffer.
    pub(crate) fn as_mut_ptr(&self) -> *mut u8 {
        self.host_block().ptr()
    }
}

#[cfg(feature = "cuda")]
mod device_side {
    use super::Buffer;
    use crate::backend::cuda::memory::DeviceBlock;
    use crate::backend::cuda::stream::GpuStream;
    use crate::error::Result;
    use cudarc::driver::sys::CUdeviceptr;

    impl Buffer {
        /// A buffer whose only copy is the device block a GPU kernel writes.
        pub(crate) fn from_device(nbytes: usize, block: DeviceBlock) -> Buffer {
            let buffer = Buffer::empty(nbytes);
            *buffer.device.lock().unwrap_or_else(|p| p.into_inner()) = Some(block);
            buffer
        }

        /// The device address of the data for a kernel on `stream`, uploading the host
        /// copy first if the device has none, and ordering the read after the writer.
        pub(crate) fn device_ptr(&self, stream: GpuStream) -> Result<CUdeviceptr> {
            let mut device = self.device.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(block) = device.as_ref() {
                return block.read_on(stream);
            }
            let block = DeviceBlock::allocate(self.nbytes, stream)?;
            if let Some(host) = self.host.get() {
                // SAFETY: the host block holds `nbytes` bytes.
                unsafe { block.upload(host.ptr(), self.nbytes)? };
            }
            let ptr = block.ptr;
            *device = Some(block);
            Ok(ptr)
        }

        /// The bytes of one element at `byte_offset` when only the host holds the data, so
        /// that a kernel can take a small constant by value instead of by upload.
        pub(crate) fn host_only_bytes(&self, byte_offset: usize, size: usize) -> Option<[u8; 8]> {
            if size > 8 || byte_offset + size > self.nbytes {
                return None;
            }
            if self
                .device
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_some()
            {
                return None;
            }
            let host = self.host.get()?;
            let mut bytes = [0u8; 8];
            // SAFETY: the range lies inside the host block, which is fully written.
            unsafe {
                std::ptr::copy_nonoverlapping(host.ptr().add(byte_offset), bytes.as_mut_ptr(), size)
            };
            Some(bytes)
        }

        /// Waits until the data exists somewhere the host can see it complete: for a
        /// buffer that only the device holds, until its writer has finished.
        pub(crate) fn wait_ready(&self) -> Result<()> {
            if self.host.get().is_some() {
                return Ok(());
            }
            let device = self.device.lock().unwrap_or_else(|p| p.into_inner());
            match device.as_ref() {
                Some(block) => block.stream.synchronize(),
                None => Ok(()),
            }
        }
    }
}

#[cfg(not(feature = "cuda"))]
impl Buffer {
    /// Host buffers are complete once their kernel returns.
    pub(crate) fn wait_ready(&self) -> Result<()> {
        Ok(())
    }
}
