//! The npy format: a magic string, a Python-literal header, then the raw elements.
//!
//! bfloat16 follows MLX's convention, the void type `<V2`, which NumPy reads as raw bytes.

use super::source::{ByteOrder, SourceFile};
use crate::dtype::Dtype;
use crate::error::Result;

/// The magic string every npy file starts with.
pub(crate) const MAGIC: &[u8] = b"\x93NUMPY";

/// What an npy header says about the array that follows it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NpyHeader {
    pub(crate) dtype: Dtype,
    pub(crate) byte_order: ByteOrder,
    pub(crate) fortran: bool,
    pub(crate) shape: Vec<usize>,
    /// Where the elements start, counted from the start of the npy data.
    pub(crate) data_start: usize,
}

impl NpyHeader {
    /// Bytes of element data the header promises, or `None` if that overflows.
    pub(crate) fn data_len(&self) -> Option<usize> {
        super::checked_nbytes(&self.shape, self.dtype.size())
    }
}

/// Parses the header at the start of `bytes` (an npy file, or its start). Problems are
/// reported against `file`.
pub(crate) fn parse_header(bytes: &[u8], file: &SourceFile) -> Result<NpyHeader> {
    let invalid = |problem: &str| file.invalid("load", problem);
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(invalid("not an npy file (bad magic string)."));
    }
    let (header_len, header_start): (usize, usize) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        version => {
            return Err(invalid(&format!(
                "unsupported npy format version {version}."
            )))
        }
    };
    let header = header_start
        .checked_add(header_len)
        .and_then(|end| bytes.get(header_start..end))
        .ok_or_else(|| invalid("the npy header runs past the end of the file."))?;
    let text = std::str::from_utf8(header).map_err(|_| invalid("the npy header is not text."))?;
    let fields =
        parse_dict(text).ok_or_else(|| invalid("the npy header is not a valid dictionary."))?;
    let mut descr = None;
    let mut fortran = None;
    let mut shape = None;
    for (key, value) in fields {
        match (key.as_str(), value) {
            ("descr", Value::Str(s)) => descr = Some(s),
            ("fortran_order", Value::Bool(b)) => fortran = Some(b),
            ("shape", Value::Tuple(dims)) => shape = Some(dims),
            _ => return Err(invalid(&format!("unexpected npy header field '{key}'."))),
        }
    }
    let (Some(descr), Some(fortran), Some(shape)) = (descr, fortran, shape) else {
        return Err(invalid(
            "the npy header needs 'descr', 'fortran_order' and 'shape'.",
        ));
    };
    let (dtype, byte_order) = parse_descr(&descr).ok_or_else(|| {
        invalid(&format!(
            "unsupported array protocol type-string '{descr}'."
        ))
    })?;
    let parsed = NpyHeader {
        dtype,
        byte_order,
        fortran,
        shape,
        data_start: header_start + header_len,
    };
    if parsed.data_len().is_none() {
        return Err(invalid("the npy shape is too large."));
    }
    Ok(parsed)
}

/// The dtype and byte order of an array-protocol type string such as `<f4`.
pub(crate) fn parse_descr(descr: &str) -> Option<(Dtype, ByteOrder)> {
    let mut chars = descr.chars();
    let order = match chars.next()? {
        '<' | '|' | '=' => ByteOrder::Little,
        '>' => ByteOrder::Big,
        _ => return None,
    };
    let dtype = match chars.as_str() {
        "b1" | "?" => Dtype::Bool,
        "u1" => Dtype::Uint8,
        "u2" => Dtype::Uint16,
        "u4" => Dtype::Uint32,
        "u8" => Dtype::Uint64,
        "i1" => Dtype::Int8,
        "i2" => Dtype::Int16,
        "i4" => Dtype::Int32,
        "i8" => Dtype::Int64,
        "f2" => Dtype::Float16,
        "f4" => Dtype::Float32,
        "f8" => Dtype::Float64,
        "c8" => Dtype::Complex64,
        "V2" => Dtype::Bfloat16,
        _ => return None,
    };
    Some((dtype, order))
}

/// The little-endian type string mx writes for `dtype`.
pub(crate) fn descr(dtype: Dtype) -> &'static str {
    match dtype {
        Dtype::Bool => "|b1",
        Dtype::Uint8 => "|u1",
        Dtype::Uint16 => "<u2",
        Dtype::Uint32 => "<u4",
        Dtype::Uint64 => "<u8",
        Dtype::Int8 => "|i1",
        Dtype::Int16 => "<i2",
        Dtype::Int32 => "<i4",
        Dtype::Int64 => "<i8",
        Dtype::Float16 => "<f2",
        Dtype::Bfloat16 => "<V2",
        Dtype::Float32 => "<f4",
        Dtype::Float64 => "<f8",
        Dtype::Complex64 => "<c8",
    }
}

