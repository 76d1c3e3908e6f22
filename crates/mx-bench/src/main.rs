//! `mx-bench`: benchmarks of mx against this machine's measured limits, taken in the same run.
//!
//! ```text
//! mx-bench ops|matmul|gpu|transforms|fast|scientific|io [--jsonl PATH] [--runs N]
//! ```
//! prints a table and appends JSONL rows (commit, machine, case, time, rate, ratio) to
//! `bench/results/ops.jsonl` (or PATH). `bench/compare/ops.py --mx PATH` then puts
//! NumPy's and MLX's numbers for the same cases next to ours.

mod fast;
mod gpu;
mod io;
mod matmul;
mod ops;
mod report;
mod scientific;
mod transforms;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut jsonl = String::from("bench/results/ops.jsonl");
    let mut runs = 20usize;
    let mut suite = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--jsonl" if i + 1 < args.len() => {
                jsonl = args[i + 1].clone();
                i += 1;
            }
            "--runs" if i + 1 < args.len() => {
                runs = args[i + 1].parse().unwrap_or(runs);
                i += 1;
            }
            "-h" | "--help" => {
                println!(
                    "usage: mx-bench ops|matmul|gpu|transforms|fast|scientific|io [--jsonl PATH] [--runs N]"
                );
                return ExitCode::SUCCESS;
            }
            name if suite.is_none() => suite = Some(name.to_string()),
            other => {
                eprintln!("mx-bench: unexpected argument {other}");
                return ExitCode::FAILURE;
            }
        }
        i += 1;
    }
    let rows = match suite.as_deref() {
        Some("ops") | None => ops::run(runs.max(3)),
        Some("matmul") => matmul::run(runs.max(3)),
        Some("gpu") => gpu::run(runs.max(3)),
        Some("transforms") => transforms::run(runs.max(3)),
        Some("fast") => fast::run(runs.max(3)),
        Some("scientific") => scientific::run(runs.max(5)),
        Some("io") => io::run(runs.clamp(3, 7)),
        Some(other) => {
            eprintln!(
                "mx-bench: unknown suite {other} (known: ops, matmul, gpu, transforms, fast, scientific, io)"
            );
            return ExitCode::FAILURE;
        }
    };
    match rows.and_then(|rows| report::emit(&rows, &jsonl)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mx-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
