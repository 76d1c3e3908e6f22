//! Arithmetic with MLX's semantics for every dtype: wrapping integers, Python-style
//! floor division and remainder, NaN-propagating max and min.

use crate::dtype::{Complex64, Element};
use half::{bf16, f16};

/// Elementwise arithmetic shared by all 14 element types.
pub(crate) trait Arith: Element {
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    fn floor_div(self, o: Self) -> Self;
    fn rem(self, o: Self) -> Self;
    fn pow(self, o: Self) -> Self;
    fn max(self, o: Self) -> Self;
    fn min(self, o: Self) -> Self;
    /// Ordering used by comparisons (lexicographic for complex).
    fn less(self, o: Self) -> bool;
    fn is_zero(self) -> bool;
    /// True for NaN (never for integers).
    #[inline]
    fn is_nan(self) -> bool {
        false
    }
    /// The identity of `max`: the lowest value of the type.
    fn lowest() -> Self;
    /// The identity of `min`: the highest value of the type.
    fn highest() -> Self;
}

macro_rules! signed_arith {
    ($($t:ty),*) => {$(
        impl Arith for $t {
            #[inline] fn add(self, o: Self) -> Self { self.wrapping_add(o) }
            #[inline] fn sub(self, o: Self) -> Self { self.wrapping_sub(o) }
            #[inline] fn mul(self, o: Self) -> Self { self.wrapping_mul(o) }
            #[inline] fn div(self, o: Self) -> Self { if o == 0 { 0 } else { self.wrapping_div(o) } }
            #[inline]
            fn floor_div(self, o: Self) -> Self {
                if o == 0 {
                    return 0;
                }
                let q = self.wrapping_div(o);
                if (self.wrapping_rem(o) != 0) && ((self < 0) != (o < 0)) { q.wrapping_sub(1) } else { q }
            }
            #[inline]
            fn rem(self, o: Self) -> Self {
                if o == 0 {
                    return self;
                }
                let r = self.wrapping_rem(o);
                if r != 0 && ((r < 0) != (o < 0)) { r.wrapping_add(o) } else { r }
            }
            #[inline]
            fn pow(self, o: Self) -> Self {
                if o < 0 {
                    return 0;
                }
                int_pow(self, o as u64, |a, b| a.wrapping_mul(b), 1)
            }
            #[inline] fn max(self, o: Self) -> Self { if self > o { self } else { o } }
            #[inline] fn min(self, o: Self) -> Self { if self < o { self } else { o } }
            #[inline] fn less(self, o: Self) -> bool { self < o }
            #[inline] fn is_zero(self) -> bool { self == 0 }
            fn lowest() -> Self { <$t>::MIN }
            fn highest() -> Self { <$t>::MAX }
        }
    )*};
}
signed_arith!(i8, i16, i32, i64);

macro_rules! unsigned_arith {
    ($($t:ty),*) => {$(
        impl Arith for $t {
            #[inline] fn add(self, o: Self) -> Self { self.wrapping_add(o) }
            #[inline] fn sub(self, o: Self) -> Self { self.wrapping_sub(o) }
            #[inline] fn mul(self, o: Self) -> Self { self.wrapping_mul(o) }
            #[inline] fn div(self, o: Self) -> Self { if o == 0 { 0 } else { self / o } }
            #[inline] fn floor_div(self, o: Self) -> Self { if o == 0 { 0 } else { self / o } }
            #[inline] fn rem(self, o: Self) -> Self { if o == 0 { self } else { self % o } }
            #[inline] fn pow(self, o: Self) -> Self { int_pow(self, o as u64, |a, b| a.wrapping_mul(b), 1) }
            #[inline] fn max(self, o: Self) -> Self { if self > o { self } else { o } }
            #[inline] fn min(self, o: Self) -> Self { if self < o { self } else { o } }
            #[inline] fn less(self, o: Self) -> bool { self < o }
            #[inline] fn is_zero(self) -> bool { self == 0 }
            fn lowest() -> Self { <$t>::MIN }
            fn highest() -> Self { <$t>::MAX }
        }
    )*};
}
unsigned_arith!(u8, u16, u32, u64);

#[inline]
fn int_pow<T: Copy>(mut base: T, mut exp: u64, mul: impl Fn(T, T) -> T, one: T) -> T {
    let mut acc = one;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = mul(acc, base);
        }
        base = mul(base, base);
        exp >>= 1;
    }
    acc
}

