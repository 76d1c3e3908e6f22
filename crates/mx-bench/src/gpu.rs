//! The `gpu` suite: the cases of `../shared/anchors/gpu_anchor.py` on mx's CUDA backend.
//! Memory-bound ops are measured against the device's copy bandwidth, taken in the same
//! run; `bench/compare/gpu.py` joins the rows with PyTorch's from the same device call.

use crate::ops::time;
use crate::report::Row;
use mx::{Array, Device, Dtype, Stream};

/// Random normal values of `shape` in `dtype`, made on the GPU.
fn normal(shape: &[usize], dtype: Dtype) -> mx::Result<Array> {
    let a = mx::random::normal(shape, Dtype::Float32, None, None, None)?.astype(dtype)?;
    a.eval()?;
    Ok(a)
}

fn row(
    case: &str,
    seconds: f64,
    rate: f64,
    unit: &'static str,
    ratio: Option<f64>,
    versus: &'static str,
) -> Row {
    Row {
        case: case.into(),
        time_s: seconds,
        rate,
        unit,
        ratio,
        versus,
    }
}

/// Builds one op to time.
type OpBuilder<'a> = dyn Fn() -> mx::Result<Array> + 'a;

/// Ops enqueued per timed evaluation: PyTorch's figures time the GPU work of one op with
/// CUDA events, so the fixed cost of one host synchronisation is spread over several.
const BATCH: usize = 10;

/// Median seconds of one `make()` op, timed over evaluations of `BATCH` of them.
/// `f` run with elementwise fusion off, then fusion back on.
fn without_fusion<T>(f: impl FnOnce() -> T) -> T {
    mx::gpu::set_fusion(false);
    let result = f();
    mx::gpu::set_fusion(true);
    result
}

/// Median seconds of `eval` alone, for graphs that `build` makes outside the timing.
fn time_eval(runs: usize, build: impl Fn() -> mx::Result<Array>) -> mx::Result<f64> {
    let mut samples = Vec::with_capacity(runs);
    for run in 0..runs + 2 {
        let graph = build()?;
        let start = std::time::Instant::now();
        graph.eval()?;
        if run >= 2 {
            samples.push(start.elapsed().as_secs_f64());
        }
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples[samples.len() / 2])
}

fn time_op(runs: usize, mut make: impl FnMut() -> mx::Result<Array>) -> mx::Result<f64> {
    let seconds = time(runs, || {
        let outputs = (0..BATCH)
            .map(|_| make())
            .collect::<mx::Result<Vec<Array>>>()?;
        let refs: Vec<&Array> = outputs.iter().collect();
        mx::eval(&refs)
    })?;
    Ok(seconds / BATCH as f64)
}

