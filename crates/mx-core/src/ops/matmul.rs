//! Matrix products: matmul with batch broadcasting and 1-d operands, addmm, inner, outer.

use crate::array::shape::broadcast_shapes;
use crate::dtype::{result_type, Dtype};
use crate::error::{Error, Result};
use crate::primitive::Primitive;
use crate::Array;

/// Operands of a product after MLX's 1-d promotion and batch broadcasting.
pub(crate) struct MatmulOperands {
    /// Left operand, `[..., M, K]`, broadcast to the common batch shape.
    pub(crate) a: Array,
    /// Right operand, `[..., K, N]`, broadcast to the common batch shape.
    pub(crate) b: Array,
    /// The result shape before the 1-d axes are dropped.
    pub(crate) out_shape: Vec<usize>,
    /// Axes of the result to drop because an operand was 1-d.
    pub(crate) squeeze: Vec<isize>,
}

impl MatmulOperands {
    /// `out` without the axes that 1-d operands gained.
    pub(crate) fn finish(&self, out: Array) -> Result<Array> {
        if self.squeeze.is_empty() {
            return Ok(out);
        }
        out.squeeze(Some(&self.squeeze))
    }
}

/// The dtype a product computes in, or MLX's error for non-float inputs (and, with
/// `real_only`, for complex64).
pub(crate) fn product_dtype(op: &str, a: Dtype, b: Dtype, real_only: bool) -> Result<Dtype> {
    let dtype = result_type(a, b);
    if real_only && !dtype.is_floating() {
        return Err(Error::Dtype(format!(
            "[{op}] Only real floating point types are supported but {a} and {b} were provided which results in {dtype}, which is not a real floating point type."
        )));
    }
    if !dtype.is_inexact() {
        return Err(Error::Dtype(format!(
            "[{op}] Only inexact types are supported but {a} and {b} were provided which results in {dtype}, which is not a floating point type."
        )));
    }
    Ok(dtype)
}

/// Checks and shapes the operands of `a @ b` the way MLX does.
pub(crate) fn matmul_operands(op: &str, a: &Array, b: &Array) -> Result<MatmulOperands> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Got 0 dimension input. Inputs must have at least one dimension."
        )));
    }
    let dtype = product_dtype(op, a.dtype(), b.dtype(), false)?;
    let mut squeeze = Vec::new();
    let a = if a.ndim() == 1 {
        squeeze.push(-2);
        a.expand_dims(&[0])?
    } else {
        a.clone()
    };
    let b = if b.ndim() == 1 {
        squeeze.push(-1);
        b.expand_dims(&[-1])?
    } else {
        b.clone()
    };
    let (a_shape, b_shape) = (a.shape(), b.shape());
    let (m, k) = (a_shape[a.ndim() - 2], a_shape[a.ndim() - 1]);
    let (kb, n) = (b_shape[b.ndim() - 2], b_shape[b.ndim() - 1]);
    if k != kb {
        return Err(Error::Shape(format!(
            "[{op}] Last dimension of first input with shape {} must match second to last dimension of second input with shape {}.",
            crate::error::shape_str(a_shape),
            crate::error::shape_str(b_shape)
        )));
    }
    let batch = broadcast_shapes(&a_shape[..a.ndim() - 2], &b_shape[..b.ndim() - 2])?;
    let with = |tail: [usize; 2]| -> Vec<usize> { batch.iter().copied().chain(tail).collect() };
    let a = a.astype(dtype)?.broadcast_to(&with([m, k]))?;
    let b = b.astype(dtype)?.broadcast_to(&with([k, n]))?;
    Ok(MatmulOperands {
        a,
        b,
        out_shape: with([m, n]),
        squeeze,
    })
}

/// Matrix product with NumPy's rules: 1-d operands gain and then lose an axis,
/// and leading batch axes broadcast.
///
/// ```
/// # use mx_core::{array, matmul};
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// let b = array![1.0, 1.0];
/// assert_eq!(matmul(&a, &b).unwrap().to_vec::<f32>().unwrap(), vec![3.0, 7.0]);
/// ```
pub fn matmul(a: &Array, b: &Array) -> Result<Array> {
    let operands = matmul_operands("matmul", a, b)?;
    let dtype = operands.a.dtype();
    let out = Array::from_op(
        operands.out_shape.clone(),
        dtype,
        Primitive::Matmul,
        vec![operands.a.clone(), operands.b.clone()],
    )?;
    operands.finish(out)
}

/// `alpha * (a @ b) + beta * c`, with `c` broadcast to the product's shape, in one kernel.
/// As in MLX, `alpha` and `beta` are float32 values, and for real dtypes a zero scale
/// drops its term entirely (so NaN in a dropped `c` does not leak).
pub fn addmm(c: &Array, a: &Array, b: &Array, alpha: f64, beta: f64) -> Result<Array> {
    let (alpha, beta) = (alpha as f32 as f64, beta as f32 as f64);
    let operands = matmul_operands("addmm", a, b)?;
    let dtype = product_dtype("addmm", c.dtype(), operands.a.dtype(), false)?;
    let a = operands.a.astype(dtype)?;
    let b = operands.b.astype(dtype)?;
    let mut shape = operands.out_shape.clone();
    for axis in &operands.squeeze {
        shape.remove((shape.len() as isize + axis) as usize);
    }
    let c = c.astype(dtype)?;
    if dtype == Dtype::Complex64 {
        // MLX composes complex addmm from elementwise ops, so zero scales still propagate NaN.
        let product = super::multiply(&matmul(&a, &b)?, crate::Scalar::Float(alpha))?;
        let product = operands.finish(product)?;
        return super::add(&product, &super::multiply(&c, crate::Scalar::Float(beta))?);
    }
    let full_shape = broadcast_shapes(c.shape(), &shape)?;
    if full_shape != shape {
        return Err(Error::Shape(format!(
            "[addmm] Cannot broadcast c with shape {} to the product shape {}.",
            crate::error::shape_str(c.shape()),
            crate::error::shape_str(&shape)
        )));
    }
    let c = c.broadcast_to(&shape)?.reshape(
        &operands
            .out_shape
            .iter()
            .map(|&d| d as isize)
            .collect::<Vec<_>>(),
    )?;
    let out = Array::from_op(
        operands.out_shape.clone(),
        dtype,
        Primitive::AddMm { alpha, beta },
        vec![a, b, c],
    )?;
    operands.finish(out)
}

/// Sum product over the last axes of `a` and `b`; 0-d operands multiply.
pub fn inner(a: &Array, b: &Array) -> Result<Array> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return super::multiply(a, b);
    }
    let (ka, kb) = (a.shape()[a.ndim() - 1], b.shape()[b.ndim() - 1]);
    if ka != kb {
        return Err(Error::Shape(format!(
            "[inner] a and b must have the same last dimension but got {} and {}.",
            crate::error::shape_str(a.shape()),
            crate::error::shape_str(b.shape())
        )));
    }
    super::tensordot(a, b, super::TensordotAxes::Pairs(vec![-1], vec![-1]))
}

/// Outer product of the flattened `a` and `b`.
pub fn outer(a: &Array, b: &Array) -> Result<Array> {
    let a = a.reshape(&[-1, 1])?;
    let b = b.reshape(&[1, -1])?;
    super::multiply(&a, &b)
}
