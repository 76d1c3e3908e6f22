//! A size-bucketed caching allocator for host memory.
//!
//! Freed blocks go to a cache keyed by capacity, so that a training or decode loop
//! that allocates the same sizes every step stops calling the system allocator.

use crate::error::{Error, Result};
use std::alloc::{alloc, dealloc, Layout};
use std::collections::BTreeMap;
use std::ptr::NonNull;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// Every block is aligned for the widest SIMD loads.
pub(crate) const ALIGNMENT: usize = 64;
/// Requests up to this size are rounded to a multiple of it.
const SMALL_GRANULE: usize = 256;
/// A cached block is reused for a request at least this fraction of its size.
const REUSE_FRACTION: usize = 2;

struct State {
    active: usize,
    peak: usize,
    cached: usize,
    memory_limit: usize,
    cache_limit: usize,
    free_blocks: BTreeMap<usize, Vec<NonNull<u8>>>,
}

// SAFETY: the pointers in the cache are owned by the allocator and only handed out under the lock.
unsafe impl Send for State {}

fn state() -> MutexGuard<'static, State> {
    static STATE: OnceLock<Mutex<State>> = OnceLock::new();
    let mutex = STATE.get_or_init(|| {
        let limit = system_memory().unwrap_or(usize::MAX / 2);
        Mutex::new(State {
            active: 0,
            peak: 0,
            cached: 0,
            memory_limit: limit,
            cache_limit: limit,
            free_blocks: BTreeMap::new(),
        })
    });
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn system_memory() -> Option<usize> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn round_capacity(nbytes: usize) -> usize {
    let granule = if nbytes <= 64 * 1024 {
        SMALL_GRANULE
    } else {
        4096
    };
    nbytes.div_ceil(granule) * granule
}

impl State {
    fn take_cached(&mut self, capacity: usize) -> Option<(NonNull<u8>, usize)> {
        let max = capacity.saturating_mul(REUSE_FRACTION);
        let (&size, _) = self.free_blocks.range(capacity..=max).next()?;
        let blocks = self.free_blocks.get_mut(&size)?;
        let ptr = blocks.pop()?;
        if blocks.is_empty() {
            self.free_blocks.remove(&size);
        }
        self.cached -= size;
        Some((ptr, size))
    }

    fn release_cache(&mut self, target: usize) {
        while self.cached > target {
            let Some(mut entry) = self.free_blocks.last_entry() else {
                break;
            };
            let size = *entry.key();
            if let Some(ptr) = entry.get_mut().pop() {
                // SAFETY: every cached block was allocated with this size and alignment.
                unsafe { dealloc(ptr.as_ptr(), layout(size)) };
                self.cached -= size;
            }
            if entry.get().is_empty() {
                entry.remove();
            }
        }
    }
}

fn layout(capacity: usize) -> Layout {
    // Capacities are multiples of the alignment and far below isize::MAX, so this cannot fail.
    Layout::from_size_align(capacity, ALIGNMENT).unwrap_or(Layout::new::<u8>())
}

/// Allocates a block of at least `nbytes`. Returns the pointer and its capacity.
pub(crate) fn allocate(nbytes: usize) -> Result<(NonNull<u8>, usize)> {
    if nbytes == 0 {
        // Empty arrays still need a pointer aligned for any element type.
        let dangling = std::ptr::without_provenance_mut::<u8>(ALIGNMENT);
        return Ok((NonNull::new(dangling).unwrap_or(NonNull::dangling()), 0));
    }
    let capacity = round_capacity(nbytes);
    let mut st = state();
    let block = match st.take_cached(capacity) {
        Some(block) => block,
        None => {
            if st.active + capacity > st.memory_limit {
                st.release_cache(0);
                return Err(Error::OutOfMemory(format!(
                    "[malloc] Attempting to allocate {nbytes} bytes which is greater than the \
                     memory limit of {} bytes ({} bytes already in use).",
                    st.memory_limit, st.active
                )));
            }
            if st.cached > 0 && st.active + st.cached + capacity > st.memory_limit {
                st.release_cache(0);
            }
            // SAFETY: the layout has a non-zero size.
            let ptr = NonNull::new(unsafe { alloc(layout(capacity)) }).ok_or_else(|| {
                Error::OutOfMemory(format!(
                    "[malloc] The system could not allocate {nbytes} bytes."
                ))
            })?;
            (ptr, capacity)
        }
    };
    st.active += block.1;
    st.peak = st.peak.max(st.active);
    Ok(block)
}

