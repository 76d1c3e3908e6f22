//! Iteration over strided operands: dimension collapsing, runs along the innermost
//! axis, and splitting the work across threads.

use crate::array::Data;
use crate::dtype::Element;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many elements a kernel runs on the calling thread.
pub(crate) const PARALLEL_THRESHOLD: usize = 1 << 15;

/// A raw pointer that may cross threads; kernels write disjoint ranges through it.
#[derive(Clone, Copy)]
pub(crate) struct SendPtr<T>(pub(crate) *mut T);
// SAFETY: users guarantee that concurrent accesses touch disjoint elements.
unsafe impl<T> Send for SendPtr<T> {}
unsafe impl<T> Sync for SendPtr<T> {}

impl<T> SendPtr<T> {
    /// The pointer displaced by `offset` elements.
    #[inline]
    pub(crate) fn at(self, offset: isize) -> *mut T {
        // SAFETY: callers only pass offsets inside the buffer.
        unsafe { self.0.offset(offset) }
    }
}

/// Runs `f(start, end)` over `[0, size)`, split into parallel chunks when large.
pub(crate) fn parallel_ranges(size: usize, f: impl Fn(usize, usize) + Sync) {
    parallel_items(size, 1, f);
}

/// Runs `f(start, end)` over `[0, items)` where each item costs about `cost` element
/// operations: on the calling thread when the total is small, else in parallel chunks.
///
/// The calling thread takes chunks too, from a shared counter, rather than handing all of
/// them to the pool and sleeping: waking a sleeping thread can take tens of microseconds
/// (far more on a virtual machine), so the caller starts at once, helpers join as they
/// wake, and the caller waits for the last chunk by yielding rather than sleeping.
pub(crate) fn parallel_items(items: usize, cost: usize, f: impl Fn(usize, usize) + Sync) {
    let total = items.saturating_mul(cost.max(1));
    if total < PARALLEL_THRESHOLD || items < 2 {
        if items > 0 {
            f(0, items);
        }
        return;
    }
    let threads = rayon::current_num_threads().max(1);
    let min_items = (PARALLEL_THRESHOLD / 4 / cost.max(1)).max(1);
    let chunk = items.div_ceil(threads * 16).max(min_items);
    let chunks = items.div_ceil(chunk);
    if chunks < 2 || threads < 2 {
        f(0, items);
        return;
    }
    let (next, finished) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= chunks {
            break;
        }
        let start = i * chunk;
        // Counted even if `f` panics, so that the caller's wait ends and the scope
        // passes the panic on.
        let _count = CountOnDrop(&finished);
        f(start, (start + chunk).min(items));
    };
    rayon::in_place_scope(|scope| {
        for _ in 1..threads.min(chunks) {
            scope.spawn(|_| work());
        }
        work();
        while finished.load(Ordering::Acquire) < chunks {
            std::thread::yield_now();
        }
    });
}

/// Adds one to its counter when dropped.
struct CountOnDrop<'a>(&'a AtomicUsize);

impl Drop for CountOnDrop<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Release);
    }
}

/// Merges adjacent dimensions that are contiguous in every operand and drops size-1 ones,
/// so that the inner loops run as long as possible.
pub(crate) fn collapse<const K: usize>(
    shape: &[usize],
    strides: [&[isize]; K],
) -> (Vec<usize>, [Vec<isize>; K]) {
    let mut out_shape: Vec<usize> = Vec::with_capacity(shape.len());
    let mut out_strides: [Vec<isize>; K] = std::array::from_fn(|_| Vec::with_capacity(shape.len()));
    for (d, &dim) in shape.iter().enumerate() {
        if dim == 1 {
            continue;
        }
        let mergeable = match out_shape.last() {
            Some(_) => (0..K).all(|k| {
                let last = *out_strides[k].last().unwrap_or(&0);
                last == strides[k][d] * dim as isize
            }),
            None => false,
        };
        if mergeable {
            let last = out_shape.len() - 1;
            out_shape[last] *= dim;
            for k in 0..K {
                out_strides[k][last] = strides[k][d];
            }
        } else {
            out_shape.push(dim);
            for k in 0..K {
                out_strides[k].push(strides[k][d]);
            }
        }
    }
    (out_shape, out_strides)
}

/// Visits the row-major positions `[start, end)` of `shape` as runs along the last axis:
/// `f(position, operand offsets, run length, operand inner strides)`.
pub(crate) fn for_each_run<const K: usize>(
    shape: &[usize],
    strides: &[Vec<isize>; K],
    start: usize,
    end: usize,
    mut f: impl FnMut(usize, [isize; K], usize, [isize; K]),
) {
    let ndim = shape.len();
    if start >= end {
        return;
    }
    if ndim == 0 {
        if start < end {
            f(0, [0; K], 1, [0; K]);
        }
        return;
    }
    let inner = shape[ndim - 1];
    let inner_strides: [isize; K] = std::array::from_fn(|k| strides[k][ndim - 1]);
    let mut coord = vec![0usize; ndim];
    let mut rest = start;
    for d in (0..ndim).rev() {
        coord[d] = rest % shape[d];
        rest /= shape[d];
    }
    let mut pos = start;
    while pos < end {
        let offsets: [isize; K] = std::array::from_fn(|k| {
            coord
                .iter()
                .zip(&strides[k])
                .map(|(&c, &s)| c as isize * s)
                .sum()
        });
        let len = (inner - coord[ndim - 1]).min(end - pos);
        f(pos, offsets, len, inner_strides);
        pos += len;
        coord[ndim - 1] += len;
        let mut d = ndim - 1;
        while coord[d] == shape[d] && d > 0 {
            coord[d] = 0;
            d -= 1;
            coord[d] += 1;
        }
    }
}

/// Copies strided data into a new `Vec` in row-major order, casting each element.
pub(crate) fn gather_cast<S: Element, T: Element>(data: &Data, shape: &[usize]) -> Vec<T> {
    let size: usize = shape.iter().product();
    let mut out: Vec<T> = Vec::with_capacity(size);
    let src = SendPtr(data.ptr::<S>() as *mut S);
    let (cshape, [cstrides]) = collapse(shape, [&data.strides]);
    for_each_run(
        &cshape,
        &[cstrides],
        0,
        size,
        |_, [offset], len, [stride]| {
            for i in 0..len as isize {
                // SAFETY: offsets come from the view's own strides, inside its buffer.
                out.push(unsafe { *src.at(offset + i * stride) }.cast::<T>());
            }
        },
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_items_visits_every_item_once() {
        for items in [1, 2, 1000, 100_003] {
            let seen: Vec<AtomicUsize> = (0..items).map(|_| AtomicUsize::new(0)).collect();
            parallel_items(items, 7, |start, end| {
                for s in &seen[start..end] {
                    s.fetch_add(1, Ordering::Relaxed);
                }
            });
            assert!(
                seen.iter().all(|s| s.load(Ordering::Relaxed) == 1),
                "{items}"
            );
        }
    }

    #[test]
    fn a_panicking_chunk_reaches_the_caller_instead_of_hanging_it() {
        let result = std::panic::catch_unwind(|| {
            parallel_items(100_000, 16, |start, _| {
                assert!(start < 50_000, "a kernel bug");
            })
        });
        assert!(result.is_err());
    }
}
