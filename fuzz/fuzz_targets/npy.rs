//! Any bytes given to the npy loader give `Ok` or `Err`: never a panic, an abort, an
//! unbounded allocation or a read out of bounds. Loading a reader evaluates every array.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mx_core::io::{load_reader, Format};

fuzz_target!(|data: &[u8]| {
    let _ = load_reader(data, Format::Npy);
});
