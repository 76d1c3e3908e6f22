// im2col for channels-last convolutions: element (row, group, tap, channel) of the patch
// matrix is the input element that output position `row` reads through kernel tap `tap`
// (reversed when flipping), or zero in padding and input-dilation holes.

struct ConvGeometry {
  int64_t in_spatial[3];
  int64_t out_spatial[3];
  int64_t kernel[3];
  int64_t stride[3];
  int64_t pad_lo[3];
  int64_t kernel_dilation[3];
  int64_t input_dilation[3];
  int64_t channels;
  int64_t groups;
  int32_t spatial;
  int32_t flip;
};

template <typename T>
__device__ void im2col_elements(const T* x, T* columns, ConvGeometry g, int64_t rows) {
  int64_t cg = g.channels / g.groups;
  int64_t taps = 1, positions = 1, in_positions = 1;
  for (int a = 0; a < g.spatial; ++a) {
    taps *= g.kernel[a];
    positions *= g.out_spatial[a];
    in_positions *= g.in_spatial[a];
  }
  int64_t total = rows * g.groups * taps * cg;
  for (int64_t index = global_thread(); index < total; index += grid_threads()) {
    int64_t c = index % cg;
    int64_t rest = index / cg;
    int64_t tap = rest % taps;
    rest /= taps;
    int64_t group = rest % g.groups;
    int64_t row = rest / g.groups;
    int64_t n = row / positions;
    int64_t out_rest = row % positions;
    int64_t tap_rest = g.flip ? taps - 1 - tap : tap;
    int64_t offset = 0, step = 1;
    bool inside = true;
    for (int a = g.spatial - 1; a >= 0; --a) {
      int64_t o = out_rest % g.out_spatial[a];
      out_rest /= g.out_spatial[a];
      int64_t k = tap_rest % g.kernel[a];
      tap_rest /= g.kernel[a];
      int64_t p = o * g.stride[a] + k * g.kernel_dilation[a] - g.pad_lo[a];
      if (p < 0 || p % g.input_dilation[a] != 0) {
        inside = false;
        break;
      }
      int64_t i = p / g.input_dilation[a];
      if (i >= g.in_spatial[a]) {
        inside = false;
        break;
      }
      offset += i * step;
      step *= g.in_spatial[a];
    }
    columns[index] = inside ? x[(n * in_positions + offset) * g.channels + group * cg + c] : mx_ew::zero<T>();
  }
}
