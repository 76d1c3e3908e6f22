//! Stream workers: one thread per stream runs its ops in submission order.

use crate::array::{complete, Data, Op, State};
use crate::backend;
use crate::error::{Error, Result};
use crate::scheduler::Device;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

type Batch = Vec<Arc<Op>>;

/// A stream's worker: its queue, and how many batches it has been sent and not finished.
struct Worker {
    sender: Sender<Batch>,
    outstanding: Arc<AtomicUsize>,
}

static WORKERS: Mutex<Vec<Worker>> = Mutex::new(Vec::new());

/// Starts a worker thread and returns its stream index.
pub(crate) fn spawn_worker() -> Result<usize> {
    let (sender, receiver) = channel::<Batch>();
    let outstanding = Arc::new(AtomicUsize::new(0));
    let mut workers = WORKERS.lock().unwrap_or_else(|p| p.into_inner());
    let index = workers.len();
    let count = outstanding.clone();
    std::thread::Builder::new()
        .name(format!("mx-stream-{index}"))
        .spawn(move || {
            while let Ok(batch) = receiver.recv() {
                run_batch(batch);
                count.fetch_sub(1, Ordering::AcqRel);
            }
        })
        .map_err(|e| Error::Device(format!("[new_stream] Could not start a worker thread: {e}")))?;
    workers.push(Worker {
        sender,
        outstanding,
    });
    Ok(index)
}

/// Runs a batch of one stream's ops in order.
pub(crate) fn run_batch(batch: Batch) {
    // Ops leave the queue as they run, so their inputs are freed early.
    let mut queue: VecDeque<Arc<Op>> = batch.into();
    while !queue.is_empty() {
        let len = backend::fusible_len(queue.make_contiguous());
        let mut group: Vec<Arc<Op>> = queue.drain(..len).collect();
        if len > 1 {
            run_fused(group);
        } else if let Some(op) = group.pop() {
            run(&op);
        }
    }
}

/// Hands ops, already in dependency order, to their streams' workers.
///
/// With `wait` (the caller blocks on the results), ops that all belong to one idle CPU
/// stream are returned instead, for the caller to run with [`run_batch`]: handing them
/// to the worker and waking the caller again costs two thread wake-ups, which on a
/// virtual machine can take longer than a small op. Work queued earlier on the stream
/// has finished, since its worker is idle; ops that other threads run at the same time
/// wait for the ones they depend on through their events, as across streams.
pub(crate) fn submit(ops: Vec<Arc<Op>>, wait: bool) -> Result<Option<Batch>> {
    let workers = WORKERS.lock().unwrap_or_else(|p| p.into_inner());
    let mut batches: Vec<(usize, Batch)> = Vec::new();
    for op in ops {
        let index = op.stream.index();
        match batches.iter_mut().find(|(i, _)| *i == index) {
            Some((_, batch)) => batch.push(op),
            None => batches.push((index, vec![op])),
        }
    }
    if let [(index, batch)] = &mut batches[..] {
        let on_cpu = batch.iter().all(|op| op.stream.device() == Device::Cpu);
        if let (true, true, Some(worker)) = (wait, on_cpu, workers.get(*index)) {
            if worker.outstanding.load(Ordering::Acquire) == 0 {
                return Ok(Some(std::mem::take(batch)));
            }
        }
    }
    for (index, batch) in batches {
        let worker = workers
            .get(index)
            .ok_or_else(|| Error::Device(format!("[eval] Stream {index} has no worker.")))?;
        worker.outstanding.fetch_add(1, Ordering::AcqRel);
        if let Err(returned) = worker.sender.send(batch) {
            worker.outstanding.fetch_sub(1, Ordering::AcqRel);
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
    Ok(None)
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

/// Runs `body`, turning a panic into an error of `op`: a panicking kernel is a bug, but
/// it must not leave waiters blocked forever or kill the worker.
fn guarded<T>(op: &Op, body: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("unknown panic");
        Err(Error::Eval(format!(
            "[{}] Internal error in the kernel: {message}",
            op.primitive.name()
        )))
    })
}

fn run(op: &Op) {
    let result = guarded(op, || {
        op.inputs
            .iter()
            .map(input_data)
            .collect::<Result<Vec<Data>>>()
            .and_then(|datas| backend::execute(op, &datas))
    });
    complete(op, result);
}

/// Runs elementwise ops as one fused kernel (see `backend::fusible_len`): the last op gets
/// the result; the others' outputs have no handle left, so they are closed without data.
///
/// The intermediate ops are released before the last one completes, so that their graph
/// is freed while the waiting thread sleeps rather than while it builds the next graph.
#[cfg(feature = "cuda")]
fn run_fused(mut ops: Vec<Arc<Op>>) {
    let result = guarded(&ops[ops.len() - 1], || {
        let plan = backend::plan_fusion(&ops);
        let datas = plan
            .externals
            .iter()
            .map(input_data)
            .collect::<Result<Vec<Data>>>()?;
        backend::execute_fused(&ops, &plan, &datas)
    });
    match result {
        Ok(None) => ops.iter().for_each(|op| run(op)),
        Ok(Some(data)) => {
            let last = ops.pop();
            let unstored = Error::Eval(
                "[eval] This intermediate value was fused into a later kernel and not stored."
                    .to_string(),
            );
            for op in ops.drain(..) {
                complete(&op, Err(unstored.clone()));
            }
            if let Some(last) = last {
                complete(&last, Ok(vec![data]));
            }
        }
        Err(err) => ops.iter().for_each(|op| complete(op, Err(err.clone()))),
    }
}

/// Without a GPU backend nothing fuses.
#[cfg(not(feature = "cuda"))]
fn run_fused(ops: Vec<Arc<Op>>) {
    ops.iter().for_each(|op| run(op));
}
