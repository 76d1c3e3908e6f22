//! Matrix products through the `gemm` crate. float16 and bfloat16 are widened to
//! float32 once (O(n²)) and multiplied by the float32 kernel (O(n³)), which is far
//! faster than any half-precision inner loop on CPUs without native half FMA.

use super::layout::{astype, contiguous};
use super::math::Arith;
use super::strided::{parallel_items, SendPtr};
use crate::array::Data;
use crate::dtype::{Complex64, Dtype, Element, Scalar};
use crate::error::{Error, Result};
use gemm::Parallelism;

/// Below this many multiply-adds a single product runs on one thread.
const SERIAL_FLOPS: usize = 1 << 18;

/// One operand: its data and logical shape (`[..., rows, cols]`).
pub(crate) type Operand<'a> = (&'a Data, &'a [usize]);

/// `alpha * (a @ b) + beta * c` over broadcast batch axes (`c` absent: plain product).
/// Every operand already has the output's batch shape.
pub(crate) fn matmul(
    a: Operand,
    b: Operand,
    c: Option<Operand>,
    alpha: f64,
    beta: f64,
    dtype: Dtype,
    out_shape: &[usize],
) -> Result<Data> {
    if dtype == Dtype::Float32 && c.is_none() {
        if let Some(out) = vector_matrix(a, b, out_shape)? {
            return Ok(out);
        }
    }
    match dtype {
        Dtype::Float32 => batched::<f32>(a, b, c, alpha, beta, out_shape, dtype),
        Dtype::Float64 => batched::<f64>(a, b, c, alpha, beta, out_shape, dtype),
        Dtype::Complex64 => batched::<Complex64>(a, b, c, alpha, beta, out_shape, dtype),
        Dtype::Float16 | Dtype::Bfloat16 => {
            let widen = |(x, shape): Operand| astype(x, shape, dtype, Dtype::Float32);
            let (a32, b32) = (widen(a)?, widen(b)?);
            let c32 = c.map(widen).transpose()?;
            let out = batched::<f32>(
                (&a32, a.1),
                (&b32, b.1),
                c32.as_ref().map(|d| (d, out_shape)),
                alpha,
                beta,
                out_shape,
                Dtype::Float32,
            )?;
            astype(&out, out_shape, Dtype::Float32, dtype)
        }
        other => Err(Error::Dtype(format!("[matmul] No CPU kernel for {other}."))),
    }
}

/// A one-row float32 product through the streaming GEMV kernel, when the layout allows.
fn vector_matrix(a: Operand, b: Operand, out_shape: &[usize]) -> Result<Option<Data>> {
    let nd = out_shape.len();
    let (m, n, k) = (out_shape[nd - 2], out_shape[nd - 1], a.1[nd - 1]);
    let batch: usize = out_shape[..nd - 2].iter().product();
    if batch != 1 || m != 1 || k == 0 || n == 0 || (a.0.strides[nd - 1] != 1 && k > 1) {
        return Ok(None);
    }
    let out = Data::allocate(out_shape, Dtype::Float32)?;
    // SAFETY: `a` holds one contiguous row of `k` elements and `b`'s strides address its
    // `k × n` elements; the output is fresh with `n` elements.
    let done = unsafe {
        super::gemv::vecmat_f32(
            a.0.ptr::<f32>(),
            b.0.ptr::<f32>(),
            b.0.strides[nd - 2],
            b.0.strides[nd - 1],
            k,
            n,
            out.mut_ptr::<f32>(),
        )
    };
    Ok(done.then_some(out))
}

/// Offsets of batch item `index` in an operand with `strides` over `batch_shape`.
fn batch_offset(index: usize, batch_shape: &[usize], strides: &[isize]) -> isize {
    let mut rest = index;
    let mut offset = 0;
    for (dim, &size) in batch_shape.iter().enumerate().rev() {
        offset += (rest % size) as isize * strides[dim];
        rest /= size;
    }
    offset
}

fn batched<T: Element + Arith>(
    a: Operand,
    b: Operand,
    c: Option<Operand>,
    alpha: f64,
    beta: f64,
    out_shape: &[usize],
    dtype: Dtype,
) -> Result<Data> {
    let nd = out_shape.len();
    let (m, n, k) = (out_shape[nd - 2], out_shape[nd - 1], a.1[nd - 1]);
    let batch_shape = &out_shape[..nd - 2];
    let batch: usize = batch_shape.iter().product();
    let out = match c {
        Some((c, shape)) => contiguous(c, shape, dtype)?,
        None => Data::allocate(out_shape, dtype)?,
    };
    if batch * m * n == 0 {
        return Ok(out);
    }
    let dst = SendPtr(out.mut_ptr::<T>());
    let (a_data, b_data) = (a.0, b.0);
    let (a_ptr, b_ptr) = (
        SendPtr(a_data.ptr::<T>() as *mut T),
        SendPtr(b_data.ptr::<T>() as *mut T),
    );
    // Real dtypes drop a term whose scale is zero, as MLX does; complex keeps both.
    let drop_zero_terms = dtype != Dtype::Complex64;
    let read_dst = c.is_some() && !(drop_zero_terms && beta == 0.0);
    let skip_product = drop_zero_terms && alpha == 0.0 && c.is_some();
    let (scale_product, scale_dst): (T, T) =
        (Scalar::Float(alpha).cast(), Scalar::Float(beta).cast());
    let flops = m * n * k;
    let run = |item: usize, parallelism: Parallelism| {
        let a_off = batch_offset(item, batch_shape, &a_data.strides);
        let b_off = batch_offset(item, batch_shape, &b_data.strides);
        let dst = dst.at((item * m * n) as isize);
        if k == 0 || skip_product {
            // Nothing to multiply, or a product scaled by zero: only `beta * c` remains.
            for i in 0..m * n {
                // SAFETY: `dst` holds `m * n` elements for this item.
                unsafe {
                    let value = if read_dst {
                        (*dst.add(i)).mul(scale_dst)
                    } else {
                        T::default()
                    };
                    *dst.add(i) = value;
                }
            }
            return;
        }
        // SAFETY: the offsets and strides describe valid views of the operands, and each
        // batch item writes its own `m * n` block of the fresh output.
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                dst,
                1,
                n as isize,
                read_dst,
                a_ptr.at(a_off),
                a_data.strides[nd - 1],
                a_data.strides[nd - 2],
                b_ptr.at(b_off),
                b_data.strides[nd - 1],
                b_data.strides[nd - 2],
                scale_dst,
                scale_product,
                false,
                false,
                false,
                parallelism,
            );
        }
    };
    if flops >= SERIAL_FLOPS || batch == 1 {
        let parallelism = if flops >= SERIAL_FLOPS {
            Parallelism::Rayon(0)
        } else {
            Parallelism::None
        };
        (0..batch).for_each(|item| run(item, parallelism));
    } else {
        parallel_items(batch, flops, |start, end| {
            (start..end).for_each(|item| run(item, Parallelism::None))
        });
    }
    Ok(out)
}
