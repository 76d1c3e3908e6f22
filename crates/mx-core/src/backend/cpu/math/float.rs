//! Transcendental and rounding functions for the real float types.
//! Half types compute in f32, as MLX does.

use half::{bf16, f16};

/// Real floating point math used by the unary and binary kernels.
pub(crate) trait FloatMath: Copy + Send + Sync + 'static {
    fn exp(self) -> Self;
    fn exp2(self) -> Self;
    fn expm1(self) -> Self;
    fn ln(self) -> Self;
    fn ln1p(self) -> Self;
    fn log2(self) -> Self;
    fn log10(self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn tan(self) -> Self;
    fn asin(self) -> Self;
    fn acos(self) -> Self;
    fn atan(self) -> Self;
    fn sinh(self) -> Self;
    fn cosh(self) -> Self;
    fn tanh(self) -> Self;
    fn asinh(self) -> Self;
    fn acosh(self) -> Self;
    fn atanh(self) -> Self;
    fn sqrt(self) -> Self;
    fn rsqrt(self) -> Self;
    fn recip(self) -> Self;
    fn sigmoid(self) -> Self;
    fn erf(self) -> Self;
    fn erfinv(self) -> Self;
    fn floor(self) -> Self;
    fn ceil(self) -> Self;
    fn round_even(self) -> Self;
    fn abs(self) -> Self;
    fn neg(self) -> Self;
    fn sign(self) -> Self;
    fn square(self) -> Self;
    fn atan2(self, o: Self) -> Self;
    fn logaddexp(self, o: Self) -> Self;
    fn is_nan(self) -> bool;
    fn is_infinite(self) -> bool;
    fn is_sign_positive(self) -> bool;
}

/// The core of the f32 `exp`: for `x` already clamped to the range of the caller,
/// `(y, k)` with `exp(x) = y * 2^k`, by Cody-Waite range reduction and Cephes' degree-5
/// polynomial (about 1 ulp). Written to vectorise with plain SSE2.
#[inline(always)]
fn exp_parts_f32(clamped: f32) -> (f32, i32) {
    const ROUND: f32 = 12_582_912.0;
    let shifted = clamped * std::f32::consts::LOG2_E + ROUND;
    let k = shifted - ROUND;
    let r = clamped - k * 0.693_359_4 - k * -2.121_944_4e-4;
    let mut p = 1.987_569_1e-4_f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let y = p * r * r + r + 1.0;
    // The rounded integer sits in the low mantissa bits of `shifted`: no float-to-int conversion.
    (y, shifted.to_bits() as i32 - ROUND.to_bits() as i32)
}

/// `exp` for f32, with the power of two applied in two halves so that subnormal results
/// are kept.
#[inline(always)]
pub(crate) fn exp_f32(x: f32) -> f32 {
    let (y, k) = exp_parts_f32(x.clamp(-104.0, 88.8));
    let half = k >> 1;
    let scale = |e: i32| f32::from_bits(((e + 127) as u32) << 23);
    let result = y * scale(half) * scale(k - half);
    if x > 88.722_83 {
        f32::INFINITY
    } else {
        result
    }
}

trait Exp {
    fn exp_impl(self) -> Self;
}

impl Exp for f32 {
    #[inline(always)]
    fn exp_impl(self) -> Self {
        exp_f32(self)
    }
}

impl Exp for f64 {
    #[inline(always)]
    fn exp_impl(self) -> Self {
        f64::exp(self)
    }
}

