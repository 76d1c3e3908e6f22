// Softmax and logsumexp over contiguous rows, computed in float32 whatever the stored
// type. One pass keeps a running (max, sum of exp(x - max)) per thread, merged across
// the block; softmax then makes a second pass to write.

struct MaxSum {
  float max;
  float sum;
};

// Merges two running pairs; -inf maxima contribute nothing (and must not make NaN).
__device__ __forceinline__ MaxSum merge(MaxSum a, MaxSum b) {
  float max = fmaxf(a.max, b.max);
  if (max == -__int_as_float(0x7f800000)) return MaxSum{max, 0.0f};
  float sum = (a.sum == 0.0f ? 0.0f : a.sum * __expf(a.max - max)) + (b.sum == 0.0f ? 0.0f : b.sum * __expf(b.max - max));
  return MaxSum{max, sum};
}

// Adds `x` to a running pair; a NaN only sets `nan`.
__device__ __forceinline__ void accumulate(MaxSum& acc, bool& nan, float x) {
  if (x != x) {
    nan = true;
    return;
  }
  // exp(-inf) adds nothing, and -inf - -inf would make the running sum NaN.
  if (x == -__int_as_float(0x7f800000)) return;
  if (x > acc.max) {
    acc.sum = acc.sum == 0.0f ? 0.0f : acc.sum * expf(acc.max - x);
    acc.max = x;
  }
  acc.sum += expf(x - acc.max);
}

// The logsumexp of a row from its pair: NaN with a NaN anywhere, an infinite maximum as is.
__device__ __forceinline__ float logsumexp_of(MaxSum total, bool nan) {
  if (nan) return __int_as_float(0x7fc00000);
  if (isinf(total.max)) return total.max;
  return total.max + logf(total.sum);
}

// A NaN anywhere, or an infinite maximum (inf - inf), makes the row NaN, as on the CPU.
__device__ __forceinline__ bool poisoned_row(MaxSum total, bool nan) {
  return nan || isinf(total.max);
}

// The softmax of `x` in a row with pair `total` and `scale = 1 / total.sum`.
__device__ __forceinline__ float softmax_of(float x, MaxSum total, float scale, bool poisoned) {
  return poisoned ? __int_as_float(0x7fc00000) : expf(x - total.max) * scale;
}

template <typename T>
__device__ __forceinline__ MaxSum row_max_sum(const T* row, int64_t length, bool* has_nan) {
  MaxSum acc{-__int_as_float(0x7f800000), 0.0f};
  bool nan = false;
  for (int64_t i = threadIdx.x; i < length; i += blockDim.x) accumulate(acc, nan, mx_cast<float, T>(row[i]));
  __shared__ float maxes[32];
  __shared__ float sums[32];
  __shared__ int nans;
  if (threadIdx.x == 0) nans = 0;
  __syncthreads();
  if (nan) atomicOr(&nans, 1);
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) {
    MaxSum other{__shfl_xor_sync(0xffffffffu, acc.max, offset), __shfl_xor_sync(0xffffffffu, acc.sum, offset)};
    acc = merge(acc, other);
  }
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  if (lane == 0) { maxes[warp] = acc.max; sums[warp] = acc.sum; }
  __syncthreads();
  int warps = (blockDim.x + 31) >> 5;
  acc = lane < warps ? MaxSum{maxes[lane], sums[lane]} : MaxSum{-__int_as_float(0x7f800000), 0.0f};
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) {
    MaxSum other{__shfl_xor_sync(0xffffffffu, acc.max, offset), __shfl_xor_sync(0xffffffffu, acc.sum, offset)};
    acc = merge(acc, other);
  }
  *has_nan = nans != 0;
  // The scratch is reused by the caller's next row.
  __syncthreads();
  return acc;
}

template <typename T>
__device__ __forceinline__ void softmax_rows(const T* in, T* out, int64_t rows, int64_t length) {
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const T* source = in + row * length;
    T* target = out + row * length;
    bool nan;
    MaxSum total = row_max_sum<T>(source, length, &nan);
    bool poisoned = poisoned_row(total, nan);
    float scale = 1.0f / total.sum;
    for (int64_t i = threadIdx.x; i < length; i += blockDim.x) {
      float x = mx_cast<float, T>(source[i]);
      float y = softmax_of(x, total, scale, poisoned);
      target[i] = mx_cast<T, float>(y);
    }
  }
}

