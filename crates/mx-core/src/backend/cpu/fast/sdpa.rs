//! Scaled dot-product attention: per head and block of queries, the scores by one GEMM,
//! the mask and a float32 softmax in place, and the values by a second GEMM. Scores and
//! probabilities round to the element type where MLX's composition rounds them.

use super::Widen;
use crate::array::Data;
use crate::backend::cpu::row_f32::softmax_row_f32;
use crate::backend::cpu::strided::{parallel_items, SendPtr};
use crate::dtype::Dtype;
use crate::error::Result;
use crate::fast::lowest;
use crate::primitive::AttentionMask;
use gemm::Parallelism;
use std::borrow::Cow;

/// Queries whose scores one work item computes together.
const QUERY_BLOCK: usize = 128;

/// An attention node's options.
pub(super) struct Attention {
    pub(super) scale: f32,
    pub(super) mask: AttentionMask,
    pub(super) sinks: bool,
}

/// `values` as float32: the slice itself when it is float32 already.
fn widened<T: Widen>(values: &[T]) -> Cow<'_, [f32]> {
    if T::DTYPE == Dtype::Float32 {
        // SAFETY: T is f32 (its dtype says so), so the slice is one of f32.
        Cow::Borrowed(unsafe {
            std::slice::from_raw_parts(values.as_ptr() as *const f32, values.len())
        })
    } else {
        Cow::Owned(values.iter().map(|v| v.to_f32()).collect())
    }
}

/// `c = a · b` for `c` with rows `c_row` apart, row-major `a` (`m × k`, rows `a_row`
/// apart) and `b` given by its column and row strides, on one thread.
#[allow(clippy::too_many_arguments)]
fn product(
    m: usize,
    n: usize,
    k: usize,
    c: &mut [f32],
    c_row: usize,
    a: &[f32],
    a_row: usize,
    b: &[f32],
    b_column: usize,
    b_row: usize,
) {
    // SAFETY: the slices hold the elements the sizes and strides address.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            c_row as isize,
            false,
            a.as_ptr(),
            1,
            a_row as isize,
            b.as_ptr(),
            b_column as isize,
            b_row as isize,
            0.0f32,
            1.0f32,
            false,
            false,
            false,
            Parallelism::None,
        );
    }
}

