//! `stop_gradient`: the identity, as a constant to every transform.

use crate::error::Result;
use crate::primitive::Primitive;
use crate::Array;

/// `x` itself, but no gradient flows back through it.
///
/// ```
/// use mx_core::{array, grad, multiply, stop_gradient, sum};
/// // d/dx [stop_gradient(x) * x] = stop_gradient(x) = x.
/// let df = grad(|x| sum(&multiply(&stop_gradient(x)?, x)?, None, false));
/// assert_eq!(df(&array![3.0]).unwrap().to_vec::<f32>().unwrap(), [3.0]);
/// ```
pub fn stop_gradient(x: &Array) -> Result<Array> {
    Array::from_op(
        x.shape().to_vec(),
        x.dtype(),
        Primitive::StopGradient,
        vec![x.clone()],
    )
}
