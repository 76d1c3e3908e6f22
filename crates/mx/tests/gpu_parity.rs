//! The backend-parity harness: every op × dtype × layout class (contiguous, transposed,
//! broadcast, empty, large) runs on the GPU and on the CPU, and the results must agree.
//!
//! The measure is the normalised squared error `Σ(gpu - cpu)² / Σ cpu²`, with a threshold
//! per dtype; integers and bools must match exactly, and a NaN where the CPU has none
//! fails. Every device block gets guard bytes, so a kernel writing out of bounds fails the
//! run. At the end the harness prints the coverage table: the ops that ran on the host
//! because the GPU has no kernel for them.
//!
//! Without a GPU the test is skipped with a printed reason, unless `MX_REQUIRE_GPU=1`.

use mx::{Array, Device, Dtype, Result, Stream};

#[path = "gpu_parity/fast.rs"]
mod fast;
#[path = "gpu_parity/lanes.rs"]
mod lanes;
#[path = "gpu_parity/random.rs"]
mod random;
#[path = "gpu_parity/scientific.rs"]
mod scientific;
#[path = "gpu_parity/transforms.rs"]
mod transforms;

const FLOATS: [Dtype; 3] = [Dtype::Float32, Dtype::Float16, Dtype::Bfloat16];
/// Every dtype with GPU kernels: all but float64 (an error on the GPU, as in MLX).
fn all_dtypes() -> impl Iterator<Item = Dtype> {
    Dtype::ALL.into_iter().filter(|d| *d != Dtype::Float64)
}

/// The GPU stream, or `None` (after saying why) when the test must be skipped.
fn gpu_stream() -> Option<Stream> {
    if mx::gpu::is_available() {
        return Some(mx::default_stream(Device::Gpu(0)).expect("GPU stream"));
    }
    let why = mx::default_stream(Device::Gpu(0))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    if std::env::var("MX_REQUIRE_GPU").as_deref() == Ok("1") {
        panic!("MX_REQUIRE_GPU=1 but no GPU is usable: {why}");
    }
    eprintln!("gpu_parity skipped: no GPU ({why})");
    None
}

/// A value range for generated inputs.
#[derive(Clone, Copy)]
struct Domain(f64, f64);

const GENERAL: Domain = Domain(-3.0, 3.0);

/// Deterministic inputs of `shape` and `dtype` in `domain`, built on the host.
fn input(shape: &[usize], dtype: Dtype, domain: Domain, seed: u64) -> Array {
    let size: usize = shape.iter().product();
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let cpu = mx::default_stream(Device::Cpu).expect("CPU stream");
    mx::with_stream(cpu, || {
        let array = if dtype == Dtype::Complex64 {
            let values: Vec<mx::Complex64> = (0..size)
                .map(|_| {
                    let re = domain.0 + (domain.1 - domain.0) * next();
                    let im = domain.0 + (domain.1 - domain.0) * next();
                    mx::Complex64::new(re as f32, im as f32)
                })
                .collect();
            Array::from_slice(&values, shape)?
        } else if dtype.is_floating() {
            let values: Vec<f32> = (0..size)
                .map(|_| (domain.0 + (domain.1 - domain.0) * next()) as f32)
                .collect();
            Array::from_slice(&values, shape)?.astype(dtype)?
        } else {
            let (low, high) = match dtype {
                Dtype::Bool => (0.0, 2.0),
                Dtype::Uint8 | Dtype::Uint16 | Dtype::Uint32 | Dtype::Uint64 => (0.0, 100.0),
                _ => (-50.0, 50.0),
            };
            let values: Vec<i64> = (0..size)
                .map(|_| (low + (high - low) * next()).floor() as i64)
                .collect();
            Array::from_slice(&values, shape)?.astype(dtype)?
        };
        array.eval()?;
        Ok::<Array, mx::Error>(array)
    })
    .expect("input")
}

