//! The primitives of the graph: one data-carrying enum, so that every backend's
//! `match` is checked for exhaustiveness by the compiler.

mod binary;
mod conv;
mod fast;
mod fft;
pub(crate) mod hadamard;
mod linalg;
mod quantized;
mod random;
mod reduce;
mod unary;

pub use binary::BinaryOp;
pub use conv::ConvParams;
pub use fast::{AttentionMask, FastOp};
pub use fft::FftKind;
pub use linalg::LinalgOp;
pub(crate) use quantized::{from_fp8, to_fp8, FP4_VALUES};
pub use quantized::{QuantizationFormat, QuantizationMode};
pub use random::RandomMath;
pub use reduce::{ArgReduceKind, ReduceKind};
pub use unary::UnaryOp;

/// An operation a backend knows how to run.
#[derive(Clone, Debug, PartialEq)]
pub enum Primitive {
    /// Elementwise op of one input.
    Unary(UnaryOp),
    /// Elementwise op of two inputs of one dtype, broadcast to the output shape.
    Binary(BinaryOp),
    /// Floor division and remainder together: two outputs.
    DivMod,
    /// `where(condition, x, y)`.
    Select,
    /// Cast to the output dtype.
    AsType,
    /// Reinterpret the bytes as the output dtype.
    View,
    /// `start + i * step` for each index of the 1-d output.
    Arange {
        /// First value.
        start: f64,
        /// Increment.
        step: f64,
    },
    /// View the input with stride 0 along broadcast dimensions.
    Broadcast,
    /// New shape with the same elements; a view when the layout allows.
    Reshape,
    /// Permute the axes (a view).
    Transpose(Vec<usize>),
    /// Basic slicing `start::step` per axis (a view); the output shape gives the stop.
    Slice {
        /// First index per axis.
        start: Vec<usize>,
        /// Step per axis, possibly negative.
        step: Vec<isize>,
    },
    /// Copy into a fresh row-major buffer.
    Contiguous,
    /// Reduce over `axes`; the output keeps them as size-1 dimensions.
    Reduce {
        /// The combining rule.
        kind: ReduceKind,
        /// Sorted axes to reduce.
        axes: Vec<usize>,
    },
    /// Index of the largest or smallest element along `axis` (kept as size 1), as uint32.
    ArgReduce {
        /// Which index.
        kind: ArgReduceKind,
        /// The axis.
        axis: usize,
    },
    /// Softmax over the last axis, computed in one pass per row.
    Softmax {
        /// Accumulate half-precision inputs in float32.
        precise: bool,
    },
    /// float32 `log(sum(exp(x)))` over the last axis in one pass per row (kept as size 1).
    LogSumExp,
    /// `a @ b` over broadcast batch axes; inputs `[..., M, K]` and `[..., K, N]`.
    Matmul,
    /// `alpha * (a @ b) + beta * c`; inputs `a`, `b` and `c` (of the output's shape).
    AddMm {
        /// Scale of the product.
        alpha: f64,
        /// Scale of `c`.
        beta: f64,
    },
    /// Cumulative reduction along an axis.
    Scan {
        /// The combining rule.
        kind: ScanKind,
        /// The axis.
        axis: usize,
        /// Scan from the end.
        reverse: bool,
        /// Include each element in its own result.
        inclusive: bool,
    },
    /// Stable sort along an axis (NaN last).
    Sort(usize),
    /// Indices (uint32) of a stable sort along an axis.
    ArgSort(usize),
    /// Joins the inputs along an axis.
    Concatenate(usize),
    /// A view of the row-major input with these element strides, from `offset`.
    AsStrided {
        /// Element strides of the output.
        strides: Vec<isize>,
        /// First element.
        offset: usize,
    },
    /// Inputs `x, idx_0, ..`: windows of `x` starting at the indices along `axes`.
    /// The output is the index shape followed by `window`.
    Gather {
        /// The axis each index array indexes.
        axes: Vec<usize>,
        /// The window taken at each index position, one size per axis of `x`.
        window: Vec<usize>,
    },
    /// Inputs `x, idx_0, .., updates`: a copy of `x` with windows of `updates` combined in.
    Scatter {
        /// How an update combines with the value it lands on.
        kind: ScatterKind,
        /// The axis each index array indexes.
        axes: Vec<usize>,
    },
    /// Input `key` (uint32 `[2]`): the first bytes of its Threefry stream as the output's
    /// uint8, uint16 or uint32 elements.
    RandomBits,
    /// An elementwise step of a random sampler, from the input's dtype to the output's.
    RandomMath(RandomMath),
    /// The input itself (a view of its data): the node a transform puts in front of each
    /// of its inputs, so it can tell them apart. Gradients pass through.
    Identity,
    /// The input itself, with no gradient flowing back through it.
    StopGradient,
    /// A fused op of `mx::fast`.
    Fast(FastOp),
    /// An unnormalised one-dimensional FFT of each row of a row-contiguous input.
    Fft(FftKind),
    /// The Walsh–Hadamard transform of each row of a row-contiguous float input, times
    /// `scale`; of the transposed matrix when `transpose` (the orders 20 and 28 are not
    /// symmetric).
    Hadamard {
        /// The factor applied in the last stage.
        scale: f32,
        /// Use `Hᵀ`.
        transpose: bool,
    },
    /// Inputs `w` (row-contiguous, float) and, for nvfp4, a float32 global scale: the
    /// packed codes, the scales and (affine) the biases.
    Quantize(QuantizationFormat),
    /// Inputs packed `w`, scales and (affine) biases of the output type, or (float modes)
    /// an optional float32 global scale: the float matrix.
    Dequantize(QuantizationFormat),
    /// Inputs `x` (`[.., M, K]`), packed `w`, scales and (affine) biases, all of the
    /// output type but `w` and float-mode scales: `x @ Wᵀ` or `x @ W`.
    QuantizedMatmul {
        /// The quantization of `w`.
        format: QuantizationFormat,
        /// Multiply by the transpose of `W`.
        transpose: bool,
    },
    /// Inputs `x` (`[N, *S, C]`) and `w` (`[O, *K, C / groups]`), both row-contiguous
    /// and of the output type: the channels-last convolution.
    Conv(ConvParams),
    /// A factorisation or inverse of the last two axes (CPU only).
    Linalg(LinalgOp),
    /// Floats to E4M3 bytes.
    ToFp8,
    /// E4M3 bytes to floats.
    FromFp8,
    /// A call of a function with custom transform rules: inputs are the arguments then the
    /// function's outputs, which it passes through.
    Custom(crate::transforms::CustomRef),
    /// Reads a tensor from a loaded file (no inputs; one output, or the three of MLX's
    /// affine triplet for a GGUF quantized tensor). Always on the CPU stream, as in MLX.
    Load(std::sync::Arc<crate::io::LoadSource>),
}

