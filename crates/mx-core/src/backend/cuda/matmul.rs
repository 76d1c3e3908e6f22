//! Matrix products through cuBLASLt, batched and broadcast, for float32 (TF32 by default,
//! as in MLX), float16 and bfloat16.

use super::context::context;
use super::elementwise::convert;
use super::launch::{allocate, device_address, operand_strides};
use super::memory::DeviceBlock;
use super::stream::GpuStream;
use crate::array::Data;
use crate::backend::cpu::strided::collapse;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use cudarc::cublaslt::{result as lt, sys};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// Whether float32 products may use TF32 tensor cores (MLX's default on CUDA).
static TF32: AtomicBool = AtomicBool::new(true);

/// Allows or forbids TF32 in float32 matrix products on the GPU. TF32 keeps float32's
/// range with a 10-bit mantissa in the products, and is about 8 times faster on Hopper.
pub fn set_tf32(enabled: bool) {
    TF32.store(enabled, Ordering::Relaxed);
}

/// cuBLASLt's workspace for the fastest kernels.
const WORKSPACE: usize = 32 << 20;

struct Handle(sys::cublasLtHandle_t);
// SAFETY: a cuBLASLt handle may be shared by threads that use it on their own streams.
unsafe impl Send for Handle {}
unsafe impl Sync for Handle {}

fn handle() -> Result<sys::cublasLtHandle_t> {
    static HANDLE: OnceLock<std::result::Result<Handle, String>> = OnceLock::new();
    context()?;
    HANDLE
        .get_or_init(|| {
            // SAFETY: only asks whether the library can be opened.
            if !unsafe { sys::is_culib_present() } {
                return Err("cuBLASLt (libcublasLt.so) was not found".to_string());
            }
            lt::create_handle()
                .map(Handle)
                .map_err(|e| format!("cublasLtCreate failed: {e:?}"))
        })
        .as_ref()
        .map(|h| h.0)
        .map_err(|why| Error::Device(format!("[matmul] {why}.")))
}

fn cublas_error(what: &str, e: lt::CublasError) -> Error {
    Error::Device(format!("[matmul] {what} failed: {e:?}."))
}

/// One operand as cuBLASLt sees it: a column-major matrix, maybe transposed, per batch.
struct Matrix {
    ptr: u64,
    rows: u64,
    cols: u64,
    ld: i64,
    transposed: bool,
    batch_stride: i64,
    /// A dense copy made when the view had no usable layout; kept alive for the launch.
    _copy: Option<Data>,
}

