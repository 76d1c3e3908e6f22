// Sort and argsort of rows too long for one block's shared memory: the same bitonic
// network over (value, index) pairs as sort.cu (whose compare_exchange it uses), on rows padded to `padded` (a power of
// two) in global memory. Steps whose partners lie within CHUNK elements run in shared
// memory, one block per chunk; the wider ones run as one launch per step.

// Elements a block holds in shared memory (two per thread of a 1024-thread block).
#define MX_SORT_CHUNK 2048

// Copies each row in and pads it with sentinels (index 0xffffffff sorts last).
template <typename T>
__device__ __forceinline__ void sort_fill(const T* in, T* keys, uint32_t* indices, const Layout<1>& row_layout, int64_t stride, int64_t rows, int64_t length, int64_t padded) {
  for (int64_t k = global_thread(); k < rows * padded; k += grid_threads()) {
    int64_t row = k / padded, i = k % padded;
    if (i < length) {
      int64_t first[1];
      layout_offsets<1>(row, row_layout, first);
      keys[k] = in[first[0] + i * stride];
      indices[k] = (uint32_t)i;
    } else {
      indices[k] = 0xffffffffu;
    }
  }
}

// One step of the network (pairs `stride` apart within blocks of `size`), over all rows.
template <typename T>
__device__ __forceinline__ void sort_step(T* keys, uint32_t* indices, int64_t total, int64_t padded, int64_t size, int64_t stride) {
  for (int64_t p = global_thread(); p < total / 2; p += grid_threads()) {
    int64_t i = (p / stride) * 2 * stride + (p % stride);
    compare_exchange(keys, indices, i, i + stride, ((i % padded) & size) == 0);
  }
}

// The steps of sizes `first_size`..`last_size` whose stride is below MX_SORT_CHUNK, for the
// chunk of block `blockIdx.x`, in shared memory.
template <typename T>
__device__ __forceinline__ void sort_chunk(T* keys, uint32_t* indices, int64_t padded, int64_t first_size, int64_t last_size) {
  __shared__ T chunk_keys[MX_SORT_CHUNK];
  __shared__ uint32_t chunk_indices[MX_SORT_CHUNK];
  int64_t base = (int64_t)blockIdx.x * MX_SORT_CHUNK;
  for (int i = threadIdx.x; i < MX_SORT_CHUNK; i += blockDim.x) {
    chunk_keys[i] = keys[base + i];
    chunk_indices[i] = indices[base + i];
  }
  __syncthreads();
  for (int64_t size = first_size; size <= last_size; size <<= 1) {
    int64_t stride = size >> 1;
    if (stride > MX_SORT_CHUNK / 2) stride = MX_SORT_CHUNK / 2;
    for (; stride > 0; stride >>= 1) {
      for (int p = threadIdx.x; p < MX_SORT_CHUNK / 2; p += blockDim.x) {
        int i = (p / (int)stride) * 2 * (int)stride + (p % (int)stride);
        bool ascending = (((base + i) % padded) & size) == 0;
        compare_exchange(chunk_keys, chunk_indices, i, i + stride, ascending);
      }
      __syncthreads();
    }
  }
  for (int i = threadIdx.x; i < MX_SORT_CHUNK; i += blockDim.x) {
    keys[base + i] = chunk_keys[i];
    indices[base + i] = chunk_indices[i];
  }
}

// Writes the first `length` sorted values (or their indices) of each row.
template <typename T, bool ARG>
__device__ __forceinline__ void sort_output(const T* keys, const uint32_t* indices, void* out, int64_t rows, int64_t length, int64_t padded) {
  for (int64_t k = global_thread(); k < rows * length; k += grid_threads()) {
    int64_t row = k / length, i = k % length;
    if (ARG) ((uint32_t*)out)[k] = indices[row * padded + i];
    else ((T*)out)[k] = keys[row * padded + i];
  }
}
