//! Streams: ordered queues of work on a device, with a scoped current stream.

use super::device::{check_available, default_device, Device};
use super::worker;
use crate::error::{Error, Result};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// An ordered queue of work on one device. Ops on one stream run in order on its
/// worker; ops on different streams run concurrently, synchronised by events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stream {
    index: usize,
    device: Device,
}

impl Stream {
    /// The stream's index, unique in the process.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The device the stream runs on.
    pub fn device(&self) -> Device {
        self.device
    }
}

impl fmt::Display for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.device {
            Device::Cpu => "cpu",
            Device::Gpu(_) => "gpu",
        };
        write!(f, "Stream(Device({kind}, 0), {})", self.index)
    }
}

struct Registry {
    defaults: HashMap<Device, Stream>,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    let mut guard = REGISTRY.lock().unwrap_or_else(|p| p.into_inner());
    let registry = guard.get_or_insert_with(|| Registry {
        defaults: HashMap::new(),
    });
    f(registry)
}

/// Creates a new stream on `device`, with its own worker.
///
/// ```
/// let s = mx_core::new_stream(mx_core::Device::Cpu).unwrap();
/// assert_eq!(s.device(), mx_core::Device::Cpu);
/// assert!(mx_core::new_stream(mx_core::Device::Gpu(0)).is_err() || mx_core::gpu_is_available());
/// ```
pub fn new_stream(device: Device) -> Result<Stream> {
    check_available(device, "new_stream")?;
    let index = worker::spawn_worker()?;
    Ok(Stream { index, device })
}

/// The default stream of `device`.
pub fn default_stream(device: Device) -> Result<Stream> {
    check_available(device, "default_stream")?;
    if let Some(stream) = with_registry(|r| r.defaults.get(&device).copied()) {
        return Ok(stream);
    }
    let stream = new_stream(device)?;
    Ok(with_registry(|r| {
        *r.defaults.entry(device).or_insert(stream)
    }))
}

/// Makes `stream` the default stream of its device, and that device the default device.
pub fn set_default_stream(stream: Stream) -> Result<()> {
    super::set_default_device(stream.device)?;
    with_registry(|r| r.defaults.insert(stream.device, stream));
    Ok(())
}

thread_local! {
    static SCOPED: RefCell<Vec<Stream>> = const { RefCell::new(Vec::new()) };
}

/// While alive, ops built on this thread go to the given stream, like
/// `with mx.stream(s):` in MLX. Scopes nest.
///
/// ```
/// use mx_core::{array, new_stream, Device, StreamScope};
/// let s = new_stream(Device::Cpu).unwrap();
/// let c = {
///     let _scope = StreamScope::new(s);
///     &array![1, 2] + &array![3, 4]
/// };
/// assert_eq!(c.to_vec::<i32>().unwrap(), vec![4, 6]);
/// ```
pub struct StreamScope {
    _not_send: std::marker::PhantomData<*const ()>,
}

impl StreamScope {
    /// Enters a scope in which `stream` is the current stream.
    pub fn new(stream: Stream) -> StreamScope {
        SCOPED.with(|s| s.borrow_mut().push(stream));
        StreamScope {
            _not_send: std::marker::PhantomData,
        }
    }

    /// Enters a scope on the default stream of `device`.
    pub fn device(device: Device) -> Result<StreamScope> {
        Ok(StreamScope::new(default_stream(device)?))
    }
}

impl Drop for StreamScope {
    fn drop(&mut self) {
        SCOPED.with(|s| s.borrow_mut().pop());
    }
}

/// Runs `f` with `stream` as the current stream.
///
/// ```
/// use mx_core::{array, with_stream, default_stream, Device};
/// let cpu = default_stream(Device::Cpu).unwrap();
/// let c = with_stream(cpu, || mx_core::add(&array![1.0], &array![2.0])).unwrap();
/// assert_eq!(c.item::<f32>().unwrap(), 3.0);
/// ```
pub fn with_stream<R>(stream: Stream, f: impl FnOnce() -> R) -> R {
    let _scope = StreamScope::new(stream);
    f()
}

/// The stream new ops go to: the innermost scope, else the default device's default stream.
pub(crate) fn current_stream() -> Result<Stream> {
    if let Some(stream) = SCOPED.with(|s| s.borrow().last().copied()) {
        return Ok(stream);
    }
    default_stream(default_device()).map_err(|e| Error::Device(e.to_string()))
}
