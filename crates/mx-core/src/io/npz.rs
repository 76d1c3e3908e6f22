//! The npz format: a zip archive of npy files, stored or deflated.
//!
//! Stored members load lazily from the mapping like npy files; deflated members parse
//! their header at load time and inflate when evaluated.

use super::npy::{self, NpyHeader};
use super::source::{lazy_load, SourceFile, StoredLayout};
use super::{array_bytes, write_atomically};
use crate::array::Array;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::sync::Arc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The longest npy header read from a compressed member; NumPy itself refuses headers
/// over 10 kB, and the bound keeps a hostile member from inflating without limit.
const MAX_HEADER_BYTES: u64 = 1 << 20;

fn open_archive(file: &SourceFile) -> Result<ZipArchive<Cursor<&[u8]>>> {
    ZipArchive::new(Cursor::new(file.bytes()))
        .map_err(|e| file.invalid("load", format!("not a valid npz (zip) archive: {e}.")))
}

/// The arrays of an npz archive, keyed by member name without its `.npy` suffix.
pub(crate) fn load(file: &Arc<SourceFile>) -> Result<BTreeMap<String, Array>> {
    let mut archive = open_archive(file)?;
    let mut arrays = BTreeMap::new();
    for index in 0..archive.len() {
        let mut member = archive
            .by_index(index)
            .map_err(|e| file.invalid("load", format!("member {index}: {e}.")))?;
        let member_name = member
            .name()
            .map_err(|e| file.invalid("load", format!("member {index} has a bad name: {e}.")))?
            .to_string();
        let name = member_name
            .strip_suffix(".npy")
            .unwrap_or(&member_name)
            .to_string();
        let size = member.size();
        let (header, layout) = match member.compression() {
            CompressionMethod::Stored => {
                let start = member.data_start().ok_or_else(|| {
                    file.invalid("load", format!("member '{member_name}' has no data."))
                })?;
                let start = usize::try_from(start).map_err(|_| {
                    file.invalid("load", format!("member '{member_name}' is out of range."))
                })?;
                let length = usize::try_from(size).unwrap_or(usize::MAX);
                let bytes = file.range("load", start, length)?;
                let header = npy::parse_header(bytes, file)?;
                let layout = StoredLayout::Elements {
                    offset: start + header.data_start,
                    byte_order: header.byte_order,
                    fortran: header.fortran,
                };
                (header, layout)
            }
            CompressionMethod::Deflated => {
                let mut start = Vec::new();
                (&mut member)
                    .take(MAX_HEADER_BYTES)
                    .read_to_end(&mut start)
                    .map_err(|e| {
                        file.invalid(
                            "load",
                            format!("member '{member_name}' does not inflate: {e}."),
                        )
                    })?;
                let header = npy::parse_header(&start, file)?;
                let layout = StoredLayout::Deflated {
                    member: index,
                    data_start: header.data_start,
                    byte_order: header.byte_order,
                    fortran: header.fortran,
                };
                (header, layout)
            }
            method => {
                return Err(file.invalid(
                    "load",
                    format!("member '{member_name}' uses unsupported compression {method}."),
                ))
            }
        };
        check_member_size(file, &member_name, &header, size)?;
        let array = lazy_load(file, layout, vec![(header.shape, header.dtype)])?.remove(0);
        if arrays.insert(name.clone(), array).is_some() {
            return Err(file.invalid("load", format!("the name '{name}' appears twice.")));
        }
    }
    Ok(arrays)
}

fn check_member_size(file: &SourceFile, name: &str, header: &NpyHeader, size: u64) -> Result<()> {
    let needed = header
        .data_len()
        .and_then(|len| len.checked_add(header.data_start));
    match needed {
        Some(needed) if needed as u64 <= size => Ok(()),
        _ => Err(file.invalid(
            "load",
            format!("member '{name}' is shorter ({size} bytes) than its header says."),
        )),
    }
}

/// Inflates deflated member `index`, skips its first `skip` bytes (the npy header) and
/// fills `target` with the bytes that follow.
pub(crate) fn inflate_member(
    file: &SourceFile,
    index: usize,
    skip: usize,
    target: &mut [u8],
) -> Result<()> {
    let mut archive = open_archive(file)?;
    let mut member = archive
        .by_index(index)
        .map_err(|e| file.invalid("load", format!("member {index}: {e}.")))?;
    let failed = |e: std::io::Error| {
        file.invalid(
            "load",
            format!("member {index} does not inflate to its header's size: {e}."),
        )
    };
    std::io::copy(&mut (&mut member).take(skip as u64), &mut std::io::sink()).map_err(failed)?;
    member.read_exact(target).map_err(failed)
}

/// Writes `arrays` as an npz archive at `path`, deflated when `compress`.
pub(crate) fn save(path: &Path, arrays: &[(String, Array)], compress: bool) -> Result<()> {
    let op = if compress {
        "savez_compressed"
    } else {
        "savez"
    };
    let method = if compress {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    write_atomically(path, op, |file| {
        let zip_error = |e: zip::result::ZipError| {
            Error::Io(format!("[{op}] Failed to write {}: {e}.", path.display()))
        };
        let mut writer = ZipWriter::new(file);
        for (name, array) in arrays {
            let options = SimpleFileOptions::default()
                .compression_method(method)
                .large_file(array.nbytes() as u64 >= u32::MAX as u64 / 2);
            writer
                .start_file(format!("{name}.npy"), options)
                .map_err(zip_error)?;
            let header = npy::write_header(array.dtype(), array.shape());
            array_bytes(array, |bytes| {
                writer
                    .write_all(&header)
                    .and_then(|_| writer.write_all(bytes))
                    .map_err(|e| {
                        Error::Io(format!("[{op}] Failed to write {}: {e}.", path.display()))
                    })
            })??;
        }
        writer.finish().map_err(zip_error)?;
        Ok(())
    })
}
