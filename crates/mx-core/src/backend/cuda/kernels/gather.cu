// Gather: out[p, w] = x[sum_k indices_k[p] * stride(axis_k) + window offset of w]. Index
// arrays arrive as dense int64; a negative index counts from the end. An index outside
// its axis sets the error record (first writer wins) and reads nothing.

#define MX_MAX_INDEX_ARRAYS 8

struct IndexArrays {
  const int64_t* indices[MX_MAX_INDEX_ARRAYS];
  int64_t stride[MX_MAX_INDEX_ARRAYS];
  int64_t bound[MX_MAX_INDEX_ARRAYS];
  int64_t limit[MX_MAX_INDEX_ARRAYS];
  int32_t axis[MX_MAX_INDEX_ARRAYS];
  int32_t count;
};

// The element offset of index position `p` (negative indices count from the end).
// An index outside its axis returns false and, with `error`, sets the error record:
// error[0] = 1 once an index was out of range; error[1] its axis, error[2] its value.
__device__ __forceinline__ bool index_offset(const IndexArrays& arrays, int64_t p, int64_t* offset, unsigned long long* error) {
  *offset = 0;
  for (int k = 0; k < arrays.count; ++k) {
    int64_t value = arrays.indices[k][p];
    int64_t wrapped = value < 0 ? value + arrays.bound[k] : value;
    if (wrapped < 0 || wrapped > arrays.limit[k]) {
      if (error != nullptr && atomicCAS(error, 0ull, 1ull) == 0ull) {
        error[1] = (unsigned long long)arrays.axis[k];
        error[2] = (unsigned long long)value;
      }
      return false;
    }
    *offset += wrapped * arrays.stride[k];
  }
  return true;
}

template <typename W>
__device__ __forceinline__ void gather_words(const W* x, W* out, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window, unsigned long long* error) {
  int64_t n = positions * per;
  for (int64_t i = global_thread(); i < n; i += grid_threads()) {
    int64_t p = i / per, j = i % per;
    int64_t offset = 0;
    bool valid = index_offset(arrays, p, &offset, error);
    int64_t offsets[1];
    layout_offsets<1>(j, window, offsets);
    out[i] = valid ? x[offset + offsets[0]] : W();
  }
}

// `op(*slot, u)` stored atomically, for any element width: narrow elements are updated
// inside their aligned 32-bit word (device blocks are padded, so the word is ours).
template <typename T, typename Combine>
__device__ __forceinline__ void atomic_combine(T* slot, T u) {
  if constexpr (sizeof(T) == 8) {
    unsigned long long* word = (unsigned long long*)slot;
    unsigned long long old = *word, assumed;
    do {
      assumed = old;
      T current;
      memcpy(&current, &assumed, 8);
      T next = Combine()(current, u);
      unsigned long long bits;
      memcpy(&bits, &next, 8);
      old = atomicCAS(word, assumed, bits);
    } while (old != assumed);
  } else {
    unsigned long long address = (unsigned long long)slot;
    unsigned int* word = (unsigned int*)(address & ~3ull);
    unsigned int shift = (unsigned int)(address & 3ull) * 8u;
    unsigned int mask = sizeof(T) == 4 ? 0xffffffffu : (((1u << (8 * sizeof(T))) - 1u) << shift);
    unsigned int old = *word, assumed;
    do {
      assumed = old;
      unsigned int bits = assumed >> shift;
      T current;
      memcpy(&current, &bits, sizeof(T));
      T next = Combine()(current, u);
      unsigned int next_bits = 0;
      memcpy(&next_bits, &next, sizeof(T));
      old = atomicCAS(word, assumed, (assumed & ~mask) | ((next_bits << shift) & mask));
    } while (old != assumed);
  }
}

// The combining rules of scatter: MLX's `(out > u) ? out : u` for max, and its mirror.
struct ScatterAdd { template <typename T> __device__ __forceinline__ T operator()(T slot, T u) const { return BinaryAdd()(slot, u); } };
struct ScatterProd { template <typename T> __device__ __forceinline__ T operator()(T slot, T u) const { return BinaryMultiply()(slot, u); } };
struct ScatterMax { template <typename T> __device__ __forceinline__ T operator()(T slot, T u) const { return BinaryLess()(u, slot) ? slot : u; } };
struct ScatterMin { template <typename T> __device__ __forceinline__ T operator()(T slot, T u) const { return BinaryLess()(slot, u) ? slot : u; } };

// One thread per (index position, window element). Out-of-range positions set the error
// record and write nothing; the host then fails the op, as the CPU checks first.
template <typename Body>
__device__ __forceinline__ void scatter_positions(int64_t positions, int64_t per, const IndexArrays& arrays, const Layout<1>& window, unsigned long long* error, Body body) {
  int64_t n = positions * per;
  for (int64_t i = global_thread(); i < n; i += grid_threads()) {
    int64_t p = i / per, j = i % per;
    int64_t base = 0;
    if (!index_offset(arrays, p, &base, error)) continue;
    int64_t offsets[1];
    layout_offsets<1>(j, window, offsets);
    body(i, p, base + offsets[0]);
  }
}

// Scatter-combine: duplicates and overlapping windows meet in atomic updates, so sums
// and products of floats may round in another order than the CPU's (as on MLX's GPUs).
template <typename T, typename Combine>
__device__ __forceinline__ void scatter_combine(T* out, const T* updates, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window, unsigned long long* error) {
  scatter_positions(positions, per, arrays, window, error, [&](int64_t i, int64_t, int64_t target) {
    atomic_combine<T, Combine>(out + target, updates[i]);
  });
}

// Scatter-set in two passes with the CPU's result: the last index position that writes a
// slot claims it (atomicMax of p + 1 over a zeroed claim array), then only it writes.
__device__ __forceinline__ void claim_slots(uint32_t* claims, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window, unsigned long long* error) {
  scatter_positions(positions, per, arrays, window, error, [&](int64_t, int64_t p, int64_t target) {
    atomicMax(claims + target, (uint32_t)(p + 1));
  });
}

template <typename T>
__device__ __forceinline__ void write_claimed(T* out, const T* updates, const uint32_t* claims, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window) {
  scatter_positions(positions, per, arrays, window, nullptr, [&](int64_t i, int64_t p, int64_t target) {
    if (claims[target] == (uint32_t)(p + 1)) out[target] = updates[i];
  });
}