/// The combining rule of a cumulative scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanKind {
    /// cumsum.
    Sum,
    /// cumprod.
    Prod,
    /// cummax.
    Max,
    /// cummin.
    Min,
    /// logcumsumexp.
    LogAddExp,
}

/// How a scatter combines an update with the current value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScatterKind {
    /// Overwrite; the last duplicate wins.
    Set,
    /// Accumulate by addition.
    Add,
    /// Accumulate by multiplication.
    Prod,
    /// Keep the larger.
    Max,
    /// Keep the smaller.
    Min,
}

impl Primitive {
    /// The name MLX uses for the op, for messages.
    pub fn name(&self) -> String {
        match self {
            Primitive::Unary(op) => op.name().to_string(),
            Primitive::Binary(op) => op.name().to_string(),
            Primitive::DivMod => "divmod".into(),
            Primitive::Select => "where".into(),
            Primitive::AsType => "astype".into(),
            Primitive::View => "view".into(),
            Primitive::Arange { .. } => "arange".into(),
            Primitive::Broadcast => "broadcast_to".into(),
            Primitive::Reshape => "reshape".into(),
            Primitive::Transpose(_) => "transpose".into(),
            Primitive::Slice { .. } => "slice".into(),
            Primitive::Contiguous => "contiguous".into(),
            Primitive::Reduce { kind, .. } => kind.name().into(),
            Primitive::ArgReduce { kind, .. } => kind.name().into(),
            Primitive::Softmax { .. } => "softmax".into(),
            Primitive::LogSumExp => "logsumexp".into(),
            Primitive::Matmul => "matmul".into(),
            Primitive::AddMm { .. } => "addmm".into(),
            Primitive::Concatenate(_) => "concatenate".into(),
            Primitive::Scan { kind, .. } => match kind {
                ScanKind::Sum => "cumsum",
                ScanKind::Prod => "cumprod",
                ScanKind::Max => "cummax",
                ScanKind::Min => "cummin",
                ScanKind::LogAddExp => "logcumsumexp",
            }
            .into(),
            Primitive::Sort(_) => "sort".into(),
            Primitive::ArgSort(_) => "argsort".into(),
            Primitive::AsStrided { .. } => "as_strided".into(),
            Primitive::Gather { .. } => "gather".into(),
            Primitive::Scatter { .. } => "scatter".into(),
            Primitive::RandomBits => "bits".into(),
            Primitive::RandomMath(step) => step.name().into(),
            Primitive::Identity => "identity".into(),
            Primitive::StopGradient => "stop_gradient".into(),
            Primitive::Custom(_) => "custom_function".into(),
            Primitive::Load(_) => "load".into(),
            Primitive::Fast(op) => op.name().into(),
            Primitive::Fft(kind) => kind.name().into(),
            Primitive::Hadamard { .. } => "hadamard_transform".into(),
            Primitive::Quantize(_) => "quantize".into(),
            Primitive::Dequantize(_) => "dequantize".into(),
            Primitive::QuantizedMatmul { .. } => "quantized_matmul".into(),
            Primitive::ToFp8 => "to_fp8".into(),
            Primitive::Conv(_) => "convolution".into(),
            Primitive::Linalg(op) => op.name().into(),
            Primitive::FromFp8 => "from_fp8".into(),
        }
    }
}
