//! Writing GGUF v3, as MLX's `save_gguf` does, with 32-byte aligned tensor data.

use super::{type_id, value_type as t, DEFAULT_ALIGNMENT, MAGIC};
use crate::array::Array;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::io::{array_bytes, write_atomically, Metadata, MetadataValue};
use std::io::Write;
use std::path::Path;

fn put_string(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u64).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The metadata value type MLX writes for an array's dtype.
fn metadata_type(dtype: Dtype) -> Result<u32> {
    Ok(match dtype {
        Dtype::Float32 => t::FLOAT32,
        Dtype::Int64 => t::INT64,
        Dtype::Int32 => t::INT32,
        Dtype::Int16 => t::INT16,
        Dtype::Int8 => t::INT8,
        Dtype::Uint64 => t::UINT64,
        Dtype::Uint32 => t::UINT32,
        Dtype::Uint16 => t::UINT16,
        Dtype::Uint8 => t::UINT8,
        Dtype::Bool => t::BOOL,
        other => {
            return Err(Error::InvalidArgument(format!(
                "[save_gguf] array type {other} not support for metadata."
            )))
        }
    })
}

/// Appends one key and its typed value.
fn put_metadata(out: &mut Vec<u8>, key: &str, value: &MetadataValue) -> Result<()> {
    put_string(out, key);
    match value {
        MetadataValue::String(s) => {
            out.extend_from_slice(&t::STRING.to_le_bytes());
            put_string(out, s);
        }
        MetadataValue::Strings(strings) => {
            out.extend_from_slice(&t::ARRAY.to_le_bytes());
            out.extend_from_slice(&t::STRING.to_le_bytes());
            out.extend_from_slice(&(strings.len() as u64).to_le_bytes());
            for s in strings {
                put_string(out, s);
            }
        }
        MetadataValue::Array(array) => {
            if array.ndim() > 1 {
                return Err(Error::InvalidArgument(
                    "[save_gguf] Cannot save arrays with more than one dimension.".into(),
                ));
            }
            if array.size() == 0 {
                return Err(Error::InvalidArgument(
                    "[save_gguf] Cannot save empty arrays.".into(),
                ));
            }
            let kind = metadata_type(array.dtype())?;
            if array.ndim() == 1 {
                out.extend_from_slice(&t::ARRAY.to_le_bytes());
                out.extend_from_slice(&kind.to_le_bytes());
                out.extend_from_slice(&(array.size() as u64).to_le_bytes());
            } else {
                out.extend_from_slice(&kind.to_le_bytes());
            }
            array_bytes(array, |bytes| out.extend_from_slice(bytes))?;
        }
    }
    Ok(())
}

/// Writes `arrays` and `metadata` as a GGUF v3 file at `path`.
pub(crate) fn save(path: &Path, arrays: &[(String, Array)], metadata: &Metadata) -> Result<()> {
    let mut header = Vec::new();
    header.extend_from_slice(&MAGIC.to_le_bytes());
    header.extend_from_slice(&3u32.to_le_bytes());
    header.extend_from_slice(&(arrays.len() as u64).to_le_bytes());
    header.extend_from_slice(&(metadata.len() as u64).to_le_bytes());
    for (key, value) in metadata {
        put_metadata(&mut header, key, value)?;
    }
    let mut offset = 0usize;
    let mut offsets = Vec::with_capacity(arrays.len());
    for (name, array) in arrays {
        let id = type_id(array.dtype()).ok_or_else(|| {
            Error::Dtype(format!(
                "[save_gguf] dtype {} is not supported",
                array.dtype()
            ))
        })?;
        if array.ndim() == 0 || array.ndim() > super::MAX_DIMS {
            return Err(Error::Shape(format!(
                "[save_gguf] Array '{name}' has {} dimensions; GGUF holds 1 to {}.",
                array.ndim(),
                super::MAX_DIMS
            )));
        }
        offset = offset.next_multiple_of(DEFAULT_ALIGNMENT);
        put_string(&mut header, name);
        header.extend_from_slice(&(array.ndim() as u32).to_le_bytes());
        for &dim in array.shape().iter().rev() {
            header.extend_from_slice(&(dim as u64).to_le_bytes());
        }
        header.extend_from_slice(&id.to_le_bytes());
        header.extend_from_slice(&(offset as u64).to_le_bytes());
        offsets.push(offset);
        offset += array.nbytes();
    }
    header.resize(header.len().next_multiple_of(DEFAULT_ALIGNMENT), 0);
    write_atomically(path, "save_gguf", |file| {
        let failed = |e: std::io::Error| {
            Error::Io(format!(
                "[save_gguf] Failed to write {}: {e}.",
                path.display()
            ))
        };
        file.write_all(&header).map_err(failed)?;
        let mut written = 0usize;
        for ((_, array), &start) in arrays.iter().zip(&offsets) {
            file.write_all(&vec![0u8; start - written])
                .map_err(failed)?;
            array_bytes(array, |bytes| file.write_all(bytes))?.map_err(failed)?;
            written = start + array.nbytes();
        }
        Ok(())
    })
}
