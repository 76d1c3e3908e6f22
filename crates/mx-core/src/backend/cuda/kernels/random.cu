// RandomBits: the Threefry-2x32 (20 rounds) stream of a key, laid out as MLX lays it
// (random/threefry.rs): with `half = words / 2` and `odd = words % 2`, the pair
// threefry(key, [i, i + half + odd]) fills words i and i + half + odd, and an odd count
// takes word `half` from threefry(key, [half, 0]). The output is the first `nbytes`.

__device__ __forceinline__ uint32_t rotate_left(uint32_t x, uint32_t r) {
  return (x << r) | (x >> (32u - r));
}

__device__ __forceinline__ void threefry2x32(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t* y0, uint32_t* y1) {
  const uint32_t rotations[2][4] = {{13, 15, 26, 6}, {17, 29, 16, 24}};
  uint32_t ks[3] = {k0, k1, k0 ^ k1 ^ 0x1BD11BDAu};
  uint32_t x0 = c0 + ks[0], x1 = c1 + ks[1];
#pragma unroll
  for (int i = 0; i < 5; ++i) {
#pragma unroll
    for (int r = 0; r < 4; ++r) {
      x0 += x1;
      x1 = rotate_left(x1, rotations[i % 2][r]) ^ x0;
    }
    x0 += ks[(i + 1) % 3];
    x1 += ks[(i + 2) % 3] + (uint32_t)(i + 1);
  }
  *y0 = x0;
  *y1 = x1;
}

// Word `w` goes to bytes 4w..4w+3, cut at `nbytes`.
__device__ __forceinline__ void store_word(uint8_t* out, int64_t nbytes, int64_t w, uint32_t word) {
  int64_t at = 4 * w;
  if (at + 4 <= nbytes && ((unsigned long long)out % 4) == 0) {
    *(uint32_t*)(out + at) = word;
  } else {
    for (int b = 0; b < 4 && at + b < nbytes; ++b) out[at + b] = (uint8_t)(word >> (8 * b));
  }
}

// `key` points at two uint32 words `key_stride` elements apart.
__device__ __forceinline__ void random_bits(const uint32_t* key, int64_t key_stride, uint8_t* out, int64_t nbytes) {
  uint32_t k0 = key[0], k1 = key[key_stride];
  int64_t words = (nbytes + 3) / 4;
  int64_t half = words / 2, odd = words % 2;
  for (int64_t i = global_thread(); i < half + odd; i += grid_threads()) {
    uint32_t y0, y1;
    if (i < half) {
      threefry2x32(k0, k1, (uint32_t)i, (uint32_t)(i + half + odd), &y0, &y1);
      store_word(out, nbytes, i, y0);
      store_word(out, nbytes, i + half + odd, y1);
    } else {
      threefry2x32(k0, k1, (uint32_t)half, 0u, &y0, &y1);
      store_word(out, nbytes, half, y0);
    }
  }
}
