//! GGUF (versions 2 and 3): typed metadata, then tensor descriptions, then aligned data.
//!
//! Every count, length, shape and offset in the file is checked against the bytes that
//! remain before anything is allocated, so a hostile header cannot ask for unbounded
//! memory or make mx read past the end of the file.

pub(crate) mod quant;
mod reader;
mod write;

pub(crate) use write::save;

use super::source::{lazy_load, ByteOrder, SourceFile, StoredLayout};
use super::{Metadata, MetadataValue};
use crate::array::Array;
use crate::dtype::Dtype;
use crate::error::Result;
use quant::{GgufBlocks, BLOCK};
use reader::Reader;
use std::collections::BTreeMap;
use std::sync::Arc;

/// `GGUF` as a little-endian u32.
pub(crate) const MAGIC: u32 = 0x4655_4747;
/// The alignment of tensor data when `general.alignment` does not say otherwise.
pub(crate) const DEFAULT_ALIGNMENT: usize = 32;
/// GGML's limit on tensor dimensions.
const MAX_DIMS: usize = 4;

/// Metadata value types.
pub(crate) mod value_type {
    pub(crate) const UINT8: u32 = 0;
    pub(crate) const INT8: u32 = 1;
    pub(crate) const UINT16: u32 = 2;
    pub(crate) const INT16: u32 = 3;
    pub(crate) const UINT32: u32 = 4;
    pub(crate) const INT32: u32 = 5;
    pub(crate) const FLOAT32: u32 = 6;
    pub(crate) const BOOL: u32 = 7;
    pub(crate) const STRING: u32 = 8;
    pub(crate) const ARRAY: u32 = 9;
    pub(crate) const UINT64: u32 = 10;
    pub(crate) const INT64: u32 = 11;
    pub(crate) const FLOAT64: u32 = 12;
}

/// How a GGUF tensor type is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TensorType {
    /// Plain little-endian elements of an mx dtype.
    Plain(Dtype),
    /// 32-element quantized blocks.
    Blocks(GgufBlocks),
}

/// The GGML type ids mx reads and writes.
pub(crate) fn tensor_type(id: u32) -> Option<TensorType> {
    Some(match id {
        0 => TensorType::Plain(Dtype::Float32),
        1 => TensorType::Plain(Dtype::Float16),
        2 => TensorType::Blocks(GgufBlocks::Q4_0),
        3 => TensorType::Blocks(GgufBlocks::Q4_1),
        8 => TensorType::Blocks(GgufBlocks::Q8_0),
        24 => TensorType::Plain(Dtype::Int8),
        25 => TensorType::Plain(Dtype::Int16),
        26 => TensorType::Plain(Dtype::Int32),
        27 => TensorType::Plain(Dtype::Int64),
        28 => TensorType::Plain(Dtype::Float64),
        30 => TensorType::Plain(Dtype::Bfloat16),
        _ => return None,
    })
}

/// The GGML type id of a plain dtype, if GGUF has one.
pub(crate) fn type_id(dtype: Dtype) -> Option<u32> {
    (0..=30).find(|&id| tensor_type(id) == Some(TensorType::Plain(dtype)))
}

/// One tensor description.
struct TensorInfo {
    name: String,
    shape: Vec<usize>,
    kind: TensorType,
    offset: usize,
    nbytes: usize,
}

/// The tensors of a GGUF file, lazily (quantized ones as MLX's triplets), and its
/// metadata.
pub(crate) fn load(file: &Arc<SourceFile>) -> Result<(BTreeMap<String, Array>, Metadata)> {
    let mut reader = Reader::new(file);
    if reader.u32()? != MAGIC {
        return Err(file.invalid("load", "not a GGUF file (bad magic)."));
    }
    let version = reader.u32()?;
    if !(2..=3).contains(&version) {
        return Err(file.invalid(
            "load",
            format!("unsupported GGUF version {version} (mx reads versions 2 and 3)."),
        ));
    }
    let tensor_count = reader.u64()?;
    let kv_count = reader.u64()?;
    let mut metadata = Metadata::new();
    let mut alignment = DEFAULT_ALIGNMENT;
    for _ in 0..kv_count {
        let key = reader.string()?;
        let kind = reader.u32()?;
        if key == "general.alignment" && kind == value_type::UINT32 {
            let value = reader.u32()? as usize;
            if value == 0 || !value.is_power_of_two() {
                return Err(file.invalid("load", format!("bad general.alignment {value}.")));
            }
            alignment = value;
            metadata.insert(key, MetadataValue::Array(Array::from_scalar(value as u32)?));
            continue;
        }
        let value = reader.value(kind)?;
        if metadata.insert(key.clone(), value).is_some() {
            return Err(file.invalid("load", format!("the metadata key '{key}' appears twice.")));
        }
    }
    let mut infos = Vec::new();
    for _ in 0..tensor_count {
        infos.push(tensor_info(&mut reader, file)?);
    }
    let data_start = reader.position().next_multiple_of(alignment);
    let arrays = tensors(file, infos, data_start)?;
    Ok((arrays, metadata))
}

