//! Strided lanes: the rows of a reduction, scan or softmax read through the input's strides,
//! one thread per lane, instead of copying the input to dense rows first.
//!
//! A copy costs a full extra pass over memory. When the reduced elements are not dense but
//! neighbouring lanes are neighbours in memory (a column sum, a softmax of a transposed
//! matrix), one thread per lane reads coalesced and needs no copy. One thread walks its lane
//! in sequence, so few long lanes are split into parts to keep enough loads in flight.

use super::compiler::Function;
use super::launch::{arg, grid_for, launch, Layout, BLOCK};
use super::stream::GpuStream;
use crate::array::Data;
use crate::error::Result;
use std::ffi::c_void;

/// Fewest lanes read in place when they are not neighbours in memory.
const MIN_LANES: usize = 2048;
/// Threads a split reduction aims for: enough to fill an H100 (132 SMs of 2048 threads).
const SPLIT_THREADS: usize = 1 << 18;
/// Fewest elements in one part of a split lane.
const MIN_PART: usize = 32;
/// Most parts of a split lane (the grid's y extent).
const MAX_PARTS: usize = 65_535;

/// The strided lanes of an input over some reduced axes.
pub(crate) struct Lanes {
    /// The number of lanes: the product of the kept extents.
    pub(crate) count: usize,
    /// Each lane's first element, over the kept axes.
    pub(crate) layout: Layout<1>,
    /// The reduced axes but the last.
    pub(crate) outer: Layout<1>,
    /// The positions of `outer`.
    pub(crate) outer_count: usize,
    /// The extent of the last reduced axis.
    pub(crate) inner: usize,
    /// The stride of the last reduced axis.
    pub(crate) inner_stride: isize,
    /// The parts each lane is split into.
    pub(crate) parts: usize,
}

impl Lanes {
    /// The elements of one lane.
    pub(crate) fn length(&self) -> usize {
        self.outer_count * self.inner
    }

    /// The arguments of a kernel over the lanes along one axis.
    pub(crate) fn along_axis(&self) -> AxisArguments {
        AxisArguments {
            count: self.count as i64,
            layout: self.layout,
            length: self.length() as i64,
            stride: self.inner_stride as i64,
        }
    }

    /// Launches `kernel` with a thread per lane, and per part too when `split`.
    pub(crate) fn launch(
        &self,
        kernel: Function,
        split: bool,
        stream: GpuStream,
        args: &mut [*mut c_void],
    ) -> Result<()> {
        let parts = if split { self.parts as u32 } else { 1 };
        let grid = (grid_for(self.count), parts, 1);
        launch(kernel, grid, (BLOCK, 1, 1), stream, args)
    }
}

/// What a kernel over lanes along one axis takes after its pointers: the lane count, the
/// lanes' layout, their length and the stride along them.
pub(crate) struct AxisArguments {
    pub(crate) count: i64,
    layout: Layout<1>,
    length: i64,
    stride: i64,
}

impl AxisArguments {
    /// The kernel arguments, pointing into `self`.
    pub(crate) fn args(&self) -> [*mut c_void; 4] {
        [
            arg(&self.count),
            arg(&self.layout),
            arg(&self.length),
            arg(&self.stride),
        ]
    }
}

/// The lanes of `x` (of `shape`, not dense along `reduced`) over the `reduced` axes, each
/// split into parts taken by separate threads when the lanes are too few to keep the memory
/// system busy (the parts are then combined by a second launch). `None` where a copy to
/// dense rows reads better: few lanes that are not neighbours in memory, so a warp's loads
/// would not coalesce, or too many dimensions after collapsing. On the H100 a column sum
/// of 8192² bf16 ran at 0.05× copy bandwidth as 8192 unsplit lanes, 0.09× through a copy,
/// and 0.52× split.
pub(crate) fn split_lanes(x: &Data, shape: &[usize], reduced: &[usize]) -> Option<Lanes> {
    let mut lanes = lanes_of(x, shape, reduced)?;
    let innermost_kept = (0..shape.len())
        .rev()
        .find(|d| !reduced.contains(d) && shape[*d] > 1);
    let adjacent = innermost_kept.is_some_and(|d| x.strides[d].abs() == 1);
    if lanes.count < MIN_LANES && !(adjacent && lanes.count >= 32) {
        return None;
    }
    let wanted = SPLIT_THREADS.div_ceil(lanes.count);
    lanes.parts = wanted.min(lanes.length() / MIN_PART).clamp(1, MAX_PARTS);
    Some(lanes)
}

/// The columns of a dense `rows` × `count` matrix as lanes: how the parts of split lanes
/// are folded.
pub(crate) fn column_lanes(rows: usize, count: usize) -> Lanes {
    Lanes {
        count,
        layout: Layout::line(count, 1),
        outer: Layout::line(1, 0),
        outer_count: 1,
        inner: rows,
        inner_stride: count as isize,
        parts: 1,
    }
}

/// The lanes of `x` over the `reduced` axes, unsplit, or `None` with too many dimensions.
fn lanes_of(x: &Data, shape: &[usize], reduced: &[usize]) -> Option<Lanes> {
    let kept: Vec<usize> = (0..shape.len()).filter(|d| !reduced.contains(d)).collect();
    let (&last, others) = reduced.split_last()?;
    let extents = |axes: &[usize]| -> Vec<usize> { axes.iter().map(|&d| shape[d]).collect() };
    let strides = |axes: &[usize]| -> Vec<isize> { axes.iter().map(|&d| x.strides[d]).collect() };
    Some(Lanes {
        count: kept.iter().map(|&d| shape[d]).product(),
        layout: Layout::new(&extents(&kept), [&strides(&kept)])?,
        outer: Layout::new(&extents(others), [&strides(others)])?,
        outer_count: others.iter().map(|&d| shape[d]).product(),
        inner: shape[last],
        inner_stride: x.strides[last],
        parts: 1,
    })
}

/// `out`, written lane-minor (`position * lanes + lane`, the lanes in row-major order of the
/// kept axes), seen in the axis order of `shape`.
pub(crate) fn lane_minor_view(out: Data, shape: &[usize], axis: usize) -> Data {
    let lanes: usize = (0..shape.len())
        .filter(|&d| d != axis)
        .map(|d| shape[d])
        .product();
    let mut strides = vec![0isize; shape.len()];
    let mut step = 1isize;
    for d in (0..shape.len()).rev() {
        if d == axis {
            strides[d] = lanes as isize;
        } else {
            strides[d] = step;
            step *= shape[d] as isize;
        }
    }
    out.view(0, strides)
}
