use super::*;
use crate::transforms::checks::{on_cpu, values};
use crate::{array, matmul, subtract};

fn close(a: &Array, b: &Array, tolerance: f64) {
    let difference = crate::ops::abs(&subtract(a, b).unwrap()).unwrap();
    let worst = crate::ops::max(&difference, None, false)
        .unwrap()
        .astype(Dtype::Float64)
        .unwrap()
        .item::<f64>()
        .unwrap();
    assert!(worst <= tolerance, "differs by {worst}");
}

fn identity_like(n: usize, dtype: Dtype) -> Array {
    crate::eye(n, None, 0, dtype).unwrap()
}

/// A well-conditioned batch of square matrices.
fn square(n: usize, dtype: Dtype, seed: u64) -> Array {
    let a = values(&[2, n, n], -1.0, 1.0, seed);
    crate::add(
        &a,
        crate::multiply(identity_like(n, Dtype::Float64), n as f64).unwrap(),
    )
    .unwrap()
    .astype(dtype)
    .unwrap()
}

#[test]
fn factorisations_reconstruct_their_input() {
    on_cpu(|| {
        for (dtype, tolerance) in [(Dtype::Float32, 2e-5), (Dtype::Float64, 1e-12)] {
            for (m, n) in [(5, 3), (3, 5), (4, 4)] {
                let a = values(&[2, m, n], -1.0, 1.0, 7).astype(dtype).unwrap();
                let (q, r) = qr(&a).unwrap();
                close(&matmul(&q, &r).unwrap(), &a, tolerance * 10.0);
                let k = m.min(n);
                let qtq = matmul(&q.swapaxes(-1, -2).unwrap(), &q).unwrap();
                close(&qtq, &identity_like(k, dtype), tolerance * 10.0);
                let (u, s, vt) = svd(&a).unwrap();
                let uk = u.slice(&column_range(3, 0, k)).unwrap();
                let vk = vt.slice(&row_range(3, 0, k)).unwrap();
                let rebuilt = matmul(
                    &crate::multiply(&uk, s.expand_dims(&[-2]).unwrap()).unwrap(),
                    &vk,
                )
                .unwrap();
                close(&rebuilt, &a, tolerance * 10.0);
                let (p, l, u) = lu(&a).unwrap();
                let lu_product = matmul(&l, &u).unwrap();
                let reordered =
                    crate::take_along_axis(&lu_product, &p.expand_dims(&[-1]).unwrap(), Some(-2))
                        .unwrap();
                close(&reordered, &a, tolerance * 10.0);
                let pseudo = pinv(&a).unwrap();
                close(
                    &matmul(&matmul(&a, &pseudo).unwrap(), &a).unwrap(),
                    &a,
                    tolerance * 100.0,
                );
            }
            let a = square(4, dtype, 11);
            close(
                &matmul(&a, &inv(&a).unwrap()).unwrap(),
                &identity_like(4, dtype),
                tolerance * 10.0,
            );
            let spd = matmul(&a, &a.swapaxes(-1, -2).unwrap()).unwrap();
            for upper in [false, true] {
                let factor = cholesky(&spd, upper).unwrap();
                let rebuilt = if upper {
                    matmul(&factor.swapaxes(-1, -2).unwrap(), &factor).unwrap()
                } else {
                    matmul(&factor, &factor.swapaxes(-1, -2).unwrap()).unwrap()
                };
                close(&rebuilt, &spd, tolerance * 100.0);
                close(
                    &cholesky_inv(&factor, upper).unwrap(),
                    &inv(&spd).unwrap(),
                    tolerance * 100.0,
                );
            }
            let (w, v) = eigh(&spd, "L").unwrap();
            let av = matmul(&spd, &v).unwrap();
            close(
                &av,
                &crate::multiply(&v, w.expand_dims(&[-2]).unwrap()).unwrap(),
                tolerance * 1000.0,
            );
            let b = values(&[2, 4, 3], -1.0, 1.0, 13).astype(dtype).unwrap();
            close(
                &matmul(&a, &solve(&a, &b).unwrap()).unwrap(),
                &b,
                tolerance * 10.0,
            );
            let lower = crate::tril(&a, 0).unwrap();
            close(
                &matmul(&lower, &solve_triangular(&lower, &b, false).unwrap()).unwrap(),
                &b,
                tolerance * 10.0,
            );
            let (w, v) = eig(&a).unwrap();
            let ac = a.astype(Dtype::Complex64).unwrap();
            let lhs = matmul(&ac, &v).unwrap();
            let rhs = scale_columns(&v, &w);
            close(&lhs, &rhs, 1e-4);
        }
    });
}

