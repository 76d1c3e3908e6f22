//! Batched row FFTs with `rustfft`: each row of the row-contiguous input is one
//! unnormalised transform.

use super::strided::{parallel_items, SendPtr};
use crate::array::Data;
use crate::dtype::{Complex64, Dtype};
use crate::error::Result;
use crate::primitive::FftKind;
use rustfft::{Fft, FftPlanner};
use std::sync::Arc;

/// Runs `kind` over every row of the row-contiguous `input`. `n` is the transform
/// length: the input's last axis, or for `RealInverse` the output's.
pub(crate) fn fft_rows(
    kind: FftKind,
    input: &Data,
    in_shape: &[usize],
    out_shape: &[usize],
) -> Result<Data> {
    let out_dtype = match kind {
        FftKind::RealInverse => Dtype::Float32,
        _ => Dtype::Complex64,
    };
    let out = Data::allocate(out_shape, out_dtype)?;
    let in_row = in_shape.last().copied().unwrap_or(1);
    let out_row = out_shape.last().copied().unwrap_or(1);
    let rows: usize = out_shape[..out_shape.len().saturating_sub(1)]
        .iter()
        .product();
    let n = if kind == FftKind::RealInverse {
        out_row
    } else {
        in_row
    };
    if rows == 0 || n == 0 {
        return Ok(out);
    }
    let mut planner = FftPlanner::<f32>::new();
    let plan: Arc<dyn Fft<f32>> = match kind {
        FftKind::Forward | FftKind::RealForward => planner.plan_fft_forward(n),
        FftKind::Inverse | FftKind::RealInverse => planner.plan_fft_inverse(n),
    };
    // The input's offset counts elements of its own type.
    let src = SendPtr(match kind {
        FftKind::RealForward => input.ptr::<f32>() as *mut u8,
        _ => input.ptr::<Complex64>() as *mut u8,
    });
    let dst = SendPtr(out.mut_ptr::<u8>());
    parallel_items(rows, n * 8, |first, last| {
        let mut row = vec![Complex64::new(0.0, 0.0); n];
        let mut scratch = vec![Complex64::new(0.0, 0.0); plan.get_inplace_scratch_len()];
        for r in first..last {
            // SAFETY: row `r` of the row-contiguous input and of the fresh output are
            // disjoint between workers and inside their buffers.
            unsafe {
                load_row(kind, src.at(0), r, in_row, &mut row);
            }
            plan.process_with_scratch(&mut row, &mut scratch);
            // SAFETY: as above.
            unsafe {
                store_row(kind, &row, dst.at(0), r, out_row);
            }
        }
    });
    Ok(out)
}

/// Fills the `n`-point work row from input row `r` (of `in_row` elements).
///
/// # Safety
/// `src` must hold at least `r + 1` rows of `in_row` elements of the kind's input type.
unsafe fn load_row(kind: FftKind, src: *mut u8, r: usize, in_row: usize, row: &mut [Complex64]) {
    let n = row.len();
    match kind {
        FftKind::Forward | FftKind::Inverse => {
            let input = std::slice::from_raw_parts((src as *const Complex64).add(r * in_row), n);
            row.copy_from_slice(input);
        }
        FftKind::RealForward => {
            let input = std::slice::from_raw_parts((src as *const f32).add(r * in_row), n);
            for (z, &x) in row.iter_mut().zip(input) {
                *z = Complex64::new(x, 0.0);
            }
        }
        FftKind::RealInverse => {
            // The full Hermitian spectrum: X[n-k] = conj(X[k]). The imaginary parts of
            // X[0] and X[n/2] only reach the imaginary part of the result, which is
            // dropped, as pocketfft ignores them.
            let half =
                std::slice::from_raw_parts((src as *const Complex64).add(r * in_row), in_row);
            for (k, z) in row.iter_mut().enumerate() {
                *z = if k < in_row && k <= n / 2 {
                    half[k]
                } else if n - k < in_row {
                    half[n - k].conj()
                } else {
                    Complex64::new(0.0, 0.0)
                };
            }
        }
    }
}

/// Writes the transformed work row to output row `r` (of `out_row` elements).
///
/// # Safety
/// `dst` must hold at least `r + 1` rows of `out_row` elements of the kind's output type.
unsafe fn store_row(kind: FftKind, row: &[Complex64], dst: *mut u8, r: usize, out_row: usize) {
    if kind == FftKind::RealInverse {
        let output = std::slice::from_raw_parts_mut((dst as *mut f32).add(r * out_row), out_row);
        for (o, z) in output.iter_mut().zip(row) {
            *o = z.re;
        }
    } else {
        let output =
            std::slice::from_raw_parts_mut((dst as *mut Complex64).add(r * out_row), out_row);
        output.copy_from_slice(&row[..out_row]);
    }
}
