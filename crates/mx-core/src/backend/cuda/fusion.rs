//! Elementwise fusion at evaluation time. A run of unary, binary and astype ops on one GPU
//! stream, where each op consumes the previous one's output and nothing else holds it,
//! runs as one generated kernel that keeps the intermediate values in registers: one
//! launch and one pass over memory instead of one per op.
//!
//! Results are bit for bit those of the separate kernels: every step applies the same
//! functor to the same element type. The intermediate arrays are never stored; no handle
//! to them exists (that is the condition), so nothing can observe it.

use super::compiler::function;
use super::elementwise::{binary_supported, unary_supported};
use super::launch::{allocate, arg, c_type, device_address, launch_flat};
use super::stream::gpu_stream;
use crate::array::{Array, Data, Node, Op};
use crate::dtype::Dtype;
use crate::error::Result;
use crate::primitive::Primitive;
use crate::scheduler::Device;
use std::collections::HashMap;
use std::ffi::c_void;
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// The most ops one fused kernel takes: bounds the generated source.
const MAX_STEPS: usize = 128;

static ENABLED: AtomicBool = AtomicBool::new(true);
/// Fused kernels launched in this process, and the ops they replaced.
static LAUNCHES: AtomicUsize = AtomicUsize::new(0);
static FUSED_OPS: AtomicUsize = AtomicUsize::new(0);

/// `(fused kernels launched, ops they ran)` in this process.
pub(crate) fn counts() -> (usize, usize) {
    (
        LAUNCHES.load(Ordering::Relaxed),
        FUSED_OPS.load(Ordering::Relaxed),
    )
}

/// Turns fusion on (the default) or off.
pub(crate) fn set_enabled(enabled: bool) {
    ENABLED.store(enabled, Ordering::Relaxed);
}

/// True if `op` can be a step of a fused kernel: an elementwise op with a GPU kernel for
/// its dtypes.
fn fusible(op: &Op) -> bool {
    if !matches!(op.stream.device(), Device::Gpu(_)) || op.output_meta.len() != 1 {
        return false;
    }
    let out_dtype = op.output_meta[0].1;
    let Some(input) = op.inputs.first() else {
        return false;
    };
    let dtype = input.dtype();
    if c_type(dtype).is_none() || c_type(out_dtype).is_none() {
        return false;
    }
    let out_shape = &op.output_meta[0].0;
    let shapes_fit = op
        .inputs
        .iter()
        .all(|a| a.shape() == out_shape.as_slice() || a.size() == 1);
    shapes_fit
        && match &op.primitive {
            Primitive::Unary(u) => unary_supported(*u, dtype),
            Primitive::Binary(b) => binary_supported(*b, dtype),
            Primitive::AsType => true,
            _ => false,
        }
}

/// How many ops from the start of `ops` (in dependency order) fuse into one kernel: 1
/// when the first does not start a run of at least two.
pub(crate) fn fusible_len(ops: &[Arc<Op>]) -> usize {
    if !ENABLED.load(Ordering::Relaxed) || ops.len() < 2 || !fusible(&ops[0]) {
        return 1;
    }
    let shape = &ops[0].output_meta[0].0;
    let mut len = 1;
    while len < ops.len().min(MAX_STEPS) {
        let (previous, next) = (&ops[len - 1], &ops[len]);
        if next.stream != previous.stream || !fusible(next) || &next.output_meta[0].0 != shape {
            break;
        }
        let Some(node) = previous
            .outputs
            .get()
            .and_then(|outputs| outputs.first())
            .and_then(|weak| weak.upgrade())
        else {
            break;
        };
        let uses = next
            .inputs
            .iter()
            .filter(|a| Arc::ptr_eq(&a.node, &node))
            .count();
        // Only `next` may hold the previous value (plus the upgrade just made).
        if uses == 0 || Arc::strong_count(&node) != uses + 1 {
            break;
        }
        len += 1;
    }
    if len < 2 {
        1
    } else {
        len
    }
}

