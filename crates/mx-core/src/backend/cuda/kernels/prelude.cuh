// Shared by every mx kernel source: fixed-width integer types (NVRTC has no standard
// headers), the strided layout passed by value to kernels, and index arithmetic.
#include <cuda_fp16.h>
#include <cuda_bf16.h>

typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;

#define MX_MAX_DIMS 10

// The shape of an op's index space and, for each of its N operands, the element strides
// along it. Passed by value: kernel parameters live in constant memory.
template <int N>
struct Layout {
  int64_t shape[MX_MAX_DIMS];
  int64_t strides[N][MX_MAX_DIMS];
  int32_t ndim;
};

// The element offsets of row-major position `index` in each operand.
template <int N>
__device__ __forceinline__ void layout_offsets(int64_t index, const Layout<N>& layout, int64_t (&offsets)[N]) {
#pragma unroll
  for (int k = 0; k < N; ++k) offsets[k] = 0;
  for (int d = layout.ndim - 1; d >= 0; --d) {
    int64_t extent = layout.shape[d];
    int64_t coordinate = index % extent;
    index /= extent;
#pragma unroll
    for (int k = 0; k < N; ++k) offsets[k] += coordinate * layout.strides[k][d];
  }
}

__device__ __forceinline__ int64_t global_thread() {
  return (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ int64_t grid_threads() {
  return (int64_t)gridDim.x * blockDim.x;
}

// `V` elements moved as one aligned load or store (16 bytes of the input type).
template <typename T, int V>
struct alignas(sizeof(T) * V) Pack {
  T v[V];
};

template <typename T>
__device__ __forceinline__ bool aligned_to(const T* pointer, int bytes) {
  return ((unsigned long long)pointer % bytes) == 0;
}
