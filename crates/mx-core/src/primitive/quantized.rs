//! The quantization primitives' parameters, and the scalar codes every backend shares.

/// How weights are quantized, as MLX's `mode` argument.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum QuantizationMode {
    /// Integer codes with a float scale and bias per group (`bits` 1–6 or 8).
    #[default]
    Affine,
    /// 4-bit E2M1 floats with a power-of-two (E8M0) scale per 32 elements.
    Mxfp4,
    /// 8-bit E4M3 floats with a power-of-two (E8M0) scale per 32 elements.
    Mxfp8,
    /// 4-bit E2M1 floats with an E4M3 scale per 16 elements.
    Nvfp4,
}

impl QuantizationMode {
    /// The mode of MLX's name for it (`"affine"`, `"mxfp4"`, `"mxfp8"`, `"nvfp4"`).
    pub fn parse(name: &str, op: &str) -> crate::Result<QuantizationMode> {
        Ok(match name {
            "affine" => QuantizationMode::Affine,
            "mxfp4" => QuantizationMode::Mxfp4,
            "mxfp8" => QuantizationMode::Mxfp8,
            "nvfp4" => QuantizationMode::Nvfp4,
            other => {
                return Err(crate::Error::InvalidArgument(format!(
                    "[{op}] Invalid quantization mode '{other}'."
                )))
            }
        })
    }

    /// MLX's name for the mode.
    pub fn name(self) -> &'static str {
        match self {
            QuantizationMode::Affine => "affine",
            QuantizationMode::Mxfp4 => "mxfp4",
            QuantizationMode::Mxfp8 => "mxfp8",
            QuantizationMode::Nvfp4 => "nvfp4",
        }
    }

    /// The default `(group_size, bits)` of the mode.
    pub fn defaults(self) -> (usize, usize) {
        match self {
            QuantizationMode::Affine => (64, 4),
            QuantizationMode::Mxfp4 => (32, 4),
            QuantizationMode::Mxfp8 => (32, 8),
            QuantizationMode::Nvfp4 => (16, 4),
        }
    }
}

/// A resolved quantization: mode, group size and bits per element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QuantizationFormat {
    /// The mode.
    pub mode: QuantizationMode,
    /// Elements per scale.
    pub group_size: usize,
    /// Bits per element.
    pub bits: usize,
}

/// The values of the 16 FP4 (E2M1) codes.
pub(crate) const FP4_VALUES: [f32; 16] = [
    0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0,
];

/// The E4M3 (FN) byte of `x`: round to nearest even, saturating at ±448; NaN and
/// infinities become ±448, as MLX's conversion has it.
pub(crate) fn to_fp8(x: f32) -> u8 {
    let bits = x.to_bits();
    let sign = bits & 0x8000_0000;
    let magnitude = bits ^ sign;
    let code = if magnitude >= 0x43E0_0000 {
        0x7E
    } else if magnitude < (121 << 23) {
        // Below 2^-6: the subnormals, rounded at 2^-9 by an addition.
        (f32::from_bits(magnitude) + 16384.0)
            .to_bits()
            .wrapping_sub(141 << 23) as u8
    } else {
        let rebiased = magnitude.wrapping_add((7u32.wrapping_sub(127)) << 23);
        (rebiased
            .wrapping_add(0x7FFFF)
            .wrapping_add((magnitude >> 20) & 1)
            >> 20) as u8
    };
    code | (sign >> 24) as u8
}

/// The value of E4M3 (FN) byte `b`; `0x7F` and `0xFF` are NaN.
pub(crate) fn from_fp8(b: u8) -> f32 {
    let v = (b & 127) as u16;
    let sign = (b >> 7) as u16;
    let half = (v << 7) | (((v + 1) >> 7) << 14) | (sign << 15);
    half::f16::from_bits(half).to_f32() * 256.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fp8_round_trips_every_code() {
        for b in 0..=255u8 {
            let v = from_fp8(b);
            if b & 127 == 127 {
                assert!(v.is_nan());
            } else {
                assert_eq!(to_fp8(v), b, "code {b:#x} ({v})");
            }
        }
        assert_eq!(to_fp8(f32::INFINITY), 0x7E);
        assert_eq!(to_fp8(f32::NAN), 0x7E);
        assert_eq!(to_fp8(-1000.0), 0xFE);
        assert_eq!(from_fp8(0x7E), 448.0);
    }
}
