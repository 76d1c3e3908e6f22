// Elementwise functors of the CUDA backend: one struct per UnaryOp / BinaryOp variant
// (`Unary<V>`, `Binary<V>`) and `mx_cast`, the element conversion of astype.
//
// The reference is the CPU backend (backend/cpu/{unary,binary}.rs, cpu/math/{arith,float}.rs,
// dtype/element.rs): results must match it bit for bit wherever the CPU's own arithmetic is
// IEEE-exact. So:
// - integers wrap (computed in unsigned types, where C++ signed overflow would be UB);
// - __half and __nv_bfloat16 widen to float, compute, and round back to nearest-even,
//   keeping NaN sign and payload as the `half` crate does (the CUDA intrinsics would
//   canonicalise NaN);
// - the f32 `exp` (used by exp and sigmoid) is the CPU's own polynomial, with explicit
//   __f*_rn intrinsics since NVRTC would otherwise fuse it into FMAs;
// - erfinv is the CPU's Giles polynomial.
// Transcendentals other than exp use CUDA's libdevice and may differ from the CPU's libm
// in the last ulp.
//
// complex64 (`mx_complex`, complex.cuh) takes the CPU's complex formulas, those of
// num-complex and cpu/math/arith.rs, through `mx_cx`; its comparisons are lexicographic
// (real part first) and never go through `num`.
//
// Coverage follows the CPU: float-only ops static_assert a float type; bitwise ops
// static_assert an integral or bool type; ops the CPU lacks for complex64 (exp2, expm1,
// sigmoid, erf, erfinv, floor, ceil, arctan2, bitwise ops) static_assert a real type.

namespace mx_ew {

template <class A, class B> struct same { static constexpr bool value = false; };
template <class A> struct same<A, A> { static constexpr bool value = true; };

template <bool B, class A, class C> struct cond { using type = A; };
template <class A, class C> struct cond<false, A, C> { using type = C; };

template <class T> struct is_half {
  static constexpr bool value = same<T, __half>::value || same<T, __nv_bfloat16>::value;
};
template <class T> struct is_float {
  static constexpr bool value = is_half<T>::value || same<T, float>::value;
};
template <class T> struct is_bool { static constexpr bool value = same<T, bool>::value; };
template <class T> struct is_signed {
  static constexpr bool value = same<T, int8_t>::value || same<T, int16_t>::value ||
                                same<T, int32_t>::value || same<T, int64_t>::value;
};
template <class T> struct is_unsigned {
  static constexpr bool value = same<T, uint8_t>::value || same<T, uint16_t>::value ||
                                same<T, uint32_t>::value || same<T, uint64_t>::value;
};
template <class T> struct is_integral {
  static constexpr bool value = is_signed<T>::value || is_unsigned<T>::value || is_bool<T>::value;
};
template <class T> struct is_complex { static constexpr bool value = same<T, mx_complex>::value; };

// Unsigned type wide enough for wrapping arithmetic on T: narrow types go through 32 bits
// so that C++ integer promotion cannot overflow a signed int (uint16 * uint16 would).
template <class T> using uwide = typename cond<(sizeof(T) == 8), uint64_t, uint32_t>::type;

// ---------------------------------------------------------------------------------------
// Float bits and the half types.

__device__ __forceinline__ bool f_isnan(float f) { return (__float_as_uint(f) & 0x7fffffffu) > 0x7f800000u; }
__device__ __forceinline__ bool f_isinf(float f) { return (__float_as_uint(f) & 0x7fffffffu) == 0x7f800000u; }
__device__ __forceinline__ float f_inf() { return __uint_as_float(0x7f800000u); }
// Rust's f32::NAN, returned explicitly by logaddexp.
__device__ __forceinline__ float f_nan() { return __uint_as_float(0x7fc00000u); }

// The `half` crate widens NaN with its sign and payload and the quiet bit set.
__device__ __forceinline__ float h2f(__half h) {
  unsigned int u = __half_as_ushort(h);
  if ((u & 0x7fffu) > 0x7c00u)
    return __uint_as_float(((u & 0x8000u) << 16) | 0x7fc00000u | ((u & 0x3ffu) << 13));
  return __half2float(h);
}
// The CPU narrows with F16C (or its software twin): nearest-even, NaN keeps sign and the
// top payload bits.
__device__ __forceinline__ __half f2h(float f) {
  unsigned int u = __float_as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u)
    return __ushort_as_half((unsigned short)(((u >> 16) & 0x8000u) | 0x7e00u | ((u >> 13) & 0x3ffu)));
  return __float2half_rn(f);
}
__device__ __forceinline__ float bf2f(__nv_bfloat16 b) {
  unsigned int u = __bfloat16_as_ushort(b);
  if ((u & 0x7fffu) > 0x7f80u) u |= 0x40u;
  return __uint_as_float(u << 16);
}
// `bf16::from_f32` of the half crate, bit for bit.
__device__ __forceinline__ __nv_bfloat16 f2bf(float f) {
  unsigned int x = __float_as_uint(f);
  unsigned int r = x >> 16;
  if ((x & 0x7fffffffu) > 0x7f800000u) r |= 0x40u;
  else if ((x & 0x8000u) != 0u && (x & 0x17fffu) != 0u) r += 1u;
  return __ushort_as_bfloat16((unsigned short)r);
}

