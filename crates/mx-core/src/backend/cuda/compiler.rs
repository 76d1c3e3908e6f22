//! NVRTC: CUDA C sources compiled to cubins on first use, cached in memory and on disk
//! (`~/.cache/mx/kernels`), keyed by source, options, GPU arch and NVRTC version, so that
//! a second run of a process compiles nothing.

use super::context::{context, driver_error};
use crate::error::{Error, Result};
use cudarc::driver::{result as driver, sys as driver_sys};
use cudarc::nvrtc::{result as nvrtc, sys as nvrtc_sys};
use std::collections::HashMap;
use std::ffi::CString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Mutex;

/// The CUDA C shared by every kernel source: types, layouts and element conversions.
const PRELUDE: &str = include_str!("kernels/prelude.cuh");
const COMPLEX: &str = include_str!("kernels/complex.cuh");
const ELEMENTWISE_OPS: &str = include_str!("kernels/elementwise_ops.cuh");

/// A module's source as NVRTC compiles it: the shared headers, then its own text.
fn full_source(body: &str) -> String {
    format!("{PRELUDE}\n{COMPLEX}\n{ELEMENTWISE_OPS}\n{body}")
}

/// A loaded module and the kernels looked up in it so far.
struct Module {
    module: driver_sys::CUmodule,
    functions: HashMap<String, driver_sys::CUfunction>,
}

// SAFETY: modules and functions are process-wide handles of the one context.
unsafe impl Send for Module {}

static MODULES: Mutex<Option<HashMap<String, Module>>> = Mutex::new(None);

/// A kernel handle, valid for the life of the process.
#[derive(Clone, Copy)]
pub(crate) struct Function(pub(crate) driver_sys::CUfunction);

// SAFETY: see `Module`.
unsafe impl Send for Function {}

/// The kernel `name` of module `key`, compiling `source()` (after the prelude and the
/// elementwise functors) the first time the module is asked for.
pub(crate) fn function(key: &str, name: &str, source: impl FnOnce() -> String) -> Result<Function> {
    let mut modules = MODULES.lock().unwrap_or_else(|p| p.into_inner());
    let modules = modules.get_or_insert_with(HashMap::new);
    if !modules.contains_key(key) {
        let image = cubin(key, &full_source(&source()))?;
        // SAFETY: the image is a cubin NVRTC built for this device.
        let module = unsafe { driver::module::load_data(image.as_ptr() as *const _) }
            .map_err(|e| driver_error(&format!("cuModuleLoadData of kernels '{key}'"), e))?;
        modules.insert(
            key.to_string(),
            Module {
                module,
                functions: HashMap::new(),
            },
        );
    }
    let module = modules
        .get_mut(key)
        .ok_or_else(|| Error::Device(format!("[gpu] Kernel module '{key}' vanished.")))?;
    if let Some(function) = module.functions.get(name) {
        return Ok(Function(*function));
    }
    let c_name = CString::new(name)
        .map_err(|_| Error::Device(format!("[gpu] Bad kernel name '{name}'.")))?;
    // SAFETY: the module is loaded and the name is a NUL-terminated string.
    let function = unsafe { driver::module::get_function(module.module, c_name) }
        .map_err(|e| driver_error(&format!("cuModuleGetFunction '{name}'"), e))?;
    module.functions.insert(name.to_string(), function);
    Ok(Function(function))
}

/// Kernel handles in a fixed table of small-integer slots, filled on first use, so that
/// the hot path of an op finds its kernel without a lock or a formatted name.
pub(crate) struct KernelTable<const N: usize>([AtomicPtr<driver_sys::CUfunc_st>; N]);

impl<const N: usize> KernelTable<N> {
    /// An empty table.
    pub(crate) const fn new() -> KernelTable<N> {
        KernelTable([const { AtomicPtr::new(std::ptr::null_mut()) }; N])
    }

