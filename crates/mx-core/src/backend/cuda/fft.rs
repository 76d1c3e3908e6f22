//! Batched row FFTs through cuFFT, with plans cached by transform, length and batch.

use super::context::context;
use super::elementwise::convert;
use super::launch::{allocate, device_address};
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::FftKind;
use cudarc::cufft::{result as cufft, sys};
use std::collections::HashMap;
use std::sync::Mutex;

struct Plan(sys::cufftHandle);
// SAFETY: a plan is only used under the cache's lock, which also sets its stream.
unsafe impl Send for Plan {}

/// A plan's key: transform, length and batch.
type PlanKey = (FftKind, i32, i32);

/// The plans made so far. A plan's creation costs far more than its execution.
static PLANS: Mutex<Option<HashMap<PlanKey, Plan>>> = Mutex::new(None);

fn fft_error(what: &str, e: cufft::CufftError) -> Error {
    Error::Device(format!("[fft] {what} failed: {e:?}."))
}

/// Runs `kind` over every row of the row-contiguous `input` (the unnormalised transform,
/// as `FftKind` defines it). `n` is the input's last axis, or the output's for
/// `RealInverse`.
pub(crate) fn fft_rows(
    kind: FftKind,
    input: &Data,
    in_shape: &[usize],
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    let (in_dtype, out_dtype, transform) = match kind {
        FftKind::Forward | FftKind::Inverse => (
            Dtype::Complex64,
            Dtype::Complex64,
            sys::cufftType::CUFFT_C2C,
        ),
        FftKind::RealForward => (Dtype::Float32, Dtype::Complex64, sys::cufftType::CUFFT_R2C),
        FftKind::RealInverse => (Dtype::Complex64, Dtype::Float32, sys::cufftType::CUFFT_C2R),
    };
    let (out, out_ptr) = allocate(out_shape, out_dtype, stream)?;
    let n = match kind {
        FftKind::RealInverse => out_shape.last().copied().unwrap_or(1),
        _ => in_shape.last().copied().unwrap_or(1),
    };
    let rows: usize = out_shape[..out_shape.len().saturating_sub(1)]
        .iter()
        .product();
    if rows == 0 || n == 0 {
        return Ok(Some(out));
    }
    let (Ok(length), Ok(batch)) = (i32::try_from(n), i32::try_from(rows)) else {
        return Err(Error::InvalidArgument(format!(
            "[fft] {rows} transforms of length {n} exceed cuFFT's 32-bit sizes."
        )));
    };
    // cuFFT's complex-to-real transforms overwrite their input.
    let copy = match kind {
        FftKind::RealInverse => match convert(input, in_shape, in_dtype, in_dtype, stream)? {
            Some(copy) => Some(copy),
            None => return Ok(None),
        },
        _ => None,
    };
    let in_ptr = device_address(copy.as_ref().unwrap_or(input), in_dtype, stream)?;
    context()?;
    let mut plans = PLANS.lock().unwrap_or_else(|p| p.into_inner());
    let plans = plans.get_or_insert_with(HashMap::new);
    let plan = match plans.get(&(kind, length, batch)) {
        Some(plan) => plan.0,
        None => {
            // SAFETY: only probes whether the library can be opened.
            if !unsafe { sys::is_culib_present() } {
                return Err(Error::Device(
                    "[fft] cuFFT (libcufft.so) was not found.".to_string(),
                ));
            }
            let in_row = in_shape.last().copied().unwrap_or(1) as i32;
            let out_row = out_shape.last().copied().unwrap_or(1) as i32;
            let mut dims = [length];
            // SAFETY: `dims` outlives the call; null embeds mean dense rows.
            let handle = unsafe {
                cufft::plan_many(
                    1,
                    dims.as_mut_ptr(),
                    std::ptr::null_mut(),
                    1,
                    in_row,
                    std::ptr::null_mut(),
                    1,
                    out_row,
                    transform,
                    batch,
                )
            }
            .map_err(|e| fft_error("cufftPlanMany", e))?;
            plans.insert((kind, length, batch), Plan(handle));
            handle
        }
    };
    // SAFETY: the plan is used under the lock; the buffers hold `rows` rows of the sizes
    // the plan was made for and stay alive until the stream has run the transform.
    unsafe {
        cufft::set_stream(plan, stream.0 as _).map_err(|e| fft_error("cufftSetStream", e))?;
        match kind {
            FftKind::Forward | FftKind::Inverse => {
                // cuFFT's CUFFT_FORWARD and CUFFT_INVERSE.
                let direction = if kind == FftKind::Forward { -1 } else { 1 };
                cufft::exec_c2c(plan, in_ptr as _, out_ptr as _, direction)
            }
            FftKind::RealForward => cufft::exec_r2c(plan, in_ptr as _, out_ptr as _),
            FftKind::RealInverse => cufft::exec_c2r(plan, in_ptr as _, out_ptr as _),
        }
        .map_err(|e| fft_error("cufftExec", e))?;
    }
    // Dropping `copy` is stream-ordered: its block is reused only after the transform.
    drop(copy);
    Ok(Some(out))
}
