//! Raw random bits: the source of every other random function.

use super::key::{check_key, next_key};
use crate::error::{Error, Result};
use crate::primitive::Primitive;
use crate::{Array, Dtype};

/// Uniformly random unsigned integers of `width` bytes (1, 2 or 4: uint8, uint16 or uint32)
/// and the given shape, from `key` or the next global key. The result is lazy, like every
/// op: the bits are generated where it is evaluated, on the CPU or the GPU.
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
    let key = match key {
        Some(key) => {
            check_key(key)?;
            key.clone()
        }
        None => Array::from_slice(&next_key(), &[2])?,
    };
    let dtype = match width {
        1 => Dtype::Uint8,
        2 => Dtype::Uint16,
        4 => Dtype::Uint32,
        _ => {
            return Err(Error::InvalidArgument(format!(
                "[bits] Bit width must be in {{1, 2, 4}} but got {width}."
            )))
        }
    };
    Array::from_op(shape.to_vec(), dtype, Primitive::RandomBits, vec![key])
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
    fn bits_and_split_are_lazy_graph_ops() {
        let k = key(3).unwrap();
        let b = bits(&[4], 4, Some(&k)).unwrap();
        assert!(!b.is_evaluated());
        let keys = crate::random::split(&k, 2).unwrap();
        assert!(!keys.is_evaluated());
        // The second word of each key: a strided view of the split's output.
        let second = keys
            .slice(&[crate::Slice::range(0, 2), crate::Slice::range(1, 2)])
            .unwrap()
            .reshape(&[2])
            .unwrap();
        let words = keys.to_vec::<u32>().unwrap();
        assert_eq!(
            bits(&[2], 4, Some(&second))
                .unwrap()
                .to_vec::<u32>()
                .unwrap(),
            crate::random::threefry::random_words([words[1], words[3]], 2)
        );
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