impl Attention {
    /// Attention of row-contiguous `q, k, v` (then the mask view and the sinks the node
    /// has) into a fresh `[B, Hq, L, Dv]` output.
    pub(super) fn run<T: Widen>(
        &self,
        inputs: &[Data],
        shapes: &[&[usize]],
        out_shape: &[usize],
    ) -> Result<Data> {
        let out = Data::allocate(out_shape, T::DTYPE)?;
        let (batch, heads, queries, depth) =
            (shapes[0][0], shapes[0][1], shapes[0][2], shapes[0][3]);
        let (kv_heads, keys, depth_v) = (shapes[1][1], shapes[1][2], shapes[2][3]);
        if batch * heads * queries * depth_v == 0 {
            return Ok(out);
        }
        let repeats = heads / kv_heads;
        let blocks = queries.div_ceil(QUERY_BLOCK);
        let mask =
            matches!(self.mask, AttentionMask::Keep | AttentionMask::Additive).then(|| &inputs[3]);
        let sinks = self
            .sinks
            .then(|| SendPtr(inputs[inputs.len() - 1].ptr::<T>() as *mut T));
        let lowest = T::from_f32(lowest(T::DTYPE) as f32).to_f32();
        let scale = T::from_f32(self.scale);
        let (q, k, v) = (
            SendPtr(inputs[0].ptr::<T>() as *mut T),
            SendPtr(inputs[1].ptr::<T>() as *mut T),
            SendPtr(inputs[2].ptr::<T>() as *mut T),
        );
        let mask_data = mask.map(|m| (SendPtr(m.ptr::<u8>() as *mut u8), m.strides.clone()));
        let dst = SendPtr(out.mut_ptr::<T>());
        let cost = QUERY_BLOCK.min(queries) * keys * (depth + depth_v);
        // Each row of scores has a slot in front for the sink logit (-inf without one), so
        // the softmax over the row includes it.
        let width = keys + 1;
        let exact = T::DTYPE == Dtype::Float32;
        parallel_items(batch * heads * blocks, cost, |first, last| {
            let block_rows = QUERY_BLOCK.min(queries);
            let mut scores = vec![0.0f32; block_rows * width];
            let mut probabilities = vec![0.0f32; block_rows * width];
            let mut scaled = vec![0.0f32; block_rows * depth];
            let mut result = vec![0.0f32; block_rows * depth_v];
            for item in first..last {
                let (head_index, block) = (item / blocks, item % blocks);
                let (b, h) = (head_index / heads, head_index % heads);
                let kv = b * kv_heads + h / repeats;
                let start = block * QUERY_BLOCK;
                let rows = QUERY_BLOCK.min(queries - start);
                // SAFETY: the inputs are row-contiguous with the shapes above; each item
                // reads its own head and writes its own rows of the output.
                let (q_rows, k_head, v_head, out_rows) = unsafe {
                    (
                        std::slice::from_raw_parts(
                            q.at(((head_index * queries + start) * depth) as isize),
                            rows * depth,
                        ),
                        std::slice::from_raw_parts(
                            k.at((kv * keys * depth) as isize),
                            keys * depth,
                        ),
                        std::slice::from_raw_parts(
                            v.at((kv * keys * depth_v) as isize),
                            keys * depth_v,
                        ),
                        std::slice::from_raw_parts_mut(
                            dst.at(((head_index * queries + start) * depth_v) as isize),
                            rows * depth_v,
                        ),
                    )
                };
                for (s, &x) in scaled.iter_mut().zip(q_rows) {
                    *s = x.mul(scale).to_f32();
                }
                let (k32, v32) = (widened(k_head), widened(v_head));
                let scores = &mut scores[..rows * width];
                let probabilities = &mut probabilities[..rows * width];
                // A causal block sees no key past its last row's; past that, scores are
                // masked and probabilities zero (unless a row sees no key at all).
                let seen = |i: usize| (i + keys + 1).saturating_sub(queries).min(keys);
                let limit = match self.mask {
                    AttentionMask::Causal if seen(start) > 0 => seen(start + rows - 1),
                    _ => keys,
                };
                product(
                    rows,
                    limit,
                    depth,
                    &mut scores[1..],
                    width,
                    &scaled,
                    depth,
                    &k32,
                    depth,
                    1,
                );
                let sink = sinks.map_or(f32::NEG_INFINITY, |s| {
                    // SAFETY: the sinks hold one value per query head.
                    unsafe { *s.at(h as isize) }.to_f32()
                });
                for (r, (row, probability)) in scores
                    .chunks_exact_mut(width)
                    .zip(probabilities.chunks_exact_mut(width))
                    .enumerate()
                {
                    row[0] = sink;
                    let (i, scores_of_row) = (start + r, &mut row[1..]);
                    if !exact {
                        for score in scores_of_row.iter_mut() {
                            *score = T::from_f32(*score).to_f32();
                        }
                    }
                    match (self.mask, &mask_data) {
                        (AttentionMask::Causal, _) => scores_of_row[seen(i)..].fill(lowest),
                        (AttentionMask::Keep, Some((m, strides))) => {
                            for (j, score) in scores_of_row.iter_mut().enumerate() {
                                let at = mask_offset(strides, b, h, i, j);
                                // SAFETY: the mask view covers [B, Hq, L, S].
                                if unsafe { *m.at(at) } == 0 {
                                    *score = lowest;
                                }
                            }
                        }
                        (AttentionMask::Additive, Some((m, strides))) => {
                            for (j, score) in scores_of_row.iter_mut().enumerate() {
                                let at = mask_offset(strides, b, h, i, j);
                                // SAFETY: as above, with elements of the output type.
                                let bias = unsafe { *(m.0 as *const T).offset(at) };
                                *score = T::from_f32(*score).add(bias).to_f32();
                            }
                        }
                        _ => {}
                    }
                    softmax_row_f32(row, probability);
                    if !exact {
                        for p in probability.iter_mut() {
                            *p = T::from_f32(*p).to_f32();
                        }
                    }
                }
                let result = &mut result[..rows * depth_v];
                product(
                    rows,
                    depth_v,
                    limit,
                    result,
                    depth_v,
                    &probabilities[1..],
                    width,
                    &v32,
                    1,
                    depth_v,
                );
                for (o, &r) in out_rows.iter_mut().zip(result.iter()) {
                    *o = T::from_f32(r);
                }
            }
        });
        Ok(out)
    }
}

/// The element offset of score `(b, h, i, j)` in a mask view.
#[inline(always)]
fn mask_offset(strides: &[isize], b: usize, h: usize, i: usize, j: usize) -> isize {
    b as isize * strides[0]
        + h as isize * strides[1]
        + i as isize * strides[2]
        + j as isize * strides[3]
}
