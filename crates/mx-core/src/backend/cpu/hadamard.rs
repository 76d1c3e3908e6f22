//! The Walsh–Hadamard transform of rows, in MLX's order of operations: radix-2 stages on
//! each block of `n = 2^k`, rounded to the element type after every stage, then the
//! order-`m` matrix across the `m` blocks, accumulated in float32.

use super::fast::Widen;
use super::strided::{parallel_items, SendPtr};
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::hadamard::{decompose, rows};
use half::{bf16, f16};

/// The transform of each row of the row-contiguous `input` (of `shape` and `dtype`).
pub(crate) fn hadamard(
    input: &Data,
    shape: &[usize],
    dtype: Dtype,
    scale: f32,
    transpose: bool,
) -> Result<Data> {
    match dtype {
        Dtype::Float32 => run::<f32>(input, shape, scale, transpose),
        Dtype::Float16 => run::<f16>(input, shape, scale, transpose),
        Dtype::Bfloat16 => run::<bf16>(input, shape, scale, transpose),
        _ => Err(Error::Dtype("[hadamard] Unsupported type.".into())),
    }
}

fn run<T: Widen>(input: &Data, shape: &[usize], scale: f32, transpose: bool) -> Result<Data> {
    let out = Data::allocate(shape, T::DTYPE)?;
    let size = shape.last().copied().unwrap_or(1);
    let row_count = shape
        .iter()
        .product::<usize>()
        .checked_div(size)
        .unwrap_or(0);
    let Some((m, n)) = decompose(size) else {
        return Err(Error::InvalidArgument(
            "[hadamard] Only supports n = m*2^k where m in (1, 12, 20, 28).".into(),
        ));
    };
    let signs: Vec<f32> = if m > 1 {
        let matrix = rows(m);
        (0..m * m)
            .map(|i| {
                let (j, k) = if transpose {
                    (i % m, i / m)
                } else {
                    (i / m, i % m)
                };
                if matrix[j].as_bytes()[k] == b'+' {
                    1.0
                } else {
                    -1.0
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let block_scale = if m > 1 { 1.0 } else { scale };
    let src = SendPtr(input.ptr::<T>() as *mut T);
    let dst = SendPtr(out.mut_ptr::<T>());
    parallel_items(
        row_count,
        size * (n.trailing_zeros() as usize + m),
        |first, last| {
            let mut mixed = vec![0.0f32; m];
            for r in first..last {
                // SAFETY: rows are disjoint slices of the row-contiguous input and fresh output.
                let (from, row) = unsafe {
                    (
                        std::slice::from_raw_parts(src.at((r * size) as isize), size),
                        std::slice::from_raw_parts_mut(dst.at((r * size) as isize), size),
                    )
                };
                row.copy_from_slice(from);
                for block in row.chunks_exact_mut(n) {
                    radix2(block, block_scale);
                }
                if m > 1 {
                    for i in 0..n {
                        for (j, value) in mixed.iter_mut().enumerate() {
                            let mut acc = 0.0f32;
                            for k in 0..m {
                                let x = row[i + k * n].to_f32();
                                acc = if signs[j * m + k] > 0.0 {
                                    acc + x
                                } else {
                                    acc - x
                                };
                            }
                            *value = acc * scale;
                        }
                        for (j, &value) in mixed.iter().enumerate() {
                            row[i + j * n] = T::from_f32(value);
                        }
                    }
                }
            }
        },
    );
    Ok(out)
}

/// The natural-order transform of one block in place, times `scale` in the last stage.
fn radix2<T: Widen>(block: &mut [T], scale: f32) {
    let n = block.len();
    let mut h = 1;
    while h < n {
        for i in 0..n / 2 {
            let k = i & (h - 1);
            let j = ((i - k) << 1) + k;
            let (x, y) = (block[j].to_f32(), block[j + h].to_f32());
            let (mut a, mut b) = (T::from_f32(x + y), T::from_f32(x - y));
            if 2 * h == n {
                a = T::from_f32(a.to_f32() * scale);
                b = T::from_f32(b.to_f32() * scale);
            }
            block[j] = a;
            block[j + h] = b;
        }
        h <<= 1;
    }
}
