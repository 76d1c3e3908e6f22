//! The Threefry-2x32 counter-based generator (20 rounds) and the order in which MLX lays
//! its output words out as a stream of random bits.

/// The rotation amounts of the two alternating groups of four rounds.
const ROTATIONS: [[u32; 4]; 2] = [[13, 15, 26, 6], [17, 29, 16, 24]];

/// Threefish's key schedule parity constant.
const KS_PARITY: u32 = 0x1BD1_1BDA;

/// Threefry-2x32 with 20 rounds: the counter `count` encrypted under `key`. All arithmetic
/// wraps modulo 2^32.
pub(crate) fn threefry2x32(key: [u32; 2], count: [u32; 2]) -> [u32; 2] {
    let ks = [key[0], key[1], key[0] ^ key[1] ^ KS_PARITY];
    let mut x0 = count[0].wrapping_add(ks[0]);
    let mut x1 = count[1].wrapping_add(ks[1]);
    for (i, rotations) in ROTATIONS.iter().cycle().take(5).enumerate() {
        for &r in rotations {
            x0 = x0.wrapping_add(x1);
            x1 = x1.rotate_left(r) ^ x0;
        }
        x0 = x0.wrapping_add(ks[(i + 1) % 3]);
        x1 = x1.wrapping_add(ks[(i + 2) % 3]).wrapping_add(i as u32 + 1);
    }
    [x0, x1]
}

/// The first `count` 32-bit words of the random stream of `key`.
///
/// With `half = count / 2` and `odd = count % 2`, the pair `threefry2x32(key, [i, i + half +
/// odd])` fills words `i` and `i + half + odd` for every `i < half`; an odd count takes word
/// `half` from the first output of `threefry2x32(key, [half, 0])`. Counters are u32.
pub(crate) fn random_words(key: [u32; 2], count: usize) -> Vec<u32> {
    let half = count / 2;
    let odd = count % 2;
    let mut words = vec![0u32; count];
    let (first, rest) = words.split_at_mut(half);
    let (middle, second) = rest.split_at_mut(odd);
    for (i, (lo, hi)) in first.iter_mut().zip(second.iter_mut()).enumerate() {
        let [a, b] = threefry2x32(key, [i as u32, (i + half + odd) as u32]);
        *lo = a;
        *hi = b;
    }
    if let Some(word) = middle.first_mut() {
        *word = threefry2x32(key, [half as u32, 0])[0];
    }
    words
}

/// The first `size_bytes` bytes of the random stream of `key`: the little-endian bytes of
/// [`random_words`] for `ceil(size_bytes / 4)` words, cut to `size_bytes`. The stream
/// depends only on the byte count, not on the element width it is read with.
pub(crate) fn random_bits(key: [u32; 2], size_bytes: usize) -> Vec<u8> {
    let mut bytes: Vec<u8> = random_words(key, size_bytes.div_ceil(4))
        .into_iter()
        .flat_map(u32::to_le_bytes)
        .collect();
    bytes.truncate(size_bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threefry_test_vector() {
        assert_eq!(threefry2x32([0, 0], [0, 0]), [1_797_259_609, 2_579_123_966]);
    }

    #[test]
    fn bytes_of_key_zero() {
        assert_eq!(random_bits([0, 0], 5), vec![143, 35, 95, 55, 29]);
        assert_eq!(random_bits([0, 0], 0), Vec::<u8>::new());
    }

    #[test]
    fn words_of_key_zero() {
        assert_eq!(
            random_words([0, 0], 3),
            vec![4_146_024_105, 1_351_547_692, 2_718_843_009]
        );
        let bytes = random_bits([0, 0], 12);
        let words: Vec<u32> = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        assert_eq!(words, random_words([0, 0], 3));
    }

    #[test]
    fn split_of_key_42() {
        assert_eq!(
            random_words([0, 42], 4),
            vec![2_465_931_498, 3_679_230_171, 255_383_827, 267_815_257]
        );
    }
}
