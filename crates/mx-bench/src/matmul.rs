//! The `matmul` suite: GEMM rates (NumPy's OpenBLAS is the peer, via `bench/compare/`),
//! GEMV against copy bandwidth on the weights, and bfloat16 against our float32 rate.

use crate::ops::{copy_bandwidth, random_input, time};
use crate::report::Row;
use mx::{Array, Dtype};

fn square(n: usize, dtype: Dtype) -> mx::Result<Array> {
    let a = random_input(n * n)?
        .reshape(&[n as isize, n as isize])?
        .astype(dtype)?;
    a.eval()?;
    Ok(a)
}

fn gflops(n: usize, seconds: f64) -> f64 {
    2.0 * (n * n * n) as f64 / seconds / 1e9
}

/// Runs the suite and returns its rows.
pub fn run(runs: usize) -> mx::Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut f32_rate = 0.0;
    for n in [512usize, 1024] {
        let (a, b) = (square(n, Dtype::Float32)?, square(n, Dtype::Float32)?);
        let seconds = time(runs, || mx::matmul(&a, &b)?.eval())?;
        f32_rate = gflops(n, seconds);
        rows.push(Row {
            case: format!("matmul_f32_{n}"),
            time_s: seconds,
            rate: f32_rate,
            unit: "GFLOP/s",
            ratio: None,
            versus: "NumPy in bench/compare",
        });
    }
    for (name, dtype) in [("bf16", Dtype::Bfloat16), ("f16", Dtype::Float16)] {
        let n = 1024;
        let (a, b) = (square(n, dtype)?, square(n, dtype)?);
        let seconds = time(runs, || mx::matmul(&a, &b)?.eval())?;
        let rate = gflops(n, seconds);
        rows.push(Row {
            case: format!("matmul_{name}_{n}"),
            time_s: seconds,
            rate,
            unit: "GFLOP/s",
            ratio: Some(rate / f32_rate),
            versus: "our f32 1024 rate",
        });
    }
    let copy = copy_bandwidth(runs)?;
    let n = 4096;
    let weights = square(n, Dtype::Float32)?;
    let x = random_input(n)?.reshape(&[1, n as isize])?;
    x.eval()?;
    let seconds = time(runs, || mx::matmul(&x, &weights)?.eval())?;
    let rate = (n * n * 4) as f64 / seconds / 1e9;
    rows.push(Row {
        case: "gemv_f32_1x4096x4096".into(),
        time_s: seconds,
        rate,
        unit: "GB/s",
        ratio: Some(rate / copy),
        versus: "copy bandwidth",
    });
    Ok(rows)
}
