//! Result rows: a table on stdout and JSONL appended to a file.

use std::io::Write;

/// One measured case.
pub struct Row {
    /// Case name, shared with `bench/compare/`.
    pub case: String,
    /// Median seconds of one run.
    pub time_s: f64,
    /// GB/s or µs/op.
    pub rate: f64,
    /// Unit of `rate`.
    pub unit: &'static str,
    /// Rate over this machine's limit measured in the same run (copy bandwidth), if any.
    pub ratio: Option<f64>,
    /// What the ratio is against.
    pub versus: &'static str,
}

impl Row {
    /// A memory-bound case that moved `bytes` in `seconds`, against the copy bandwidth
    /// `copy` (GB/s) measured in the same run.
    pub fn bandwidth(case: &str, seconds: f64, bytes: f64, copy: f64) -> Row {
        let rate = bytes / seconds / 1e9;
        Row {
            case: case.into(),
            time_s: seconds,
            rate,
            unit: "GB/s",
            ratio: Some(rate / copy),
            versus: "copy bandwidth",
        }
    }
}

fn commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn machine() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{} ({cores} cpus)", host.trim())
}

/// Prints the table and appends the rows to `path`.
pub fn emit(rows: &[Row], path: &str) -> mx::Result<()> {
    println!(
        "{:<24} {:>12} {:>12} {:<6} {:>8}  versus",
        "case", "time", "rate", "unit", "ratio"
    );
    for row in rows {
        let ratio = row.ratio.map_or("-".to_string(), |r| format!("{r:.2}x"));
        println!(
            "{:<24} {:>10.3}ms {:>12.2} {:<6} {:>8}  {}",
            row.case,
            row.time_s * 1e3,
            row.rate,
            row.unit,
            ratio,
            row.versus
        );
    }
    let io = |e: std::io::Error| mx::Error::InvalidArgument(format!("[mx-bench] {path}: {e}"));
    if let Some(dir) = std::path::Path::new(path).parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    let (commit, machine) = (commit(), machine());
    for row in rows {
        let json = serde_json::json!({
            "commit": commit, "machine": machine, "case": row.case, "time_s": row.time_s,
            "rate": row.rate, "unit": row.unit, "ratio": row.ratio, "versus": row.versus,
        });
        writeln!(file, "{json}").map_err(io)?;
    }
    println!("appended {} rows to {path}", rows.len());
    Ok(())
}
