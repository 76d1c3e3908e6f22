//! The quantized matrix product `x @ Wᵀ` (or `x @ W`) in float32, decoding the packed
//! weights group by group: the dense matrix is never formed, except for long inputs
//! (more than `GEMM_ROWS` rows), where one dense float32 copy per batch feeds a GEMM.

use super::by_float;
use super::codec::{element_value, unpack};
use crate::array::Data;
use crate::backend::cpu::fast::Widen;
use crate::backend::cpu::simd::multiversion;
use crate::backend::cpu::strided::{parallel_items, SendPtr};
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::{from_fp8, QuantizationFormat, QuantizationMode};

/// Rows of `x` from which a dense weight copy and a GEMM beat decoding per row.
const GEMM_ROWS: usize = 16;

/// The product of row-contiguous `x` (`[.., M, K]`, of the output type) with packed `w`,
/// its scales and (affine) biases, batched over the output's leading axes.
pub(crate) fn quantized_matmul(
    inputs: &[Data],
    shapes: &[&[usize]],
    format: QuantizationFormat,
    transpose: bool,
    out_dtype: Dtype,
    out_shape: &[usize],
) -> Result<Data> {
    by_float!(out_dtype, "quantized_matmul", T => {
        Product::<T>::new(inputs, shapes, format, transpose, out_shape).run()
    })
}

struct Product<'a, T> {
    inputs: &'a [Data],
    format: QuantizationFormat,
    transpose: bool,
    batches: usize,
    weight_batched: bool,
    m: usize,
    n: usize,
    k: usize,
    out_shape: &'a [usize],
    _element: std::marker::PhantomData<T>,
}

/// The dequantized weight `W[row, col]` of one batch, in float32: rows are the packed
/// axis (`N` with `transpose`, else `K`).
struct Weights<'a> {
    words: &'a [u32],
    scales: *const u8,
    biases: *const u8,
    row_words: usize,
    groups: usize,
    format: QuantizationFormat,
}

// SAFETY: the weights are only read, and their buffers outlive the product.
unsafe impl Sync for Weights<'_> {}

impl Weights<'_> {
    /// Row `r`'s columns `[start, start + out.len())` (group-aligned) into `out`.
    fn decode<T: Widen>(&self, r: usize, start: usize, out: &mut [f32]) {
        let QuantizationFormat {
            mode,
            group_size,
            bits,
        } = self.format;
        let words = &self.words[r * self.row_words..(r + 1) * self.row_words];
        for (offset, chunk) in out.chunks_mut(group_size).enumerate() {
            let g = start / group_size + offset;
            let at = r * self.groups + g;
            let first = g * group_size;
            if mode == QuantizationMode::Affine {
                // SAFETY: one scale and bias of the element type per group.
                let (scale, bias) = unsafe {
                    (
                        (*(self.scales as *const T).add(at)).to_f32(),
                        (*(self.biases as *const T).add(at)).to_f32(),
                    )
                };
                for (i, o) in chunk.iter_mut().enumerate() {
                    *o = unpack(words, bits, first + i) as f32 * scale + bias;
                }
            } else {
                // SAFETY: one scale byte per group.
                let scale = group_factor(mode, unsafe { *self.scales.add(at) });
                for (i, o) in chunk.iter_mut().enumerate() {
                    *o = element_value(mode, unpack(words, bits, first + i)) * scale;
                }
            }
        }
    }
}

/// The factor of a float mode's scale byte in the product (MLX's kernels read E8M0 byte 0
/// as 2^-127 and 255 as infinity).
fn group_factor(mode: QuantizationMode, byte: u8) -> f32 {
    match mode {
        QuantizationMode::Nvfp4 => from_fp8(byte),
        _ if byte == 0 => f32::from_bits(0x0020_0000),
        _ => f32::from_bits((byte as u32) << 23),
    }
}