/// A version-1 header (version 2 when it does not fit) for a row-major array, padded with
/// spaces so that the elements start on a 64-byte boundary, as NumPy writes it.
pub(crate) fn write_header(dtype: Dtype, shape: &[usize]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let shape_text = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let dict = format!(
        "{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
        descr(dtype),
        shape_text
    );
    let (version, prefix) = if dict.len() + 11 + 64 <= u16::MAX as usize {
        (1u8, 10)
    } else {
        (2u8, 12)
    };
    let total = (prefix + dict.len() + 1).next_multiple_of(64);
    let header_len = total - prefix;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[version, 0]);
    if version == 1 {
        out.extend_from_slice(&(header_len as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(header_len as u32).to_le_bytes());
    }
    out.extend_from_slice(dict.as_bytes());
    out.resize(total - 1, b' ');
    out.push(b'\n');
    out
}

/// A value in an npy header dictionary.
#[derive(Debug, PartialEq)]
enum Value {
    Str(String),
    Bool(bool),
    Tuple(Vec<usize>),
}

/// Parses the Python dictionary literal of an npy header: string keys, and string,
/// boolean or integer-tuple values.
fn parse_dict(text: &str) -> Option<Vec<(String, Value)>> {
    let mut rest = text
        .trim()
        .strip_prefix('{')?
        .trim_end()
        .strip_suffix('}')?;
    let mut fields = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Some(fields);
        }
        let (key, after_key) = parse_str(rest)?;
        rest = after_key.trim_start().strip_prefix(':')?.trim_start();
        let value;
        (value, rest) = if rest.starts_with('\'') || rest.starts_with('"') {
            let (s, after) = parse_str(rest)?;
            (Value::Str(s), after)
        } else if let Some(after) = rest.strip_prefix("True") {
            (Value::Bool(true), after)
        } else if let Some(after) = rest.strip_prefix("False") {
            (Value::Bool(false), after)
        } else {
            let inner = rest.strip_prefix('(')?;
            let close = inner.find(')')?;
            let dims = inner[..close]
                .split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(|d| d.trim_end_matches('L').parse().ok())
                .collect::<Option<Vec<usize>>>()?;
            (Value::Tuple(dims), &inner[close + 1..])
        };
        fields.push((key, value));
        rest = rest.trim_start();
        match rest.strip_prefix(',') {
            Some(after) => rest = after,
            None if rest.is_empty() => return Some(fields),
            None => return None,
        }
    }
}

/// A quoted string at the start of `text`, and what follows it.
fn parse_str(text: &str) -> Option<(String, &str)> {
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = &text[1..];
    let end = body.find(quote)?;
    Some((body[..end].to_string(), &body[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numpy_style_dictionaries() {
        let fields =
            parse_dict("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }  ").unwrap();
        assert_eq!(
            fields,
            vec![
                ("descr".into(), Value::Str("<f4".into())),
                ("fortran_order".into(), Value::Bool(false)),
                ("shape".into(), Value::Tuple(vec![2, 3])),
            ]
        );
        let scalar = parse_dict("{\"shape\": (), \"descr\": \"|b1\"}").unwrap();
        assert_eq!(scalar[0].1, Value::Tuple(vec![]));
        assert_eq!(
            parse_dict("{'shape': (3,)}").unwrap()[0].1,
            Value::Tuple(vec![3])
        );
        assert!(parse_dict("{'shape': (-1,)}").is_none());
        assert!(parse_dict("{'shape' (1,)}").is_none());
        assert!(parse_dict("'shape': (1,)").is_none());
    }

    #[test]
    fn headers_align_the_data_to_64_bytes() {
        for shape in [vec![], vec![5], vec![2, 3, 4]] {
            let header = write_header(Dtype::Float32, &shape);
            assert_eq!(header.len() % 64, 0);
            assert_eq!(*header.last().unwrap(), b'\n');
        }
        let text = String::from_utf8_lossy(&write_header(Dtype::Bfloat16, &[7])).into_owned();
        assert!(text.contains("'descr': '<V2'") && text.contains("(7,)"));
    }

    #[test]
    fn type_strings_cover_every_dtype() {
        for dtype in Dtype::ALL {
            assert_eq!(parse_descr(descr(dtype)), Some((dtype, ByteOrder::Little)));
        }
        assert_eq!(parse_descr(">i2"), Some((Dtype::Int16, ByteOrder::Big)));
        assert_eq!(parse_descr("<U4"), None);
        assert_eq!(parse_descr("<c16"), None);
    }
}
