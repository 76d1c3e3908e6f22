//! Memory: the caching allocator behind every buffer, with MLX's memory API.
//!
//! ```
//! let before = mx_core::get_active_memory();
//! let a = mx_core::zeros(&[1024], mx_core::Dtype::Float32).unwrap();
//! mx_core::eval(&[&a]).unwrap();
//! assert!(mx_core::get_active_memory() >= before);
//! ```

mod allocator;
mod buffer;

pub use allocator::{
    clear_cache, get_active_memory, get_cache_memory, get_memory_limit, get_peak_memory,
    reset_peak_memory, set_cache_limit, set_memory_limit,
};
#[cfg(feature = "cuda")]
pub(crate) use allocator::{release_active, reserve_active};
pub(crate) use buffer::Buffer;