// `bf16::from_f64` of the half crate, which astype uses (elements cast through f64). It
// reads only the high 32 bits of the double, so it is NOT correctly rounded: mantissa
// bits below bit 32 are ignored as sticky bits (e.g. the low 3 bits of an f32 mantissa).
__device__ __forceinline__ __nv_bfloat16 bf16_from_f64(double d) {
  unsigned int x = (unsigned int)__double2hiint(d);
  unsigned int lo = (unsigned int)__double2loint(d);
  unsigned int sign = x & 0x80000000u, e = x & 0x7ff00000u, man = x & 0x000fffffu;
  unsigned int r;
  if (e == 0x7ff00000u) {
    unsigned int nan_bit = (man == 0u && lo == 0u) ? 0u : 0x40u;
    r = (sign >> 16) | 0x7f80u | nan_bit | (man >> 13);
  } else {
    unsigned int hsign = sign >> 16;
    int hexp = (int)(e >> 20) - 1023 + 127;
    if (hexp >= 0xff) {
      r = hsign | 0x7f80u;
    } else if (hexp <= 0) {
      if (7 - hexp > 21) {
        r = hsign;
      } else {
        man |= 0x00100000u;
        unsigned int hman = man >> (14 - hexp);
        unsigned int round_bit = 1u << (13 - hexp);
        if ((man & round_bit) != 0u && (man & (3u * round_bit - 1u)) != 0u) hman += 1u;
        r = hsign | hman;
      }
    } else {
      r = hsign | ((unsigned int)hexp << 7) | (man >> 13);
      if ((man & 0x1000u) != 0u && (man & 0x2fffu) != 0u) r += 1u;
    }
  }
  return __ushort_as_bfloat16((unsigned short)r);
}

template <class T> __device__ __forceinline__ float to_f32(T x) {
  if constexpr (same<T, __half>::value) return h2f(x);
  else if constexpr (same<T, __nv_bfloat16>::value) return bf2f(x);
  else return x;
}
template <class T> __device__ __forceinline__ T from_f32(float f) {
  if constexpr (same<T, __half>::value) return f2h(f);
  else if constexpr (same<T, __nv_bfloat16>::value) return f2bf(f);
  else return f;
}
template <class T> __device__ __forceinline__ T zero() {
  if constexpr (same<T, __half>::value) return __ushort_as_half((unsigned short)0);
  else if constexpr (same<T, __nv_bfloat16>::value) return __ushort_as_bfloat16((unsigned short)0);
  else return T(0);
}
// The value comparisons and max/min look at: float for the float types, else the integer.
template <class T> __device__ __forceinline__ auto num(T x) {
  if constexpr (is_float<T>::value) return to_f32(x);
  else return x;
}
template <class T> __device__ __forceinline__ bool is_zero(T x) {
  if constexpr (is_complex<T>::value) return mx_cx::is_zero(x);
  else if constexpr (is_float<T>::value) return to_f32(x) == 0.0f;
  else return !x;
}

// ---------------------------------------------------------------------------------------
// Float math that must match the CPU's own code rather than libdevice.

// `exp_f32` of cpu/math/float.rs: Cody-Waite reduction and Cephes' polynomial. Every step
// is a separately rounded op, as in Rust; Rust's clamp lets NaN through.
__device__ __forceinline__ float exp_f32(float x) {
  float c = x;
  if (c < -104.0f) c = -104.0f;
  if (c > 88.8f) c = 88.8f;
  const float k_round = 12582912.0f;
  float shifted = __fadd_rn(__fmul_rn(c, 1.44269504088896340736f), k_round);
  float k = __fsub_rn(shifted, k_round);
  float r = __fsub_rn(__fsub_rn(c, __fmul_rn(k, 0.6933594f)), __fmul_rn(k, -2.1219444e-4f));
  float p = 1.9875691e-4f;
  p = __fadd_rn(__fmul_rn(p, r), 1.3981999e-3f);
  p = __fadd_rn(__fmul_rn(p, r), 8.333452e-3f);
  p = __fadd_rn(__fmul_rn(p, r), 4.1665796e-2f);
  p = __fadd_rn(__fmul_rn(p, r), 1.6666665e-1f);
  p = __fadd_rn(__fmul_rn(p, r), 0.5f);
  float y = __fadd_rn(__fadd_rn(__fmul_rn(__fmul_rn(p, r), r), r), 1.0f);
  // The rounded integer sits in the low mantissa bits of `shifted`.
  int ki = (int)(__float_as_uint(shifted) - __float_as_uint(k_round));
  int k_lo = ki >> 1;
  float s1 = __uint_as_float(((unsigned int)k_lo + 127u) << 23);
  float s2 = __uint_as_float(((unsigned int)(ki - k_lo) + 127u) << 23);
  float result = __fmul_rn(__fmul_rn(y, s1), s2);
  return x > 88.72283f ? f_inf() : result;
}

