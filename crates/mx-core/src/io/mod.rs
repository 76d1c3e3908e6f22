//! Reading and writing arrays: npy, npz, safetensors and GGUF, as MLX does.
//!
//! Loading from a path is lazy: [`load`] parses the headers and returns at once, and an
//! array's data is read from the file's memory mapping only when it is evaluated. An
//! aligned little-endian tensor is used in place from the mapping, so
//! `load(path)` → `astype(Float16)` on every tensor → one `eval` never holds the file's
//! float32 tensors in allocated memory. Saves write a temporary file and rename it over
//! the target, so a failed save never leaves a half-written file under the target name.
//!
//! ```
//! use mx_core::{array, io};
//! let dir = std::env::temp_dir().join(format!("mx-io-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("weights.safetensors");
//! let w = array![[1.0, 2.0], [3.0, 4.0]];
//! io::save_safetensors(&path, [("w", &w)], &Default::default()).unwrap();
//! let loaded = io::load(&path).unwrap().into_arrays().unwrap();
//! assert_eq!(loaded["w"].to_vec::<f32>().unwrap(), vec![1.0, 2.0, 3.0, 4.0]);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod atomic;
pub(crate) mod gguf;
#[cfg(test)]
mod hostile_tests;
mod npy;
mod npz;
mod safetensors;
pub(crate) mod source;
#[cfg(test)]
mod tests;

pub use source::LoadSource;

use crate::array::Array;
use crate::error::{Error, Result};
use atomic::write_atomically;
use source::SourceFile;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file formats mx reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One array (`.npy`).
    Npy,
    /// A zip archive of npy arrays (`.npz`).
    Npz,
    /// Named tensors with string metadata (`.safetensors`).
    Safetensors,
    /// Named tensors, possibly quantized, with typed metadata (`.gguf`).
    Gguf,
}

impl Format {
    /// The format named by a file extension (`"npy"`, `"safetensors"`, ...).
    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension {
            "npy" => Some(Format::Npy),
            "npz" => Some(Format::Npz),
            "safetensors" => Some(Format::Safetensors),
            "gguf" => Some(Format::Gguf),
            _ => None,
        }
    }

    /// The extension of files in this format, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Npy => "npy",
            Format::Npz => "npz",
            Format::Safetensors => "safetensors",
            Format::Gguf => "gguf",
        }
    }
}

/// What [`load`] returns: one array for npy, named arrays for the other formats.
#[derive(Clone)]
pub enum Loaded {
    /// The array of an npy file.
    Array(Array),
    /// The arrays of an npz, safetensors or GGUF file, by name.
    Arrays(BTreeMap<String, Array>),
}

impl Loaded {
    /// The single array of an npy file.
    pub fn into_array(self) -> Result<Array> {
        match self {
            Loaded::Array(array) => Ok(array),
            Loaded::Arrays(_) => Err(Error::InvalidArgument(
                "[load] The file holds named arrays, not a single array.".into(),
            )),
        }
    }

    /// The named arrays of an npz, safetensors or GGUF file.
    pub fn into_arrays(self) -> Result<BTreeMap<String, Array>> {
        match self {
            Loaded::Arrays(arrays) => Ok(arrays),
            Loaded::Array(_) => Err(Error::InvalidArgument(
                "[load] The file holds a single array, not named arrays.".into(),
            )),
        }
    }
}

/// One metadata value of a safetensors or GGUF file, as MLX returns it: a string, a list
/// of strings, or a numeric array (0-d for a scalar, 1-d for a list).
#[derive(Clone)]
pub enum MetadataValue {
    /// A string.
    String(String),
    /// A list of strings.
    Strings(Vec<String>),
    /// A number (0-d array) or a list of numbers (1-d array).
    Array(Array),
}

impl std::fmt::Debug for MetadataValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetadataValue::String(s) => write!(f, "{s:?}"),
            MetadataValue::Strings(s) => write!(f, "{s:?}"),
            MetadataValue::Array(a) => write!(f, "{a}"),
        }
    }
}

/// File metadata by key. Safetensors metadata holds only strings.
pub type Metadata = BTreeMap<String, MetadataValue>;

