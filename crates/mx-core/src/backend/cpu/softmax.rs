//! Softmax over the last axis: per row, one pass for the max and one fused pass for
//! `exp(x - max)`, its sum and the scaling, so the row stays in cache.

use super::math::FloatMath;
use super::reduce::fold_row;
use super::row_f32;
use super::simd;
use super::strided::{parallel_items, SendPtr};
use crate::array::Data;
use crate::dtype::{Dtype, Element};
use crate::error::{Error, Result};
use half::{bf16, f16};

/// Converts between the stored type and the type a row is computed in.
trait Compute<C>: Element {
    fn load(self) -> C;
    fn store(v: C) -> Self;
}

impl Compute<f32> for f32 {
    fn load(self) -> f32 {
        self
    }
    fn store(v: f32) -> Self {
        v
    }
}

impl Compute<f64> for f64 {
    fn load(self) -> f64 {
        self
    }
    fn store(v: f64) -> Self {
        v
    }
}

macro_rules! half_compute {
    ($t:ty) => {
        impl Compute<f32> for $t {
            fn load(self) -> f32 {
                self.to_f32()
            }
            fn store(v: f32) -> Self {
                <$t>::from_f32(v)
            }
        }
        impl Compute<$t> for $t {
            fn load(self) -> $t {
                self
            }
            fn store(v: $t) -> Self {
                v
            }
        }
    };
}
half_compute!(f16);
half_compute!(bf16);

/// A real float type rows are computed in.
trait Accumulator:
    FloatMath
    + PartialOrd
    + std::ops::Sub<Output = Self>
    + std::ops::Add<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
    + Default
{
    const NEG_INFINITY: Self;
    const ONE: Self;
}

impl Accumulator for f32 {
    const NEG_INFINITY: Self = f32::NEG_INFINITY;
    const ONE: Self = 1.0;
}
impl Accumulator for f64 {
    const NEG_INFINITY: Self = f64::NEG_INFINITY;
    const ONE: Self = 1.0;
}
impl Accumulator for f16 {
    const NEG_INFINITY: Self = f16::NEG_INFINITY;
    const ONE: Self = f16::ONE;
}
impl Accumulator for bf16 {
    const NEG_INFINITY: Self = bf16::NEG_INFINITY;
    const ONE: Self = bf16::ONE;
}

fn softmax_rows<T: Compute<C>, C: Accumulator>(x: &Data, shape: &[usize]) -> Result<Data> {
    let out = Data::allocate(shape, T::DTYPE)?;
    let n = shape.last().copied().unwrap_or(1);
    let rows = shape.iter().product::<usize>().checked_div(n).unwrap_or(0);
    let src = SendPtr(x.ptr::<T>() as *mut T);
    let dst = SendPtr(out.mut_ptr::<T>());
    parallel_items(rows, n, |first, last| {
        for row in first..last {
            // SAFETY: the input is row-contiguous (the op makes it so) and rows are disjoint.
            let (input, output) = unsafe {
                (
                    std::slice::from_raw_parts(src.at((row * n) as isize), n),
                    std::slice::from_raw_parts_mut(dst.at((row * n) as isize), n),
                )
            };
            let max = fold_row(
                input,
                C::NEG_INFINITY,
                &|m: C, v: T| pick_max(m, v.load()),
                &pick_max,
            );
            simd::map(input, output, &|v: T| T::store((v.load() - max).exp()));
            let sum = fold_row(
                output,
                C::default(),
                &|acc: C, v: T| acc + v.load(),
                &|a: C, b: C| a + b,
            );
            let scale = C::ONE / sum;
            for o in output.iter_mut() {
                *o = T::store(o.load() * scale);
            }
        }
    });
    Ok(out)
}

/// Runs `f(row)` for each row of a row-contiguous float32 array with `n` columns, in parallel.
fn f32_rows(x: &Data, rows: usize, n: usize, f: impl Fn(usize, &[f32]) + Sync) {
    let src = SendPtr(x.ptr::<f32>() as *mut f32);
    parallel_items(rows, n, |first, last| {
        for row in first..last {
            // SAFETY: the input is row-contiguous (the op makes it so).
            f(row, unsafe {
                std::slice::from_raw_parts(src.at((row * n) as isize), n)
            });
        }
    });
}

fn softmax_f32(x: &Data, shape: &[usize]) -> Result<Data> {
    let out = Data::allocate(shape, Dtype::Float32)?;
    let n = shape.last().copied().unwrap_or(1);
    let rows = shape.iter().product::<usize>().checked_div(n).unwrap_or(0);
    let dst = SendPtr(out.mut_ptr::<f32>());
    f32_rows(x, rows, n, |row, input| {
        // SAFETY: each row writes its own slice of the fresh output.
        let output = unsafe { std::slice::from_raw_parts_mut(dst.at((row * n) as isize), n) };
        row_f32::softmax_row_f32(input, output);
    });
    Ok(out)
}

/// `log(sum(exp(x)))` over the last axis of row-contiguous float32 `x`; the output keeps
/// the axis as size 1.
pub(crate) fn logsumexp_f32(x: &Data, shape: &[usize]) -> Result<Data> {
    let n = shape.last().copied().unwrap_or(1);
    let rows = shape.iter().product::<usize>().checked_div(n).unwrap_or(0);
    let mut out_shape = shape.to_vec();
    if let Some(last) = out_shape.last_mut() {
        *last = 1;
    }
    let out = Data::allocate(&out_shape, Dtype::Float32)?;
    let dst = SendPtr(out.mut_ptr::<f32>());
    // SAFETY: each row writes its own output element.
    f32_rows(x, rows, n, |row, input| unsafe {
        *dst.at(row as isize) = row_f32::logsumexp_row_f32(input)
    });
    Ok(out)
}

/// The larger value, NaN winning, so that a NaN row gives NaN.
#[inline]
fn pick_max<C: Accumulator>(m: C, v: C) -> C {
    if v > m || v.is_nan() {
        v
    } else {
        m
    }
}

/// Softmax of row-contiguous `x` over its last axis. Half types compute in their own
/// precision unless `precise`, as in MLX.
pub(crate) fn softmax(x: &Data, shape: &[usize], dtype: Dtype, precise: bool) -> Result<Data> {
    match (dtype, precise) {
        (Dtype::Float32, _) => softmax_f32(x, shape),
        (Dtype::Float64, _) => softmax_rows::<f64, f64>(x, shape),
        (Dtype::Float16, true) => softmax_rows::<f16, f32>(x, shape),
        (Dtype::Float16, false) => softmax_rows::<f16, f16>(x, shape),
        (Dtype::Bfloat16, true) => softmax_rows::<bf16, f32>(x, shape),
        (Dtype::Bfloat16, false) => softmax_rows::<bf16, bf16>(x, shape),
        _ => Err(Error::Dtype(format!(
            "[softmax] Not supported for {dtype}."
        ))),
    }
}
