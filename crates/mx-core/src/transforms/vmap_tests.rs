//! `vmap` against an explicit loop and `stack`, with the batch at every axis position, and
//! its compositions with `grad`.

use super::*;
use crate::ops::*;
use crate::{Array, Index, Result, Slice};

use super::checks::{at, check_vmap as check, on_cpu, values_f32 as values};

#[test]
fn elementwise_and_shape_rules_at_every_axis() {
    let x = values(&[3, 4, 5], 1);
    for axis in 0..3isize {
        let one = [Some(axis)];
        check("exp", &|a| exp(&a[0]), std::slice::from_ref(&x), &one, 0);
        check(
            "astype",
            &|a| a[0].astype(crate::Dtype::Int32),
            std::slice::from_ref(&x),
            &one,
            1,
        );
        check(
            "reshape",
            &|a| a[0].reshape(&[-1]),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "transpose",
            &|a| a[0].transpose(None),
            std::slice::from_ref(&x),
            &one,
            1,
        );
        check(
            "strided slice",
            &|a| a[0].index(&[Index::Slice(Slice::new(None, None, -2))]),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "broadcast",
            &|a| {
                a[0].expand_dims(&[0])?
                    .broadcast_to(&[2, a[0].shape()[0], a[0].shape()[1]])
            },
            std::slice::from_ref(&x),
            &one,
            -1,
        );
        check(
            "sum",
            &|a| sum(&a[0], Some(&[1]), false),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "max",
            &|a| max(&a[0], None, false),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "argmax",
            &|a| argmax(&a[0], Some(0), true),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "softmax",
            &|a| softmax(&a[0], Some(&[-1]), false),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "logsumexp",
            &|a| logsumexp(&a[0], Some(&[0]), false),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "cumsum",
            &|a| cumsum(&a[0], Some(0), ScanOptions::default(), None),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "sort",
            &|a| sort(&a[0], Some(-1)),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "as_strided",
            &|a| as_strided(&a[0], Some(&[3, 2]), Some(&[2, 1]), 1),
            std::slice::from_ref(&x),
            &one,
            0,
        );
        check(
            "argsort",
            &|a| argsort(&a[0], Some(0)),
            std::slice::from_ref(&x),
            &one,
            0,
        );
    }
}

#[test]
fn rules_with_unbatched_operands() {
    let x = values(&[3, 4, 5], 2);
    let row = values(&[5], 3);
    let matrix = values(&[5, 2], 4);
    let stack3 = values(&[2, 5, 2], 5);
    let both = [x.clone(), row.clone()];
    check("add", &|a| add(&a[0], &a[1]), &both, &[Some(0), None], 0);
    check(
        "add both",
        &|a| add(&a[0], &a[1]),
        &[x.clone(), values(&[3, 5], 6)],
        &[Some(0), Some(0)],
        0,
    );
    check(
        "where",
        &|a| where_(&greater(&a[0], 0.0)?, &a[0], &a[1]),
        &both,
        &[Some(1), None],
        0,
    );
    check(
        "matmul",
        &|a| matmul(&a[0], &a[1]),
        &[x.clone(), matrix.clone()],
        &[Some(0), None],
        0,
    );
    check(
        "matmul unbatched left",
        &|a| matmul(&a[1], &a[0]),
        &[values(&[3, 5, 2], 7), values(&[4, 5], 8)],
        &[Some(0), None],
        0,
    );
    check(
        "matmul broadcast batch",
        &|a| matmul(&a[0], &a[1]),
        &[values(&[4, 3, 5], 9), stack3],
        &[Some(1), None],
        0,
    );
    check(
        "addmm",
        &|a| addmm(&a[2], &a[0], &a[1], 1.0, 0.5),
        &[values(&[3, 4, 5], 10), matrix, values(&[4, 2], 11)],
        &[Some(0), None, None],
        0,
    );
    check(
        "concatenate",
        &|a| concatenate(&[&a[0], &a[1]], Some(0)),
        &[x.clone(), values(&[2, 5], 12)],
        &[Some(1), None],
        0,
    );
}

