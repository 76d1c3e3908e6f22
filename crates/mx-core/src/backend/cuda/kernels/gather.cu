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

// Checks every index of a scatter before anything is written, as the CPU does.
__device__ __forceinline__ void check_indices(int64_t positions, IndexArrays arrays, unsigned long long* error) {
  for (int64_t p = global_thread(); p < positions; p += grid_threads()) {
    int64_t offset;
    index_offset(arrays, p, &offset, error);
  }
}

// Scatter with the CPU's order: one thread per window element walks the index positions
// in order, so duplicates resolve as they do there (the host only comes here when the
// window is 1 wide along every indexed axis, so threads never share a slot).
// KIND: 0 set, 1 add, 2 prod, 3 max, 4 min (MLX's `(out > u) ? out : u` and mirror).
template <typename T, int KIND>
__device__ __forceinline__ void scatter_ordered(T* out, const T* updates, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window) {
  for (int64_t j = global_thread(); j < per; j += grid_threads()) {
    int64_t offsets[1];
    layout_offsets<1>(j, window, offsets);
    for (int64_t p = 0; p < positions; ++p) {
      // Every index was checked before this kernel ran.
      int64_t base = 0;
      index_offset(arrays, p, &base, nullptr);
      T* slot = out + base + offsets[0];
      T u = updates[p * per + j];
      if (KIND == 0) *slot = u;
      else if (KIND == 1) *slot = BinaryAdd()(*slot, u);
      else if (KIND == 2) *slot = BinaryMultiply()(*slot, u);
      else if (KIND == 3) *slot = BinaryLess()(u, *slot) ? *slot : u;
      else *slot = BinaryLess()(*slot, u) ? *slot : u;
    }
  }
}