template <typename T>
__device__ __forceinline__ void logsumexp_rows(const T* in, T* out, int64_t rows, int64_t length) {
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    bool nan;
    MaxSum total = row_max_sum<T>(in + row * length, length, &nan);
    if (threadIdx.x == 0) out[row] = mx_cast<T, float>(logsumexp_of(total, nan));
  }
}

// The value of `x` combined over the block with `Combine`, returned to every thread.
template <typename Combine>
__device__ __forceinline__ float block_all_reduce(float x, float identity) {
  __shared__ float scratch[32];
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) x = Combine()(x, __shfl_xor_sync(0xffffffffu, x, offset));
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
  if (lane == 0) scratch[warp] = x;
  __syncthreads();
  x = lane < warps ? scratch[lane] : identity;
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) x = Combine()(x, __shfl_xor_sync(0xffffffffu, x, offset));
  __syncthreads();
  return x;
}

struct CombineMax { __device__ __forceinline__ float operator()(float a, float b) const { return fmaxf(a, b); } };
struct CombineSum { __device__ __forceinline__ float operator()(float a, float b) const { return a + b; } };

// Softmax of rows that fit in registers: each thread holds `J` aligned 16-byte packs of
// its row, so the row is read once and written once. The host picks `J` and the block
// size so that J * V * blockDim covers the row, which is a whole number of packs.
template <typename T, int J>
__device__ __forceinline__ void softmax_rows_cached(const T* in, T* out, int64_t rows, int64_t length) {
  constexpr int V = 16 / sizeof(T);
  const float negative_infinity = -__int_as_float(0x7f800000);
  int64_t packs = length / V;
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const Pack<T, V>* source = (const Pack<T, V>*)(in + row * length);
    Pack<T, V>* target = (Pack<T, V>*)(out + row * length);
    float x[J][V];
    float max = negative_infinity, nan = 0.0f;
#pragma unroll
    for (int j = 0; j < J; ++j) {
      int64_t p = threadIdx.x + (int64_t)j * blockDim.x;
      Pack<T, V> pack;
      if (p < packs) pack = source[p];
#pragma unroll
      for (int v = 0; v < V; ++v) {
        float value = p < packs ? mx_cast<float, T>(pack.v[v]) : negative_infinity;
        if (value != value) nan = 1.0f;
        else max = fmaxf(max, value);
        x[j][v] = value;
      }
    }
    max = block_all_reduce<CombineMax>(max, negative_infinity);
    nan = block_all_reduce<CombineMax>(nan, 0.0f);
    float sum = 0.0f;
#pragma unroll
    for (int j = 0; j < J; ++j) {
#pragma unroll
      for (int v = 0; v < V; ++v) {
        x[j][v] = x[j][v] == negative_infinity ? 0.0f : expf(x[j][v] - max);
        sum += x[j][v];
      }
    }
    sum = block_all_reduce<CombineSum>(sum, 0.0f);
    // A NaN anywhere, or an infinite maximum (inf - inf), makes the row NaN, as on the CPU.
    bool poisoned = nan != 0.0f || isinf(max);
    float scale = 1.0f / sum;
#pragma unroll
    for (int j = 0; j < J; ++j) {
      int64_t p = threadIdx.x + (int64_t)j * blockDim.x;
      if (p < packs) {
        Pack<T, V> pack;
#pragma unroll
        for (int v = 0; v < V; ++v) pack.v[v] = mx_cast<T, float>(poisoned ? __int_as_float(0x7fc00000) : x[j][v] * scale);
        target[p] = pack;
      }
    }
  }
}

