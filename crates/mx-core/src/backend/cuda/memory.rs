//! Device memory: blocks from the device's stream-ordered pool (`cuMemAllocAsync`), which
//! keeps freed blocks cached, counted in mx's memory API with host memory. Small blocks
//! are also kept per stream in front of the pool: a chain of small ops then costs one
//! driver call each (the launch) instead of three.

use super::context::{context, driver_error, started_context};
use super::stream::GpuStream;
use crate::error::Result;
use crate::memory::{release_active, reserve_active};
use cudarc::driver::{result, sys};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// Blocks up to this capacity are reused on the stream that freed them.
const SMALL_BLOCK: usize = 1 << 20;
/// The most bytes the small-block cache holds.
const SMALL_CACHE_LIMIT: usize = 64 << 20;

/// Freed small blocks by (stream, capacity). Reuse on the same stream is safe without
/// events: the stream orders the new writer after every earlier user.
#[derive(Default)]
struct SmallCache {
    blocks: HashMap<(usize, usize), Vec<sys::CUdeviceptr>>,
    bytes: usize,
}

static SMALL: Mutex<Option<SmallCache>> = Mutex::new(None);

fn small_cache<R>(f: impl FnOnce(&mut SmallCache) -> R) -> R {
    let mut guard = SMALL.lock().unwrap_or_else(|p| p.into_inner());
    f(guard.get_or_insert_with(SmallCache::default))
}

/// When set, new blocks get guard bytes on both sides, checked when the block is freed.
static GUARDS: AtomicBool = AtomicBool::new(false);
/// Blocks whose guard bytes were overwritten: out-of-bounds writes by some kernel.
static GUARD_VIOLATIONS: AtomicUsize = AtomicUsize::new(0);
/// Bytes of guard on each side of a guarded block, and their value.
const GUARD_BYTES: usize = 256;
const GUARD_VALUE: u8 = 0xA5;

/// Turns guard bytes around new device blocks on or off (for the backend-parity harness).
pub(crate) fn set_guards(enabled: bool) {
    GUARDS.store(enabled, Ordering::Relaxed);
}

/// How many freed blocks had overwritten guard bytes.
pub(crate) fn guard_violations() -> usize {
    GUARD_VIOLATIONS.load(Ordering::Relaxed)
}

/// A block of device memory holding one buffer's elements.
pub(crate) struct DeviceBlock {
    pub(crate) ptr: sys::CUdeviceptr,
    capacity: usize,
    /// The bytes asked for, and the guard before and after them (0 when unguarded).
    nbytes: usize,
    guard: usize,
    /// The stream the data is written in; it is freed in that stream's order.
    pub(crate) stream: GpuStream,
    /// Other streams that read the block: the free waits for them.
    readers: Mutex<Vec<GpuStream>>,
}

/// Blocks are rounded up so that vectorised kernels may load whole 16-byte words.
const GRANULE: usize = 256;

impl DeviceBlock {
    /// An uninitialised block of at least `nbytes`, ordered on `stream`.
    pub(crate) fn allocate(nbytes: usize, stream: GpuStream) -> Result<DeviceBlock> {
        let guard = if GUARDS.load(Ordering::Relaxed) {
            GUARD_BYTES
        } else {
            0
        };
        let capacity = nbytes.div_ceil(GRANULE) * GRANULE + 2 * guard;
        let mut block = DeviceBlock {
            ptr: 0,
            capacity,
            nbytes,
            guard,
            stream,
            readers: Mutex::new(Vec::new()),
        };
        if capacity == 0 {
            return Ok(block);
        }
        context()?;
        reserve_active(capacity, nbytes)?;
        if guard == 0 && capacity <= SMALL_BLOCK {
            let reused = small_cache(|cache| {
                let ptr = cache
                    .blocks
                    .get_mut(&(stream.0 as usize, capacity))?
                    .pop()?;
                cache.bytes -= capacity;
                Some(ptr)
            });
            if let Some(ptr) = reused {
                block.ptr = ptr;
                return Ok(block);
            }
        }
        // SAFETY: the stream is live; the memory is written before any kernel reads it.
        let base = match unsafe { result::malloc_async(stream.0, capacity) } {
            Ok(base) => base,
            Err(e) => {
                block.capacity = 0;
                release_active(capacity);
                return Err(driver_error(
                    &format!("cuMemAllocAsync of {nbytes} bytes"),
                    e,
                ));
            }
        };
        block.ptr = base + guard as u64;
        if guard > 0 {
            // SAFETY: the whole block is ours; the memset is ordered before any kernel.
            unsafe { result::memset_d8_async(base, GUARD_VALUE, capacity, stream.0) }
                .map_err(|e| driver_error("cuMemsetD8Async", e))?;
        }
        Ok(block)
    }

