// Elementwise kernel bodies. The host generates `extern "C"` wrappers that instantiate
// them for one op and dtype; output types follow from the functor's return type.

// Dense input and output move in 16-byte vectors (when aligned), so that each thread
// keeps several loads in flight; the tail runs element by element.
template <typename Op, typename In>
__device__ __forceinline__ void unary_flat(const In* in, decltype(Op()(In()))* out, int64_t n) {
  using Out = decltype(Op()(In()));
  constexpr int V = 16 / sizeof(In);
  bool aligned = aligned_to(in, sizeof(In) * V) && aligned_to(out, sizeof(Out) * V);
  int64_t vectors = aligned ? n / V : 0;
  for (int64_t j = global_thread(); j < vectors; j += grid_threads()) {
    Pack<In, V> a = ((const Pack<In, V>*)in)[j];
    Pack<Out, V> r;
#pragma unroll
    for (int k = 0; k < V; ++k) r.v[k] = Op()(a.v[k]);
    ((Pack<Out, V>*)out)[j] = r;
  }
  for (int64_t i = vectors * V + global_thread(); i < n; i += grid_threads()) out[i] = Op()(in[i]);
}

template <typename Op, typename In>
__device__ __forceinline__ void unary_strided(const In* in, decltype(Op()(In()))* out, int64_t n, const Layout<1>& layout) {
  for (int64_t i = global_thread(); i < n; i += grid_threads()) {
    int64_t offsets[1];
    layout_offsets<1>(i, layout, offsets);
    out[i] = Op()(in[offsets[0]]);
  }
}

// Each operand is dense (mode 0), one scalar in device memory (mode 1), or one scalar
// passed by value (mode 2, a host constant that needs no upload). Modes are uniform
// across the grid, so the branches cost nothing.
template <typename In>
__device__ __forceinline__ In scalar_operand(const In* pointer, int32_t mode, In value) {
  return mode == 1 ? pointer[0] : value;
}

template <typename Op, typename In>
__device__ __forceinline__ void binary_flat(const In* a, const In* b, decltype(Op()(In(), In()))* out, int64_t n, int32_t a_mode, int32_t b_mode, In a_value, In b_value) {
  using Out = decltype(Op()(In(), In()));
  constexpr int V = 16 / sizeof(In);
  In a_scalar = a_mode == 0 ? In() : scalar_operand(a, a_mode, a_value);
  In b_scalar = b_mode == 0 ? In() : scalar_operand(b, b_mode, b_value);
  bool aligned = (a_mode != 0 || aligned_to(a, sizeof(In) * V)) && (b_mode != 0 || aligned_to(b, sizeof(In) * V)) && aligned_to(out, sizeof(Out) * V);
  int64_t vectors = aligned ? n / V : 0;
  for (int64_t j = global_thread(); j < vectors; j += grid_threads()) {
    Pack<In, V> x, y;
    if (a_mode == 0) x = ((const Pack<In, V>*)a)[j];
    if (b_mode == 0) y = ((const Pack<In, V>*)b)[j];
    Pack<Out, V> r;
#pragma unroll
    for (int k = 0; k < V; ++k) r.v[k] = Op()(a_mode == 0 ? x.v[k] : a_scalar, b_mode == 0 ? y.v[k] : b_scalar);
    ((Pack<Out, V>*)out)[j] = r;
  }
  for (int64_t i = vectors * V + global_thread(); i < n; i += grid_threads()) {
    out[i] = Op()(a_mode == 0 ? a[i] : a_scalar, b_mode == 0 ? b[i] : b_scalar);
  }
}

template <typename Op, typename In>
__device__ __forceinline__ void binary_strided(const In* a, const In* b, decltype(Op()(In(), In()))* out, int64_t n, const Layout<2>& layout) {
  for (int64_t i = global_thread(); i < n; i += grid_threads()) {
    int64_t offsets[2];
    layout_offsets<2>(i, layout, offsets);
    out[i] = Op()(a[offsets[0]], b[offsets[1]]);
  }
}

template <typename T>
__device__ __forceinline__ void select_strided(const bool* condition, const T* x, const T* y, T* out, int64_t n, const Layout<3>& layout) {
  for (int64_t i = global_thread(); i < n; i += grid_threads()) {
    int64_t offsets[3];
    layout_offsets<3>(i, layout, offsets);
    out[i] = condition[offsets[0]] ? x[offsets[1]] : y[offsets[2]];
  }
}

template <typename From, typename To>
__device__ __forceinline__ void convert_flat(const From* in, To* out, int64_t n) {
  for (int64_t i = global_thread(); i < n; i += grid_threads()) out[i] = mx_cast<To, From>(in[i]);
}

template <typename From, typename To>
__device__ __forceinline__ void convert_strided(const From* in, To* out, int64_t n, const Layout<1>& layout) {
  for (int64_t i = global_thread(); i < n; i += grid_threads()) {
    int64_t offsets[1];
    layout_offsets<1>(i, layout, offsets);
    out[i] = mx_cast<To, From>(in[offsets[0]]);
  }
}

// Copies an operand into a strided region of another array (concatenation's parts).
template <typename T>
__device__ __forceinline__ void copy_into_strided(const T* in, T* out, int64_t n, const Layout<2>& layout) {
  for (int64_t i = global_thread(); i < n; i += grid_threads()) {
    int64_t offsets[2];
    layout_offsets<2>(i, layout, offsets);
    out[offsets[1]] = in[offsets[0]];
  }
}

// arange as MLX's GPU computes it: start + i * step, not a running sum.
template <typename T>
__device__ __forceinline__ void arange_integer(T* out, int64_t n, int64_t start, int64_t step) {
  for (int64_t i = global_thread(); i < n; i += grid_threads()) {
    out[i] = mx_cast<T, int64_t>((int64_t)((uint64_t)start + (uint64_t)step * (uint64_t)i));
  }
}

template <typename T>
__device__ __forceinline__ void arange_float(T* out, int64_t n, float start, float step) {
  for (int64_t i = global_thread(); i < n; i += grid_threads()) out[i] = mx_cast<T, float>(start + step * (float)i);
}
