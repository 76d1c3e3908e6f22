//! Rotary position embeddings: a float32 table of angles per (offset, position), rounded
//! to the element type, then one pass over the rows rotating feature pairs.

use super::Widen;
use crate::array::Data;
use crate::backend::cpu::strided::{parallel_items, SendPtr};
use crate::error::Result;
use crate::random::float::exp_mlx;

/// A rope node's options.
pub(super) struct Rope {
    pub(super) dims: usize,
    pub(super) traditional: bool,
    pub(super) base: Option<f32>,
    pub(super) scale: f32,
}

impl Rope {
    /// Rotates row-contiguous `inputs[0]` of `shape` (`[..., L, D]`) with the int32
    /// offsets of `inputs[1]` and, without a base, the float32 `freqs` of `inputs[2]`.
    pub(super) fn run<T: Widen>(&self, inputs: &[Data], shapes: &[&[usize]]) -> Result<Data> {
        let shape = shapes[0];
        let out = Data::allocate(shape, T::DTYPE)?;
        let ndim = shape.len();
        let (length, width) = (shape[ndim - 2], shape[ndim - 1]);
        let rows: usize = shape[..ndim - 1].iter().product();
        if rows * width == 0 {
            return Ok(out);
        }
        let half = self.dims / 2;
        let inverse_frequencies: Vec<f32> = match self.base {
            Some(base) => {
                let step = base.ln() / half as f32;
                (0..half).map(|i| exp_mlx(-(i as f32) * step)).collect()
            }
            None => {
                // SAFETY: the op passes `dims / 2` contiguous float32 frequencies.
                let freqs = unsafe { std::slice::from_raw_parts(inputs[2].ptr::<f32>(), half) };
                freqs.iter().map(|f| 1.0 / f).collect()
            }
        };
        let offset_count = shapes[1].iter().product::<usize>();
        // SAFETY: the op passes one or `shape[0]` contiguous int32 offsets.
        let offsets = unsafe { std::slice::from_raw_parts(inputs[1].ptr::<i32>(), offset_count) };
        // cos and sin of every (offset, position, pair), rounded to the element type.
        let mut table = Vec::with_capacity(offset_count * length * half);
        for &offset in offsets {
            for t in 0..length {
                let position = (t as f32 + offset as f32) * self.scale;
                table.extend(inverse_frequencies.iter().map(|&f| {
                    let theta = position * f;
                    (T::from_f32(theta.cos()), T::from_f32(theta.sin()))
                }));
            }
        }
        let rows_per_offset = rows / shape[0].max(1);
        let src = SendPtr(inputs[0].ptr::<T>() as *mut T);
        let dst = SendPtr(out.mut_ptr::<T>());
        let (dims, traditional) = (self.dims, self.traditional);
        parallel_items(rows, width, |first, last| {
            for row in first..last {
                // SAFETY: rows are disjoint slices of the row-contiguous input and output.
                let (input, output) = unsafe {
                    (
                        std::slice::from_raw_parts(src.at((row * width) as isize), width),
                        std::slice::from_raw_parts_mut(dst.at((row * width) as isize), width),
                    )
                };
                let offset_index = if offset_count > 1 {
                    row / rows_per_offset
                } else {
                    0
                };
                let angles = &table[(offset_index * length + row % length) * half..][..half];
                for (i, &(c, s)) in angles.iter().enumerate() {
                    let (a, b) = if traditional {
                        (2 * i, 2 * i + 1)
                    } else {
                        (i, i + half)
                    };
                    let (x1, x2) = (input[a], input[b]);
                    output[a] = x1.mul(c).sub(x2.mul(s));
                    output[b] = x1.mul(s).add(x2.mul(c));
                }
                output[dims..].copy_from_slice(&input[dims..]);
            }
        });
        Ok(out)
    }
}
