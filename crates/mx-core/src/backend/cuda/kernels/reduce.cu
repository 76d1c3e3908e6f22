// Row reductions: the host lays the reduced axes out last and contiguous, so each
// reduction is over a dense row. Long rows are split into `parts` segments reduced by
// separate blocks; a second launch folds the partial results.

// Sum, product, max and min fold with the elementwise functors, so wrapping and NaN
// rules are those of the elementwise ops; all and any fold truth values.
// Complex max and min are the CPU scan's (cpu/lanes.rs `combine`): the first value with a
// NaN part wins, then max takes the later operand on ties and min the earlier one. (The
// elementwise complex maximum has no NaN rule, which would make the result depend on the
// fold order.)
struct FoldSum { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const { return BinaryAdd()(a, b); } };
struct FoldProd { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const { return BinaryMultiply()(a, b); } };
struct FoldMax {
  template <typename A> __device__ __forceinline__ A operator()(A a, A b) const {
    if constexpr (mx_ew::is_complex<A>::value) {
      if (mx_cx::is_nan(a)) return a;
      if (mx_cx::is_nan(b)) return b;
      return mx_cx::less(b, a) ? a : b;
    } else {
      return BinaryMaximum()(a, b);
    }
  }
};
struct FoldMin {
  template <typename A> __device__ __forceinline__ A operator()(A a, A b) const {
    if constexpr (mx_ew::is_complex<A>::value) {
      if (mx_cx::is_nan(a)) return a;
      if (mx_cx::is_nan(b)) return b;
      return mx_cx::less(b, a) ? b : a;
    } else {
      return BinaryMinimum()(a, b);
    }
  }
};
struct FoldAll { __device__ __forceinline__ bool operator()(bool a, bool b) const { return a && b; } };
struct FoldAny { __device__ __forceinline__ bool operator()(bool a, bool b) const { return a || b; } };

// Shuffles move 32- or 64-bit words; narrower values ride in the low bytes. `UP` picks
// __shfl_up_sync (scans) over __shfl_xor_sync (folds).
template <bool UP, typename A>
__device__ __forceinline__ A shuffle_word(A value, int offset) {
  if constexpr (sizeof(A) == 8) {
    unsigned long long bits;
    memcpy(&bits, &value, 8);
    bits = UP ? __shfl_up_sync(0xffffffffu, bits, offset) : __shfl_xor_sync(0xffffffffu, bits, offset);
    memcpy(&value, &bits, 8);
  } else {
    unsigned int bits = 0;
    memcpy(&bits, &value, sizeof(A));
    bits = UP ? __shfl_up_sync(0xffffffffu, bits, offset) : __shfl_xor_sync(0xffffffffu, bits, offset);
    memcpy(&value, &bits, sizeof(A));
  }
  return value;
}

template <typename A>
__device__ __forceinline__ A shuffle_xor(A value, int offset) {
  return shuffle_word<false, A>(value, offset);
}

template <typename Fold, typename A>
__device__ __forceinline__ A warp_fold(A value) {
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) value = Fold()(value, shuffle_xor(value, offset));
  return value;
}

// Identities of the folds, per accumulator type.
template <typename A> struct Limits;
#define MX_LIMITS(T, LOW, HIGH) \
  template <> struct Limits<T> { \
    __device__ static T lowest() { return LOW; } \
    __device__ static T highest() { return HIGH; } \
  };
MX_LIMITS(bool, false, true)
MX_LIMITS(uint8_t, 0, 0xff)
MX_LIMITS(uint16_t, 0, 0xffff)
MX_LIMITS(uint32_t, 0u, 0xffffffffu)
MX_LIMITS(uint64_t, 0ull, 0xffffffffffffffffull)
MX_LIMITS(int8_t, -128, 127)
MX_LIMITS(int16_t, -32768, 32767)
MX_LIMITS(int32_t, (-2147483647 - 1), 2147483647)
MX_LIMITS(int64_t, (-9223372036854775807ll - 1), 9223372036854775807ll)
MX_LIMITS(float, -__int_as_float(0x7f800000), __int_as_float(0x7f800000))
// The CPU's `Arith::lowest` and `highest` of complex64: both parts infinite.
template <> struct Limits<mx_complex> {
  __device__ static mx_complex lowest() { return mx_cx::make(-mx_cx::f_inf(), -mx_cx::f_inf()); }
  __device__ static mx_complex highest() { return mx_cx::make(mx_cx::f_inf(), mx_cx::f_inf()); }
};

struct IdentitySum { template <typename A> __device__ static A get() { return mx_cast<A, int32_t>(0); } };
struct IdentityProd { template <typename A> __device__ static A get() { return mx_cast<A, int32_t>(1); } };
struct IdentityMax { template <typename A> __device__ static A get() { return Limits<A>::lowest(); } };
struct IdentityMin { template <typename A> __device__ static A get() { return Limits<A>::highest(); } };
struct IdentityAll { template <typename A> __device__ static A get() { return true; } };
struct IdentityAny { template <typename A> __device__ static A get() { return false; } };

