// The fused ops of mx::fast: rms_norm and layer_norm (a block per row), rope (a thread
// per element) and attention (a block per query). Statistics, angles and softmax are
// float32; the element type's rounding happens where MLX's composition rounds.

// `x` rounded to the element type T, as a float.
template <typename T>
__device__ __forceinline__ float round_to(float x) {
  return mx_ew::to_f32(mx_ew::from_f32<T>(x));
}

// The sum of `value` over the block (every thread gets it); blockDim.x is a multiple of 32.
__device__ __forceinline__ float block_sum(float value) {
  __shared__ float partial[32];
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) value += __shfl_xor_sync(0xffffffffu, value, offset);
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  __syncthreads();
  if (lane == 0) partial[warp] = value;
  __syncthreads();
  float total = 0.0f;
  for (int w = 0; w < (int)(blockDim.x / 32); ++w) total += partial[w];
  return total;
}

// One row per block: `(x - mean) * rsqrt(mean((x - mean)^2) + eps)` (mean 0 unless
// CENTRED), rounded to T, then times `weight` and plus `bias` in T where given.
template <typename T, bool CENTRED>
__device__ __forceinline__ void norm_rows(const T* in, const T* weight, const T* bias, T* out, int64_t rows, int64_t n, float eps) {
  float inverse_n = (float)(1.0 / (double)n);
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const T* x = in + row * n;
    T* y = out + row * n;
    float mean = 0.0f;
    if (CENTRED) {
      float total = 0.0f;
      for (int64_t i = threadIdx.x; i < n; i += blockDim.x) total += mx_ew::to_f32(x[i]);
      mean = block_sum(total) * inverse_n;
    }
    float squares = 0.0f;
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
      float d = mx_ew::to_f32(x[i]) - mean;
      squares += d * d;
    }
    float scale = 1.0f / sqrtf(block_sum(squares) * inverse_n + eps);
    for (int64_t i = threadIdx.x; i < n; i += blockDim.x) {
      T value = mx_ew::from_f32<T>((mx_ew::to_f32(x[i]) - mean) * scale);
      if (weight) value = BinaryMultiply()(value, weight[i]);
      if (bias) value = BinaryAdd()(value, bias[i]);
      y[i] = value;
    }
  }
}

// Rotary embedding, a thread per element of row-contiguous `[rows, width]` (rows in
// order of `[..., L]`). Offsets: one, or one per `rows_per_offset` rows. Frequencies:
// `exp(-i * step)`, or `1 / freqs[i]` when `freqs` is given.
template <typename T>
__device__ __forceinline__ void rope_elements(const T* in, T* out, const int32_t* offsets, int64_t offset_count, const float* freqs, int64_t rows, int64_t width, int64_t length, int64_t rows_per_offset, int64_t dims, int32_t traditional, float step, float scale) {
  int64_t half = dims / 2;
  for (int64_t e = global_thread(); e < rows * width; e += grid_threads()) {
    int64_t row = e / width, f = e % width;
    if (f >= dims) {
      out[e] = in[e];
      continue;
    }
    int64_t pair = traditional ? f / 2 : (f < half ? f : f - half);
    bool second = traditional ? (f % 2 == 1) : (f >= half);
    int64_t a = traditional ? 2 * pair : pair;
    int64_t b = traditional ? 2 * pair + 1 : pair + half;
    int32_t offset = offsets[offset_count > 1 ? row / rows_per_offset : 0];
    float position = ((float)(row % length) + (float)offset) * scale;
    float inverse = freqs ? 1.0f / freqs[pair] : expf(-(float)pair * step);
    float theta = position * inverse;
    T c = mx_ew::from_f32<T>(cosf(theta)), s = mx_ew::from_f32<T>(sinf(theta));
    const T* x = in + row * width;
    T x1 = x[a], x2 = x[b];
    out[e] = second ? BinaryAdd()(BinaryMultiply()(x1, s), BinaryMultiply()(x2, c))
                    : BinarySubtract()(BinaryMultiply()(x1, c), BinaryMultiply()(x2, s));
  }
}

// The mask of an attention kernel: kind 0 none, 1 causal, 2 keep (bool), 3 additive (T);
// array masks are read through their strides over [B, Hq, L, S].
struct AttentionMaskView {
  const void* data;
  int64_t strides[4];
  int32_t kind;
};

