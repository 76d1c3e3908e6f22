//! Parity of random bits and of every sampler of `mx::random`.

use super::*;

/// Random bits from lazy keys, in every width, and split keys.
pub(super) fn random_bits(h: &mut Harness) {
    let key = mx::random::key(7).expect("key");
    for width in [1, 2, 4] {
        for size in [0, 1, 7, 1001, 1 << 20] {
            h.check(&format!("bits width {width} size {size}"), None, &|| {
                mx::random::bits(&[size], width, Some(&key))
            });
        }
    }
    h.check("split", None, &|| mx::random::split(&key, 5));
    h.check("bits of a split key", None, &|| {
        let keys = mx::random::split(&key, 3)?;
        let second = keys.slice(&[mx::Slice::range(1, 2)])?.reshape(&[2])?;
        mx::random::bits(&[33, 3], 4, Some(&second))
    });
}

/// Every sampler of `mx::random`, lazily on each stream from the same key. The uniform
/// ones must match exactly; the others go through `logf`, which may differ in the last
/// bit between CUDA and the C library.
pub(super) fn random_distributions(h: &mut Harness) {
    use mx::random;
    let key = random::key(11).expect("key");
    let k = Some(&key);
    for dtype in FLOATS {
        for size in [0usize, 1, 1001, 1 << 18] {
            let shape = [size];
            h.check(&format!("uniform {dtype} size {size}"), Some(0.0), &|| {
                random::uniform(-2.0, 5.0, &shape, dtype, k)
            });
            h.check(
                &format!("uniform {dtype} size {size} unfused"),
                Some(0.0),
                &|| {
                    mx::gpu::set_fusion(false);
                    let u = random::uniform(-2.0, 5.0, &shape, dtype, k).and_then(|u| {
                        u.eval()?;
                        Ok(u)
                    });
                    mx::gpu::set_fusion(true);
                    u
                },
            );
            h.check(&format!("normal {dtype} size {size}"), None, &|| {
                random::normal(&shape, dtype, Some(0.5), Some(2.0), k)
            });
            h.check(&format!("laplace {dtype} size {size}"), None, &|| {
                random::laplace(&shape, dtype, 1.0, 0.5, k)
            });
            h.check(&format!("gumbel {dtype} size {size}"), None, &|| {
                random::gumbel(&shape, dtype, k)
            });
            h.check(
                &format!("truncated_normal {dtype} size {size}"),
                None,
                &|| random::truncated_normal(-1.0, 2.0, &shape, dtype, k),
            );
        }
        let low = input(&[4, 1], dtype, GENERAL, 181);
        let high = mx::add(&low, 3.0).expect("high");
        h.check(&format!("uniform_array {dtype}"), Some(0.0), &|| {
            random::uniform_array(&low, &high, &[4, 300], dtype, k)
        });
        h.check(&format!("truncated_normal_array {dtype}"), None, &|| {
            random::truncated_normal_array(&low, &high, Some(&[4, 300]), dtype, k)
        });
    }
    h.check("normal complex64", None, &|| {
        random::normal(&[1000], Dtype::Complex64, Some(1.0), Some(0.5), k)
    });
    for dtype in [Dtype::Int32, Dtype::Uint8, Dtype::Int64, Dtype::Bool] {
        h.check(&format!("randint {dtype}"), None, &|| {
            random::randint(-3, 90, &[5000], dtype, k)
        });
    }
    h.check("bernoulli", None, &|| random::bernoulli(0.3, &[5000], k));
    h.check("permutation", None, &|| random::permutation(3000, k));
    let logits = input(&[64, 10], Dtype::Float32, GENERAL, 191);
    h.check("categorical", None, &|| {
        random::categorical(&logits, -1, None, k)
    });
}