#[test]
fn conventions_follow_lapack() {
    on_cpu(|| {
        let (q, r) = qr(&array![[2.0, 3.0], [1.0, 2.0]]).unwrap();
        close(
            &q,
            &array![[-0.894_427, -0.447_214], [-0.447_214, 0.894_427]],
            1e-5,
        );
        close(
            &r,
            &array![[-2.236_068, -3.577_709], [0.0, 0.447_214]],
            1e-5,
        );
        let (p, l, u) = lu(&array![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]]).unwrap();
        assert_eq!(p.to_vec::<u32>().unwrap(), vec![1, 2, 0]);
        close(
            &l,
            &array![
                [1.0, 0.0, 0.0],
                [0.142_857, 1.0, 0.0],
                [0.571_429, 0.5, 1.0]
            ],
            1e-5,
        );
        close(
            &u,
            &array![
                [7.0, 8.0, 10.0],
                [0.0, 0.857_143, 1.571_43],
                [0.0, 0.0, -0.5]
            ],
            1e-5,
        );
        // Not positive definite: LAPACK's partial factor, as MLX returns it.
        let partial = cholesky(&array![[1.0, 2.0], [2.0, 1.0]], false).unwrap();
        close(&partial, &array![[1.0, 0.0], [2.0, -3.0]], 1e-6);
        let (_, pivots) = lu_factor(&array![[1.0, 2.0], [-1.0, 3.0]]).unwrap();
        assert_eq!(pivots.to_vec::<u32>().unwrap(), vec![0, 1]);
    });
}

#[test]
fn errors_read_as_mlx() {
    on_cpu(|| {
        let message = |r: Result<Array>| r.unwrap_err().to_string();
        assert!(message(inv(&array![[1.0, 2.0], [2.0, 4.0]]).and_then(|a| {
            a.eval()?;
            Ok(a)
        }))
        .contains("LU factorization failed with error code 2"));
        assert!(message(inv(&crate::ones(&[2, 3], Dtype::Float32).unwrap()))
            .contains("square matrices"));
        assert!(message(inv(&array![1, 2])).contains("Arrays must have type float32 or float64"));
        let singular = solve(&array![[1.0, 2.0], [2.0, 4.0]], &array![1.0, 1.0]).and_then(|x| {
            x.eval()?;
            Ok(x)
        });
        assert!(message(singular).contains("triangular inversion failed with error code 2"));
        assert!(message(norm(
            &array![[1.0, 2.0]],
            Some(NormOrder::P(0.0)),
            None,
            false
        ))
        .contains("Invalid ord 0 for matrix norm."));
        if crate::gpu_is_available() {
            let gpu = crate::default_stream(Device::Gpu(0)).unwrap();
            let result = crate::with_stream(gpu, || qr(&array![[1.0f32]]).map(|(q, _)| q));
            assert!(message(result).contains("not yet supported on the GPU"));
        }
    });
}

#[test]
fn norms_match_their_definitions() {
    on_cpu(|| {
        let a = array![[3.0, -4.0], [1.0, 2.0]];
        let scalar = |ord: Option<NormOrder>, axes: Option<&[isize]>| {
            norm(&a, ord, axes, false).unwrap().item::<f32>().unwrap()
        };
        assert!((scalar(None, None) - 30f32.sqrt()).abs() < 1e-5);
        assert!((scalar(Some(NormOrder::P(1.0)), None) - 6.0).abs() < 1e-5);
        assert!((scalar(Some(NormOrder::P(f64::INFINITY)), None) - 7.0).abs() < 1e-5);
        assert!((scalar(Some(NormOrder::Fro), None) - 30f32.sqrt()).abs() < 1e-5);
        let (_, s, _) = svd(&a).unwrap();
        let s = s.to_vec::<f32>().unwrap();
        assert!((scalar(Some(NormOrder::P(2.0)), None) - s[0]).abs() < 1e-5);
        assert!((scalar(Some(NormOrder::Nuc), None) - (s[0] + s[1])).abs() < 1e-5);
        let rows = norm(&a, Some(NormOrder::P(3.0)), Some(&[1]), false)
            .unwrap()
            .to_vec::<f32>()
            .unwrap();
        assert!((rows[0] - (27f32 + 64.0).powf(1.0 / 3.0)).abs() < 1e-4);
        let c = cross(&array![1.0, 0.0, 0.0], &array![0.0, 1.0, 0.0], -1).unwrap();
        assert_eq!(c.to_vec::<f32>().unwrap(), vec![0.0, 0.0, 1.0]);
        let c = cross(&array![1.0, 2.0], &array![3.0, 4.0], -1).unwrap();
        assert_eq!(c.to_vec::<f32>().unwrap(), vec![0.0, 0.0, -2.0]);
    });
}