/// Layout classes of one operand of `shape` (two dimensions).
fn layouts(
    shape: [usize; 2],
    dtype: Dtype,
    domain: Domain,
    seed: u64,
) -> Vec<(&'static str, Array)> {
    let [rows, cols] = shape;
    vec![
        ("contiguous", input(&shape, dtype, domain, seed)),
        (
            "transposed",
            input(&[cols, rows], dtype, domain, seed + 1)
                .transpose(None)
                .expect("transpose"),
        ),
        (
            "broadcast",
            input(&[1, cols], dtype, domain, seed + 2)
                .broadcast_to(&shape)
                .expect("broadcast"),
        ),
        ("empty", input(&[0, cols], dtype, domain, seed + 3)),
        ("large", input(&[1 << 10, 1 << 10], dtype, domain, seed + 4)),
    ]
}

struct Harness {
    cpu: Stream,
    gpu: Stream,
    checked: usize,
    failures: Vec<String>,
}

/// Scans in half precision: the CPU rounds the running value to the half type at every
/// step, so its error grows with the row (the GPU carries float32).
fn scan_tolerance(dtype: Dtype) -> Option<f64> {
    match dtype {
        Dtype::Float16 => Some(1e-4),
        Dtype::Bfloat16 => Some(1e-2),
        _ => None,
    }
}

fn threshold(dtype: Dtype) -> f64 {
    match dtype {
        Dtype::Float16 => 1e-5,
        Dtype::Bfloat16 => 1e-3,
        _ => 1e-9,
    }
}

impl Harness {
    /// Runs `f` on both streams and compares. Both failing (an invalid combination) agrees.
    fn check(&mut self, label: &str, tolerance: Option<f64>, f: &dyn Fn() -> Result<Array>) {
        let run = |stream: Stream| {
            mx::with_stream(stream, f).and_then(|a| {
                a.eval()?;
                Ok(a)
            })
        };
        self.checked += 1;
        let (cpu, gpu) = (run(self.cpu), run(self.gpu));
        let failure = match (cpu, gpu) {
            (Ok(c), Ok(g)) => compare(&c, &g, tolerance),
            (Err(_), Err(_)) => None,
            (Ok(_), Err(e)) => Some(format!("GPU failed where the CPU did not: {e}")),
            (Err(e), Ok(_)) => Some(format!("CPU failed ({e}) where the GPU did not")),
        };
        if let Some(why) = failure {
            self.failures.push(format!("{label}: {why}"));
        }
    }
}

impl Harness {
    /// Runs `f` on both streams; both must fail with the same message.
    fn check_error(&mut self, label: &str, f: &dyn Fn() -> Result<Array>) {
        let run = |stream: Stream| mx::with_stream(stream, f).and_then(|a| a.eval());
        self.checked += 1;
        match (run(self.cpu), run(self.gpu)) {
            (Err(c), Err(g)) if c == g => {}
            (c, g) => self
                .failures
                .push(format!("{label}: CPU gave {c:?}, GPU gave {g:?}")),
        }
    }
}

fn compare(cpu: &Array, gpu: &Array, tolerance: Option<f64>) -> Option<String> {
    if cpu.shape() != gpu.shape() || cpu.dtype() != gpu.dtype() {
        return Some(format!(
            "shape/dtype {:?} {} on the CPU, {:?} {} on the GPU",
            cpu.shape(),
            cpu.dtype(),
            gpu.shape(),
            gpu.dtype()
        ));
    }
    if cpu.dtype() == Dtype::Complex64 {
        // Real and imaginary parts side by side.
        let parts = |a: &Array| {
            a.reshape(&[-1])?.view(Dtype::Float32).and_then(|v| {
                v.eval()?;
                Ok(v)
            })
        };
        return match (parts(cpu), parts(gpu)) {
            (Ok(c), Ok(g)) => compare(&c, &g, tolerance),
            (c, g) => Some(format!(
                "complex parts: CPU {:?}, GPU {:?}",
                c.err(),
                g.err()
            )),
        };
    }
    if !cpu.dtype().is_floating() {
        let (c, g) = (cpu.to_vec::<i64>().ok()?, gpu.to_vec::<i64>().ok()?);
        let wrong = c.iter().zip(&g).position(|(a, b)| a != b)?;
        return Some(format!(
            "element {wrong}: CPU {} GPU {}",
            c[wrong], g[wrong]
        ));
    }
    let (c, g) = (cpu.to_vec::<f64>().ok()?, gpu.to_vec::<f64>().ok()?);
    let (mut error, mut norm) = (0.0, 0.0);
    for (i, (&a, &b)) in c.iter().zip(&g).enumerate() {
        if a.is_nan() != b.is_nan() || (a.is_infinite() || b.is_infinite()) && a != b {
            return Some(format!("element {i}: CPU {a} GPU {b}"));
        }
        if a.is_finite() {
            error += (a - b) * (a - b);
            norm += a * a;
        }
    }
    if tolerance == Some(0.0) {
        // Exact: equal values, or NaN on both sides.
        if let Some(i) = c
            .iter()
            .zip(&g)
            .position(|(a, b)| a != b && !(a.is_nan() && b.is_nan()))
        {
            return Some(format!("element {i}: CPU {} GPU {}", c[i], g[i]));
        }
    }
    let nse = error / norm.max(1e-30);
    let limit = tolerance.unwrap_or(threshold(cpu.dtype()));
    (nse > limit).then(|| format!("normalised squared error {nse:.3e} > {limit:.0e}"))
}