/// The operand `(data, shape)` read over `full` (batch axes then the two matrix axes), as
/// the column-major matrix of its transpose: a row-major `r x c` block is a column-major
/// `c x r` one with the same leading dimension.
fn transposed_view(
    data: &Data,
    shape: &[usize],
    full: &[usize],
    dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Matrix>> {
    let nd = full.len();
    let (r, c) = (full[nd - 2], full[nd - 1]);
    let strides = operand_strides(data, shape, full);
    let (sr, sc) = (strides[nd - 2], strides[nd - 1]);
    let (batch_shape, [batch_strides]) = collapse(&full[..nd - 2], [&strides[..nd - 2]]);
    let batch_stride = match batch_shape.len() {
        0 => Some(0),
        1 if batch_strides[0] >= 0 => Some(batch_strides[0] as i64),
        _ => None,
    };
    let row_major = (sc == 1 || c == 1) && (sr >= c as isize || r == 1);
    let col_major = (sr == 1 || r == 1) && (sc >= r as isize || c == 1);
    let layout = match (batch_stride, row_major, col_major) {
        (Some(stride), true, _) => Some((false, (sr as i64).max(c as i64).max(1), stride)),
        (Some(stride), false, true) => Some((true, (sc as i64).max(r as i64).max(1), stride)),
        _ => None,
    };
    if let Some((transposed, ld, batch_stride)) = layout {
        let base = data.view(data.offset, strides.clone());
        return Ok(Some(Matrix {
            ptr: device_address(&base, dtype, stream)?,
            rows: if transposed { r as u64 } else { c as u64 },
            cols: if transposed { c as u64 } else { r as u64 },
            ld,
            transposed,
            batch_stride,
            _copy: None,
        }));
    }
    let view = data.view(data.offset, strides);
    let Some(dense) = convert(&view, full, dtype, dtype, stream)? else {
        return Ok(None);
    };
    Ok(Some(Matrix {
        ptr: device_address(&dense, dtype, stream)?,
        rows: c as u64,
        cols: r as u64,
        ld: c.max(1) as i64,
        transposed: false,
        batch_stride: (r * c) as i64,
        _copy: Some(dense),
    }))
}

struct Layout(sys::cublasLtMatrixLayout_t);

impl Layout {
    fn new(
        dtype: sys::cudaDataType,
        rows: u64,
        cols: u64,
        ld: i64,
        batch: i32,
        stride: i64,
    ) -> Result<Layout> {
        let layout = lt::create_matrix_layout(dtype, rows, cols, ld)
            .map_err(|e| cublas_error("cublasLtMatrixLayoutCreate", e))?;
        let layout = Layout(layout);
        if batch > 1 {
            // SAFETY: the attributes take an i32 and an i64.
            unsafe {
                lt::set_matrix_layout_attribute(layout.0, sys::cublasLtMatrixLayoutAttribute_t::CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &batch as *const i32 as *const c_void, 4)
                    .and_then(|_| lt::set_matrix_layout_attribute(layout.0, sys::cublasLtMatrixLayoutAttribute_t::CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, &stride as *const i64 as *const c_void, 8))
            }
            .map_err(|e| cublas_error("cublasLtMatrixLayoutSetAttribute", e))?;
        }
        Ok(layout)
    }
}

impl Drop for Layout {
    fn drop(&mut self) {
        // SAFETY: created by cublasLtMatrixLayoutCreate and dropped once.
        let _ = unsafe { lt::destroy_matrix_layout(self.0) };
    }
}

/// `alpha * (a @ b) + beta * c` on the GPU; every operand has the output's batch shape.
#[allow(clippy::too_many_arguments)]
pub(crate) fn matmul(
    a: (&Data, &[usize]),
    b: (&Data, &[usize]),
    c: Option<(&Data, &[usize])>,
    alpha: f64,
    beta: f64,
    dtype: Dtype,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    // Real products scale in float32, complex ones in complex64.
    let (data_type, scale_type) = match dtype {
        Dtype::Float32 => (sys::cudaDataType::CUDA_R_32F, sys::cudaDataType::CUDA_R_32F),
        Dtype::Float16 => (sys::cudaDataType::CUDA_R_16F, sys::cudaDataType::CUDA_R_32F),
        Dtype::Bfloat16 => (
            sys::cudaDataType::CUDA_R_16BF,
            sys::cudaDataType::CUDA_R_32F,
        ),
        Dtype::Complex64 => (sys::cudaDataType::CUDA_C_32F, sys::cudaDataType::CUDA_C_32F),
        _ => return Ok(None),
    };
    let nd = out_shape.len();
    let (m, n) = (out_shape[nd - 2], out_shape[nd - 1]);
    let k = a.1[a.1.len() - 1];
    let batch: usize = out_shape[..nd - 2].iter().product();
    let (out, out_ptr) = allocate(out_shape, dtype, stream)?;
    if m == 0 || n == 0 || batch == 0 {
        return Ok(Some(out));
    }
    let mut a_full = out_shape[..nd - 2].to_vec();
    a_full.extend([m, k]);
    let mut b_full = out_shape[..nd - 2].to_vec();
    b_full.extend([k, n]);
    // Column-major D^T (n x m) = B^T (n x k) * A^T (k x m).
    let (Some(lhs), Some(rhs)) = (
        transposed_view(b.0, b.1, &b_full, dtype, stream)?,
        transposed_view(a.0, a.1, &a_full, dtype, stream)?,
    ) else {
        return Ok(None);
    };
    let bias = match c {
        Some((c_data, c_shape)) if beta != 0.0 => {
            let view = c_data.view(c_data.offset, operand_strides(c_data, c_shape, out_shape));
            match convert(&view, out_shape, dtype, dtype, stream)? {
                Some(dense) => Some(dense),
                None => return Ok(None),
            }
        }
        _ => None,
    };
    let handle = handle()?;
    let tf32 = dtype == Dtype::Float32 && TF32.load(Ordering::Relaxed);
    let compute = if tf32 {
        sys::cublasComputeType_t::CUBLAS_COMPUTE_32F_FAST_TF32
    } else {
        sys::cublasComputeType_t::CUBLAS_COMPUTE_32F
    };
    let desc = lt::create_matmul_desc(compute, scale_type)
        .map_err(|e| cublas_error("cublasLtMatmulDescCreate", e))?;
    let batch_count = batch as i32;
    let outcome = (|| -> Result<()> {
        for (attribute, transposed) in [
            (
                sys::cublasLtMatmulDescAttributes_t::CUBLASLT_MATMUL_DESC_TRANSA,
                lhs.transposed,
            ),
            (
                sys::cublasLtMatmulDescAttributes_t::CUBLASLT_MATMUL_DESC_TRANSB,
                rhs.transposed,
            ),
        ] {
            let operation: i32 = transposed as i32;
            // SAFETY: the transpose attributes take a cublasOperation_t (an i32).
            unsafe {
                lt::set_matmul_desc_attribute(
                    desc,
                    attribute,
                    &operation as *const i32 as *const c_void,
                    4,
                )
            }
            .map_err(|e| cublas_error("cublasLtMatmulDescSetAttribute", e))?;
        }
        let lhs_layout = Layout::new(
            data_type,
            lhs.rows,
            lhs.cols,
            lhs.ld,
            batch_count,
            lhs.batch_stride,
        )?;
        let rhs_layout = Layout::new(
            data_type,
            rhs.rows,
            rhs.cols,
            rhs.ld,
            batch_count,
            rhs.batch_stride,
        )?;
        let out_layout = Layout::new(
            data_type,
            n as u64,
            m as u64,
            n as i64,
            batch_count,
            (m * n) as i64,
        )?;
        let preference = lt::create_matmul_pref()
            .map_err(|e| cublas_error("cublasLtMatmulPreferenceCreate", e))?;
        let workspace_bytes = WORKSPACE as u64;
        // SAFETY: the attribute takes a u64.
        let heuristic = unsafe {
            lt::set_matmul_pref_attribute(
                preference,
                sys::cublasLtMatmulPreferenceAttributes_t::CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                &workspace_bytes as *const u64 as *const c_void,
                8,
            )
            .and_then(|_| {
                lt::get_matmul_algo_heuristic(
                    handle,
                    desc,
                    lhs_layout.0,
                    rhs_layout.0,
                    out_layout.0,
                    out_layout.0,
                    preference,
                )
            })
        };
        // SAFETY: created above and not used after this.
        let _ = unsafe { lt::destroy_matmul_pref(preference) };
        let heuristic = heuristic.map_err(|e| cublas_error("cublasLtMatmulAlgoGetHeuristic", e))?;
        let workspace = DeviceBlock::allocate(WORKSPACE, stream)?;
        // As complex64 (a real scale type reads the first float only).
        let (alpha, beta) = (
            [alpha as f32, 0.0f32],
            [if bias.is_some() { beta as f32 } else { 0.0 }, 0.0f32],
        );
        let c_ptr = match &bias {
            Some(dense) => device_address(dense, dtype, stream)?,
            None => out_ptr,
        };
        // SAFETY: every pointer addresses device memory of the shapes in its layout, live
        // until the stream reaches the frees ordered after this call.
        unsafe {
            lt::matmul(
                handle,
                desc,
                alpha.as_ptr() as *const c_void,
                beta.as_ptr() as *const c_void,
                lhs.ptr as *const c_void,
                lhs_layout.0,
                rhs.ptr as *const c_void,
                rhs_layout.0,
                c_ptr as *const c_void,
                out_layout.0,
                out_ptr as *mut c_void,
                out_layout.0,
                &heuristic.algo,
                workspace.ptr as *mut c_void,
                WORKSPACE,
                stream.0 as sys::cudaStream_t,
            )
        }
        .map_err(|e| cublas_error("cublasLtMatmul", e))
    })();
    // SAFETY: created above and not used after this.
    let _ = unsafe { lt::destroy_matmul_desc(desc) };
    outcome?;
    Ok(Some(out))
}
