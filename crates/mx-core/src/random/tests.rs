//! Values of the distributions against MLX 0.32.4 (computed with
//! `scripts/golden/mlx_random_ref.py`, which matches MLX bit for bit). Every test passes an
//! explicit key, so none of them touches the global key sequence.

use super::*;
use crate::{Array, Complex64, Dtype};

/// The values of `a` as f64 (exact for every float dtype).
fn values(a: &Array) -> Vec<f64> {
    a.to_vec::<f64>().unwrap()
}

#[test]
fn uniform_in_each_dtype() {
    let k = key(0).unwrap();
    let u = uniform(0.0, 1.0, &[3], Dtype::Float32, Some(&k)).unwrap();
    assert_eq!(
        values(&u),
        [0.9653214812278748, 0.3146817088127136, 0.6330299973487854]
    );
    let u = uniform(0.0, 1.0, &[3], Dtype::Float16, Some(&k)).unwrap();
    assert_eq!(u.dtype(), Dtype::Float16);
    assert_eq!(values(&u), [0.96533203125, 0.314697265625, 0.6328125]);
    let u = uniform(0.0, 1.0, &[3], Dtype::Bfloat16, Some(&k)).unwrap();
    assert_eq!(u.dtype(), Dtype::Bfloat16);
    assert_eq!(values(&u), [0.96484375, 0.314453125, 0.6328125]);
    assert_eq!(
        uniform(0.0, 1.0, &[2, 0], Dtype::Float32, Some(&k))
            .unwrap()
            .shape(),
        &[2, 0]
    );
}

