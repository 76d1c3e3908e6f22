//! The GPU: availability, settings and what the CUDA backend did.
//!
//! ```
//! if mx_core::gpu::is_available() {
//!     println!("running on {}", mx_core::gpu::device_name().unwrap());
//! }
//! ```

#[cfg(not(feature = "cuda"))]
use crate::error::Error;
use crate::error::Result;

/// True when the CUDA backend is built in, and a driver and a GPU were found.
pub fn is_available() -> bool {
    crate::scheduler::gpu_is_available()
}

/// The name of the GPU, e.g. `NVIDIA H100 80GB HBM3`.
pub fn device_name() -> Result<String> {
    #[cfg(feature = "cuda")]
    {
        Ok(crate::backend::cuda::context::context()?.name.clone())
    }
    #[cfg(not(feature = "cuda"))]
    {
        Err(no_backend())
    }
}

#[cfg(not(feature = "cuda"))]
fn no_backend() -> Error {
    Error::Device("[gpu] This build of mx has no GPU backend (feature `cuda`).".to_string())
}

/// Allows (the default, as in MLX) or forbids TF32 tensor cores in float32 matrix products
/// on the GPU.
pub fn set_tf32(enabled: bool) {
    #[cfg(feature = "cuda")]
    crate::backend::cuda::set_tf32(enabled);
    #[cfg(not(feature = "cuda"))]
    let _ = enabled;
}

/// Allows (the default) or forbids elementwise fusion: runs of unary, binary and astype
/// ops on a GPU stream whose intermediate results nothing else holds run as one generated
/// kernel, with the same results as the separate kernels.
pub fn set_fusion(enabled: bool) {
    #[cfg(feature = "cuda")]
    crate::backend::cuda::fusion::set_enabled(enabled);
    #[cfg(not(feature = "cuda"))]
    let _ = enabled;
}

/// `(fused kernels launched, ops they ran)` in this process: what elementwise fusion did.
pub fn fusion_counts() -> (usize, usize) {
    #[cfg(feature = "cuda")]
    {
        crate::backend::cuda::fusion::counts()
    }
    #[cfg(not(feature = "cuda"))]
    {
        (0, 0)
    }
}

/// The `(op (dtype), count)` pairs that ran on the host because the GPU has no kernel for
/// them yet: the coverage gaps of the CUDA backend in this process.
pub fn cpu_fallbacks() -> Vec<(String, usize)> {
    #[cfg(feature = "cuda")]
    {
        crate::backend::cuda::cpu_fallbacks()
    }
    #[cfg(not(feature = "cuda"))]
    {
        Vec::new()
    }
}

/// How many kernel modules NVRTC compiled in this process (cache hits compile none).
pub fn kernel_compilations() -> usize {
    #[cfg(feature = "cuda")]
    {
        crate::backend::cuda::compiler::COMPILATIONS.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[cfg(not(feature = "cuda"))]
    {
        0
    }
}

/// Seconds per launch of an empty kernel, `launches` of them back to back on one stream
/// and waited for at the end: the floor the driver puts under every GPU op here.
pub fn empty_launch_seconds(launches: usize) -> Result<f64> {
    #[cfg(feature = "cuda")]
    {
        crate::backend::cuda::launch::empty_launch_seconds(launches)
    }
    #[cfg(not(feature = "cuda"))]
    {
        let _ = launches;
        Err(no_backend())
    }
}

/// Waits for all work enqueued on the GPU by any stream.
pub fn synchronize() -> Result<()> {
    #[cfg(feature = "cuda")]
    {
        crate::backend::cuda::context::context()?;
        cudarc::driver::result::ctx::synchronize()
            .map_err(|e| crate::backend::cuda::context::driver_error("cuCtxSynchronize", e))
    }
    #[cfg(not(feature = "cuda"))]
    {
        Err(no_backend())
    }
}

/// Puts guard bytes around every device block allocated from now on (or stops), and
/// counts blocks whose guards a kernel overwrote; see [`guard_violations`]. Slow: for
/// checking kernels, as the backend-parity harness does.
pub fn set_guard_checks(enabled: bool) {
    #[cfg(feature = "cuda")]
    crate::backend::cuda::memory::set_guards(enabled);
    #[cfg(not(feature = "cuda"))]
    let _ = enabled;
}

/// How many guarded device blocks were found with overwritten guard bytes when freed.
pub fn guard_violations() -> usize {
    #[cfg(feature = "cuda")]
    {
        crate::backend::cuda::memory::guard_violations()
    }
    #[cfg(not(feature = "cuda"))]
    {
        0
    }
}

/// The GPU's device-to-device copy bandwidth in bytes per second (read plus write),
/// measured over `runs` copies of `nbytes`.
pub fn copy_bandwidth(nbytes: usize, runs: usize) -> Result<f64> {
    #[cfg(feature = "cuda")]
    {
        crate::backend::cuda::memory::copy_bandwidth(nbytes, runs.max(1))
    }
    #[cfg(not(feature = "cuda"))]
    {
        let _ = (nbytes, runs);
        Err(no_backend())
    }
}
