//! One CUDA stream for each mx GPU stream, and the event waits between them.

use super::context::{context, driver_error};
use crate::error::Result;
use cudarc::driver::{result, sys};
use std::collections::HashMap;
use std::sync::Mutex;

/// A CUDA stream handle, shared by every thread that enqueues work on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GpuStream(pub(crate) sys::CUstream);

// SAFETY: CUDA streams may be used from any thread of the process.
unsafe impl Send for GpuStream {}
unsafe impl Sync for GpuStream {}

static STREAMS: Mutex<Option<HashMap<usize, GpuStream>>> = Mutex::new(None);

/// The CUDA stream of mx stream `index`, created (non-blocking) on first use.
pub(crate) fn gpu_stream(index: usize) -> Result<GpuStream> {
    context()?;
    let mut streams = STREAMS.lock().unwrap_or_else(|p| p.into_inner());
    let map = streams.get_or_insert_with(HashMap::new);
    if let Some(stream) = map.get(&index) {
        return Ok(*stream);
    }
    let stream = result::stream::create(result::stream::StreamKind::NonBlocking)
        .map_err(|e| driver_error("cuStreamCreate", e))?;
    let stream = GpuStream(stream);
    map.insert(index, stream);
    Ok(stream)
}

impl GpuStream {
    /// Blocks until all work enqueued so far on this stream has finished.
    pub(crate) fn synchronize(self) -> Result<()> {
        context()?;
        // SAFETY: the stream is live for the whole process.
        unsafe { result::stream::synchronize(self.0) }
            .map_err(|e| driver_error("cuStreamSynchronize", e))
    }

    /// Makes later work on `self` wait for everything enqueued so far on `other`.
    pub(crate) fn wait_for(self, other: GpuStream) -> Result<()> {
        if self == other {
            return Ok(());
        }
        context()?;
        let event = result::event::create(sys::CUevent_flags::CU_EVENT_DISABLE_TIMING)
            .map_err(|e| driver_error("cuEventCreate", e))?;
        // SAFETY: both streams are live; destroying a recorded event defers its release
        // until the wait completes.
        unsafe {
            let outcome = result::event::record(event, other.0).and_then(|_| {
                result::stream::wait_event(
                    self.0,
                    event,
                    sys::CUevent_wait_flags::CU_EVENT_WAIT_DEFAULT,
                )
            });
            let destroyed = result::event::destroy(event);
            outcome.and(destroyed)
        }
        .map_err(|e| driver_error("cuStreamWaitEvent", e))
    }
}