    /// The device pointer for a kernel on `stream`, which first waits for the writer.
    pub(crate) fn read_on(&self, stream: GpuStream) -> Result<sys::CUdeviceptr> {
        if stream != self.stream {
            stream.wait_for(self.stream)?;
            let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
            if !readers.contains(&stream) {
                readers.push(stream);
            }
        }
        Ok(self.ptr)
    }

    /// Sets the block's bytes to zero, in its stream order.
    pub(crate) fn zero(&self) -> Result<()> {
        if self.nbytes == 0 {
            return Ok(());
        }
        // SAFETY: the block holds `nbytes` bytes; the memset is ordered on its stream.
        unsafe { result::memset_d8_async(self.ptr, 0, self.nbytes, self.stream.0) }
            .map_err(|e| driver_error("cuMemsetD8Async", e))
    }

    /// Copies `nbytes` from host memory into the block, in the block's stream order.
    ///
    /// # Safety
    /// `source` must hold `nbytes` readable bytes; pageable memory is staged by the
    /// driver before this returns, so the caller may free it afterwards.
    pub(crate) unsafe fn upload(&self, source: *const u8, nbytes: usize) -> Result<()> {
        if nbytes == 0 {
            return Ok(());
        }
        let bytes = std::slice::from_raw_parts(source, nbytes);
        result::memcpy_htod_async(self.ptr, bytes, self.stream.0)
            .map_err(|e| driver_error("cuMemcpyHtoDAsync", e))
    }

    /// Copies `nbytes` of the block into host memory, waiting for the writer first.
    ///
    /// # Safety
    /// `target` must hold `nbytes` writable bytes.
    pub(crate) unsafe fn download(&self, target: *mut u8, nbytes: usize) -> Result<()> {
        if nbytes == 0 {
            return Ok(());
        }
        context()?;
        let bytes = std::slice::from_raw_parts_mut(target, nbytes);
        result::memcpy_dtoh_async(bytes, self.ptr, self.stream.0)
            .map_err(|e| driver_error("cuMemcpyDtoHAsync", e))?;
        self.stream.synchronize()
    }
}

impl Drop for DeviceBlock {
    fn drop(&mut self) {
        if self.capacity == 0 {
            return;
        }
        // A failure here can only leak the block: the driver is already broken.
        if context().is_ok() {
            let readers = self.readers.get_mut().unwrap_or_else(|p| p.into_inner());
            for reader in readers.iter() {
                let _ = self.stream.wait_for(*reader);
            }
            if self.guard > 0 && !self.guards_intact() {
                GUARD_VIOLATIONS.fetch_add(1, Ordering::Relaxed);
            }
            let (key, capacity, ptr) = (
                (self.stream.0 as usize, self.capacity),
                self.capacity,
                self.ptr,
            );
            let kept = self.guard == 0
                && capacity <= SMALL_BLOCK
                && small_cache(|cache| {
                    if cache.bytes + capacity > SMALL_CACHE_LIMIT {
                        return false;
                    }
                    cache.blocks.entry(key).or_default().push(ptr);
                    cache.bytes += capacity;
                    true
                });
            if !kept {
                // SAFETY: no kernel enqueued after this point can use the block, and the
                // stream orders the free after every kernel that did.
                let _ = unsafe { result::free_async(self.ptr - self.guard as u64, self.stream.0) };
            }
        }
        release_active(self.capacity);
    }
}

