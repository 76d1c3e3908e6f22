//! Kernel launches: operand layouts as the kernels read them, grid sizes, and the
//! device side of `Data`.

use super::compiler::Function;
use super::context::driver_error;
use super::memory::DeviceBlock;
use super::stream::GpuStream;
use crate::array::shape::{broadcast_strides, row_major_strides};
use crate::array::Data;
use crate::backend::cpu::strided::collapse;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::memory::Buffer;
use cudarc::driver::{result, sys};
use std::ffi::c_void;
use std::sync::Arc;

/// Dimensions a kernel layout can hold after collapsing; `prelude.cuh` agrees.
pub(crate) const MAX_DIMS: usize = 10;

/// Threads per block of the elementwise kernels.
pub(crate) const BLOCK: u32 = 256;

/// `Layout<N>` of `prelude.cuh`: an index space and each operand's strides along it.
#[repr(C)]
#[derive(Clone, Copy)]
pub(crate) struct Layout<const N: usize> {
    shape: [i64; MAX_DIMS],
    strides: [[i64; MAX_DIMS]; N],
    ndim: i32,
}

impl<const N: usize> Layout<N> {
    /// The layout of `N` operands over `shape`, with dimensions merged where every
    /// operand allows. `None` if more than `MAX_DIMS` dimensions remain.
    pub(crate) fn new(shape: &[usize], strides: [&[isize]; N]) -> Option<Layout<N>> {
        let (collapsed, collapsed_strides) = collapse(shape, strides);
        if collapsed.len() > MAX_DIMS {
            return None;
        }
        let mut layout = Layout {
            shape: [1; MAX_DIMS],
            strides: [[0; MAX_DIMS]; N],
            ndim: collapsed.len() as i32,
        };
        for (d, &extent) in collapsed.iter().enumerate() {
            layout.shape[d] = extent as i64;
            for (target, source) in layout.strides.iter_mut().zip(&collapsed_strides) {
                target[d] = source[d] as i64;
            }
        }
        Some(layout)
    }
}

impl Layout<1> {
    /// `extent` elements `stride` apart.
    pub(crate) fn line(extent: usize, stride: isize) -> Layout<1> {
        let mut layout = Layout {
            shape: [1; MAX_DIMS],
            strides: [[0; MAX_DIMS]; 1],
            ndim: 1,
        };
        layout.shape[0] = extent as i64;
        layout.strides[0][0] = stride as i64;
        layout
    }
}

/// Strides of an operand of `shape` read over `out_shape`, with 0 where it broadcasts.
pub(crate) fn operand_strides(data: &Data, shape: &[usize], out_shape: &[usize]) -> Vec<isize> {
    broadcast_strides(shape, &data.strides, out_shape)
}

/// True if the operand is read densely in row-major order over `out_shape`.
pub(crate) fn is_dense(data: &Data, shape: &[usize], out_shape: &[usize]) -> bool {
    shape.iter().product::<usize>() == out_shape.iter().product::<usize>()
        && data.is_row_contiguous(shape)
}

/// The device address of `data`'s first element, for a kernel on `stream`.
pub(crate) fn device_address(data: &Data, dtype: Dtype, stream: GpuStream) -> Result<u64> {
    let base = data.buffer.device_ptr(stream)?;
    Ok(base + (data.offset * dtype.size()) as u64)
}

/// A new row-major array of `shape` and `dtype` on the device, written on `stream`.
pub(crate) fn allocate(shape: &[usize], dtype: Dtype, stream: GpuStream) -> Result<(Data, u64)> {
    check_dtype(dtype)?;
    let nbytes = shape.iter().product::<usize>() * dtype.size();
    let block = DeviceBlock::allocate(nbytes, stream)?;
    let ptr = block.ptr;
    let data = Data {
        buffer: Arc::new(Buffer::from_device(nbytes, block)),
        offset: 0,
        strides: row_major_strides(shape),
    };
    Ok((data, ptr))
}

/// float64 has no GPU kernels, as in MLX.
pub(crate) fn check_dtype(dtype: Dtype) -> Result<()> {
    if dtype == Dtype::Float64 {
        return Err(Error::Dtype(
            "[gpu] float64 is not supported on the GPU.".to_string(),
        ));
    }
    Ok(())
}

