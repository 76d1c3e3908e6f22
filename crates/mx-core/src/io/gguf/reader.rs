//! A bounds-checked cursor over a GGUF header, and its metadata values.

use super::value_type as t;
use crate::array::Array;
use crate::dtype::Element;
use crate::error::{Error, Result};
use crate::io::source::SourceFile;
use crate::io::MetadataValue;

/// Reads little-endian values from the start of a file, never past its end.
pub(crate) struct Reader<'a> {
    file: &'a SourceFile,
    position: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(file: &'a SourceFile) -> Reader<'a> {
        Reader { file, position: 0 }
    }

    /// Bytes read so far.
    pub(crate) fn position(&self) -> usize {
        self.position
    }

    fn truncated(&self) -> Error {
        self.file.invalid(
            "load",
            format!(
                "the GGUF header is truncated at byte {} of {}.",
                self.position,
                self.file.bytes().len()
            ),
        )
    }

    /// The next `len` bytes.
    fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let bytes = self.file.bytes();
        let end = self
            .position
            .checked_add(len)
            .filter(|&end| end <= bytes.len());
        match end {
            Some(end) => {
                let taken = &bytes[self.position..end];
                self.position = end;
                Ok(taken)
            }
            None => Err(self.truncated()),
        }
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub(crate) fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A count or length, checked to fit in the rest of the file at `unit` bytes each.
    fn count(&mut self, unit: usize) -> Result<usize> {
        let count = self.u64()?;
        let remaining = (self.file.bytes().len() - self.position) as u64;
        if count.saturating_mul(unit as u64) > remaining {
            return Err(self.file.invalid(
                "load",
                format!("a GGUF header claims {count} items, more than the file holds."),
            ));
        }
        Ok(count as usize)
    }

    /// A length-prefixed UTF-8 string.
    pub(crate) fn string(&mut self) -> Result<String> {
        let len = self.count(1)?;
        let at = self.position;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| {
            self.file.invalid(
                "load",
                format!("the GGUF string at byte {at} is not UTF-8."),
            )
        })
    }

    /// `count` elements of `T` as an array (0-d when `scalar`).
    fn numbers<T: Element>(
        &mut self,
        count: usize,
        scalar: bool,
        decode: fn(&[u8]) -> T,
    ) -> Result<Array> {
        let size = std::mem::size_of::<T>();
        let bytes = self.take(count * size)?;
        let values: Vec<T> = bytes.chunks_exact(size).map(decode).collect();
        let shape: &[usize] = if scalar { &[] } else { &[count] };
        Array::from_slice(&values, shape)
    }

    /// Numbers of value type `kind`, as MLX returns them (float64 becomes float32).
    fn typed_numbers(&mut self, kind: u32, count: usize, scalar: bool) -> Result<Option<Array>> {
        Ok(Some(match kind {
            t::UINT8 => self.numbers(count, scalar, |b| b[0])?,
            t::INT8 => self.numbers(count, scalar, |b| b[0] as i8)?,
            t::UINT16 => self.numbers(count, scalar, |b| u16::from_le_bytes([b[0], b[1]]))?,
            t::INT16 => self.numbers(count, scalar, |b| i16::from_le_bytes([b[0], b[1]]))?,
            t::UINT32 => self.numbers(count, scalar, |b| {
                u32::from_le_bytes([b[0], b[1], b[2], b[3]])
            })?,
            t::INT32 => self.numbers(count, scalar, |b| {
                i32::from_le_bytes([b[0], b[1], b[2], b[3]])
            })?,
            t::FLOAT32 => self.numbers(count, scalar, |b| {
                f32::from_le_bytes([b[0], b[1], b[2], b[3]])
            })?,
            t::BOOL => self.numbers(count, scalar, |b| b[0] != 0)?,
            t::UINT64 => self.numbers(count, scalar, |b| {
                u64::from_le_bytes(b.try_into().unwrap_or_default())
            })?,
            t::INT64 => self.numbers(count, scalar, |b| {
                i64::from_le_bytes(b.try_into().unwrap_or_default())
            })?,
            t::FLOAT64 => self.numbers(count, scalar, |b| {
                f64::from_le_bytes(b.try_into().unwrap_or_default()) as f32
            })?,
            _ => return Ok(None),
        }))
    }

    /// One metadata value of type `kind`.
    pub(crate) fn value(&mut self, kind: u32) -> Result<MetadataValue> {
        match kind {
            t::STRING => Ok(MetadataValue::String(self.string()?)),
            t::ARRAY => {
                let element = self.u32()?;
                match element {
                    t::STRING => {
                        let count = self.count(8)?;
                        let strings = (0..count).map(|_| self.string()).collect::<Result<_>>()?;
                        Ok(MetadataValue::Strings(strings))
                    }
                    t::ARRAY => Err(self
                        .file
                        .invalid("load", "nested GGUF metadata arrays are not supported.")),
                    _ => {
                        let count = self.count(element_size(element))?;
                        self.typed_numbers(element, count, false)?
                            .map(MetadataValue::Array)
                            .ok_or_else(|| self.unknown_type(element))
                    }
                }
            }
            _ => self
                .typed_numbers(kind, 1, true)?
                .map(MetadataValue::Array)
                .ok_or_else(|| self.unknown_type(kind)),
        }
    }

    fn unknown_type(&self, kind: u32) -> Error {
        self.file
            .invalid("load", format!("unknown GGUF metadata value type {kind}."))
    }
}

/// Bytes per element of a numeric value type (1 for unknown types, which fail later).
fn element_size(kind: u32) -> usize {
    match kind {
        t::UINT16 | t::INT16 => 2,
        t::UINT32 | t::INT32 | t::FLOAT32 => 4,
        t::UINT64 | t::INT64 | t::FLOAT64 => 8,
        _ => 1,
    }
}