impl Arith for bool {
    #[inline]
    fn add(self, o: Self) -> Self {
        self | o
    }
    #[inline]
    fn sub(self, o: Self) -> Self {
        self != o
    }
    #[inline]
    fn mul(self, o: Self) -> Self {
        self & o
    }
    #[inline]
    fn div(self, o: Self) -> Self {
        self & o
    }
    #[inline]
    fn floor_div(self, o: Self) -> Self {
        self & o
    }
    #[inline]
    fn rem(self, o: Self) -> Self {
        self & !o
    }
    #[inline]
    fn pow(self, o: Self) -> Self {
        self | !o
    }
    #[inline]
    fn max(self, o: Self) -> Self {
        self | o
    }
    #[inline]
    fn min(self, o: Self) -> Self {
        self & o
    }
    #[inline]
    fn less(self, o: Self) -> bool {
        !self & o
    }
    #[inline]
    fn is_zero(self) -> bool {
        !self
    }
    fn lowest() -> Self {
        false
    }
    fn highest() -> Self {
        true
    }
}

/// Python-style float remainder: the sign follows the divisor.
#[inline]
pub(crate) fn float_rem_f64(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r != 0.0 && ((r < 0.0) != (b < 0.0)) {
        r + b
    } else {
        r
    }
}

#[inline]
fn float_rem_f32(a: f32, b: f32) -> f32 {
    let r = a % b;
    if r != 0.0 && ((r < 0.0) != (b < 0.0)) {
        r + b
    } else {
        r
    }
}

/// NaN-propagating max/min and the ordering shared by every real float type.
/// On equal values the second operand wins, as in MLX (`max(-0.0, 0.0)` is `0.0`).
macro_rules! float_order {
    () => {
        fn lowest() -> Self {
            <Self>::NEG_INFINITY
        }
        fn highest() -> Self {
            <Self>::INFINITY
        }
        #[inline]
        fn is_nan(self) -> bool {
            <Self>::is_nan(self)
        }
        #[inline]
        fn max(self, o: Self) -> Self {
            if self.is_nan() || self > o {
                self
            } else {
                o
            }
        }
        #[inline]
        fn min(self, o: Self) -> Self {
            if self.is_nan() || self < o {
                self
            } else {
                o
            }
        }
        #[inline]
        fn less(self, o: Self) -> bool {
            self < o
        }
    };
}

macro_rules! native_float_arith {
    ($t:ty, $rem:ident) => {
        impl Arith for $t {
            #[inline]
            fn add(self, o: Self) -> Self {
                self + o
            }
            #[inline]
            fn sub(self, o: Self) -> Self {
                self - o
            }
            #[inline]
            fn mul(self, o: Self) -> Self {
                self * o
            }
            #[inline]
            fn div(self, o: Self) -> Self {
                self / o
            }
            #[inline]
            fn floor_div(self, o: Self) -> Self {
                (self / o).floor()
            }
            #[inline]
            fn rem(self, o: Self) -> Self {
                $rem(self, o)
            }
            #[inline]
            fn pow(self, o: Self) -> Self {
                self.powf(o)
            }
            float_order!();
            #[inline]
            fn is_zero(self) -> bool {
                self == 0.0
            }
        }
    };
}
native_float_arith!(f32, float_rem_f32);
native_float_arith!(f64, float_rem_f64);

macro_rules! half_arith {
    ($t:ty) => {
        impl Arith for $t {
            #[inline]
            fn add(self, o: Self) -> Self {
                <$t>::from_f32(self.to_f32() + o.to_f32())
            }
            #[inline]
            fn sub(self, o: Self) -> Self {
                <$t>::from_f32(self.to_f32() - o.to_f32())
            }
            #[inline]
            fn mul(self, o: Self) -> Self {
                <$t>::from_f32(self.to_f32() * o.to_f32())
            }
            #[inline]
            fn div(self, o: Self) -> Self {
                <$t>::from_f32(self.to_f32() / o.to_f32())
            }
            // The quotient is rounded to the half type before flooring, as in MLX.
            #[inline]
            fn floor_div(self, o: Self) -> Self {
                <$t>::from_f32(<$t>::from_f32(self.to_f32() / o.to_f32()).to_f32().floor())
            }
            #[inline]
            fn rem(self, o: Self) -> Self {
                <$t>::from_f32(float_rem_f32(self.to_f32(), o.to_f32()))
            }
            #[inline]
            fn pow(self, o: Self) -> Self {
                <$t>::from_f32(self.to_f32().powf(o.to_f32()))
            }
            float_order!();
            #[inline]
            fn is_zero(self) -> bool {
                self.to_f32() == 0.0
            }
        }
    };
}
half_arith!(f16);
half_arith!(bf16);