/// A batch of complex64 matrices `re + i im`.
fn complex_matrices(shape: &[usize], seed: u64) -> Array {
    let re = values(shape, -1.0, 1.0, seed)
        .astype(Dtype::Complex64)
        .unwrap();
    let im = values(shape, -1.0, 1.0, seed + 1)
        .astype(Dtype::Complex64)
        .unwrap();
    let i = Array::scalar_of(crate::Scalar::Complex(0.0, 1.0), Dtype::Complex64).unwrap();
    crate::add(&re, crate::multiply(&im, &i).unwrap()).unwrap()
}

/// Each column `j` of the complex64 `m` times `w[.., j]`.
fn scale_columns(m: &Array, w: &Array) -> Array {
    let w = w.astype(Dtype::Complex64).unwrap();
    crate::multiply(m, w.expand_dims(&[-2]).unwrap()).unwrap()
}

/// The conjugate transpose of the last two axes.
fn adjoint(a: &Array) -> Array {
    crate::ops::conj(&a.swapaxes(-1, -2).unwrap()).unwrap()
}

#[test]
fn complex_decompositions_reconstruct_their_input() {
    on_cpu(|| {
        for (m, n) in [(4, 4), (5, 3), (3, 5)] {
            let a = complex_matrices(&[2, m, n], 51);
            let (u, s, vt) = svd(&a).unwrap();
            assert_eq!(
                (u.dtype(), s.dtype(), vt.dtype()),
                (Dtype::Complex64, Dtype::Float32, Dtype::Complex64)
            );
            let k = m.min(n);
            let u_k = u.slice(&column_range(3, 0, k)).unwrap();
            let vt_k = vt.slice(&row_range(3, 0, k)).unwrap();
            let scaled = scale_columns(&u_k, &s);
            close(&matmul(&scaled, &vt_k).unwrap(), &a, 1e-5);
            close(
                &matmul(&adjoint(&u), &u).unwrap(),
                &identity_like(m, Dtype::Complex64),
                1e-5,
            );
            close(&singular_values(&a).unwrap(), &s, 1e-5);
        }
        // Hermitian: from the lower triangle, and from the upper one of a matrix whose
        // lower triangle and diagonal imaginary parts are noise, as LAPACK reads them.
        let z = complex_matrices(&[2, 4, 4], 53);
        let h = crate::add(
            matmul(&z, &adjoint(&z)).unwrap(),
            identity_like(4, Dtype::Complex64),
        )
        .unwrap();
        let eye = identity_like(4, Dtype::Complex64);
        let i = Array::scalar_of(crate::Scalar::Complex(0.0, 0.7), Dtype::Complex64).unwrap();
        let noisy = [
            crate::triu(&h, 1).unwrap(),
            crate::tril(&complex_matrices(&[2, 4, 4], 57), -1).unwrap(),
            crate::multiply(&h, &eye).unwrap(),
            crate::multiply(&eye, &i).unwrap(),
        ]
        .iter()
        .fold(crate::zeros_like(&h).unwrap(), |total, part| {
            crate::add(&total, part).unwrap()
        });
        for (matrix, uplo) in [(&h, "L"), (&noisy, "U")] {
            let (w, v) = eigh(matrix, uplo).unwrap();
            assert_eq!((w.dtype(), v.dtype()), (Dtype::Float32, Dtype::Complex64));
            let lhs = matmul(&h, &v).unwrap();
            let rhs = scale_columns(&v, &w);
            close(&lhs, &rhs, 1e-4);
            close(&eigvalsh(matrix, uplo).unwrap(), &w, 1e-5);
        }
        let a = complex_matrices(&[2, 4, 4], 59);
        let (w, v) = eig(&a).unwrap();
        let rhs = scale_columns(&v, &w);
        close(&matmul(&a, &v).unwrap(), &rhs, 1e-4);
        let sorted = |x: Array| {
            let mut all: Vec<(f32, f32)> = x
                .to_vec::<crate::dtype::Complex64>()
                .unwrap()
                .iter()
                .map(|z| (z.re, z.im))
                .collect();
            all.sort_by(|p, q| p.partial_cmp(q).unwrap());
            all
        };
        for (p, q) in sorted(eigvals(&a).unwrap()).iter().zip(sorted(w)) {
            assert!((p.0 - q.0).abs() < 1e-4 && (p.1 - q.1).abs() < 1e-4);
        }
        // Only the decompositions MLX runs on complex matrices take them.
        let message = |r: Result<(Array, Array)>| r.err().unwrap().message().to_string();
        assert!(message(qr(&a)).contains("Arrays must have type float32 or float64"));
        let ints = crate::array![[1, 2], [3, 4]];
        assert_eq!(
            eig(&ints).err().unwrap().message(),
            "[linalg::eig] Arrays must have type float32, float64 or complex64. Received array with type int32."
        );
    });
}
