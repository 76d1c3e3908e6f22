//! Float arithmetic as MLX's CPU backend does it in the random distributions: float16 and
//! bfloat16 are computed in f32 and rounded back after every op, and `exp`, `erf` and
//! `erfinv` are MLX's own polynomials (not libm's), evaluated with exact fused multiply-adds.
//! `ln` and `ln_1p` are the C library's `logf` / `log1pf`, which MLX calls too.

use crate::error::{Error, Result};
use crate::primitive::RandomMath;
use crate::Dtype;
use half::{bf16, f16};

/// A real float dtype that MLX computes in f32: float32 itself, or float16 / bfloat16 with
/// every intermediate result rounded to the dtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Real {
    /// float32.
    F32,
    /// float16.
    F16,
    /// bfloat16.
    Bf16,
}

impl Real {
    /// The kind of `dtype`; `None` for float64 and the non-float dtypes.
    pub(crate) fn of(dtype: Dtype) -> Option<Real> {
        match dtype {
            Dtype::Float32 => Some(Real::F32),
            Dtype::Float16 => Some(Real::F16),
            Dtype::Bfloat16 => Some(Real::Bf16),
            _ => None,
        }
    }

    /// `x` rounded to the nearest value of this dtype (ties to even), as an f32.
    pub(crate) fn round(self, x: f32) -> f32 {
        match self {
            Real::F32 => x,
            Real::F16 => f16::from_f32(x).to_f32(),
            Real::Bf16 => round_bf16(x),
        }
    }

    /// A Rust `f64` argument as MLX receives a Python float: made a float32 array, then
    /// cast to this dtype.
    pub(crate) fn constant(self, x: f64) -> f32 {
        self.round(x as f32)
    }

    /// The largest value of this dtype below 1: where MLX clamps its unit uniform.
    pub(crate) fn below_one(self) -> f32 {
        match self {
            Real::F32 => f32::from_bits(0x3F7F_FFFF),
            Real::F16 => f16::from_bits(0x3BFF).to_f32(),
            Real::Bf16 => bf16::from_bits(0x3F7F).to_f32(),
        }
    }
}

/// float32 to bfloat16 as MLX rounds it (`bits += ((bits >> 16) & 1) + 0x7FFF`, every NaN
/// becomes 0x7FC0), returned as an f32.
fn round_bf16(x: f32) -> f32 {
    if x.is_nan() {
        return f32::from_bits(0x7FC0_0000);
    }
    let b = x.to_bits();
    f32::from_bits(b.wrapping_add(((b >> 16) & 1) + 0x7FFF) & 0xFFFF_0000)
}

/// MLX's `maximum` of two floats: a NaN in `x` propagates, and `y` wins ties.
pub(crate) fn max_mlx(x: f32, y: f32) -> f32 {
    if x.is_nan() || x > y {
        x
    } else {
        y
    }
}

/// `c[0]` then `p = fma(p, t, c[k])` for the remaining coefficients.
fn horner(coefficients: &[f32], t: f32) -> f32 {
    coefficients[1..]
        .iter()
        .fold(coefficients[0], |p, &c| p.mul_add(t, c))
}

/// The polynomial for `2^f`, `f` in [-0.5, 0.5], of MLX's `exp` (Cephes).
const EXP_POLY: [f32; 7] = [
    1.535_336_2e-4,
    1.339_887_4e-3,
    9.618_437e-3,
    5.550_332_4e-2,
    2.402_264_8e-1,
    6.931_472e-1,
    1.0,
];

/// MLX's CPU `exp`: `x * log2(e)` split into a whole power of two and a fraction in
/// [-0.5, 0.5], the fraction through [`EXP_POLY`]. NaN stays NaN, above 88 gives infinity
/// and below -88 gives 0.
pub(crate) fn exp_mlx(x: f32) -> f32 {
    if x.is_nan() {
        return x;
    }
    if x > 88.0 {
        return f32::INFINITY;
    }
    if x < -88.0 {
        return 0.0;
    }
    let y = x * std::f32::consts::LOG2_E;
    let whole = (f64::from(y) + 0.5).floor() as f32;
    let p = horner(&EXP_POLY, y - whole);
    f32::from_bits(((whole as i32 + 127) as u32) << 23) * p
}

/// The polynomial in `t` of MLX's `erf` (Abramowitz and Stegun 7.1.26).
const ERF_POLY: [f32; 5] = [
    1.061_405_4,
    -1.453_152_1,
    1.421_413_8,
    -2.844_967_2e-1,
    2.548_296e-1,
];

/// MLX's CPU `erf` of `v`, a value of `kind`, rounded to `kind`: the Abramowitz and Stegun
/// approximation with MLX's `exp`. `erf(±0)` is `-0.0`.
pub(crate) fn erf_mlx(v: f32, kind: Real) -> f32 {
    let t = 1.0 / 0.327_591_1_f32.mul_add(v.abs(), 1.0);
    let r = horner(&ERF_POLY, t);
    let e = -exp_mlx(-(v * v));
    let res = kind.round((e * t).mul_add(r, 1.0));
    if v > 0.0 {
        res
    } else {
        -res
    }
}

