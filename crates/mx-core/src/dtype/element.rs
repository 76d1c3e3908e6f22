//! The Rust types that back each dtype.

use super::{Dtype, Scalar};
use half::{bf16, f16};

/// `complex64`: two f32.
pub type Complex64 = num_complex::Complex<f32>;

/// A Rust type that is the storage of one dtype.
///
/// Casting between elements follows C++ `static_cast` (what MLX does) where that
/// is defined: floats truncate toward zero, integers wrap, anything non-zero is `true`.
/// Out-of-range float to integer casts, undefined in C++, saturate as Rust's `as` does.
pub trait Element: Copy + Send + Sync + Default + PartialEq + std::fmt::Debug + 'static {
    /// The dtype this type stores.
    const DTYPE: Dtype;
    /// The value as a scalar.
    fn to_scalar(self) -> Scalar;
    /// Converts a scalar with cast semantics.
    fn from_scalar(v: Scalar) -> Self;
    /// Casts to another element type.
    #[inline]
    fn cast<U: Element>(self) -> U {
        U::from_scalar(self.to_scalar())
    }
}

/// Float to integer as MLX's C++ does it on x86, where C++ leaves it undefined:
/// `cvttsd2si` gives the minimum integer for NaN and out-of-range values, and narrow
/// targets truncate a wider conversion (so `-1.0` becomes 255 as a `uint8`).
macro_rules! float_to_int {
    ($f:expr, $t:ty) => {{
        let f: f64 = $f;
        let target = stringify!($t);
        match target {
            "i8" | "i16" | "u8" | "u16" | "i32" => cvtt_i32(f) as $t,
            "u64" => {
                if f < 9.223_372_036_854_776e18 {
                    cvtt_i64(f) as $t
                } else {
                    ((cvtt_i64(f - 9.223_372_036_854_776e18) as u64) ^ (1u64 << 63)) as $t
                }
            }
            _ => cvtt_i64(f) as $t,
        }
    }};
}

#[inline]
fn cvtt_i32(f: f64) -> i32 {
    if f > -2_147_483_649.0 && f < 2_147_483_648.0 {
        f as i32
    } else {
        i32::MIN
    }
}

#[inline]
fn cvtt_i64(f: f64) -> i64 {
    if (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        f as i64
    } else {
        i64::MIN
    }
}

macro_rules! int_element {
    ($t:ty, $dtype:ident, $variant:ident, $via:ty) => {
        impl Element for $t {
            const DTYPE: Dtype = Dtype::$dtype;
            #[inline]
            fn to_scalar(self) -> Scalar {
                Scalar::$variant(self as $via)
            }
            #[inline]
            fn from_scalar(v: Scalar) -> Self {
                match v {
                    Scalar::Bool(b) => b as $t,
                    Scalar::Int(i) => i as $t,
                    Scalar::UInt(u) => u as $t,
                    Scalar::Float(f) => float_to_int!(f, $t),
                    Scalar::Complex(re, _) => float_to_int!(re as f32 as f64, $t),
                }
            }
        }
    };
}
int_element!(u8, Uint8, Int, i64);
int_element!(u16, Uint16, Int, i64);
int_element!(u32, Uint32, Int, i64);
int_element!(u64, Uint64, UInt, u64);
int_element!(i8, Int8, Int, i64);
int_element!(i16, Int16, Int, i64);
int_element!(i32, Int32, Int, i64);
int_element!(i64, Int64, Int, i64);

impl Element for bool {
    const DTYPE: Dtype = Dtype::Bool;
    #[inline]
    fn to_scalar(self) -> Scalar {
        Scalar::Bool(self)
    }
    #[inline]
    fn from_scalar(v: Scalar) -> Self {
        match v {
            Scalar::Bool(b) => b,
            Scalar::Int(i) => i != 0,
            Scalar::UInt(u) => u != 0,
            Scalar::Float(f) => f != 0.0,
            Scalar::Complex(re, im) => re != 0.0 || im != 0.0,
        }
    }
}

macro_rules! float_element {
    ($t:ty, $dtype:ident, $from_f64:expr, $to_f64:expr) => {
        impl Element for $t {
            const DTYPE: Dtype = Dtype::$dtype;
            #[inline]
            fn to_scalar(self) -> Scalar {
                Scalar::Float($to_f64(self))
            }
            #[inline]
            fn from_scalar(v: Scalar) -> Self {
                match v {
                    Scalar::Bool(b) => $from_f64(b as u8 as f64),
                    Scalar::Int(i) => $from_f64(i as f64),
                    Scalar::UInt(u) => $from_f64(u as f64),
                    Scalar::Float(f) => $from_f64(f),
                    Scalar::Complex(re, _) => $from_f64(re),
                }
            }
        }
    };
}
float_element!(f32, Float32, |v: f64| v as f32, |v: f32| v as f64);
float_element!(f64, Float64, |v: f64| v, |v: f64| v);
float_element!(f16, Float16, f16::from_f64, f16::to_f64);
float_element!(bf16, Bfloat16, bf16::from_f64, bf16::to_f64);

impl Element for Complex64 {
    const DTYPE: Dtype = Dtype::Complex64;
    #[inline]
    fn to_scalar(self) -> Scalar {
        Scalar::Complex(self.re as f64, self.im as f64)
    }
    #[inline]
    fn from_scalar(v: Scalar) -> Self {
        match v {
            Scalar::Complex(re, im) => Complex64::new(re as f32, im as f32),
            other => Complex64::new(f32::from_scalar(other), 0.0),
        }
    }
}

/// Runs `$body` with `$T` bound to the Rust element type of `$dtype`.
#[macro_export]
#[doc(hidden)]
macro_rules! dispatch_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {{
        use $crate::Dtype as __D;
        match $dtype {
            __D::Bool => {
                type $T = bool;
                $body
            }
            __D::Uint8 => {
                type $T = u8;
                $body
            }
            __D::Uint16 => {
                type $T = u16;
                $body
            }
            __D::Uint32 => {
                type $T = u32;
                $body
            }
            __D::Uint64 => {
                type $T = u64;
                $body
            }
            __D::Int8 => {
                type $T = i8;
                $body
            }
            __D::Int16 => {
                type $T = i16;
                $body
            }
            __D::Int32 => {
                type $T = i32;
                $body
            }
            __D::Int64 => {
                type $T = i64;
                $body
            }
            __D::Float16 => {
                type $T = $crate::half::f16;
                $body
            }
            __D::Float32 => {
                type $T = f32;
                $body
            }
            __D::Float64 => {
                type $T = f64;
                $body
            }
            __D::Bfloat16 => {
                type $T = $crate::half::bf16;
                $body
            }
            __D::Complex64 => {
                type $T = $crate::Complex64;
                $body
            }
        }
    }};
}
