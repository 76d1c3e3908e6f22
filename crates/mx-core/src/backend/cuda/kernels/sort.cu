// Sort and argsort of rows that fit in shared memory: a bitonic network over
// (value, index) pairs, padded to a power of two with sentinels. Ties order by index, so
// the result is stable; NaN sorts last, as on the CPU.

template <typename T>
__device__ __forceinline__ bool pair_greater(T a, uint32_t ia, T b, uint32_t ib) {
  // Padding (index 0xffffffff) is larger than every element.
  if (ia == 0xffffffffu || ib == 0xffffffffu) return ia > ib;
  bool a_nan = UnaryIsNan()(a), b_nan = UnaryIsNan()(b);
  if (a_nan != b_nan) return a_nan;
  if (!a_nan) {
    if (BinaryLess()(b, a)) return true;
    if (BinaryLess()(a, b)) return false;
  }
  return ia > ib;
}

// Puts the pair at i and j in ascending (or descending) order.
template <typename T>
__device__ __forceinline__ void compare_exchange(T* keys, uint32_t* indices, int64_t i, int64_t j, bool ascending) {
  if (pair_greater(keys[i], indices[i], keys[j], indices[j]) == ascending) {
    T key = keys[i];
    keys[i] = keys[j];
    keys[j] = key;
    uint32_t index = indices[i];
    indices[i] = indices[j];
    indices[j] = index;
  }
}

template <typename T, bool ARG>
__device__ __forceinline__ void sort_rows(const T* in, void* out, const Layout<1>& row_layout, int64_t stride, int64_t rows, int64_t length, int64_t padded) {
  extern __shared__ __align__(16) unsigned char shared[];
  uint32_t* indices = (uint32_t*)shared;
  T* keys = (T*)(shared + padded * sizeof(uint32_t));
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    int64_t first[1];
    layout_offsets<1>(row, row_layout, first);
    const T* source = in + first[0];
    for (int64_t i = threadIdx.x; i < padded; i += blockDim.x) {
      if (i < length) {
        keys[i] = source[i * stride];
        indices[i] = (uint32_t)i;
      } else {
        indices[i] = 0xffffffffu;
      }
    }
    __syncthreads();
    for (int64_t size = 2; size <= padded; size <<= 1) {
      for (int64_t stride = size >> 1; stride > 0; stride >>= 1) {
        for (int64_t i = threadIdx.x; i < padded; i += blockDim.x) {
          int64_t j = i ^ stride;
          if (j > i) compare_exchange(keys, indices, i, j, (i & size) == 0);
        }
        __syncthreads();
      }
    }
    for (int64_t i = threadIdx.x; i < length; i += blockDim.x) {
      if (ARG) ((uint32_t*)out)[row * length + i] = indices[i];
      else ((T*)out)[row * length + i] = keys[i];
    }
    __syncthreads();
  }
}
