//! GGUF's 32-element quantized blocks, turned into MLX's affine triplets exactly as
//! `mx.load` does: codes packed low bits first into uint32 words, with float16 scales and
//! biases, group size 32.

use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;
use crate::io::source::SourceFile;
use half::f16;
use rayon::prelude::*;

/// Elements per GGUF block, and MLX's group size for the converted tensors.
pub(crate) const BLOCK: usize = 32;

/// The quantized GGUF block types mx loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GgufBlocks {
    /// A float16 scale `d` and 32 4-bit codes; `x = d * (q - 8)`.
    Q4_0,
    /// A float16 scale `d`, a float16 minimum `m` and 32 4-bit codes; `x = d * q + m`.
    Q4_1,
    /// A float16 scale `d` and 32 signed 8-bit codes; `x = d * q`.
    Q8_0,
}

impl GgufBlocks {
    /// Bytes of one block in the file.
    pub(crate) fn block_bytes(self) -> usize {
        match self {
            GgufBlocks::Q4_0 => 18,
            GgufBlocks::Q4_1 => 20,
            GgufBlocks::Q8_0 => 34,
        }
    }

    /// Bits per code in MLX's packing.
    pub(crate) fn bits(self) -> usize {
        match self {
            GgufBlocks::Q4_0 | GgufBlocks::Q4_1 => 4,
            GgufBlocks::Q8_0 => 8,
        }
    }

    /// The shapes and dtypes of (weights, scales, biases) for a tensor of `shape`, whose
    /// last axis is a multiple of [`BLOCK`].
    pub(crate) fn outputs(self, shape: &[usize]) -> Vec<(Vec<usize>, Dtype)> {
        let last = shape.len() - 1;
        let mut weights = shape.to_vec();
        weights[last] = shape[last] / 32 * self.bits();
        let mut groups = shape.to_vec();
        groups[last] = shape[last] / BLOCK;
        vec![
            (weights, Dtype::Uint32),
            (groups.clone(), Dtype::Float16),
            (groups, Dtype::Float16),
        ]
    }

    /// Decodes one block into its packed codes (4 or 8 bytes of words per block: 16 or
    /// 32 bytes), its scale and its bias.
    fn decode(self, block: &[u8], codes: &mut [u8]) -> (f16, f16) {
        let scale = f16::from_le_bytes([block[0], block[1]]);
        match self {
            GgufBlocks::Q4_0 | GgufBlocks::Q4_1 => {
                let (bias, quants) = match self {
                    GgufBlocks::Q4_0 => (f16::from_f32(-8.0 * scale.to_f32()), &block[2..18]),
                    _ => (f16::from_le_bytes([block[2], block[3]]), &block[4..20]),
                };
                // GGUF keeps elements 0..16 in the low nibbles and 16..32 in the high
                // ones; MLX packs the 32 elements in order, two per byte, low nibble first.
                for k in 0..8 {
                    codes[k] = (quants[2 * k] & 0x0F) | (quants[2 * k + 1] << 4);
                    codes[8 + k] = (quants[2 * k] >> 4) | (quants[2 * k + 1] & 0xF0);
                }
                (scale, bias)
            }
            GgufBlocks::Q8_0 => {
                for (code, &q) in codes.iter_mut().zip(&block[2..34]) {
                    // Signed codes become unsigned ones offset by 128.
                    *code = q ^ 0x80;
                }
                (scale, f16::from_f32(-128.0 * scale.to_f32()))
            }
        }
    }
}

/// Runs a GGUF-blocks `Load` op: decodes every block from `offset` into the triplet.
pub(crate) fn decode_blocks(
    file: &SourceFile,
    offset: usize,
    blocks: GgufBlocks,
    outputs: &[(Vec<usize>, Dtype)],
) -> Result<Vec<Data>> {
    let groups: usize = outputs[1].0.iter().product();
    let stored = file.range("load", offset, groups * blocks.block_bytes())?;
    let code_bytes = BLOCK * blocks.bits() / 8;
    let weights = Data::allocate(&outputs[0].0, Dtype::Uint32)?;
    let scales = Data::allocate(&outputs[1].0, Dtype::Float16)?;
    let biases = Data::allocate(&outputs[2].0, Dtype::Float16)?;
    // SAFETY: the fresh buffers hold exactly `groups` blocks of codes, scales and biases,
    // and nothing else refers to them yet.
    let (codes_out, scales_out, biases_out) = unsafe {
        (
            std::slice::from_raw_parts_mut(weights.mut_ptr::<u8>(), groups * code_bytes),
            std::slice::from_raw_parts_mut(scales.mut_ptr::<f16>(), groups),
            std::slice::from_raw_parts_mut(biases.mut_ptr::<f16>(), groups),
        )
    };
    codes_out
        .par_chunks_mut(code_bytes * 256)
        .zip(scales_out.par_chunks_mut(256))
        .zip(biases_out.par_chunks_mut(256))
        .zip(stored.par_chunks(blocks.block_bytes() * 256))
        .for_each(|(((codes, scales), biases), stored)| {
            for (i, block) in stored.chunks_exact(blocks.block_bytes()).enumerate() {
                let (scale, bias) =
                    blocks.decode(block, &mut codes[i * code_bytes..(i + 1) * code_bytes]);
                scales[i] = scale;
                biases[i] = bias;
            }
        });
    Ok(vec![weights, scales, biases])
}