/// Where a step reads an operand: the previous step's value or an external array.
#[derive(Clone, Copy)]
enum Source {
    Previous,
    External(usize),
}

/// A fused run: the arrays it reads from outside (each once, in first-use order) and,
/// per op, where each operand comes from.
pub(crate) struct Plan {
    pub(crate) externals: Vec<Array>,
    steps: Vec<Vec<Source>>,
}

/// Plans the fused run of `ops` (a prefix that [`fusible_len`] accepted).
pub(crate) fn plan(ops: &[Arc<Op>]) -> Plan {
    let mut externals: Vec<Array> = Vec::new();
    let mut index: HashMap<*const Node, usize> = HashMap::new();
    let mut steps = Vec::with_capacity(ops.len());
    let mut previous: *const Node = std::ptr::null();
    for op in ops {
        let sources = op
            .inputs
            .iter()
            .map(|input| {
                let node = Arc::as_ptr(&input.node);
                if node == previous {
                    return Source::Previous;
                }
                Source::External(*index.entry(node).or_insert_with(|| {
                    externals.push(input.clone());
                    externals.len() - 1
                }))
            })
            .collect();
        steps.push(sources);
        previous = op
            .outputs
            .get()
            .and_then(|outputs| outputs.first())
            .map_or(std::ptr::null(), |weak| weak.as_ptr());
    }
    Plan { externals, steps }
}

/// How a fused kernel receives an external array.
#[derive(Clone, Copy, PartialEq)]
enum Feed {
    /// Dense, one element per index.
    Dense,
    /// One element on the device, read by every index.
    DeviceScalar,
    /// One element from the host, passed by value.
    HostScalar([u8; 8]),
}

/// Runs the fused ops, reading `datas` (the evaluated `externals`), and returns the last
/// op's output; `None` when an external's layout does not suit the kernel (the caller then
/// runs the ops one by one).
pub(crate) fn execute(ops: &[Arc<Op>], plan: &Plan, datas: &[Data]) -> Result<Option<Data>> {
    let (externals, steps) = (&plan.externals, &plan.steps);
    let last = &ops[ops.len() - 1];
    let (shape, out_dtype) = (&last.output_meta[0].0, last.output_meta[0].1);
    let n: usize = shape.iter().product();
    let mut feeds = Vec::with_capacity(externals.len());
    for (array, data) in externals.iter().zip(datas) {
        let dtype = array.dtype();
        let feed = if array.size() == 1 {
            match data
                .buffer
                .host_only_bytes(data.offset * dtype.size(), dtype.size())
            {
                Some(bytes) => Feed::HostScalar(bytes),
                None => Feed::DeviceScalar,
            }
        } else if data.is_row_contiguous(array.shape()) {
            Feed::Dense
        } else {
            return Ok(None);
        };
        feeds.push(feed);
    }
    let stream = gpu_stream(last.stream.index())?;
    let (out, out_ptr) = allocate(shape, out_dtype, stream)?;
    if n == 0 {
        return Ok(Some(out));
    }
    let key = module_key(ops, externals, &feeds, steps);
    let kernel = function(&key, "fused", || {
        source(ops, externals, &feeds, steps, out_dtype)
    })?;
    let mut pointers = Vec::with_capacity(externals.len());
    for ((array, data), feed) in externals.iter().zip(datas).zip(&feeds) {
        pointers.push(match feed {
            Feed::HostScalar(_) => 0,
            _ => device_address(data, array.dtype(), stream)?,
        });
    }
    let count = n as i64;
    let mut args: Vec<*mut c_void> = feeds
        .iter()
        .zip(&pointers)
        .map(|(feed, pointer)| match feed {
            Feed::HostScalar(bytes) => arg(bytes),
            _ => arg(pointer),
        })
        .collect();
    args.push(arg(&out_ptr));
    args.push(arg(&count));
    launch_flat(kernel, n, stream, &mut args)?;
    LAUNCHES.fetch_add(1, Ordering::Relaxed);
    FUSED_OPS.fetch_add(ops.len(), Ordering::Relaxed);
    Ok(Some(out))
}