// Attention, a block per query row: each warp takes every `warps`-th key, its lanes
// holding CHUNKS strided pieces of the depth. A first pass over the keys takes the
// softmax's max and sum (merged across warps), a second one the probabilities (rounded to
// T, as MLX's composition rounds them) times the values, summed across warps at the end.
// Depths up to 32 * CHUNKS <= 256.
template <typename T, int CHUNKS>
__device__ __forceinline__ void attention_rows(const T* q, const T* k, const T* v, const T* sinks, T* out, AttentionMaskView mask, int64_t batch, int64_t heads, int64_t kv_heads, int64_t queries, int64_t keys, int64_t depth, int64_t depth_v, float scale, float lowest) {
  __shared__ float warp_max[32];
  __shared__ float warp_sum[32];
  __shared__ int warp_nan[32];
  __shared__ float partial[32][32 * CHUNKS];
  int lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = blockDim.x / 32;
  int64_t repeats = heads / kv_heads;
  T scale_t = mx_ew::from_f32<T>(scale);
  for (int64_t row = blockIdx.x; row < batch * heads * queries; row += gridDim.x) {
    int64_t i = row % queries, head_index = row / queries;
    int64_t b = head_index / heads, h = head_index % heads;
    int64_t kv = b * kv_heads + h / repeats;
    const T* query = q + row * depth;
    const T* key_head = k + kv * keys * depth;
    const T* value_head = v + kv * keys * depth_v;
    float scaled[CHUNKS];
#pragma unroll
    for (int c = 0; c < CHUNKS; ++c) {
      int64_t d = lane + 32 * c;
      scaled[c] = d < depth ? mx_ew::to_f32(BinaryMultiply()(query[d], scale_t)) : 0.0f;
    }
    // Keys past a causal row's last are masked: they add nothing once the row sees one.
    int64_t seen = i + keys - queries + 1;
    seen = seen < 0 ? 0 : (seen > keys ? keys : seen);
    int64_t limit = (mask.kind == 1 && seen > 0) ? seen : keys;
    auto score = [&](int64_t j) -> float {
      const T* key = key_head + j * depth;
      float dot = 0.0f;
#pragma unroll
      for (int c = 0; c < CHUNKS; ++c) {
        int64_t d = lane + 32 * c;
        if (d < depth) dot += scaled[c] * mx_ew::to_f32(key[d]);
      }
#pragma unroll
      for (int offset = 16; offset > 0; offset >>= 1) dot += __shfl_xor_sync(0xffffffffu, dot, offset);
      float s = round_to<T>(dot);
      if (mask.kind == 1) {
        if (j >= seen) s = lowest;
      } else if (mask.kind >= 2) {
        int64_t at = b * mask.strides[0] + h * mask.strides[1] + i * mask.strides[2] + j * mask.strides[3];
        if (mask.kind == 2) {
          if (!((const bool*)mask.data)[at]) s = lowest;
        } else {
          s = mx_ew::to_f32(BinaryAdd()(mx_ew::from_f32<T>(s), ((const T*)mask.data)[at]));
        }
      }
      return s;
    };
    MaxSum own{-__int_as_float(0x7f800000), 0.0f};
    bool nan = false;
    for (int64_t j = warp; j < limit; j += warps) accumulate(own, nan, score(j));
    if (lane == 0) {
      warp_max[warp] = own.max;
      warp_sum[warp] = own.sum;
      warp_nan[warp] = nan;
    }
    __syncthreads();
    MaxSum total{-__int_as_float(0x7f800000), 0.0f};
    nan = false;
    if (sinks) accumulate(total, nan, mx_ew::to_f32(sinks[h]));
    for (int w = 0; w < warps; ++w) {
      total = merge(total, MaxSum{warp_max[w], warp_sum[w]});
      nan = nan || warp_nan[w];
    }
    bool poisoned = poisoned_row(total, nan);
    float inverse = 1.0f / total.sum;
    float acc[CHUNKS];
#pragma unroll
    for (int c = 0; c < CHUNKS; ++c) acc[c] = 0.0f;
    for (int64_t j = warp; j < limit; j += warps) {
      float p = round_to<T>(softmax_of(score(j), total, inverse, poisoned));
      const T* value = value_head + j * depth_v;
#pragma unroll
      for (int c = 0; c < CHUNKS; ++c) {
        int64_t d = lane + 32 * c;
        if (d < depth_v) acc[c] += p * mx_ew::to_f32(value[d]);
      }
    }
#pragma unroll
    for (int c = 0; c < CHUNKS; ++c) partial[warp][lane + 32 * c] = acc[c];
    __syncthreads();
    for (int64_t d = threadIdx.x; d < depth_v; d += blockDim.x) {
      float sum = 0.0f;
      for (int w = 0; w < warps; ++w) sum += partial[w][d];
      out[row * depth_v + d] = mx_ew::from_f32<T>(sum);
    }
    __syncthreads();
  }
}
