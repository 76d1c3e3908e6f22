//! The `scientific` suite on the CPU: the quantized GEMV against copy bandwidth (counted
//! on the packed weight bytes), and conv2d against our own float32 matmul rate, each
//! measured in the same run.

use crate::ops::{copy_bandwidth, random_input, time};
use crate::report::Row;
use mx::{Device, QuantizationParams, Result};

/// Runs the suite and returns its rows.
pub fn run(runs: usize) -> Result<Vec<Row>> {
    mx::set_default_stream(mx::default_stream(Device::Cpu)?)?;
    let copy = copy_bandwidth(runs)?;
    let n = 4096;
    let w = random_input(n * n)?.reshape(&[n as isize, n as isize])?;
    let x = random_input(n)?.reshape(&[1, n as isize])?;
    let mut rows = Vec::new();
    for (case, bits) in [
        ("q4_g64_gemv_1x4096x4096_f32", 4),
        ("q8_g64_gemv_1x4096x4096_f32", 8),
    ] {
        let params = QuantizationParams::affine(64, bits);
        let q = mx::quantize(&w, &params, None)?;
        let biases = q.biases.clone().expect("affine has biases");
        mx::eval(&[&q.weights, &q.scales, &biases, &x])?;
        let bytes = (n * n * bits / 8) as f64;
        let seconds = time(runs, || {
            mx::quantized_matmul(&x, &q.weights, &q.scales, Some(&biases), true, &params)?.eval()
        })?;
        rows.push(Row::bandwidth(case, seconds, bytes, copy));
    }
    // conv2d 3x3, NHWC 32x56x56x64 -> 64, beside a 2048^3 matmul.
    let m = 2048;
    let a = random_input(m * m)?.reshape(&[m as isize, m as isize])?;
    mx::eval(&[&a])?;
    let matmul_seconds = time(runs, || mx::matmul(&a, &a)?.eval())?;
    let matmul_rate = 2.0 * (m * m * m) as f64 / matmul_seconds / 1e9;
    let (batch, side, channels) = (32usize, 56usize, 64usize);
    let image = random_input(batch * side * side * channels)?.reshape(&[
        batch as isize,
        side as isize,
        side as isize,
        channels as isize,
    ])?;
    let kernel = random_input(channels * 9 * channels)?.reshape(&[
        channels as isize,
        3,
        3,
        channels as isize,
    ])?;
    mx::eval(&[&image, &kernel])?;
    let seconds = time(runs, || {
        mx::conv2d(&image, &kernel, [1, 1], [1, 1], [1, 1], 1)?.eval()
    })?;
    let flops = 2.0 * (batch * side * side * channels * 9 * channels) as f64;
    let rate = flops / seconds / 1e9;
    rows.push(Row {
        case: "conv2d_3x3_32x56x56x64_f32".into(),
        time_s: seconds,
        rate,
        unit: "GFLOP/s",
        ratio: Some(rate / matmul_rate),
        versus: "f32 matmul rate (2048^3)",
    });
    Ok(rows)
}
