// Skinny products y = x · Wᵀ for up to ROWS rows of x, with W stored row-major (N x K),
// as language models keep their weights. One warp per output column n streams W's row n
// in 16-byte packs once and dots it with every row of x (which stays in L1/L2).
// The host guarantees K % V == 0 and 16-byte aligned rows.

template <typename T, int ROWS>
__device__ __forceinline__ void gemv_rows(const T* x, const T* w, T* y, int32_t m, int64_t n, int64_t k) {
  constexpr int V = 16 / sizeof(T);
  int lane = threadIdx.x & 31;
  int64_t warps = (int64_t)gridDim.x * (blockDim.x >> 5);
  int64_t packs = k / V;
  for (int64_t column = (int64_t)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); column < n; column += warps) {
    const Pack<T, V>* row = (const Pack<T, V>*)(w + column * k);
    float acc[ROWS];
#pragma unroll
    for (int r = 0; r < ROWS; ++r) acc[r] = 0.0f;
    for (int64_t p = lane; p < packs; p += 32) {
      Pack<T, V> weights = row[p];
      float wf[V];
#pragma unroll
      for (int v = 0; v < V; ++v) wf[v] = mx_cast<float, T>(weights.v[v]);
#pragma unroll
      for (int r = 0; r < ROWS; ++r) {
        if (r < m) {
          Pack<T, V> input = ((const Pack<T, V>*)(x + r * k))[p];
#pragma unroll
          for (int v = 0; v < V; ++v) acc[r] += wf[v] * mx_cast<float, T>(input.v[v]);
        }
      }
    }
#pragma unroll
    for (int r = 0; r < ROWS; ++r) {
#pragma unroll
      for (int offset = 16; offset > 0; offset >>= 1) acc[r] += __shfl_xor_sync(0xffffffffu, acc[r], offset);
      if (lane == 0 && r < m) y[r * n + column] = mx_cast<T, float>(acc[r]);
    }
  }
}