template <typename Fold, typename A>
__device__ __forceinline__ A block_fold(A value, A identity) {
  __shared__ A partial[32];
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  value = warp_fold<Fold, A>(value);
  if (lane == 0) partial[warp] = value;
  __syncthreads();
  int warps = (blockDim.x + 31) >> 5;
  value = threadIdx.x < warps ? partial[lane] : identity;
  if (warp == 0) value = warp_fold<Fold, A>(value);
  return value;
}

// Reduces segment `blockIdx.x` of each row `blockIdx.y + k * gridDim.y`, widening elements
// to the accumulator. Aligned stretches are read 16 bytes per thread per load.
template <typename Fold, typename Identity, typename In, typename A, typename Out>
__device__ __forceinline__ void reduce_rows(const In* in, Out* out, int64_t rows, int64_t row_length, int64_t parts) {
  constexpr int V = sizeof(In) <= 16 ? 16 / sizeof(In) : 1;
  const A identity = Identity::template get<A>();
  int64_t segment = (row_length + parts - 1) / parts;
  segment = (segment + V - 1) / V * V;
  for (int64_t row = blockIdx.y; row < rows; row += gridDim.y) {
    int64_t begin = segment * blockIdx.x;
    int64_t end = begin + segment < row_length ? begin + segment : row_length;
    const In* source = in + row * row_length;
    A value = identity;
    int64_t vector_end = begin;
    if (begin < end && ((unsigned long long)(source + begin) & 15) == 0) {
      vector_end = begin + (end - begin) / V * V;
      const uint4* words = (const uint4*)(source + begin);
      int64_t count = (vector_end - begin) / V;
      // Four independent loads per thread are in flight before any is folded.
      for (int64_t j = threadIdx.x; j < count; j += 4 * blockDim.x) {
        uint4 word[4];
#pragma unroll
        for (int u = 0; u < 4; ++u) {
          if (j + u * blockDim.x < count) word[u] = words[j + u * blockDim.x];
        }
#pragma unroll
        for (int u = 0; u < 4; ++u) {
          if (j + u * blockDim.x < count) {
            In items[V];
            memcpy(items, &word[u], 16);
#pragma unroll
            for (int k = 0; k < V; ++k) value = Fold()(value, mx_cast<A, In>(items[k]));
          }
        }
      }
    }
    for (int64_t i = vector_end + threadIdx.x; i < end; i += blockDim.x) {
      value = Fold()(value, mx_cast<A, In>(source[i]));
    }
    value = block_fold<Fold, A>(value, identity);
    if (threadIdx.x == 0) out[row * parts + blockIdx.x] = mx_cast<Out, A>(value);
    // `block_fold`'s shared scratch is reused by the next row.
    __syncthreads();
  }
}

// Argmax and argmin over dense rows, with the CPU's order: a NaN beats everything and
// is never replaced, and ties keep the first index. Complex values are NaN with a NaN
// part and compare lexicographically (UnaryIsNan, BinaryLess), as on the CPU.
template <typename T, bool IsMax>
struct ArgOrder {
  __device__ __forceinline__ static bool better(T candidate, T best) {
    if (UnaryIsNan()(best)) return false;
    if (UnaryIsNan()(candidate)) return true;
    return IsMax ? BinaryLess()(best, candidate) : BinaryLess()(candidate, best);
  }
  // Merges two (value, index) candidates; a negative index marks an empty one.
  __device__ __forceinline__ static void merge(T& value, int64_t& index, T other_value, int64_t other_index) {
    if (other_index < 0) return;
    if (index < 0 || better(other_value, value) || (!better(value, other_value) && other_index < index)) {
      value = other_value;
      index = other_index;
    }
  }
};

template <typename T, bool IsMax>
__device__ __forceinline__ void arg_reduce_rows(const T* in, uint32_t* out, int64_t rows, int64_t length) {
  using Order = ArgOrder<T, IsMax>;
  // Raw storage: half types have constructors, which __shared__ arrays may not run.
  __shared__ alignas(8) unsigned char value_storage[32 * sizeof(T)];
  __shared__ int64_t indices[32];
  T* values = (T*)value_storage;
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const T* source = in + row * length;
    T value = T();
    int64_t index = -1;
    for (int64_t i = threadIdx.x; i < length; i += blockDim.x) Order::merge(value, index, source[i], i);
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
      T other_value = shuffle_xor(value, offset);
      int64_t other_index = shuffle_xor(index, offset);
      Order::merge(value, index, other_value, other_index);
    }
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    if (lane == 0) {
      values[warp] = value;
      indices[warp] = index;
    }
    __syncthreads();
    if (warp == 0) {
      value = lane < warps ? values[lane] : T();
      index = lane < warps ? indices[lane] : -1;
#pragma unroll
      for (int offset = 16; offset > 0; offset >>= 1) {
        T other_value = shuffle_xor(value, offset);
        int64_t other_index = shuffle_xor(index, offset);
        Order::merge(value, index, other_value, other_index);
      }
      if (lane == 0) out[row] = (uint32_t)index;
    }
    __syncthreads();
  }
}

