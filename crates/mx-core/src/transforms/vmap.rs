//! Automatic vectorisation: `vmap`.
//!
//! The function is traced once on unbatched stand-ins for its inputs; then each recorded
//! op is replayed on the batched arrays through its primitive's batching rule, which
//! keeps the batch as an extra axis. No op runs in a loop over the batch.

use super::rules::batch;
use super::tape::{node_id, tracer, Tape};
use crate::error::{Error, Result};
use crate::Array;
use std::collections::HashMap;

/// An array that may carry the batch along one of its axes.
#[derive(Clone)]
pub(crate) struct Batched {
    /// The array.
    pub(crate) array: Array,
    /// Its batch axis; `None` for arrays that are the same for every batch element.
    pub(crate) axis: Option<usize>,
}

/// `axis` (negative counts from the end) of an array with `ndim` dimensions, or MLX's error.
fn resolve_axis(axis: isize, ndim: usize, what: &str) -> Result<usize> {
    let resolved = if axis < 0 { axis + ndim as isize } else { axis };
    if resolved < 0 || resolved >= ndim as isize {
        return Err(Error::InvalidArgument(format!(
            "[vmap] {what} axis {axis} is out of bounds for an array with {ndim} dimensions."
        )));
    }
    Ok(resolved as usize)
}

/// `f` vectorised over an axis of its inputs: `in_axes[i]` is the batch axis of argument
/// `i` (`None`: the argument is shared by every batch element) and `out_axes[j]` where
/// output `j` gets the batch axis. Every primitive has a batching rule, so `f` runs once
/// on whole batches.
///
/// ```
/// use mx_core::{array, matmul, vmap};
/// // A matrix-vector product mapped over the rows of `x`.
/// let w = array![[1.0, 0.0], [0.0, 2.0]];
/// let f = vmap(move |a| Ok(vec![matmul(&w, &a[0])?]), &[Some(0)], &[Some(0)]);
/// let out = f(&[array![[1.0, 1.0], [3.0, 4.0]]]).unwrap();
/// assert_eq!(out[0].to_vec::<f32>().unwrap(), [1.0, 2.0, 3.0, 8.0]);
/// ```
pub fn vmap(
    f: impl Fn(&[Array]) -> Result<Vec<Array>>,
    in_axes: &[Option<isize>],
    out_axes: &[Option<isize>],
) -> impl Fn(&[Array]) -> Result<Vec<Array>> {
    let (in_axes, out_axes) = (in_axes.to_vec(), out_axes.to_vec());
    move |args| {
        if args.len() != in_axes.len() {
            return Err(Error::InvalidArgument(format!(
                "[vmap] The number of in axes ({}) must match the number of arguments ({}).",
                in_axes.len(),
                args.len()
            )));
        }
        let mut size = None;
        let mut tracers = Vec::with_capacity(args.len());
        let mut batched: HashMap<usize, Batched> = HashMap::new();
        let mut call_args = Vec::with_capacity(args.len());
        for (arg, axis) in args.iter().zip(&in_axes) {
            let Some(axis) = axis else {
                call_args.push(arg.clone());
                continue;
            };
            let axis = resolve_axis(*axis, arg.ndim(), "Input")?;
            let n = arg.shape()[axis];
            if *size.get_or_insert(n) != n {
                return Err(Error::InvalidArgument(
                    "[vmap] Inconsistent sizes for the vmapped axes.".into(),
                ));
            }
            let mut items = vec![crate::Index::Slice(crate::Slice::new(None, None, 1)); arg.ndim()];
            items[axis] = crate::Index::Int(0);
            let stand_in = tracer(&arg.index(&items)?)?;
            batched.insert(
                node_id(&stand_in),
                Batched {
                    array: arg.clone(),
                    axis: Some(axis),
                },
            );
            tracers.push(stand_in.clone());
            call_args.push(stand_in);
        }
        let Some(size) = size else {
            return Err(Error::InvalidArgument(
                "[vmap] At least one argument must be mapped over.".into(),
            ));
        };
        let outputs = {
            let _tracing = StandIns::register(&tracers);
            f(&call_args)?
        };
        if outputs.len() != out_axes.len() {
            return Err(Error::InvalidArgument(format!(
                "[vmap] The number of out axes ({}) must match the number of outputs ({}).",
                out_axes.len(),
                outputs.len()
            )));
        }
        let tape = Tape::record(&tracers, &outputs);
        for step in &tape.steps {
            let inputs: Vec<Batched> = step
                .inputs()
                .iter()
                .map(|input| {
                    batched.get(&node_id(input)).cloned().unwrap_or(Batched {
                        array: input.clone(),
                        axis: None,
                    })
                })
                .collect();
            let results = batch::apply(step, &inputs, size)?;
            for (out, result) in step.outputs.iter().zip(results) {
                if let Some(out) = out {
                    batched.insert(node_id(out), result);
                }
            }
        }
        outputs
            .iter()
            .zip(&out_axes)
            .map(|(out, out_axis)| {
                let result = batched.get(&node_id(out)).cloned().unwrap_or(Batched {
                    array: out.clone(),
                    axis: None,
                });
                place_batch(result, *out_axis, size)
            })
            .collect()
    }
}

/// `result` with its batch axis moved to `out_axis`; an output that does not depend on
/// the mapped inputs is broadcast along a new batch axis. `None` asks for no batch axis,
/// which only an unbatched output can honour.
fn place_batch(result: Batched, out_axis: Option<isize>, size: usize) -> Result<Array> {
    let Some(out_axis) = out_axis else {
        return match result.axis {
            None => Ok(result.array),
            Some(_) => Err(Error::InvalidArgument(
                "[vmap] Cannot have an out axis of None for an output that depends on the mapped inputs.".into(),
            )),
        };
    };
    let array = batch::batch_first(&result, size)?;
    let target = resolve_axis(out_axis, array.ndim(), "Output")?;
    array.moveaxis(0, target as isize)
}

thread_local! {
    /// The identity ops of the stand-ins of every `vmap` whose function is running on this
    /// thread: evaluating anything that depends on one is an error, as in MLX, since a
    /// stand-in holds only the first element of the batch.
    static STAND_INS: std::cell::RefCell<std::collections::HashSet<usize>> =
        std::cell::RefCell::default();
}

/// True if `op` produces a stand-in of a `vmap` whose function is running on this thread.
pub(crate) fn is_stand_in(op: &crate::array::Op) -> bool {
    STAND_INS.with(|ids| ids.borrow().contains(&(op as *const _ as usize)))
}

/// Registers stand-ins for the duration of a traced call.
struct StandIns(Vec<usize>);

impl StandIns {
    fn register(tracers: &[Array]) -> StandIns {
        let ids: Vec<usize> = tracers
            .iter()
            .filter_map(|t| match &*t.node.lock() {
                crate::array::State::Pending { op } => Some(std::sync::Arc::as_ptr(op) as usize),
                _ => None,
            })
            .collect();
        STAND_INS.with(|set| set.borrow_mut().extend(ids.iter().copied()));
        StandIns(ids)
    }
}

impl Drop for StandIns {
    fn drop(&mut self) {
        STAND_INS.with(|set| {
            let mut set = set.borrow_mut();
            for id in &self.0 {
                set.remove(id);
            }
        });
    }
}