impl DeviceBlock {
    /// Reads back the guard bytes once every writer has finished.
    fn guards_intact(&self) -> bool {
        if self.stream.synchronize().is_err() {
            return false;
        }
        let tail = self.capacity - 2 * self.guard - self.nbytes + self.guard;
        let mut front = vec![0u8; self.guard];
        let mut back = vec![0u8; tail];
        // SAFETY: both ranges lie inside the block, which is still allocated.
        let copied = unsafe {
            result::memcpy_dtoh_sync(&mut front, self.ptr - self.guard as u64)
                .and_then(|_| result::memcpy_dtoh_sync(&mut back, self.ptr + self.nbytes as u64))
        };
        copied.is_ok() && front.iter().chain(&back).all(|&b| b == GUARD_VALUE)
    }
}

fn pool_attribute(attribute: sys::CUmemPool_attribute) -> u64 {
    let Some(context) = started_context() else {
        return 0;
    };
    let mut value: u64 = 0;
    // SAFETY: the reserved and used attributes are u64 values.
    let read = unsafe {
        result::mem_pool::get_attribute(context.pool, attribute, &mut value as *mut u64 as *mut _)
    };
    read.map(|_| value).unwrap_or(0)
}

/// Bytes the device pool and the small-block cache hold for reuse.
pub(crate) fn cached_bytes() -> usize {
    let reserved = pool_attribute(sys::CUmemPool_attribute::CU_MEMPOOL_ATTR_RESERVED_MEM_CURRENT);
    let used = pool_attribute(sys::CUmemPool_attribute::CU_MEMPOOL_ATTR_USED_MEM_CURRENT);
    // Small cached blocks count as used by the pool: move them to the cached side.
    let small = small_cache(|cache| cache.bytes);
    (reserved.saturating_sub(used) as usize) + small
}

/// Returns cached device memory above `keep` bytes to the driver.
pub(crate) fn trim_cache(keep: usize) {
    if let Some(context) = started_context() {
        let small = small_cache(std::mem::take);
        for ((stream, _), blocks) in small.blocks {
            for ptr in blocks {
                // SAFETY: cached blocks have no users left; the free is stream-ordered.
                let _ = unsafe { result::free_async(ptr, stream as sys::CUstream) };
            }
        }
        // Pending frees must complete before the pool can release their memory.
        // SAFETY: the context is current on this thread.
        let _ = result::ctx::synchronize();
        // SAFETY: the pool belongs to the live context.
        let _ = unsafe { result::mem_pool::trim_to(context.pool, keep) };
    }
}

/// Device-to-device copy bandwidth (bytes read plus written per second): the limit that
/// memory-bound kernels are measured against. The median of `runs` timed copies.
pub(crate) fn copy_bandwidth(nbytes: usize, runs: usize) -> Result<f64> {
    let stream = super::stream::gpu_stream(usize::MAX)?;
    let source = DeviceBlock::allocate(nbytes, stream)?;
    let target = DeviceBlock::allocate(nbytes, stream)?;
    let mut samples = Vec::with_capacity(runs);
    for run in 0..runs + 2 {
        let start = std::time::Instant::now();
        // SAFETY: both blocks hold `nbytes` and live until the stream is synchronised.
        unsafe { result::memcpy_dtod_async(target.ptr, source.ptr, nbytes, stream.0) }
            .map_err(|e| driver_error("cuMemcpyDtoDAsync", e))?;
        stream.synchronize()?;
        if run >= 2 {
            samples.push(start.elapsed().as_secs_f64());
        }
    }
    samples.sort_by(f64::total_cmp);
    Ok(2.0 * nbytes as f64 / samples[samples.len() / 2])
}
