// Quantization kernels, with the CPU's arithmetic step for step (every product and sum
// rounded on its own, no fused multiply-add): quantize a thread per group, dequantize a
// thread per element, and the E4M3 conversions a thread per element.

#define MODE_AFFINE 0
#define MODE_MXFP4 1
#define MODE_MXFP8 2
#define MODE_NVFP4 3

__constant__ float FP4_VALUES[16] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f,
                                     -0.0f, -0.5f, -1.0f, -1.5f, -2.0f, -3.0f, -4.0f, -6.0f};

template <typename T>
__device__ __forceinline__ float rounded(float v) { return mx_ew::to_f32(mx_ew::from_f32<T>(v)); }

__device__ __forceinline__ uint8_t fp8_byte(float x) {
  uint32_t bits = __float_as_uint(x);
  uint32_t sign = bits & 0x80000000u;
  uint32_t magnitude = bits ^ sign;
  uint32_t code;
  if (magnitude >= 0x43E00000u) {
    code = 0x7E;
  } else if (magnitude < (121u << 23)) {
    code = (__float_as_uint(__fadd_rn(__uint_as_float(magnitude), 16384.0f)) - (141u << 23)) & 0xFFu;
  } else {
    uint32_t rebiased = magnitude + ((uint32_t)(7 - 127) << 23);
    code = ((rebiased + 0x7FFFFu + ((magnitude >> 20) & 1u)) >> 20) & 0xFFu;
  }
  return (uint8_t)(code | (sign >> 24));
}

__device__ __forceinline__ float fp8_value(uint8_t b) {
  uint32_t v = b & 127u;
  uint32_t sign = b >> 7;
  unsigned short half_bits = (unsigned short)((v << 7) | (((v + 1) >> 7) << 14) | (sign << 15));
  return __fmul_rn(__half2float(__ushort_as_half(half_bits)), 256.0f);
}

// 2^e exactly for a float holding an integer (or an infinity).
__device__ __forceinline__ float pow2(float e) {
  if (isnan(e)) return e;
  if (e < -149.0f) return 0.0f;
  if (e > 127.0f) return __int_as_float(0x7f800000);
  return ldexpf(1.0f, (int)e);
}

// x86's float to int32: truncation, NaN and out-of-range values give INT32_MIN.
__device__ __forceinline__ int32_t x86_i32(float v) {
  if (isfinite(v) && v > -2147483904.0f && v < 2147483648.0f) return (int32_t)truncf(v);
  return (int32_t)0x80000000u;
}

// The index of the smallest distance, a strict '<' scan from the first.
__device__ __forceinline__ uint32_t nearest_index(const float* distances) {
  uint32_t best = 0;
  float value = distances[0];
  for (uint32_t i = 1; i < 16; ++i) {
    if (distances[i] < value) {
      value = distances[i];
      best = i;
    }
  }
  return best;
}

template <typename T>
__device__ __forceinline__ float group_amax(const T* w, int64_t n) {
  float m = 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    float x = mx_ew::to_f32(w[i]);
    m = (isnan(m) || isnan(x)) ? __int_as_float(0x7fc00000) : fmaxf(m, fabsf(x));
  }
  return m;
}

