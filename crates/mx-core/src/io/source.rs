//! The lazy `Load` primitive: where a loaded array's bytes lie in its file, and how they
//! become elements when the array is evaluated.
//!
//! `load` only parses headers. Each array it returns is a pending `Load` op on the CPU
//! stream that holds the file's mapping; evaluating it reads the pages it needs, and an
//! aligned little-endian tensor is used in place, with no copy.

use super::gguf::quant::{decode_blocks, GgufBlocks};
use crate::array::shape::row_major_strides;
use crate::array::{Array, Data};
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::memory::Buffer;
use crate::primitive::Primitive;
use crate::scheduler::{default_stream, Device};
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// The bytes of a file being loaded: mapped from a path (lazy, zero copy), or read whole
/// from a reader.
pub(crate) struct SourceFile {
    name: String,
    bytes: SourceBytes,
}

enum SourceBytes {
    Mapped(Arc<memmap2::Mmap>),
    Read(Vec<u8>),
}

impl SourceFile {
    /// Maps the file at `path` read-only. Nothing but the pages a parser touches is read.
    pub(crate) fn map(path: &Path, op: &str) -> Result<Arc<SourceFile>> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path)
            .map_err(|e| Error::Io(format!("[{op}] Failed to open file {name}: {e}.")))?;
        let len = file
            .metadata()
            .map_err(|e| Error::Io(format!("[{op}] Failed to open file {name}: {e}.")))?
            .len();
        let bytes = if len == 0 {
            SourceBytes::Read(Vec::new())
        } else {
            // SAFETY: the mapping is read-only. As with every mmap-based loader, the file
            // must not be truncated or rewritten in place while arrays loaded from it are
            // alive; mx's own saves replace files by rename, which keeps old mappings valid.
            let mapping = unsafe { memmap2::Mmap::map(&file) }
                .map_err(|e| Error::Io(format!("[{op}] Failed to map file {name}: {e}.")))?;
            SourceBytes::Mapped(Arc::new(mapping))
        };
        Ok(Arc::new(SourceFile { name, bytes }))
    }

    /// Reads a whole stream into memory, named `name` in messages.
    pub(crate) fn read(mut reader: impl Read, name: &str, op: &str) -> Result<Arc<SourceFile>> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Io(format!("[{op}] Failed to read {name}: {e}.")))?;
        Ok(Arc::new(SourceFile {
            name: name.to_string(),
            bytes: SourceBytes::Read(bytes),
        }))
    }

    /// All the bytes of the file.
    pub(crate) fn bytes(&self) -> &[u8] {
        match &self.bytes {
            SourceBytes::Mapped(mapping) => mapping,
            SourceBytes::Read(bytes) => bytes,
        }
    }

    /// An error about this file's contents: `[op] Invalid file <name>: <problem>`.
    pub(crate) fn invalid(&self, op: &str, problem: impl fmt::Display) -> Error {
        Error::Io(format!("[{op}] Invalid file {}: {problem}", self.name))
    }

    /// `len` bytes from `offset`, or an error naming the file if they run past its end.
    pub(crate) fn range(&self, op: &str, offset: usize, len: usize) -> Result<&[u8]> {
        offset
            .checked_add(len)
            .and_then(|end| self.bytes().get(offset..end))
            .ok_or_else(|| {
                self.invalid(
                    op,
                    format!(
                        "data at bytes {offset}..{} lies past the end of the file ({} bytes).",
                        offset as u128 + len as u128,
                        self.bytes().len()
                    ),
                )
            })
    }
}

/// How stored elements are ordered within each element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ByteOrder {
    Little,
    Big,
}

/// How one `Load` op turns stored bytes into its outputs.
#[derive(Clone, Debug)]
pub(crate) enum StoredLayout {
    /// Plain elements of the output dtype from `offset`, in row-major (C) or column-major
    /// (Fortran) order.
    Elements {
        offset: usize,
        byte_order: ByteOrder,
        fortran: bool,
    },
    /// An npy file compressed in a zip archive: member `member`, whose elements start
    /// `data_start` bytes into the decompressed npy.
    Deflated {
        member: usize,
        data_start: usize,
        byte_order: ByteOrder,
        fortran: bool,
    },
    /// GGUF quantized blocks from `offset`, which become MLX's affine triplet
    /// (weights, scales, biases).
    GgufBlocks { offset: usize, blocks: GgufBlocks },
}

/// The payload of [`Primitive::Load`]: a file and where one tensor lies in it.
pub struct LoadSource {
    file: Arc<SourceFile>,
    layout: StoredLayout,
}

