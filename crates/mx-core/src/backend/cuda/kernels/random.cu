// RandomBits: the Threefry-2x32 (20 rounds) stream of a key, laid out as MLX lays it
// (random/threefry.rs): with `half = words / 2` and `odd = words % 2`, the pair
// threefry(key, [i, i + half + odd]) fills words i and i + half + odd, and an odd count
// takes word `half` from threefry(key, [half, 0]). The output is the first `nbytes`.

__device__ __forceinline__ uint32_t rotate_left(uint32_t x, uint32_t r) {
  return (x << r) | (x >> (32u - r));
}

__device__ __forceinline__ void threefry2x32(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t* y0, uint32_t* y1) {
  const uint32_t rotations[2][4] = {{13, 15, 26, 6}, {17, 29, 16, 24}};
  uint32_t ks[3] = {k0, k1, k0 ^ k1 ^ 0x1BD11BDAu};
  uint32_t x0 = c0 + ks[0], x1 = c1 + ks[1];
#pragma unroll
  for (int i = 0; i < 5; ++i) {
#pragma unroll
    for (int r = 0; r < 4; ++r) {
      x0 += x1;
      x1 = rotate_left(x1, rotations[i % 2][r]) ^ x0;
    }
    x0 += ks[(i + 1) % 3];
    x1 += ks[(i + 2) % 3] + (uint32_t)(i + 1);
  }
  *y0 = x0;
  *y1 = x1;
}

// Word `w` goes to bytes 4w..4w+3, cut at `nbytes`.
__device__ __forceinline__ void store_word(uint8_t* out, int64_t nbytes, int64_t w, uint32_t word) {
  int64_t at = 4 * w;
  if (at + 4 <= nbytes && ((unsigned long long)out % 4) == 0) {
    *(uint32_t*)(out + at) = word;
  } else {
    for (int b = 0; b < 4 && at + b < nbytes; ++b) out[at + b] = (uint8_t)(word >> (8 * b));
  }
}

// `key` points at two uint32 words `key_stride` elements apart.
__device__ __forceinline__ void random_bits(const uint32_t* key, int64_t key_stride, uint8_t* out, int64_t nbytes) {
  uint32_t k0 = key[0], k1 = key[key_stride];
  int64_t words = (nbytes + 3) / 4;
  int64_t half = words / 2, odd = words % 2;
  for (int64_t i = global_thread(); i < half + odd; i += grid_threads()) {
    uint32_t y0, y1;
    if (i < half) {
      threefry2x32(k0, k1, (uint32_t)i, (uint32_t)(i + half + odd), &y0, &y1);
      store_word(out, nbytes, i, y0);
      store_word(out, nbytes, i + half + odd, y1);
    } else {
      threefry2x32(k0, k1, (uint32_t)half, 0u, &y0, &y1);
      store_word(out, nbytes, half, y0);
    }
  }
}

// RandomMath: the steps of MLX's samplers that use MLX's CPU arithmetic
// (random/float.rs): f32 math with the result rounded to the output type after every op,
// and MLX's own `exp`, `erf` and `erfinv` polynomials with exact fused multiply-adds. The
// logarithms are CUDA's `logf` and `log1pf`, within an ulp of the C library's.

// Correctly rounded, as the CPU's `Real::round`: not astype's conversion, which goes
// through f64 like the half crate's `bf16::from_f64` and mis-rounds some ties.
template <typename Out>
__device__ __forceinline__ float round_as(float x) {
  return mx_ew::to_f32(mx_ew::from_f32<Out>(x));
}

// The largest value of `Out` below 1, where MLX clamps its unit uniform.
template <typename Out> __device__ __forceinline__ float below_one();
template <> __device__ __forceinline__ float below_one<float>() { return __int_as_float(0x3F7FFFFF); }
template <> __device__ __forceinline__ float below_one<__half>() { return __half2float(__ushort_as_half(0x3BFF)); }
template <> __device__ __forceinline__ float below_one<__nv_bfloat16>() { return __int_as_float(0x3F7F0000); }

template <int N>
__device__ __forceinline__ float horner(const float (&c)[N], float t) {
  float p = c[0];
#pragma unroll
  for (int k = 1; k < N; ++k) p = fmaf(p, t, c[k]);
  return p;
}

__device__ __forceinline__ float exp_mlx(float x) {
  const float poly[7] = {1.5353362e-4f, 1.3398874e-3f, 9.618437e-3f, 5.5503324e-2f, 2.4022648e-1f, 6.931472e-1f, 1.0f};
  if (isnan(x)) return x;
  if (x > 88.0f) return __int_as_float(0x7f800000);
  if (x < -88.0f) return 0.0f;
  float y = x * 1.44269504f;
  float whole = (float)floor((double)y + 0.5);
  float p = horner(poly, y - whole);
  return __int_as_float(((int)whole + 127) << 23) * p;
}

template <typename Out>
__device__ __forceinline__ float erf_mlx(float v) {
  const float poly[5] = {1.0614054f, -1.4531521f, 1.4214138f, -2.8449672e-1f, 2.548296e-1f};
  float t = 1.0f / fmaf(0.3275911f, fabsf(v), 1.0f);
  float r = horner(poly, t);
  float e = -exp_mlx(-(v * v));
  float res = round_as<Out>(fmaf(e * t, r, 1.0f));
  return v > 0.0f ? res : -res;
}

__device__ __forceinline__ float erfinv_mlx(float a) {
  const float tail[9] = {3.0369757e-10f, 2.932431e-8f, 1.2215033e-6f, 2.8410896e-5f, 3.9355297e-4f, 3.0269881e-3f, 4.831858e-3f, -2.6464614e-1f, 8.400165e-1f};
  const float central[10] = {5.4387783e-9f, 1.4328545e-7f, 1.2277479e-6f, 1.12963626e-7f, -5.6153076e-5f, -1.4769763e-4f, 2.3146868e-3f, 1.1539258e-2f, -2.3201548e-1f, 8.862269e-1f};
  float t = logf(fmaf(a, 0.0f - a, 1.0f));
  return a * (fabsf(t) > 6.125f ? horner(tail, t) : horner(central, t));
}

__device__ __forceinline__ float sign_mlx(float x) {
  return (float)(x > 0.0f) - (float)(x < 0.0f);
}

template <typename Out>
struct RandomUnitUniform {
  __device__ __forceinline__ Out operator()(uint32_t word) const {
    return mx_ew::from_f32<Out>(round_as<Out>(fminf((float)word / 4294967296.0f, below_one<Out>())));
  }
};

template <typename Out>
struct RandomErfInv {
  template <typename In> __device__ __forceinline__ Out operator()(In x) const {
    return mx_ew::from_f32<Out>(erfinv_mlx(mx_cast<float, In>(x)));
  }
};

template <typename Out>
struct RandomErf {
  template <typename In> __device__ __forceinline__ Out operator()(In x) const {
    return mx_ew::from_f32<Out>(erf_mlx<Out>(mx_cast<float, In>(x)));
  }
};

template <typename Out>
struct RandomGumbel {
  template <typename In> __device__ __forceinline__ Out operator()(In x) const {
    float u = mx_cast<float, In>(x);
    return mx_ew::from_f32<Out>(-logf(round_as<Out>(-logf(u))));
  }
};

template <typename Out>
struct RandomLaplace {
  template <typename In> __device__ __forceinline__ Out operator()(In x) const {
    float u = mx_cast<float, In>(x);
    return mx_ew::from_f32<Out>(sign_mlx(u) * log1pf(-fabsf(u)));
  }
};
