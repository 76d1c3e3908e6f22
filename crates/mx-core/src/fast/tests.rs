//! The transform rules of the fused ops: finite differences through the float32 kernels,
//! higher derivatives, and `vmap` against a loop with the batch at every axis.

use super::*;
use crate::transforms::checks::{check_vmap, check_with, on_cpu, values, values_f32};
use crate::{grad, greater, sin, square, sum, Array, Dtype, Result};

/// `f` on float32 copies of float64 `inputs`, back in float64: the kernels compute in
/// float32, so the finite differences take larger steps and a looser tolerance.
fn through_f32(f: impl Fn(&[Array]) -> Result<Array>) -> impl Fn(&[Array]) -> Result<Array> {
    move |inputs| {
        let narrowed: Vec<Array> = inputs
            .iter()
            .map(|x| x.astype(Dtype::Float32))
            .collect::<Result<_>>()?;
        f(&narrowed)?.astype(Dtype::Float64)
    }
}

fn check_f32(name: &str, f: impl Fn(&[Array]) -> Result<Array>, inputs: &[Array]) {
    check_with(name, &through_f32(f), inputs, 1e-2, 5e-3);
}

#[test]
fn norms_follow_finite_differences() {
    let x = values(&[3, 8], -2.0, 2.0, 1);
    let w = values(&[8], 0.5, 1.5, 2);
    let b = values(&[8], -1.0, 1.0, 3);
    check_f32(
        "rms_norm",
        |a| rms_norm(&a[0], Some(&a[1]), 1e-5),
        &[x.clone(), w.clone()],
    );
    check_f32(
        "rms_norm without weight",
        |a| rms_norm(&a[0], None, 1e-5),
        std::slice::from_ref(&x),
    );
    check_f32(
        "layer_norm",
        |a| layer_norm(&a[0], Some(&a[1]), Some(&a[2]), 1e-5),
        &[x.clone(), w, b],
    );
    check_f32(
        "layer_norm plain",
        |a| layer_norm(&a[0], None, None, 1e-5),
        &[x],
    );
}

#[test]
fn rope_follows_finite_differences() {
    let x = values(&[2, 3, 8], -1.0, 1.0, 4);
    for traditional in [false, true] {
        check_f32(
            "rope",
            move |a| rope(&a[0], 6, traditional, RopeFrequencies::Base(100.0), 0.5, 2),
            std::slice::from_ref(&x),
        );
    }
    let freqs = values(&[3], 1.0, 4.0, 5);
    check_f32(
        "rope with freqs",
        |a| rope(&a[0], 6, false, RopeFrequencies::Freqs(&a[1]), 1.0, 1),
        &[x, freqs],
    );
}

#[test]
fn attention_follows_finite_differences() {
    let q = values(&[1, 4, 3, 8], -1.0, 1.0, 6);
    let k = values(&[1, 2, 5, 8], -1.0, 1.0, 7);
    let v = values(&[1, 2, 5, 8], -1.0, 1.0, 8);
    let additive = values(&[3, 5], -1.0, 1.0, 9);
    let sinks = values(&[4], -1.0, 1.0, 10);
    let qkv = [q.clone(), k.clone(), v.clone()];
    check_f32(
        "sdpa causal",
        |a| scaled_dot_product_attention(&a[0], &a[1], &a[2], 0.4, Mask::Causal, None),
        &qkv,
    );
    check_f32(
        "sdpa additive mask and sinks",
        |a| scaled_dot_product_attention(&a[0], &a[1], &a[2], 0.4, Mask::Array(&a[3]), Some(&a[4])),
        &[q, k, v, additive, sinks],
    );
}

#[test]
fn second_derivatives_go_through_the_compositions() {
    on_cpu(|| {
        let x = values(&[2, 6], -1.0, 1.0, 11)
            .astype(Dtype::Float32)
            .unwrap();
        let inner = |x: &Array| sum(&sin(&square(&rms_norm(x, None, 1e-5)?)?)?, None, false);
        let second = grad(move |x: &Array| sum(&grad(inner)(x)?, None, false))(&x).unwrap();
        let composed = |x: &Array| {
            let y = norm::reference(
                &crate::FastOp::RmsNorm { eps: 1e-5 },
                std::slice::from_ref(x),
            )?;
            sum(&sin(&square(&y)?)?, None, false)
        };
        let expected = grad(move |x: &Array| sum(&grad(composed)(x)?, None, false))(&x).unwrap();
        assert!(crate::allclose(&second, &expected, 1e-4, 1e-5, false)
            .unwrap()
            .item::<bool>()
            .unwrap());
    });
}

#[test]
fn vmap_runs_the_fused_ops_on_the_whole_batch() {
    let x = values_f32(&[3, 4, 5, 8], 1);
    let w = values_f32(&[8], 2);
    for axis in 0..3isize {
        let batch = [Some(axis)];
        let one = std::slice::from_ref(&x);
        check_vmap(
            "rms_norm",
            &|a| rms_norm(&a[0], Some(&w), 1e-5),
            one,
            &batch,
            0,
        );
        check_vmap(
            "layer_norm",
            &|a| layer_norm(&a[0], None, Some(&w), 1e-5),
            one,
            &batch,
            1,
        );
        check_vmap(
            "rope",
            &|a| rope(&a[0], 8, true, RopeFrequencies::Base(10000.0), 1.0, 3),
            one,
            &batch,
            0,
        );
    }
    let weights = values_f32(&[3, 8], 3);
    check_vmap(
        "rms_norm with batched weights",
        &|a| rms_norm(&a[0], Some(&a[1]), 1e-5),
        &[x.clone(), weights],
        &[Some(0), Some(0)],
        0,
    );
    let q = values_f32(&[2, 1, 4, 3, 8], 4);
    let kv = values_f32(&[1, 2, 5, 8], 5);
    let mask = greater(values_f32(&[3, 5], 6), 0.0).unwrap();
    check_vmap(
        "sdpa",
        &|a| scaled_dot_product_attention(&a[0], &a[1], &a[1], 0.3, Mask::Array(&mask), None),
        &[q, kv],
        &[Some(0), None],
        1,
    );
}
