//! Contiguous elementwise loops compiled for the widest vector ISA the CPU has.
//!
//! The closures are generic, so each loop is instantiated inside a `#[target_feature]`
//! function and the op's arithmetic vectorises for AVX-512 or AVX2, chosen at run time.
//! Without those (or off x86-64) the baseline build runs.

/// Defines `$name`, which runs one loop body compiled for AVX-512, AVX2+FMA or the baseline:
/// either a named generic loop below, or a non-generic function with its own body.
macro_rules! multiversion {
    (
        $(#[$meta:meta])*
        fn $name:ident<$($g:ident),*>($($arg:ident: $ty:ty),*) where $($bound:tt)*
    ) => {
        $(#[$meta])*
        #[inline(always)]
        pub(crate) fn $name<$($g),*>($($arg: $ty),*) where $($bound)* {
            #[inline(always)]
            fn body<$($g),*>($($arg: $ty),*) where $($bound)* {
                multiversion!(@body $name $($arg),*)
            }
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512dq")]
                unsafe fn avx512<$($g),*>($($arg: $ty),*) where $($bound)* { body($($arg),*) }
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2<$($g),*>($($arg: $ty),*) where $($bound)* { body($($arg),*) }
                if std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512bw")
                    && std::is_x86_feature_detected!("avx512vl")
                    && std::is_x86_feature_detected!("avx512dq")
                {
                    // SAFETY: the CPU supports the features this copy was compiled for.
                    return unsafe { avx512($($arg),*) };
                }
                if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
                    // SAFETY: as above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            body($($arg),*)
        }
    };
    (
        $(#[$meta:meta])*
        fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block
    ) => {
        $(#[$meta])*
        pub(crate) fn $name($($arg: $ty),*) -> $ret {
            #[inline(always)]
            fn body($($arg: $ty),*) -> $ret $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512dq")]
                unsafe fn avx512($($arg: $ty),*) -> $ret { body($($arg),*) }
                #[target_feature(enable = "avx2,fma")]
                unsafe fn avx2($($arg: $ty),*) -> $ret { body($($arg),*) }
                if std::is_x86_feature_detected!("avx512f")
                    && std::is_x86_feature_detected!("avx512bw")
                    && std::is_x86_feature_detected!("avx512vl")
                    && std::is_x86_feature_detected!("avx512dq")
                {
                    // SAFETY: the CPU supports the features this copy was compiled for.
                    return unsafe { avx512($($arg),*) };
                }
                if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
                    // SAFETY: as above.
                    return unsafe { avx2($($arg),*) };
                }
            }
            body($($arg),*)
        }
    };
    (@body map $xs:ident, $out:ident, $f:ident) => {
        for (o, &v) in $out.iter_mut().zip($xs) {
            *o = $f(v);
        }
    };
    (@body map2 $xs:ident, $ys:ident, $out:ident, $f:ident) => {
        for ((o, &a), &b) in $out.iter_mut().zip($xs).zip($ys) {
            *o = $f(a, b);
        }
    };
}

pub(crate) use multiversion;

multiversion! {
    /// `out[i] = f(xs[i])`.
    fn map<T, U, F>(xs: &[T], out: &mut [U], f: &F) where T: Copy, F: Fn(T) -> U
}

multiversion! {
    /// `out[i] = f(xs[i], ys[i])`.
    fn map2<A, B, U, F>(xs: &[A], ys: &[B], out: &mut [U], f: &F) where A: Copy, B: Copy, F: Fn(A, B) -> U
}
