use super::*;
use crate::transforms::checks::{check_vmap, check_with, values, values_f32, Function, Mapped};
use crate::Dtype;

/// The convolution by its definition, in float64: `x` `[N, L, C]` and `w` `[O, K, C / G]`
/// of one spatial axis, with every option.
fn reference_1d(
    x: &[f64],
    w: &[f64],
    shape: [usize; 3],
    kernel: [usize; 2],
    options: &ConvGeneral,
) -> Vec<f64> {
    let [n, length, channels] = shape;
    let [outputs, taps] = kernel;
    let g = options.groups;
    let (cg, og) = (channels / g, outputs / g);
    let (stride, kd, id) = (
        options.stride[0],
        options.kernel_dilation[0],
        options.input_dilation[0],
    );
    let (lo, hi) = (options.padding_lo[0], options.padding_hi[0]);
    let dilated = (length as isize - 1) * id as isize + 1;
    let window = (taps as isize - 1) * kd as isize + 1;
    let out_len = ((dilated + lo + hi - window) / stride as isize + 1) as usize;
    let mut out = vec![0.0; n * out_len * outputs];
    for b in 0..n {
        for o in 0..out_len {
            for oc in 0..outputs {
                let group = oc / og;
                let mut acc = 0.0;
                for k in 0..taps {
                    let p = (o * stride + k * kd) as isize - lo;
                    if p < 0 || p % id as isize != 0 || (p / id as isize) as usize >= length {
                        continue;
                    }
                    let i = (p / id as isize) as usize;
                    let tap = if options.flip { taps - 1 - k } else { k };
                    for c in 0..cg {
                        acc += x[(b * length + i) * channels + group * cg + c]
                            * w[(oc * taps + tap) * cg + c];
                    }
                }
                out[(b * out_len + o) * outputs + oc] = acc;
            }
        }
    }
    out
}

fn options(
    stride: usize,
    lo: isize,
    hi: isize,
    kd: usize,
    id: usize,
    groups: usize,
    flip: bool,
) -> ConvGeneral {
    ConvGeneral {
        stride: vec![stride],
        padding_lo: vec![lo],
        padding_hi: vec![hi],
        kernel_dilation: vec![kd],
        input_dilation: vec![id],
        groups,
        flip,
    }
}

#[test]
fn every_option_matches_the_definition() {
    let cases = [
        options(1, 0, 0, 1, 1, 1, false),
        options(2, 1, 2, 1, 1, 1, false),
        options(1, 2, 1, 2, 1, 2, false),
        options(2, 1, 0, 1, 3, 1, true),
        options(3, 2, 2, 2, 2, 2, true),
    ];
    for (i, opts) in cases.iter().enumerate() {
        let (n, length, channels, outputs, taps) = (2, 9, 4, 6, 3);
        let x = values(&[n, length, channels], -1.0, 1.0, i as u64);
        let w = values(
            &[outputs, taps, channels / opts.groups],
            -1.0,
            1.0,
            50 + i as u64,
        );
        let want = reference_1d(
            &x.to_vec::<f64>().unwrap(),
            &w.to_vec::<f64>().unwrap(),
            [n, length, channels],
            [outputs, taps],
            opts,
        );
        let got = crate::transforms::checks::on_cpu(|| {
            conv_general(&x, &w, opts).unwrap().to_vec::<f64>().unwrap()
        });
        assert_eq!(got.len(), want.len(), "case {i}");
        for (a, b) in got.iter().zip(&want) {
            assert!((a - b).abs() < 1e-9, "case {i}: {got:?} vs {want:?}");
        }
    }
}

#[test]
fn derivatives_match_finite_differences() {
    let cases = [
        options(1, 1, 1, 1, 1, 1, false),
        options(2, 2, 0, 2, 1, 2, false),
        options(1, 1, 2, 1, 2, 1, true),
        options(2, 0, 1, 1, 1, 2, true),
    ];
    for (i, opts) in cases.iter().enumerate() {
        let x = values(&[2, 7, 4], -1.0, 1.0, 10 + i as u64);
        let w = values(&[4, 3, 4 / opts.groups], -1.0, 1.0, 20 + i as u64);
        let f: &Function<'_> = &|a: &[Array]| conv_general(&a[0], &a[1], opts);
        check_with(&format!("conv case {i}"), f, &[x, w], 1e-6, 1e-6);
    }
    let x = values(&[1, 5, 6, 2], -1.0, 1.0, 3);
    let w = values(&[3, 2, 3, 2], -1.0, 1.0, 4);
    let f: &Function<'_> = &|a: &[Array]| conv2d(&a[0], &a[1], [2, 1], [1, 0], [1, 2], 1);
    check_with("conv2d", f, &[x, w], 1e-6, 1e-6);
    let x = values(&[1, 4, 3], -1.0, 1.0, 5);
    let w = values(&[2, 3, 3], -1.0, 1.0, 6);
    let f: &Function<'_> = &|a: &[Array]| conv_transpose1d(&a[0], &a[1], 2, 1, 1, 1, 1);
    check_with("conv_transpose1d", f, &[x, w], 1e-6, 1e-6);
}

#[test]
fn vmap_matches_a_loop() {
    let x = values_f32(&[3, 2, 6, 4], 1);
    let w = values_f32(&[3, 4, 3, 2], 2);
    let f: &Mapped<'_> = &|a: &[Array]| conv1d(&a[0], &a[1], 1, 1, 1, 2);
    let (x0, w0) = (
        crate::transforms::checks::at(&x, 0, 0),
        crate::transforms::checks::at(&w, 0, 0),
    );
    check_vmap("conv x", f, &[x.clone(), w0], &[Some(0), None], 0);
    check_vmap("conv w", f, &[x0, w.clone()], &[None, Some(0)], 0);
    check_vmap("conv both", f, &[x, w], &[Some(0), Some(0)], 1);
}

#[test]
fn errors_read_as_mlx() {
    let x = crate::ones(&[2, 10, 4], Dtype::Float32).unwrap();
    let message = |r: Result<Array>| r.unwrap_err().to_string();
    let w = crate::ones(&[6, 3, 3], Dtype::Float32).unwrap();
    assert!(message(conv1d(&x, &w, 1, 0, 1, 1)).contains("Expect the input channels"));
    assert!(message(conv1d(
        &x,
        &crate::ones(&[6, 3, 4], Dtype::Float32).unwrap(),
        0,
        0,
        1,
        1
    ))
    .contains("Stride sizes must be positive"));
    assert!(message(conv1d(
        &x,
        &crate::ones(&[6, 3, 4], Dtype::Float32).unwrap(),
        1,
        0,
        1,
        0
    ))
    .contains("groups"));
    let ints = crate::ones(&[2, 10, 4], Dtype::Int32).unwrap();
    assert!(message(conv1d(&ints, &w, 1, 0, 1, 1)).contains("Invalid input array with type int32"));
}
