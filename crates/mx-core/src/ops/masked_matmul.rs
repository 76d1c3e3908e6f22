//! Products with block masks (`block_masked_mm`) and with gathered batch items (`gather_mm`).

use super::matmul::{matmul_operands, product_dtype};
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::Array;

/// `x` with a block mask applied: the mask broadcasts to `x`'s grid of blocks
/// `[..., ceil(rows/bs), ceil(cols/bs)]`; bool masks zero blocks, float masks scale them.
fn apply_mask(x: &Array, mask: &Array, block: usize) -> Result<Array> {
    let nd = x.ndim();
    let (rows, cols) = (x.shape()[nd - 2], x.shape()[nd - 1]);
    let (br, bc) = (rows.div_ceil(block), cols.div_ceil(block));
    let lead: Vec<usize> = x.shape()[..nd - 2].to_vec();
    let signed = |v: &[usize]| v.iter().map(|&d| d as isize).collect::<Vec<_>>();
    let mut grid = lead.clone();
    grid.extend([br, bc]);
    let mut split = signed(&lead);
    split.extend([br as isize, 1, bc as isize, 1]);
    let mut wide = lead.clone();
    wide.extend([br, block, bc, block]);
    let mut merged = signed(&lead);
    merged.extend([(br * block) as isize, (bc * block) as isize]);
    let full = mask
        .broadcast_to(&grid)?
        .reshape(&split)?
        .broadcast_to(&wide)?
        .reshape(&merged)?;
    let mut slices = vec![super::Slice::FULL; lead.len()];
    slices.extend([
        super::Slice::range(0, rows as isize),
        super::Slice::range(0, cols as isize),
    ]);
    let full = full.slice(&slices)?;
    if full.dtype() == Dtype::Bool {
        super::where_(&full, x, 0)
    } else {
        super::multiply(x, &full)?.astype(x.dtype())
    }
}

/// `a @ b` where blocks of `block_size` are masked: `mask_lhs`/`mask_rhs` zero (bool) or
/// scale (float) blocks of `a`/`b`, `mask_out` blocks of the result.
pub fn block_masked_mm(
    a: &Array,
    b: &Array,
    block_size: usize,
    mask_out: Option<&Array>,
    mask_lhs: Option<&Array>,
    mask_rhs: Option<&Array>,
) -> Result<Array> {
    if mask_out.is_none() && mask_lhs.is_none() && mask_rhs.is_none() {
        return super::matmul(a, b);
    }
    product_dtype("block_masked_mm", a.dtype(), b.dtype(), true)?;
    if block_size != 32 && block_size != 64 {
        return Err(Error::InvalidArgument(format!(
            "[block_masked_mm] Only block_sizes 32, 64 are supported.Got block size {block_size}."
        )));
    }
    let operands = matmul_operands("block_masked_mm", a, b)?;
    // Masks of 1-d operands lack the axis the operand gains, as does the result's mask.
    let (a_vector, b_vector) = (a.ndim() == 1, b.ndim() == 1);
    let widen = |m: &Array, rows: bool, cols: bool| -> Result<Array> {
        let m = if rows {
            m.expand_dims(&[-1])?
        } else {
            m.clone()
        };
        if cols {
            m.expand_dims(&[-2])
        } else {
            Ok(m)
        }
    };
    let mut x = operands.a.clone();
    let mut y = operands.b.clone();
    if let Some(m) = mask_lhs {
        x = apply_mask(&x, &widen(m, false, a_vector)?, block_size)?;
    }
    if let Some(m) = mask_rhs {
        y = apply_mask(&y, &widen(m, b_vector, false)?, block_size)?;
    }
    let mut out = super::matmul(&x, &y)?;
    if let Some(m) = mask_out {
        out = apply_mask(&out, &widen(m, b_vector, a_vector)?, block_size)?;
    }
    operands.finish(out)
}

/// Batched `a @ b` where batch item `i` multiplies `a`'s flat batch item `lhs_indices[i]` by
/// `b`'s item `rhs_indices[i]` (absent: every item in order). The result has the
/// broadcast index shape followed by `[M, N]`. `sorted_indices` is MLX's scheduling hint;
/// the result does not depend on it.
pub fn gather_mm(
    a: &Array,
    b: &Array,
    lhs_indices: Option<&Array>,
    rhs_indices: Option<&Array>,
    _sorted_indices: bool,
) -> Result<Array> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return Err(Error::InvalidArgument(
            "[gather_mm] Got 0 dimension input. Inputs must have at least one dimension.".into(),
        ));
    }
    product_dtype("gather_mm", a.dtype(), b.dtype(), true)?;
    for index in [lhs_indices, rhs_indices].into_iter().flatten() {
        if !index.dtype().is_integer() {
            return Err(Error::Dtype(
                "[gather_mm] Got indices with invalid dtype. Indices must be integral.".into(),
            ));
        }
    }
    let (a_vector, b_vector) = (a.ndim() == 1, b.ndim() == 1);
    let a = if a_vector {
        a.expand_dims(&[0])?
    } else {
        a.clone()
    };
    let b = if b_vector {
        b.expand_dims(&[-1])?
    } else {
        b.clone()
    };
    let (m, k) = (a.shape()[a.ndim() - 2], a.shape()[a.ndim() - 1]);
    let (kb, n) = (b.shape()[b.ndim() - 2], b.shape()[b.ndim() - 1]);
    if k != kb {
        return Err(Error::Shape(format!(
            "[gather_mm] Last dimension of first input with shape {} must match second to last dimension of second input with shape {}.",
            crate::error::shape_str(a.shape()),
            crate::error::shape_str(b.shape())
        )));
    }
    let flat = |x: &Array, r: usize, c: usize| {
        let count: usize = x.shape()[..x.ndim() - 2].iter().product();
        x.reshape(&[count as isize, r as isize, c as isize])
    };
    let (fa, fb) = (flat(&a, m, k)?, flat(&b, kb, n)?);
    let batch_positions = |x: &Array| -> Result<Array> {
        let lead: Vec<isize> = x.shape()[..x.ndim() - 2]
            .iter()
            .map(|&d| d as isize)
            .collect();
        let count: usize = x.shape()[..x.ndim() - 2].iter().product();
        super::arange(0, count as i64, 1, Some(Dtype::Uint32))?.reshape(&lead)
    };
    let li = match lhs_indices {
        Some(i) => i.clone(),
        None => batch_positions(&a)?,
    };
    let ri = match rhs_indices {
        Some(i) => i.clone(),
        None => batch_positions(&b)?,
    };
    let shape = crate::array::shape::broadcast_shapes(li.shape(), ri.shape())?;
    let ga = super::take(&fa, &li.broadcast_to(&shape)?, Some(0))?;
    let gb = super::take(&fb, &ri.broadcast_to(&shape)?, Some(0))?;
    let out = super::matmul(&ga, &gb)?;
    match (a_vector, b_vector) {
        (false, false) => Ok(out),
        (true, false) => out.squeeze(Some(&[-2])),
        (false, true) => out.squeeze(Some(&[-1])),
        (true, true) => out.squeeze(Some(&[-2, -1])),
    }
}
