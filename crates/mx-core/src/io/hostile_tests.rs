//! Hostile files: every truncation and many corruptions of valid files, and hand-made
//! headers that lie, must give an `Err` naming the file, never a panic or a huge
//! allocation.

use super::*;
use crate::dtype::Dtype;

fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mx-hostile-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A valid small file of each format, as bytes.
fn valid_files(dir: &Path) -> Vec<(Format, Vec<u8>)> {
    let a = crate::arange(0.0, 12.0, 1.0, Some(Dtype::Float32))
        .unwrap()
        .reshape(&[3, 4])
        .unwrap();
    let b = a.astype(Dtype::Int16).unwrap();
    save(dir.join("v.npy"), &a).unwrap();
    savez(dir.join("v.npz"), [("a", &a), ("b", &b)]).unwrap();
    savez_compressed(dir.join("c.npz"), [("a", &a)]).unwrap();
    let metadata = BTreeMap::from([("k".to_string(), "v".to_string())]);
    save_safetensors(dir.join("v.safetensors"), [("a", &a), ("b", &b)], &metadata).unwrap();
    let mut gguf_metadata = Metadata::new();
    gguf_metadata.insert(
        "s".into(),
        MetadataValue::Strings(vec!["x".into(), "yz".into()]),
    );
    gguf_metadata.insert("n".into(), MetadataValue::Array(b.reshape(&[-1]).unwrap()));
    save_gguf(dir.join("v.gguf"), [("a", &a), ("b", &b)], &gguf_metadata).unwrap();
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    vec![
        (Format::Npy, read("v.npy")),
        (Format::Npz, read("v.npz")),
        (Format::Npz, read("c.npz")),
        (Format::Safetensors, read("v.safetensors")),
        (Format::Gguf, read("v.gguf")),
    ]
}

/// Loads `bytes` and evaluates every array; any outcome but a panic is fine.
fn try_load(bytes: &[u8], format: Format) -> Result<()> {
    load_reader(bytes, format).map(|_| ())
}

