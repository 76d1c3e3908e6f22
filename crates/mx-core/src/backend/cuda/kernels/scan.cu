// Inclusive and exclusive scans over dense rows, forward or reversed: one block per
// row, walking it in chunks of blockDim elements with the running total carried over.
// Folds and identities come from reduce.cu. As on the CPU, the identity is never folded
// into an element: it only starts an exclusive scan (and pads lanes past the row's end),
// which matters where it is not an exact identity (complex products of infinities, the
// sign of -0.0 in sums).

// Complex logcumsumexp folds with the CPU scan's `complex_logaddexp` (cpu/lanes.rs), which
// passes infinities through, not with the elementwise logaddexp.
struct FoldLogAddExp {
  template <typename A> __device__ __forceinline__ A operator()(A a, A b) const {
    if constexpr (mx_ew::is_complex<A>::value) return mx_cx::logaddexp_scan(a, b);
    else return BinaryLogAddExp()(a, b);
  }
};

// The identity of logcumsumexp: -inf cast to the accumulator, as on the CPU; for
// complex64 that is (-inf, 0).
struct IdentityLogAddExp {
  template <typename A> __device__ static A get() { return mx_cast<A, float>(-__int_as_float(0x7f800000)); }
};

template <typename A>
__device__ __forceinline__ A shuffle_up(A value, int offset) {
  return shuffle_word<true, A>(value, offset);
}

template <typename Fold, typename A>
__device__ __forceinline__ A warp_inclusive_scan(A value, int lane) {
#pragma unroll
  for (int offset = 1; offset < 32; offset <<= 1) {
    A before = shuffle_up(value, offset);
    if (lane >= offset) value = Fold()(before, value);
  }
  return value;
}

template <typename Fold, typename Identity, typename T, typename A>
__device__ __forceinline__ void scan_rows(const T* in, T* out, int64_t rows, int64_t length, int32_t reverse, int32_t inclusive) {
  __shared__ A chunk[1024];
  __shared__ A warp_totals[32];
  const A identity = Identity::template get<A>();
  int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
  for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
    const T* source = in + row * length;
    T* target = out + row * length;
    A carry = identity;
    for (int64_t base = 0; base < length; base += blockDim.x) {
      int64_t step = base + threadIdx.x;
      int64_t position = reverse ? length - 1 - step : step;
      A value = step < length ? mx_cast<A, T>(source[position]) : identity;
      value = warp_inclusive_scan<Fold, A>(value, lane);
      if (lane == 31) warp_totals[warp] = value;
      __syncthreads();
      if (warp == 0) {
        A total = lane < warps ? warp_totals[lane] : identity;
        total = warp_inclusive_scan<Fold, A>(total, lane);
        warp_totals[lane] = total;
      }
      __syncthreads();
      if (warp > 0) value = Fold()(warp_totals[warp - 1], value);
      if (base > 0) value = Fold()(carry, value);
      chunk[threadIdx.x] = value;
      __syncthreads();
      if (step < length) {
        A result = inclusive ? value : (threadIdx.x == 0 ? carry : chunk[threadIdx.x - 1]);
        target[position] = mx_cast<T, A>(result);
      }
      int64_t last = length - base < (int64_t)blockDim.x ? length - base - 1 : blockDim.x - 1;
      carry = chunk[last];
      __syncthreads();
    }
  }
}

// Scans of strided lanes, one thread per lane, sequential along the lane. The output is
// lane-minor (position * lanes + lane), so a warp's stores coalesce; the host returns it
// as a view with the input's shape.
template <typename Fold, typename Identity, typename T, typename A>
__device__ __forceinline__ void scan_lanes(const T* in, T* out, int64_t lanes, const Layout<1>& lane_layout, int64_t length, int64_t stride, int32_t reverse, int32_t inclusive) {
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    int64_t base[1];
    layout_offsets<1>(lane, lane_layout, base);
    A carry = Identity::template get<A>();
    for (int64_t step = 0; step < length; ++step) {
      int64_t position = reverse ? length - 1 - step : step;
      A value = mx_cast<A, T>(in[base[0] + position * stride]);
      A result = carry;
      carry = step == 0 ? value : Fold()(carry, value);
      if (inclusive) result = carry;
      out[position * lanes + lane] = mx_cast<T, A>(result);
    }
  }
}

// Scans of few long strided lanes, split into `gridDim.y` parts along the scan order:
// each part's fold (`scan_lanes_totals`), each part's carry from the parts before it
// (`scan_lanes_carries`, in place), then each part's scan from its carry
// (`scan_lanes_parts`). Outputs are lane-minor, as in `scan_lanes`.
__device__ __forceinline__ void scan_part(int64_t length, int64_t& start, int64_t& end) {
  int64_t chunk = (length + gridDim.y - 1) / gridDim.y;
  start = (int64_t)blockIdx.y * chunk;
  end = min(length, start + chunk);
}

template <typename Fold, typename T, typename A>
__device__ __forceinline__ void scan_lanes_totals(const T* in, A* totals, int64_t lanes, const Layout<1>& lane_layout, int64_t length, int64_t stride, int32_t reverse) {
  int64_t start, end;
  scan_part(length, start, end);
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    int64_t base[1];
    layout_offsets<1>(lane, lane_layout, base);
    A total = A();
    for (int64_t step = start; step < end; ++step) {
      int64_t position = reverse ? length - 1 - step : step;
      A value = mx_cast<A, T>(in[base[0] + position * stride]);
      total = step == start ? value : Fold()(total, value);
    }
    totals[(int64_t)blockIdx.y * lanes + lane] = total;
  }
}

template <typename Fold, typename A>
__device__ __forceinline__ void scan_lanes_carries(A* totals, int64_t lanes, int64_t parts) {
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    A running = totals[lane];
    for (int64_t p = 1; p < parts; ++p) {
      A total = totals[p * lanes + lane];
      totals[p * lanes + lane] = running;
      running = Fold()(running, total);
    }
  }
}

template <typename Fold, typename Identity, typename T, typename A>
__device__ __forceinline__ void scan_lanes_parts(const T* in, T* out, const A* carries, int64_t lanes, const Layout<1>& lane_layout, int64_t length, int64_t stride, int32_t reverse, int32_t inclusive) {
  int64_t start, end;
  scan_part(length, start, end);
  for (int64_t lane = global_thread(); lane < lanes; lane += grid_threads()) {
    int64_t base[1];
    layout_offsets<1>(lane, lane_layout, base);
    bool carried = blockIdx.y > 0;
    A carry = carried ? carries[(int64_t)blockIdx.y * lanes + lane] : Identity::template get<A>();
    for (int64_t step = start; step < end; ++step) {
      int64_t position = reverse ? length - 1 - step : step;
      A value = mx_cast<A, T>(in[base[0] + position * stride]);
      A result = carry;
      carry = (step == 0 || (step == start && !carried)) ? value : Fold()(carry, value);
      if (inclusive) result = carry;
      out[position * lanes + lane] = mx_cast<T, A>(result);
    }
  }
}
