//! `rms_norm` and `layer_norm` rows: float32 statistics, then one pass that normalises,
//! rounds to the element type and applies the weight and bias in it.

use super::Widen;
use crate::array::Data;
use crate::backend::cpu::reduce::fold_row;
use crate::backend::cpu::strided::{parallel_items, SendPtr};
use crate::error::Result;

/// The float32 sum of `f(x)` over a row, in independent lanes.
#[inline(always)]
fn row_sum<T: Widen>(row: &[T], f: impl Fn(f32) -> f32) -> f32 {
    fold_row(row, 0.0f32, &|acc, v: T| acc + f(v.to_f32()), &|a, b| a + b)
}

/// A layer norm (`centred`) or RMS norm with its options.
pub(super) struct Norm {
    pub(super) eps: f32,
    pub(super) centred: bool,
    pub(super) weight: bool,
    pub(super) bias: bool,
}

impl Norm {
    /// The norm of each row of row-contiguous `inputs[0]` over its last axis; `inputs`
    /// then holds the weight and bias, of the element type, where the op has them.
    pub(super) fn run<T: Widen>(&self, inputs: &[Data], out_shape: &[usize]) -> Result<Data> {
        let Norm {
            eps,
            centred,
            weight: has_weight,
            bias: has_bias,
        } = *self;
        let out = Data::allocate(out_shape, T::DTYPE)?;
        let n = out_shape.last().copied().unwrap_or(1);
        let rows = out_shape
            .iter()
            .product::<usize>()
            .checked_div(n)
            .unwrap_or(0);
        // SAFETY: the op makes every input row-contiguous; a weight and a bias hold `n` each.
        let vector = |i: usize| unsafe { std::slice::from_raw_parts(inputs[i].ptr::<T>(), n) };
        let weight = has_weight.then(|| vector(1));
        let bias = has_bias.then(|| vector(inputs.len() - 1));
        let src = SendPtr(inputs[0].ptr::<T>() as *mut T);
        let dst = SendPtr(out.mut_ptr::<T>());
        let inverse_n = (1.0 / n as f64) as f32;
        parallel_items(rows, n, |first, last| {
            for row in first..last {
                // SAFETY: rows are disjoint slices of the row-contiguous input and fresh output.
                let (input, output) = unsafe {
                    (
                        std::slice::from_raw_parts(src.at((row * n) as isize), n),
                        std::slice::from_raw_parts_mut(dst.at((row * n) as isize), n),
                    )
                };
                let mean = if centred {
                    row_sum(input, |v| v) * inverse_n
                } else {
                    0.0
                };
                let spread = row_sum(input, |v| (v - mean) * (v - mean)) * inverse_n;
                let scale = 1.0 / (spread + eps).sqrt();
                for (o, &x) in output.iter_mut().zip(input) {
                    *o = T::from_f32((x.to_f32() - mean) * scale);
                }
                if let Some(weight) = weight {
                    for (o, &w) in output.iter_mut().zip(weight) {
                        *o = o.mul(w);
                    }
                }
                if let Some(bias) = bias {
                    for (o, &b) in output.iter_mut().zip(bias) {
                        *o = o.add(b);
                    }
                }
            }
        });
        Ok(out)
    }
}