macro_rules! native_float_math {
    ($t:ty, $erf:path) => {
        impl FloatMath for $t {
            #[inline]
            fn exp(self) -> Self {
                self.exp_impl()
            }
            #[inline]
            fn exp2(self) -> Self {
                <$t>::exp2(self)
            }
            #[inline]
            fn expm1(self) -> Self {
                <$t>::exp_m1(self)
            }
            #[inline]
            fn ln(self) -> Self {
                <$t>::ln(self)
            }
            #[inline]
            fn ln1p(self) -> Self {
                <$t>::ln_1p(self)
            }
            #[inline]
            fn log2(self) -> Self {
                <$t>::log2(self)
            }
            #[inline]
            fn log10(self) -> Self {
                <$t>::log10(self)
            }
            #[inline]
            fn sin(self) -> Self {
                <$t>::sin(self)
            }
            #[inline]
            fn cos(self) -> Self {
                <$t>::cos(self)
            }
            #[inline]
            fn tan(self) -> Self {
                <$t>::tan(self)
            }
            #[inline]
            fn asin(self) -> Self {
                <$t>::asin(self)
            }
            #[inline]
            fn acos(self) -> Self {
                <$t>::acos(self)
            }
            #[inline]
            fn atan(self) -> Self {
                <$t>::atan(self)
            }
            #[inline]
            fn sinh(self) -> Self {
                <$t>::sinh(self)
            }
            #[inline]
            fn cosh(self) -> Self {
                <$t>::cosh(self)
            }
            #[inline]
            fn tanh(self) -> Self {
                <$t>::tanh(self)
            }
            #[inline]
            fn asinh(self) -> Self {
                <$t>::asinh(self)
            }
            #[inline]
            fn acosh(self) -> Self {
                <$t>::acosh(self)
            }
            #[inline]
            fn atanh(self) -> Self {
                <$t>::atanh(self)
            }
            #[inline]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline]
            fn rsqrt(self) -> Self {
                1.0 / <$t>::sqrt(self)
            }
            #[inline]
            fn recip(self) -> Self {
                1.0 / self
            }
            #[inline]
            fn sigmoid(self) -> Self {
                1.0 / (1.0 + (-self).exp_impl())
            }
            #[inline]
            fn erf(self) -> Self {
                $erf(self)
            }
            #[inline]
            fn erfinv(self) -> Self {
                erfinv_f32(self as f32) as $t
            }
            #[inline]
            fn floor(self) -> Self {
                <$t>::floor(self)
            }
            #[inline]
            fn ceil(self) -> Self {
                <$t>::ceil(self)
            }
            #[inline]
            fn round_even(self) -> Self {
                <$t>::round_ties_even(self)
            }
            #[inline]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline]
            fn neg(self) -> Self {
                -self
            }
            #[inline]
            fn sign(self) -> Self {
                ((self > 0.0) as u8 as $t) - ((self < 0.0) as u8 as $t)
            }
            #[inline]
            fn square(self) -> Self {
                self * self
            }
            #[inline]
            fn atan2(self, o: Self) -> Self {
                <$t>::atan2(self, o)
            }
            #[inline]
            fn logaddexp(self, o: Self) -> Self {
                if self.is_nan() || o.is_nan() {
                    return <$t>::NAN;
                }
                let maxval = if self > o { self } else { o };
                let minval = if self > o { o } else { self };
                if minval == <$t>::NEG_INFINITY || maxval == <$t>::INFINITY {
                    maxval
                } else {
                    maxval + <$t>::ln_1p(<$t>::exp(minval - maxval))
                }
            }
            #[inline]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline]
            fn is_infinite(self) -> bool {
                <$t>::is_infinite(self)
            }
            #[inline]
            fn is_sign_positive(self) -> bool {
                self > 0.0
            }
        }
    };
}
native_float_math!(f32, libm::erff);
native_float_math!(f64, libm::erf);

