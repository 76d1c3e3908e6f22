//! The bounded fuzz smoke run of CI: each parser's committed corpus (`fuzz/corpus/`, grown
//! by the coverage-guided `cargo fuzz` targets in `fuzz/`) is replayed, then mutated at
//! random (bit flips, byte writes, truncations, insertions, splices) for a fixed time.
//! Every input must give `Ok` or `Err` without a panic.
//!
//! `MX_FUZZ_SMOKE_SECONDS` sets the seconds per format (default 15, 60 s in all,
//! spent in parallel with the other tests). A failing input is written to the temporary
//! folder and named in the failure, ready for `cargo fuzz run <target> <file>`.

use mx::io::{load_reader, Format};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift64*), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "empty corpus {}", dir.display());
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

/// One random change: the kinds of edits that break length fields, offsets and counts.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let len = input.len();
    match rng.below(7) {
        0 if len > 0 => {
            let at = rng.below(len);
            input[at] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let at = rng.below(len);
            input[at] = [0x00, 0xFF, 0x7F, 0x80, 0x01, b'9'][rng.below(6)];
        }
        2 => input.truncate(rng.below(len + 1)),
        3 => {
            let at = rng.below(len + 1);
            let byte = rng.next() as u8;
            input.splice(at..at, std::iter::repeat_n(byte, 1 + rng.below(16)));
        }
        4 if len >= 8 => {
            // An interesting little-endian integer over a length or count field.
            let at = rng.below(len - 7);
            let value: u64 = [0, 1, u32::MAX as u64, u64::MAX, 1 << 40, 0x7FFF_FFFF][rng.below(6)];
            input[at..at + 8].copy_from_slice(&value.to_le_bytes());
        }
        5 => {
            let other = &corpus[rng.below(corpus.len())];
            let from = rng.below(other.len());
            let at = rng.below(len + 1);
            input.truncate(at);
            input.extend_from_slice(&other[from..]);
        }
        _ if len > 1 => {
            let a = rng.below(len);
            let b = rng.below(len);
            input.swap(a, b);
        }
        _ => input.push(rng.next() as u8),
    }
}

fn smoke(target: &str, format: Format, seed: u64) {
    let seconds = std::env::var("MX_FUZZ_SMOKE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    let corpus = corpus(target);
    let run = |input: &[u8], label: &str| {
        let outcome = std::panic::catch_unwind(|| load_reader(input, format).map(|_| ()));
        if outcome.is_err() {
            let path = std::env::temp_dir().join(format!("mx-fuzz-{target}-{label}"));
            std::fs::write(&path, input).unwrap();
            panic!("{target}: a panic on the input saved in {}", path.display());
        }
    };
    for (i, input) in corpus.iter().enumerate() {
        run(input, &format!("corpus-{i}"));
    }
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0usize;
    while Instant::now() < deadline {
        let mut input = corpus[rng.below(corpus.len())].clone();
        for _ in 0..1 + rng.below(4) {
            mutate(&mut rng, &mut input, &corpus);
        }
        run(&input, &format!("seed{seed}-run{runs}"));
        runs += 1;
    }
    println!(
        "{target}: {} corpus inputs, {runs} mutated inputs in {seconds} s",
        corpus.len()
    );
}

#[test]
fn npy_fuzz_smoke() {
    smoke("npy", Format::Npy, 0x9E37_79B9_7F4A_7C15);
}

#[test]
fn npz_fuzz_smoke() {
    smoke("npz", Format::Npz, 0xD1B5_4A32_D192_ED03);
}

#[test]
fn safetensors_fuzz_smoke() {
    smoke("safetensors", Format::Safetensors, 0x8CB9_2BA7_2F3D_8DD7);
}

#[test]
fn gguf_fuzz_smoke() {
    smoke("gguf", Format::Gguf, 0xA076_1D64_78BD_642F);
}