/// Runs the suite on the default GPU stream and returns its rows.
pub fn run(runs: usize) -> mx::Result<Vec<Row>> {
    let stream: Stream = mx::default_stream(Device::Gpu(0))?;
    mx::set_default_stream(stream)?;
    let mut rows = Vec::new();
    let n = 64 << 20;
    let copy = mx::gpu::copy_bandwidth(n * 4, runs)? / 1e9;
    rows.push(row(
        "gpu_copy_64M_f32",
        2.0 * (n * 4) as f64 / copy / 1e9,
        copy,
        "GB/s",
        Some(1.0),
        "copy bandwidth",
    ));

    let x = normal(&[n], Dtype::Float32)?;
    let y = normal(&[n], Dtype::Float32)?;
    let seconds = time_op(runs, || mx::exp(&x))?;
    let rate = 2.0 * (n * 4) as f64 / seconds / 1e9;
    rows.push(row(
        "gpu_exp_64M_f32",
        seconds,
        rate,
        "GB/s",
        Some(rate / copy),
        "copy bandwidth",
    ));
    let seconds = time_op(runs, || mx::add(&x, &y))?;
    let rate = 3.0 * (n * 4) as f64 / seconds / 1e9;
    rows.push(row(
        "gpu_add_64M_f32",
        seconds,
        rate,
        "GB/s",
        Some(rate / copy),
        "copy bandwidth",
    ));
    // One statement per step, as Python code drops each temporary: a Rust temporary
    // lives to the end of its statement, and a value still held is stored, not fused.
    let chain = || {
        let mut y = mx::multiply(&x, 1.5)?;
        y = mx::add(&y, 0.5)?;
        y = mx::sigmoid(&y)?;
        y = mx::multiply(&y, &x)?;
        y = mx::subtract(&y, 0.25)?;
        y.eval()
    };
    let seconds = time(runs, chain)?;
    let rate = 2.0 * (n * 4) as f64 / seconds / 1e9;
    rows.push(row(
        "gpu_chain_eager_64M_f32",
        seconds,
        rate,
        "GB/s",
        Some(rate / copy),
        "copy bandwidth",
    ));
    let seconds = without_fusion(|| time(runs, chain))?;
    let rate = 2.0 * (n * 4) as f64 / seconds / 1e9;
    rows.push(row(
        "gpu_chain_eager_64M_f32_unfused",
        seconds,
        rate,
        "GB/s",
        Some(rate / copy),
        "copy bandwidth",
    ));
    drop((x, y));

    let side = 8192;
    let t = normal(&[side, side], Dtype::Bfloat16)?;
    let bytes = (side * side * 2) as f64;
    let seconds = time_op(runs, || mx::sum(&t, Some(&[-1]), false))?;
    rows.push(row(
        "gpu_sum_last_8192x8192_bf16",
        seconds,
        bytes / seconds / 1e9,
        "GB/s",
        None,
        "PyTorch in bench/compare",
    ));
    let seconds = time_op(runs, || mx::softmax(&t, Some(&[-1]), false))?;
    rows.push(row(
        "gpu_softmax_last_8192x8192_bf16",
        seconds,
        2.0 * bytes / seconds / 1e9,
        "GB/s",
        None,
        "PyTorch in bench/compare",
    ));
    // Reductions over strided elements against the copy bandwidth; the rate counts the
    // bytes each op must move. All are read in place: the 8192² columns by lanes split into
    // parts, the 64 × 1M ones one thread per lane.
    let seconds = time_op(runs, || mx::sum(&t, Some(&[0]), false))?;
    let rate = bytes / seconds / 1e9;
    rows.push(row(
        "gpu_sum_columns_8192x8192_bf16",
        seconds,
        rate,
        "GB/s",
        Some(rate / copy),
        "copy bandwidth",
    ));
    let wide = normal(&[64, 1 << 20], Dtype::Bfloat16)?;
    let wide_bytes = (64 << 20) as f64 * 2.0;
    let transposed = wide.transpose(None)?;
    let strided: [(&str, f64, &OpBuilder); 3] = [
        ("gpu_sum_columns_64x1M_bf16", 1.0, &|| {
            mx::sum(&wide, Some(&[0]), false)
        }),
        ("gpu_cumsum_columns_64x1M_bf16", 2.0, &|| {
            mx::cumsum(&wide, Some(0), mx::ScanOptions::default(), None)
        }),
        ("gpu_softmax_transposed_1Mx64_bf16", 2.0, &|| {
            mx::softmax(&transposed, Some(&[-1]), false)
        }),
    ];
    for (case, passes, op) in strided {
        let seconds = time_op(runs, op)?;
        let rate = passes * wide_bytes / seconds / 1e9;
        rows.push(row(
            case,
            seconds,
            rate,
            "GB/s",
            Some(rate / copy),
            "copy bandwidth",
        ));
    }
    // The fused ops of mx::fast: a norm and a decode step of attention over 4096 cached
    // keys, against copy bandwidth on the bytes they must read and write.
    let weight = normal(&[side], Dtype::Bfloat16)?;
    let seconds = time_op(runs, || mx::fast::rms_norm(&t, Some(&weight), 1e-5))?;
    let rate = 2.0 * bytes / seconds / 1e9;
    rows.push(row(
        "gpu_rms_norm_8192x8192_bf16",
        seconds,
        rate,
        "GB/s",
        Some(rate / copy),
        "copy bandwidth",
    ));
    let (heads, kv_heads, keys, depth) = (32usize, 8usize, 4096usize, 128usize);
    let q = normal(&[1, heads, 1, depth], Dtype::Bfloat16)?;
    let k = normal(&[1, kv_heads, keys, depth], Dtype::Bfloat16)?;
    let v = normal(&[1, kv_heads, keys, depth], Dtype::Bfloat16)?;
    let scale = (depth as f32).powf(-0.5);
    let seconds = time_op(runs, || {
        mx::fast::scaled_dot_product_attention(&q, &k, &v, scale, mx::fast::Mask::None, None)
    })?;
    let rate = (2 * kv_heads * keys * depth * 2) as f64 / seconds / 1e9;
    rows.push(row(
        "gpu_sdpa_decode_32q8kv_4096x128_bf16",
        seconds,
        rate,
        "GB/s",
        Some(rate / copy),
        "copy bandwidth",
    ));
    drop((t, wide, transposed, q, k, v));

    for (name, dtype) in [("bf16", Dtype::Bfloat16), ("f32", Dtype::Float32)] {
        let size = 4096;
        let (a, b) = (normal(&[size, size], dtype)?, normal(&[size, size], dtype)?);
        let bt = b.transpose(None)?;
        let seconds = time_op(runs, || mx::matmul(&a, &bt))?;
        let flops = 2.0 * (size * size * size) as f64;
        rows.push(row(
            &format!("gpu_matmul_4096_{name}"),
            seconds,
            flops / seconds / 1e12,
            "TFLOP/s",
            None,
            "PyTorch in bench/compare",
        ));
    }
    for (m, rows_out, k) in [(1usize, 4096usize, 4096usize), (16, 4096, 14336)] {
        let w = normal(&[rows_out, k], Dtype::Bfloat16)?;
        let x = normal(&[m, k], Dtype::Bfloat16)?;
        let wt = w.transpose(None)?;
        let seconds = time_op(runs, || mx::matmul(&x, &wt))?;
        let rate = (rows_out * k * 2) as f64 / seconds / 1e9;
        rows.push(row(
            &format!("gpu_gemv_{m}x{rows_out}x{k}_bf16"),
            seconds,
            rate,
            "GB/s",
            None,
            "PyTorch in bench/compare",
        ));
    }

    let small = normal(&[256], Dtype::Float32)?;
    let build = || {
        let mut z = small.clone();
        for _ in 0..100 {
            z = mx::add(&z, 1.0)?;
        }
        Ok(z)
    };
    let chain = || build()?.eval();
    let seconds = time(runs, chain)?;
    rows.push(row(
        "gpu_tiny_add_chain_100",
        seconds,
        seconds * 1e6 / 100.0,
        "us/op",
        None,
        "PyTorch in bench/compare",
    ));
    // The same chain with one kernel per op.
    let seconds = without_fusion(|| time(runs, chain))?;
    rows.push(row(
        "gpu_tiny_add_chain_100_unfused",
        seconds,
        seconds * 1e6 / 100.0,
        "us/op",
        None,
        "one launch per op",
    ));
    // Evaluation alone, fused and not, with what fusion and NVRTC did meanwhile.
    let (fused_before, compiled_before) =
        (mx::gpu::fusion_counts(), mx::gpu::kernel_compilations());
    let seconds = time_eval(runs, build)?;
    let (fused_after, compiled_after) = (mx::gpu::fusion_counts(), mx::gpu::kernel_compilations());
    eprintln!(
        "tiny-add eval: {} fused kernels ran {} ops, {} NVRTC compilations",
        fused_after.0 - fused_before.0,
        fused_after.1 - fused_before.1,
        compiled_after - compiled_before
    );
    rows.push(row(
        "gpu_tiny_add_eval_only_100",
        seconds,
        seconds * 1e6 / 100.0,
        "us/op",
        None,
        "evaluation alone",
    ));
    let seconds = without_fusion(|| time_eval(runs, build))?;
    rows.push(row(
        "gpu_tiny_add_eval_only_100_unfused",
        seconds,
        seconds * 1e6 / 100.0,
        "us/op",
        None,
        "evaluation alone",
    ));
    // The host's share of that: building the same graph without evaluating it.
    let seconds = time(runs, || {
        let mut z = small.clone();
        for _ in 0..100 {
            z = mx::add(&z, 1.0)?;
        }
        drop(z);
        Ok(())
    })?;
    rows.push(row(
        "gpu_tiny_add_build_only_100",
        seconds,
        seconds * 1e6 / 100.0,
        "us/op",
        None,
        "graph building alone",
    ));
    // The driver's share: an empty kernel launched back to back, nothing else.
    let seconds = mx::gpu::empty_launch_seconds(100)?;
    rows.push(row(
        "gpu_empty_launch",
        seconds,
        seconds * 1e6,
        "us/op",
        None,
        "driver floor per launch",
    ));
    Ok(rows)
}