    /// The kernel in `slot`, found by `load` the first time (and every time for a slot
    /// past the table's end).
    pub(crate) fn get(
        &self,
        slot: usize,
        load: impl FnOnce() -> Result<Function>,
    ) -> Result<Function> {
        let Some(cell) = self.0.get(slot) else {
            return load();
        };
        let cached = cell.load(Ordering::Acquire);
        if !cached.is_null() {
            return Ok(Function(cached));
        }
        let function = load()?;
        cell.store(function.0, Ordering::Release);
        Ok(function)
    }
}

fn nvrtc_version() -> Result<(i32, i32)> {
    // SAFETY: only asks whether the library can be opened.
    if !unsafe { nvrtc_sys::is_culib_present() } {
        return Err(Error::Device(
            "[gpu] NVRTC (libnvrtc.so) was not found: it compiles mx's GPU kernels. Install \
             the CUDA toolkit or the nvidia-cuda-nvrtc Python package and add its lib folder \
             to LD_LIBRARY_PATH."
                .to_string(),
        ));
    }
    let (mut major, mut minor) = (0, 0);
    // SAFETY: both pointers are valid for writes.
    unsafe { nvrtc_sys::nvrtcVersion(&mut major, &mut minor) }
        .result()
        .map_err(|e| Error::Device(format!("[gpu] nvrtcVersion failed: {e:?}.")))?;
    Ok((major, minor))
}

/// Folders that may hold `cuda_fp16.h` and `cuda_bf16.h`, in the order searched.
fn header_candidates() -> Vec<PathBuf> {
    let mut candidates = Vec::new();
    for variable in ["MX_CUDA_INCLUDE", "CUDA_HOME", "CUDA_PATH"] {
        if let Some(value) = std::env::var_os(variable) {
            let base = PathBuf::from(value);
            candidates.push(if variable == "MX_CUDA_INCLUDE" {
                base
            } else {
                base.join("include")
            });
        }
    }
    candidates.push(PathBuf::from("/usr/local/cuda/include"));
    // The CUDA wheels of PyTorch and JAX ship the headers under site-packages/nvidia.
    let mut roots = vec![
        PathBuf::from("/usr/local/lib"),
        PathBuf::from("/usr/lib"),
        PathBuf::from("/opt/conda/lib"),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        roots.push(PathBuf::from(home).join(".local/lib"));
    }
    for root in roots {
        let Ok(entries) = std::fs::read_dir(&root) else {
            continue;
        };
        for python in entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
        {
            for packages in ["site-packages", "dist-packages"] {
                let nvidia = python.path().join(packages).join("nvidia");
                let Ok(kits) = std::fs::read_dir(&nvidia) else {
                    continue;
                };
                for kit in kits.flatten() {
                    candidates.push(kit.path().join("include"));
                }
            }
        }
    }
    candidates
}

fn include_folder() -> Result<&'static PathBuf> {
    static FOLDER: std::sync::OnceLock<std::result::Result<PathBuf, String>> =
        std::sync::OnceLock::new();
    FOLDER
        .get_or_init(|| {
            let candidates = header_candidates();
            candidates
                .iter()
                .find(|c| c.join("cuda_fp16.h").is_file() && c.join("cuda_bf16.h").is_file())
                .cloned()
                .ok_or_else(|| {
                    let searched: Vec<String> = candidates.iter().map(|c| c.display().to_string()).collect();
                    format!(
                        "[gpu] The CUDA headers cuda_fp16.h and cuda_bf16.h, which NVRTC needs, were \
                         not found. Set MX_CUDA_INCLUDE to their folder. Searched: {}.",
                        searched.join(", ")
                    )
                })
        })
        .as_ref()
        .map_err(|message| Error::Device(message.clone()))
}

/// A 128-bit FNV-1a digest: stable across runs and Rust versions, unlike `DefaultHasher`.
fn digest(parts: &[&[u8]]) -> String {
    let mut hash: u128 = 0x6c62272e07bb014262b821756295c58d;
    for part in parts {
        for &byte in part.iter().chain(&[0xff]) {
            hash ^= byte as u128;
            hash = hash.wrapping_mul(0x0000000001000000000000000000013B);
        }
    }
    format!("{hash:032x}")
}