// Giles' single precision erfinv, as the CPU (and MLX) compute it.
__device__ __forceinline__ float erfinv_f32(float a) {
  float t = logf(fmaf(a, -a, 1.0f));
  float p;
  if (fabsf(t) > 6.125f) {
    p = 3.0369757e-10f;
    p = fmaf(p, t, 2.932431e-8f);
    p = fmaf(p, t, 1.2215033e-6f);
    p = fmaf(p, t, 2.8410896e-5f);
    p = fmaf(p, t, 3.9355297e-4f);
    p = fmaf(p, t, 3.0269881e-3f);
    p = fmaf(p, t, 4.831858e-3f);
    p = fmaf(p, t, -2.6464614e-1f);
    p = fmaf(p, t, 8.400165e-1f);
  } else {
    p = 5.4387783e-9f;
    p = fmaf(p, t, 1.4328545e-7f);
    p = fmaf(p, t, 1.227748e-6f);
    p = fmaf(p, t, 1.1296363e-7f);
    p = fmaf(p, t, -5.6153076e-5f);
    p = fmaf(p, t, -1.4769763e-4f);
    p = fmaf(p, t, 2.3146868e-3f);
    p = fmaf(p, t, 1.1539258e-2f);
    p = fmaf(p, t, -2.3201548e-1f);
    p = fmaf(p, t, 8.862269e-1f);
  }
  return a * p;
}

__device__ __forceinline__ float sigmoid_f32(float x) {
  return 1.0f / (1.0f + exp_f32(__uint_as_float(__float_as_uint(x) ^ 0x80000000u)));
}

// The CPU's logaddexp uses the library exp here, not exp_f32.
__device__ __forceinline__ float logaddexp_f32(float a, float b) {
  if (f_isnan(a) || f_isnan(b)) return f_nan();
  float hi = a > b ? a : b;
  float lo = a > b ? b : a;
  if (lo == -f_inf() || hi == f_inf()) return hi;
  return hi + log1pf(expf(lo - hi));
}

// Python-style: the remainder takes the sign of the divisor.
__device__ __forceinline__ float rem_f32(float a, float b) {
  float r = fmodf(a, b);
  if (r != 0.0f && ((r < 0.0f) != (b < 0.0f))) r = r + b;
  return r;
}

__device__ __forceinline__ float sign_f32(float x) {
  return (x > 0.0f ? 1.0f : 0.0f) - (x < 0.0f ? 1.0f : 0.0f);
}

// ---------------------------------------------------------------------------------------
// Integer helpers (T integral, not bool).

template <class T> __device__ __forceinline__ T wadd(T a, T b) { return (T)((uwide<T>)a + (uwide<T>)b); }
template <class T> __device__ __forceinline__ T wsub(T a, T b) { return (T)((uwide<T>)a - (uwide<T>)b); }
template <class T> __device__ __forceinline__ T wmul(T a, T b) { return (T)((uwide<T>)a * (uwide<T>)b); }
template <class T> __device__ __forceinline__ T wneg(T a) { return (T)((uwide<T>)0 - (uwide<T>)a); }

// Square-and-multiply, wrapping (`int_pow` of arith.rs).
template <class T> __device__ __forceinline__ T ipow(T base, uint64_t e) {
  uwide<T> acc = 1, b = (uwide<T>)base;
  while (e > 0) {
    if (e & 1ull) acc = acc * b;
    b = b * b;
    e >>= 1;
  }
  return (T)acc;
}

// Shifts as MLX on x86: narrow types are promoted to int32 (arithmetic right shift for
// signed sources, zero-extended unsigned ones), the count is masked to the promoted width.
template <class T> using shift_wide = typename cond<(sizeof(T) < 4), int32_t, T>::type;
template <class T> __device__ __forceinline__ T shl(T a, T b) {
  using W = shift_wide<T>;
  unsigned int c = (unsigned int)b & (unsigned int)(sizeof(W) * 8 - 1);
  return (T)((uwide<W>)(W)a << c);
}
template <class T> __device__ __forceinline__ T shr(T a, T b) {
  using W = shift_wide<T>;
  unsigned int c = (unsigned int)b & (unsigned int)(sizeof(W) * 8 - 1);
  return (T)((W)a >> c);
}

// ---------------------------------------------------------------------------------------
// Cast helpers (dtype/element.rs: every cast goes through an f64 / i64 / u64 scalar).

