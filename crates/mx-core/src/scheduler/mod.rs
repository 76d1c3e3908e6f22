//! Devices, streams and the per-stream workers that run the graph.

mod device;
mod event;
mod stream;
mod worker;

pub use device::{default_device, gpu_is_available, set_default_device, Device};
pub(crate) use event::Event;
pub(crate) use stream::current_stream;
pub use stream::{
    default_stream, new_stream, set_default_stream, with_stream, Stream, StreamScope,
};
pub(crate) use worker::{run_batch, submit};
