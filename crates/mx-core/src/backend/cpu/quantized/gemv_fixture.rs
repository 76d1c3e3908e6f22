//! Test data for the GEMV kernels: random packed weight rows and their exact products.

/// Deterministic values in `[-1, 1)`.
pub(super) fn noise(count: usize, seed: u64) -> Vec<f32> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect()
}

/// A row of `x` that tests the integer kernels' edges: a zero chunk, a chunk of tiny
/// values, a chunk with a large outlier and a chunk of a sparse few values.
pub(super) fn edge_row() -> Vec<f32> {
    let mut x = noise(512, 7);
    x[64..128].iter_mut().for_each(|v| *v = 0.0);
    x[128..192].iter_mut().for_each(|v| *v *= 1e-20);
    x[200] = 3e5;
    x[256..320].iter_mut().for_each(|v| *v *= 0.001);
    x[300] = 2.0;
    x[301] = -1.5;
    x
}

/// Rows of `x`, with their group sizes, that the integer kernels leave to the float path:
/// a length that is not a whole number of chunks, values that are not finite, and a
/// very sparse row.
pub(super) fn rows_for_the_float_path() -> Vec<(Vec<f32>, usize)> {
    let mut rows = vec![(noise(96, 1), 32)];
    for bad in [f32::NAN, f32::INFINITY] {
        let mut x = noise(128, 2);
        x[5] = bad;
        rows.push((x, 64));
    }
    let mut sparse = vec![0.0f32; 128];
    sparse.iter_mut().step_by(12).for_each(|v| *v = 1.0);
    rows.push((sparse, 64));
    rows
}

/// One weight row of random `bits`-bit codes with random scales and biases.
pub(super) struct WeightRow {
    pub(super) words: Vec<u32>,
    pub(super) scales: Vec<f32>,
    pub(super) biases: Vec<f32>,
    bits: usize,
    group_size: usize,
}

impl WeightRow {
    /// A row of `k` codes.
    pub(super) fn new(k: usize, bits: usize, group_size: usize, seed: u64) -> Self {
        let words = noise(k * bits / 32, seed)
            .iter()
            .map(|v| (v.to_bits()).wrapping_mul(2_654_435_761))
            .collect();
        let groups = k / group_size;
        WeightRow {
            words,
            scales: noise(groups, seed + 1).iter().map(|v| v * 0.1).collect(),
            biases: noise(groups, seed + 2).iter().map(|v| v * 0.5).collect(),
            bits,
            group_size,
        }
    }

    /// The error of `got` against the float64 product with `x`, relative to the sum of
    /// the magnitudes of the scale and bias terms: the kernels sum `scale · (codes · x)`
    /// and `bias · Σ x` apart, as MLX's do, so a weight `code · scale + bias` near zero
    /// leaves the rounding of its two larger terms.
    pub(super) fn relative_error(&self, x: &[f32], got: f32) -> f64 {
        let per_word = 32 / self.bits;
        let mask = (1u32 << self.bits) - 1;
        let (mut exact, mut size) = (0.0f64, 0.0f64);
        for (e, &v) in x.iter().enumerate() {
            let code = (self.words[e / per_word] >> (self.bits * (e % per_word))) & mask;
            let g = e / self.group_size;
            let (scaled, biased) = (
                code as f64 * self.scales[g] as f64 * v as f64,
                self.biases[g] as f64 * v as f64,
            );
            exact += scaled + biased;
            size += scaled.abs() + biased.abs();
        }
        (got as f64 - exact).abs() / size
    }
}