// Float to integer as MLX's C++ on x86 (cvttsd2si): NaN and out-of-range give the minimum
// integer of the 32- or 64-bit conversion, then narrow targets truncate. Every float input
// is exact in float, so the f64 bounds of the CPU become these float ones.
__device__ __forceinline__ int32_t cvtt_i32(float f) {
  return (f >= -2147483648.0f && f < 2147483648.0f) ? (int32_t)f : (int32_t)(-2147483647 - 1);
}
__device__ __forceinline__ int64_t cvtt_i64(float f) {
  return (f >= -9223372036854775808.0f && f < 9223372036854775808.0f)
             ? (int64_t)f
             : (int64_t)(-9223372036854775807LL - 1);
}
template <class To> __device__ __forceinline__ To float_to_int(float f) {
  if constexpr (sizeof(To) < 4 || same<To, int32_t>::value) {
    return (To)cvtt_i32(f);
  } else if constexpr (same<To, uint64_t>::value) {
    if (f < 9223372036854775808.0f) return (uint64_t)cvtt_i64(f);
    return ((uint64_t)cvtt_i64(f - 9223372036854775808.0f)) ^ (1ull << 63);
  } else {
    return (To)cvtt_i64(f);
  }
}

// Integer (or bool) to double as `i as f64` / `u as f64`: exact below 64 bits.
template <class From> __device__ __forceinline__ double int_to_f64(From x) {
  if constexpr (same<From, int64_t>::value) return __ll2double_rn((long long)x);
  else if constexpr (same<From, uint64_t>::value) return __ull2double_rn((unsigned long long)x);
  else if constexpr (is_bool<From>::value) return x ? 1.0 : 0.0;
  else return (double)x;
}
template <class To, class From> __device__ __forceinline__ To int_to_float(From x) {
  if constexpr (same<To, __nv_bfloat16>::value) {
    return bf16_from_f64(int_to_f64(x));
  } else {
    // f64 then f32, rounding twice for 64-bit integers as the CPU does; f16 then goes
    // through f32 as the half crate's F16C path does.
    float f;
    if constexpr (sizeof(From) == 8) f = __double2float_rn(int_to_f64(x));
    else if constexpr (is_bool<From>::value) f = x ? 1.0f : 0.0f;
    else f = (float)x;
    return from_f32<To>(f);
  }
}
template <class To> __device__ __forceinline__ To float_to_float(float f) {
  if constexpr (same<To, __nv_bfloat16>::value) {
    // NaN straight from the float bits: the device's f32->f64 may drop its sign.
    if (f_isnan(f)) return __ushort_as_bfloat16((unsigned short)((__float_as_uint(f) >> 16) | 0x40u));
    return bf16_from_f64((double)f);
  } else {
    return from_f32<To>(f);
  }
}

}  // namespace mx_ew

// Elementwise astype. Integer to integer wraps like Rust `as`; anything to bool is `!= 0`
// (NaN is true); float to integer truncates, with x86's results where C++ is undefined.
// complex64 casts as dtype/element.rs: from complex, the real part casts as a float32 (to
// bool, either part non-zero); to complex, the value casts to float32, imaginary part 0.
template <typename To, typename From> __device__ __forceinline__ To mx_cast(From x) {
  if constexpr (mx_ew::same<To, From>::value) {
    return x;
  } else if constexpr (mx_ew::is_complex<To>::value) {
    if constexpr (mx_ew::is_float<From>::value) return mx_cx::make(mx_ew::to_f32(x), 0.0f);
    else return mx_cx::make(mx_ew::int_to_float<float>(x), 0.0f);
  } else if constexpr (mx_ew::is_complex<From>::value) {
    if constexpr (mx_ew::is_bool<To>::value) return x.re != 0.0f || x.im != 0.0f;
    else if constexpr (mx_ew::is_float<To>::value) return mx_ew::float_to_float<To>(x.re);
    else return mx_ew::float_to_int<To>(x.re);
  } else if constexpr (mx_ew::is_bool<To>::value) {
    if constexpr (mx_ew::is_float<From>::value) return mx_ew::to_f32(x) != 0.0f;
    else return x != 0;
  } else if constexpr (mx_ew::is_float<From>::value) {
    float f = mx_ew::to_f32(x);
    if constexpr (mx_ew::is_float<To>::value) return mx_ew::float_to_float<To>(f);
    else return mx_ew::float_to_int<To>(f);
  } else if constexpr (mx_ew::is_float<To>::value) {
    return mx_ew::int_to_float<To>(x);
  } else {
    return (To)x;
  }
}

// =======================================================================================
// Unary ops.

#define MX_FLOAT_ONLY(T, NAME) static_assert(mx_ew::is_float<T>::value, NAME ": float types only")
#define MX_INTEGRAL_ONLY(T, NAME) static_assert(mx_ew::is_integral<T>::value, NAME ": integer and bool types only")
#define MX_NOT_COMPLEX(T, NAME) static_assert(!mx_ew::is_complex<T>::value, NAME ": not for complex64")

