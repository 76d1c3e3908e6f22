//! float32 vector-matrix products (`x @ W` with one row in `x`), which are bound by
//! reading `W` once: the `gemm` crate's packing costs more than the product itself here.

use super::simd::multiversion;
use super::strided::{parallel_items, SendPtr};

/// Columns per task: a block of the output stays in L1 while all rows stream past.
const BLOCK: usize = 1024;

multiversion! {
    /// `out += s[0] * r0 + s[1] * r1 + s[2] * r2 + s[3] * r3`: four rows per pass over `out`.
    fn axpy4_f32(s: [f32; 4], r0: &[f32], r1: &[f32], r2: &[f32], r3: &[f32], out: &mut [f32]) -> () {
        let n = out.len();
        let (r0, r1, r2, r3) = (&r0[..n], &r1[..n], &r2[..n], &r3[..n]);
        for i in 0..n {
            out[i] += s[0] * r0[i] + s[1] * r1[i] + s[2] * r2[i] + s[3] * r3[i];
        }
    }
}

multiversion! {
    /// `sum(a[i] * b[i])` with independent partial sums.
    fn dot_f32(a: &[f32], b: &[f32]) -> f32 {
        const LANES: usize = 64;
        let mut lanes = [0.0f32; LANES];
        let (ca, ta) = a.as_chunks::<LANES>();
        let (cb, tb) = b.as_chunks::<LANES>();
        for (x, y) in ca.iter().zip(cb) {
            for i in 0..LANES {
                lanes[i] += x[i] * y[i];
            }
        }
        lanes.iter().sum::<f32>() + ta.iter().zip(tb).map(|(x, y)| x * y).sum::<f32>()
    }
}

/// `out[j] = sum_k x[k] * w[k, j]` for a `k × n` matrix `w` with unit stride along one axis
/// (`row_stride` between rows and `col_stride` between columns, one of them 1) and a
/// contiguous `x`. Returns false, doing nothing, for other layouts.
///
/// # Safety
/// `x` holds `k` elements and `w` addresses every `(row, col)` through its strides.
pub(crate) unsafe fn vecmat_f32(
    x: *const f32,
    w: *const f32,
    row_stride: isize,
    col_stride: isize,
    k: usize,
    n: usize,
    out: *mut f32,
) -> bool {
    let x = unsafe { std::slice::from_raw_parts(x, k) };
    let (w, out) = (SendPtr(w as *mut f32), SendPtr(out));
    if col_stride == 1 && row_stride >= n as isize {
        parallel_items(n.div_ceil(BLOCK), BLOCK * k, |first, last| {
            for block in first..last {
                let (start, end) = (block * BLOCK, ((block + 1) * BLOCK).min(n));
                // SAFETY: each block owns its output columns; rows are read in bounds.
                let acc =
                    unsafe { std::slice::from_raw_parts_mut(out.at(start as isize), end - start) };
                acc.fill(0.0);
                let len = end - start;
                // SAFETY: row `r` of the block is `len` elements of `w` in bounds.
                let row = |r: usize| unsafe {
                    std::slice::from_raw_parts(w.at(r as isize * row_stride + start as isize), len)
                };
                let zeros = vec![0.0f32; len];
                for first_row in (0..k).step_by(4) {
                    let pick = |i: usize| {
                        if first_row + i < k {
                            (x[first_row + i], row(first_row + i))
                        } else {
                            (0.0, &zeros[..])
                        }
                    };
                    let (p0, p1, p2, p3) = (pick(0), pick(1), pick(2), pick(3));
                    axpy4_f32([p0.0, p1.0, p2.0, p3.0], p0.1, p1.1, p2.1, p3.1, acc);
                }
            }
        });
        return true;
    }
    if row_stride == 1 && col_stride >= k as isize {
        parallel_items(n, k, |first, last| {
            for col in first..last {
                // SAFETY: column `col` is `k` contiguous elements of `w`.
                let column =
                    unsafe { std::slice::from_raw_parts(w.at(col as isize * col_stride), k) };
                unsafe { *out.at(col as isize) = dot_f32(x, column) };
            }
        });
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(x: &[f32], w: &[f32], rs: usize, cs: usize, k: usize, n: usize) -> Vec<f64> {
        (0..n)
            .map(|j| {
                (0..k)
                    .map(|r| x[r] as f64 * w[r * rs + j * cs] as f64)
                    .sum()
            })
            .collect()
    }

    #[test]
    fn both_layouts_match_a_float64_reference() {
        let (k, n) = (37, 2100);
        let x: Vec<f32> = (0..k).map(|i| (i % 7) as f32 - 3.0).collect();
        let w: Vec<f32> = (0..k * n)
            .map(|i| ((i * 13) % 29) as f32 * 0.25 - 3.0)
            .collect();
        for (rs, cs) in [(n, 1), (1, k)] {
            let mut out = vec![f32::NAN; n];
            // SAFETY: `w` holds `k * n` elements addressed by either stride pair.
            let done = unsafe {
                vecmat_f32(
                    x.as_ptr(),
                    w.as_ptr(),
                    rs as isize,
                    cs as isize,
                    k,
                    n,
                    out.as_mut_ptr(),
                )
            };
            assert!(done);
            for (got, want) in out.iter().zip(reference(&x, &w, rs, cs, k, n)) {
                assert!((*got as f64 - want).abs() < 1e-3, "{got} vs {want}");
            }
        }
    }
}
