//! PRNG keys, `split`, and the global key sequence used when no key is passed.

use super::threefry::random_words;
use crate::error::{shape_str, Error, Result};
use crate::{Array, Dtype};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The global key. MLX seeds it from the wall clock (in milliseconds) when the library
/// loads; mx starts from `key(0)` instead, so that a program that never calls [`seed`] is
/// reproducible.
static STATE: Mutex<[u32; 2]> = Mutex::new([0, 0]);

/// The global key, locked. Nothing panics while it is held, so a poisoned lock still holds
/// a valid key.
fn state() -> MutexGuard<'static, [u32; 2]> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The two words of the key of `seed`: its high and low 32 bits.
fn seed_words(seed: u64) -> [u32; 2] {
    [(seed >> 32) as u32, seed as u32]
}

/// A PRNG key from a seed: a uint32 array of shape `[2]` holding `[seed >> 32, seed & 0xFFFFFFFF]`.
///
/// ```
/// let k = mx_core::random::key(42).unwrap();
/// assert_eq!(k.to_vec::<u32>().unwrap(), vec![0, 42]);
/// ```
pub fn key(seed: u64) -> Result<Array> {
    Array::from_slice(&seed_words(seed), &[2])
}

/// Seeds the global key: it becomes `key(seed)`. Every random function called without a
/// key then draws its key from this sequence (see [`split`]).
pub fn seed(seed: u64) {
    *state() = seed_words(seed);
}

/// The next key of the global sequence: the global key is split in two, the first half
/// replaces it and the second is returned. Every random function called without a key
/// takes exactly one.
pub(crate) fn next_key() -> [u32; 2] {
    let mut state = state();
    let words = random_words(*state, 4);
    *state = [words[0], words[1]];
    [words[2], words[3]]
}

/// `num` new keys from `key`, as a uint32 array of shape `[num, 2]`: the random bits of
/// `key` for that shape, so row `j` holds words `2j` and `2j + 1` of its stream.
///
/// ```
/// let k = mx_core::random::key(42).unwrap();
/// let keys = mx_core::random::split(&k, 2).unwrap();
/// assert_eq!(keys.shape(), &[2, 2]);
/// assert_eq!(keys.to_vec::<u32>().unwrap()[..2], [2465931498, 3679230171]);
/// ```
pub fn split(key: &Array, num: usize) -> Result<Array> {
    super::bits(&[num, 2], 4, Some(key))
}

/// Fails with MLX's message unless `key` is a uint32 array of shape `[2]`.
pub(crate) fn check_key(key: &Array) -> Result<()> {
    if key.dtype() != Dtype::Uint32 {
        return Err(Error::InvalidArgument(format!(
            "[bits] Expected key type uint32 but received {}.",
            key.dtype()
        )));
    }
    if key.shape() != [2] {
        return Err(Error::InvalidArgument(format!(
            "[bits] Expected key shape (2) but received {}.",
            shape_str(key.shape())
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_holds_high_and_low_words() {
        let k = key((7u64 << 32) | 9).unwrap();
        assert_eq!(k.dtype(), Dtype::Uint32);
        assert_eq!(k.to_vec::<u32>().unwrap(), vec![7, 9]);
    }

    #[test]
    fn split_shapes() {
        let k = key(42).unwrap();
        let keys = split(&k, 2).unwrap();
        assert_eq!(
            keys.to_vec::<u32>().unwrap(),
            vec![2_465_931_498, 3_679_230_171, 255_383_827, 267_815_257]
        );
        assert_eq!(split(&k, 0).unwrap().shape(), &[0, 2]);
    }

    #[test]
    fn bad_keys_are_rejected() {
        let wrong_dtype = Array::from_slice(&[0i32, 1], &[2]).unwrap();
        assert_eq!(
            check_key(&wrong_dtype).unwrap_err().to_string(),
            "[bits] Expected key type uint32 but received int32."
        );
        let wrong_shape = Array::from_slice(&[0u32, 1, 2], &[3]).unwrap();
        assert_eq!(
            check_key(&wrong_shape).unwrap_err().to_string(),
            "[bits] Expected key shape (2) but received (3)."
        );
    }

    /// The only test that touches the global key.
    #[test]
    fn global_sequence_after_seed_zero() {
        seed(0);
        assert_eq!(next_key(), [2_718_843_009, 1_272_950_319]);
        assert_eq!(*state(), [4_146_024_105, 967_050_713]);
    }
}
