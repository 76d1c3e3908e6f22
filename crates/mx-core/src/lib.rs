//! # mx-core
//!
//! The core of mx, the MLX array framework in Rust: lazy arrays, MLX's dtypes and
//! promotion rules, ops, streams and devices, the memory API, and the CPU backend.
//!
//! ```
//! use mx_core::{array, eval};
//! let a = array![1.0, 2.0, 3.0];
//! let b = &(&a * 2.0) + 1.0;      // nothing runs yet
//! eval(&[&b]).unwrap();           // now it does
//! assert_eq!(b.to_vec::<f32>().unwrap(), vec![3.0, 5.0, 7.0]);
//! ```
#![warn(missing_docs)]

mod array;
mod backend;
mod conv;
mod dtype;
mod error;
pub mod fast;
pub mod fft;
pub mod gpu;
pub mod io;
pub mod linalg;
mod memory;
pub mod ops;
mod primitive;
mod quantized;
pub mod random;
mod scheduler;
mod transforms;

pub use array::shape::broadcast_shapes;
pub use array::{Array, NestedLiteral};
pub use conv::{
    conv1d, conv2d, conv3d, conv_general, conv_transpose1d, conv_transpose2d, conv_transpose3d,
    convolve, ConvGeneral, ConvolveMode,
};
pub use dtype::{result_type, Complex64, Dtype, DtypeCategory, Element, Scalar};
pub use error::{Error, Result};
pub use io::{load, save, save_gguf, save_safetensors, savez, savez_compressed};
pub use memory::{
    clear_cache, get_active_memory, get_cache_memory, get_memory_limit, get_peak_memory,
    reset_peak_memory, set_cache_limit, set_memory_limit,
};
pub use ops::*;
pub use primitive::{
    ArgReduceKind, AttentionMask, BinaryOp, ConvParams, FastOp, FftKind, LinalgOp, Primitive,
    QuantizationFormat, QuantizationMode, ReduceKind, ScanKind, ScatterKind, UnaryOp,
};
pub use quantized::{
    dequantize, from_fp8, gather_qmm, quantize, quantized_matmul, to_fp8, GatherIndices,
    QuantizationParams, Quantized,
};
pub use scheduler::{
    default_device, default_stream, gpu_is_available, new_stream, set_default_device,
    set_default_stream, with_stream, Device, Stream, StreamScope,
};
pub use transforms::{
    async_eval, checkpoint, custom_function, eval, grad, grad_argnums, jvp, stop_gradient,
    tree_flatten, tree_map, tree_map_with_path, tree_reduce, tree_unflatten, value_and_grad,
    value_and_grad_argnums, value_and_grad_tree, value_and_grad_with_aux, vjp, vmap, CustomBuilder,
    CustomFunction, Tree,
};

/// Re-exported so that users name the same `f16` and `bf16` types mx stores.
pub use half;
