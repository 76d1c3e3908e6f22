//! The safetensors format, through the `safetensors` crate, which validates headers
//! (sizes, offsets that overlap or leave gaps, shapes that do not match their bytes).

use super::source::{lazy_load, ByteOrder, SourceFile, StoredLayout};
use super::{Metadata, MetadataValue};
use crate::array::{Array, Data};
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use safetensors::tensor::{SafeTensors, View};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// The mx dtype of a safetensors dtype, if mx has one.
fn to_dtype(dtype: safetensors::Dtype) -> Option<Dtype> {
    use safetensors::Dtype as S;
    Some(match dtype {
        S::BOOL => Dtype::Bool,
        S::U8 => Dtype::Uint8,
        S::U16 => Dtype::Uint16,
        S::U32 => Dtype::Uint32,
        S::U64 => Dtype::Uint64,
        S::I8 => Dtype::Int8,
        S::I16 => Dtype::Int16,
        S::I32 => Dtype::Int32,
        S::I64 => Dtype::Int64,
        S::F16 => Dtype::Float16,
        S::BF16 => Dtype::Bfloat16,
        S::F32 => Dtype::Float32,
        S::F64 => Dtype::Float64,
        S::C64 => Dtype::Complex64,
        // MLX loads float8 tensors as their raw bytes, for `from_fp8`.
        S::F8_E4M3 => Dtype::Uint8,
        _ => return None,
    })
}

fn from_dtype(dtype: Dtype) -> safetensors::Dtype {
    use safetensors::Dtype as S;
    match dtype {
        Dtype::Bool => S::BOOL,
        Dtype::Uint8 => S::U8,
        Dtype::Uint16 => S::U16,
        Dtype::Uint32 => S::U32,
        Dtype::Uint64 => S::U64,
        Dtype::Int8 => S::I8,
        Dtype::Int16 => S::I16,
        Dtype::Int32 => S::I32,
        Dtype::Int64 => S::I64,
        Dtype::Float16 => S::F16,
        Dtype::Bfloat16 => S::BF16,
        Dtype::Float32 => S::F32,
        Dtype::Float64 => S::F64,
        Dtype::Complex64 => S::C64,
    }
}

/// The tensors of a safetensors file, lazily, and its string metadata.
pub(crate) fn load(file: &Arc<SourceFile>) -> Result<(BTreeMap<String, Array>, Metadata)> {
    let (header_len, header) = SafeTensors::read_metadata(file.bytes())
        .map_err(|e| file.invalid("load", format!("bad safetensors header: {e}.")))?;
    let data_start = 8 + header_len;
    let mut arrays = BTreeMap::new();
    for (name, info) in header.tensors() {
        let dtype = to_dtype(info.dtype).ok_or_else(|| {
            file.invalid(
                "load",
                format!("tensor '{name}' has the unsupported dtype {}.", info.dtype),
            )
        })?;
        if super::checked_nbytes(&info.shape, dtype.size()).is_none() {
            return Err(file.invalid("load", format!("tensor '{name}' is too large.")));
        }
        let layout = StoredLayout::Elements {
            offset: data_start + info.data_offsets.0,
            byte_order: ByteOrder::Little,
            fortran: false,
        };
        let array = lazy_load(file, layout, vec![(info.shape.clone(), dtype)])?.remove(0);
        arrays.insert(name, array);
    }
    let metadata = header
        .metadata()
        .iter()
        .flatten()
        .map(|(k, v)| (k.clone(), MetadataValue::String(v.clone())))
        .collect();
    Ok((arrays, metadata))
}

/// One evaluated row-major tensor, as the crate's writer sees it.
struct TensorBytes {
    data: Data,
    shape: Vec<usize>,
    dtype: Dtype,
}

impl View for &TensorBytes {
    fn dtype(&self) -> safetensors::Dtype {
        from_dtype(self.dtype)
    }

    fn shape(&self) -> &[usize] {
        &self.shape
    }

    fn data(&self) -> Cow<'_, [u8]> {
        let len = self.data_len();
        if len == 0 {
            return Cow::Borrowed(&[]);
        }
        // SAFETY: the data is row-contiguous and evaluated on the host, and `len` bytes
        // from its offset lie inside the buffer this struct keeps alive.
        Cow::Borrowed(unsafe {
            std::slice::from_raw_parts(
                self.data
                    .buffer
                    .as_ptr()
                    .add(self.data.offset * self.dtype.size()),
                len,
            )
        })
    }

    fn data_len(&self) -> usize {
        self.shape.iter().product::<usize>() * self.dtype.size()
    }
}

/// Writes `arrays` and `metadata` as a safetensors file. The crate writes a temporary
/// file and renames it, so the save is atomic.
pub(crate) fn save(
    path: &Path,
    arrays: &[(String, Array)],
    metadata: &BTreeMap<String, String>,
) -> Result<()> {
    let mut tensors = Vec::with_capacity(arrays.len());
    for (name, array) in arrays {
        let contiguous = array.contiguous()?;
        let data = contiguous.data()?;
        data.buffer.ensure_host()?;
        tensors.push((
            name.clone(),
            TensorBytes {
                data,
                shape: array.shape().to_vec(),
                dtype: array.dtype(),
            },
        ));
    }
    let info: HashMap<String, String> = metadata.clone().into_iter().collect();
    let info = (!info.is_empty()).then_some(info);
    safetensors::serialize_to_file(tensors.iter().map(|(n, t)| (n, t)), info, path).map_err(|e| {
        Error::Io(format!(
            "[save_safetensors] Failed to write {}: {e}.",
            path.display()
        ))
    })
}
