//! Devices and the default device.

use crate::error::{Error, Result};
use std::fmt;
use std::sync::Mutex;

/// Where an op runs. Arrays themselves have no device: memory is unified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Device {
    /// The host CPU.
    Cpu,
    /// The GPU with this index.
    Gpu(usize),
}

impl fmt::Display for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Device::Cpu => write!(f, "Device(cpu, 0)"),
            Device::Gpu(i) => write!(f, "Device(gpu, {i})"),
        }
    }
}

static DEFAULT_DEVICE: Mutex<Device> = Mutex::new(Device::Cpu);

/// True when a GPU backend is compiled in and a driver and device were found.
pub fn gpu_is_available() -> bool {
    #[cfg(feature = "cuda")]
    {
        crate::backend::cuda::is_available()
    }
    #[cfg(not(feature = "cuda"))]
    {
        false
    }
}

#[cfg(feature = "cuda")]
fn gpu_unavailable_reason() -> String {
    match crate::backend::cuda::context::context() {
        Ok(_) => "it is not present".to_string(),
        Err(err) => err.message().trim_start_matches("[gpu] ").to_string(),
    }
}

#[cfg(not(feature = "cuda"))]
fn gpu_unavailable_reason() -> String {
    "this build of mx has no GPU backend (it needs the `cuda` feature)".to_string()
}

/// Checks that `device` can run ops, naming `op` in the error.
pub(crate) fn check_available(device: Device, op: &str) -> Result<()> {
    match device {
        Device::Cpu => Ok(()),
        Device::Gpu(0) if gpu_is_available() => Ok(()),
        Device::Gpu(0) => Err(Error::Device(format!(
            "[{op}] Device(gpu, 0) is not available: {}",
            gpu_unavailable_reason()
        ))),
        Device::Gpu(i) => Err(Error::Device(format!(
            "[{op}] Device(gpu, {i}) is not available: mx uses one GPU, Device(gpu, 0)."
        ))),
    }
}

/// The device new ops run on when no stream is given.
pub fn default_device() -> Device {
    *DEFAULT_DEVICE.lock().unwrap_or_else(|p| p.into_inner())
}

/// Sets the default device. Fails for a device that is not available.
pub fn set_default_device(device: Device) -> Result<()> {
    check_available(device, "set_default_device")?;
    *DEFAULT_DEVICE.lock().unwrap_or_else(|p| p.into_inner()) = device;
    Ok(())
}