/// `values` as float32 when `T` is float32 (read in place rather than converted).
fn float32_view<T: Widen>(values: &[T]) -> Option<&[f32]> {
    // SAFETY: `T` is float32, so the slice is one of `f32`.
    (T::DTYPE == Dtype::Float32)
        .then(|| unsafe { std::slice::from_raw_parts(values.as_ptr() as *const f32, values.len()) })
}

/// One weight row of affine 4- or 8-bit codes against one prepared row of `x`.
pub(super) struct AffineRow<'a> {
    /// The row's packed words.
    words: &'a [u32],
    /// The row's scales, one per group, as float32.
    scales: &'a [f32],
    /// The row's biases, one per group, as float32.
    biases: &'a [f32],
    /// The `x` row, each group permuted so that element `j` of every word sits in
    /// block `j` (each shift is then one constant for a whole vector of words).
    permuted: &'a [f32],
    /// The sum of each group of `x` (for the biases).
    sums: &'a [f32],
    group_size: usize,
    bits: u32,
}

/// `Σ_g scale_g (codes_g · x_g)` with `BITS`-bit codes, accumulated in eight lanes that
/// are summed once per row.
#[inline(always)]
fn scaled_dots<const BITS: u32>(row: &AffineRow<'_>) -> f32 {
    let per_word = (32 / BITS) as usize;
    let mask = (1u32 << BITS) - 1;
    let count = row.group_size / per_word;
    let mut total = [0.0f32; 8];
    let mut rest = 0.0f32;
    for (g, (words, xs)) in row
        .words
        .chunks_exact(count)
        .zip(row.permuted.chunks_exact(row.group_size))
        .enumerate()
    {
        let mut lanes = [0.0f32; 8];
        let mut tail = 0.0f32;
        for j in 0..per_word {
            let shift = BITS * j as u32;
            let block = &xs[j * count..(j + 1) * count];
            let mut w8 = words.chunks_exact(8);
            let mut x8 = block.chunks_exact(8);
            for (w, x) in (&mut w8).zip(&mut x8) {
                let (w, x): (&[u32; 8], &[f32; 8]) = (
                    w.try_into().unwrap_or(&[0; 8]),
                    x.try_into().unwrap_or(&[0.0; 8]),
                );
                for l in 0..8 {
                    lanes[l] += ((w[l] >> shift) & mask) as f32 * x[l];
                }
            }
            for (w, x) in w8.remainder().iter().zip(x8.remainder()) {
                tail += ((w >> shift) & mask) as f32 * x;
            }
        }
        let scale = row.scales[g];
        for l in 0..8 {
            total[l] += scale * lanes[l];
        }
        rest += scale * tail;
    }
    total.iter().sum::<f32>() + rest
}

multiversion! {
    /// `Σ_g scale_g (codes_g · x_g) + bias_g Σ x_g` for one row, decoding the codes in
    /// registers.
    fn affine_row(row: &AffineRow<'_>) -> f32 {
        let dots = if row.bits == 4 {
            scaled_dots::<4>(row)
        } else {
            scaled_dots::<8>(row)
        };
        let biases: f32 = row.biases.iter().zip(row.sums).map(|(b, s)| b * s).sum();
        dots + biases
    }
}

multiversion! {
    /// `Σ a · b` in sixteen float32 lanes.
    fn dot(a: &[f32], b: &[f32]) -> f32 {
        let mut lanes = [0.0f32; 16];
        for (x, y) in a.chunks(16).zip(b.chunks(16)) {
            for ((lane, &p), &q) in lanes.iter_mut().zip(x).zip(y) {
                *lane += p * q;
            }
        }
        lanes.iter().sum()
    }
}

/// One row of `x` prepared for the affine 4/8-bit path: each group permuted for
/// [`affine_row`], and its sum (for the biases).
struct PreparedRow {
    permuted: Vec<f32>,
    sums: Vec<f32>,
}