impl fmt::Debug for LoadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LoadSource({}, {:?})", self.file.name, self.layout)
    }
}

impl PartialEq for LoadSource {
    fn eq(&self, other: &LoadSource) -> bool {
        std::ptr::eq(self, other)
    }
}

/// Pending arrays that read `layout` of `file` when evaluated, on the CPU stream as in MLX.
pub(crate) fn lazy_load(
    file: &Arc<SourceFile>,
    layout: StoredLayout,
    outputs: Vec<(Vec<usize>, Dtype)>,
) -> Result<Vec<Array>> {
    let stream = default_stream(Device::Cpu)?;
    let source = LoadSource {
        file: file.clone(),
        layout,
    };
    Ok(Array::from_op_multi(
        outputs,
        Primitive::Load(Arc::new(source)),
        vec![],
        stream,
    ))
}

/// Runs a `Load` op: one `Data` per output in `outputs` (shape and dtype).
pub(crate) fn read(source: &LoadSource, outputs: &[(Vec<usize>, Dtype)]) -> Result<Vec<Data>> {
    let file = &source.file;
    match &source.layout {
        StoredLayout::Elements {
            offset,
            byte_order,
            fortran,
        } => {
            let (shape, dtype) = &outputs[0];
            let nbytes = shape.iter().product::<usize>() * dtype.size();
            if let SourceBytes::Mapped(mapping) = &file.bytes {
                let in_place = *byte_order == ByteOrder::Little
                    && *dtype != Dtype::Bool
                    && offset % dtype.size() == 0;
                if in_place {
                    file.range("load", *offset, nbytes)?;
                    let buffer = Buffer::from_mapping(mapping.clone(), *offset, nbytes);
                    return Ok(vec![elements_data(buffer, shape, *fortran)]);
                }
            }
            let bytes = file.range("load", *offset, nbytes)?;
            Ok(vec![copy_elements(
                bytes,
                shape,
                *dtype,
                *byte_order,
                *fortran,
            )?])
        }
        StoredLayout::Deflated {
            member,
            data_start,
            byte_order,
            fortran,
        } => {
            let (shape, dtype) = &outputs[0];
            let nbytes = shape.iter().product::<usize>() * dtype.size();
            let buffer = Buffer::allocate(nbytes)?;
            // SAFETY: the fresh buffer holds `nbytes` bytes and nothing else refers to it.
            let target = unsafe { std::slice::from_raw_parts_mut(buffer.as_mut_ptr(), nbytes) };
            super::npz::inflate_member(file, *member, *data_start, target)?;
            fix_elements(target, *dtype, *byte_order);
            Ok(vec![elements_data(buffer, shape, *fortran)])
        }
        StoredLayout::GgufBlocks { offset, blocks } => {
            decode_blocks(file, *offset, *blocks, outputs)
        }
    }
}

/// Elements laid out in `buffer` in C or Fortran order, as a view.
fn elements_data(buffer: Buffer, shape: &[usize], fortran: bool) -> Data {
    let strides = if fortran {
        let reversed: Vec<usize> = shape.iter().rev().copied().collect();
        row_major_strides(&reversed).into_iter().rev().collect()
    } else {
        row_major_strides(shape)
    };
    Data {
        buffer: Arc::new(buffer),
        offset: 0,
        strides,
    }
}

/// Copies stored elements into a fresh buffer, swapping byte order where needed and
/// turning any nonzero byte of a bool into `true`.
fn copy_elements(
    bytes: &[u8],
    shape: &[usize],
    dtype: Dtype,
    byte_order: ByteOrder,
    fortran: bool,
) -> Result<Data> {
    let buffer = Buffer::allocate(bytes.len())?;
    // SAFETY: the fresh buffer holds `bytes.len()` bytes and nothing else refers to it.
    let target = unsafe { std::slice::from_raw_parts_mut(buffer.as_mut_ptr(), bytes.len()) };
    target.copy_from_slice(bytes);
    fix_elements(target, dtype, byte_order);
    Ok(elements_data(buffer, shape, fortran))
}

/// Turns copied stored elements into mx's: native byte order, and bools of 0 or 1.
fn fix_elements(target: &mut [u8], dtype: Dtype, byte_order: ByteOrder) {
    if dtype == Dtype::Bool {
        for byte in target.iter_mut() {
            *byte = u8::from(*byte != 0);
        }
    }
    if byte_order == ByteOrder::Big {
        // A complex number is two floats, each stored big-endian on its own.
        let word = if dtype == Dtype::Complex64 {
            4
        } else {
            dtype.size()
        };
        for element in target.chunks_exact_mut(word) {
            element.reverse();
        }
    }
}