// Quantizes group `g` of row-contiguous `w` into its whole words of `packed` (a group's
// bits fill whole words). `scales` are T (affine) or bytes; `biases` T (affine).
template <typename T>
__device__ void quantize_groups(const T* w, uint32_t* packed, T* scale_out, uint8_t* byte_out, T* bias_out,
                                int64_t groups, int64_t group_size, int bits, int mode, float global) {
  int64_t words = group_size * bits / 32;
  for (int64_t g = global_thread(); g < groups; g += grid_threads()) {
    const T* x = w + g * group_size;
    uint32_t* out = packed + g * words;
    for (int64_t k = 0; k < words; ++k) out[k] = 0u;
    float scale = 0.0f, bias = 0.0f, step = 1.0f;
    if (mode == MODE_AFFINE) {
      float n_bins = (float)((1u << bits) - 1u), eps = 1e-7f;
      float w_max = -__int_as_float(0x7f800000), w_min = __int_as_float(0x7f800000);
      for (int64_t i = 0; i < group_size; ++i) {
        float v = mx_ew::to_f32(x[i]);
        if (w_max < v) w_max = v;
        if (v < w_min) w_min = v;
      }
      if (bits == 1) {
        float range = __fsub_rn(w_max, w_min);
        scale = range < eps ? eps : range;
        bias = w_min;
      } else {
        bool mask = fabsf(w_min) > fabsf(w_max);
        float s = __fdiv_rn(__fsub_rn(w_max, w_min), n_bins);
        s = s < eps ? eps : s;
        s = mask ? s : -s;
        float edge = mask ? w_min : w_max;
        float q0 = rintf(__fdiv_rn(edge, s));
        if (q0 != 0.0f) {
          scale = __fdiv_rn(edge, q0);
          bias = edge;
        } else {
          scale = s;
          bias = 0.0f;
        }
      }
      for (int64_t i = 0; i < group_size; ++i) {
        float q = rintf(__fdiv_rn(__fsub_rn(mx_ew::to_f32(x[i]), bias), scale));
        q = q < 0.0f ? 0.0f : q;
        q = n_bins < q ? n_bins : q;
        uint32_t code = isnan(q) ? 0u : (uint32_t)q;
        int64_t at = i * bits;
        int64_t word = at / 32, shift = at % 32;
        out[word] |= code << shift;
        if (shift + bits > 32) out[word + 1] |= code >> (32 - shift);
      }
      scale_out[g] = mx_ew::from_f32<T>(scale);
      bias_out[g] = mx_ew::from_f32<T>(bias);
      continue;
    }
    float distances[16];
    float amax = group_amax(x, group_size);
    uint8_t byte;
    if (mode == MODE_NVFP4) {
      float s = rounded<T>(__fdiv_rn(amax, 6.0f));
      byte = fp8_byte(__fmul_rn(s, global));
      step = rounded<T>(fp8_value(byte));
    } else {
      float maxval = mode == MODE_MXFP4 ? 6.0f : 448.0f;
      float s = rounded<T>(__fdiv_rn(amax, maxval));
      int32_t e = x86_i32(rounded<T>(rintf(rounded<T>(log2f(s)))));
      if (rounded<T>(pow2((float)e)) < s) e += 1;
      float exponent = s == 0.0f ? 0.0f : rounded<T>((float)e);
      step = rounded<T>(pow2(exponent));
      byte = (uint8_t)(x86_i32(rounded<T>(__fadd_rn(exponent, 127.0f))) & 0xFF);
    }
    for (int64_t i = 0; i < group_size; ++i) {
      float v = rounded<T>(__fdiv_rn(mx_ew::to_f32(x[i]), step));
      uint32_t code;
      if (mode == MODE_MXFP8) {
        code = fp8_byte(v);
      } else if (mode == MODE_NVFP4) {
        v = __fmul_rn(v, global);
        for (int j = 0; j < 16; ++j) distances[j] = fabsf(__fsub_rn(v, FP4_VALUES[j]));
        code = nearest_index(distances);
      } else {
        for (int j = 0; j < 16; ++j) distances[j] = rounded<T>(fabsf(rounded<T>(__fsub_rn(v, FP4_VALUES[j]))));
        code = nearest_index(distances);
      }
      int64_t at = i * bits;
      out[at / 32] |= code << (at % 32);
    }
    byte_out[g] = byte;
  }
}

// Element (row, i) of the dequantized `[rows, k]` matrix.
template <typename T>
__device__ void dequantize_elements(const uint32_t* packed, const T* scales, const uint8_t* bytes, const T* biases,
                                    T* out, int64_t rows, int64_t k, int64_t group_size, int bits, int mode,
                                    float inverse_global, int has_global) {
  int64_t row_words = k * bits / 32;
  int64_t groups = k / group_size;
  uint32_t mask = bits == 32 ? 0xFFFFFFFFu : ((1u << bits) - 1u);
  for (int64_t index = global_thread(); index < rows * k; index += grid_threads()) {
    int64_t row = index / k, i = index - row * k;
    const uint32_t* words = packed + row * row_words;
    int64_t at = i * bits;
    int64_t word = at / 32, shift = at % 32;
    uint32_t code = words[word] >> shift;
    if (shift + bits > 32) code |= words[word + 1] << (32 - shift);
    code &= mask;
    int64_t g = row * groups + i / group_size;
    float value;
    if (mode == MODE_AFFINE) {
      float scaled = rounded<T>(__fmul_rn((float)code, mx_ew::to_f32(scales[g])));
      value = __fadd_rn(scaled, mx_ew::to_f32(biases[g]));
    } else {
      float v = mode == MODE_MXFP8 ? fp8_value((uint8_t)code) : FP4_VALUES[code & 15u];
      uint8_t byte = bytes[g];
      if (mode == MODE_NVFP4 && has_global) {
        value = __fmul_rn(v, __fmul_rn(fp8_value(byte), inverse_global));
      } else if (mode == MODE_NVFP4) {
        value = __fmul_rn(v, rounded<T>(fp8_value(byte)));
      } else {
        float factor = rounded<T>(pow2(rounded<T>(__fsub_rn(rounded<T>((float)byte), 127.0f))));
        value = __fmul_rn(v, factor);
      }
    }
    out[index] = mx_ew::from_f32<T>(value);
  }
}