macro_rules! half_float_math {
    ($t:ty) => {
        impl FloatMath for $t {
            #[inline]
            fn exp(self) -> Self {
                Self::from_f32(exp_f32(self.to_f32()))
            }
            #[inline]
            fn exp2(self) -> Self {
                Self::from_f32(self.to_f32().exp2())
            }
            #[inline]
            fn expm1(self) -> Self {
                Self::from_f32(self.to_f32().exp_m1())
            }
            #[inline]
            fn ln(self) -> Self {
                Self::from_f32(self.to_f32().ln())
            }
            #[inline]
            fn ln1p(self) -> Self {
                Self::from_f32(self.to_f32().ln_1p())
            }
            #[inline]
            fn log2(self) -> Self {
                Self::from_f32(self.to_f32().log2())
            }
            #[inline]
            fn log10(self) -> Self {
                Self::from_f32(self.to_f32().log10())
            }
            #[inline]
            fn sin(self) -> Self {
                Self::from_f32(self.to_f32().sin())
            }
            #[inline]
            fn cos(self) -> Self {
                Self::from_f32(self.to_f32().cos())
            }
            #[inline]
            fn tan(self) -> Self {
                Self::from_f32(self.to_f32().tan())
            }
            #[inline]
            fn asin(self) -> Self {
                Self::from_f32(self.to_f32().asin())
            }
            #[inline]
            fn acos(self) -> Self {
                Self::from_f32(self.to_f32().acos())
            }
            #[inline]
            fn atan(self) -> Self {
                Self::from_f32(self.to_f32().atan())
            }
            #[inline]
            fn sinh(self) -> Self {
                Self::from_f32(self.to_f32().sinh())
            }
            #[inline]
            fn cosh(self) -> Self {
                Self::from_f32(self.to_f32().cosh())
            }
            #[inline]
            fn tanh(self) -> Self {
                Self::from_f32(self.to_f32().tanh())
            }
            #[inline]
            fn asinh(self) -> Self {
                Self::from_f32(self.to_f32().asinh())
            }
            #[inline]
            fn acosh(self) -> Self {
                Self::from_f32(self.to_f32().acosh())
            }
            #[inline]
            fn atanh(self) -> Self {
                Self::from_f32(self.to_f32().atanh())
            }
            #[inline]
            fn sqrt(self) -> Self {
                Self::from_f32(self.to_f32().sqrt())
            }
            #[inline]
            fn rsqrt(self) -> Self {
                Self::from_f32(1.0 / self.to_f32().sqrt())
            }
            #[inline]
            fn recip(self) -> Self {
                Self::from_f32(1.0 / self.to_f32())
            }
            #[inline]
            fn sigmoid(self) -> Self {
                Self::from_f32(FloatMath::sigmoid(self.to_f32()))
            }
            #[inline]
            fn erf(self) -> Self {
                Self::from_f32(libm::erff(self.to_f32()))
            }
            #[inline]
            fn erfinv(self) -> Self {
                Self::from_f32(erfinv_f32(self.to_f32()))
            }
            #[inline]
            fn floor(self) -> Self {
                Self::from_f32(self.to_f32().floor())
            }
            #[inline]
            fn ceil(self) -> Self {
                Self::from_f32(self.to_f32().ceil())
            }
            #[inline]
            fn round_even(self) -> Self {
                Self::from_f32(self.to_f32().round_ties_even())
            }
            #[inline]
            fn abs(self) -> Self {
                Self::from_f32(self.to_f32().abs())
            }
            #[inline]
            fn neg(self) -> Self {
                -self
            }
            #[inline]
            fn sign(self) -> Self {
                Self::from_f32(FloatMath::sign(self.to_f32()))
            }
            #[inline]
            fn square(self) -> Self {
                Self::from_f32(self.to_f32() * self.to_f32())
            }
            #[inline]
            fn atan2(self, o: Self) -> Self {
                Self::from_f32(self.to_f32().atan2(o.to_f32()))
            }
            #[inline]
            fn logaddexp(self, o: Self) -> Self {
                Self::from_f32(self.to_f32().logaddexp(o.to_f32()))
            }
            #[inline]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline]
            fn is_infinite(self) -> bool {
                <$t>::is_infinite(self)
            }
            #[inline]
            fn is_sign_positive(self) -> bool {
                self.to_f32() > 0.0
            }
        }
    };
}
half_float_math!(f16);
half_float_math!(bf16);

/// Inverse error function: Giles' single precision approximation, the one MLX uses.
#[inline]
pub(crate) fn erfinv_f32(a: f32) -> f32 {
    let t = a.mul_add(-a, 1.0).ln();
    let p = if t.abs() > 6.125 {
        let mut p = 3.036_975_7e-10_f32;
        p = p.mul_add(t, 2.932_431e-8);
        p = p.mul_add(t, 1.221_503_3e-6);
        p = p.mul_add(t, 2.841_089_6e-5);
        p = p.mul_add(t, 3.935_529_7e-4);
        p = p.mul_add(t, 3.026_988_1e-3);
        p = p.mul_add(t, 4.831_858e-3);
        p = p.mul_add(t, -2.646_461_4e-1);
        p.mul_add(t, 8.400_165e-1)
    } else {
        let mut p = 5.438_778_3e-9_f32;
        p = p.mul_add(t, 1.432_854_5e-7);
        p = p.mul_add(t, 1.227_748e-6);
        p = p.mul_add(t, 1.129_636_3e-7);
        p = p.mul_add(t, -5.615_307_6e-5);
        p = p.mul_add(t, -1.476_976_3e-4);
        p = p.mul_add(t, 2.314_686_8e-3);
        p = p.mul_add(t, 1.153_925_8e-2);
        p = p.mul_add(t, -2.320_154_8e-1);
        p.mul_add(t, 8.862_269e-1)
    };
    a * p
}

#[cfg(test)]
mod tests {
    use super::exp_f32;

    #[test]
    fn fast_exp_is_accurate_over_the_whole_range() {
        let mut worst = 0.0f64;
        let mut x = -103.0f32;
        while x < 88.7 {
            let want = (x as f64).exp();
            let got = exp_f32(x) as f64;
            if want > f32::MIN_POSITIVE as f64 {
                worst = worst.max(((got - want) / want).abs());
            }
            x += 0.0137;
        }
        assert!(worst < 3e-7, "max relative error {worst}");
        assert_eq!(exp_f32(89.0), f32::INFINITY);
        assert_eq!(exp_f32(f32::NEG_INFINITY), 0.0);
        assert!(exp_f32(f32::NAN).is_nan());
        assert_eq!(exp_f32(0.0), 1.0);
        assert!(exp_f32(-100.0) > 0.0, "subnormal results are kept");
    }
}
