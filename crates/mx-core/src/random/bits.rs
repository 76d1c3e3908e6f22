//! Raw random bits: the source of every other random function.

use super::key::key_words;
use super::threefry::{random_bits, random_words};
use crate::error::{Error, Result};
use crate::Array;

/// Uniformly random unsigned integers of `width` bytes (1, 2 or 4: uint8, uint16 or uint32)
/// and the given shape, from `key` or the next global key.
///
/// The elements are read, little-endian, from the first `size * width` bytes of the key's
/// stream, so `bits(&[6], 1, k)` and `bits(&[3], 2, k)` hold the same bytes.
///
/// ```
/// use mx_core::random::{bits, key};
/// let k = key(0).unwrap();
/// let b = bits(&[5], 1, Some(&k)).unwrap();
/// assert_eq!(b.to_vec::<u8>().unwrap(), vec![143, 35, 95, 55, 29]);
/// ```
pub fn bits(shape: &[usize], width: usize, key: Option<&Array>) -> Result<Array> {
    let key = key_words(key)?;
    let size: usize = shape.iter().product();
    match width {
        1 => Array::from_slice(&random_bits(key, size), shape),
        2 => {
            let values: Vec<u16> = random_bits(key, 2 * size)
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            Array::from_slice(&values, shape)
        }
        4 => Array::from_slice(&random_words(key, size), shape),
        _ => Err(Error::InvalidArgument(format!(
            "[bits] Bit width must be in {{1, 2, 4}} but got {width}."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::key;
    use crate::Dtype;

    #[test]
    fn widths_share_one_byte_stream() {
        let k = key(0).unwrap();
        let b16 = bits(&[3], 2, Some(&k)).unwrap();
        assert_eq!(b16.dtype(), Dtype::Uint16);
        assert_eq!(b16.to_vec::<u16>().unwrap(), vec![9103, 14175, 5405]);
        let b32 = bits(&[3], 4, Some(&k)).unwrap();
        assert_eq!(b32.dtype(), Dtype::Uint32);
        assert_eq!(
            b32.to_vec::<u32>().unwrap(),
            vec![4_146_024_105, 1_351_547_692, 2_718_843_009]
        );
        assert_eq!(bits(&[2, 0, 3], 1, Some(&k)).unwrap().shape(), &[2, 0, 3]);
    }

    #[test]
    fn bad_width() {
        let k = key(0).unwrap();
        assert_eq!(
            bits(&[2], 3, Some(&k)).unwrap_err().to_string(),
            "[bits] Bit width must be in {1, 2, 4} but got 3."
        );
    }
}