impl Arith for Complex64 {
    fn lowest() -> Self {
        Complex64::new(f32::NEG_INFINITY, f32::NEG_INFINITY)
    }
    fn highest() -> Self {
        Complex64::new(f32::INFINITY, f32::INFINITY)
    }
    #[inline]
    fn is_nan(self) -> bool {
        self.re.is_nan() || self.im.is_nan()
    }
    #[inline]
    fn add(self, o: Self) -> Self {
        self + o
    }
    #[inline]
    fn sub(self, o: Self) -> Self {
        self - o
    }
    #[inline]
    fn mul(self, o: Self) -> Self {
        self * o
    }
    #[inline]
    fn div(self, o: Self) -> Self {
        complex_div(self, o)
    }
    #[inline]
    fn floor_div(self, o: Self) -> Self {
        // MLX divides complex numbers without flooring.
        complex_div(self, o)
    }
    #[inline]
    fn rem(self, o: Self) -> Self {
        self - o * complex_div(self, o)
    }
    #[inline]
    fn pow(self, o: Self) -> Self {
        self.powc(o)
    }
    #[inline]
    fn max(self, o: Self) -> Self {
        if o.less(self) {
            self
        } else {
            o
        }
    }
    #[inline]
    fn min(self, o: Self) -> Self {
        if self.less(o) {
            self
        } else {
            o
        }
    }
    #[inline]
    fn less(self, o: Self) -> bool {
        self.re < o.re || (self.re == o.re && self.im < o.im)
    }
    #[inline]
    fn is_zero(self) -> bool {
        self.re == 0.0 && self.im == 0.0
    }
}

/// Complex division with C99 Annex G semantics (what `std::complex` gives MLX):
/// scaled to avoid overflow, and `x / 0` is infinite rather than NaN.
pub(crate) fn complex_div(x: Complex64, y: Complex64) -> Complex64 {
    let (mut a, mut b, mut c, mut d) = (x.re, x.im, y.re, y.im);
    let magnitude = c.abs().max(d.abs());
    let logbw = if magnitude == 0.0 {
        f32::NEG_INFINITY
    } else if magnitude.is_infinite() {
        f32::INFINITY
    } else if magnitude.is_nan() {
        f32::NAN
    } else {
        libm::ilogbf(magnitude) as f32
    };
    let mut ilogbw = 0;
    if logbw.is_finite() {
        ilogbw = logbw as i32;
        c = libm::scalbnf(c, -ilogbw);
        d = libm::scalbnf(d, -ilogbw);
    }
    let denom = c * c + d * d;
    let mut real = libm::scalbnf((a * c + b * d) / denom, -ilogbw);
    let mut imag = libm::scalbnf((b * c - a * d) / denom, -ilogbw);
    if real.is_nan() && imag.is_nan() {
        if denom == 0.0 && (!a.is_nan() || !b.is_nan()) {
            real = f32::INFINITY.copysign(c) * a;
            imag = f32::INFINITY.copysign(c) * b;
        } else if (a.is_infinite() || b.is_infinite()) && c.is_finite() && d.is_finite() {
            a = (if a.is_infinite() { 1.0f32 } else { 0.0 }).copysign(a);
            b = (if b.is_infinite() { 1.0f32 } else { 0.0 }).copysign(b);
            real = f32::INFINITY * (a * c + b * d);
            imag = f32::INFINITY * (b * c - a * d);
        } else if logbw == f32::INFINITY && a.is_finite() && b.is_finite() {
            c = (if c.is_infinite() { 1.0f32 } else { 0.0 }).copysign(c);
            d = (if d.is_infinite() { 1.0f32 } else { 0.0 }).copysign(d);
            real = 0.0 * (a * c + b * d);
            imag = 0.0 * (b * c - a * d);
        }
    }
    Complex64::new(real, imag)
}

/// Bitwise ops for integers and bool.
pub(crate) trait Bits: Element {
    fn and(self, o: Self) -> Self;
    fn or(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
    fn shl(self, o: Self) -> Self;
    fn shr(self, o: Self) -> Self;
    fn not(self) -> Self;
}

/// Shifts as MLX computes them on x86: narrow integers are promoted to `int` (C's integral
/// promotion) and the count is masked to the promoted width, so results are defined for any count.
macro_rules! int_bits {
    ($($t:ty => $wide:ty),*) => {$(
        impl Bits for $t {
            #[inline] fn and(self, o: Self) -> Self { self & o }
            #[inline] fn or(self, o: Self) -> Self { self | o }
            #[inline] fn xor(self, o: Self) -> Self { self ^ o }
            #[inline] fn shl(self, o: Self) -> Self { (self as $wide).wrapping_shl(o as u32) as $t }
            #[inline] fn shr(self, o: Self) -> Self { (self as $wide).wrapping_shr(o as u32) as $t }
            #[inline] fn not(self) -> Self { !self }
        }
    )*};
}
int_bits!(u8 => i32, u16 => i32, u32 => u32, u64 => u64, i8 => i32, i16 => i32, i32 => i32, i64 => i64);

impl Bits for bool {
    #[inline]
    fn and(self, o: Self) -> Self {
        self & o
    }
    #[inline]
    fn or(self, o: Self) -> Self {
        self | o
    }
    #[inline]
    fn xor(self, o: Self) -> Self {
        self ^ o
    }
    #[inline]
    fn shl(self, o: Self) -> Self {
        self & !o
    }
    #[inline]
    fn shr(self, o: Self) -> Self {
        self & !o
    }
    #[inline]
    fn not(self) -> Self {
        !self
    }
}
