//! The `io` suite: loading and evaluating a 1 GB safetensors file of float32 tensors,
//! against this machine's sequential read bandwidth of the same cached file
//! (`cat file > /dev/null`), measured in the same run.
//!
//! mx's rows: `load` + `eval` alone (the tensors are used in place from the mapping, so
//! this is the cost of laziness), and `load` + `eval` + a sum over every tensor, which
//! reads every byte and is the number held against `cat`.

use crate::ops::time;
use crate::report::Row;
use mx::{Array, Device, Dtype, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// 16 tensors of 64 MB.
const TENSORS: usize = 16;
const ELEMENTS: usize = 16 << 20;

fn write_file(path: &Path) -> Result<f64> {
    let mut tensors = BTreeMap::new();
    for i in 0..TENSORS {
        let t = mx::random::uniform(0.0, 1.0, &[ELEMENTS], Dtype::Float32, None)?;
        tensors.insert(format!("layer{i:02}.weight"), t);
    }
    mx::io::save_safetensors(path, &tensors, &BTreeMap::new())?;
    Ok((TENSORS * ELEMENTS * 4) as f64)
}

fn cat_seconds(path: &Path, runs: usize) -> Result<f64> {
    time(runs, || {
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("cat '{}' > /dev/null", path.display()))
            .status()
            .map_err(|e| mx::Error::Io(format!("cat: {e}")))?;
        if status.success() {
            Ok(())
        } else {
            Err(mx::Error::Io("cat failed".into()))
        }
    })
}

fn load_all(path: &Path) -> Result<Vec<Array>> {
    Ok(mx::io::load(path)?.into_arrays()?.into_values().collect())
}

/// Runs the suite and returns its rows.
pub fn run(runs: usize) -> Result<Vec<Row>> {
    mx::set_default_stream(mx::default_stream(Device::Cpu)?)?;
    let dir = std::env::temp_dir().join(format!("mx-bench-io-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| mx::Error::Io(e.to_string()))?;
    let path = dir.join("1gb.safetensors");
    let bytes = write_file(&path)?;
    // Warm the page cache, then time the reader every row is held against.
    cat_seconds(&path, 2)?;
    let cat = cat_seconds(&path, runs)?;
    let cat_rate = bytes / cat / 1e9;
    let mut rows = vec![Row {
        case: "cat_1GB_file".into(),
        time_s: cat,
        rate: cat_rate,
        unit: "GB/s",
        ratio: Some(1.0),
        versus: "cat > /dev/null",
    }];
    let lazy = time(runs, || {
        let arrays = load_all(&path)?;
        mx::eval(&arrays.iter().collect::<Vec<_>>())
    })?;
    let read = time(runs, || {
        let arrays = load_all(&path)?;
        let sums = arrays
            .iter()
            .map(|a| mx::sum(a, None, false))
            .collect::<Result<Vec<_>>>()?;
        mx::eval(&sums.iter().collect::<Vec<_>>())
    })?;
    for (case, seconds) in [
        ("load_eval_1GB_safetensors_f32", lazy),
        ("load_eval_sum_1GB_safetensors_f32", read),
    ] {
        let rate = bytes / seconds / 1e9;
        rows.push(Row {
            case: case.into(),
            time_s: seconds,
            rate,
            unit: "GB/s",
            ratio: Some(rate / cat_rate),
            versus: "cat > /dev/null",
        });
    }
    std::fs::remove_dir_all(&dir).map_err(|e| mx::Error::Io(e.to_string()))?;
    Ok(rows)
}
