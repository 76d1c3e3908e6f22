use super::*;
use crate::array;
use crate::transforms::checks::{check_vmap, check_with, values, values_f32, Function, Mapped};

const B: FftNorm = FftNorm::Backward;

fn close(a: &Array, b: &[f32], tol: f32) {
    let got = a.to_vec::<f32>().unwrap();
    assert_eq!(got.len(), b.len(), "{got:?} vs {b:?}");
    for (x, y) in got.iter().zip(b) {
        assert!((x - y).abs() <= tol, "{got:?} vs {b:?}");
    }
}

#[test]
fn round_trips_through_every_pair() {
    let x = values_f32(&[3, 5, 6], 1);
    let xs = x.to_vec::<f32>().unwrap();
    let back = ifftn(&fftn(&x, None, None, B).unwrap(), None, None, B).unwrap();
    close(&crate::ops::real(&back).unwrap(), &xs, 1e-5);
    let spectrum = rfftn(&x, None, None, B).unwrap();
    let back = irfftn(&spectrum, Some(&[3, 5, 6]), Some(&[0, 1, 2]), B).unwrap();
    close(&back, &xs, 1e-5);
    let back = irfft(&rfft(&x, None, 1, B).unwrap(), Some(5), 1, B).unwrap();
    close(&back, &xs, 1e-5);
    let ortho = FftNorm::Ortho;
    let back = ifft2(&fft2(&x, None, None, ortho).unwrap(), None, None, ortho).unwrap();
    close(&crate::ops::real(&back).unwrap(), &xs, 1e-5);
}

#[test]
fn pads_and_truncates_to_n() {
    let x = array![1.0, 2.0, 3.0];
    let y = fft(&x, Some(4), -1, B).unwrap();
    assert_eq!(y.shape(), &[4]);
    close(
        &crate::ops::real(&y).unwrap(),
        &[6.0, -2.0, 2.0, -2.0],
        1e-6,
    );
    let y = rfft(&x, Some(2), -1, B).unwrap();
    close(&crate::ops::real(&y).unwrap(), &[3.0, -1.0], 1e-6);
    let y = rfft(&x, Some(2), -1, FftNorm::Forward).unwrap();
    close(&crate::ops::real(&y).unwrap(), &[1.5, -0.5], 1e-6);
}

#[test]
fn errors_are_clear() {
    let a = crate::ones(&[4, 4], Dtype::Float32).unwrap();
    let message = |r: Result<Array>| r.unwrap_err().to_string();
    assert!(message(fft(&a, Some(0), 0, B)).contains("Invalid FFT output size requested (0)"));
    assert!(message(fftn(&a, None, Some(&[0, 0]), B)).contains("Duplicated axis received (0,0)"));
    assert!(message(fft(&a, None, 2, B)).contains("Invalid axis received"));
    let scalar = crate::ones(&[], Dtype::Float32).unwrap();
    assert!(message(fft(&scalar, Some(2), 0, B)).contains("at least one dimension"));
    assert!(message(fft(&scalar, None, 0, B)).contains("at least one dimension"));
}

/// A real scalar of a complex result that weighs both parts differently.
fn loss(y: &Array) -> Result<Array> {
    let parts = crate::ops::add(
        &crate::ops::multiply(&crate::ops::real(y)?, 0.7)?,
        &crate::ops::square(&crate::ops::imag(y)?)?,
    )?;
    crate::ops::sum(&parts, None, false)
}

#[test]
fn derivatives_match_finite_differences() {
    let x = values(&[2, 6], -1.0, 1.0, 3);
    let cases: [(&str, &Function<'_>); 5] = [
        ("rfft", &|a: &[Array]| loss(&rfft(&a[0], None, -1, B)?)),
        ("fft padded", &|a: &[Array]| {
            loss(&fft(&a[0], Some(8), 0, FftNorm::Ortho)?)
        }),
        ("ifft2", &|a: &[Array]| loss(&ifft2(&a[0], None, None, B)?)),
        ("irfft even", &|a: &[Array]| {
            let weights = array![1.0, 2.0, 0.5, 1.5];
            let spectrum = crate::ops::multiply(&rfft(&a[0], None, -1, B)?, &weights)?;
            loss(&crate::ops::square(&irfft(&spectrum, Some(6), -1, B)?)?)
        }),
        ("irfft odd", &|a: &[Array]| {
            let signal = irfft(&fft(&a[0], None, -1, B)?, Some(5), -1, B)?;
            loss(&crate::ops::square(&signal)?)
        }),
    ];
    for (name, f) in cases {
        check_with(name, f, std::slice::from_ref(&x), 1e-2, 2e-3);
    }
}

#[test]
fn vmap_matches_a_loop() {
    let x = values_f32(&[3, 4, 6], 5);
    let two_d: &Mapped<'_> = &|a: &[Array]| crate::ops::real(&fft2(&a[0], None, None, B)?);
    let real_pair: &Mapped<'_> = &|a: &[Array]| irfft(&rfft(&a[0], None, 0, B)?, Some(4), 0, B);
    for axis in 0..3 {
        check_vmap("fft2", two_d, std::slice::from_ref(&x), &[Some(axis)], 0);
        check_vmap(
            "rfft/irfft",
            real_pair,
            std::slice::from_ref(&x),
            &[Some(axis)],
            1,
        );
    }
}

#[test]
fn two_axes_equal_two_single_axis_passes() {
    let x = crate::ops::add(
        values_f32(&[3, 4, 6], 2),
        crate::ops::multiply(values_f32(&[3, 4, 6], 3), crate::Scalar::Complex(0.0, 1.0)).unwrap(),
    )
    .unwrap();
    let both = fft2(&x, None, None, B).unwrap();
    let steps = fft(&fft(&x, None, -1, B).unwrap(), None, -2, B).unwrap();
    let difference = crate::ops::abs(&crate::ops::subtract(&both, &steps).unwrap()).unwrap();
    let worst = crate::ops::max(&difference, None, false)
        .unwrap()
        .item::<f32>()
        .unwrap();
    assert!(worst < 1e-4, "{worst}");
}

#[test]
fn frequencies_match_numpy() {
    let f = fftfreq(5, 0.1).unwrap().to_vec::<f32>().unwrap();
    close(
        &Array::from_slice(&f, &[5]).unwrap(),
        &[0.0, 2.0, 4.0, -4.0, -2.0],
        1e-5,
    );
    let r = rfftfreq(5, 0.1).unwrap().to_vec::<f32>().unwrap();
    assert_eq!(r.len(), 3);
    close(
        &Array::from_slice(&r, &[3]).unwrap(),
        &[0.0, 2.0, 4.0],
        1e-5,
    );
    assert!(fftfreq(0, 1.0)
        .unwrap_err()
        .to_string()
        .contains("`n` must be greater than 0."));
    assert!(rfftfreq(3, 0.0)
        .unwrap_err()
        .to_string()
        .contains("`d` must be non-zero."));
}