#[test]
fn indexing_rules() {
    let x = values(&[3, 6, 4], 13);
    let idx = Array::from_slice(&[5i32, 0, 2], &[3]).unwrap();
    check(
        "take shared indices",
        &|a| take(&a[0], &a[1], Some(0)),
        &[x.clone(), idx.clone()],
        &[Some(0), None],
        0,
    );
    let batched_idx = Array::from_slice(&[5i32, 0, 2, 1, 1, 3], &[3, 2]).unwrap();
    check(
        "take batched indices",
        &|a| take(&a[0], &a[1], Some(0)),
        &[x.clone(), batched_idx.clone()],
        &[Some(0), Some(0)],
        0,
    );
    check(
        "take only indices batched",
        &|a| take(&a[0], &a[1], Some(1)),
        &[
            values(&[6, 4], 14),
            Array::from_slice(&[3i32, 0, 2, 1, 1, 3], &[3, 2]).unwrap(),
        ],
        &[None, Some(0)],
        1,
    );
    let updates = values(&[3, 2, 4], 15);
    check(
        "at add",
        &|a| a[0].at(&[Index::Array(a[1].clone())]).add(&a[2]),
        &[x.clone(), batched_idx, updates.clone()],
        &[Some(0), Some(0), Some(0)],
        0,
    );
    // Per-example gradients of a product scatter with a repeated index.
    let repeated = Array::from_slice(&[4i32, 1, 4], &[3]).unwrap();
    check(
        "gradient of at multiply",
        &|a| {
            let product = |b: &[Array]| {
                let scattered = b[0].at(&[Index::Array(repeated.clone())]).multiply(&b[1])?;
                sum(&multiply(&scattered, &scattered)?, None, false)
            };
            let mut grads = grad_argnums(product, &[0, 1])(a)?;
            add(&sum(&grads.remove(1), None, false)?, grads.remove(0))
        },
        &[values(&[3, 6, 4], 18), values(&[3, 3, 4], 19)],
        &[Some(0), Some(0)],
        0,
    );
    check(
        "index_set shared indices",
        &|a| a[0].index_set(&[Index::Array(a[1].clone())], &a[2]),
        &[x, Array::from_slice(&[4i32, 1], &[2]).unwrap(), updates],
        &[Some(0), None, Some(0)],
        0,
    );
}

#[test]
fn per_example_gradients_and_gradients_of_vmapped_functions() {
    on_cpu(|| {
        let w = values(&[4, 3], 16);
        let xs = values(&[5, 4], 17);
        let loss = |args: &[Array]| -> Result<Array> {
            let logits = matmul(&args[1], &args[0])?;
            logsumexp(&logits, None, false)
        };
        let per_example = vmap(
            |a| grad_argnums(loss, &[0])(a),
            &[None, Some(0)],
            &[Some(0)],
        )(&[w.clone(), xs.clone()])
        .unwrap();
        let looped: Vec<Array> = (0..5)
            .map(|i| {
                grad_argnums(loss, &[0])(&[w.clone(), at(&xs, 0, i)])
                    .unwrap()
                    .remove(0)
            })
            .collect();
        let refs: Vec<&Array> = looped.iter().collect();
        let expected = stack(&refs, 0).unwrap();
        assert!(allclose(&per_example[0], &expected, 1e-5, 1e-6, false)
            .unwrap()
            .item::<bool>()
            .unwrap());
        // The gradient of the vmapped loss, summed over the batch, is the sum of the
        // per-example gradients.
        let batch_loss = |a: &[Array]| -> Result<Array> {
            let each = vmap(|b| Ok(vec![loss(b)?]), &[None, Some(0)], &[Some(0)])(a)?;
            sum(&each[0], None, false)
        };
        let total = grad_argnums(batch_loss, &[0])(&[w, xs]).unwrap();
        let summed = sum(&expected, Some(&[0]), false).unwrap();
        assert!(allclose(&total[0], &summed, 1e-5, 1e-6, false)
            .unwrap()
            .item::<bool>()
            .unwrap());
    });
}