/// The format of `path`, from its extension, or MLX's error.
fn format_of(path: &Path) -> Result<Format> {
    let Some(extension) = path.extension() else {
        return Err(Error::InvalidArgument(
            "[load] Could not infer file format from extension".into(),
        ));
    };
    let extension = extension.to_string_lossy();
    Format::from_extension(&extension)
        .ok_or_else(|| Error::InvalidArgument(format!("[load] Unknown file format {extension}")))
}

/// Loads a file lazily, choosing the format from its extension: one array from `.npy`,
/// named arrays from `.npz`, `.safetensors` and `.gguf`.
///
/// It returns at once whatever the file's size; data is read when an array is evaluated.
/// The file must not be rewritten in place while arrays loaded from it are alive (mx's
/// own saves replace files by rename, which is safe).
pub fn load(path: impl AsRef<Path>) -> Result<Loaded> {
    let path = path.as_ref();
    load_format(path, format_of(path)?)
}

/// Loads a file lazily in the given format, whatever its extension.
pub fn load_format(path: impl AsRef<Path>, format: Format) -> Result<Loaded> {
    let file = SourceFile::map(path.as_ref(), "load")?;
    load_source(&file, format).map(|(loaded, _)| loaded)
}

/// Loads a safetensors or GGUF file lazily with its metadata (MLX's
/// `return_metadata=True`).
pub fn load_with_metadata(path: impl AsRef<Path>) -> Result<(BTreeMap<String, Array>, Metadata)> {
    let path = path.as_ref();
    let format = format_of(path)?;
    if matches!(format, Format::Npy | Format::Npz) {
        return Err(Error::InvalidArgument(format!(
            "[load] metadata not supported for format {}",
            format.extension()
        )));
    }
    let file = SourceFile::map(path, "load")?;
    let (loaded, metadata) = load_source(&file, format)?;
    Ok((loaded.into_arrays()?, metadata))
}

/// Reads a whole file from `reader` and loads it eagerly: the arrays are evaluated before
/// this returns, since a reader cannot be revisited later.
pub fn load_reader(reader: impl Read, format: Format) -> Result<Loaded> {
    let file = SourceFile::read(reader, &format!("<reader>.{}", format.extension()), "load")?;
    let (loaded, _) = load_source(&file, format)?;
    let arrays: Vec<&Array> = match &loaded {
        Loaded::Array(array) => vec![array],
        Loaded::Arrays(arrays) => arrays.values().collect(),
    };
    crate::transforms::eval(&arrays)?;
    Ok(loaded)
}

fn load_source(file: &Arc<SourceFile>, format: Format) -> Result<(Loaded, Metadata)> {
    match format {
        Format::Npy => Ok((Loaded::Array(npy_load(file)?), Metadata::new())),
        Format::Npz => Ok((Loaded::Arrays(npz::load(file)?), Metadata::new())),
        Format::Safetensors => {
            let (arrays, metadata) = safetensors::load(file)?;
            Ok((Loaded::Arrays(arrays), metadata))
        }
        Format::Gguf => {
            let (arrays, metadata) = gguf::load(file)?;
            Ok((Loaded::Arrays(arrays), metadata))
        }
    }
}

fn npy_load(file: &Arc<SourceFile>) -> Result<Array> {
    let header = npy::parse_header(file.bytes(), file)?;
    let len = header.data_len().unwrap_or(usize::MAX);
    file.range("load", header.data_start, len)?;
    let layout = source::StoredLayout::Elements {
        offset: header.data_start,
        byte_order: header.byte_order,
        fortran: header.fortran,
    };
    Ok(source::lazy_load(file, layout, vec![(header.shape, header.dtype)])?.remove(0))
}

/// The number of elements of a stored `shape` times `item_bytes`, if the product of its
/// nonzero dimensions times `item_bytes` fits in an `isize`; a hostile header's shape
/// that passes this check cannot overflow anything downstream, even with a zero dimension.
pub(crate) fn checked_nbytes(shape: &[usize], item_bytes: usize) -> Option<usize> {
    let nonzero = shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(item_bytes, |n, &d| n.checked_mul(d))
        .filter(|&n| n <= isize::MAX as usize)?;
    Some(if shape.contains(&0) { 0 } else { nonzero })
}

