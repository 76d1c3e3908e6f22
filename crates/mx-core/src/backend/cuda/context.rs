//! The CUDA driver: loaded at run time, initialised once, with the primary context of
//! device 0 bound to every thread that talks to it.

use crate::error::{Error, Result};
use cudarc::driver::{result, sys, DriverError};
use std::cell::Cell;
use std::sync::OnceLock;

/// The initialised driver state of the GPU mx runs on.
pub(crate) struct Context {
    pub(crate) context: sys::CUcontext,
    /// Compute capability as `major * 10 + minor` (90 for Hopper).
    pub(crate) arch: u32,
    pub(crate) name: String,
    /// The device's default memory pool, behind `cuMemAllocAsync`.
    pub(crate) pool: sys::CUmemoryPool,
}

// SAFETY: a CUcontext and a CUmemoryPool are process-wide handles, usable from any thread.
unsafe impl Send for Context {}
unsafe impl Sync for Context {}

thread_local! {
    static BOUND: Cell<bool> = const { Cell::new(false) };
}

fn init() -> std::result::Result<Context, String> {
    // SAFETY: only probes whether the library can be opened.
    if !unsafe { sys::is_culib_present() } {
        return Err("no NVIDIA driver library (libcuda.so) was found".to_string());
    }
    let describe = |what: &str, e: DriverError| format!("{what} failed: {e:?}");
    result::init().map_err(|e| describe("cuInit", e))?;
    let count = result::device::get_count().map_err(|e| describe("cuDeviceGetCount", e))?;
    if count < 1 {
        return Err("the driver reports no CUDA device".to_string());
    }
    let device = result::device::get(0).map_err(|e| describe("cuDeviceGet", e))?;
    let attribute = |a| {
        // SAFETY: `device` is a valid ordinal returned by the driver.
        unsafe { result::device::get_attribute(device, a) }
            .map_err(|e| describe("cuDeviceGetAttribute", e))
    };
    let major = attribute(sys::CUdevice_attribute::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)?;
    let minor = attribute(sys::CUdevice_attribute::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)?;
    let name = result::device::get_name(device).unwrap_or_else(|_| "unknown GPU".to_string());
    // SAFETY: the device is valid; the primary context lives for the process.
    let context = unsafe { result::primary_ctx::retain(device) }
        .map_err(|e| describe("cuDevicePrimaryCtxRetain", e))?;
    // SAFETY: as above.
    unsafe { result::ctx::set_current(context) }.map_err(|e| describe("cuCtxSetCurrent", e))?;
    // SAFETY: as above.
    let pool = unsafe { result::device::get_default_mem_pool(device) }
        .map_err(|e| describe("cuDeviceGetDefaultMemPool", e))?;
    // Keep freed blocks in the pool instead of returning them at every synchronisation:
    // this is what makes the pool a caching allocator.
    let mut threshold: u64 = u64::MAX;
    // SAFETY: the attribute takes a u64.
    unsafe {
        result::mem_pool::set_attribute(
            pool,
            sys::CUmemPool_attribute::CU_MEMPOOL_ATTR_RELEASE_THRESHOLD,
            &mut threshold as *mut u64 as *mut _,
        )
    }
    .map_err(|e| describe("cuMemPoolSetAttribute", e))?;
    Ok(Context {
        context,
        arch: (major * 10 + minor) as u32,
        name,
        pool,
    })
}

static STATE: OnceLock<std::result::Result<Context, String>> = OnceLock::new();

fn state() -> &'static std::result::Result<Context, String> {
    STATE.get_or_init(init)
}

/// The context if some earlier call brought the driver up, without starting it.
pub(crate) fn started_context() -> Option<&'static Context> {
    STATE.get()?.as_ref().ok()?;
    context().ok()
}

/// The driver context, bound to the calling thread, or why there is none.
pub(crate) fn context() -> Result<&'static Context> {
    let context = state()
        .as_ref()
        .map_err(|why| Error::Device(format!("[gpu] No GPU is available: {why}.")))?;
    if !BOUND.get() {
        // SAFETY: the context was retained at initialisation and is never released.
        unsafe { result::ctx::set_current(context.context) }
            .map_err(|e| driver_error("cuCtxSetCurrent", e))?;
        BOUND.set(true);
    }
    Ok(context)
}

/// True when the driver loaded and device 0 has a context.
pub(crate) fn is_available() -> bool {
    state().is_ok()
}

/// Turns a driver error into mx's error, keeping out-of-memory apart.
pub(crate) fn driver_error(what: &str, error: DriverError) -> Error {
    if error.0 == sys::cudaError_enum::CUDA_ERROR_OUT_OF_MEMORY {
        Error::OutOfMemory(format!("[gpu] {what}: the GPU is out of memory."))
    } else {
        let name = error
            .error_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|_| format!("{:?}", error.0));
        Error::Device(format!("[gpu] {what} failed: {name}."))
    }
}
