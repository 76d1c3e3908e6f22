//! Parity of the scientific ops: FFTs (cuFFT), the Hadamard transform, quantization
//! (bit for bit) and convolutions.

use super::{input, Harness, FLOATS, GENERAL};
use mx::fft::{self, FftNorm};
use mx::{Array, ConvGeneral, Dtype, QuantizationMode, QuantizationParams};

pub(super) fn scientific_ops(h: &mut Harness) {
    ffts(h);
    hadamard(h);
    quantization(h);
    convolutions(h);
    loaded_files(h);
}

/// Arrays loaded lazily from files (read in place from the mapping on the CPU stream)
/// feed GPU ops, which upload them.
fn loaded_files(h: &mut Harness) {
    let dir = std::env::temp_dir().join(format!("mx-gpu-io-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let path = dir.join("w.safetensors");
    let w = input(&[64, 128], Dtype::Float32, GENERAL, 71);
    let params = QuantizationParams::affine(32, 4);
    let q = mx::quantize(&w, &params, None).expect("quantize");
    let mut tensors = std::collections::BTreeMap::new();
    for dtype in FLOATS {
        tensors.insert(format!("w.{dtype}"), w.astype(dtype).expect("astype"));
    }
    tensors.insert("q.weight".to_string(), q.weights.clone());
    tensors.insert("q.scales".to_string(), q.scales.clone());
    tensors.insert("q.biases".to_string(), q.biases.clone().expect("biases"));
    mx::io::save_safetensors(&path, &tensors, &Default::default()).expect("save");
    let load = || mx::io::load(&path).and_then(|l| l.into_arrays());
    for dtype in FLOATS {
        h.check(&format!("loaded {dtype} * 2 + 1"), None, &|| {
            let a = &load()?[&format!("w.{dtype}")];
            mx::add(&mx::multiply(a, 2.0)?, 1.0)
        });
    }
    h.check("loaded quantized_matmul", Some(1e-6), &|| {
        let arrays = load()?;
        let x = input(&[3, 128], Dtype::Float32, GENERAL, 72);
        mx::quantized_matmul(
            &x,
            &arrays["q.weight"],
            &arrays["q.scales"],
            Some(&arrays["q.biases"]),
            true,
            &params,
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
}

fn ffts(h: &mut Harness) {
    let b = FftNorm::Backward;
    let tolerance = Some(1e-10);
    for shape in [[4usize, 64], [3, 1000], [2, 4097]] {
        let x = input(&shape, Dtype::Float32, GENERAL, 401);
        let label = |op: &str| format!("{op} {shape:?}");
        h.check(&label("rfft"), tolerance, &|| fft::rfft(&x, None, -1, b));
        h.check(&label("fft"), tolerance, &|| fft::fft(&x, None, -1, b));
        h.check(&label("irfft of rfft"), tolerance, &|| {
            fft::irfft(&fft::rfft(&x, None, -1, b)?, Some(shape[1]), -1, b)
        });
        h.check(&label("ifft along axis 0"), tolerance, &|| {
            fft::ifft(&x, Some(6), 0, b)
        });
    }
    let x = input(&[3, 5, 6], Dtype::Float32, GENERAL, 403);
    h.check("fftn", tolerance, &|| {
        fft::fftn(&x, None, None, FftNorm::Ortho)
    });
    h.check("irfftn odd", tolerance, &|| {
        fft::irfftn(
            &fft::rfftn(&x, None, None, b)?,
            Some(&[3, 5, 7]),
            Some(&[0, 1, 2]),
            b,
        )
    });
    h.check("grad of rfft", tolerance, &|| {
        mx::grad(|x: &Array| mx::sum(&mx::abs(&fft::rfft(x, None, -1, b)?)?, None, false))(&x)
    });
}

fn hadamard(h: &mut Harness) {
    for dtype in FLOATS {
        for n in [2usize, 64, 1024, 12, 40, 28 * 8] {
            let x = input(&[3, n], dtype, GENERAL, 411);
            h.check(&format!("hadamard {dtype} {n}"), Some(0.0), &|| {
                mx::hadamard_transform(&x, None)
            });
        }
    }
}

fn quantization(h: &mut Harness) {
    for dtype in FLOATS {
        let w = input(&[64, 256], dtype, GENERAL, 421);
        let x = input(&[3, 256], dtype, GENERAL, 423);
        let vector = input(&[1, 256], dtype, GENERAL, 425);
        let mut formats: Vec<QuantizationParams> = [2usize, 3, 4, 5, 6, 8]
            .iter()
            .map(|&bits| QuantizationParams::affine(64, bits))
            .collect();
        formats.push(QuantizationParams::affine(32, 4));
        formats.push(QuantizationParams::affine(128, 8));
        for mode in [
            QuantizationMode::Mxfp4,
            QuantizationMode::Mxfp8,
            QuantizationMode::Nvfp4,
        ] {
            formats.push(QuantizationParams::mode(mode));
        }
        for params in &formats {
            let label = |op: &str| format!("{op} {dtype} {params:?}");
            let parts = |i: usize| -> mx::Result<Array> {
                let q = mx::quantize(&w, params, None)?;
                Ok(match i {
                    0 => q.weights,
                    1 => q.scales,
                    _ => q.biases.unwrap_or(q.scales),
                })
            };
            for i in 0..3 {
                h.check(&label(&format!("quantize output {i}")), Some(0.0), &|| {
                    parts(i)
                });
            }
            // Both sides dequantize the CPU's codes, so only the kernels differ.
            let q = mx::with_stream(h.cpu, || mx::quantize(&w, params, None)).expect("quantize");
            h.check(&label("dequantize"), Some(0.0), &|| {
                mx::dequantize(&q.weights, &q.scales, q.biases.as_ref(), params, None, None)
            });
            let tolerance = if dtype == Dtype::Float32 {
                Some(1e-5)
            } else {
                None
            };
            for rows in [&x, &vector] {
                h.check(
                    &label(&format!("quantized_matmul {:?}", rows.shape())),
                    tolerance,
                    &|| {
                        mx::quantized_matmul(
                            rows,
                            &q.weights,
                            &q.scales,
                            q.biases.as_ref(),
                            true,
                            params,
                        )
                    },
                );
            }
        }
        let bytes = mx::arange(0, 256, 1, Some(Dtype::Uint8)).expect("bytes");
        h.check(&format!("from_fp8 {dtype}"), Some(0.0), &|| {
            mx::from_fp8(&bytes, dtype)
        });
        h.check(&format!("to_fp8 {dtype}"), Some(0.0), &|| {
            mx::to_fp8(&mx::multiply(&w, 30.0)?)
        });
    }
}

fn convolutions(h: &mut Harness) {
    for dtype in FLOATS {
        let tolerance = if dtype == Dtype::Float32 {
            Some(1e-5)
        } else {
            None
        };
        let x = input(&[2, 9, 8, 6], dtype, GENERAL, 431);
        let w = input(&[4, 3, 3, 6], dtype, GENERAL, 433);
        let grouped = input(&[6, 3, 2, 2], dtype, GENERAL, 435);
        let label = |op: &str| format!("{op} {dtype}");
        h.check(&label("conv2d"), tolerance, &|| {
            mx::conv2d(&x, &w, [1, 1], [1, 1], [1, 1], 1)
        });
        h.check(&label("conv2d strided dilated"), tolerance, &|| {
            mx::conv2d(&x, &w, [2, 1], [0, 2], [1, 2], 1)
        });
        h.check(&label("conv2d groups"), tolerance, &|| {
            mx::conv2d(&x, &grouped, [1, 2], [1, 0], [1, 1], 3)
        });
        h.check(
            &label("conv_general flipped, input dilation"),
            tolerance,
            &|| {
                mx::conv_general(
                    &x,
                    &w,
                    &ConvGeneral {
                        stride: vec![1, 2],
                        padding_lo: vec![2, 0],
                        padding_hi: vec![0, 1],
                        kernel_dilation: vec![1],
                        input_dilation: vec![2, 1],
                        groups: 1,
                        flip: true,
                    },
                )
            },
        );
        let x1 = input(&[2, 20, 6], dtype, GENERAL, 437);
        let w1 = input(&[5, 4, 6], dtype, GENERAL, 439);
        h.check(&label("conv_transpose1d"), tolerance, &|| {
            mx::conv_transpose1d(&x1, &w1, 2, 1, 1, 1, 1)
        });
        let x3 = input(&[1, 4, 5, 6, 3], dtype, GENERAL, 441);
        let w3 = input(&[2, 2, 3, 2, 3], dtype, GENERAL, 443);
        h.check(&label("conv3d"), tolerance, &|| {
            mx::conv3d(&x3, &w3, [1, 2, 1], [1, 0, 1], [1, 1, 2], 1)
        });
    }
    let x = input(&[2, 9, 8, 6], Dtype::Float32, GENERAL, 445);
    let w = input(&[4, 3, 3, 6], Dtype::Float32, GENERAL, 447);
    h.check("grad of conv2d", Some(1e-5), &|| {
        mx::grad(|w: &Array| {
            mx::sum(
                &mx::square(&mx::conv2d(&x, w, [2, 2], [1, 1], [1, 1], 1)?)?,
                None,
                false,
            )
        })(&w)
    });
}