#[test]
fn vmap_errors() {
    on_cpu(|| {
        let x = values(&[3, 2], 18);
        let y = values(&[4, 2], 19);
        let f = vmap(
            |a| Ok(vec![add(&a[0], &a[1])?]),
            &[Some(0), Some(0)],
            &[Some(0)],
        );
        assert!(f(&[x.clone(), y])
            .unwrap_err()
            .to_string()
            .contains("Inconsistent sizes"));
        let g = vmap(|a| Ok(vec![a[0].clone()]), &[Some(2)], &[Some(0)]);
        assert!(g(&[x]).unwrap_err().to_string().contains("out of bounds"));
    });
}

#[test]
fn random_functions_map_over_batches_of_keys() {
    let keys: Vec<Array> = (0..4)
        .map(|seed| crate::random::key(seed).unwrap())
        .collect();
    let refs: Vec<&Array> = keys.iter().collect();
    let by_rows = stack(&refs, 0).unwrap();
    let by_columns = stack(&refs, 1).unwrap();
    for (keys, axis) in [(&by_rows, 0), (&by_columns, 1)] {
        let one = [Some(axis)];
        check(
            "bits",
            &|a| crate::random::bits(&[3, 2], 4, Some(&a[0])),
            std::slice::from_ref(keys),
            &one,
            0,
        );
        check(
            "normal",
            &|a| crate::random::normal(&[5], crate::Dtype::Float32, None, None, Some(&a[0])),
            std::slice::from_ref(keys),
            &one,
            1,
        );
    }
    // Nested: a 2 x 2 grid of keys.
    let grid = by_rows.reshape(&[2, 2, 2]).unwrap();
    let inner = |a: &[Array]| -> Result<Vec<Array>> {
        Ok(vec![crate::random::bits(&[3], 1, Some(&a[0]))?])
    };
    let nested = vmap(
        |a| vmap(inner, &[Some(0)], &[Some(0)])(a),
        &[Some(0)],
        &[Some(0)],
    )(std::slice::from_ref(&grid))
    .unwrap();
    let single = crate::random::bits(&[3], 1, Some(&keys[3])).unwrap();
    let last = nested[0].index(&[Index::Int(1), Index::Int(1)]).unwrap();
    assert_eq!(last.to_vec::<u8>().unwrap(), single.to_vec::<u8>().unwrap());
}

#[test]
fn evaluating_inside_vmap_is_mlx_s_error_and_inside_grad_is_allowed() {
    on_cpu(|| {
        let x = values(&[3, 4], 5);
        let f = vmap(
            |a| {
                let total = sum(&a[0], None, false)?.item::<f32>()?;
                Ok(vec![multiply(&a[0], total)?])
            },
            &[Some(0)],
            &[Some(0)],
        );
        let err = f(std::slice::from_ref(&x)).err().unwrap();
        assert_eq!(
            err.message(),
            "[eval] Attempting to eval an array during function transformations like compile or vmap is not allowed."
        );
        // Outside the traced call the same arrays evaluate again.
        assert!(sum(&x, None, false).unwrap().item::<f32>().is_ok());
        let g = grad(|a: &Array| {
            let scale = sum(a, None, false)?.item::<f32>()?;
            sum(&multiply(a, scale)?, None, false)
        });
        let expected = sum(&x, None, false).unwrap().item::<f32>().unwrap();
        let got = g(&x).unwrap().to_vec::<f32>().unwrap();
        assert!(got.iter().all(|v| (v - expected).abs() < 1e-4));
    });
}
