// complex64 on the GPU: `mx_complex` (two floats, the layout of num-complex's
// `Complex<f32>`) and its math, ported formula for formula from the CPU's reference:
// num-complex 0.4.6's `Complex<f32>` methods and operators, and `complex_div` of
// cpu/math/arith.rs (C99 Annex G division, what `std::complex` gives MLX).
//
// As in Rust, every float op is rounded on its own: products that feed a sum are explicit
// __f*_rn ops, which NVRTC cannot contract into FMAs. Signs flip and clear by bits, as
// Rust's `-x` and `abs` do (NaN included). `hypot` is glibc's (see below); the other
// transcendentals are CUDA's libdevice ones and may differ from the CPU's libm in the
// last ulp, which the formulas then carry on.

struct __align__(8) mx_complex {
  float re, im;
};

namespace mx_cx {

__device__ __forceinline__ mx_complex make(float re, float im) {
  mx_complex z;
  z.re = re;
  z.im = im;
  return z;
}

// ---------------------------------------------------------------------------------------
// f32 pieces.

__device__ __forceinline__ float f_inf() { return __uint_as_float(0x7f800000u); }
// Rust's f32::NAN.
__device__ __forceinline__ float f_nan() { return __uint_as_float(0x7fc00000u); }
__device__ __forceinline__ bool f_isnan(float f) { return (__float_as_uint(f) & 0x7fffffffu) > 0x7f800000u; }
__device__ __forceinline__ bool f_isinf(float f) { return (__float_as_uint(f) & 0x7fffffffu) == 0x7f800000u; }
__device__ __forceinline__ bool f_isfinite(float f) { return (__float_as_uint(f) & 0x7fffffffu) < 0x7f800000u; }
// `is_sign_positive`: the sign bit is clear (NaN included).
__device__ __forceinline__ bool f_sign_positive(float f) { return (__float_as_uint(f) >> 31) == 0u; }
// Rust's `-x` and `abs`: the sign bit alone.
__device__ __forceinline__ float f_neg(float f) { return __uint_as_float(__float_as_uint(f) ^ 0x80000000u); }
__device__ __forceinline__ float f_abs(float f) { return __uint_as_float(__float_as_uint(f) & 0x7fffffffu); }

__device__ __forceinline__ float f_add(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ float f_sub(float a, float b) { return __fsub_rn(a, b); }
__device__ __forceinline__ float f_mul(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ float f_div(float a, float b) { return __fdiv_rn(a, b); }

// `f32::hypot` is glibc's hypotf: infinities win over NaN, else the square root of the
// exact double sum of squares, rounded to float. Computed the same way here, so that
// `norm` (abs, ln, sqrt, sign, ...) matches the CPU bit for bit rather than to CUDA's
// hypotf (3 ulp).
__device__ __forceinline__ float hypot_f32(float x, float y) {
  if (!f_isfinite(x) || !f_isfinite(y)) {
    if (f_isinf(x) || f_isinf(y)) return f_inf();
    return f_add(x, y);
  }
  double dx = (double)x, dy = (double)y;
  return __double2float_rn(__dsqrt_rn(__dadd_rn(__dmul_rn(dx, dx), __dmul_rn(dy, dy))));
}

// ---------------------------------------------------------------------------------------
// Operators (num-complex's `impl Add/Sub/Mul/Div/Neg for Complex<T>`, `PartialEq`).

__device__ __forceinline__ mx_complex add(mx_complex a, mx_complex b) {
  return make(f_add(a.re, b.re), f_add(a.im, b.im));
}
__device__ __forceinline__ mx_complex sub(mx_complex a, mx_complex b) {
  return make(f_sub(a.re, b.re), f_sub(a.im, b.im));
}
// (a + ib)(c + id) = (ac - bd) + i(ad + bc), no FMA.
__device__ __forceinline__ mx_complex mul(mx_complex a, mx_complex b) {
  return make(f_sub(f_mul(a.re, b.re), f_mul(a.im, b.im)), f_add(f_mul(a.re, b.im), f_mul(a.im, b.re)));
}
// num-complex's plain `Div<Complex<T>>` (used inside its own methods: atan, acosh, atanh).
__device__ __forceinline__ mx_complex div_plain(mx_complex a, mx_complex b) {
  float norm_sqr = f_add(f_mul(b.re, b.re), f_mul(b.im, b.im));
  float re = f_add(f_mul(a.re, b.re), f_mul(a.im, b.im));
  float im = f_sub(f_mul(a.im, b.re), f_mul(a.re, b.im));
  return make(f_div(re, norm_sqr), f_div(im, norm_sqr));
}
// `Div<T>` (and `unscale`): both parts divided by a real.
__device__ __forceinline__ mx_complex div_real(mx_complex a, float t) {
  return make(f_div(a.re, t), f_div(a.im, t));
}
__device__ __forceinline__ mx_complex neg(mx_complex a) { return make(f_neg(a.re), f_neg(a.im)); }
__device__ __forceinline__ mx_complex conj(mx_complex a) { return make(a.re, f_neg(a.im)); }
__device__ __forceinline__ bool eq(mx_complex a, mx_complex b) { return a.re == b.re && a.im == b.im; }
// The CPU's `Arith::less`: lexicographic, real part first.
__device__ __forceinline__ bool less(mx_complex a, mx_complex b) {
  return a.re < b.re || (a.re == b.re && a.im < b.im);
}
__device__ __forceinline__ bool is_zero(mx_complex a) { return a.re == 0.0f && a.im == 0.0f; }
// `Arith::is_nan` (and `Complex::is_nan`): a NaN in either part.
__device__ __forceinline__ bool is_nan(mx_complex a) { return f_isnan(a.re) || f_isnan(a.im); }

__device__ __forceinline__ mx_complex one() { return make(1.0f, 0.0f); }
__device__ __forceinline__ mx_complex two() { return make(2.0f, 0.0f); }  // `one + one`
__device__ __forceinline__ mx_complex i() { return make(0.0f, 1.0f); }

// ---------------------------------------------------------------------------------------
// `impl<T: Float> Complex<T>`.

__device__ __forceinline__ float norm(mx_complex z) { return hypot_f32(z.re, z.im); }
__device__ __forceinline__ float arg(mx_complex z) { return atan2f(z.im, z.re); }
__device__ __forceinline__ mx_complex from_polar(float r, float theta) {
  return make(f_mul(r, cosf(theta)), f_mul(r, sinf(theta)));
}

__device__ __forceinline__ mx_complex exp(mx_complex z) {
  float re = z.re, im = z.im;
  // The corner cases +inf, -inf and NaN.
  if (f_isinf(re)) {
    if (re < 0.0f) {
      if (!f_isfinite(im)) return make(0.0f, 0.0f);
    } else if (im == 0.0f || !f_isfinite(im)) {
      if (f_isinf(im)) im = f_nan();
      return make(re, im);
    }
  } else if (f_isnan(re) && im == 0.0f) {
    return z;
  }
  return from_polar(expf(re), im);
}

__device__ __forceinline__ mx_complex ln(mx_complex z) { return make(logf(norm(z)), arg(z)); }

__device__ __forceinline__ mx_complex sqrt(mx_complex z) {
  if (z.im == 0.0f) {
    if (f_sign_positive(z.re)) {
      // Positive real: copy `im` for its sign.
      return make(__fsqrt_rn(z.re), z.im);
    }
    float im = __fsqrt_rn(f_neg(z.re));
    return f_sign_positive(z.im) ? make(0.0f, im) : make(0.0f, f_neg(im));
  } else if (z.re == 0.0f) {
    float x = __fsqrt_rn(f_div(f_abs(z.im), 2.0f));
    return f_sign_positive(z.im) ? make(x, x) : make(x, f_neg(x));
  }
  return from_polar(__fsqrt_rn(norm(z)), f_div(arg(z), 2.0f));
}

__device__ __forceinline__ mx_complex powc(mx_complex z, mx_complex e) {
  if (is_zero(e)) return one();
  return exp(mul(e, ln(z)));
}

__device__ __forceinline__ mx_complex sin(mx_complex z) {
  return make(f_mul(sinf(z.re), coshf(z.im)), f_mul(cosf(z.re), sinhf(z.im)));
}
__device__ __forceinline__ mx_complex cos(mx_complex z) {
  return make(f_mul(cosf(z.re), coshf(z.im)), f_mul(f_neg(sinf(z.re)), sinhf(z.im)));
}
// (sin 2a + i sinh 2b) / (cos 2a + cosh 2b)
__device__ __forceinline__ mx_complex tan(mx_complex z) {
  float two_re = f_add(z.re, z.re), two_im = f_add(z.im, z.im);
  return div_real(make(sinf(two_re), sinhf(two_im)), f_add(cosf(two_re), coshf(two_im)));
}
// -i ln(sqrt(1 - z^2) + iz)
__device__ __forceinline__ mx_complex asin(mx_complex z) {
  return mul(neg(i()), ln(add(sqrt(sub(one(), mul(z, z))), mul(i(), z))));
}
// -i ln(i sqrt(1 - z^2) + z)
__device__ __forceinline__ mx_complex acos(mx_complex z) {
  return mul(neg(i()), ln(add(mul(i(), sqrt(sub(one(), mul(z, z)))), z)));
}
// (ln(1 + iz) - ln(1 - iz)) / 2i
__device__ __forceinline__ mx_complex atan(mx_complex z) {
  if (eq(z, i())) return make(0.0f, f_inf());
  if (eq(z, neg(i()))) return make(0.0f, f_neg(f_inf()));
  mx_complex iz = mul(i(), z);
  return div_plain(sub(ln(add(one(), iz)), ln(sub(one(), iz))), mul(two(), i()));
}
__device__ __forceinline__ mx_complex sinh(mx_complex z) {
  return make(f_mul(sinhf(z.re), cosf(z.im)), f_mul(coshf(z.re), sinf(z.im)));
}
__device__ __forceinline__ mx_complex cosh(mx_complex z) {
  return make(f_mul(coshf(z.re), cosf(z.im)), f_mul(sinhf(z.re), sinf(z.im)));
}
// (sinh 2a + i sin 2b) / (cosh 2a + cos 2b)
__device__ __forceinline__ mx_complex tanh(mx_complex z) {
  float two_re = f_add(z.re, z.re), two_im = f_add(z.im, z.im);
  return div_real(make(sinhf(two_re), sinf(two_im)), f_add(coshf(two_re), cosf(two_im)));
}
// ln(z + sqrt(1 + z^2))
__device__ __forceinline__ mx_complex asinh(mx_complex z) {
  return ln(add(z, sqrt(add(one(), mul(z, z)))));
}
// 2 ln(sqrt((z + 1) / 2) + sqrt((z - 1) / 2))
__device__ __forceinline__ mx_complex acosh(mx_complex z) {
  return mul(two(), ln(add(sqrt(div_plain(add(z, one()), two())), sqrt(div_plain(sub(z, one()), two())))));
}
// (ln(1 + z) - ln(1 - z)) / 2
__device__ __forceinline__ mx_complex atanh(mx_complex z) {
  if (eq(z, one())) return make(f_inf(), 0.0f);
  if (eq(z, neg(one()))) return make(f_neg(f_inf()), 0.0f);
  return div_plain(sub(ln(add(one(), z)), ln(sub(one(), z))), two());
}

// ---------------------------------------------------------------------------------------
// The CPU kernels' own complex math (cpu/math/arith.rs, cpu/unary.rs, cpu/binary.rs,
// cpu/lanes.rs).

// `complex_div`: C99 Annex G division, scaled to avoid overflow; x / 0 is infinite.
__device__ __forceinline__ mx_complex complex_div(mx_complex x, mx_complex y) {
  float a = x.re, b = x.im, c = y.re, d = y.im;
  float magnitude = fmaxf(f_abs(c), f_abs(d));  // Rust's max: NaN only if both are
  float logbw;
  if (magnitude == 0.0f) logbw = f_neg(f_inf());
  else if (f_isinf(magnitude)) logbw = f_inf();
  else if (f_isnan(magnitude)) logbw = f_nan();
  else logbw = (float)ilogbf(magnitude);
  int ilogbw = 0;
  if (f_isfinite(logbw)) {
    ilogbw = (int)logbw;
    c = scalbnf(c, -ilogbw);
    d = scalbnf(d, -ilogbw);
  }
  float denom = f_add(f_mul(c, c), f_mul(d, d));
  float real = scalbnf(f_div(f_add(f_mul(a, c), f_mul(b, d)), denom), -ilogbw);
  float imag = scalbnf(f_div(f_sub(f_mul(b, c), f_mul(a, d)), denom), -ilogbw);
  if (f_isnan(real) && f_isnan(imag)) {
    if (denom == 0.0f && (!f_isnan(a) || !f_isnan(b))) {
      real = f_mul(copysignf(f_inf(), c), a);
      imag = f_mul(copysignf(f_inf(), c), b);
    } else if ((f_isinf(a) || f_isinf(b)) && f_isfinite(c) && f_isfinite(d)) {
      a = copysignf(f_isinf(a) ? 1.0f : 0.0f, a);
      b = copysignf(f_isinf(b) ? 1.0f : 0.0f, b);
      real = f_mul(f_inf(), f_add(f_mul(a, c), f_mul(b, d)));
      imag = f_mul(f_inf(), f_sub(f_mul(b, c), f_mul(a, d)));
    } else if (logbw == f_inf() && f_isfinite(a) && f_isfinite(b)) {
      c = copysignf(f_isinf(c) ? 1.0f : 0.0f, c);
      d = copysignf(f_isinf(d) ? 1.0f : 0.0f, d);
      real = f_mul(0.0f, f_add(f_mul(a, c), f_mul(b, d)));
      imag = f_mul(0.0f, f_sub(f_mul(b, c), f_mul(a, d)));
    }
  }
  return make(real, imag);
}

// Unary ops (cpu/unary.rs `unary_complex`).
__device__ __forceinline__ mx_complex sign(mx_complex v) {
  float n = norm(v);
  if (!f_isfinite(v.re) || !f_isfinite(v.im)) return make(f_nan(), f_nan());
  if (n == 0.0f) return make(0.0f, 0.0f);
  return div_real(v, n);
}
__device__ __forceinline__ mx_complex rsqrt(mx_complex v) { return complex_div(one(), sqrt(v)); }
__device__ __forceinline__ mx_complex reciprocal(mx_complex v) { return complex_div(one(), v); }
__device__ __forceinline__ mx_complex log1p(mx_complex v) { return ln(add(v, one())); }
// `ln() / LN_2` and `ln() / LN_10`, the f32 constants.
__device__ __forceinline__ mx_complex log2(mx_complex v) { return div_real(ln(v), 0.693147180559945309417232121458176568f); }
__device__ __forceinline__ mx_complex log10(mx_complex v) { return div_real(ln(v), 2.30258509299404568401799145468436421f); }
// `round_ties_even` of both parts.
__device__ __forceinline__ mx_complex round(mx_complex v) { return make(rintf(v.re), rintf(v.im)); }

// Binary ops (`impl Arith for Complex64`, cpu/binary.rs).
__device__ __forceinline__ mx_complex rem(mx_complex a, mx_complex b) { return sub(a, mul(b, complex_div(a, b))); }
// Ties give the second operand; no NaN rule (NaN parts compare false).
__device__ __forceinline__ mx_complex maximum(mx_complex a, mx_complex b) { return less(b, a) ? a : b; }
__device__ __forceinline__ mx_complex minimum(mx_complex a, mx_complex b) { return less(a, b) ? a : b; }
// `binary_complex`'s LogAddExp: hi + ln(exp(lo - hi) + 1), no special cases.
__device__ __forceinline__ mx_complex logaddexp(mx_complex x, mx_complex y) {
  bool x_high = less(y, x);
  mx_complex hi = x_high ? x : y, lo = x_high ? y : x;
  return add(hi, ln(add(exp(sub(lo, hi)), one())));
}
// `complex_logaddexp` of cpu/lanes.rs (logcumsumexp): the larger operand (ties give the
// second), passing infinities through, then hi + ln(1 + exp(lo - hi)).
__device__ __forceinline__ mx_complex logaddexp_scan(mx_complex a, mx_complex b) {
  bool a_larger = a.re > b.re || (a.re == b.re && a.im > b.im);
  mx_complex hi = a_larger ? a : b, lo = a_larger ? b : a;
  if (lo.re == f_neg(f_inf()) || hi.re == f_inf()) return hi;
  return add(hi, ln(add(one(), exp(sub(lo, hi)))));
}

}  // namespace mx_cx
