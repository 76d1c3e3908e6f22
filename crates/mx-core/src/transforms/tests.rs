//! Every derivative rule against central finite differences in float64, and the
//! consistency of reverse and forward mode: `⟨vjp(u), v⟩ = ⟨u, jvp(v)⟩`.

use super::*;
use crate::ops::*;
use crate::{Array, Dtype, Index, Result, Slice};

use super::checks::{check, check_with, on_cpu, values};

#[test]
fn unary_rules_match_finite_differences() {
    type Unary = fn(&Array) -> Result<Array>;
    let cases: [(&str, Unary, f64, f64); 27] = [
        ("abs", abs, 0.2, 2.0),
        ("negative", negative, -2.0, 2.0),
        ("sqrt", sqrt, 0.2, 3.0),
        ("rsqrt", rsqrt, 0.2, 3.0),
        ("square", square, -2.0, 2.0),
        ("reciprocal", reciprocal, 0.3, 3.0),
        ("exp", exp, -2.0, 2.0),
        ("exp2", exp2, -2.0, 2.0),
        ("expm1", expm1, -2.0, 2.0),
        ("log", log, 0.2, 3.0),
        ("log1p", log1p, -0.5, 3.0),
        ("log2", log2, 0.2, 3.0),
        ("log10", log10, 0.2, 3.0),
        ("sin", sin, -3.0, 3.0),
        ("cos", cos, -3.0, 3.0),
        ("tan", tan, -1.2, 1.2),
        ("arcsin", arcsin, -0.9, 0.9),
        ("arccos", arccos, -0.9, 0.9),
        ("arctan", arctan, -3.0, 3.0),
        ("sinh", sinh, -2.0, 2.0),
        ("cosh", cosh, -2.0, 2.0),
        ("tanh", tanh, -2.0, 2.0),
        ("arcsinh", arcsinh, -2.0, 2.0),
        ("arccosh", arccosh, 1.2, 3.0),
        ("arctanh", arctanh, -0.9, 0.9),
        ("sigmoid", sigmoid, -3.0, 3.0),
        ("erf", erf, -2.0, 2.0),
    ];
    for (seed, (name, op, low, high)) in cases.into_iter().enumerate() {
        let x = values(&[3, 4], low, high, seed as u64);
        check(name, &|a: &[Array]| op(&a[0]), &[x]);
    }
    // erfinv is computed to single precision even in float64: a wider step.
    let x = values(&[3, 4], -0.9, 0.9, 29);
    check_with("erfinv", &|a: &[Array]| erfinv(&a[0]), &[x], 1e-3, 1e-3);
}

#[test]
fn piecewise_constant_ops_have_zero_gradients() {
    on_cpu(|| {
        let x = values(&[5], -2.0, 2.0, 3);
        for op in [floor, ceil, sign] {
            let g = grad(|x| sum(&op(x)?, None, false))(&x).unwrap();
            assert_eq!(g.to_vec::<f64>().unwrap(), vec![0.0; 5]);
        }
    });
}

