//! The `transforms` suite: `value_and_grad` of a small MLP's cross-entropy loss, the case
//! `bench/compare/transforms.py` runs on MLX in the same session.

use crate::ops::time;
use crate::report::Row;
use mx::{Array, Device, Dtype, Result, Tree};

/// The MLP: 784 inputs, 512 hidden units with ReLU, 10 classes; a batch of 128.
const BATCH: usize = 128;
const INPUTS: usize = 784;
const HIDDEN: usize = 512;
const CLASSES: usize = 10;

/// Deterministic float32 values of `shape` scaled by `scale`.
fn values(shape: &[usize], scale: f32, seed: u64) -> Result<Array> {
    let n: usize = shape.iter().product();
    let v: Vec<f32> = (0..n as u64)
        .map(|i| ((i * 2_654_435_761 + seed * 40_503) % 2001) as f32 / 1000.0 - 1.0)
        .map(|x| x * scale)
        .collect();
    Array::from_slice(&v, shape)
}

/// Mean cross-entropy of the MLP with `params` on inputs `x` and class `labels`.
pub fn mlp_loss(params: &Tree, x: &Array, labels: &Array) -> Result<Array> {
    let leaf = |name: &str| {
        params
            .get(name)
            .and_then(Tree::as_array)
            .cloned()
            .ok_or_else(|| mx::Error::InvalidArgument(format!("no parameter {name}")))
    };
    let hidden = mx::maximum(&mx::add(&mx::matmul(x, &leaf("w1")?)?, &leaf("b1")?)?, 0.0)?;
    let logits = mx::add(&mx::matmul(&hidden, &leaf("w2")?)?, &leaf("b2")?)?;
    let picked = mx::take_along_axis(&logits, &labels.expand_dims(&[-1])?, Some(-1))?;
    let losses = mx::subtract(&mx::logsumexp(&logits, Some(&[-1]), true)?, &picked)?;
    mx::mean(&losses, None, false)
}

/// Runs the suite on the CPU and returns its rows.
pub fn run(runs: usize) -> Result<Vec<Row>> {
    mx::set_default_stream(mx::default_stream(Device::Cpu)?)?;
    let params = Tree::map([
        ("w1", Tree::from(values(&[INPUTS, HIDDEN], 0.05, 1)?)),
        ("b1", Tree::from(mx::zeros(&[HIDDEN], Dtype::Float32)?)),
        ("w2", Tree::from(values(&[HIDDEN, CLASSES], 0.05, 2)?)),
        ("b2", Tree::from(mx::zeros(&[CLASSES], Dtype::Float32)?)),
    ]);
    let x = values(&[BATCH, INPUTS], 1.0, 3)?;
    let labels: Vec<u32> = (0..BATCH as u32).map(|i| i % CLASSES as u32).collect();
    let labels = Array::from_slice(&labels, &[BATCH])?;
    let step = mx::value_and_grad_tree(|p| mlp_loss(p, &x, &labels));
    let seconds = time(runs, || {
        let (loss, grads) = step(&params)?;
        let mut outputs = vec![&loss];
        outputs.extend(grads.leaves());
        mx::eval(&outputs)
    })?;
    Ok(vec![Row {
        case: "mlp_value_and_grad_128x784x512x10".into(),
        time_s: seconds,
        rate: seconds * 1e3,
        unit: "ms/step",
        ratio: None,
        versus: "MLX in bench/compare/transforms.py",
    }])
}