fn tensor_info(reader: &mut Reader<'_>, file: &SourceFile) -> Result<TensorInfo> {
    let name = reader.string()?;
    let ndim = reader.u32()? as usize;
    if ndim == 0 || ndim > MAX_DIMS {
        return Err(file.invalid(
            "load",
            format!("tensor '{name}' has {ndim} dimensions (1 to {MAX_DIMS} are allowed)."),
        ));
    }
    let mut shape = Vec::with_capacity(ndim);
    for _ in 0..ndim {
        shape.push(reader.u64()?);
    }
    // GGML lists dimensions innermost first; MLX's order is the reverse.
    shape.reverse();
    let id = reader.u32()?;
    let offset = reader.u64()?;
    let kind = tensor_type(id).ok_or_else(|| {
        file.invalid(
            "load",
            format!("tensor '{name}' has the GGML type {id}, which mx does not load."),
        )
    })?;
    let too_large_message = format!("tensor '{name}' is too large.");
    let too_large = || file.invalid("load", &too_large_message);
    let shape: Vec<usize> = shape
        .into_iter()
        .map(|d| usize::try_from(d).map_err(|_| too_large()))
        .collect::<Result<_>>()?;
    let nbytes = match kind {
        TensorType::Plain(dtype) => {
            super::checked_nbytes(&shape, dtype.size()).ok_or_else(too_large)?
        }
        TensorType::Blocks(blocks) => {
            let last = shape[shape.len() - 1];
            if !last.is_multiple_of(BLOCK) {
                return Err(file.invalid(
                    "load",
                    format!("tensor '{name}' has incompatible last dim shape: {last} (a multiple of {BLOCK} is needed)."),
                ));
            }
            let count = super::checked_nbytes(&shape, 1).ok_or_else(too_large)?;
            (count / BLOCK)
                .checked_mul(blocks.block_bytes())
                .ok_or_else(too_large)?
        }
    };
    let offset = usize::try_from(offset).map_err(|_| too_large())?;
    Ok(TensorInfo {
        name,
        shape,
        kind,
        offset,
        nbytes,
    })
}

/// Checks the tensors' data ranges (inside the file, not overlapping) and makes their
/// lazy arrays.
fn tensors(
    file: &Arc<SourceFile>,
    mut infos: Vec<TensorInfo>,
    data_start: usize,
) -> Result<BTreeMap<String, Array>> {
    infos.sort_by_key(|info| info.offset);
    let mut end_of_previous = 0usize;
    let mut arrays = BTreeMap::new();
    for info in infos {
        if info.offset < end_of_previous {
            return Err(file.invalid(
                "load",
                format!(
                    "the data of tensor '{}' overlaps another tensor.",
                    info.name
                ),
            ));
        }
        let start = data_start.checked_add(info.offset).ok_or_else(|| {
            file.invalid("load", format!("tensor '{}' has a bad offset.", info.name))
        })?;
        file.range("load", start, info.nbytes)?;
        end_of_previous = info.offset + info.nbytes;
        let mut insert = |name: String, array: Array| {
            if arrays.insert(name.clone(), array).is_some() {
                Err(file.invalid(
                    "load",
                    format!("duplicate parameter name '{name}' (quantized tensors add .scales and .biases)."),
                ))
            } else {
                Ok(())
            }
        };
        match info.kind {
            TensorType::Plain(dtype) => {
                let layout = StoredLayout::Elements {
                    offset: start,
                    byte_order: ByteOrder::Little,
                    fortran: false,
                };
                let array = lazy_load(file, layout, vec![(info.shape, dtype)])?.remove(0);
                insert(info.name, array)?;
            }
            TensorType::Blocks(blocks) => {
                let layout = StoredLayout::GgufBlocks {
                    offset: start,
                    blocks,
                };
                let mut triplet = lazy_load(file, layout, blocks.outputs(&info.shape))?;
                let prefix = info
                    .name
                    .strip_suffix(".weight")
                    .unwrap_or(&info.name)
                    .to_string();
                let biases = triplet.pop();
                let scales = triplet.pop();
                insert(info.name, triplet.remove(0))?;
                if let (Some(scales), Some(biases)) = (scales, biases) {
                    insert(format!("{prefix}.scales"), scales)?;
                    insert(format!("{prefix}.biases"), biases)?;
                }
            }
        }
    }
    Ok(arrays)
}