// Float math: compute in f32, round back to T.
#define MX_UNARY_FLOAT(V, EXPR)                                            \
  struct Unary##V {                                                        \
    template <typename T> __device__ __forceinline__ auto operator()(T x) const { \
      MX_FLOAT_ONLY(T, "Unary" #V);                                        \
      float v = mx_ew::to_f32(x);                                          \
      return mx_ew::from_f32<T>(EXPR);                                     \
    }                                                                      \
  };
// The same for the real types; complex64 takes `mx_cx::CFN`.
#define MX_UNARY_FLOAT_COMPLEX(V, EXPR, CFN)                               \
  struct Unary##V {                                                        \
    template <typename T> __device__ __forceinline__ auto operator()(T x) const { \
      if constexpr (mx_ew::is_complex<T>::value) {                         \
        return mx_cx::CFN(x);                                              \
      } else {                                                             \
        MX_FLOAT_ONLY(T, "Unary" #V);                                      \
        float v = mx_ew::to_f32(x);                                        \
        return mx_ew::from_f32<T>(EXPR);                                   \
      }                                                                    \
    }                                                                      \
  };

MX_UNARY_FLOAT_COMPLEX(Sqrt, sqrtf(v), sqrt)
MX_UNARY_FLOAT_COMPLEX(Rsqrt, 1.0f / sqrtf(v), rsqrt)  // not rsqrtf: the CPU divides by the exact root
MX_UNARY_FLOAT_COMPLEX(Reciprocal, 1.0f / v, reciprocal)
MX_UNARY_FLOAT_COMPLEX(Exp, mx_ew::exp_f32(v), exp)
MX_UNARY_FLOAT(Exp2, exp2f(v))
MX_UNARY_FLOAT(Expm1, expm1f(v))
MX_UNARY_FLOAT_COMPLEX(Log, logf(v), ln)
MX_UNARY_FLOAT_COMPLEX(Log1p, log1pf(v), log1p)
MX_UNARY_FLOAT_COMPLEX(Log2, log2f(v), log2)
MX_UNARY_FLOAT_COMPLEX(Log10, log10f(v), log10)
MX_UNARY_FLOAT_COMPLEX(Sin, sinf(v), sin)
MX_UNARY_FLOAT_COMPLEX(Cos, cosf(v), cos)
MX_UNARY_FLOAT_COMPLEX(Tan, tanf(v), tan)
MX_UNARY_FLOAT_COMPLEX(ArcSin, asinf(v), asin)
MX_UNARY_FLOAT_COMPLEX(ArcCos, acosf(v), acos)
MX_UNARY_FLOAT_COMPLEX(ArcTan, atanf(v), atan)
MX_UNARY_FLOAT_COMPLEX(Sinh, sinhf(v), sinh)
MX_UNARY_FLOAT_COMPLEX(Cosh, coshf(v), cosh)
MX_UNARY_FLOAT_COMPLEX(Tanh, tanhf(v), tanh)
MX_UNARY_FLOAT_COMPLEX(ArcSinh, asinhf(v), asinh)
MX_UNARY_FLOAT_COMPLEX(ArcCosh, acoshf(v), acosh)
MX_UNARY_FLOAT_COMPLEX(ArcTanh, atanhf(v), atanh)
MX_UNARY_FLOAT(Sigmoid, mx_ew::sigmoid_f32(v))
MX_UNARY_FLOAT(Erf, erff(v))
MX_UNARY_FLOAT(ErfInv, mx_ew::erfinv_f32(v))

#undef MX_UNARY_FLOAT
#undef MX_UNARY_FLOAT_COMPLEX

struct UnaryAbs {
  template <typename T> __device__ __forceinline__ auto operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::norm(x);  // float32
    } else if constexpr (mx_ew::is_float<T>::value) {
      // Clears the sign bit, of NaN too, as Rust's abs.
      return mx_ew::from_f32<T>(__uint_as_float(__float_as_uint(mx_ew::to_f32(x)) & 0x7fffffffu));
    } else if constexpr (mx_ew::is_signed<T>::value) {
      return x < 0 ? mx_ew::wneg(x) : x;  // wrapping: abs(MIN) == MIN
    } else {
      return x;
    }
  }
};

struct UnaryNegative {
  template <typename T> __device__ __forceinline__ auto operator()(T x) const {
    // A sign-bit flip for every float type, NaN included, as the CPU's `-x`.
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::neg(x);
    } else if constexpr (mx_ew::same<T, float>::value) {
      return __uint_as_float(__float_as_uint(x) ^ 0x80000000u);
    } else if constexpr (mx_ew::same<T, __half>::value) {
      return __ushort_as_half((unsigned short)(__half_as_ushort(x) ^ 0x8000u));
    } else if constexpr (mx_ew::same<T, __nv_bfloat16>::value) {
      return __ushort_as_bfloat16((unsigned short)(__bfloat16_as_ushort(x) ^ 0x8000u));
    } else if constexpr (mx_ew::is_bool<T>::value) {
      return x;  // the CPU kernel's identity (the op itself rejects bool)
    } else {
      return mx_ew::wneg(x);
    }
  }
};

