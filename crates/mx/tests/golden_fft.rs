//! `mx::fft` checked against golden data from MLX 0.32.4 (`scripts/golden/gen_fft.py`):
//! values, dtypes, shapes and error messages.

mod common;

use common::{array, load, Case};
use mx::fft::{self, FftNorm};
use mx::{Array, Result};
use serde_json::Value;

fn sizes(value: &Value) -> Option<Vec<usize>> {
    value
        .as_array()
        .map(|v| v.iter().map(|d| d.as_u64().unwrap_or(0) as usize).collect())
}

fn axes(value: &Value) -> Option<Vec<isize>> {
    value
        .as_array()
        .map(|v| v.iter().map(|d| d.as_i64().unwrap_or(0) as isize).collect())
}

fn run(case: &Case) -> Result<Array> {
    let a = array(&case.args[0]);
    let n = case.kw("n").as_u64().map(|n| n as usize);
    let axis = case.kw("axis").as_i64().unwrap_or(-1) as isize;
    let s = sizes(case.kw("s"));
    let many = axes(case.kw("axes"));
    let (s, many) = (s.as_deref(), many.as_deref());
    let norm = match case.kw("norm").as_str() {
        Some("ortho") => FftNorm::Ortho,
        Some("forward") => FftNorm::Forward,
        _ => FftNorm::Backward,
    };
    match case.op.as_str() {
        "fft" => fft::fft(&a, n, axis, norm),
        "ifft" => fft::ifft(&a, n, axis, norm),
        "rfft" => fft::rfft(&a, n, axis, norm),
        "irfft" => fft::irfft(&a, n, axis, norm),
        "fft2" => fft::fft2(&a, s, many, norm),
        "ifft2" => fft::ifft2(&a, s, many, norm),
        "rfft2" => fft::rfft2(&a, s, many, norm),
        "irfft2" => fft::irfft2(&a, s, many, norm),
        "fftn" => fft::fftn(&a, s, many, norm),
        "ifftn" => fft::ifftn(&a, s, many, norm),
        "rfftn" => fft::rfftn(&a, s, many, norm),
        "irfftn" => fft::irfftn(&a, s, many, norm),
        "fftshift" => fft::fftshift(&a, many),
        "ifftshift" => fft::ifftshift(&a, many),
        other => panic!("{}: unknown op {other}", case.name),
    }
}

/// The largest magnitude of a float or complex array, as float64.
fn magnitude(a: &Array) -> f64 {
    let abs = mx::abs(&a.astype(mx::Dtype::Complex64).unwrap()).unwrap();
    mx::max(&abs, None, false)
        .unwrap()
        .astype(mx::Dtype::Float64)
        .unwrap()
        .item::<f64>()
        .unwrap()
}

/// MLX (pocketfft) and rustfft round differently, and the error of an FFT grows with the
/// size of the whole transform, so values are compared relative to the largest one.
#[test]
fn fft_matches_mlx() {
    let cases = load("ops/fft.json");
    assert!(cases.len() > 100);
    for case in cases.iter().filter(|c| !c.is_error()) {
        let got = run(case).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let want = array(&case.raw["expect"]);
        assert_eq!(got.shape(), want.shape(), "{}: shape", case.name);
        assert_eq!(got.dtype(), want.dtype(), "{}: dtype", case.name);
        let scale = magnitude(&want).max(1.0);
        let difference = magnitude(&mx::subtract(&got, &want).unwrap());
        assert!(
            difference <= 2e-6 * scale,
            "{}: differs by {difference} at scale {scale}: got {:?}, want {:?}",
            case.name,
            got.astype(mx::Dtype::Complex64)
                .and_then(|g| g.to_vec::<mx::Complex64>())
                .map(|v| v[..4].to_vec()),
            want.to_vec::<mx::Complex64>().map(|v| v[..4].to_vec()),
        );
    }
}

/// MLX's errors word for word, except where MLX reads out of bounds (an axis past the
/// array's rank reports "SmallVector out of range."): mx says which axis is wrong.
#[test]
fn fft_errors_read_as_mlx() {
    for case in load("ops/fft.json").iter().filter(|c| c.is_error()) {
        let want = case.raw["error"].as_str().unwrap_or_default();
        let got = run(case).and_then(|out| {
            mx::eval(&[&out])?;
            Ok(out)
        });
        let message = match got {
            Err(e) => e.message().to_string(),
            Ok(_) => panic!("{}: expected the error {want}", case.name),
        };
        if want == "SmallVector out of range." {
            assert!(message.contains("Invalid axis"), "{}: {message}", case.name);
        } else {
            assert_eq!(message, want, "{}", case.name);
        }
    }
}
