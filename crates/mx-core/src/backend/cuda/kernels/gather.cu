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

// error[0] = 1 once an index was out of range; error[1] its axis, error[2] its value.
template <typename W>
__device__ __forceinline__ void gather_words(const W* x, W* out, int64_t positions, int64_t per, IndexArrays arrays, Layout<1> window, unsigned long long* error) {
  int64_t n = positions * per;
  for (int64_t i = global_thread(); i < n; i += grid_threads()) {
    int64_t p = i / per, j = i % per;
    int64_t offset = 0;
    bool valid = true;
    for (int k = 0; k < arrays.count; ++k) {
      int64_t value = arrays.indices[k][p];
      int64_t wrapped = value < 0 ? value + arrays.bound[k] : value;
      if (wrapped < 0 || wrapped > arrays.limit[k]) {
        if (atomicCAS(error, 0ull, 1ull) == 0ull) {
          error[1] = (unsigned long long)arrays.axis[k];
          error[2] = (unsigned long long)value;
        }
        valid = false;
        break;
      }
      offset += wrapped * arrays.stride[k];
    }
    int64_t offsets[1];
    layout_offsets<1>(j, window, offsets);
    out[i] = valid ? x[offset + offsets[0]] : W();
  }
}