fn prepare(x: &[f32], group_size: usize, bits: usize) -> PreparedRow {
    let per_word = 32 / bits;
    let count = group_size / per_word;
    let mut permuted = vec![0.0f32; x.len()];
    let mut sums = Vec::with_capacity(x.len() / group_size);
    for (g, group) in x.chunks(group_size).enumerate() {
        let out = &mut permuted[g * group_size..(g + 1) * group_size];
        for (e, &v) in group.iter().enumerate() {
            out[(e % per_word) * count + e / per_word] = v;
        }
        sums.push(group.iter().sum());
    }
    PreparedRow { permuted, sums }
}

/// The rows of `x` prepared for the product with one weight row of affine 4- or 8-bit
/// codes at a time.
enum AffineRows {
    /// Affine 8-bit codes on AVX2: integer dot products.
    #[cfg(target_arch = "x86_64")]
    Integer(Vec<super::qmv_int::IntRow>),
    /// Affine 4-bit codes on AVX2: integer dot products with three int8 digits of `x`.
    #[cfg(target_arch = "x86_64")]
    Nibble(Vec<super::qmv_nibble::NibbleRow>),
    /// Elsewhere: codes decoded in registers.
    Float(Vec<PreparedRow>),
}

/// Every row of `x` (rows of `k`) in one kernel's form, or `None` if a row does not fit it.
#[cfg(target_arch = "x86_64")]
fn each_row<R>(x: &[f32], k: usize, form: impl Fn(&[f32]) -> Option<R>) -> Option<Vec<R>> {
    x.chunks(k).map(form).collect()
}

impl AffineRows {
    /// The fastest kernel for `format` that takes every row of `x` (rows of `k`), or
    /// `None` for formats whose weight rows are decoded to float32 and dotted with `x`.
    fn choose(format: QuantizationFormat, x: &[f32], k: usize) -> Option<Self> {
        let QuantizationFormat {
            mode,
            group_size,
            bits,
        } = format;
        if mode != QuantizationMode::Affine || (bits != 4 && bits != 8) {
            return None;
        }
        // The integer kernels' `prepare` refuse rows (and CPUs without AVX2) they cannot take.
        #[cfg(target_arch = "x86_64")]
        if bits == 8 {
            if let Some(rows) = each_row(x, k, |row| super::qmv_int::prepare(row, group_size)) {
                return Some(AffineRows::Integer(rows));
            }
        } else if let Some(rows) = each_row(x, k, |row| super::qmv_nibble::prepare(row, group_size))
        {
            return Some(AffineRows::Nibble(rows));
        }
        Some(AffineRows::Float(
            x.chunks(k)
                .map(|row| prepare(row, group_size, bits))
                .collect(),
        ))
    }

    /// The products of one weight row of affine codes (its packed `words`, and its
    /// `scales` and `biases` as float32) with every row of `x`, into `values`.
    fn dots(
        &self,
        words: &[u32],
        scales: &[f32],
        biases: &[f32],
        format: QuantizationFormat,
        values: &mut [f32],
    ) {
        let group_size = format.group_size;
        match self {
            #[cfg(target_arch = "x86_64")]
            AffineRows::Integer(rows) => {
                for (value, row) in values.iter_mut().zip(rows) {
                    // SAFETY: `choose` prepared rows only on a CPU with AVX2 and FMA;
                    // `words` is the row's, and there is a scale and bias per group.
                    *value =
                        unsafe { super::qmv_int::row_dot(words, scales, biases, row, group_size) };
                }
            }
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above, with one value per row of `x`.
            AffineRows::Nibble(rows) => unsafe {
                super::qmv_nibble::row_dots(words, scales, biases, rows, group_size, values)
            },
            AffineRows::Float(rows) => {
                for (value, prep) in values.iter_mut().zip(rows) {
                    *value = affine_row(&AffineRow {
                        words,
                        scales,
                        biases,
                        permuted: &prep.permuted,
                        sums: &prep.sums,
                        group_size,
                        bits: format.bits as u32,
                    });
                }
            }
        }
    }
}

