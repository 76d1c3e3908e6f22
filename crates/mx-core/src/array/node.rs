//! Graph nodes: an array's state and the operation that produces it.

use super::data::Data;
use super::Array;
use crate::dtype::Dtype;
use crate::error::Error;
use crate::primitive::Primitive;
use crate::scheduler::{Event, Stream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};

/// One array in the graph.
pub(crate) struct Node {
    pub(crate) shape: Vec<usize>,
    pub(crate) dtype: Dtype,
    pub(crate) state: Mutex<State>,
}

/// Where a node is in its life: waiting for its op, holding data, or holding the error its op raised.
pub(crate) enum State {
    Pending { op: Arc<Op> },
    Ready(Data),
    Failed(Error),
}

impl Node {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// An operation in the graph: a primitive applied to inputs on a stream,
/// producing one or more sibling outputs.
pub(crate) struct Op {
    pub(crate) primitive: Primitive,
    pub(crate) inputs: Vec<Array>,
    pub(crate) stream: Stream,
    /// Output shapes and dtypes, kept here because output nodes may be dropped before the op runs.
    pub(crate) output_meta: Vec<(Vec<usize>, Dtype)>,
    pub(crate) outputs: OnceLock<Vec<Weak<Node>>>,
    /// Set once the op has been handed to a stream worker.
    pub(crate) scheduled: AtomicBool,
    pub(crate) done: Event,
}

impl Op {
    /// Claims the op for scheduling; false if another eval already has it.
    pub(crate) fn claim(&self) -> bool {
        !self.scheduled.swap(true, Ordering::AcqRel)
    }

    pub(crate) fn is_scheduled(&self) -> bool {
        self.scheduled.load(Ordering::Acquire)
    }
}

impl Drop for Op {
    /// Drops the input graph iteratively, so that a chain of a million ops does not
    /// overflow the stack through nested `Drop` calls.
    fn drop(&mut self) {
        let mut stack: Vec<Array> = std::mem::take(&mut self.inputs);
        while let Some(array) = stack.pop() {
            let Ok(node) = Arc::try_unwrap(array.node) else {
                continue;
            };
            let state = node.state.into_inner().unwrap_or_else(|p| p.into_inner());
            if let State::Pending { op, .. } = state {
                if let Ok(mut op) = Arc::try_unwrap(op) {
                    stack.append(&mut op.inputs);
                }
            }
        }
    }
}

/// Publishes an op's results into its live output nodes and wakes waiters.
pub(crate) fn complete(op: &Op, result: Result<Vec<Data>, Error>) {
    if let Some(outputs) = op.outputs.get() {
        match result {
            Ok(datas) => {
                for (weak, data) in outputs.iter().zip(datas) {
                    if let Some(node) = weak.upgrade() {
                        *node.lock() = State::Ready(data);
                    }
                }
            }
            Err(err) => {
                for weak in outputs {
                    if let Some(node) = weak.upgrade() {
                        *node.lock() = State::Failed(err.clone());
                    }
                }
            }
        }
    }
    op.done.signal();
}
