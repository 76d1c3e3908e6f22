//! The FFT primitive: one-dimensional transforms of the rows (last axis) of an array.

/// Which transform an FFT node runs along the last axis. Multi-axis and strided
/// transforms are compositions of these with transposes, so every backend only needs
/// batched row transforms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FftKind {
    /// complex64 → complex64, `X[k] = Σ x[j] e^{-2πijk/n}`.
    Forward,
    /// complex64 → complex64, the inverse, scaled by `1/n`.
    Inverse,
    /// float32 rows of length `n` → the first `n/2 + 1` complex64 coefficients.
    RealForward,
    /// The first `n/2 + 1` coefficients of a Hermitian spectrum (complex64) → float32
    /// rows of length `n` (the output's last axis), scaled by `1/n`.
    RealInverse,
}

impl FftKind {
    /// The name MLX's function for a one-axis transform of this kind has.
    pub fn name(self) -> &'static str {
        match self {
            FftKind::Forward => "fft",
            FftKind::Inverse => "ifft",
            FftKind::RealForward => "rfft",
            FftKind::RealInverse => "irfft",
        }
    }
}
