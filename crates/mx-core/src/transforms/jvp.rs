//! Forward mode: `jvp`.

use super::rules;
use super::tape::{node_id, tracer, Tape};
use crate::error::{shape_str, Error, Result};
use crate::ops::zeros_like;
use crate::Array;
use std::collections::HashMap;

/// The outputs of `f` at `primals` and the Jacobian-vector products with `tangents`
/// (one per primal, of its shape).
///
/// ```
/// use mx_core::{array, jvp};
/// let (outs, tangents) = jvp(
///     |x| Ok(vec![mx_core::multiply(&x[0], &x[0])?]),
///     &[array![1.0, 2.0]],
///     &[array![1.0, 0.5]],
/// )
/// .unwrap();
/// assert_eq!(outs[0].to_vec::<f32>().unwrap(), [1.0, 4.0]);
/// assert_eq!(tangents[0].to_vec::<f32>().unwrap(), [2.0, 2.0]);
/// ```
pub fn jvp(
    f: impl Fn(&[Array]) -> Result<Vec<Array>>,
    primals: &[Array],
    tangents: &[Array],
) -> Result<(Vec<Array>, Vec<Array>)> {
    if primals.len() != tangents.len() {
        return Err(Error::InvalidArgument(format!(
            "[jvp] Number of inputs ({}) does not match number of tangents ({}).",
            primals.len(),
            tangents.len()
        )));
    }
    for (p, t) in primals.iter().zip(tangents) {
        if p.shape() != t.shape() {
            return Err(Error::Shape(format!(
                "[jvp] Input shape {} does not match tangent shape {}.",
                shape_str(p.shape()),
                shape_str(t.shape())
            )));
        }
    }
    let tracers: Vec<Array> = primals.iter().map(tracer).collect::<Result<_>>()?;
    let outputs = f(&tracers)?;
    let tape = Tape::record(&tracers, &outputs);
    let mut table: HashMap<usize, Array> = tracers
        .iter()
        .zip(tangents)
        .map(|(tr, t)| (node_id(tr), t.clone()))
        .collect();
    for step in &tape.steps {
        let ins: Vec<Option<Array>> = step
            .inputs()
            .iter()
            .map(|input| table.get(&node_id(input)).cloned())
            .collect();
        if ins.iter().all(Option::is_none) {
            continue;
        }
        let outs = rules::jvp(step, &ins)?;
        for (out, tangent) in step.outputs.iter().zip(outs) {
            if let (Some(out), Some(tangent)) = (out, tangent) {
                table.insert(node_id(out), tangent);
            }
        }
    }
    let out_tangents = outputs
        .iter()
        .map(|o| match table.get(&node_id(o)) {
            Some(t) => Ok(t.clone()),
            None => zeros_like(o),
        })
        .collect::<Result<_>>()?;
    Ok((outputs, out_tangents))
}
