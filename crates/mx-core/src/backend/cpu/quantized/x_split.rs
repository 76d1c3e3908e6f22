//! How a chunk of `x` is split for the integer GEMV kernels: the elements far larger than
//! the rest of their chunk are set aside, to be added in float, and the others share one
//! float factor, set by the largest of them, so that an outlier does not cost the rest of
//! its chunk their precision.

/// How many times its chunk's mean magnitude an element may be before it is an outlier.
const OUTLIER_RATIO: f32 = 8.0;

/// One chunk's split: which of its elements are outliers, and the largest magnitude of
/// the others.
pub(super) struct ChunkSplit {
    threshold: f32,
    /// The largest magnitude among the elements that are not outliers.
    pub(super) largest: f64,
}

impl ChunkSplit {
    /// Splits `chunk` (a whole number of eight-element blocks), whose first element is
    /// element `start` of its row, and appends its outliers to `outliers` as (position
    /// in the row, value). The sums and maxima run in eight lanes, which the compiler
    /// turns into vector instructions.
    ///
    /// # Safety
    /// The CPU must support AVX2 and FMA.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn new(
        chunk: &[f32],
        start: usize,
        outliers: &mut Vec<(usize, f32)>,
    ) -> Self {
        let mut sums = [0.0f32; 8];
        for block in chunk.chunks_exact(8) {
            for (sum, v) in sums.iter_mut().zip(block) {
                *sum += v.abs();
            }
        }
        let threshold = OUTLIER_RATIO * sums.iter().sum::<f32>() / chunk.len() as f32;
        let mut largest = [0.0f32; 8];
        for block in chunk.chunks_exact(8) {
            for (large, v) in largest.iter_mut().zip(block) {
                let size = v.abs();
                *large = if size > threshold {
                    *large
                } else {
                    large.max(size)
                };
            }
        }
        let split = ChunkSplit {
            threshold,
            largest: largest.iter().fold(0.0f32, |m, &v| m.max(v)) as f64,
        };
        outliers.extend(
            chunk
                .iter()
                .enumerate()
                .filter(|&(_, &v)| split.is_outlier(v))
                .map(|(e, &v)| (start + e, v)),
        );
        split
    }

    /// The magnitude above which an element is an outlier.
    pub(super) fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Whether `v`, an element of the chunk, is left to the float sum.
    pub(super) fn is_outlier(&self, v: f32) -> bool {
        v.abs() > self.threshold
    }
}

/// Whether a row of `len` elements has so many outliers (a very sparse `x`) that the float
/// path serves it better.
pub(super) fn too_many_outliers(count: usize, len: usize) -> bool {
    count > len / 16
}

/// `Σ code · scale · value` over the outliers of one row of `x`, against one weight row of
/// `bits`-bit codes packed in `words`, with a scale per group of `2^group_shift` elements.
pub(super) fn outlier_sum(
    outliers: &[(usize, f32)],
    words: &[u32],
    bits: usize,
    scales: &[f32],
    group_shift: u32,
) -> f32 {
    let per_word = 32 / bits;
    let mask = (1u32 << bits) - 1;
    outliers
        .iter()
        .map(|&(e, v)| {
            let code = (words[e / per_word] >> (bits * (e % per_word))) & mask;
            code as f32 * scales[e >> group_shift] * v
        })
        .sum()
}
