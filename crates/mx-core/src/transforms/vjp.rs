//! Reverse mode: `vjp`, `grad`, `value_and_grad` and their variants over argument lists,
//! trees and auxiliary outputs.

use super::rules;
use super::tape::{node_id, tracer, Tape};
use super::tree::Tree;
use crate::error::{shape_str, Error, Result};
use crate::ops::{add, ones, zeros_like};
use crate::Array;
use std::collections::HashMap;

/// Checks that `f` returned one array per cotangent, each of its cotangent's shape.
fn check_cotangents(outputs: &[Array], cotangents: &[Array]) -> Result<()> {
    if outputs.len() != cotangents.len() {
        return Err(Error::InvalidArgument(format!(
            "[vjp] Number of outputs to compute gradients for ({}) does not match number of cotangents ({}).",
            outputs.len(),
            cotangents.len()
        )));
    }
    for (out, ct) in outputs.iter().zip(cotangents) {
        if out.shape() != ct.shape() {
            return Err(Error::Shape(format!(
                "[vjp] Output shape {} does not match cotangent shape {}.",
                shape_str(out.shape()),
                shape_str(ct.shape())
            )));
        }
    }
    Ok(())
}

/// The cotangents of `tracers` given `cotangents` of `outputs`, walking the tape back.
pub(crate) fn backward(
    tracers: &[Array],
    outputs: &[Array],
    cotangents: &[Array],
) -> Result<Vec<Array>> {
    let tape = Tape::record(tracers, outputs);
    let mut table: HashMap<usize, Array> = HashMap::new();
    let accumulate = |table: &mut HashMap<usize, Array>, id: usize, ct: Array| -> Result<()> {
        let total = match table.remove(&id) {
            Some(previous) => add(&previous, &ct)?,
            None => ct,
        };
        table.insert(id, total);
        Ok(())
    };
    for (out, ct) in outputs.iter().zip(cotangents) {
        if tape.depends_on_tracers(out) {
            accumulate(&mut table, node_id(out), ct.clone())?;
        }
    }
    for step in tape.steps.iter().rev() {
        let cts: Vec<Option<Array>> = step
            .outputs
            .iter()
            .map(|out| out.as_ref().and_then(|o| table.remove(&node_id(o))))
            .collect();
        if cts.iter().all(Option::is_none) {
            continue;
        }
        let needed: Vec<bool> = step
            .inputs()
            .iter()
            .map(|input| tape.depends_on_tracers(input))
            .collect();
        let grads = rules::vjp(step, &cts, &needed)?;
        for (input, grad) in step.inputs().iter().zip(grads) {
            if let Some(grad) = grad {
                accumulate(&mut table, node_id(input), grad)?;
            }
        }
    }
    tracers
        .iter()
        .map(|t| match table.remove(&node_id(t)) {
            Some(ct) => Ok(ct),
            None => zeros_like(t),
        })
        .collect()
}

/// The outputs of `f` at `primals` and the vector-Jacobian products of `cotangents` (one
/// per output, of its shape) with respect to each primal.
///
/// ```
/// use mx_core::{array, vjp};
/// let (outs, grads) = vjp(
///     |x| Ok(vec![mx_core::multiply(&x[0], &x[0])?]),
///     &[array![1.0, 2.0]],
///     &[array![1.0, 1.0]],
/// )
/// .unwrap();
/// assert_eq!(outs[0].to_vec::<f32>().unwrap(), [1.0, 4.0]);
/// assert_eq!(grads[0].to_vec::<f32>().unwrap(), [2.0, 4.0]);
/// ```
pub fn vjp(
    f: impl Fn(&[Array]) -> Result<Vec<Array>>,
    primals: &[Array],
    cotangents: &[Array],
) -> Result<(Vec<Array>, Vec<Array>)> {
    let tracers: Vec<Array> = primals.iter().map(tracer).collect::<Result<_>>()?;
    let outputs = f(&tracers)?;
    check_cotangents(&outputs, cotangents)?;
    let grads = backward(&tracers, &outputs, cotangents)?;
    Ok((outputs, grads))
}

/// The scalar value of `f` at `args` with its extra outputs, and the gradients with
/// respect to the arguments at `argnums` (MLX's `value_and_grad` with `has_aux`-style
/// outputs: `f` returns the value first).
fn value_aux_and_grad(
    f: &dyn Fn(&[Array]) -> Result<Vec<Array>>,
    argnums: &[usize],
    args: &[Array],
) -> Result<(Vec<Array>, Vec<Array>)> {
    if let Some(&bad) = argnums.iter().find(|&&i| i >= args.len()) {
        return Err(Error::InvalidArgument(format!(
            "[grad] Can't compute the gradient of argument index {bad} because the function is called with only {} positional arguments.",
            args.len()
        )));
    }
    let mut call_args = args.to_vec();
    let mut tracers = Vec::with_capacity(argnums.len());
    for &i in argnums {
        let t = tracer(&args[i])?;
        call_args[i] = t.clone();
        tracers.push(t);
    }
    let outputs = f(&call_args)?;
    let Some(value) = outputs.first() else {
        return Err(Error::InvalidArgument(
            "[grad] The function must return at least one array.".into(),
        ));
    };
    let seed = ones(&[], value.dtype())?;
    check_cotangents(std::slice::from_ref(value), std::slice::from_ref(&seed))?;
    let grads = backward(&tracers, std::slice::from_ref(value), &[seed])?;
    Ok((outputs, grads))
}

