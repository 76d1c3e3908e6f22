//! Stream workers: one thread per stream runs its ops in submission order.

use crate::array::{complete, Data, Op, State};
use crate::backend;
use crate::error::{Error, Result};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

type Batch = Vec<Arc<Op>>;

static WORKERS: Mutex<Vec<Sender<Batch>>> = Mutex::new(Vec::new());

/// Starts a worker thread and returns its stream index.
pub(crate) fn spawn_worker() -> Result<usize> {
    let (sender, receiver) = channel::<Batch>();
    let mut workers = WORKERS.lock().unwrap_or_else(|p| p.into_inner());
    let index = workers.len();
    std::thread::Builder::new()
        .name(format!("mx-stream-{index}"))
        .spawn(move || {
            while let Ok(batch) = receiver.recv() {
                for op in batch {
                    run(&op);
                }
            }
        })
        .map_err(|e| Error::Device(format!("[new_stream] Could not start a worker thread: {e}")))?;
    workers.push(sender);
    Ok(index)
}

/// Hands ops, already in dependency order, to their streams' workers.
pub(crate) fn submit(ops: Vec<Arc<Op>>) -> Result<()> {
    let workers = WORKERS.lock().unwrap_or_else(|p| p.into_inner());
    let mut batches: Vec<(usize, Batch)> = Vec::new();
    for op in ops {
        let index = op.stream.index();
        match batches.iter_mut().find(|(i, _)| *i == index) {
            Some((_, batch)) => batch.push(op),
            None => batches.push((index, vec![op])),
        }
    }
    for (index, batch) in batches {
        let sender = workers
            .get(index)
            .ok_or_else(|| Error::Device(format!("[eval] Stream {index} has no worker.")))?;
        if let Err(returned) = sender.send(batch) {
            for op in returned.0 {
                complete(
                    &op,
                    Err(Error::Device(format!(
                        "[eval] The worker of stream {index} has stopped."
                    ))),
                );
            }
        }
    }
    Ok(())
}

/// Reads an input's data, waiting for an op on another stream if it has not finished yet.
fn input_data(array: &crate::Array) -> Result<Data> {
    loop {
        let pending = {
            let state = array.node.lock();
            match &*state {
                State::Ready(data) => return Ok(data.clone()),
                State::Failed(err) => return Err(err.clone()),
                State::Pending { op, .. } => op.clone(),
            }
        };
        if !pending.is_scheduled() {
            return Err(Error::Eval(
                "[eval] An input of an op was never scheduled.".to_string(),
            ));
        }
        pending.done.wait();
    }
}

fn run(op: &Op) {
    // A panicking kernel is a bug, but it must not leave waiters blocked forever or
    // kill the worker: it becomes an error of this op.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        op.inputs
            .iter()
            .map(input_data)
            .collect::<Result<Vec<Data>>>()
            .and_then(|datas| backend::execute(op, &datas))
    }))
    .unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("unknown panic");
        Err(Error::Eval(format!(
            "[{}] Internal error in the kernel: {message}",
            op.primitive.name()
        )))
    });
    complete(op, result);
}