/// Returns a block to the cache (or to the system when the cache is full).
pub(crate) fn free(ptr: NonNull<u8>, capacity: usize) {
    if capacity == 0 {
        return;
    }
    let mut st = state();
    st.active -= capacity;
    if st.cache_limit == 0 {
        // SAFETY: the block was allocated with this capacity.
        unsafe { dealloc(ptr.as_ptr(), layout(capacity)) };
        return;
    }
    st.free_blocks.entry(capacity).or_default().push(ptr);
    st.cached += capacity;
    let limit = st.cache_limit;
    if st.cached > limit {
        st.release_cache(limit);
    }
}

#[cfg(feature = "cuda")]
/// Counts `capacity` bytes of device memory as active, or fails past the memory limit.
/// Device blocks share host memory's limit and counters, as MLX's memory API does.
pub(crate) fn reserve_active(capacity: usize, nbytes: usize) -> Result<()> {
    let mut st = state();
    if st.active + capacity > st.memory_limit {
        return Err(Error::OutOfMemory(format!(
            "[malloc] Attempting to allocate {nbytes} bytes which is greater than the \
             memory limit of {} bytes ({} bytes already in use).",
            st.memory_limit, st.active
        )));
    }
    st.active += capacity;
    st.peak = st.peak.max(st.active);
    Ok(())
}

#[cfg(feature = "cuda")]
/// Stops counting `capacity` bytes of device memory.
pub(crate) fn release_active(capacity: usize) {
    let mut st = state();
    st.active = st.active.saturating_sub(capacity);
}

#[cfg(feature = "cuda")]
fn device_cached() -> usize {
    crate::backend::cuda::memory::cached_bytes()
}

#[cfg(not(feature = "cuda"))]
fn device_cached() -> usize {
    0
}

#[cfg(feature = "cuda")]
fn trim_device_cache(keep: usize) {
    crate::backend::cuda::memory::trim_cache(keep);
}

#[cfg(not(feature = "cuda"))]
fn trim_device_cache(_keep: usize) {}

/// Bytes held by live arrays.
pub fn get_active_memory() -> usize {
    state().active
}

/// The largest value `get_active_memory` has had since the start or the last reset.
pub fn get_peak_memory() -> usize {
    state().peak
}

/// Resets the peak to the current active memory.
pub fn reset_peak_memory() {
    let mut st = state();
    st.peak = st.active;
}

/// Bytes held in the buffer caches (host and device), ready for reuse.
pub fn get_cache_memory() -> usize {
    let host = state().cached;
    host + device_cached()
}

/// The current memory limit in bytes.
pub fn get_memory_limit() -> usize {
    state().memory_limit
}

/// Sets the memory limit and returns the previous one. Allocations past it make
/// `eval` return `Err(OutOfMemory)`. The default is the machine's physical memory.
pub fn set_memory_limit(limit: usize) -> usize {
    let mut st = state();
    std::mem::replace(&mut st.memory_limit, limit)
}

/// Sets the cache limit and returns the previous one. `0` disables the cache.
pub fn set_cache_limit(limit: usize) -> usize {
    let mut st = state();
    let previous = std::mem::replace(&mut st.cache_limit, limit);
    st.release_cache(limit);
    drop(st);
    trim_device_cache(limit);
    previous
}

/// Returns every cached block (host and device) to the system.
pub fn clear_cache() {
    state().release_cache(0);
    trim_device_cache(0);
}