/// The gradient of a scalar function of one array.
///
/// ```
/// use mx_core::{array, grad};
/// let df = grad(|x| mx_core::sum(&mx_core::square(x)?, None, false));
/// assert_eq!(df(&array![1.0, 3.0]).unwrap().to_vec::<f32>().unwrap(), [2.0, 6.0]);
/// // Transforms compose: the second derivative of x³ is 6x.
/// let d2 = grad(grad(|x| mx_core::power(x, 3.0)));
/// let x = mx_core::Array::from_scalar(2.0f32).unwrap();
/// assert_eq!(d2(&x).unwrap().item::<f32>().unwrap(), 12.0);
/// ```
pub fn grad(f: impl Fn(&Array) -> Result<Array>) -> impl Fn(&Array) -> Result<Array> {
    let both = value_and_grad(f);
    move |x| both(x).map(|(_, g)| g)
}

/// The value and gradient of a scalar function of one array.
pub fn value_and_grad(
    f: impl Fn(&Array) -> Result<Array>,
) -> impl Fn(&Array) -> Result<(Array, Array)> {
    move |x| {
        let wrapped = |args: &[Array]| Ok(vec![f(&args[0])?]);
        let (mut outs, mut grads) = value_aux_and_grad(&wrapped, &[0], std::slice::from_ref(x))?;
        Ok((outs.remove(0), grads.remove(0)))
    }
}

/// The value of a scalar function of several arrays and its gradients with respect to
/// the arguments at `argnums`, in that order.
///
/// ```
/// use mx_core::{array, multiply, sum, value_and_grad_argnums};
/// let f = value_and_grad_argnums(|a| sum(&multiply(&a[0], &a[1])?, None, false), &[0, 1]);
/// let (v, g) = f(&[array![1.0, 2.0], array![3.0, 4.0]]).unwrap();
/// assert_eq!(v.item::<f32>().unwrap(), 11.0);
/// assert_eq!(g[1].to_vec::<f32>().unwrap(), [1.0, 2.0]);
/// ```
pub fn value_and_grad_argnums(
    f: impl Fn(&[Array]) -> Result<Array>,
    argnums: &[usize],
) -> impl Fn(&[Array]) -> Result<(Array, Vec<Array>)> {
    let argnums = argnums.to_vec();
    move |args| {
        let wrapped = |args: &[Array]| Ok(vec![f(args)?]);
        let (mut outs, grads) = value_aux_and_grad(&wrapped, &argnums, args)?;
        Ok((outs.remove(0), grads))
    }
}

/// The gradients of a scalar function of several arrays with respect to the arguments at
/// `argnums`.
pub fn grad_argnums(
    f: impl Fn(&[Array]) -> Result<Array>,
    argnums: &[usize],
) -> impl Fn(&[Array]) -> Result<Vec<Array>> {
    let both = value_and_grad_argnums(f, argnums);
    move |args| both(args).map(|(_, g)| g)
}

/// `value_and_grad` for a function that returns its scalar value and auxiliary arrays
/// (MLX's `has_aux`): the auxiliary outputs are returned, not differentiated.
///
/// ```
/// use mx_core::{array, sum, value_and_grad_with_aux};
/// let f = value_and_grad_with_aux(|a| Ok((sum(&a[0], None, false)?, vec![a[0].clone()])), &[0]);
/// let ((value, aux), grads) = f(&[array![1.0, 2.0]]).unwrap();
/// assert_eq!(value.item::<f32>().unwrap(), 3.0);
/// assert_eq!(aux.len(), 1);
/// assert_eq!(grads[0].to_vec::<f32>().unwrap(), [1.0, 1.0]);
/// ```
#[allow(clippy::type_complexity)]
pub fn value_and_grad_with_aux(
    f: impl Fn(&[Array]) -> Result<(Array, Vec<Array>)>,
    argnums: &[usize],
) -> impl Fn(&[Array]) -> Result<((Array, Vec<Array>), Vec<Array>)> {
    let argnums = argnums.to_vec();
    move |args| {
        let wrapped = |args: &[Array]| {
            let (value, aux) = f(args)?;
            let mut outs = vec![value];
            outs.extend(aux);
            Ok(outs)
        };
        let (mut outs, grads) = value_aux_and_grad(&wrapped, &argnums, args)?;
        let value = outs.remove(0);
        Ok(((value, outs), grads))
    }
}

/// The value and gradient of a scalar function of a tree of arrays (a model's parameters),
/// with the gradient as a tree of the same structure.
///
/// ```
/// use mx_core::{array, sum, value_and_grad_tree, Tree};
/// let params = Tree::map([("w", Tree::from(array![1.0, 2.0]))]);
/// let f = value_and_grad_tree(|p| sum(&mx_core::square(p.get("w").unwrap().as_array().unwrap())?, None, false));
/// let (_, g) = f(&params).unwrap();
/// assert_eq!(g.get("w").unwrap().as_array().unwrap().to_vec::<f32>().unwrap(), [2.0, 4.0]);
/// ```
pub fn value_and_grad_tree(
    f: impl Fn(&Tree) -> Result<Array>,
) -> impl Fn(&Tree) -> Result<(Array, Tree)> {
    move |tree| {
        let leaves: Vec<Array> = tree.leaves().into_iter().cloned().collect();
        let argnums: Vec<usize> = (0..leaves.len()).collect();
        let wrapped = |args: &[Array]| {
            let rebuilt = tree.with_leaves(&mut args.iter().cloned())?;
            Ok(vec![f(&rebuilt)?])
        };
        let (mut outs, grads) = value_aux_and_grad(&wrapped, &argnums, &leaves)?;
        Ok((outs.remove(0), tree.with_leaves(&mut grads.into_iter())?))
    }
}
