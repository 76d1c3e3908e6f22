//! `rope`: rotary position embeddings, one fused pass over the input.

use crate::dtype::{Dtype, Scalar};
use crate::error::{shape_str, Error, Result};
use crate::ops::{
    add, arange, concatenate, cos, exp, multiply, reciprocal, sin, stack, subtract, Slice,
};
use crate::primitive::{FastOp, Primitive};
use crate::Array;

/// The position of a sequence's first element in [`rope`]: one for all, or an int array
/// (a scalar, or a vector with one per index of the input's first axis).
#[derive(Clone, Copy)]
pub enum RopeOffset<'a> {
    /// The same offset for every sequence.
    Int(i32),
    /// An integer array of offsets.
    Array(&'a Array),
}

impl From<i32> for RopeOffset<'_> {
    fn from(offset: i32) -> Self {
        RopeOffset::Int(offset)
    }
}

impl<'a> From<&'a Array> for RopeOffset<'a> {
    fn from(offset: &'a Array) -> Self {
        RopeOffset::Array(offset)
    }
}

/// The frequencies of [`rope`]: MLX's `base` or explicit `freqs`.
#[derive(Clone, Copy)]
pub enum RopeFrequencies<'a> {
    /// Pair `i` turns at `base^(-2i/dims)` radians per position.
    Base(f32),
    /// Pair `i` turns at `1 / freqs[i]` radians per position (`freqs` has `dims / 2`
    /// elements).
    Freqs(&'a Array),
}

/// Rotary position embedding of `x` (`[..., L, D]`, at least 3-d): feature pairs of the
/// first `dims` features of position `t` turn by `(offset + t) * scale * frequency`.
/// `traditional` pairs adjacent features; otherwise feature `i` pairs with `i + dims/2`.
/// The angles are float32; the rotation rounds to `x`'s dtype, as MLX does.
///
/// ```
/// use mx_core::{fast, fast::RopeFrequencies, ones, Dtype};
/// let x = ones(&[1, 2, 4], Dtype::Float32).unwrap();
/// let y = fast::rope(&x, 4, false, RopeFrequencies::Base(10000.0), 1.0, 0).unwrap();
/// let v = y.to_vec::<f32>().unwrap();
/// assert_eq!(&v[..4], &[1.0, 1.0, 1.0, 1.0]); // position 0 does not turn
/// ```
pub fn rope<'a>(
    x: &Array,
    dims: usize,
    traditional: bool,
    frequencies: RopeFrequencies,
    scale: f32,
    offset: impl Into<RopeOffset<'a>>,
) -> Result<Array> {
    let fail = |message: String| Err(Error::InvalidArgument(format!("[rope] {message}")));
    if x.ndim() < 3 {
        return fail(format!(
            "Input must have at least 3 dimensions but got input with {} dimensions.",
            x.ndim()
        ));
    }
    if !x.dtype().is_floating() {
        return Err(Error::Dtype(format!(
            "[rope] Input must be a floating type but got {}.",
            x.dtype()
        )));
    }
    let offset = match offset.into() {
        RopeOffset::Int(value) => Array::scalar_of(Scalar::Int(value.into()), Dtype::Int32)?,
        RopeOffset::Array(offset) => offset_array(offset, x)?,
    };
    let last = x.shape()[x.ndim() - 1];
    if dims == 0 {
        return fail("dims must be positive but got 0.".into());
    }
    if !dims.is_multiple_of(2) {
        return fail(format!("dims must be even but got {dims}."));
    }
    if dims > last {
        return fail(format!(
            "dims must not exceed the input's last dimension ({last}) but got {dims}."
        ));
    }
    let mut inputs = vec![x.contiguous()?, offset];
    let base = match frequencies {
        RopeFrequencies::Base(base) => Some(base),
        RopeFrequencies::Freqs(freqs) => {
            if freqs.ndim() != 1 || freqs.size() != dims / 2 {
                return fail(format!(
                    "freqs must be one dimensional with size {} but got shape {}.",
                    dims / 2,
                    shape_str(freqs.shape())
                ));
            }
            inputs.push(freqs.astype(Dtype::Float32)?.contiguous()?);
            None
        }
    };
    let op = FastOp::Rope {
        dims,
        traditional,
        base,
        scale,
    };
    Array::from_op(x.shape().to_vec(), x.dtype(), Primitive::Fast(op), inputs)
}

