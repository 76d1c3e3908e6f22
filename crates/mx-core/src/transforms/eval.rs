//! `eval` and `async_eval`: schedule the pending graph onto stream workers.

use crate::array::{Op, State};
use crate::error::{Error, Result};
use crate::scheduler::{run_batch, submit};
use crate::Array;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// Held while an evaluation claims and submits ops, so that every claimed op
/// is queued before any later batch that may depend on it.
static SUBMIT: Mutex<()> = Mutex::new(());

fn pending_op(array: &Array) -> Option<Arc<Op>> {
    match &*array.node.lock() {
        State::Pending { op, .. } if !op.is_scheduled() => Some(op.clone()),
        _ => None,
    }
}

/// Claims every unscheduled op the arrays depend on and hands them to their workers,
/// in depth-first post-order. Traversal is iterative, so graph depth is unbounded.
/// With `wait`, ops of one idle CPU stream run on this thread instead (see `submit`).
fn schedule(arrays: &[&Array], wait: bool) -> Result<()> {
    let guard = SUBMIT.lock().unwrap_or_else(|p| p.into_inner());
    let mut order: Vec<Arc<Op>> = Vec::new();
    let mut visited: HashSet<usize> = HashSet::new();
    let mut stack: Vec<(Arc<Op>, bool)> = arrays
        .iter()
        .rev()
        .filter_map(|a| pending_op(a))
        .map(|op| (op, false))
        .collect();
    while let Some((op, expanded)) = stack.pop() {
        if expanded {
            order.push(op);
            continue;
        }
        if !visited.insert(Arc::as_ptr(&op) as usize) {
            continue;
        }
        if super::vmap::is_stand_in(&op) {
            return Err(Error::InvalidArgument(
                "[eval] Attempting to eval an array during function transformations like compile or vmap is not allowed.".into(),
            ));
        }
        let children: Vec<Arc<Op>> = op
            .inputs
            .iter()
            .rev()
            .filter_map(pending_op)
            .filter(|child| !visited.contains(&(Arc::as_ptr(child) as usize)))
            .collect();
        stack.push((op, true));
        stack.extend(children.into_iter().map(|child| (child, false)));
    }
    for op in &order {
        op.claim();
    }
    let inline = submit(order, wait)?;
    drop(guard);
    if let Some(batch) = inline {
        run_batch(batch);
    }
    Ok(())
}

/// Evaluates the arrays, sharing their common work, and waits for the results.
/// Errors raised by a kernel (out of memory, a bad index) are returned here; arrays
/// that do not depend on the failed op stay usable.
///
/// ```
/// use mx_core::{array, eval};
/// let a = array![1.0, 2.0];
/// let b = &a + 1.0;
/// let c = &a * 3.0;
/// eval(&[&b, &c]).unwrap();
/// assert!(b.is_evaluated() && c.is_evaluated());
/// ```
pub fn eval(arrays: &[&Array]) -> Result<()> {
    schedule(arrays, true)?;
    let mut first_error = None;
    for array in arrays {
        // Like MLX's eval, wait until the values exist, not only until they are enqueued.
        if let Err(err) = array.data().and_then(|data| data.buffer.wait_ready()) {
            first_error.get_or_insert(err);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Starts evaluating the arrays and returns at once. A later `eval` or read waits for them.
///
/// ```
/// use mx_core::{array, async_eval};
/// let a = &array![1, 2] * 2;
/// async_eval(&[&a]).unwrap();
/// assert_eq!(a.to_vec::<i32>().unwrap(), vec![2, 4]);
/// ```
pub fn async_eval(arrays: &[&Array]) -> Result<()> {
    schedule(arrays, false)
}