#[test]
fn uniform_dtype_errors() {
    let k = key(0).unwrap();
    let err = |d: Dtype| {
        uniform(0.0, 1.0, &[2], d, Some(&k))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(err(Dtype::Float64), "[uniform] Unsupported type.");
    assert_eq!(
        err(Dtype::Int32),
        "[uniform] Can only generate uniform numbers with real floating point type."
    );
}

#[test]
fn normal_in_each_dtype() {
    let k = key(0).unwrap();
    let n = |d: Dtype, loc: Option<f64>, scale: Option<f64>| {
        values(&normal(&[3], d, loc, scale, Some(&k)).unwrap())
    };
    assert_eq!(
        n(Dtype::Float32, None, None),
        [1.8160871267318726, -0.48262301087379456, 0.339889258146286]
    );
    assert_eq!(
        n(Dtype::Float16, None, None),
        [1.8154296875, -0.482666015625, 0.33984375]
    );
    assert_eq!(
        n(Dtype::Bfloat16, None, None),
        [1.8125, -0.482421875, 0.33984375]
    );
    assert_eq!(
        n(Dtype::Float32, Some(1.5), Some(2.0)),
        [5.132174491882324, 0.5347539782524109, 2.179778575897217]
    );
    assert_eq!(
        n(Dtype::Float64, Some(1.5), Some(2.0)),
        [5.132174269344701, 0.5347539712215661, 2.179778511730993]
    );
    assert_eq!(
        normal(&[2], Dtype::Int32, None, None, Some(&k))
            .unwrap_err()
            .to_string(),
        "[normal] Only floating point and complex64 types are supported."
    );
}

#[test]
fn complex_normal_has_no_sqrt2() {
    let k = key(0).unwrap();
    let z = normal(&[2], Dtype::Complex64, None, None, Some(&k)).unwrap();
    let z = z.to_vec::<Complex64>().unwrap();
    assert_eq!(f64::from(z[0].re), 1.2841675281524658);
    assert_eq!(f64::from(z[0].im), -0.5337841510772705);
    assert_eq!(f64::from(z[1].re), 0.24033799767494202);
    assert_eq!(f64::from(z[1].im), -0.3781857192516327);
}

#[test]
fn laplace_in_each_dtype() {
    let k = key(0).unwrap();
    let l =
        |d: Dtype, loc: f64, scale: f64| values(&laplace(&[3], d, loc, scale, Some(&k)).unwrap());
    assert_eq!(
        l(Dtype::Float32, 0.0, 1.0),
        [-2.6684885025024414, 0.4630463123321533, -0.3093280792236328]
    );
    assert_eq!(
        l(Dtype::Float64, 0.5, 2.0),
        [-4.836977036221338, 1.4260926479017515, -0.11865614313062867]
    );
    assert_eq!(
        l(Dtype::Bfloat16, 0.5, 2.0),
        [-4.84375, 1.421875, -0.1171875]
    );
}

#[test]
fn gumbel_and_truncated_normal() {
    let k = key(0).unwrap();
    let g = gumbel(&[3], Dtype::Float16, Some(&k)).unwrap();
    assert_eq!(values(&g), [3.34375, -0.1451416015625, 0.78173828125]);
    let t = truncated_normal(-1.0, 1.0, &[3], Dtype::Float32, Some(&k)).unwrap();
    assert_eq!(
        values(&t),
        [0.9065213799476624, -0.32263678312301636, 0.2296501249074936]
    );
    let k1 = key(1).unwrap();
    let t = truncated_normal(0.5, 3.0, &[3], Dtype::Float16, Some(&k1)).unwrap();
    assert_eq!(values(&t), [1.107421875, 0.74169921875, 1.806640625]);
    assert_eq!(
        truncated_normal(0.0, 1.0, &[2], Dtype::Float64, Some(&k))
            .unwrap_err()
            .to_string(),
        "[uniform] Unsupported type."
    );
}

#[test]
fn randint_casts_like_mlx() {
    let k = key(1).unwrap();
    let r = |lo: i64, hi: i64, n: usize, d: Dtype| randint(lo, hi, &[n], d, Some(&k)).unwrap();
    assert_eq!(
        r(-5, 5, 4, Dtype::Int8).to_vec::<i8>().unwrap(),
        [0, -2, 3, -1]
    );
    // 299 wraps to 43 in uint8, below low: everything is low.
    assert_eq!(
        r(250, 300, 3, Dtype::Uint8).to_vec::<u8>().unwrap(),
        [250; 3]
    );
    assert_eq!(
        r(0, 2, 4, Dtype::Bool).to_vec::<bool>().unwrap(),
        [true, false, true, false]
    );
    assert_eq!(r(7, 3, 2, Dtype::Int32).to_vec::<i32>().unwrap(), [7, 7]);
    assert_eq!(
        randint(0, 5, &[2], Dtype::Float32, Some(&k))
            .unwrap_err()
            .to_string(),
        "[randint] randint only accepts integer dtypes and bool."
    );
}

#[test]
fn bernoulli_thresholds() {
    let k = key(1).unwrap();
    let b = bernoulli(0.3, &[6], Some(&k)).unwrap();
    assert_eq!(b.dtype(), Dtype::Bool);
    assert_eq!(
        b.to_vec::<bool>().unwrap(),
        [false, true, false, false, false, false]
    );
    let all = |p: f64| {
        bernoulli(p, &[35], Some(&k))
            .unwrap()
            .to_vec::<bool>()
            .unwrap()
    };
    assert!(all(1.0).into_iter().all(|x| x));
    assert!(!all(0.0).into_iter().any(|x| x));
    assert!(!all(f64::NAN).into_iter().any(|x| x));
}

#[test]
fn categorical_both_paths() {
    let k0 = key(0).unwrap();
    let k1 = key(1).unwrap();
    let one = Array::from_slice(&[0.0f32, 1.0, 2.0], &[3]).unwrap();
    let two = Array::from_slice(&[0.0f32, 1.0, 2.0, 2.0, 1.0, 0.0], &[2, 3]).unwrap();
    let ids = |a: Array| a.to_vec::<u32>().unwrap();
    // One distribution sampled five times: inverse CDF.
    assert_eq!(
        ids(categorical(&one, -1, Some(5), Some(&k0)).unwrap()),
        [2, 1, 2, 2, 2]
    );
    // Gumbel-max.
    let c = categorical(&two, -1, None, Some(&k0)).unwrap();
    assert_eq!(c.dtype(), Dtype::Uint32);
    assert_eq!(ids(c), [2, 0]);
    let zeros = Array::from_slice(&[0.0f32; 20], &[4, 5]).unwrap();
    let c = categorical(&zeros, 0, Some(3), Some(&k1)).unwrap();
    assert_eq!(c.shape(), &[5, 3]);
    assert_eq!(ids(c), [1, 2, 3, 3, 2, 0, 2, 2, 1, 0, 2, 1, 3, 2, 3]);
    let c = categorical_with_shape(&two, -1, &[4, 2], Some(&k1)).unwrap();
    assert_eq!(ids(c), [2, 0, 2, 2, 2, 2, 2, 1]);
    let inf = f32::NEG_INFINITY;
    let masked = Array::from_slice(&[inf, 0.0, inf, 0.0], &[4]).unwrap();
    assert_eq!(
        ids(categorical(&masked, -1, Some(6), Some(&k1)).unwrap()),
        [3, 1, 3, 3, 3, 3]
    );
}

#[test]
fn categorical_errors() {
    let k = key(0).unwrap();
    let two = Array::from_slice(&[0.0f32; 6], &[2, 3]).unwrap();
    let err = |e: crate::Error| e.to_string();
    assert_eq!(
        err(categorical(&two, 2, None, Some(&k)).unwrap_err()),
        "[categorical] Invalid axis 2 for logits with 2 dimensions."
    );
    assert_eq!(
        err(categorical_with_shape(&two, -1, &[4, 1], Some(&k)).unwrap_err()),
        "[categorical] Requested shape (4,1) is not broadcast compatible with reduced logits shape(2)."
    );
}

#[test]
fn permutations() {
    let k = key(1).unwrap();
    let p = permutation(6, Some(&k)).unwrap();
    assert_eq!(p.to_vec::<u32>().unwrap(), [1, 4, 5, 3, 0, 2]);
    let x = Array::from_slice(&(0..12).collect::<Vec<i32>>(), &[3, 4]).unwrap();
    let y = permutation_array(&x, 1, Some(&k)).unwrap();
    assert_eq!(
        y.to_vec::<i32>().unwrap(),
        [1, 3, 0, 2, 5, 7, 4, 6, 9, 11, 8, 10]
    );
    assert_eq!(
        permutation_array(&x, 2, Some(&k)).unwrap_err().to_string(),
        "SmallVector out of range."
    );
    assert_eq!(permutation(0, Some(&k)).unwrap().shape(), &[0]);
}

#[test]
fn samplers_are_lazy_graphs() {
    let k = key(5).unwrap();
    let lazy = [
        uniform(0.0, 1.0, &[4], Dtype::Float32, Some(&k)).unwrap(),
        normal(&[4], Dtype::Float16, None, None, Some(&k)).unwrap(),
        laplace(&[4], Dtype::Float32, 0.0, 1.0, Some(&k)).unwrap(),
        gumbel(&[4], Dtype::Bfloat16, Some(&k)).unwrap(),
        truncated_normal(-1.0, 1.0, &[4], Dtype::Float32, Some(&k)).unwrap(),
        randint(0, 9, &[4], Dtype::Int32, Some(&k)).unwrap(),
        bernoulli(0.5, &[4], Some(&k)).unwrap(),
        permutation(4, Some(&k)).unwrap(),
    ];
    for a in &lazy {
        assert!(!a.is_evaluated(), "{:?} was computed eagerly", a.dtype());
    }
}

/// Large arrays take the CPU's vectorised and parallel paths: every element must still be
/// MLX's scalar sequence `round(round(range * f) + low)`.
#[test]
fn large_uniforms_round_like_scalars() {
    use crate::primitive::RandomMath;
    use crate::random::float::{random_step, Real};
    let k = key(11).unwrap();
    let n = 1 << 18;
    for (dtype, kind) in [(Dtype::Bfloat16, Real::Bf16), (Dtype::Float16, Real::F16)] {
        let u = values(&uniform(-2.0, 5.0, &[n], dtype, Some(&k)).unwrap());
        let words = bits(&[n], 4, Some(&k)).unwrap().to_vec::<u32>().unwrap();
        let (low, range) = (
            kind.constant(-2.0),
            kind.round(kind.constant(5.0) - kind.constant(-2.0)),
        );
        for (i, (&word, &got)) in words.iter().zip(&u).enumerate() {
            let f = random_step(RandomMath::UnitUniform, f64::from(word), kind);
            let expected = kind.round(kind.round(range * f) + low);
            assert_eq!(got as f32, expected, "{dtype} element {i} of word {word}");
        }
    }
}
