// The Walsh–Hadamard transform of rows, in place, in MLX's order of operations: one
// launch per radix-2 stage over every block of n = 2^k (rounded to T after each stage,
// the last one scaled), then the order-m matrix across the m blocks of each row.

template <typename T>
__device__ void hadamard_stage_elements(T* data, int64_t pairs, int64_t n, int64_t h, float scale, int last) {
  int64_t half = n / 2;
  for (int64_t index = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; index < pairs;
       index += (int64_t)gridDim.x * blockDim.x) {
    int64_t block = index / half;
    int64_t i = index - block * half;
    int64_t k = i & (h - 1);
    int64_t j = block * n + ((i - k) << 1) + k;
    float x = (float)data[j];
    float y = (float)data[j + h];
    T a = (T)(x + y);
    T b = (T)(x - y);
    if (last) {
      a = (T)((float)a * scale);
      b = (T)((float)b * scale);
    }
    data[j] = a;
    data[j + h] = b;
  }
}

// `signs` holds the order-m matrix row by row (+1 / -1); thread (row, i) mixes the m
// elements i, i + n, .. of its row, accumulating in float in the matrix's column order.
template <typename T>
__device__ void hadamard_mix_elements(T* data, const signed char* signs, int64_t rows, int64_t m, int64_t n,
                                      float scale, int transpose) {
  float values[28];
  for (int64_t index = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; index < rows * n;
       index += (int64_t)gridDim.x * blockDim.x) {
    int64_t row = index / n;
    int64_t i = index - row * n;
    T* base = data + row * m * n + i;
    for (int64_t k = 0; k < m; ++k) values[k] = (float)base[k * n];
    for (int64_t j = 0; j < m; ++j) {
      float acc = 0.0f;
      for (int64_t k = 0; k < m; ++k) {
        signed char sign = transpose ? signs[k * m + j] : signs[j * m + k];
        acc = sign > 0 ? acc + values[k] : acc - values[k];
      }
      base[j * n] = (T)(acc * scale);
    }
  }
}