// Softmax or logsumexp of strided lanes, one thread per lane: `length` elements `stride`
// apart from each lane's first. Softmax writes lane-minor (position * lanes + lane), so a
// warp's stores coalesce; the host returns it as a view with the input's shape.
template <typename T>
__device__ __forceinline__ void softmax_lanes(const T* in, T* out, int64_t lanes, const Layout<1>& lane_layout, int64_t length, int64_t stride, int32_t logsumexp) {
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    int64_t base[1];
    layout_offsets<1>(lane, lane_layout, base);
    const T* source = in + base[0];
    MaxSum total{-__int_as_float(0x7f800000), 0.0f};
    bool nan = false;
    // Unrolled so that several strided loads are in flight per thread.
#pragma unroll 4
    for (int64_t i = 0; i < length; ++i) accumulate(total, nan, mx_cast<float, T>(source[i * stride]));
    if (logsumexp) {
      out[lane] = mx_cast<T, float>(logsumexp_of(total, nan));
      continue;
    }
    bool poisoned = poisoned_row(total, nan);
    float scale = 1.0f / total.sum;
#pragma unroll 4
    for (int64_t i = 0; i < length; ++i) {
      float x = mx_cast<float, T>(source[i * stride]);
      float y = softmax_of(x, total, scale, poisoned);
      out[i * lanes + lane] = mx_cast<T, float>(y);
    }
  }
}

// Softmax and logsumexp of few long strided lanes, split into `gridDim.y` parts: each
// part's running pair (`softmax_lanes_partial`), the lane's pair merged into row 0
// (`softmax_lanes_merge`, which writes logsumexp's result), then softmax's output for each
// part (`softmax_lanes_write`), lane-minor as in `softmax_lanes`.
template <typename T>
__device__ __forceinline__ void softmax_lanes_partial(const T* in, float* maxes, float* sums, int32_t* nans, int64_t lanes, const Layout<1>& lane_layout, int64_t length, int64_t stride) {
  int64_t chunk = (length + gridDim.y - 1) / gridDim.y;
  int64_t start = (int64_t)blockIdx.y * chunk, end = min(length, start + chunk);
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    int64_t base[1];
    layout_offsets<1>(lane, lane_layout, base);
    MaxSum total{-__int_as_float(0x7f800000), 0.0f};
    bool nan = false;
#pragma unroll 4
    for (int64_t i = start; i < end; ++i) accumulate(total, nan, mx_cast<float, T>(in[base[0] + i * stride]));
    int64_t at = (int64_t)blockIdx.y * lanes + lane;
    maxes[at] = total.max;
    sums[at] = total.sum;
    nans[at] = nan;
  }
}

template <typename T>
__device__ __forceinline__ void softmax_lanes_merge(float* maxes, float* sums, int32_t* nans, T* out, int64_t lanes, int64_t parts, int32_t logsumexp) {
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    MaxSum total{maxes[lane], sums[lane]};
    bool nan = nans[lane];
    for (int64_t p = 1; p < parts; ++p) {
      total = merge(total, MaxSum{maxes[p * lanes + lane], sums[p * lanes + lane]});
      nan = nan || nans[p * lanes + lane];
    }
    if (logsumexp) {
      out[lane] = mx_cast<T, float>(logsumexp_of(total, nan));
    } else {
      maxes[lane] = total.max;
      sums[lane] = total.sum;
      nans[lane] = nan;
    }
  }
}

template <typename T>
__device__ __forceinline__ void softmax_lanes_write(const T* in, T* out, const float* maxes, const float* sums, const int32_t* nans, int64_t lanes, const Layout<1>& lane_layout, int64_t length, int64_t stride) {
  int64_t chunk = (length + gridDim.y - 1) / gridDim.y;
  int64_t start = (int64_t)blockIdx.y * chunk, end = min(length, start + chunk);
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    int64_t base[1];
    layout_offsets<1>(lane, lane_layout, base);
    MaxSum total{maxes[lane], sums[lane]};
    bool poisoned = poisoned_row(total, nans[lane]);
    float scale = 1.0f / total.sum;
#pragma unroll 4
    for (int64_t i = start; i < end; ++i) {
      float y = softmax_of(mx_cast<float, T>(in[base[0] + i * stride]), total, scale, poisoned);
      out[i * lanes + lane] = mx_cast<T, float>(y);
    }
  }
}