/// `path` with `.extension` appended unless it already ends with it, as MLX's savers do.
fn with_extension(path: &Path, format: Format) -> PathBuf {
    let suffix = format!(".{}", format.extension());
    if path.to_string_lossy().ends_with(&suffix) {
        path.to_path_buf()
    } else {
        let mut name = path.as_os_str().to_owned();
        name.push(&suffix);
        PathBuf::from(name)
    }
}

/// Saves one array as `.npy` (appending the extension if missing).
pub fn save(path: impl AsRef<Path>, array: &Array) -> Result<()> {
    let path = with_extension(path.as_ref(), Format::Npy);
    let header = npy::write_header(array.dtype(), array.shape());
    write_atomically(&path, "save", |file| {
        use std::io::Write;
        array_bytes(array, |bytes| {
            file.write_all(&header)
                .and_then(|_| file.write_all(bytes))
                .map_err(|e| Error::Io(format!("[save] Failed to write {}: {e}.", path.display())))
        })?
    })
}

/// Collects named arrays in order, refusing a name given twice.
fn named_arrays<'a, K: AsRef<str>>(
    arrays: impl IntoIterator<Item = (K, &'a Array)>,
    op: &str,
) -> Result<Vec<(String, Array)>> {
    let mut seen = std::collections::BTreeSet::new();
    let mut named = Vec::new();
    for (name, array) in arrays {
        let name = name.as_ref().to_string();
        if !seen.insert(name.clone()) {
            return Err(Error::InvalidArgument(format!(
                "[{op}] The name '{name}' is given twice."
            )));
        }
        named.push((name, array.clone()));
    }
    Ok(named)
}

/// Saves named arrays as an uncompressed `.npz` archive (appending the extension if
/// missing). NumPy's `np.load` reads it; MLX names positional arrays `arr_0`, `arr_1`, ...
pub fn savez<'a, K: AsRef<str>>(
    path: impl AsRef<Path>,
    arrays: impl IntoIterator<Item = (K, &'a Array)>,
) -> Result<()> {
    let named = named_arrays(arrays, "savez")?;
    npz::save(&with_extension(path.as_ref(), Format::Npz), &named, false)
}

/// Saves named arrays as a deflate-compressed `.npz` archive.
pub fn savez_compressed<'a, K: AsRef<str>>(
    path: impl AsRef<Path>,
    arrays: impl IntoIterator<Item = (K, &'a Array)>,
) -> Result<()> {
    let named = named_arrays(arrays, "savez_compressed")?;
    npz::save(&with_extension(path.as_ref(), Format::Npz), &named, true)
}

/// Saves named arrays as `.safetensors` with string metadata (appending the extension if
/// missing). Tensors are ordered as the safetensors crate writes them, aligned so that
/// loading them back is zero-copy.
pub fn save_safetensors<'a, K: AsRef<str>>(
    path: impl AsRef<Path>,
    arrays: impl IntoIterator<Item = (K, &'a Array)>,
    metadata: &BTreeMap<String, String>,
) -> Result<()> {
    let named = named_arrays(arrays, "save_safetensors")?;
    safetensors::save(
        &with_extension(path.as_ref(), Format::Safetensors),
        &named,
        metadata,
    )
}

/// Saves named arrays as GGUF v3 with typed metadata (appending the extension if missing).
pub fn save_gguf<'a, K: AsRef<str>>(
    path: impl AsRef<Path>,
    arrays: impl IntoIterator<Item = (K, &'a Array)>,
    metadata: &Metadata,
) -> Result<()> {
    let named = named_arrays(arrays, "save_gguf")?;
    gguf::save(
        &with_extension(path.as_ref(), Format::Gguf),
        &named,
        metadata,
    )
}

/// Evaluates `array` and calls `f` with its elements as row-major little-endian bytes.
pub(crate) fn array_bytes<R>(array: &Array, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
    let contiguous = array.contiguous()?;
    let data = contiguous.data()?;
    data.buffer.ensure_host()?;
    let nbytes = array.nbytes();
    let bytes = if nbytes == 0 {
        &[][..]
    } else {
        // SAFETY: a row-contiguous array's `nbytes` bytes start at its offset in the buffer,
        // which the evaluated data keeps alive for the duration of the call.
        unsafe {
            std::slice::from_raw_parts(
                data.buffer.as_ptr().add(data.offset * array.itemsize()),
                nbytes,
            )
        }
    };
    Ok(f(bytes))
}