fn unary_domain(name: &str, dtype: Dtype) -> Domain {
    match name {
        // Complex tanh has poles at imaginary parts of ±π/2, where the last-ulp
        // differences of the libraries grow without bound.
        "tanh" if dtype == Dtype::Complex64 => Domain(-1.2, 1.2),
        "sqrt" | "rsqrt" | "log" | "log2" | "log10" | "log1p" | "reciprocal" => Domain(0.1, 4.0),
        "arccosh" => Domain(1.1, 4.0),
        "arcsin" | "arccos" | "arctanh" | "erfinv" => Domain(-0.9, 0.9),
        "tan" => Domain(-1.2, 1.2),
        _ => GENERAL,
    }
}

type UnaryFn = fn(&Array) -> Result<Array>;
type BinaryFn = fn(&Array, &Array) -> Result<Array>;

const UNARY: [(&str, UnaryFn); 39] = [
    ("abs", mx::abs),
    ("negative", mx::negative),
    ("sign", mx::sign),
    ("sqrt", mx::sqrt),
    ("rsqrt", mx::rsqrt),
    ("square", mx::square),
    ("reciprocal", mx::reciprocal),
    ("exp", mx::exp),
    ("exp2", mx::exp2),
    ("expm1", mx::expm1),
    ("log", mx::log),
    ("log1p", mx::log1p),
    ("log2", mx::log2),
    ("log10", mx::log10),
    ("sin", mx::sin),
    ("cos", mx::cos),
    ("tan", mx::tan),
    ("arcsin", mx::arcsin),
    ("arccos", mx::arccos),
    ("arctan", mx::arctan),
    ("sinh", mx::sinh),
    ("cosh", mx::cosh),
    ("tanh", mx::tanh),
    ("arcsinh", mx::arcsinh),
    ("arccosh", mx::arccosh),
    ("arctanh", mx::arctanh),
    ("sigmoid", mx::sigmoid),
    ("erf", mx::erf),
    ("erfinv", mx::erfinv),
    ("floor", mx::floor),
    ("ceil", mx::ceil),
    ("logical_not", mx::logical_not),
    ("bitwise_invert", mx::bitwise_invert),
    ("isnan", mx::isnan),
    ("isinf", mx::isinf),
    ("isfinite", mx::isfinite),
    ("isposinf", mx::isposinf),
    ("isneginf", mx::isneginf),
    ("round", |a| mx::round(a, 0)),
];

