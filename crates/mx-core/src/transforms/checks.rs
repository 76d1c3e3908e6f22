//! Checks shared by the transform tests and those of ops with transform rules elsewhere:
//! finite differences in float64 with the vjp/jvp consistency check, and `vmap` against a
//! loop and `stack`.

use super::{jvp, vjp, vmap};
use crate::ops::*;
use crate::{Array, Device, Index, Result, Slice};

/// Runs `f` on the CPU stream: float64 has no GPU kernels.
pub(crate) fn on_cpu<R>(f: impl FnOnce() -> R) -> R {
    crate::with_stream(crate::default_stream(Device::Cpu).unwrap(), f)
}

/// Deterministic float64 values of `shape` in `[low, high)`.
pub(crate) fn values(shape: &[usize], low: f64, high: f64, seed: u64) -> Array {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let n: usize = shape.iter().product();
    let v: Vec<f64> = (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            low + (high - low) * ((state >> 11) as f64 / (1u64 << 53) as f64)
        })
        .collect();
    Array::from_slice(&v, shape).unwrap()
}

/// `Σ a * b` as an f64.
pub(crate) fn dot(a: &Array, b: &Array) -> f64 {
    sum(&multiply(a, b).unwrap(), None, false)
        .unwrap()
        .item::<f64>()
        .unwrap()
}

pub(crate) type Function<'a> = dyn Fn(&[Array]) -> Result<Array> + 'a;

/// Checks the vjp and jvp of `f` at `inputs` against a central difference along a random
/// direction, for a random cotangent.
pub(crate) fn check(name: &str, f: &Function<'_>, inputs: &[Array]) {
    check_with(name, f, inputs, 1e-6, 1e-5);
}

/// [`check`] with step `eps` and relative tolerance `tolerance`, for functions that are
/// less accurate than float64.
pub(crate) fn check_with(name: &str, f: &Function<'_>, inputs: &[Array], eps: f64, tolerance: f64) {
    on_cpu(|| {
        let out = f(inputs).unwrap();
        let u = values(out.shape(), -1.0, 1.0, 7);
        let v: Vec<Array> = inputs
            .iter()
            .enumerate()
            .map(|(i, x)| values(x.shape(), -1.0, 1.0, 11 + i as u64))
            .collect();
        let shifted = |sign: f64| -> f64 {
            let moved: Vec<Array> = inputs
                .iter()
                .zip(&v)
                .map(|(x, d)| add(x, multiply(d, sign * eps).unwrap()).unwrap())
                .collect();
            dot(&u, &f(&moved).unwrap())
        };
        let numeric = (shifted(1.0) - shifted(-1.0)) / (2.0 * eps);
        let wrapped = |args: &[Array]| Ok(vec![f(args)?]);
        let (_, grads) = vjp(wrapped, inputs, std::slice::from_ref(&u)).unwrap();
        let reverse: f64 = grads.iter().zip(&v).map(|(g, d)| dot(g, d)).sum();
        let (_, tangents) = jvp(wrapped, inputs, &v).unwrap();
        let forward = dot(&u, &tangents[0]);
        let scale = numeric.abs().max(1.0);
        assert!(
            (reverse - numeric).abs() < tolerance * scale,
            "{name}: vjp gives {reverse}, finite differences {numeric}"
        );
        assert!(
            (forward - numeric).abs() < tolerance * scale,
            "{name}: jvp gives {forward}, finite differences {numeric}"
        );
    });
}

/// Deterministic float32 values of `shape` in [-2, 2).
pub(crate) fn values_f32(shape: &[usize], seed: u64) -> Array {
    let n: usize = shape.iter().product();
    let v: Vec<f32> = (0..n)
        .map(|i| (((i as u64 + 1) * 2_654_435_761 + seed * 97) % 1000) as f32 / 250.0 - 2.0)
        .collect();
    Array::from_slice(&v, shape).unwrap()
}

/// Element `i` of `x` along `axis`.
pub(crate) fn at(x: &Array, axis: usize, i: usize) -> Array {
    let mut items = vec![Index::Slice(Slice::new(None, None, 1)); x.ndim()];
    items[axis] = Index::Int(i as isize);
    x.index(&items).unwrap()
}

pub(crate) type Mapped<'a> = dyn Fn(&[Array]) -> Result<Array> + 'a;

/// `vmap(f)` over `args` (batched along `in_axes`) equals `f` applied per batch element
/// and stacked along output axis `out_axis`.
pub(crate) fn check_vmap(
    name: &str,
    f: &Mapped<'_>,
    args: &[Array],
    in_axes: &[Option<isize>],
    out_axis: isize,
) {
    on_cpu(|| {
        let size = args
            .iter()
            .zip(in_axes)
            .find_map(|(a, axis)| axis.map(|ax| a.shape()[ax as usize]))
            .unwrap();
        let mapped = vmap(|a| Ok(vec![f(a)?]), in_axes, &[Some(out_axis)])(args)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let looped: Vec<Array> = (0..size)
            .map(|i| {
                let slice: Vec<Array> = args
                    .iter()
                    .zip(in_axes)
                    .map(|(a, axis)| match axis {
                        Some(ax) => at(a, *ax as usize, i),
                        None => a.clone(),
                    })
                    .collect();
                f(&slice).unwrap()
            })
            .collect();
        let refs: Vec<&Array> = looped.iter().collect();
        let expected = stack(&refs, out_axis).unwrap();
        assert_eq!(mapped[0].shape(), expected.shape(), "{name}: shape");
        assert_eq!(mapped[0].dtype(), expected.dtype(), "{name}: dtype");
        assert!(
            array_equal(&mapped[0], &expected, false)
                .unwrap()
                .item::<bool>()
                .unwrap(),
            "{name}: values differ"
        );
    });
}
