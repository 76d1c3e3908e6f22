//! The convolution primitive's parameters.

/// A channels-last convolution over 1–3 spatial axes: input `[N, *S, C]`, weight
/// `[O, *K, C / groups]`, output `[N, *S_out, O]`. Every list has one entry per spatial
/// axis; padding is never negative here (the op slices the input instead).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ConvParams {
    /// Output step per axis.
    pub stride: Vec<usize>,
    /// Zeros before the (dilated) input per axis.
    pub padding_lo: Vec<usize>,
    /// Zeros after the (dilated) input per axis.
    pub padding_hi: Vec<usize>,
    /// Spacing between kernel taps per axis.
    pub kernel_dilation: Vec<usize>,
    /// Spacing between input elements per axis (zeros between them).
    pub input_dilation: Vec<usize>,
    /// Channel groups.
    pub groups: usize,
    /// Reverse the kernel along every spatial axis (a true convolution).
    pub flip: bool,
}

impl ConvParams {
    /// The number of spatial axes.
    pub fn spatial(&self) -> usize {
        self.stride.len()
    }

    /// The output's spatial size along axis `i` for an input of size `length` and a
    /// kernel of size `kernel` (at least 1 when the window fits, as MLX's truncating
    /// division gives).
    pub(crate) fn output_size(&self, i: usize, length: usize, kernel: usize) -> i64 {
        let dilated = |n: usize, d: usize| {
            if n == 0 {
                0
            } else {
                (n as i64 - 1) * d as i64 + 1
            }
        };
        let input = dilated(length, self.input_dilation[i]);
        let window = dilated(kernel, self.kernel_dilation[i]);
        let span = input + self.padding_lo[i] as i64 + self.padding_hi[i] as i64 - window;
        span / self.stride[i] as i64 + 1
    }
}
