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
    /// Splits `chunk`, whose first element is element `start` of its row, and appends its
    /// outliers to `outliers` as (position in the row, value).
    pub(super) fn new(chunk: &[f32], start: usize, outliers: &mut Vec<(usize, f32)>) -> Self {
        let threshold =
            OUTLIER_RATIO * chunk.iter().map(|v| v.abs()).sum::<f32>() / chunk.len() as f32;
        let split = ChunkSplit {
            threshold,
            largest: 0.0,
        };
        outliers.extend(
            chunk
                .iter()
                .enumerate()
                .filter(|&(_, &v)| split.is_outlier(v))
                .map(|(e, &v)| (start + e, v)),
        );
        let largest = chunk
            .iter()
            .filter(|&&v| !split.is_outlier(v))
            .fold(0.0f32, |m, v| m.max(v.abs())) as f64;
        ChunkSplit { largest, ..split }
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
