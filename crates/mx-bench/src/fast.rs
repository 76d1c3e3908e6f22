//! The `fast` suite on the CPU: the norms against copy bandwidth, and attention against a
//! float32 matmul of the same FLOPs, each measured in the same run.

use crate::ops::{copy_bandwidth, random_input, time};
use crate::report::Row;
use mx::fast::Mask;
use mx::{Device, Result};

/// Runs the suite and returns its rows.
pub fn run(runs: usize) -> Result<Vec<Row>> {
    mx::set_default_stream(mx::default_stream(Device::Cpu)?)?;
    let copy = copy_bandwidth(runs)?;
    let n = 4096;
    let x = random_input(n * n)?.reshape(&[n as isize, n as isize])?;
    let weight = random_input(n)?;
    let bias = mx::multiply(&weight, 0.5)?;
    mx::eval(&[&x, &weight, &bias])?;
    let bytes = (2 * n * n * 4) as f64;
    let mut rows = Vec::new();
    let norms: [(&str, &dyn Fn() -> Result<mx::Array>); 2] = [
        ("rms_norm_4096x4096_f32", &|| {
            mx::fast::rms_norm(&x, Some(&weight), 1e-5)
        }),
        ("layer_norm_4096x4096_f32", &|| {
            mx::fast::layer_norm(&x, Some(&weight), Some(&bias), 1e-5)
        }),
    ];
    for (case, op) in norms {
        let seconds = time(runs, || op()?.eval())?;
        rows.push(Row::bandwidth(case, seconds, bytes, copy));
    }
    // 1×32×1024×128 attention: two products of 32 × 1024 × 1024 × 128 multiply-adds.
    let (heads, length, depth) = (32usize, 1024usize, 128usize);
    let shape = [1, heads as isize, length as isize, depth as isize];
    let q = mx::multiply(&random_input(heads * length * depth)?.reshape(&shape)?, 0.3)?;
    let k = mx::add(&q, 0.1)?;
    let v = mx::subtract(&q, 0.2)?;
    let a = random_input(heads * length * depth)?
        .reshape(&[(heads * length) as isize, depth as isize])?;
    let b = random_input(depth * 2 * length)?.reshape(&[depth as isize, 2 * length as isize])?;
    mx::eval(&[&q, &k, &v, &a, &b])?;
    let flops = 2.0 * 2.0 * (heads * length * length * depth) as f64;
    let matmul = time(runs, || mx::matmul(&a, &b)?.eval())?;
    let scale = (depth as f32).powf(-0.5);
    for (case, mask) in [
        ("sdpa_1x32x1024x128_f32", Mask::None),
        ("sdpa_causal_1x32x1024x128_f32", Mask::Causal),
    ] {
        let seconds = time(runs, || {
            mx::fast::scaled_dot_product_attention(&q, &k, &v, scale, mask, None)?.eval()
        })?;
        rows.push(Row {
            case: case.into(),
            time_s: seconds,
            rate: flops / seconds / 1e9,
            unit: "GFLOP/s",
            ratio: Some(seconds / matmul),
            versus: "time of a matmul of the same FLOPs",
        });
    }
    Ok(rows)
}
