//! Window functions (`hanning`, `hamming`, `blackman`, `bartlett`): numpy's symmetric
//! windows, computed in float32 exactly as MLX composes them.

use super::{abs, add, arange, cos, multiply, ones, sin, square, subtract};
use crate::error::Result;
use crate::{Array, Dtype};

/// `n = 0, 1, .., m - 1` as float32 and the float32 value of `numerator / (m - 1)`, or
/// the whole window when `m < 2` (empty below 1, `[1]` at 1).
fn positions(m: isize, numerator: f64) -> Result<std::result::Result<(Array, f32), Array>> {
    if m < 1 {
        return Ok(Err(ones(&[0], Dtype::Float32)?));
    }
    if m == 1 {
        return Ok(Err(ones(&[1], Dtype::Float32)?));
    }
    let n = arange(0.0, m as f64, 1.0, Some(Dtype::Float32))?;
    Ok(Ok((n, (numerator / (m - 1) as f64) as f32)))
}

/// The Hann window of `m` points, `0.5 - 0.5 cos(2πn / (m - 1))`, computed as
/// `sin(πn / (m - 1))²`. Empty for `m < 1`.
///
/// ```
/// let w = mx_core::hanning(3).unwrap().to_vec::<f32>().unwrap();
/// assert!(w[0] == 0.0 && w[1] == 1.0 && w[2] < 1e-12);
/// ```
pub fn hanning(m: isize) -> Result<Array> {
    match positions(m, std::f64::consts::PI)? {
        Ok((n, step)) => square(&sin(&multiply(&n, step)?)?),
        Err(window) => Ok(window),
    }
}

/// The Hamming window of `m` points, `0.54 - 0.46 cos(2πn / (m - 1))`. Empty for `m < 1`.
pub fn hamming(m: isize) -> Result<Array> {
    match positions(m, 2.0 * std::f64::consts::PI)? {
        Ok((n, step)) => {
            let c = cos(&multiply(&n, step)?)?;
            subtract(0.54f32, &multiply(&c, 0.46f32)?)
        }
        Err(window) => Ok(window),
    }
}

/// The Blackman window of `m` points, `0.42 - 0.5 cos(x) + 0.08 cos(2x)` for
/// `x = 2πn / (m - 1)`, computed as `0.34 - 0.5c + 0.16c²` with `c = cos(x)`.
pub fn blackman(m: isize) -> Result<Array> {
    match positions(m, 2.0 * std::f64::consts::PI)? {
        Ok((n, step)) => {
            let c = cos(&multiply(&n, step)?)?;
            let linear = subtract(0.34f32, &multiply(&c, 0.5f32)?)?;
            add(&linear, &multiply(&square(&c)?, 0.16f32)?)
        }
        Err(window) => Ok(window),
    }
}

/// The Bartlett (triangular) window of `m` points, `1 - |2n / (m - 1) - 1|`.
pub fn bartlett(m: isize) -> Result<Array> {
    match positions(m, 2.0)? {
        Ok((n, step)) => subtract(1.0f32, &abs(&subtract(&multiply(&n, step)?, 1.0f32)?)?),
        Err(window) => Ok(window),
    }
}
