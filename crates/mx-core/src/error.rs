//! The one error type of mx.

use std::fmt;

/// Every fallible mx function returns `Result<T, Error>`.
///
/// Messages follow MLX's style: the op name in brackets, then what was wrong,
/// e.g. `[broadcast_shapes] Shapes (3) and (4) cannot be broadcast.`
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// Shapes that do not fit the op (broadcasting, reshape, axes).
    Shape(String),
    /// A dtype the op does not support, or a failed conversion.
    Dtype(String),
    /// Any other invalid argument (bad axis, bad step, bad index, value out of range).
    InvalidArgument(String),
    /// An allocation would exceed the memory limit or the system refused it.
    OutOfMemory(String),
    /// A device or stream that is not available (e.g. a GPU without the CUDA backend).
    Device(String),
    /// An error raised while evaluating the graph that is not one of the above.
    Eval(String),
    /// A file that cannot be read or written, or whose contents are malformed; the message
    /// names the file and the problem.
    Io(String),
}

impl Error {
    /// The message without the variant name.
    pub fn message(&self) -> &str {
        match self {
            Error::Shape(m)
            | Error::Dtype(m)
            | Error::InvalidArgument(m)
            | Error::OutOfMemory(m)
            | Error::Device(m)
            | Error::Eval(m)
            | Error::Io(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

/// Shorthand used throughout mx.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Formats a shape (or a list of axes) the way MLX prints it in messages: `(2,3)`.
pub(crate) fn shape_str<T: std::fmt::Display>(shape: &[T]) -> String {
    let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    format!("({})", parts.join(","))
}
