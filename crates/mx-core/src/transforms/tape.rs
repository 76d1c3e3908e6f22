//! The recorded graph between a transform's inputs and its function's outputs.
//!
//! A transform calls the function on tracers: fresh graph nodes (identity ops) in front
//! of the inputs, so that the transform can tell its own inputs apart from any other use
//! of the same arrays, including the tracers of an enclosing transform. The function
//! builds a lazy graph; the tape is the part of it that depends on a tracer, in
//! topological order. Arrays that were evaluated inside the function have lost their
//! graph and count as constants, as they do in MLX.

use crate::array::{Op, State};
use crate::error::Result;
use crate::primitive::Primitive;
use crate::Array;
use std::collections::HashSet;
use std::sync::Arc;

/// The identity of an array's graph node.
pub(crate) fn node_id(a: &Array) -> usize {
    Arc::as_ptr(&a.node) as usize
}

/// A fresh node standing for `x` in a traced function: an identity op on `x`.
pub(crate) fn tracer(x: &Array) -> Result<Array> {
    Array::from_op(
        x.shape().to_vec(),
        x.dtype(),
        Primitive::Identity,
        vec![x.clone()],
    )
}

/// The pending op that produces `a`, if `a` has not been evaluated.
fn producer(a: &Array) -> Option<Arc<Op>> {
    match &*a.node.lock() {
        State::Pending { op } => Some(op.clone()),
        _ => None,
    }
}

/// One recorded op with handles to its outputs (`None` for outputs nobody holds).
pub(crate) struct Step {
    /// The op.
    pub(crate) op: Arc<Op>,
    /// Its outputs, in order.
    pub(crate) outputs: Vec<Option<Array>>,
}

impl Step {
    /// The op's inputs.
    pub(crate) fn inputs(&self) -> &[Array] {
        &self.op.inputs
    }
}

/// The ops that depend on the tracers, inputs before the ops that use them.
pub(crate) struct Tape {
    /// The recorded ops in topological order.
    pub(crate) steps: Vec<Step>,
    /// The nodes that depend on a tracer (the tracers included).
    depends: HashSet<usize>,
}

impl Tape {
    /// Records the graph of `outputs` back to `tracers`.
    pub(crate) fn record(tracers: &[Array], outputs: &[Array]) -> Tape {
        let mut depends: HashSet<usize> = tracers.iter().map(node_id).collect();
        let mut visited: HashSet<usize> = HashSet::new();
        let mut recorded: HashSet<usize> = HashSet::new();
        let mut steps = Vec::new();
        let mut stack: Vec<(Array, bool)> =
            outputs.iter().rev().map(|a| (a.clone(), false)).collect();
        while let Some((array, expanded)) = stack.pop() {
            let id = node_id(&array);
            if depends.contains(&id) && !expanded {
                visited.insert(id);
                continue;
            }
            if !expanded && visited.contains(&id) {
                continue;
            }
            let Some(op) = producer(&array) else {
                visited.insert(id);
                continue;
            };
            if !expanded {
                visited.insert(id);
                stack.push((array, true));
                for input in op.inputs.iter().rev() {
                    if !visited.contains(&node_id(input)) {
                        stack.push((input.clone(), false));
                    }
                }
                continue;
            }
            let dependent = op
                .inputs
                .iter()
                .any(|input| depends.contains(&node_id(input)));
            if !dependent {
                continue;
            }
            depends.insert(id);
            if recorded.insert(Arc::as_ptr(&op) as usize) {
                let outputs = op
                    .outputs
                    .get()
                    .map(|weak| {
                        weak.iter()
                            .map(|w| w.upgrade().map(|node| Array { node }))
                            .collect()
                    })
                    .unwrap_or_default();
                steps.push(Step { op, outputs });
            }
        }
        // Every output of a recorded op depends on the tracers too.
        for step in &steps {
            for output in step.outputs.iter().flatten() {
                depends.insert(node_id(output));
            }
        }
        Tape { steps, depends }
    }

    /// True if `a` depends on a tracer.
    pub(crate) fn depends_on_tracers(&self, a: &Array) -> bool {
        self.depends.contains(&node_id(a))
    }
}