struct UnarySign {
  template <typename T> __device__ __forceinline__ auto operator()(T x) const {
    // NaN and -0.0 give +0.0. Complex: v / |v|, 0 for 0, NaN unless both parts are finite.
    if constexpr (mx_ew::is_complex<T>::value) return mx_cx::sign(x);
    else if constexpr (mx_ew::is_float<T>::value) return mx_ew::from_f32<T>(mx_ew::sign_f32(mx_ew::to_f32(x)));
    else if constexpr (mx_ew::is_signed<T>::value) return (T)((x > 0) - (x < 0));
    else if constexpr (mx_ew::is_bool<T>::value) return x;
    else return (T)(x != 0);
  }
};

struct UnarySquare {
  template <typename T> __device__ __forceinline__ auto operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::mul(x, x);
    } else if constexpr (mx_ew::is_float<T>::value) {
      float v = mx_ew::to_f32(x);
      return mx_ew::from_f32<T>(v * v);
    } else if constexpr (mx_ew::is_bool<T>::value) {
      return x;
    } else {
      return mx_ew::wmul(x, x);
    }
  }
};

// Floor, Ceil and Round are the identity on integers and bool. Only Round takes complex64
// (both parts rounded).
#define MX_UNARY_ROUNDING(V, FN)                                           \
  struct Unary##V {                                                        \
    template <typename T> __device__ __forceinline__ auto operator()(T x) const { \
      if constexpr (mx_ew::is_complex<T>::value) {                         \
        MX_NOT_COMPLEX(T, "Unary" #V);                                     \
        return x;                                                          \
      } else if constexpr (mx_ew::is_float<T>::value) {                    \
        return mx_ew::from_f32<T>(FN(mx_ew::to_f32(x)));                   \
      } else {                                                             \
        return x;                                                          \
      }                                                                    \
    }                                                                      \
  };
MX_UNARY_ROUNDING(Floor, floorf)
MX_UNARY_ROUNDING(Ceil, ceilf)
#undef MX_UNARY_ROUNDING

struct UnaryRound {
  template <typename T> __device__ __forceinline__ auto operator()(T x) const {
    // Ties to even in the default rounding mode.
    if constexpr (mx_ew::is_complex<T>::value) return mx_cx::round(x);
    else if constexpr (mx_ew::is_float<T>::value) return mx_ew::from_f32<T>(rintf(mx_ew::to_f32(x)));
    else return x;
  }
};

struct UnaryLogicalNot {
  template <typename T> __device__ __forceinline__ bool operator()(T x) const { return mx_ew::is_zero(x); }
};

struct UnaryBitwiseInvert {
  template <typename T> __device__ __forceinline__ auto operator()(T x) const {
    MX_INTEGRAL_ONLY(T, "UnaryBitwiseInvert");
    if constexpr (mx_ew::is_bool<T>::value) return !x;
    else return (T)~x;
  }
};

// Predicates: never true for integers (IsFinite always true). Complex: NaN or infinite
// if either part is, finite if both are, +-inf only with a zero imaginary part.
struct UnaryIsNan {
  template <typename T> __device__ __forceinline__ bool operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) return mx_cx::is_nan(x);
    else if constexpr (mx_ew::is_float<T>::value) return mx_ew::f_isnan(mx_ew::to_f32(x));
    else return false;
  }
};
struct UnaryIsInf {
  template <typename T> __device__ __forceinline__ bool operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) return mx_ew::f_isinf(x.re) || mx_ew::f_isinf(x.im);
    else if constexpr (mx_ew::is_float<T>::value) return mx_ew::f_isinf(mx_ew::to_f32(x));
    else return false;
  }
};
struct UnaryIsPosInf {
  template <typename T> __device__ __forceinline__ bool operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) return x.re == mx_ew::f_inf() && x.im == 0.0f;
    else if constexpr (mx_ew::is_float<T>::value) return mx_ew::to_f32(x) == mx_ew::f_inf();
    else return false;
  }
};
struct UnaryIsNegInf {
  template <typename T> __device__ __forceinline__ bool operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) return x.re == -mx_ew::f_inf() && x.im == 0.0f;
    else if constexpr (mx_ew::is_float<T>::value) return mx_ew::to_f32(x) == -mx_ew::f_inf();
    else return false;
  }
};
struct UnaryIsFinite {
  template <typename T> __device__ __forceinline__ bool operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::f_isfinite(x.re) && mx_cx::f_isfinite(x.im);
    } else if constexpr (mx_ew::is_float<T>::value) {
      float v = mx_ew::to_f32(x);
      return !mx_ew::f_isinf(v) && !mx_ew::f_isnan(v);
    } else {
      return true;
    }
  }
};