const BINARY: [(&str, BinaryFn); 24] = [
    ("add", |a, b| mx::add(a, b)),
    ("subtract", |a, b| mx::subtract(a, b)),
    ("multiply", |a, b| mx::multiply(a, b)),
    ("divide", |a, b| mx::divide(a, b)),
    ("floor_divide", |a, b| mx::floor_divide(a, b)),
    ("remainder", |a, b| mx::remainder(a, b)),
    ("power", |a, b| mx::power(a, b)),
    ("maximum", |a, b| mx::maximum(a, b)),
    ("minimum", |a, b| mx::minimum(a, b)),
    ("arctan2", |a, b| mx::arctan2(a, b)),
    ("logaddexp", |a, b| mx::logaddexp(a, b)),
    ("equal", |a, b| mx::equal(a, b)),
    ("not_equal", |a, b| mx::not_equal(a, b)),
    ("less", |a, b| mx::less(a, b)),
    ("less_equal", |a, b| mx::less_equal(a, b)),
    ("greater", |a, b| mx::greater(a, b)),
    ("greater_equal", |a, b| mx::greater_equal(a, b)),
    ("logical_and", |a, b| mx::logical_and(a, b)),
    ("logical_or", |a, b| mx::logical_or(a, b)),
    ("bitwise_and", |a, b| mx::bitwise_and(a, b)),
    ("bitwise_or", |a, b| mx::bitwise_or(a, b)),
    ("bitwise_xor", |a, b| mx::bitwise_xor(a, b)),
    ("left_shift", |a, b| mx::left_shift(a, b)),
    ("right_shift", |a, b| mx::right_shift(a, b)),
];

fn binary_domains(name: &str, dtype: Dtype) -> (Domain, Domain) {
    let float = dtype.is_floating();
    match name {
        "power" if float => (Domain(0.1, 3.0), Domain(-2.0, 2.0)),
        "power" => (Domain(-5.0, 5.0), Domain(0.0, 5.0)),
        "divide" | "floor_divide" | "remainder" if float => (GENERAL, Domain(0.5, 3.0)),
        "left_shift" | "right_shift" => (GENERAL, Domain(0.0, 40.0)),
        _ => (GENERAL, GENERAL),
    }
}

fn elementwise(h: &mut Harness) {
    for dtype in all_dtypes() {
        for (name, f) in UNARY {
            for (class, x) in layouts([37, 65], dtype, unary_domain(name, dtype), 11) {
                h.check(&format!("{name} {dtype} {class}"), None, &|| f(&x));
            }
        }
        for (name, f) in BINARY {
            let (da, db) = binary_domains(name, dtype);
            let b_full = input(&[37, 65], dtype, db, 23);
            for (class, a) in layouts([37, 65], dtype, da, 17) {
                let b = if a.shape() == [37, 65] {
                    b_full.clone()
                } else {
                    input(a.shape(), dtype, db, 29)
                };
                h.check(&format!("{name} {dtype} {class}"), None, &|| f(&a, &b));
            }
            let a = input(&[37, 65], dtype, da, 31);
            let row = input(&[65], dtype, db, 37);
            let scalar = input(&[], dtype, db, 41);
            h.check(&format!("{name} {dtype} row-broadcast"), None, &|| {
                f(&a, &row)
            });
            h.check(&format!("{name} {dtype} scalar"), None, &|| f(&a, &scalar));
        }
        for to in all_dtypes() {
            for (class, x) in layouts([37, 65], dtype, GENERAL, 43) {
                h.check(&format!("astype {dtype}->{to} {class}"), None, &|| {
                    x.astype(to)
                });
            }
        }
        let condition = input(&[37, 65], Dtype::Bool, GENERAL, 47);
        let (x, y) = (
            input(&[37, 65], dtype, GENERAL, 53),
            input(&[65], dtype, GENERAL, 59),
        );
        h.check(&format!("where {dtype}"), None, &|| {
            mx::where_(&condition, &x, &y)
        });
    }
}

