//! `Display` and `Debug`: MLX's repr, e.g. `array([1, 2, 3], dtype=int32)`.
//! Printing evaluates the array.

use super::Array;
use crate::dtype::{Dtype, Scalar};
use std::fmt;

/// Axes longer than this print their first and last `EDGE` items around `...`.
const ELIDE_ABOVE: usize = 6;
const EDGE: usize = 3;

/// Formats a float like C++ `ostream << double` with precision 6 (`%g`).
pub(crate) fn format_g(x: f64) -> String {
    if x.is_nan() {
        return if x.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let sci = format!("{:.5e}", x);
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        let mantissa = strip_zeros(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    } else {
        let decimals = (5 - exponent).max(0) as usize;
        strip_zeros(&format!("{:.*}", decimals, x)).to_string()
    }
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

fn format_scalar(value: Scalar, dtype: Dtype) -> String {
    match value {
        Scalar::Bool(b) => if b { "True" } else { "False" }.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::UInt(u) => u.to_string(),
        Scalar::Float(f) if dtype.is_integer() => (f as i64).to_string(),
        Scalar::Float(f) => format_g(f),
        Scalar::Complex(re, im) => {
            // Like MLX: a negative-zero imaginary part prints as `+-0`.
            if im < 0.0 {
                format!("{}-{}j", format_g(re), format_g(-im))
            } else {
                format!("{}+{}j", format_g(re), format_g(im))
            }
        }
    }
}

fn write_level(out: &mut String, values: &[String], shape: &[usize], depth: usize, indent: usize) {
    if shape.is_empty() {
        out.push_str(&values[0]);
        return;
    }
    out.push('[');
    let n = shape[0];
    let stride: usize = shape[1..].iter().product();
    let elide = n > ELIDE_ABOVE;
    let indices: Vec<Option<usize>> = if elide {
        (0..EDGE)
            .map(Some)
            .chain(std::iter::once(None))
            .chain((n - EDGE..n).map(Some))
            .collect()
    } else {
        (0..n).map(Some).collect()
    };
    let separator = if shape.len() == 1 {
        ", ".to_string()
    } else {
        format!(",\n{}", " ".repeat(indent + depth + 1))
    };
    for (k, index) in indices.iter().enumerate() {
        if k > 0 {
            out.push_str(&separator);
        }
        match index {
            Some(i) => write_level(
                out,
                &values[i * stride..(i + 1) * stride],
                &shape[1..],
                depth + 1,
                indent,
            ),
            None => out.push_str("..."),
        }
    }
    out.push(']');
}

impl Array {
    fn repr(&self) -> String {
        let values = match self.to_vec_scalars() {
            Ok(values) => values,
            Err(e) => return format!("array(<error: {e}>, dtype={})", self.dtype()),
        };
        let strings: Vec<String> = values
            .into_iter()
            .map(|v| format_scalar(v, self.dtype()))
            .collect();
        let mut body = String::new();
        write_level(&mut body, &strings, self.shape(), 0, "array(".len());
        format!("array({body}, dtype={})", self.dtype())
    }

    fn to_vec_scalars(&self) -> crate::Result<Vec<Scalar>> {
        crate::dispatch_dtype!(self.dtype(), T => {
            Ok(self.to_vec::<T>()?.into_iter().map(crate::Element::to_scalar).collect())
        })
    }
}

impl fmt::Display for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repr())
    }
}

impl fmt::Debug for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repr())
    }
}

#[cfg(test)]
mod tests {
    use super::format_g;

    #[test]
    fn format_g_matches_cpp() {
        assert_eq!(format_g(1.123456789), "1.12346");
        assert_eq!(format_g(123456789.0), "1.23457e+08");
        assert_eq!(format_g(1e-5), "1e-05");
        assert_eq!(format_g(0.0001234), "0.0001234");
        assert_eq!(format_g(2.0), "2");
        assert_eq!(format_g(-3.5), "-3.5");
        assert_eq!(format_g(1e10), "1e+10");
    }
}