// Strided lanes: one thread per lane (an output of a reduction whose elements are not
// dense), reading the input through its strides instead of copying it first. `lane_layout`
// gives each lane's first element; a lane's elements are the positions of `outer` (a
// layout over the other reduced axes, `outer_count` of them) times `inner` elements
// `inner_stride` apart. Neighbouring lanes are usually neighbours in memory, so a warp's
// loads coalesce.
//
// Few long lanes are split into `gridDim.y` parts so that enough threads are in flight to
// hide memory latency: part `blockIdx.y` folds its share of each lane into row
// `blockIdx.y` of `out`, and a second launch folds those rows.
template <typename Fold, typename Identity, typename In, typename A, typename Out>
__device__ __forceinline__ void reduce_lanes(const In* in, Out* out, int64_t lanes, const Layout<1>& lane_layout, const Layout<1>& outer, int64_t outer_count, int64_t inner, int64_t inner_stride) {
  int64_t length = outer_count * inner;
  int64_t chunk = (length + gridDim.y - 1) / gridDim.y;
  int64_t start = (int64_t)blockIdx.y * chunk;
  int64_t end = min(length, start + chunk);
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    int64_t base[1];
    layout_offsets<1>(lane, lane_layout, base);
    A value = Identity::template get<A>();
    int64_t o = start < end ? start / inner : 0;
    int64_t i = start < end ? start - o * inner : 0;
    for (int64_t e = start; e < end; ++o, i = 0) {
      int64_t at[1];
      layout_offsets<1>(o, outer, at);
      const In* source = in + base[0] + at[0];
      int64_t stop = min(inner, i + (end - e));
      e += stop - i;
      // Four loads issued before they are folded keep more of them in flight.
      for (; i + 4 <= stop; i += 4) {
        In v0 = source[i * inner_stride], v1 = source[(i + 1) * inner_stride];
        In v2 = source[(i + 2) * inner_stride], v3 = source[(i + 3) * inner_stride];
        value = Fold()(value, mx_cast<A, In>(v0));
        value = Fold()(value, mx_cast<A, In>(v1));
        value = Fold()(value, mx_cast<A, In>(v2));
        value = Fold()(value, mx_cast<A, In>(v3));
      }
      for (; i < stop; ++i) value = Fold()(value, mx_cast<A, In>(source[i * inner_stride]));
    }
    out[(int64_t)blockIdx.y * lanes + lane] = mx_cast<Out, A>(value);
  }
}

// Argmax and argmin of strided lanes of `length` elements `stride` apart, with the order of
// `arg_reduce_rows`.
template <typename T, bool IsMax>
__device__ __forceinline__ void arg_reduce_lanes(const T* in, uint32_t* out, int64_t lanes, const Layout<1>& lane_layout, int64_t length, int64_t stride) {
  using Order = ArgOrder<T, IsMax>;
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    int64_t base[1];
    layout_offsets<1>(lane, lane_layout, base);
    T value = T();
    int64_t index = -1;
    for (int64_t i = 0; i < length; ++i) Order::merge(value, index, in[base[0] + i * stride], i);
    out[lane] = (uint32_t)index;
  }
}

// Part `blockIdx.y` of `gridDim.y` of each lane of `arg_reduce_lanes`: its candidate value
// and index (-1 for an empty part) at `part * lanes + lane`.
template <typename T, bool IsMax>
__device__ __forceinline__ void arg_reduce_lanes_partial(const T* in, T* values, int64_t* indices, int64_t lanes, const Layout<1>& lane_layout, int64_t length, int64_t stride) {
  using Order = ArgOrder<T, IsMax>;
  int64_t chunk = (length + gridDim.y - 1) / gridDim.y;
  int64_t start = (int64_t)blockIdx.y * chunk;
  int64_t end = min(length, start + chunk);
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    int64_t base[1];
    layout_offsets<1>(lane, lane_layout, base);
    T value = T();
    int64_t index = -1;
    for (int64_t i = start; i < end; ++i) Order::merge(value, index, in[base[0] + i * stride], i);
    values[(int64_t)blockIdx.y * lanes + lane] = value;
    indices[(int64_t)blockIdx.y * lanes + lane] = index;
  }
}

// The winner of each lane's `parts` candidates.
template <typename T, bool IsMax>
__device__ __forceinline__ void arg_reduce_parts(const T* values, const int64_t* indices, uint32_t* out, int64_t lanes, int64_t parts) {
  using Order = ArgOrder<T, IsMax>;
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    T value = T();
    int64_t index = -1;
    for (int64_t p = 0; p < parts; ++p) Order::merge(value, index, values[p * lanes + lane], indices[p * lanes + lane]);
    out[lane] = (uint32_t)index;
  }
}