#[test]
fn every_truncation_is_an_error() {
    let dir = folder("truncate");
    for (format, bytes) in valid_files(&dir) {
        try_load(&bytes, format).unwrap();
        for len in 0..bytes.len() {
            let result = try_load(&bytes[..len], format);
            // An npz whose central directory survives would still be rejected; a prefix
            // can only be valid if it drops nothing the header points at.
            if let Err(err) = result {
                assert!(
                    err.message().contains("<reader>"),
                    "{format:?} {len}: {err}"
                );
            } else {
                panic!("{format:?} truncated to {len} bytes loaded");
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn corrupted_bytes_never_panic() {
    let dir = folder("corrupt");
    for (format, bytes) in valid_files(&dir) {
        let header = bytes.len().min(400);
        for at in 0..header {
            for value in [0x00, 0xFF, 0x7F, 0x80, bytes[at].wrapping_add(1), b'9'] {
                let mut corrupted = bytes.clone();
                corrupted[at] = value;
                let _ = try_load(&corrupted, format);
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn npy_with_header(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(dict.len() as u16).to_le_bytes());
    bytes.extend_from_slice(dict.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

fn load_error(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let result = load_with_metadata(&path)
        .map(|(arrays, _)| Loaded::Arrays(arrays))
        .or_else(
            |err| match err.message().contains("metadata not supported") {
                true => load(&path),
                false => Err(err),
            },
        )
        .and_then(|loaded| {
            let arrays: Vec<Array> = match loaded {
                Loaded::Array(a) => vec![a],
                Loaded::Arrays(m) => m.into_values().collect(),
            };
            crate::eval(&arrays.iter().collect::<Vec<_>>())
        });
    let message = result.expect_err(name).message().to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    message
}

#[test]
fn lying_npy_headers_are_errors() {
    let dir = folder("npy");
    let huge = "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }";
    assert!(load_error(&dir, "huge.npy", &npy_with_header(huge, &[])).contains("too large"));
    let long = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000), }";
    assert!(
        load_error(&dir, "long.npy", &npy_with_header(long, &[0; 64])).contains("past the end")
    );
    let object = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
    assert!(load_error(&dir, "obj.npy", &npy_with_header(object, &[0; 8])).contains("'|O'"));
    assert!(load_error(&dir, "magic.npy", b"NUMPY not really").contains("bad magic"));
    let mut bad_utf8 = npy_with_header("{'descr': '<f4'}", &[]);
    bad_utf8[12] = 0xFF;
    assert!(load_error(&dir, "utf8.npy", &bad_utf8).contains("not text"));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn safetensors_with_header(json: &str, data_len: usize) -> Vec<u8> {
    let mut bytes = (json.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(json.as_bytes());
    bytes.resize(bytes.len() + data_len, 0);
    bytes
}

#[test]
fn lying_safetensors_headers_are_errors() {
    let dir = folder("safetensors");
    let cases = [
        (
            "past.safetensors",
            r#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#,
            8,
        ),
        (
            "overlap.safetensors",
            r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
            12,
        ),
        (
            "dtype.safetensors",
            r#"{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,2]}}"#,
            2,
        ),
        (
            "huge.safetensors",
            r#"{"a":{"dtype":"F32","shape":[4294967296,4294967296,4],"data_offsets":[0,16]}}"#,
            16,
        ),
        ("json.safetensors", r#"{"a":"#, 0),
    ];
    for (name, json, data_len) in cases {
        load_error(&dir, name, &safetensors_with_header(json, data_len));
    }
    let mut huge_length = safetensors_with_header("{}", 0);
    huge_length[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    load_error(&dir, "length.safetensors", &huge_length);
    let mut bad_utf8 = safetensors_with_header(
        r#"{"ab":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#,
        1,
    );
    bad_utf8[10] = 0xC3;
    load_error(&dir, "utf8.safetensors", &bad_utf8);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A GGUF v3 header with the given metadata bytes and tensor descriptions
/// (name, dims innermost first, type, offset), padded, then `data`.
fn gguf_with(
    kv: &[u8],
    kv_count: u64,
    tensors: &[(&[u8], &[u64], u32, u64)],
    data: &[u8],
) -> Vec<u8> {
    let mut bytes = b"GGUF".to_vec();
    bytes.extend_from_slice(&3u32.to_le_bytes());
    bytes.extend_from_slice(&(tensors.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&kv_count.to_le_bytes());
    bytes.extend_from_slice(kv);
    for (name, dims, kind, offset) in tensors {
        bytes.extend_from_slice(&(name.len() as u64).to_le_bytes());
        bytes.extend_from_slice(name);
        bytes.extend_from_slice(&(dims.len() as u32).to_le_bytes());
        for d in *dims {
            bytes.extend_from_slice(&d.to_le_bytes());
        }
        bytes.extend_from_slice(&kind.to_le_bytes());
        bytes.extend_from_slice(&offset.to_le_bytes());
    }
    bytes.resize(bytes.len().next_multiple_of(32), 0);
    bytes.extend_from_slice(data);
    bytes
}

#[test]
fn lying_gguf_headers_are_errors() {
    let dir = folder("gguf");
    let data = [0u8; 64];
    let check = |name: &str, bytes: Vec<u8>, expected: &str| {
        let message = load_error(&dir, name, &bytes);
        assert!(message.contains(expected), "{name}: {message}");
    };
    check("magic.gguf", b"GGUG\x03\0\0\0".to_vec(), "bad magic");
    let mut v1 = gguf_with(&[], 0, &[], &[]);
    v1[4] = 1;
    check("v1.gguf", v1, "version 1");
    check(
        "kvcount.gguf",
        gguf_with(&[], 1 << 60, &[], &[]),
        "truncated",
    );
    let mut long_key = (1u64 << 62).to_le_bytes().to_vec();
    long_key.extend_from_slice(b"key");
    check(
        "key.gguf",
        gguf_with(&long_key, 1, &[], &[]),
        "more than the file holds",
    );
    let mut big_array = 1u64.to_le_bytes().to_vec();
    big_array.extend_from_slice(b"k");
    big_array.extend_from_slice(&9u32.to_le_bytes());
    big_array.extend_from_slice(&0u32.to_le_bytes());
    big_array.extend_from_slice(&(1u64 << 61).to_le_bytes());
    check(
        "array.gguf",
        gguf_with(&big_array, 1, &[], &[]),
        "more than the file holds",
    );
    check(
        "dims.gguf",
        gguf_with(&[], 0, &[(b"t", &[1 << 40, 1 << 40], 0, 0)], &data),
        "too large",
    );
    check(
        "past.gguf",
        gguf_with(&[], 0, &[(b"t", &[64], 0, 0)], &data),
        "past the end",
    );
    check(
        "offset.gguf",
        gguf_with(&[], 0, &[(b"t", &[4], 0, u64::MAX - 4)], &data),
        "",
    );
    check(
        "overlap.gguf",
        gguf_with(&[], 0, &[(b"a", &[8], 0, 0), (b"b", &[8], 0, 16)], &data),
        "overlaps",
    );
    check(
        "type.gguf",
        gguf_with(&[], 0, &[(b"t", &[4], 99, 0)], &data),
        "GGML type 99",
    );
    check(
        "ndim.gguf",
        gguf_with(&[], 0, &[(b"t", &[1; 9], 0, 0)], &data),
        "9 dimensions",
    );
    check(
        "name.gguf",
        gguf_with(&[], 0, &[(b"\xFF\xFE", &[4], 0, 0)], &data),
        "not UTF-8",
    );
    check(
        "block.gguf",
        gguf_with(&[], 0, &[(b"q.weight", &[48], 2, 0)], &data),
        "incompatible last dim",
    );
    // A huge last axis beside an empty one is a valid empty tensor, not an overflow.
    let empty = gguf_with(&[], 0, &[(b"q.weight", &[1 << 62, 0], 2, 0)], &data);
    std::fs::write(dir.join("empty.gguf"), empty).unwrap();
    let arrays = load(dir.join("empty.gguf")).unwrap().into_arrays().unwrap();
    assert_eq!(arrays["q.weight"].shape(), &[0, 1 << 59]);
    assert_eq!(arrays["q.scales"].shape(), &[0, 1 << 57]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn npz_members_that_lie_are_errors() {
    let dir = folder("npz");
    assert!(load_error(&dir, "not.npz", b"PK\x03\x04 not a zip").contains("not a valid npz"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"hello").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(load_error(&dir, "text.npz", &bytes).contains("bad magic"));
    std::fs::remove_dir_all(&dir).unwrap();
}
