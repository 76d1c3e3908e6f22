//! Lazy loading keeps memory low, measured with the memory API: `load` then `astype(f16)`
//! on every tensor then one `eval` peaks at no more than the float16 total plus the
//! largest float32 tensor (the guarantee of MLX's guide). This is its own test binary, so
//! that no other test allocates while the peak is measured.

use mx::{Array, Dtype};
use std::collections::BTreeMap;

#[test]
fn load_then_cast_then_eval_peaks_below_the_f16_total_plus_one_f32_tensor() {
    let dir = std::env::temp_dir().join(format!("mx-io-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.safetensors");
    // 32 float32 tensors of 2 to 18 MB: 312 MB in all.
    let sizes: Vec<usize> = (0..32).map(|i| (1 << 19) + i * (1 << 17)).collect();
    {
        let tensors: BTreeMap<String, Array> = sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let t = mx::random::normal(&[n], Dtype::Float32, None, None, None).unwrap();
                (format!("layer{i:02}.weight"), t)
            })
            .collect();
        mx::io::save_safetensors(&path, &tensors, &BTreeMap::new()).unwrap();
    }
    mx::clear_cache();
    let before = mx::get_active_memory();
    let loaded = mx::io::load(&path).unwrap().into_arrays().unwrap();
    assert!(
        loaded.values().all(|a| !a.is_evaluated()),
        "load evaluated an array"
    );
    assert_eq!(
        mx::get_active_memory(),
        before,
        "load allocated array memory"
    );

    mx::reset_peak_memory();
    let halves: Vec<Array> = loaded
        .values()
        .map(|a| a.astype(Dtype::Float16).unwrap())
        .collect();
    drop(loaded);
    mx::eval(&halves.iter().collect::<Vec<_>>()).unwrap();
    let peak = mx::get_peak_memory() - before;
    let f16_total: usize = sizes.iter().map(|n| n * 2).sum();
    let largest_f32 = sizes.iter().max().unwrap() * 4;
    println!(
        "peak {:.1} MB; f16 total {:.1} MB; largest f32 tensor {:.1} MB",
        peak as f64 / 1e6,
        f16_total as f64 / 1e6,
        largest_f32 as f64 / 1e6
    );
    assert!(
        peak <= f16_total + largest_f32,
        "peak {peak} > {f16_total} + {largest_f32}"
    );

    // The cast values are the file's values.
    let again = mx::io::load(&path).unwrap().into_arrays().unwrap();
    let first = again["layer00.weight"].astype(Dtype::Float16).unwrap();
    assert_eq!(
        first.to_vec::<f32>().unwrap(),
        halves[0].to_vec::<f32>().unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