fn cache_folder() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("MX_KERNEL_CACHE") {
        return Some(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("mx").join("kernels"))
}

/// Counts NVRTC compilations in this process, so tests can check that the disk cache works.
pub(crate) static COMPILATIONS: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// The NVRTC options for GPU architecture `sm_{arch}`.
fn options(arch: u32) -> Result<Vec<String>> {
    let include = include_folder()?;
    Ok(vec![
        format!("--gpu-architecture=sm_{arch}"),
        "-std=c++17".to_string(),
        "-default-device".to_string(),
        // Every float op rounds on its own, as on the CPU: no contraction into FMAs
        // across the steps of a fused kernel (explicit fmaf calls are kept).
        "--fmad=false".to_string(),
        format!("-I{}", include.display()),
    ])
}

/// Compiles module `key` for `sm_{arch}` without a GPU, to check the kernel sources where
/// only NVRTC and the headers are installed.
#[cfg(test)]
pub(crate) fn compile_offline(key: &str, body: &str, arch: u32) -> Result<()> {
    nvrtc_version()?;
    compile(key, &full_source(body), &options(arch)?).map(|_| ())
}

fn cubin(key: &str, source: &str) -> Result<Vec<u8>> {
    let arch = context()?.arch;
    let (major, minor) = nvrtc_version()?;
    let options = options(arch)?;
    let version = format!("nvrtc {major}.{minor}");
    let joined = options.join(" ");
    let name = digest(&[source.as_bytes(), joined.as_bytes(), version.as_bytes()]);
    let cached = cache_folder().map(|folder| folder.join(format!("{name}.cubin")));
    if let Some(path) = &cached {
        if let Ok(image) = std::fs::read(path) {
            return Ok(image);
        }
    }
    let image = compile(key, source, &options)?;
    if let Some(path) = &cached {
        // The cache only saves time: a read-only home must not fail the op.
        if let Some(folder) = path.parent() {
            let _ = std::fs::create_dir_all(folder);
        }
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&temporary, &image).is_ok() {
            let _ = std::fs::rename(&temporary, path);
        }
    }
    Ok(image)
}

fn compile(key: &str, source: &str, options: &[String]) -> Result<Vec<u8>> {
    COMPILATIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let c_source = CString::new(source)
        .map_err(|_| Error::Device(format!("[gpu] Kernel source '{key}' holds a NUL byte.")))?;
    let program = nvrtc::create_program(&c_source, None)
        .map_err(|e| Error::Device(format!("[gpu] nvrtcCreateProgram failed: {e:?}.")))?;
    // SAFETY: the program is live until destroyed below.
    let compiled = unsafe { nvrtc::compile_program(program, options) };
    let outcome = match compiled {
        Ok(()) => {
            let mut size = 0usize;
            // SAFETY: the program compiled; the buffer is sized by NVRTC.
            unsafe {
                nvrtc_sys::nvrtcGetCUBINSize(program, &mut size)
                    .result()
                    .and_then(|_| {
                        let mut image = vec![0u8; size];
                        nvrtc_sys::nvrtcGetCUBIN(program, image.as_mut_ptr() as *mut _)
                            .result()
                            .map(|_| image)
                    })
            }
            .map_err(|e| Error::Device(format!("[gpu] nvrtcGetCUBIN failed: {e:?}.")))
        }
        Err(e) => {
            // SAFETY: the program is live.
            let log = unsafe { nvrtc::get_program_log(program) }
                .map(|log| log.iter().map(|&c| c as u8 as char).collect::<String>())
                .unwrap_or_default();
            Err(Error::Device(format!(
                "[gpu] NVRTC could not compile the kernels '{key}' ({e:?}):\n{}",
                log.trim_end_matches('\0')
            )))
        }
    };
    // SAFETY: the program is not used after this.
    let _ = unsafe { nvrtc::destroy_program(program) };
    outcome
}