// Complex parts: of complex64 (Real and Imag give float32), and of the real dtypes (the
// value itself, or zero).
struct UnaryReal {
  template <typename T> __device__ __forceinline__ auto operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) return x.re;
    else return x;
  }
};
struct UnaryConj {
  template <typename T> __device__ __forceinline__ auto operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) return mx_cx::conj(x);
    else return x;
  }
};
struct UnaryImag {
  template <typename T> __device__ __forceinline__ auto operator()(T x) const {
    if constexpr (mx_ew::is_complex<T>::value) return x.im;
    else return mx_ew::zero<T>();
  }
};

// =======================================================================================
// Binary ops. Bool arithmetic is the CPU's `Arith for bool`: + is or, - is xor, * / // are
// and, % is a & !b, ** is a | !b. Complex arithmetic is `Arith for Complex64`: / and // are
// the same Annex G division, % is a - b * (a / b), ** is num-complex's powc.

struct BinaryAdd {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) return mx_cx::add(a, b);
    else if constexpr (mx_ew::is_float<T>::value) return mx_ew::from_f32<T>(mx_ew::to_f32(a) + mx_ew::to_f32(b));
    else if constexpr (mx_ew::is_bool<T>::value) return a || b;
    else return mx_ew::wadd(a, b);
  }
};

struct BinarySubtract {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) return mx_cx::sub(a, b);
    else if constexpr (mx_ew::is_float<T>::value) return mx_ew::from_f32<T>(mx_ew::to_f32(a) - mx_ew::to_f32(b));
    else if constexpr (mx_ew::is_bool<T>::value) return a != b;
    else return mx_ew::wsub(a, b);
  }
};

struct BinaryMultiply {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) return mx_cx::mul(a, b);
    else if constexpr (mx_ew::is_float<T>::value) return mx_ew::from_f32<T>(mx_ew::to_f32(a) * mx_ew::to_f32(b));
    else if constexpr (mx_ew::is_bool<T>::value) return a && b;
    else return mx_ew::wmul(a, b);
  }
};

// Integer division by zero gives 0; MIN / -1 wraps to MIN.
struct BinaryDivide {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::complex_div(a, b);
    } else if constexpr (mx_ew::is_float<T>::value) {
      return mx_ew::from_f32<T>(mx_ew::to_f32(a) / mx_ew::to_f32(b));
    } else if constexpr (mx_ew::is_bool<T>::value) {
      return a && b;
    } else {
      if (b == 0) return (T)0;
      if constexpr (mx_ew::is_signed<T>::value) {
        if (b == (T)-1) return mx_ew::wneg(a);
      }
      return (T)(a / b);
    }
  }
};

struct BinaryFloorDivide {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::complex_div(a, b);
    } else if constexpr (mx_ew::is_float<T>::value) {
      // The quotient is rounded to T before flooring, as on the CPU.
      T q = mx_ew::from_f32<T>(mx_ew::to_f32(a) / mx_ew::to_f32(b));
      return mx_ew::from_f32<T>(floorf(mx_ew::to_f32(q)));
    } else if constexpr (mx_ew::is_bool<T>::value) {
      return a && b;
    } else if constexpr (mx_ew::is_signed<T>::value) {
      if (b == 0) return (T)0;
      if (b == (T)-1) return mx_ew::wneg(a);
      T q = (T)(a / b);
      if ((T)(a % b) != 0 && ((a < 0) != (b < 0))) q = (T)(q - 1);
      return q;
    } else {
      return b == 0 ? (T)0 : (T)(a / b);
    }
  }
};

// Python-style: the result takes the divisor's sign. Integer x % 0 is x.
struct BinaryRemainder {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::rem(a, b);
    } else if constexpr (mx_ew::is_float<T>::value) {
      return mx_ew::from_f32<T>(mx_ew::rem_f32(mx_ew::to_f32(a), mx_ew::to_f32(b)));
    } else if constexpr (mx_ew::is_bool<T>::value) {
      return a && !b;
    } else if constexpr (mx_ew::is_signed<T>::value) {
      if (b == 0) return a;
      if (b == (T)-1) return (T)0;
      T r = (T)(a % b);
      if (r != 0 && ((r < 0) != (b < 0))) r = (T)(r + b);
      return r;
    } else {
      return b == 0 ? a : (T)(a % b);
    }
  }
};

// Integer powers wrap; a negative exponent gives 0 for every base (even 1 and -1).
struct BinaryPower {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::powc(a, b);
    } else if constexpr (mx_ew::is_float<T>::value) {
      return mx_ew::from_f32<T>(powf(mx_ew::to_f32(a), mx_ew::to_f32(b)));
    } else if constexpr (mx_ew::is_bool<T>::value) {
      return a || !b;
    } else {
      if constexpr (mx_ew::is_signed<T>::value) {
        if (b < 0) return (T)0;
      }
      return mx_ew::ipow(a, (uint64_t)b);
    }
  }
};

