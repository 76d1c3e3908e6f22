//! The `ops` suite: large elementwise ops against copy bandwidth, and graph overhead.

use crate::report::Row;
use mx::{Array, Dtype};
use std::time::Instant;

const N: usize = 16 * 1024 * 1024;

pub(crate) fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Median seconds of `f` over `runs` runs after two warm-ups.
pub(crate) fn time(runs: usize, mut f: impl FnMut() -> mx::Result<()>) -> mx::Result<f64> {
    f()?;
    f()?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        samples.push(start.elapsed().as_secs_f64());
    }
    Ok(median(samples))
}

/// This machine's copy bandwidth (read + write) with every core, the limit for elementwise ops.
pub(crate) fn copy_bandwidth(runs: usize) -> mx::Result<f64> {
    let src = vec![1.0f32; N];
    let mut dst = vec![0.0f32; N];
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = N.div_ceil(threads);
    let seconds = time(runs, || {
        std::thread::scope(|scope| {
            for (d, s) in dst.chunks_mut(chunk).zip(src.chunks(chunk)) {
                scope.spawn(move || d.copy_from_slice(s));
            }
        });
        Ok(())
    })?;
    Ok(2.0 * (N * 4) as f64 / seconds / 1e9)
}

pub(crate) fn random_input(len: usize) -> mx::Result<Array> {
    let values: Vec<f32> = (0..len)
        .map(|i| ((i * 7919) % 1000) as f32 * 1e-3 - 0.5)
        .collect();
    Array::from_slice(&values, &[len])
}

/// Runs the suite and returns its rows.
pub fn run(runs: usize) -> mx::Result<Vec<Row>> {
    let copy = copy_bandwidth(runs)?;
    let mut rows = vec![Row {
        case: "copy_16M".into(),
        time_s: 2.0 * (N * 4) as f64 / copy / 1e9,
        rate: copy,
        unit: "GB/s",
        ratio: Some(1.0),
        versus: "copy bandwidth",
    }];
    let a = random_input(N)?;
    let b = random_input(N)?;
    let row = random_input(4096)?;
    let a2d = a.reshape(&[4096, 4096])?;
    mx::eval(&[&a, &b, &row, &a2d])?;

    let mut bandwidth_case =
        |case: &str, bytes: usize, f: &dyn Fn() -> mx::Result<Array>| -> mx::Result<()> {
            let seconds = time(runs, || f()?.eval())?;
            rows.push(Row::bandwidth(case, seconds, bytes as f64, copy));
            Ok(())
        };
    bandwidth_case("unary_abs_16M", 2 * 4 * N, &|| mx::abs(&a))?;
    bandwidth_case("unary_exp_16M", 2 * 4 * N, &|| mx::exp(&a))?;
    bandwidth_case("binary_add_16M", 3 * 4 * N, &|| mx::add(&a, &b))?;
    bandwidth_case("binary_add_bcast_16M", 2 * 4 * N, &|| mx::add(&a2d, &row))?;
    bandwidth_case("sum_last_4096x4096", 4 * N, &|| {
        mx::sum(&a2d, Some(&[-1]), false)
    })?;
    bandwidth_case("softmax_last_4096x4096", 2 * 4 * N, &|| {
        mx::softmax(&a2d, Some(&[-1]), false)
    })?;
    bandwidth_case("logsumexp_last_4096x4096", 4 * N, &|| {
        mx::logsumexp(&a2d, Some(&[-1]), false)
    })?;

    let sort_n = 1_000_000;
    let unsorted: Vec<f32> = (0..sort_n)
        .map(|i| ((i as u64 * 2_654_435_761) % 1_000_003) as f32 * 1e-3 - 500.0)
        .collect();
    let unsorted = Array::from_slice(&unsorted, &[sort_n])?;
    let seconds = time(runs, || mx::argsort(&unsorted, Some(0))?.eval())?;
    rows.push(Row {
        case: "argsort_1M".into(),
        time_s: seconds,
        rate: sort_n as f64 / seconds / 1e6,
        unit: "Melem/s",
        ratio: None,
        versus: "NumPy in bench/compare",
    });

    let x = random_input(256)?.astype(Dtype::Float32)?;
    mx::eval(&[&x])?;
    let ops = 100;
    let seconds = time(runs * 10, || {
        let mut y = x.clone();
        for _ in 0..ops {
            y = mx::add(&y, &x)?;
        }
        y.eval()
    })?;
    let per_op_us = seconds / ops as f64 * 1e6;
    rows.push(Row {
        case: "chain_100_tiny_adds".into(),
        time_s: seconds,
        rate: per_op_us,
        unit: "us/op",
        ratio: Some(per_op_us / 3.0),
        versus: "the 3 us/op target",
    });
    Ok(rows)
}
