//! `where`: choose between two operands by a condition.

use super::operand::{promote_operands, Operand};
use crate::array::shape::broadcast_shapes;
use crate::dtype::Dtype;
use crate::error::Result;
use crate::primitive::Primitive;
use crate::Array;

/// `x` where `condition` is true, else `y`, all broadcast together. `x` and `y`
/// promote like a binary op. Named with a trailing underscore because `where` is a Rust keyword.
///
/// ```
/// use mx_core::{array, where_};
/// let c = array![true, false, true];
/// let out = where_(&c, &array![1, 2, 3], 0).unwrap();
/// assert_eq!(out.to_vec::<i32>().unwrap(), vec![1, 0, 3]);
/// ```
pub fn where_<'a>(
    condition: impl Into<Operand<'a>>,
    x: impl Into<Operand<'a>>,
    y: impl Into<Operand<'a>>,
) -> Result<Array> {
    let (x, y) = (x.into(), y.into());
    let dtype = promote_operands(&[&x, &y])?;
    let condition = condition.into().into_array_of(Dtype::Bool)?;
    let x = x.into_array_of(dtype)?;
    let y = y.into_array_of(dtype)?;
    let shape = broadcast_shapes(&broadcast_shapes(condition.shape(), x.shape())?, y.shape())?;
    Array::from_op(shape, dtype, Primitive::Select, vec![condition, x, y])
}