/// The polynomial of MLX's `erfinv` where `|ln(1 - a^2)| > 6.125` (Giles).
const ERFINV_TAIL: [f32; 9] = [
    3.036_975_7e-10,
    2.932_431e-8,
    1.221_503_3e-6,
    2.841_089_6e-5,
    3.935_529_7e-4,
    3.026_988_1e-3,
    4.831_858e-3,
    -2.646_461_4e-1,
    8.400_165e-1,
];

/// The polynomial of MLX's `erfinv` elsewhere (Giles).
const ERFINV_CENTRAL: [f32; 10] = [
    5.438_778_3e-9,
    1.432_854_5e-7,
    1.227_747_9e-6,
    1.129_636_26e-7,
    -5.615_307_6e-5,
    -1.476_976_3e-4,
    2.314_686_8e-3,
    1.153_925_8e-2,
    -2.320_154_8e-1,
    8.862_269e-1,
];

/// MLX's CPU `erfinv` in f32 (Giles' single precision approximation):
/// `t = ln(fma(a, 0 - a, 1))`, then `a * poly(t)`.
pub(crate) fn erfinv_mlx(a: f32) -> f32 {
    let t = a.mul_add(0.0 - a, 1.0).ln();
    let coefficients: &[f32] = if t.abs() > 6.125 {
        &ERFINV_TAIL
    } else {
        &ERFINV_CENTRAL
    };
    a * horner(coefficients, t)
}

/// MLX's divisor from random uint32 words to [0, 1]: `float(UINT32_MAX)`, which is 2^32.
const WORD_SCALE: f32 = 4_294_967_296.0;

/// The sign of `x` as MLX computes it: 1, -1, or 0 for zeros.
fn sign(x: f32) -> f32 {
    f32::from(x > 0.0) - f32::from(x < 0.0)
}

/// `step` applied to `v` (a uint32 word for [`RandomMath::UnitUniform`], otherwise a value
/// of a real float dtype), with the result rounded to `kind`.
pub(crate) fn random_step(step: RandomMath, v: f64, kind: Real) -> f32 {
    let x = v as f32;
    match step {
        RandomMath::UnitUniform => kind.round((v as u32 as f32 / WORD_SCALE).min(kind.below_one())),
        RandomMath::ErfInv => kind.round(erfinv_mlx(x)),
        RandomMath::Erf => erf_mlx(x, kind),
        RandomMath::Gumbel => kind.round(-kind.round(-x.ln()).ln()),
        RandomMath::Laplace => kind.round(sign(x) * (-x.abs()).ln_1p()),
    }
}

/// The float64 form of `step`, as MLX computes the float64 samplers: `erfinv` in f32, and
/// the Laplace logarithm in f64. The other steps have no float64 form.
pub(crate) fn random_step_f64(step: RandomMath) -> Result<fn(f32) -> f64> {
    match step {
        RandomMath::ErfInv => Ok(|x| f64::from(erfinv_mlx(x))),
        RandomMath::Laplace => Ok(|x| f64::from(sign(x)) * (-f64::from(x.abs())).ln_1p()),
        _ => Err(Error::InvalidArgument(format!(
            "[{}] float64 is not supported.",
            step.name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bf16_rounding_is_mlx_s() {
        assert_eq!(round_bf16(1.0 + 1.0 / 256.0), 1.0, "a tie rounds to even");
        assert_eq!(round_bf16(1.0 + 3.0 / 256.0), 1.0 + 4.0 / 256.0);
        assert_eq!(round_bf16(f32::NAN).to_bits(), 0x7FC0_0000);
        assert_eq!(round_bf16(-f32::NAN).to_bits(), 0x7FC0_0000);
        assert_eq!(round_bf16(f32::MAX), f32::INFINITY);
    }

    #[test]
    fn below_one() {
        assert_eq!(Real::F16.below_one(), 0.999_511_7);
        assert_eq!(Real::Bf16.below_one(), 0.996_093_75);
        assert_eq!(Real::F32.below_one(), 1.0 - f32::EPSILON / 2.0);
    }

    #[test]
    fn mlx_polynomials() {
        assert_eq!(exp_mlx(1.0), 2.718_281_7);
        assert_eq!(exp_mlx(-100.0), 0.0);
        assert_eq!(exp_mlx(100.0), f32::INFINITY);
        assert!(exp_mlx(f32::NAN).is_nan());
        assert_eq!(erf_mlx(0.5, Real::F32), 0.520_500_1);
        assert_eq!(erf_mlx(f32::INFINITY, Real::F32), 1.0);
        assert_eq!(erf_mlx(f32::NEG_INFINITY, Real::F32), -1.0);
        assert!(erf_mlx(0.0, Real::F32).is_sign_negative());
        assert_eq!(erfinv_mlx(0.5), 0.476_936_28);
    }
}