impl<'a, T: Widen> Product<'a, T> {
    fn new(
        inputs: &'a [Data],
        shapes: &[&[usize]],
        format: QuantizationFormat,
        transpose: bool,
        out_shape: &'a [usize],
    ) -> Self {
        let nd = out_shape.len();
        let (m, n) = (out_shape[nd - 2], out_shape[nd - 1]);
        let k = shapes[0][shapes[0].len() - 1];
        Product {
            inputs,
            format,
            transpose,
            batches: out_shape[..nd - 2].iter().product(),
            weight_batched: shapes[1].len() > 2,
            m,
            n,
            k,
            out_shape,
            _element: std::marker::PhantomData,
        }
    }

    fn weights(&self, batch: usize) -> Weights<'_> {
        let (rows, cols) = if self.transpose {
            (self.n, self.k)
        } else {
            (self.k, self.n)
        };
        let row_words = cols * self.format.bits / 32;
        let groups = cols / self.format.group_size;
        let b = if self.weight_batched { batch } else { 0 };
        let scale_size = if self.format.mode == QuantizationMode::Affine {
            T::DTYPE.size()
        } else {
            1
        };
        // SAFETY: the op passes row-contiguous weights, scales and biases holding every
        // batch (or one shared by all).
        unsafe {
            Weights {
                words: std::slice::from_raw_parts(
                    self.inputs[1].ptr::<u32>().add(b * rows * row_words),
                    rows * row_words,
                ),
                scales: if scale_size == 1 {
                    self.inputs[2].ptr::<u8>()
                } else {
                    self.inputs[2].ptr::<T>() as *const u8
                }
                .add(b * rows * groups * scale_size),
                biases: match self.inputs.get(3) {
                    Some(biases) => {
                        (biases.ptr::<T>() as *const u8).add(b * rows * groups * scale_size)
                    }
                    None => std::ptr::null(),
                },
                row_words,
                groups,
                format: self.format,
            }
        }
    }

    fn run(self) -> Result<Data> {
        let out = Data::allocate(self.out_shape, T::DTYPE)?;
        let (m, n, k) = (self.m, self.n, self.k);
        let dst = SendPtr(out.mut_ptr::<T>());
        let mut x = vec![0.0f32; m * k];
        let mut y = vec![0.0f32; m * n];
        for batch in 0..self.batches {
            // SAFETY: batch `batch` of the row-contiguous `x`.
            let source = unsafe {
                std::slice::from_raw_parts(self.inputs[0].ptr::<T>().add(batch * m * k), m * k)
            };
            for (v, &s) in x.iter_mut().zip(source) {
                *v = s.to_f32();
            }
            let weights = self.weights(batch);
            if self.transpose && m > GEMM_ROWS {
                self.dense_product(&weights, &x, &mut y)?;
            } else if self.transpose {
                self.rows_product(&weights, &x, &mut y);
            } else {
                self.columns_product(&weights, &x, &mut y);
            }
            // SAFETY: batch `batch` of the fresh output.
            let target =
                unsafe { std::slice::from_raw_parts_mut(dst.at((batch * m * n) as isize), m * n) };
            for (o, &v) in target.iter_mut().zip(&y) {
                *o = T::from_f32(v);
            }
        }
        Ok(out)
    }

    /// `x @ Wᵀ` for few rows of `x`: each weight row is decoded once, in registers for
    /// affine 4- and 8-bit codes.
    fn rows_product(&self, weights: &Weights<'_>, x: &[f32], y: &mut [f32]) {
        let (m, n, k) = (self.m, self.n, self.k);
        let affine = AffineRows::choose(self.format, x, k);
        let out = SendPtr(y.as_mut_ptr());
        parallel_items(n, k * m.max(1), |first, last| {
            // Sized on first use: the affine kernels need no decoded row, and float32
            // scales and biases are read in place.
            let (mut decoded, mut scales, mut biases) = (Vec::new(), Vec::new(), Vec::new());
            let mut values = vec![0.0f32; m];
            for r in first..last {
                if let Some(affine) = &affine {
                    let (groups, at) = (weights.groups, r * weights.groups);
                    // SAFETY: one scale and bias of the element type per group and row.
                    let (row_scales, row_biases) = unsafe {
                        (
                            std::slice::from_raw_parts(
                                (weights.scales as *const T).add(at),
                                groups,
                            ),
                            std::slice::from_raw_parts(
                                (weights.biases as *const T).add(at),
                                groups,
                            ),
                        )
                    };
                    let (row_scales, row_biases) =
                        match (float32_view(row_scales), float32_view(row_biases)) {
                            (Some(s), Some(b)) => (s, b),
                            _ => {
                                scales.clear();
                                scales.extend(row_scales.iter().map(|v| v.to_f32()));
                                biases.clear();
                                biases.extend(row_biases.iter().map(|v| v.to_f32()));
                                (&scales[..], &biases[..])
                            }
                        };
                    let words = &weights.words[r * weights.row_words..(r + 1) * weights.row_words];
                    affine.dots(words, row_scales, row_biases, self.format, &mut values);
                } else {
                    decoded.resize(k, 0.0);
                    weights.decode::<T>(r, 0, &mut decoded);
                    for (value, row) in values.iter_mut().zip(x.chunks(k)) {
                        *value = dot(row, &decoded);
                    }
                }
                for (row, &value) in values.iter().enumerate() {
                    // SAFETY: element (row, r) of `y`, written by this worker only.
                    unsafe { *out.at((row * n + r) as isize) = value };
                }
            }
        });
    }

    /// `x @ W` with `W` packed along its columns: each worker owns a block of output
    /// columns and accumulates decoded weight rows into it.
    fn columns_product(&self, weights: &Weights<'_>, x: &[f32], y: &mut [f32]) {
        let (m, n, k) = (self.m, self.n, self.k);
        let block = 256.max(self.format.group_size);
        let out = SendPtr(y.as_mut_ptr());
        parallel_items(n.div_ceil(block), block * k * m.max(1), |first, last| {
            let mut decoded = vec![0.0f32; block];
            for b in first..last {
                let start = b * block;
                let width = block.min(n - start);
                let mut acc = vec![0.0f32; m * width];
                for r in 0..k {
                    weights.decode::<T>(r, start, &mut decoded[..width]);
                    for row in 0..m {
                        let xv = x[row * k + r];
                        for (a, &d) in acc[row * width..(row + 1) * width].iter_mut().zip(&decoded)
                        {
                            *a += xv * d;
                        }
                    }
                }
                for row in 0..m {
                    for (j, &v) in acc[row * width..(row + 1) * width].iter().enumerate() {
                        // SAFETY: column block `b` of `y` belongs to this worker.
                        unsafe { *out.at((row * n + start + j) as isize) = v };
                    }
                }
            }
        });
    }

    /// `x @ Wᵀ` for many rows of `x`: one dense float32 copy of `W` and a GEMM.
    fn dense_product(&self, weights: &Weights<'_>, x: &[f32], y: &mut [f32]) -> Result<()> {
        let (m, n, k) = (self.m, self.n, self.k);
        let mut dense = Vec::new();
        dense.try_reserve_exact(n * k).map_err(|_| {
            Error::OutOfMemory(format!(
                "[quantized_matmul] Cannot allocate a {n}x{k} float32 weight copy."
            ))
        })?;
        dense.resize(n * k, 0.0f32);
        let rows = SendPtr(dense.as_mut_ptr());
        parallel_items(n, k, |first, last| {
            for r in first..last {
                // SAFETY: row `r` of the dense copy belongs to this worker.
                let row = unsafe { std::slice::from_raw_parts_mut(rows.at((r * k) as isize), k) };
                weights.decode::<T>(r, 0, row);
            }
        });
        // SAFETY: `x` is m x k, `dense` n x k (read as its transpose), `y` m x n.
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                y.as_mut_ptr(),
                1,
                n as isize,
                false,
                x.as_ptr(),
                1,
                k as isize,
                dense.as_ptr(),
                k as isize,
                1,
                0.0f32,
                1.0f32,
                false,
                false,
                false,
                gemm::Parallelism::Rayon(0),
            );
        }
        Ok(())
    }
}