fn reductions(h: &mut Harness) {
    type ReduceFn = fn(&Array, Option<&[isize]>, bool) -> Result<Array>;
    let kinds: [(&str, ReduceFn, Domain); 6] = [
        ("sum", mx::sum, GENERAL),
        ("prod", mx::prod, Domain(0.7, 1.3)),
        ("max", mx::max, GENERAL),
        ("min", mx::min, GENERAL),
        ("all", mx::all, GENERAL),
        ("any", mx::any, GENERAL),
    ];
    for dtype in all_dtypes() {
        for (name, f, domain) in kinds {
            for (class, x) in layouts([37, 65], dtype, domain, 61) {
                for axes in [Some(&[-1isize][..]), Some(&[0][..]), None] {
                    h.check(
                        &format!("{name} {dtype} {class} axes {axes:?}"),
                        None,
                        &|| f(&x, axes, false),
                    );
                }
            }
        }
        for (class, x) in layouts([37, 65], dtype, GENERAL, 67) {
            h.check(&format!("argmax {dtype} {class}"), None, &|| {
                mx::argmax(&x, Some(-1), false)
            });
            h.check(
                &format!("cumsum {dtype} {class}"),
                scan_tolerance(dtype),
                &|| mx::cumsum(&x, Some(-1), Default::default(), None),
            );
            h.check(&format!("sort {dtype} {class}"), None, &|| {
                mx::sort(&x, Some(-1))
            });
            h.check(&format!("argsort {dtype} {class}"), None, &|| {
                mx::argsort(&x, Some(0))
            });
            h.check(&format!("topk {dtype} {class}"), None, &|| {
                mx::topk(&x, 3, Some(-1))
            });
            h.check(&format!("cummax {dtype} {class}"), None, &|| {
                mx::cummax(&x, Some(-1), Default::default())
            });
            h.check(&format!("cummin {dtype} {class}"), None, &|| {
                mx::cummin(&x, Some(0), Default::default())
            });
            if dtype.is_floating() {
                h.check(
                    &format!("logcumsumexp {dtype} {class}"),
                    scan_tolerance(dtype),
                    &|| mx::logcumsumexp(&x, Some(-1), Default::default()),
                );
            }
        }
    }
    for dtype in FLOATS {
        for (class, x) in layouts([37, 65], dtype, GENERAL, 71) {
            h.check(&format!("softmax {dtype} {class}"), None, &|| {
                mx::softmax(&x, Some(&[-1]), false)
            });
            h.check(&format!("softmax precise {dtype} {class}"), None, &|| {
                mx::softmax(&x, Some(&[-1]), true)
            });
            if x.size() > 0 {
                h.check(&format!("logsumexp {dtype} {class}"), None, &|| {
                    mx::logsumexp(&x, Some(&[-1]), false)
                });
            }
        }
    }
}

