use super::*;
use crate::dtype::Dtype;
use crate::{arange, eval};

/// A fresh folder for one test.
fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mx-io-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A small array of `dtype` with distinct values (signed where the dtype allows).
fn sample(dtype: Dtype, shape: &[usize]) -> Array {
    let size: usize = shape.iter().product();
    let values = arange(0.0, size as f64, 1.0, Some(Dtype::Float32)).unwrap();
    let shape: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
    let values = (&(&values * 0.75) - 2.0).reshape(&shape).unwrap();
    values.astype(dtype).unwrap()
}

fn assert_same(a: &Array, b: &Array) {
    assert_eq!(a.shape(), b.shape());
    assert_eq!(a.dtype(), b.dtype());
    assert_eq!(
        a.astype(Dtype::Complex64)
            .unwrap()
            .to_vec::<crate::Complex64>()
            .unwrap(),
        b.astype(Dtype::Complex64)
            .unwrap()
            .to_vec::<crate::Complex64>()
            .unwrap()
    );
}

#[test]
fn every_dtype_round_trips_through_npy_npz_and_safetensors() {
    let dir = folder("roundtrip");
    for dtype in Dtype::ALL {
        for shape in [vec![], vec![5], vec![2, 3, 4], vec![0, 3]] {
            let a = sample(dtype, &shape);
            save(dir.join("a"), &a).unwrap();
            assert_same(&load(dir.join("a.npy")).unwrap().into_array().unwrap(), &a);
            for compressed in [false, true] {
                let path = dir.join(format!("z{compressed}.npz"));
                if compressed {
                    savez_compressed(&path, [("x", &a), ("y", &a)]).unwrap();
                } else {
                    savez(&path, [("x", &a), ("y", &a)]).unwrap();
                }
                let arrays = load(&path).unwrap().into_arrays().unwrap();
                assert_same(&arrays["x"], &a);
                assert_same(&arrays["y"], &a);
            }
            let path = dir.join("s.safetensors");
            save_safetensors(&path, [("t", &a)], &BTreeMap::new()).unwrap();
            assert_same(&load(&path).unwrap().into_arrays().unwrap()["t"], &a);
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn gguf_round_trips_its_dtypes_and_metadata() {
    let dir = folder("gguf");
    let path = dir.join("m.gguf");
    let dtypes = [
        Dtype::Float32,
        Dtype::Float16,
        Dtype::Bfloat16,
        Dtype::Int8,
        Dtype::Int16,
        Dtype::Int32,
        Dtype::Int64,
        Dtype::Float64,
    ];
    let arrays: Vec<(String, Array)> = dtypes
        .iter()
        .map(|&d| (format!("t.{d}"), sample(d, &[3, 5])))
        .collect();
    let mut metadata = Metadata::new();
    metadata.insert("name".into(), MetadataValue::String("tiny ✓".into()));
    metadata.insert(
        "tokens".into(),
        MetadataValue::Strings(vec!["a".into(), String::new(), "<s>".into()]),
    );
    let numbers = [
        Dtype::Uint8,
        Dtype::Int8,
        Dtype::Uint16,
        Dtype::Int16,
        Dtype::Uint32,
        Dtype::Int32,
        Dtype::Uint64,
        Dtype::Int64,
        Dtype::Float32,
        Dtype::Bool,
    ];
    for dtype in numbers {
        metadata.insert(
            format!("scalar.{dtype}"),
            MetadataValue::Array(sample(dtype, &[])),
        );
        metadata.insert(
            format!("list.{dtype}"),
            MetadataValue::Array(sample(dtype, &[4])),
        );
    }
    save_gguf(&path, arrays.iter().map(|(n, a)| (n, a)), &metadata).unwrap();
    let (loaded, read_metadata) = load_with_metadata(&path).unwrap();
    for (name, array) in &arrays {
        assert_same(&loaded[name], array);
    }
    assert_eq!(read_metadata.len(), metadata.len());
    for (key, value) in &metadata {
        match (value, &read_metadata[key]) {
            (MetadataValue::String(a), MetadataValue::String(b)) => assert_eq!(a, b),
            (MetadataValue::Strings(a), MetadataValue::Strings(b)) => assert_eq!(a, b),
            (MetadataValue::Array(a), MetadataValue::Array(b)) => assert_same(a, b),
            (a, b) => panic!("{key}: {a:?} came back as {b:?}"),
        }
    }
    for dtype in [Dtype::Bool, Dtype::Uint8, Dtype::Complex64] {
        let err = save_gguf(&path, [("x", &sample(dtype, &[2]))], &Metadata::new()).unwrap_err();
        assert_eq!(
            err.message(),
            format!("[save_gguf] dtype {dtype} is not supported")
        );
    }
    let mut bad = Metadata::new();
    bad.insert(
        "m".into(),
        MetadataValue::Array(sample(Dtype::Float32, &[2, 2])),
    );
    let err = save_gguf(&path, [("x", &sample(Dtype::Float32, &[2]))], &bad).unwrap_err();
    assert_eq!(
        err.message(),
        "[save_gguf] Cannot save arrays with more than one dimension."
    );
    // The failed saves left the earlier file whole.
    assert_eq!(
        load(&path).unwrap().into_arrays().unwrap().len(),
        arrays.len()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn loads_are_lazy_and_aligned_safetensors_are_used_in_place() {
    let dir = folder("lazy");
    let path = dir.join("w.safetensors");
    let a = sample(Dtype::Float32, &[64, 64]);
    let b = sample(Dtype::Int8, &[7]);
    save_safetensors(&path, [("a", &a), ("b", &b)], &BTreeMap::new()).unwrap();
    let loaded = load(&path).unwrap().into_arrays().unwrap();
    assert!(!loaded["a"].is_evaluated());
    eval(&[&loaded["a"], &loaded["b"]]).unwrap();
    assert!(loaded["a"].data().unwrap().buffer.is_mapped());
    assert_same(&loaded["a"], &a);
    assert_same(&loaded["b"], &b);
    // Saving over the file replaces it by rename: the loaded arrays keep their data.
    save_safetensors(&path, [("a", &b)], &BTreeMap::new()).unwrap();
    assert_same(&loaded["a"], &a);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn npy_reads_fortran_order_big_endian_and_bfloat16() {
    let dir = folder("npy");
    let path = dir.join("f.npy");
    let header = "{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3), }";
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    // Column-major 2x3 [[0, 1, 2], [3, 4, 5]], big-endian.
    for v in [0i16, 3, 1, 4, 2, 5] {
        bytes.extend_from_slice(&v.to_be_bytes());
    }
    std::fs::write(&path, &bytes).unwrap();
    let a = load(&path).unwrap().into_array().unwrap();
    assert_eq!(a.shape(), &[2, 3]);
    assert_eq!(a.to_vec::<i16>().unwrap(), vec![0, 1, 2, 3, 4, 5]);
    let b = sample(Dtype::Bfloat16, &[4]);
    save(dir.join("b.npy"), &b).unwrap();
    let text = std::fs::read(dir.join("b.npy")).unwrap();
    assert!(String::from_utf8_lossy(&text).contains("'<V2'"));
    assert_same(&load(dir.join("b.npy")).unwrap().into_array().unwrap(), &b);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn gguf_version_2_loads_and_version_1_is_refused() {
    let dir = folder("gguf-version");
    let path = dir.join("v.gguf");
    let a = sample(Dtype::Float16, &[2, 32]);
    save_gguf(&path, [("a", &a)], &Metadata::new()).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[4] = 2;
    std::fs::write(&path, &bytes).unwrap();
    assert_same(&load(&path).unwrap().into_arrays().unwrap()["a"], &a);
    bytes[4] = 1;
    std::fs::write(&path, &bytes).unwrap();
    let err = load(&path).err().unwrap();
    assert!(
        err.message().contains("unsupported GGUF version 1"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn savers_append_the_extension_as_mlx_does() {
    assert_eq!(
        with_extension(Path::new("x.NPY"), Format::Npy),
        Path::new("x.NPY.npy")
    );
    assert_eq!(
        with_extension(Path::new("a/b.npy"), Format::Npy),
        Path::new("a/b.npy")
    );
    assert_eq!(
        with_extension(Path::new("m"), Format::Safetensors),
        Path::new("m.safetensors")
    );
}

#[test]
fn format_errors_are_mlx_s() {
    let err = |p: &str| load(p).err().unwrap().message().to_string();
    assert_eq!(
        err("weights"),
        "[load] Could not infer file format from extension"
    );
    assert_eq!(err("weights.bin"), "[load] Unknown file format bin");
    assert!(err("/no/such/file.npy").starts_with("[load] Failed to open file /no/such/file.npy"));
    let meta = load_with_metadata("x.npz").err().unwrap();
    assert_eq!(
        meta.message(),
        "[load] metadata not supported for format npz"
    );
}

#[test]
fn readers_load_eagerly() {
    let dir = folder("reader");
    let a = sample(Dtype::Int32, &[3, 2]);
    save_safetensors(dir.join("r"), [("a", &a)], &BTreeMap::new()).unwrap();
    let file = std::fs::File::open(dir.join("r.safetensors")).unwrap();
    let arrays = load_reader(file, Format::Safetensors)
        .unwrap()
        .into_arrays()
        .unwrap();
    assert!(arrays["a"].is_evaluated());
    assert_same(&arrays["a"], &a);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Writes a GGUF with one Q4_0, one Q4_1 and one Q8_0 tensor of shape [2, 64], from
/// blocks whose values follow `value(i)`, and returns the expected dequantized values.
fn quantized_gguf(path: &Path) -> Vec<(String, Vec<f32>)> {
    let mut header = Vec::new();
    let put_string = |out: &mut Vec<u8>, s: &str| {
        out.extend_from_slice(&(s.len() as u64).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    header.extend_from_slice(b"GGUF");
    header.extend_from_slice(&3u32.to_le_bytes());
    header.extend_from_slice(&3u64.to_le_bytes());
    header.extend_from_slice(&0u64.to_le_bytes());
    let mut data = Vec::new();
    let mut expected = Vec::new();
    for (name, id) in [("q40.weight", 2u32), ("q41.weight", 3), ("q80.weight", 8)] {
        put_string(&mut header, name);
        header.extend_from_slice(&2u32.to_le_bytes());
        header.extend_from_slice(&64u64.to_le_bytes());
        header.extend_from_slice(&2u64.to_le_bytes());
        header.extend_from_slice(&id.to_le_bytes());
        header.extend_from_slice(&(data.len() as u64).to_le_bytes());
        let mut values = Vec::new();
        for block in 0..4 {
            let d = half::f16::from_f32(0.25 + block as f32 * 0.5);
            let m = half::f16::from_f32(-1.5 * block as f32);
            data.extend_from_slice(&d.to_le_bytes());
            if id == 3 {
                data.extend_from_slice(&m.to_le_bytes());
            }
            let codes: Vec<i32> = (0..32).map(|i| (i * 7 + block * 3) % 16).collect();
            match id {
                8 => {
                    for (i, c) in codes.iter().enumerate() {
                        let q = (c * 9 - 60 + i as i32) as i8;
                        data.push(q as u8);
                        values.push(d.to_f32() * q as f32);
                    }
                }
                _ => {
                    for i in 0..16 {
                        data.push(codes[i] as u8 | ((codes[i + 16] as u8) << 4));
                    }
                    for c in &codes {
                        values.push(match id {
                            2 => d.to_f32() * (*c as f32 - 8.0),
                            _ => d.to_f32() * *c as f32 + m.to_f32(),
                        });
                    }
                }
            }
        }
        expected.push((name.to_string(), values));
        while data.len() % 32 != 0 {
            data.push(0);
        }
    }
    header.resize(header.len().next_multiple_of(32), 0);
    header.extend_from_slice(&data);
    std::fs::write(path, header).unwrap();
    expected
}

#[test]
fn gguf_quantized_blocks_become_affine_triplets() {
    let dir = folder("quant");
    let path = dir.join("q.gguf");
    let expected = quantized_gguf(&path);
    let arrays = load(&path).unwrap().into_arrays().unwrap();
    for (name, values) in expected {
        let prefix = name.strip_suffix(".weight").unwrap();
        let weights = &arrays[&name];
        let bits = if prefix == "q80" { 8 } else { 4 };
        assert_eq!(weights.shape(), &[2, 64 * bits / 32]);
        let params = crate::QuantizationParams::affine(32, bits);
        let dense = crate::dequantize(
            weights,
            &arrays[&format!("{prefix}.scales")],
            Some(&arrays[&format!("{prefix}.biases")]),
            &params,
            None,
            Some(Dtype::Float32),
        )
        .unwrap();
        assert_eq!(dense.to_vec::<f32>().unwrap(), values, "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