/// A checked offset array as int32: a scalar, or one per index of `x`'s first axis.
fn offset_array(offset: &Array, x: &Array) -> Result<Array> {
    if offset.ndim() > 1 {
        return Err(Error::InvalidArgument(format!(
            "[rope] offset must have at most one dimension but has shape {}.",
            shape_str(offset.shape())
        )));
    }
    if offset.ndim() == 1 && offset.size() != 1 && offset.size() != x.shape()[0] {
        return Err(Error::InvalidArgument(format!(
            "[rope] offset must be a scalar or vector with {} elements but has shape {}.",
            x.shape()[0],
            shape_str(offset.shape())
        )));
    }
    if !offset.dtype().is_integer() {
        return Err(Error::Dtype(format!(
            "[rope] offset must be an integer but got type {}.",
            offset.dtype()
        )));
    }
    offset.astype(Dtype::Int32)?.contiguous()
}

/// The composition of ordinary ops a rope node stands for (MLX's fallback): its transform
/// rules are this function's.
pub(crate) fn reference(op: &FastOp, inputs: &[Array]) -> Result<Array> {
    let FastOp::Rope {
        dims,
        traditional,
        base,
        scale,
    } = *op
    else {
        return Err(Error::InvalidArgument("[rope] not a rope node.".into()));
    };
    let (x, offset) = (&inputs[0], &inputs[1]);
    let (ndim, dtype) = (x.ndim(), x.dtype());
    let length = x.shape()[ndim - 2] as i64;
    let half = (dims / 2) as i64;
    let float = |v: f64| Array::scalar_of(Scalar::Float(v), Dtype::Float32);
    // A vector offset holds one position per index of the first axis.
    let offset = match offset.ndim() {
        0 => offset.astype(Dtype::Float32)?,
        _ => {
            let mut shape = vec![offset.size() as isize];
            shape.extend(std::iter::repeat_n(1, ndim - 2));
            offset.astype(Dtype::Float32)?.reshape(&shape)?
        }
    };
    let positions = multiply(
        &add(&arange(0, length, 1, Some(Dtype::Float32))?, &offset)?,
        &float(scale.into())?,
    )?;
    let inverse_frequencies = match base {
        Some(base) => {
            let step = base.ln() / half as f32;
            let exponents = arange(0, -half, -1, Some(Dtype::Float32))?;
            exp(&multiply(&exponents, &float(step.into())?)?)?
        }
        None => reciprocal(&inputs[2])?,
    };
    let theta = multiply(&positions.expand_dims(&[-1])?, &inverse_frequencies)?;
    let (c, s) = (cos(&theta)?.astype(dtype)?, sin(&theta)?.astype(dtype)?);
    let along_last = |start: usize, stop: usize, step: isize| {
        let mut slices = vec![Slice::FULL; ndim - 1];
        slices.push(Slice::new(Some(start as isize), Some(stop as isize), step));
        x.slice(&slices)
    };
    let (first, second) = if traditional {
        (along_last(0, dims, 2)?, along_last(1, dims, 2)?)
    } else {
        (along_last(0, dims / 2, 1)?, along_last(dims / 2, dims, 1)?)
    };
    let rotated_first = subtract(&multiply(&first, &c)?, &multiply(&second, &s)?)?;
    let rotated_second = add(&multiply(&first, &s)?, &multiply(&second, &c)?)?;
    let rotated = if traditional {
        let mut shape: Vec<isize> = x.shape()[..ndim - 1].iter().map(|&d| d as isize).collect();
        shape.push(dims as isize);
        stack(&[&rotated_first, &rotated_second], -1)?.reshape(&shape)?
    } else {
        concatenate(&[&rotated_first, &rotated_second], Some(-1))?
    };
    let last = x.shape()[ndim - 1];
    if dims == last {
        return Ok(rotated);
    }
    concatenate(&[&rotated, &along_last(dims, last, 1)?], Some(-1))
}