fn products(h: &mut Harness) {
    // TF32 products keep about 10 mantissa bits.
    let tf32 = Some(1e-5);
    for dtype in FLOATS {
        let tolerance = if dtype == Dtype::Float32 { tf32 } else { None };
        let a = input(&[33, 48], dtype, GENERAL, 73);
        let b = input(&[48, 40], dtype, GENERAL, 79);
        let bt = input(&[40, 48], dtype, GENERAL, 83)
            .transpose(None)
            .expect("transpose");
        let batched = input(&[3, 33, 48], dtype, GENERAL, 89);
        let vector = input(&[48], dtype, GENERAL, 97);
        let bias = input(&[40], dtype, GENERAL, 101);
        h.check(&format!("matmul {dtype}"), tolerance, &|| {
            mx::matmul(&a, &b)
        });
        h.check(&format!("matmul {dtype} transposed"), tolerance, &|| {
            mx::matmul(&a, &bt)
        });
        h.check(
            &format!("matmul {dtype} batch-broadcast"),
            tolerance,
            &|| mx::matmul(&batched, &b),
        );
        h.check(&format!("matmul {dtype} vector"), tolerance, &|| {
            mx::matmul(&vector, &b)
        });
        h.check(&format!("matmul {dtype} empty"), tolerance, &|| {
            mx::matmul(&a.slice(&[mx::Slice::range(0, 0)])?, &b)
        });
        h.check(&format!("addmm {dtype}"), tolerance, &|| {
            mx::addmm(&bias, &a, &b, 0.5, 2.0)
        });
        let big_a = input(&[256, 512], dtype, GENERAL, 103);
        let big_b = input(&[512, 384], dtype, GENERAL, 107);
        h.check(&format!("matmul {dtype} large"), tolerance, &|| {
            mx::matmul(&big_a, &big_b)
        });
    }
    let complex_a = input(&[33, 48], Dtype::Complex64, GENERAL, 191);
    let complex_b = input(&[2, 40, 48], Dtype::Complex64, GENERAL, 193);
    h.check("matmul complex64 batch-broadcast transposed", None, &|| {
        mx::matmul(&complex_a, &complex_b.swapaxes(-1, -2)?)
    });
    for dtype in all_dtypes() {
        let x = input(&[37, 65], dtype, GENERAL, 109);
        let y = input(&[5, 65], dtype, GENERAL, 113);
        h.check(&format!("concatenate {dtype}"), None, &|| {
            mx::concatenate(&[&x, &y], Some(0))
        });
        let indices = Array::from_slice(&[3i32, 0, 36, 7], &[4]).expect("indices");
        h.check(&format!("take {dtype}"), None, &|| {
            mx::take(&x, &indices, Some(0))
        });
        h.check(&format!("arange {dtype}"), None, &|| {
            mx::arange(0, 50, 3, Some(dtype))
        });
        let rows = Array::from_slice(&[3i32, 0, 3, -1], &[4]).expect("rows");
        let updates = input(&[4, 65], dtype, GENERAL, 139);
        h.check(&format!("scatter set {dtype}"), None, &|| {
            x.at(&mx::idx![&rows]).set(&updates)
        });
        h.check(&format!("scatter add {dtype}"), None, &|| {
            x.at(&mx::idx![&rows]).add(&updates)
        });
        h.check(&format!("scatter multiply {dtype}"), None, &|| {
            x.at(&mx::idx![&rows]).multiply(&updates)
        });
        h.check(&format!("scatter maximum {dtype}"), None, &|| {
            x.at(&mx::idx![&rows]).maximum(&updates)
        });
        h.check(&format!("scatter minimum {dtype}"), None, &|| {
            x.at(&mx::idx![&rows]).minimum(&updates)
        });
        let bad_rows = Array::from_slice(&[3i32, 37], &[2]).expect("rows");
        h.check_error(&format!("scatter {dtype} out of range"), &|| {
            x.at(&mx::idx![&bad_rows]).add(1)
        });
        let out_of_range = Array::from_slice(&[3i32, 40], &[2]).expect("indices");
        h.check_error(&format!("take {dtype} out of range"), &|| {
            mx::take(&x, &out_of_range, Some(0))
        });
        let y_columns = input(&[37, 5], dtype, GENERAL, 127);
        h.check(&format!("concatenate {dtype} axis 1"), None, &|| {
            mx::concatenate(&[&x, &y_columns], Some(1))
        });
        h.check(
            &format!("cumsum {dtype} reverse exclusive axis 0"),
            None,
            &|| {
                mx::cumsum(
                    &x,
                    Some(0),
                    mx::ScanOptions {
                        reverse: true,
                        inclusive: false,
                    },
                    None,
                )
            },
        );
        h.check(&format!("view {dtype} as uint8"), None, &|| {
            x.view(Dtype::Uint8)
        });
    }
}

/// `exp(x * 1.5 + 0.5) * x - 0.25`, then cast: one fused kernel on the GPU.
fn fused_chain(x: &Array) -> Result<Array> {
    let y = mx::exp(&mx::add(&mx::multiply(x, 1.5)?, 0.5)?)?;
    mx::subtract(&mx::multiply(&y, x)?, 0.25)?.astype(Dtype::Float32)
}

/// Fused elementwise runs agree with the CPU, and bit for bit with the unfused kernels.
fn fusion(h: &mut Harness) {
    for dtype in [
        Dtype::Float32,
        Dtype::Float16,
        Dtype::Bfloat16,
        Dtype::Complex64,
    ] {
        let x = input(&[37, 65], dtype, GENERAL, 181);
        let (launches_before, _) = mx::gpu::fusion_counts();
        h.check(&format!("fused chain {dtype}"), None, &|| fused_chain(&x));
        let (launches_after, _) = mx::gpu::fusion_counts();
        if launches_after == launches_before {
            h.failures
                .push(format!("fused chain {dtype}: nothing was fused"));
        }
        let gpu_run = |fuse: bool| {
            mx::gpu::set_fusion(fuse);
            let out = mx::with_stream(h.gpu, || fused_chain(&x)).and_then(|a| {
                a.eval()?;
                a.view(Dtype::Uint32)?.to_vec::<u32>()
            });
            mx::gpu::set_fusion(true);
            out
        };
        if gpu_run(true).ok() != gpu_run(false).ok() {
            h.failures.push(format!(
                "fused chain {dtype}: fused and unfused bits differ"
            ));
        }
    }
    let small = input(&[256], Dtype::Int32, GENERAL, 187);
    h.check("fused 100 adds int32", None, &|| {
        let mut z = small.clone();
        for _ in 0..100 {
            z = mx::add(&z, 3)?;
        }
        Ok(z)
    });
}

