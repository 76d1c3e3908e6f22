//! Gradients against MLX 0.32.4 (`scripts/golden/gen_transforms.py`): `value_and_grad` of
//! a small MLP's mean cross-entropy over a parameter tree, and per-example gradients with
//! `vmap(grad(..))`.

mod common;

use mx::{Array, Device, Result, Tree};
use serde_json::Value;

/// The generator's deterministic values: `((i * 2654435761 + seed * 40503) % 2001) / 1000 - 1`,
/// times `scale`.
fn values(shape: &[usize], scale: f32, seed: u64) -> Array {
    let n: usize = shape.iter().product();
    let v: Vec<f32> = (0..n as u64)
        .map(|i| (((i * 2_654_435_761 + seed * 40_503) % 2001) as f32 / 1000.0 - 1.0) * scale)
        .collect();
    Array::from_slice(&v, shape).unwrap()
}

fn forward(p: &[Array], x: &Array) -> Result<Array> {
    let hidden = mx::maximum(&mx::add(&mx::matmul(x, &p[0])?, &p[1])?, 0.0)?;
    mx::add(&mx::matmul(&hidden, &p[2])?, &p[3])
}

/// Mean cross-entropy; `args` is `[w1, b1, w2, b2, x, labels]`.
fn loss(args: &[Array]) -> Result<Array> {
    let logits = forward(&args[..4], &args[4])?;
    let picked = mx::take_along_axis(&logits, &args[5].expand_dims(&[-1])?, Some(-1))?;
    mx::mean(
        &mx::subtract(&mx::logsumexp(&logits, Some(&[-1]), true)?, &picked)?,
        None,
        false,
    )
}

/// The cross-entropy of one example; `args` is `[w1, b1, w2, b2, x, label]`.
fn example_loss(args: &[Array]) -> Result<Array> {
    let logits = forward(&args[..4], &args[4].expand_dims(&[0])?)?;
    let picked = mx::take_along_axis(&logits, &args[5].reshape(&[1, 1])?, Some(-1))?;
    mx::subtract(
        &mx::logsumexp(&logits, None, false)?,
        &mx::sum(&picked, None, false)?,
    )
}

fn assert_close(name: &str, got: &Array, expected: &Value) {
    let shape: Vec<usize> = expected["shape"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(got.shape(), shape.as_slice(), "{name}: shape");
    let want: Vec<f64> = expected["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let have = got.to_vec::<f64>().unwrap();
    for (i, (h, w)) in have.iter().zip(&want).enumerate() {
        assert!(
            (h - w).abs() <= 1e-5 + 1e-4 * w.abs(),
            "{name}[{i}]: {h} vs MLX {w}"
        );
    }
}

#[test]
fn mlp_gradients_match_mlx() {
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(common::golden_dir().join("transforms/mlp.json")).unwrap(),
    )
    .unwrap();
    let sizes: Vec<usize> = golden["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_u64().unwrap() as usize)
        .collect();
    let (batch, inputs, hidden, classes) = (sizes[0], sizes[1], sizes[2], sizes[3]);
    mx::with_stream(mx::default_stream(Device::Cpu).unwrap(), || {
        let params = [
            values(&[inputs, hidden], 0.3, 1),
            values(&[hidden], 0.1, 4),
            values(&[hidden, classes], 0.3, 2),
            values(&[classes], 0.1, 5),
        ];
        let x = values(&[batch, inputs], 1.0, 3);
        let labels: Vec<u32> = (0..batch as u32).map(|i| i % classes as u32).collect();
        let labels = Array::from_slice(&labels, &[batch]).unwrap();
        let names = ["w1", "b1", "w2", "b2"];

        // value_and_grad over a parameter tree.
        let tree = Tree::map(names.iter().zip(&params).map(|(n, p)| (*n, Tree::from(p))));
        let step = mx::value_and_grad_tree(|p| {
            let leaves: Vec<Array> = p.leaves().into_iter().cloned().collect();
            let mut args = leaves;
            args.extend([x.clone(), labels.clone()]);
            loss(&args)
        });
        let (value, grads) = step(&tree).unwrap();
        let expected_loss = golden["loss"].as_f64().unwrap();
        assert!((value.item::<f64>().unwrap() - expected_loss).abs() < 1e-5);
        for name in names {
            let g = grads.get(name).and_then(Tree::as_array).unwrap();
            assert_close(name, g, &golden["grads"][name]);
        }

        // Per-example gradients: vmap over the examples of grad with respect to the
        // parameters.
        let per_example = mx::vmap(
            |a| mx::grad_argnums(example_loss, &[0, 1, 2, 3])(a),
            &[None, None, None, None, Some(0), Some(0)],
            &[Some(0); 4],
        );
        let mut args = params.to_vec();
        args.extend([x.clone(), labels.clone()]);
        let grads = per_example(&args).unwrap();
        for (name, g) in names.iter().zip(&grads) {
            assert_close(name, g, &golden["per_example"][*name]);
        }
    });
}