#[test]
fn binary_rules_match_finite_differences() {
    type Binary = fn(&Array, &Array) -> Result<Array>;
    type Case = (&'static str, Binary, (f64, f64), (f64, f64));
    let cases: [Case; 10] = [
        ("add", |a, b| add(a, b), (-2.0, 2.0), (-2.0, 2.0)),
        ("subtract", |a, b| subtract(a, b), (-2.0, 2.0), (-2.0, 2.0)),
        ("multiply", |a, b| multiply(a, b), (-2.0, 2.0), (-2.0, 2.0)),
        ("divide", |a, b| divide(a, b), (-2.0, 2.0), (0.5, 2.0)),
        ("power", |a, b| power(a, b), (0.5, 2.0), (-1.5, 1.5)),
        ("maximum", |a, b| maximum(a, b), (-2.0, 2.0), (-2.0, 2.0)),
        ("minimum", |a, b| minimum(a, b), (-2.0, 2.0), (-2.0, 2.0)),
        ("arctan2", |a, b| arctan2(a, b), (-2.0, 2.0), (0.5, 2.0)),
        (
            "logaddexp",
            |a, b| logaddexp(a, b),
            (-2.0, 2.0),
            (-2.0, 2.0),
        ),
        ("remainder", |a, b| remainder(a, b), (0.1, 0.9), (1.0, 1.5)),
    ];
    for (seed, (name, op, (al, ah), (bl, bh))) in cases.into_iter().enumerate() {
        let a = values(&[3, 4], al, ah, 100 + seed as u64);
        // b broadcasts along the first axis.
        let b = values(&[4], bl, bh, 200 + seed as u64);
        check(name, &|x: &[Array]| op(&x[0], &x[1]), &[a, b]);
    }
}

#[test]
fn reduction_rules_match_finite_differences() {
    let x = values(&[3, 4, 2], 0.5, 2.0, 31);
    let axes_cases: [Option<&[isize]>; 3] = [Some(&[1]), Some(&[0, 2]), None];
    for axes in axes_cases {
        check(
            "sum",
            &|a: &[Array]| sum(&a[0], axes, false),
            std::slice::from_ref(&x),
        );
        check(
            "prod",
            &|a: &[Array]| prod(&a[0], axes, true),
            std::slice::from_ref(&x),
        );
        check(
            "max",
            &|a: &[Array]| max(&a[0], axes, false),
            std::slice::from_ref(&x),
        );
        check(
            "min",
            &|a: &[Array]| min(&a[0], axes, true),
            std::slice::from_ref(&x),
        );
        check(
            "mean",
            &|a: &[Array]| mean(&a[0], axes, false),
            std::slice::from_ref(&x),
        );
        check(
            "var",
            &|a: &[Array]| var(&a[0], axes, false, 0),
            std::slice::from_ref(&x),
        );
        check(
            "logsumexp",
            &|a: &[Array]| logsumexp(&a[0], axes, false),
            std::slice::from_ref(&x),
        );
    }
    check(
        "softmax last",
        &|a: &[Array]| softmax(&a[0], Some(&[-1]), false),
        std::slice::from_ref(&x),
    );
    check(
        "softmax first",
        &|a: &[Array]| softmax(&a[0], Some(&[0]), false),
        std::slice::from_ref(&x),
    );
    for options in [
        ScanOptions::default(),
        ScanOptions {
            reverse: true,
            inclusive: false,
        },
    ] {
        check(
            "cumsum",
            &|a: &[Array]| cumsum(&a[0], Some(1), options, None),
            std::slice::from_ref(&x),
        );
    }
    // Exclusive max, min and logaddexp scans start from an infinite identity, which a
    // finite difference cannot see through: those entries are replaced by zeros.
    let finite = |y: Array| where_(&isinf(&y)?, 0.0, &y);
    for (reverse, inclusive) in [(false, true), (true, true), (false, false), (true, false)] {
        let options = ScanOptions { reverse, inclusive };
        let label = format!("reverse {reverse} inclusive {inclusive}");
        check(
            &format!("cumprod {label}"),
            &|a: &[Array]| cumprod(&a[0], Some(1), options, None),
            std::slice::from_ref(&x),
        );
        check(
            &format!("cummax {label}"),
            &|a: &[Array]| finite(cummax(&a[0], Some(1), options)?),
            std::slice::from_ref(&x),
        );
        check(
            &format!("cummin {label}"),
            &|a: &[Array]| finite(cummin(&a[0], Some(0), options)?),
            std::slice::from_ref(&x),
        );
        check(
            &format!("logcumsumexp {label}"),
            &|a: &[Array]| finite(logcumsumexp(&a[0], Some(1), options)?),
            std::slice::from_ref(&x),
        );
    }
    check(
        "sort",
        &|a: &[Array]| sort(&a[0], Some(1)),
        std::slice::from_ref(&x),
    );
    check(
        "topk",
        &|a: &[Array]| topk(&a[0], 2, Some(1)),
        std::slice::from_ref(&x),
    );
}

#[test]
fn zeros_in_products_get_the_product_of_the_others() {
    on_cpu(|| {
        let x = Array::from_slice(&[0.0f64, 2.0, 3.0], &[3]).unwrap();
        let g = grad(|x| prod(x, None, false))(&x).unwrap();
        assert_eq!(g.to_vec::<f64>().unwrap(), [6.0, 0.0, 0.0]);
        // Ties split the gradient of max, as in MLX.
        let y = Array::from_slice(&[1.0f64, 3.0, 3.0], &[3]).unwrap();
        let g = grad(|y| max(y, None, false))(&y).unwrap();
        assert_eq!(g.to_vec::<f64>().unwrap(), [0.0, 0.5, 0.5]);
    });
}

#[test]
fn scans_match_mlx_at_zeros_and_records() {
    on_cpu(|| {
        let w = Array::from_slice(&[1.0f64, 2.0, 3.0, 4.0, 5.0], &[5]).unwrap();
        let x = Array::from_slice(&[1.0f64, 3.0, 2.0, 5.0, 0.0], &[5]).unwrap();
        let weighted = |f: fn(&Array) -> Result<Array>| {
            let w = w.clone();
            grad(move |x| sum(&multiply(&f(x)?, &w)?, None, false))(&x)
                .unwrap()
                .to_vec::<f64>()
                .unwrap()
        };
        // The values MLX 0.32.4 gives for the same inputs.
        assert_eq!(
            weighted(|x| cummax(x, Some(0), ScanOptions::default())),
            [1.0, 5.0, 0.0, 9.0, 0.0]
        );
        assert_eq!(
            weighted(|x| cummin(x, Some(0), ScanOptions::default())),
            [10.0, 0.0, 0.0, 0.0, 5.0]
        );
        assert_eq!(
            weighted(|x| cumprod(x, Some(0), ScanOptions::default(), None)),
            [145.0, 48.0, 69.0, 24.0, 150.0]
        );
    });
}

#[test]
fn product_rules_match_finite_differences() {
    let a = values(&[3, 4], -1.0, 1.0, 41);
    let b = values(&[4, 5], -1.0, 1.0, 43);
    check(
        "matmul",
        &|x: &[Array]| matmul(&x[0], &x[1]),
        &[a.clone(), b.clone()],
    );
    let batched = values(&[2, 3, 4], -1.0, 1.0, 47);
    check(
        "batched matmul",
        &|x: &[Array]| matmul(&x[0], &x[1]),
        &[batched, b.clone()],
    );
    let vector = values(&[4], -1.0, 1.0, 53);
    check(
        "matrix-vector",
        &|x: &[Array]| matmul(&x[0], &x[1]),
        &[a.clone(), vector],
    );
    let c = values(&[3, 5], -1.0, 1.0, 59);
    check(
        "addmm",
        &|x: &[Array]| addmm(&x[2], &x[0], &x[1], 0.5, 2.0),
        &[a, b, c],
    );
}

#[test]
fn shape_rules_match_finite_differences() {
    let x = values(&[3, 4], -1.0, 1.0, 61);
    let y = values(&[2, 4], -1.0, 1.0, 67);
    check(
        "reshape",
        &|a: &[Array]| a[0].reshape(&[2, 6]),
        std::slice::from_ref(&x),
    );
    check(
        "transpose",
        &|a: &[Array]| a[0].transpose(None),
        std::slice::from_ref(&x),
    );
    check(
        "strided slice",
        &|a: &[Array]| {
            a[0].index(&[
                Index::Slice(Slice::new(Some(2), None, -2)),
                Index::Slice(Slice::new(Some(1), None, 2)),
            ])
        },
        std::slice::from_ref(&x),
    );
    check(
        "broadcast",
        &|a: &[Array]| a[0].broadcast_to(&[2, 3, 4]),
        std::slice::from_ref(&x),
    );
    check(
        "concatenate",
        &|a: &[Array]| concatenate(&[&a[0], &a[1]], Some(0)),
        &[x.clone(), y.clone()],
    );
    check(
        "stack",
        &|a: &[Array]| stack(&[&a[0], &a[0]], 1),
        std::slice::from_ref(&x),
    );
    check(
        "pad",
        &|a: &[Array]| pad(&a[0], &[(1, 2)], PadMode::Constant, 0.0),
        std::slice::from_ref(&x),
    );
    check(
        "tile",
        &|a: &[Array]| tile(&a[0], &[2, 1]),
        std::slice::from_ref(&x),
    );
    // Overlapping windows: the gradient adds up where views share elements.
    check(
        "as_strided",
        &|a: &[Array]| as_strided(&a[0], Some(&[5, 3]), Some(&[2, 1]), 1),
        std::slice::from_ref(&x),
    );
    check(
        "repeat",
        &|a: &[Array]| repeat(&a[0], 2, Some(1)),
        std::slice::from_ref(&x),
    );
    check(
        "moveaxis",
        &|a: &[Array]| a[0].moveaxis(0, 1),
        std::slice::from_ref(&x),
    );
    check(
        "where",
        &|a: &[Array]| where_(&greater(&a[0], 0.0)?, &a[0], &a[1]),
        &[x.clone(), values(&[4], -1.0, 1.0, 71)],
    );
}

#[test]
fn indexing_rules_match_finite_differences() {
    let x = values(&[4, 3], -1.0, 1.0, 73);
    let idx = Array::from_slice(&[2i32, 0, 2], &[3]).unwrap();
    check(
        "take",
        &|a: &[Array]| take(&a[0], &idx, Some(0)),
        std::slice::from_ref(&x),
    );
    let along = Array::from_slice(&[0i32, 2, 1, 1], &[4, 1]).unwrap();
    check(
        "take_along_axis",
        &|a: &[Array]| take_along_axis(&a[0], &along, Some(1)),
        std::slice::from_ref(&x),
    );
    let updates = values(&[4, 1], -1.0, 1.0, 79);
    check(
        "put_along_axis",
        &|a: &[Array]| put_along_axis(&a[0], &along, &a[1], Some(1)),
        &[x.clone(), updates],
    );
    let rows = Array::from_slice(&[1i32, 3, 1], &[3]).unwrap();
    let added = values(&[3, 3], -1.0, 1.0, 83);
    check(
        "at add",
        &|a: &[Array]| a[0].at(&[Index::Array(rows.clone())]).add(&a[1]),
        &[x.clone(), added],
    );
    for (name, maximum) in [("at maximum", true), ("at minimum", false)] {
        check(
            name,
            &|a: &[Array]| {
                let at = a[0].at(&[Index::Array(rows.clone())]);
                if maximum {
                    at.maximum(&a[1])
                } else {
                    at.minimum(&a[1])
                }
            },
            &[x.clone(), values(&[3, 3], -1.0, 1.0, 97)],
        );
    }
    // Repeated rows multiply their updates together; an exact zero among the updates
    // must not poison the gradients of the others (no division by it).
    // Row 1 is hit twice: column 0 gets two zero updates, columns 1 and 2 one each.
    let mut multipliers = values(&[3, 3], 0.5, 1.5, 101);
    for (row, column) in [(0, 0), (2, 0), (0, 1), (2, 2), (1, 2)] {
        multipliers = multipliers
            .at(&[Index::Int(row), Index::Int(column)])
            .set(0.0)
            .unwrap();
    }
    check(
        "at multiply",
        &|a: &[Array]| a[0].at(&[Index::Array(rows.clone())]).multiply(&a[1]),
        &[x.clone(), multipliers],
    );
    let viewed = |a: &Array| {
        sum(
            &a.astype(Dtype::Float32)?
                .view(Dtype::Int32)?
                .astype(Dtype::Float32)?,
            None,
            false,
        )
    };
    let err = grad(viewed)(&x).err().unwrap();
    assert_eq!(
        err.message(),
        "[Primitive::vjp] Not implemented for View int32."
    );
    let set = values(&[2, 3], -1.0, 1.0, 89);
    let distinct = Array::from_slice(&[3i32, 0], &[2]).unwrap();
    check(
        "index_set",
        &|a: &[Array]| a[0].index_set(&[Index::Array(distinct.clone())], &a[1]),
        &[x, set],
    );
}

#[test]
fn second_derivatives() {
    on_cpu(|| {
        let x = values(&[4], -1.5, 1.5, 97);
        // The Hessian of Σ f(x) is diagonal, so the gradient of the sum of the gradient
        // is the second derivative at each element.
        let d2 = |f: fn(&Array) -> Result<Array>| {
            let first = grad(move |x: &Array| sum(&f(x)?, None, false));
            grad(move |x: &Array| sum(&first(x)?, None, false))(&x).unwrap()
        };
        let close = |a: &Array, b: &Array| {
            let diff = max(&abs(&subtract(a, b).unwrap()).unwrap(), None, false).unwrap();
            assert!(diff.item::<f64>().unwrap() < 1e-12);
        };
        close(&d2(sin), &negative(&sin(&x).unwrap()).unwrap());
        close(&d2(exp), &exp(&x).unwrap());
        let t = tanh(&x).unwrap();
        let expected = multiply(
            multiply(&t, -2.0).unwrap(),
            subtract(1.0, square(&t).unwrap()).unwrap(),
        )
        .unwrap();
        close(&d2(tanh), &expected);
    });
    // Hessian-vector products of softmax and matmul: jvp of the gradient against finite
    // differences of the gradient.
    let w = values(&[4, 3], -1.0, 1.0, 101);
    let loss = move |x: &Array| -> Result<Array> {
        let logits = matmul(x, &w)?;
        sum(
            &square(&softmax(&logits, Some(&[-1]), false)?)?,
            None,
            false,
        )
    };
    let gradient = grad(loss);
    check(
        "hessian-vector",
        &|a: &[Array]| gradient(&a[0]),
        &[values(&[2, 4], -1.0, 1.0, 103)],
    );
}

#[test]
fn stop_gradient_and_integer_inputs() {
    on_cpu(|| {
        let x = Array::from_slice(&[1.5f64, 2.0], &[2]).unwrap();
        let g =
            grad(|x| sum(&add(&multiply(&stop_gradient(x)?, x)?, x)?, None, false))(&x).unwrap();
        assert_eq!(g.to_vec::<f64>().unwrap(), [2.5, 3.0]);
        // MLX differentiates integer inputs with the same rules, in their dtype.
        let ints = Array::from_slice(&[1i32, 2, 3], &[3]).unwrap();
        let g = grad(|x| sum(&multiply(x, x)?, None, false))(&ints).unwrap();
        assert_eq!(g.dtype(), Dtype::Int32);
        assert_eq!(g.to_vec::<i32>().unwrap(), [2, 4, 6]);
        // A cast passes the gradient back in the input's dtype.
        let g = grad(|x| sum(&multiply(&x.astype(Dtype::Int32)?, 2)?, None, false))(&x).unwrap();
        assert_eq!(g.dtype(), Dtype::Float64);
        assert_eq!(g.to_vec::<f64>().unwrap(), [2.0, 2.0]);
    });
}

#[test]
fn argument_and_shape_errors_are_mlx_s() {
    on_cpu(|| {
        let x = Array::from_slice(&[1.0f64, 2.0], &[2]).unwrap();
        let err = grad(|x| multiply(x, 2.0))(&x).unwrap_err();
        assert_eq!(
            err.to_string(),
            "[vjp] Output shape (2) does not match cotangent shape ()."
        );
        let err =
            grad_argnums(|a| sum(&a[0], None, false), &[1])(std::slice::from_ref(&x)).unwrap_err();
        assert!(err.to_string().contains("argument index 1"), "{err}");
        let err = jvp(|a| Ok(a.to_vec()), std::slice::from_ref(&x), &[]).unwrap_err();
        assert!(err.to_string().contains("[jvp]"), "{err}");
    });
}

#[test]
fn trees_and_aux_outputs() {
    on_cpu(|| {
        let params = Tree::map([
            ("w", Tree::from(values(&[2, 2], -1.0, 1.0, 107))),
            ("b", Tree::list([Tree::from(values(&[2], -1.0, 1.0, 109))])),
        ]);
        let x = values(&[3, 2], -1.0, 1.0, 113);
        let loss = |p: &Tree| -> Result<Array> {
            let w = p.get("w").and_then(Tree::as_array).unwrap();
            let Some(Tree::List(b)) = p.get("b") else {
                unreachable!()
            };
            let y = add(&matmul(&x, w)?, b[0].as_array().unwrap())?;
            sum(&square(&y)?, None, false)
        };
        let (value, grads) = value_and_grad_tree(loss)(&params).unwrap();
        assert_eq!(
            value.item::<f64>().unwrap(),
            loss(&params).unwrap().item::<f64>().unwrap()
        );
        let flat = tree_flatten(&grads);
        assert_eq!(
            flat.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["w", "b.0"]
        );
        // d/db Σ (xW + b)² = 2 Σ_rows (xW + b).
        let w = params.get("w").and_then(Tree::as_array).unwrap();
        let Some(Tree::List(b)) = params.get("b") else {
            unreachable!()
        };
        let expected = multiply(
            sum(
                &add(matmul(&x, w).unwrap(), b[0].as_array().unwrap()).unwrap(),
                Some(&[0]),
                false,
            )
            .unwrap(),
            2.0,
        )
        .unwrap();
        assert_eq!(
            flat[1].1.to_vec::<f64>().unwrap(),
            expected.to_vec::<f64>().unwrap()
        );
    });
}

#[test]
fn custom_rules_and_their_fallbacks() {
    on_cpu(|| {
        let x = values(&[3], 0.5, 2.0, 127);
        let cube = |a: &[Array]| Ok(vec![power(&a[0], 3.0)?]);
        // No rules: every transform sees through to the function.
        let plain = custom_function(cube).build();
        let g = grad(|x| sum(&plain.call(std::slice::from_ref(x))?[0], None, false))(&x).unwrap();
        let expected = multiply(square(&x).unwrap(), 3.0).unwrap();
        assert!(allclose(&g, &expected, 1e-12, 0.0, false)
            .unwrap()
            .item::<bool>()
            .unwrap());
        let (_, t) = jvp(
            |a| plain.call(a),
            std::slice::from_ref(&x),
            &[ones_like(&x).unwrap()],
        )
        .unwrap();
        assert!(allclose(&t[0], &expected, 1e-12, 0.0, false)
            .unwrap()
            .item::<bool>()
            .unwrap());
        // Custom vjp, jvp and vmap rules replace the derived ones.
        let custom = custom_function(cube)
            .with_vjp(|_, cts, _| Ok(vec![multiply(&cts[0], 7.0)?]))
            .with_jvp(|_, tangents| Ok(vec![multiply(&tangents[0], 5.0)?]))
            .with_vmap(|args, axes| Ok((vec![negative(&args[0])?], axes.to_vec())))
            .build();
        let g = grad(|x| sum(&custom.call(std::slice::from_ref(x))?[0], None, false))(&x).unwrap();
        assert_eq!(g.to_vec::<f64>().unwrap(), [7.0; 3]);
        let (_, t) = jvp(
            |a| custom.call(a),
            std::slice::from_ref(&x),
            &[ones_like(&x).unwrap()],
        )
        .unwrap();
        assert_eq!(t[0].to_vec::<f64>().unwrap(), [5.0; 3]);
        let batch = values(&[2, 3], 0.5, 2.0, 131);
        let mapped =
            vmap(|a| custom.call(a), &[Some(0)], &[Some(0)])(std::slice::from_ref(&batch)).unwrap();
        assert_eq!(
            mapped[0].to_vec::<f64>().unwrap(),
            negative(&batch).unwrap().to_vec::<f64>().unwrap()
        );
        // Without a vmap rule the function is batched op by op.
        let mapped =
            vmap(|a| plain.call(a), &[Some(1)], &[Some(0)])(std::slice::from_ref(&batch)).unwrap();
        let expected = power(&batch, 3.0).unwrap().transpose(None).unwrap();
        assert_eq!(
            mapped[0].to_vec::<f64>().unwrap(),
            expected.to_vec::<f64>().unwrap()
        );
    });
}

#[test]
fn checkpointed_gradients_equal_plain_ones() {
    on_cpu(|| {
        let x = values(&[2, 3], -1.0, 1.0, 137);
        let w = values(&[3, 3], -1.0, 1.0, 139);
        let block = move |a: &[Array]| Ok(vec![tanh(&matmul(&a[0], &w)?)?]);
        let saved = checkpoint(block.clone());
        let plain = grad(|x| sum(&block(std::slice::from_ref(x))?[0], None, false))(&x).unwrap();
        let recomputed =
            grad(|x| sum(&saved.call(std::slice::from_ref(x))?[0], None, false))(&x).unwrap();
        assert!(allclose(&plain, &recomputed, 1e-12, 0.0, false)
            .unwrap()
            .item::<bool>()
            .unwrap());
    });
}