/// Rows longer than a block's shared memory: the global-memory sorting network.
fn long_sorts(h: &mut Harness) {
    for dtype in [
        Dtype::Float32,
        Dtype::Bfloat16,
        Dtype::Int32,
        Dtype::Uint8,
        Dtype::Int64,
        Dtype::Complex64,
    ] {
        // Integers repeat, so argsort also checks that ties keep their order.
        let x = input(&[3, 10_000], dtype, GENERAL, 149);
        h.check(&format!("sort {dtype} long rows"), None, &|| {
            mx::sort(&x, Some(-1))
        });
        h.check(&format!("argsort {dtype} long rows"), None, &|| {
            mx::argsort(&x, Some(-1))
        });
        let column = input(&[20_000, 2], dtype, GENERAL, 151);
        h.check(&format!("argsort {dtype} long column"), None, &|| {
            mx::argsort(&column, Some(0))
        });
    }
}

/// Scatters whose windows are wider than one along an indexed axis, so they overlap.
fn overlapping_scatters(h: &mut Harness) {
    for dtype in all_dtypes() {
        let x = input(&[12, 9], dtype, GENERAL, 157);
        let starts = Array::from_slice(&[2i32, 4, 2, -9], &[4]).expect("starts");
        let updates = input(&[4, 3, 9], dtype, GENERAL, 163);
        for kind in [
            mx::ScatterKind::Set,
            mx::ScatterKind::Add,
            mx::ScatterKind::Prod,
            mx::ScatterKind::Max,
            mx::ScatterKind::Min,
        ] {
            h.check(
                &format!("scatter {kind:?} {dtype} overlapping windows"),
                None,
                &|| mx::scatter(&x, &[&starts], &updates, &[0], kind),
            );
        }
        let bad = Array::from_slice(&[2i32, 10], &[2]).expect("starts");
        let two = input(&[2, 3, 9], dtype, GENERAL, 167);
        h.check_error(&format!("scatter {dtype} window past the end"), &|| {
            mx::scatter(&x, &[&bad], &two, &[0], mx::ScatterKind::Set)
        });
    }
}

/// Views as bool (each byte becomes `byte != 0`) and views of strided arrays.
fn views(h: &mut Harness) {
    for dtype in all_dtypes() {
        let x = input(&[6, 8], dtype, GENERAL, 173);
        let transposed = x.transpose(None).expect("transpose");
        h.check(&format!("view {dtype} as bool"), None, &|| {
            x.view(Dtype::Bool)
        });
        h.check(&format!("view {dtype} transposed as int8"), None, &|| {
            transposed.view(Dtype::Int8)
        });
    }
}

#[test]
fn gpu_matches_cpu() {
    let Some(gpu) = gpu_stream() else { return };
    mx::gpu::set_guard_checks(true);
    let mut harness = Harness {
        cpu: mx::default_stream(Device::Cpu).expect("CPU stream"),
        gpu,
        checked: 0,
        failures: Vec::new(),
    };
    elementwise(&mut harness);
    reductions(&mut harness);
    products(&mut harness);
    long_sorts(&mut harness);
    lanes::strided_lanes(&mut harness);
    overlapping_scatters(&mut harness);
    views(&mut harness);
    random::random_bits(&mut harness);
    random::random_distributions(&mut harness);
    fusion(&mut harness);
    transforms::transforms(&mut harness);
    fast::fast_ops(&mut harness);
    scientific::scientific_ops(&mut harness);
    mx::gpu::synchronize().expect("synchronize");
    println!(
        "backend parity: {} cases on {}",
        harness.checked,
        mx::gpu::device_name().unwrap_or_default()
    );
    println!("coverage: ops that ran on the host (no GPU kernel yet):");
    let fallbacks = mx::gpu::cpu_fallbacks();
    for (op, count) in &fallbacks {
        println!("  {op:40} {count} runs");
    }
    let violations = mx::gpu::guard_violations();
    for failure in harness.failures.iter().take(60) {
        println!("FAIL {failure}");
    }
    assert!(
        harness.failures.is_empty(),
        "{} of {} parity cases failed",
        harness.failures.len(),
        harness.checked
    );
    assert_eq!(violations, 0, "device blocks with overwritten guard bytes");
    assert!(
        fallbacks.is_empty(),
        "ops without a GPU kernel: {fallbacks:?}"
    );
}

