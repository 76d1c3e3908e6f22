//! File formats in both directions, against MLX 0.32.4 and NumPy
//! (`scripts/golden/gen_io.py`):
//! - mx loads every file MLX and NumPy wrote, with the values, dtypes, shapes and metadata
//!   that `mx.load` returns (including GGUF Q4_0/Q4_1/Q8_0 as affine triplets);
//! - mx writes files byte-identical to the committed `mx_*` files, which the script's
//!   `--check-mx` mode verified load correctly in MLX and NumPy.
//!
//! `MX_REGENERATE_IO_GOLDEN=1` rewrites the `mx_*` files instead of comparing them.

mod common;

use common::{array, compare, golden_dir, Tolerance};
use mx::io::{self, Loaded, Metadata, MetadataValue};
use mx::Array;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn io_dir() -> PathBuf {
    golden_dir().join("io")
}

fn expected() -> Value {
    let text = std::fs::read_to_string(io_dir().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("valid JSON")
}

fn metadata_of(want: &Value) -> Metadata {
    want.as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            let value = if let Some(s) = value.get("string") {
                MetadataValue::String(s.as_str().unwrap_or_default().to_string())
            } else if let Some(list) = value.get("strings") {
                let strings = list.as_array().into_iter().flatten();
                MetadataValue::Strings(
                    strings
                        .map(|s| s.as_str().unwrap_or_default().to_string())
                        .collect(),
                )
            } else {
                MetadataValue::Array(array(&value["array"]))
            };
            (key.clone(), value)
        })
        .collect()
}

fn check_array(got: &Array, want: &Value, what: &str) {
    if let Err(err) = compare(got, want, Tolerance::Exact, true) {
        panic!("{what}: {err}");
    }
}

fn check_metadata(got: &Metadata, want: &Metadata, file: &str) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{file}"
    );
    for (key, want) in want {
        match (&got[key], want) {
            (MetadataValue::String(g), MetadataValue::String(w)) => {
                assert_eq!(g, w, "{file} {key}")
            }
            (MetadataValue::Strings(g), MetadataValue::Strings(w)) => {
                assert_eq!(g, w, "{file} {key}")
            }
            (MetadataValue::Array(g), MetadataValue::Array(w)) => {
                assert_eq!(
                    (g.dtype(), g.shape()),
                    (w.dtype(), w.shape()),
                    "{file} {key}"
                );
                assert_eq!(
                    g.to_vec::<f64>().unwrap(),
                    w.to_vec::<f64>().unwrap(),
                    "{file} {key}"
                );
            }
            (g, w) => panic!("{file} {key}: {g:?} != {w:?}"),
        }
    }
}

#[test]
fn mx_reads_the_files_mlx_and_numpy_write() {
    let expected = expected();
    let files = expected["files"].as_object().expect("files");
    for (file, want) in files {
        let path = io_dir().join(file);
        if let Some(metadata) = want.get("metadata") {
            let (arrays, got) = io::load_with_metadata(&path).unwrap();
            check_metadata(&got, &metadata_of(metadata), file);
            let names: Vec<&String> = arrays.keys().collect();
            let want_names: Vec<&String> = want["arrays"].as_object().unwrap().keys().collect();
            assert_eq!(names, want_names, "{file}");
        }
        match io::load(&path).unwrap() {
            Loaded::Array(got) => check_array(&got, &want["array"], file),
            Loaded::Arrays(got) => {
                let want = want["arrays"].as_object().expect("arrays");
                assert_eq!(
                    got.keys().collect::<Vec<_>>(),
                    want.keys().collect::<Vec<_>>(),
                    "{file}"
                );
                for (name, want) in want {
                    check_array(&got[name], want, &format!("{file} {name}"));
                }
            }
        }
    }
}

/// The arrays of one expected file, by name.
fn arrays_of(expected: &Value, file: &str) -> BTreeMap<String, Array> {
    expected["files"][file]["arrays"]
        .as_object()
        .expect("arrays")
        .iter()
        .map(|(name, value)| (name.clone(), array(value)))
        .collect()
}

/// Writes every `mx_*` file into `dir`.
fn write_mx_files(dir: &Path, expected: &Value) {
    let files = &expected["files"];
    for (file, entry) in files.as_object().expect("files") {
        if let Some(dtype) = file
            .strip_prefix("mlx_")
            .and_then(|f| f.strip_suffix(".npy"))
        {
            if mx::Dtype::from_name(dtype).is_some() {
                io::save(dir.join(format!("mx_{dtype}.npy")), &array(&entry["array"])).unwrap();
            }
        }
    }
    let pair = arrays_of(expected, "mlx.npz");
    io::savez(dir.join("mx.npz"), &pair).unwrap();
    io::savez_compressed(dir.join("mx_compressed.npz"), &pair).unwrap();
    let metadata = BTreeMap::from([("format".to_string(), "mx".to_string())]);
    io::save_safetensors(
        dir.join("mx.safetensors"),
        &arrays_of(expected, "mlx.safetensors"),
        &metadata,
    )
    .unwrap();
    let gguf_metadata = metadata_of(&files["mlx.gguf"]["metadata"]);
    io::save_gguf(
        dir.join("mx.gguf"),
        &arrays_of(expected, "mlx.gguf"),
        &gguf_metadata,
    )
    .unwrap();
}

#[test]
fn mx_writes_the_files_mlx_and_numpy_were_checked_to_read() {
    let expected = expected();
    if std::env::var_os("MX_REGENERATE_IO_GOLDEN").is_some() {
        write_mx_files(&io_dir(), &expected);
        return;
    }
    let dir = std::env::temp_dir().join(format!("mx-golden-io-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    write_mx_files(&dir, &expected);
    let mut written: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    written.sort();
    assert_eq!(written.len(), 18);
    for path in written {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let committed =
            std::fs::read(io_dir().join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            std::fs::read(&path).unwrap() == committed,
            "{name} differs from the verified file"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