fn feed_code(feed: &Feed) -> char {
    match feed {
        Feed::Dense => 'D',
        Feed::DeviceScalar => 'S',
        Feed::HostScalar(_) => 'H',
    }
}

/// The module's identity: its steps, dtypes and feeds (not the scalar values), in a
/// compact code of enum discriminants (it is made on every run).
fn module_key(
    ops: &[Arc<Op>],
    externals: &[Array],
    feeds: &[Feed],
    steps: &[Vec<Source>],
) -> String {
    let mut key = String::with_capacity(8 + 4 * externals.len() + 12 * ops.len());
    key.push_str("fused");
    let number = |key: &mut String, value: usize| {
        let _ = write!(key, "{value}");
    };
    for (array, feed) in externals.iter().zip(feeds) {
        key.push('|');
        number(&mut key, array.dtype() as usize);
        key.push(feed_code(feed));
    }
    for (op, sources) in ops.iter().zip(steps) {
        let (kind, code) = match &op.primitive {
            Primitive::Unary(u) => ('u', *u as usize),
            Primitive::Binary(b) => ('b', *b as usize),
            _ => ('c', 0),
        };
        key.push('|');
        key.push(kind);
        number(&mut key, code);
        key.push('>');
        number(&mut key, op.output_meta[0].1 as usize);
        for source in sources {
            match source {
                Source::Previous => key.push_str(",p"),
                Source::External(j) => {
                    key.push(',');
                    number(&mut key, *j);
                }
            }
        }
    }
    key
}

/// The kernel: every external loaded once per index, then the steps in order.
fn source(
    ops: &[Arc<Op>],
    externals: &[Array],
    feeds: &[Feed],
    steps: &[Vec<Source>],
    out_dtype: Dtype,
) -> String {
    let t = |dtype: Dtype| c_type(dtype).unwrap_or("float");
    let mut parameters = Vec::with_capacity(externals.len() + 2);
    let mut loads = String::new();
    for (j, (array, feed)) in externals.iter().zip(feeds).enumerate() {
        let ty = t(array.dtype());
        match feed {
            Feed::Dense => {
                parameters.push(format!("const {ty}* __restrict__ in{j}"));
                let _ = writeln!(loads, "    {ty} e{j} = in{j}[i];");
            }
            Feed::DeviceScalar => {
                parameters.push(format!("const {ty}* __restrict__ in{j}"));
                let _ = writeln!(loads, "    {ty} e{j} = in{j}[0];");
            }
            Feed::HostScalar(_) => {
                parameters.push(format!("{ty} value{j}"));
                let _ = writeln!(loads, "    {ty} e{j} = value{j};");
            }
        }
    }
    parameters.push(format!("{}* __restrict__ out", t(out_dtype)));
    parameters.push("int64_t n".to_string());
    let mut body = loads;
    for (k, (op, sources)) in ops.iter().zip(steps).enumerate() {
        let operand = |source: &Source| match source {
            Source::Previous => format!("v{}", k.saturating_sub(1)),
            Source::External(j) => format!("e{j}"),
        };
        let operands: Vec<String> = sources.iter().map(operand).collect();
        let expression = match &op.primitive {
            Primitive::Unary(u) => format!("Unary{u:?}()({})", operands[0]),
            Primitive::Binary(b) => format!("Binary{b:?}()({}, {})", operands[0], operands[1]),
            _ => format!(
                "mx_cast<{}, {}>({})",
                t(op.output_meta[0].1),
                t(op.inputs[0].dtype()),
                operands[0]
            ),
        };
        let _ = writeln!(body, "    auto v{k} = {expression};");
    }
    format!(
        "extern \"C\" __global__ void fused({}) {{\n  for (int64_t i = global_thread(); i < n; i += grid_threads()) {{\n{body}    out[i] = v{};\n  }}\n}}\n",
        parameters.join(", "),
        ops.len() - 1
    )
}