#[test]
fn second_process_compiles_nothing() {
    if gpu_stream().is_none() {
        return;
    }
    // The harness above (or an earlier run) filled the disk cache for these modules, so
    // running one in a child process must not compile.
    if std::env::var("MX_PARITY_CHILD").is_ok() {
        let x = mx::with_stream(mx::default_stream(Device::Gpu(0)).expect("GPU"), || {
            mx::exp(&mx::array![1.0f32, 2.0])
        })
        .expect("exp");
        x.eval().expect("eval");
        println!("compilations: {}", mx::gpu::kernel_compilations());
        return;
    }
    let exe = std::env::current_exe().expect("test binary");
    let run = || {
        let output = std::process::Command::new(&exe)
            .args([
                "second_process_compiles_nothing",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("MX_PARITY_CHILD", "1")
            .output()
            .expect("child run");
        let text = String::from_utf8_lossy(&output.stdout).to_string();
        text.lines()
            .find_map(|l| l.split("compilations: ").nth(1))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .unwrap_or(usize::MAX)
    };
    let _first = run();
    assert_eq!(run(), 0, "the second process recompiled kernels");
}

#[test]
fn cpu_and_gpu_streams_share_one_graph() {
    if gpu_stream().is_none() {
        return;
    }
    let cpu = mx::new_stream(Device::Cpu).expect("CPU stream");
    let (g1, g2) = (
        mx::new_stream(Device::Gpu(0)).expect("GPU stream"),
        mx::new_stream(Device::Gpu(0)).expect("GPU stream"),
    );
    let a = input(&[64, 129], Dtype::Float32, GENERAL, 131);
    let build = |first: Stream, second: Stream, third: Stream| -> Result<Array> {
        let x = mx::with_stream(first, || mx::exp(&a))?;
        let y = mx::with_stream(second, || mx::multiply(&x, 2.0))?;
        let z = mx::with_stream(third, || mx::add(&y, &x))?;
        mx::with_stream(first, || mx::sum(&z, Some(&[-1]), false))
    };
    let mixed = build(g1, cpu, g2).expect("mixed graph");
    let host = build(cpu, cpu, cpu).expect("CPU graph");
    mx::eval(&[&mixed, &host]).expect("eval");
    assert_eq!(compare(&host, &mixed, None), None);
}

#[test]
fn device_memory_is_counted_and_limited() {
    if gpu_stream().is_none() {
        return;
    }
    let gpu = mx::new_stream(Device::Gpu(0)).expect("GPU stream");
    let x = input(&[1 << 20], Dtype::Float32, GENERAL, 137);
    let before = mx::get_active_memory();
    let y = mx::with_stream(gpu, || mx::exp(&x)).expect("exp");
    y.eval().expect("eval");
    assert!(
        mx::get_active_memory() >= before + (4 << 20),
        "device blocks count as active memory"
    );
    let limit = mx::set_memory_limit(mx::get_active_memory() + (1 << 20));
    let big = mx::with_stream(gpu, || mx::add(&y, 1.0)).expect("add");
    let outcome = big.eval();
    mx::set_memory_limit(limit);
    assert!(
        matches!(outcome, Err(mx::Error::OutOfMemory(_))),
        "{outcome:?}"
    );
    // Nothing computed before is lost.
    assert_eq!(y.to_vec::<f32>().expect("y").len(), 1 << 20);
}