// NaN in either operand wins (the first if both); on ties the second operand is returned,
// so maximum(-0.0, 0.0) is 0.0 and minimum(0.0, -0.0) is -0.0. Operands come back unrounded.
// Complex: lexicographic, ties give the second operand, and no NaN rule (the CPU's).
struct BinaryMaximum {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::maximum(a, b);
    } else if constexpr (mx_ew::is_float<T>::value) {
      float x = mx_ew::to_f32(a);
      return (mx_ew::f_isnan(x) || x > mx_ew::to_f32(b)) ? a : b;
    } else if constexpr (mx_ew::is_bool<T>::value) {
      return a || b;
    } else {
      return a > b ? a : b;
    }
  }
};

struct BinaryMinimum {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::minimum(a, b);
    } else if constexpr (mx_ew::is_float<T>::value) {
      float x = mx_ew::to_f32(a);
      return (mx_ew::f_isnan(x) || x < mx_ew::to_f32(b)) ? a : b;
    } else if constexpr (mx_ew::is_bool<T>::value) {
      return a && b;
    } else {
      return a < b ? a : b;
    }
  }
};

struct BinaryArcTan2 {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    MX_FLOAT_ONLY(T, "BinaryArcTan2");
    return mx_ew::from_f32<T>(atan2f(mx_ew::to_f32(a), mx_ew::to_f32(b)));
  }
};

struct BinaryLogAddExp {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    if constexpr (mx_ew::is_complex<T>::value) {
      return mx_cx::logaddexp(a, b);
    } else {
      MX_FLOAT_ONLY(T, "BinaryLogAddExp");
      return mx_ew::from_f32<T>(mx_ew::logaddexp_f32(mx_ew::to_f32(a), mx_ew::to_f32(b)));
    }
  }
};

// Comparisons in the value domain: NaN compares false except !=, -0.0 == 0.0. Complex
// (cpu/binary.rs `common`): == on both parts, ordering lexicographic by `mx_cx::less`.
#define MX_BINARY_COMPARE(V, OP, COMPLEX)                                  \
  struct Binary##V {                                                       \
    template <typename T> __device__ __forceinline__ bool operator()(T a, T b) const { \
      if constexpr (mx_ew::is_complex<T>::value) return COMPLEX;           \
      else return mx_ew::num(a) OP mx_ew::num(b);                          \
    }                                                                      \
  };
MX_BINARY_COMPARE(Equal, ==, mx_cx::eq(a, b))
MX_BINARY_COMPARE(NotEqual, !=, !mx_cx::eq(a, b))
MX_BINARY_COMPARE(Less, <, mx_cx::less(a, b))
MX_BINARY_COMPARE(LessEqual, <=, mx_cx::less(a, b) || mx_cx::eq(a, b))
MX_BINARY_COMPARE(Greater, >, mx_cx::less(b, a))
MX_BINARY_COMPARE(GreaterEqual, >=, mx_cx::less(b, a) || mx_cx::eq(a, b))
#undef MX_BINARY_COMPARE

struct BinaryLogicalAnd {
  template <typename T> __device__ __forceinline__ bool operator()(T a, T b) const {
    return !mx_ew::is_zero(a) && !mx_ew::is_zero(b);
  }
};
struct BinaryLogicalOr {
  template <typename T> __device__ __forceinline__ bool operator()(T a, T b) const {
    return !mx_ew::is_zero(a) || !mx_ew::is_zero(b);
  }
};

#define MX_BINARY_BITWISE(V, OP)                                           \
  struct Binary##V {                                                       \
    template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const { \
      MX_INTEGRAL_ONLY(T, "Binary" #V);                                    \
      return (T)(a OP b);                                                  \
    }                                                                      \
  };
MX_BINARY_BITWISE(BitwiseAnd, &)
MX_BINARY_BITWISE(BitwiseOr, |)
MX_BINARY_BITWISE(BitwiseXor, ^)
#undef MX_BINARY_BITWISE

// Any shift count is defined (masked, see mx_ew::shl). Bool shifts reach the kernels as
// uint8; the bool case is the CPU's `a & !b`, kept for completeness.
struct BinaryLeftShift {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    MX_INTEGRAL_ONLY(T, "BinaryLeftShift");
    if constexpr (mx_ew::is_bool<T>::value) return a && !b;
    else return mx_ew::shl(a, b);
  }
};
struct BinaryRightShift {
  template <typename T> __device__ __forceinline__ auto operator()(T a, T b) const {
    MX_INTEGRAL_ONLY(T, "BinaryRightShift");
    if constexpr (mx_ew::is_bool<T>::value) return a && !b;
    else return mx_ew::shr(a, b);
  }
};

#undef MX_FLOAT_ONLY
#undef MX_INTEGRAL_ONLY
#undef MX_NOT_COMPLEX
