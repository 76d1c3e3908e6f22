//! Parity of the fused ops of `mx::fast`: norms, rope and attention with every option.

use super::{input, Harness, FLOATS, GENERAL};
use mx::fast::{Mask, RopeFrequencies, RopeOffset};
use mx::{Array, Dtype};

pub(super) fn fast_ops(h: &mut Harness) {
    for dtype in FLOATS {
        norms(h, dtype);
        rope(h, dtype);
        attention(h, dtype);
    }
    let x = input(&[2, 3, 8], Dtype::Float32, GENERAL, 331);
    h.check("grad through rms_norm and rope", None, &|| {
        mx::grad(|x: &Array| {
            let y = mx::fast::rms_norm(x, None, 1e-5)?;
            let z = mx::fast::rope(&y, 8, false, RopeFrequencies::Base(100.0), 1.0, 2)?;
            mx::sum(&mx::sin(&z)?, None, false)
        })(&x)
    });
}

fn norms(h: &mut Harness, dtype: Dtype) {
    for shape in [[37usize, 300], [4, 4096], [3, 7]] {
        let x = input(&shape, dtype, GENERAL, 301);
        let w = input(&shape[1..], dtype, GENERAL, 303);
        let b = input(&shape[1..], dtype, GENERAL, 305);
        let label = |op: &str| format!("{op} {dtype} {shape:?}");
        h.check(&label("rms_norm"), None, &|| {
            mx::fast::rms_norm(&x, Some(&w), 1e-5)
        });
        h.check(&label("rms_norm without weight"), None, &|| {
            mx::fast::rms_norm(&x, None, 1e-5)
        });
        h.check(&label("layer_norm"), None, &|| {
            mx::fast::layer_norm(&x, Some(&w), Some(&b), 1e-5)
        });
        h.check(&label("layer_norm bias only"), None, &|| {
            mx::fast::layer_norm(&x, None, Some(&b), 1e-5)
        });
        h.check(&label("rms_norm of a transposed input"), None, &|| {
            mx::fast::rms_norm(&x.transpose(None)?, None, 1e-5)
        });
    }
}

fn rope(h: &mut Harness, dtype: Dtype) {
    let x = input(&[2, 3, 17, 64], dtype, GENERAL, 311);
    let offsets = Array::from_slice(&[3i32, 1000], &[2]).expect("offsets");
    let freqs = input(&[16], Dtype::Float32, super::Domain(1.0, 50.0), 313);
    for traditional in [false, true] {
        let label = |what: &str| format!("rope {dtype} traditional {traditional} {what}");
        h.check(&label("full"), None, &|| {
            mx::fast::rope(&x, 64, traditional, RopeFrequencies::Base(10000.0), 1.0, 5)
        });
        h.check(&label("partial, offsets"), None, &|| {
            mx::fast::rope(
                &x,
                32,
                traditional,
                RopeFrequencies::Base(500.0),
                0.5,
                RopeOffset::Array(&offsets),
            )
        });
        h.check(&label("freqs"), None, &|| {
            mx::fast::rope(&x, 32, traditional, RopeFrequencies::Freqs(&freqs), 2.0, 0)
        });
    }
}

fn attention(h: &mut Harness, dtype: Dtype) {
    for depth in [64usize, 80, 96, 128] {
        let q = input(&[2, 4, 9, depth], dtype, GENERAL, 321);
        let k = input(&[2, 2, 13, depth], dtype, GENERAL, 323);
        let v = input(&[2, 2, 13, depth], dtype, GENERAL, 325);
        let scale = (depth as f32).powf(-0.5);
        let label = |what: &str| format!("sdpa {dtype} depth {depth} {what}");
        h.check(&label("gqa"), None, &|| {
            mx::fast::scaled_dot_product_attention(&q, &k, &v, scale, Mask::None, None)
        });
        h.check(&label("causal"), None, &|| {
            mx::fast::scaled_dot_product_attention(&q, &k, &v, scale, Mask::Causal, None)
        });
    }
    let q = input(&[1, 4, 6, 32], dtype, GENERAL, 327);
    let k = input(&[1, 1, 5, 32], dtype, GENERAL, 329);
    let v = input(&[1, 1, 5, 48], dtype, GENERAL, 331);
    let keep = mx::greater(input(&[6, 5], Dtype::Float32, GENERAL, 333), 0.5).expect("mask");
    let additive = input(&[4, 6, 5], dtype, GENERAL, 335);
    let sinks = input(&[4], dtype, GENERAL, 337);
    let none_kept = mx::zeros(&[6, 5], Dtype::Bool).expect("mask");
    let label = |what: &str| format!("sdpa {dtype} mqa {what}");
    h.check(&label("causal, more queries than keys"), None, &|| {
        mx::fast::scaled_dot_product_attention(&q, &k, &v, 0.3, Mask::Causal, None)
    });
    h.check(&label("boolean mask"), None, &|| {
        mx::fast::scaled_dot_product_attention(&q, &k, &v, 0.3, Mask::Array(&keep), None)
    });
    h.check(&label("additive mask and sinks"), None, &|| {
        mx::fast::scaled_dot_product_attention(
            &q,
            &k,
            &v,
            0.3,
            Mask::Array(&additive),
            Some(&sinks),
        )
    });
    h.check(&label("nothing kept"), None, &|| {
        mx::fast::scaled_dot_product_attention(&q, &k, &v, 0.3, Mask::Array(&none_kept), None)
    });
    h.check(&label("nothing kept, sinks"), None, &|| {
        mx::fast::scaled_dot_product_attention(
            &q,
            &k,
            &v,
            0.3,
            Mask::Array(&none_kept),
            Some(&sinks),
        )
    });
}