/// The CUDA C name of an element type, or `None` for types without GPU kernels.
pub(crate) fn c_type(dtype: Dtype) -> Option<&'static str> {
    Some(match dtype {
        Dtype::Bool => "bool",
        Dtype::Uint8 => "uint8_t",
        Dtype::Uint16 => "uint16_t",
        Dtype::Uint32 => "uint32_t",
        Dtype::Uint64 => "uint64_t",
        Dtype::Int8 => "int8_t",
        Dtype::Int16 => "int16_t",
        Dtype::Int32 => "int32_t",
        Dtype::Int64 => "int64_t",
        Dtype::Float16 => "__half",
        Dtype::Bfloat16 => "__nv_bfloat16",
        Dtype::Float32 => "float",
        Dtype::Complex64 => "mx_complex",
        Dtype::Float64 => return None,
    })
}

/// Blocks for a grid-stride loop over `n` elements.
pub(crate) fn grid_for(n: usize) -> u32 {
    n.div_ceil(BLOCK as usize).clamp(1, 1 << 16) as u32
}

/// A kernel argument: the address of a value that lives until the launch returns.
pub(crate) fn arg<T>(value: &T) -> *mut c_void {
    value as *const T as *mut c_void
}

/// Enqueues `function` on `stream`.
pub(crate) fn launch(
    function: Function,
    grid: (u32, u32, u32),
    block: (u32, u32, u32),
    stream: GpuStream,
    args: &mut [*mut c_void],
) -> Result<()> {
    launch_with_shared(function, grid, block, 0, stream, args)
}

/// Enqueues a grid-stride kernel over `n` items on `stream`.
pub(crate) fn launch_flat(
    function: Function,
    n: usize,
    stream: GpuStream,
    args: &mut [*mut c_void],
) -> Result<()> {
    launch(function, (grid_for(n), 1, 1), (BLOCK, 1, 1), stream, args)
}

/// Enqueues a kernel with one block per row (rows beyond the grid loop) on `stream`.
pub(crate) fn launch_rows(
    function: Function,
    rows: usize,
    block: u32,
    shared: u32,
    stream: GpuStream,
    args: &mut [*mut c_void],
) -> Result<()> {
    launch_with_shared(
        function,
        (rows.min(1 << 20) as u32, 1, 1),
        (block, 1, 1),
        shared,
        stream,
        args,
    )
}

/// Enqueues `function` on `stream` with `shared` bytes of dynamic shared memory.
pub(crate) fn launch_with_shared(
    function: Function,
    grid: (u32, u32, u32),
    block: (u32, u32, u32),
    shared: u32,
    stream: GpuStream,
    args: &mut [*mut c_void],
) -> Result<()> {
    // SAFETY: each argument points at a live value of the type the kernel declares, and
    // every device pointer among them is valid for the elements the kernel touches.
    unsafe {
        result::launch_kernel(
            function.0,
            grid,
            block,
            shared,
            stream.0 as sys::CUstream,
            args,
        )
    }
    .map_err(|e| driver_error("cuLaunchKernel", e))
}

/// `out`, written as rows with `axis` moved last, seen in the axis order of `shape`.
pub(crate) fn axis_last_view(out: Data, shape: &[usize], axis: usize) -> Data {
    let mut permuted_shape = shape.to_vec();
    permuted_shape.remove(axis);
    permuted_shape.push(shape[axis]);
    let permuted_strides = row_major_strides(&permuted_shape);
    let mut strides = permuted_strides[..shape.len() - 1].to_vec();
    strides.insert(axis, permuted_strides[shape.len() - 1]);
    out.view(0, strides)
}

/// Seconds per launch of an empty kernel, `launches` back to back on one stream and
/// waited for at the end (the median of five runs): the driver's floor under every op.
pub(crate) fn empty_launch_seconds(launches: usize) -> Result<f64> {
    let stream = super::stream::gpu_stream(usize::MAX - 1)?;
    let kernel = super::compiler::function("probe", "empty", || {
        "extern \"C\" __global__ void empty() {}\n".to_string()
    })?;
    let mut samples = Vec::with_capacity(5);
    for run in 0..6 {
        let start = std::time::Instant::now();
        for _ in 0..launches {
            launch(kernel, (1, 1, 1), (32, 1, 1), stream, &mut [])?;
        }
        stream.synchronize()?;
        if run > 0 {
            samples.push(start.elapsed().as_secs_f64() / launches.max(1) as f64);
        }
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples[samples.len() / 2])
}
