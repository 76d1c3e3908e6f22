//! Cumulative sums, products, maxima, minima and logaddexps along an axis.

use super::compiler::function;
use super::lanes::{lane_minor_view, Lanes};
use super::launch::{allocate, arg, axis_last_view, c_type, device_address, launch_rows};
use super::reduce::{plan_rows, run_lanes, LaneElements, Rows};
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::{Dtype, DtypeCategory};
use crate::error::Result;
use crate::primitive::ScanKind;

const REDUCE: &str = include_str!("kernels/reduce.cu");
const SCAN: &str = include_str!("kernels/scan.cu");

/// The fold and identity of a scan of `kind` over `dtype`; `None` where the GPU has none.
fn scan_fold(kind: ScanKind, dtype: Dtype) -> Option<(&'static str, &'static str)> {
    let float = dtype.category() == DtypeCategory::Floating;
    Some(match kind {
        ScanKind::Sum => ("FoldSum", "IdentitySum"),
        ScanKind::Prod => ("FoldProd", "IdentityProd"),
        ScanKind::Max => ("FoldMax", "IdentityMax"),
        ScanKind::Min => ("FoldMin", "IdentityMin"),
        ScanKind::LogAddExp if float || dtype == Dtype::Complex64 => {
            ("FoldLogAddExp", "IdentityLogAddExp")
        }
        ScanKind::LogAddExp => return None,
    })
}

/// The scan kernel of `fold` over `dtype` (C type `t`); real floats accumulate in float32.
fn scan_module(fold: &str, identity: &str, dtype: Dtype, t: &str) -> String {
    let accumulator = if dtype.category() == DtypeCategory::Floating {
        "float"
    } else {
        t
    };
    format!(
        "{REDUCE}\n{SCAN}\n\
         extern \"C\" __global__ void scan(const {t}* in, {t}* out, int64_t rows, int64_t length, int32_t reverse, int32_t inclusive) \
         {{ scan_rows<{fold}, {identity}, {t}, {accumulator}>(in, out, rows, length, reverse, inclusive); }}\n\
         extern \"C\" __global__ void scan_strided(const {t}* in, {t}* out, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride, int32_t reverse, int32_t inclusive) \
         {{ scan_lanes<{fold}, {identity}, {t}, {accumulator}>(in, out, lanes, lane_layout, length, stride, reverse, inclusive); }}\n\
         extern \"C\" __global__ void scan_strided_totals(const {t}* in, {accumulator}* totals, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride, int32_t reverse) \
         {{ scan_lanes_totals<{fold}, {t}, {accumulator}>(in, totals, lanes, lane_layout, length, stride, reverse); }}\n\
         extern \"C\" __global__ void scan_strided_carries({accumulator}* totals, int64_t lanes, int64_t parts) \
         {{ scan_lanes_carries<{fold}, {accumulator}>(totals, lanes, parts); }}\n\
         extern \"C\" __global__ void scan_strided_parts(const {t}* in, {t}* out, const {accumulator}* carries, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride, int32_t reverse, int32_t inclusive) \
         {{ scan_lanes_parts<{fold}, {identity}, {t}, {accumulator}>(in, out, carries, lanes, lane_layout, length, stride, reverse, inclusive); }}\n"
    )
}

/// The scan of `kind` along `axis`, in `dtype`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn scan(
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    kind: ScanKind,
    axis: usize,
    reverse: bool,
    inclusive: bool,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    let Some((fold, identity)) = scan_fold(kind, dtype) else {
        return Ok(None);
    };
    let module = format!("scan_{kind:?}_{dtype}");
    let source = || scan_module(fold, identity, dtype, t);
    // The scan runs over rows with the axis last (or over strided lanes written lane-minor);
    // the result is seen in the input's axis order after.
    let (rows_data, rows, length) = match plan_rows(x, shape, dtype, &[axis], stream)? {
        None => return Ok(None),
        Some(Rows::Dense(data, rows, length)) => (data, rows, length),
        Some(Rows::Lanes(lanes)) if lanes.parts > 1 => {
            let kernels = ["totals", "carries", "parts"]
                .map(|step| function(&module, &format!("scan_strided_{step}"), source));
            let [totals, carries, parts] = kernels;
            let accumulator = if dtype.category() == DtypeCategory::Floating {
                Dtype::Float32
            } else {
                dtype
            };
            let split = SplitScan {
                kernels: [totals?, carries?, parts?],
                accumulator,
                reverse,
                inclusive,
            };
            let out = split.run(x, dtype, &lanes, shape, stream)?;
            return Ok(Some(lane_minor_view(out, shape, axis)));
        }
        Some(Rows::Lanes(lanes)) => {
            let kernel = function(&module, "scan_strided", source)?;
            let elements = LaneElements::Axis(&[reverse as i32, inclusive as i32]);
            let out = run_lanes(kernel, x, dtype, &lanes, shape, dtype, elements, stream)?;
            return Ok(Some(lane_minor_view(out, shape, axis)));
        }
    };
    let (out, out_ptr) = allocate(shape, dtype, stream)?;
    if rows == 0 || length == 0 {
        return Ok(Some(out));
    }
    let kernel = function(&module, "scan", source)?;
    let in_ptr = device_address(&rows_data, dtype, stream)?;
    let (rows_arg, length_arg) = (rows as i64, length as i64);
    let (reverse_arg, inclusive_arg) = (reverse as i32, inclusive as i32);
    let block = (length.div_ceil(32) * 32).clamp(32, 1024) as u32;
    launch_rows(
        kernel,
        rows,
        block,
        0,
        stream,
        &mut [
            arg(&in_ptr),
            arg(&out_ptr),
            arg(&rows_arg),
            arg(&length_arg),
            arg(&reverse_arg),
            arg(&inclusive_arg),
        ],
    )?;
    Ok(Some(axis_last_view(out, shape, axis)))
}

/// A scan over lanes split into parts along the scan order: each part's fold, each part's
/// carry from the parts before it, then each part's scan from its carry.
struct SplitScan {
    kernels: [super::compiler::Function; 3],
    accumulator: Dtype,
    reverse: bool,
    inclusive: bool,
}

impl SplitScan {
    fn run(
        &self,
        x: &Data,
        dtype: Dtype,
        lanes: &Lanes,
        shape: &[usize],
        stream: GpuStream,
    ) -> Result<Data> {
        let [totals_kernel, carries_kernel, parts_kernel] = self.kernels;
        let (_totals, totals_ptr) =
            allocate(&[lanes.parts, lanes.count], self.accumulator, stream)?;
        let in_ptr = device_address(x, dtype, stream)?;
        let along = lanes.along_axis();
        let (reverse, inclusive) = (self.reverse as i32, self.inclusive as i32);
        let mut totals_args = vec![arg(&in_ptr), arg(&totals_ptr)];
        totals_args.extend(along.args());
        totals_args.push(arg(&reverse));
        lanes.launch(totals_kernel, true, stream, &mut totals_args)?;
        let parts = lanes.parts as i64;
        let mut carries_args = [arg(&totals_ptr), arg(&along.count), arg(&parts)];
        lanes.launch(carries_kernel, false, stream, &mut carries_args)?;
        let (out, out_ptr) = allocate(shape, dtype, stream)?;
        let mut parts_args = vec![arg(&in_ptr), arg(&out_ptr), arg(&totals_ptr)];
        parts_args.extend(along.args());
        parts_args.extend([arg(&reverse), arg(&inclusive)]);
        lanes.launch(parts_kernel, true, stream, &mut parts_args)?;
        Ok(out)
    }
}

/// Every module of this file, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    use ScanKind::*;
    let mut sources = Vec::new();
    for dtype in Dtype::ALL {
        let Some(t) = c_type(dtype) else { continue };
        for kind in [Sum, Prod, Max, Min, LogAddExp] {
            if let Some((fold, identity)) = scan_fold(kind, dtype) {
                sources.push((
                    format!("scan_{kind:?}_{dtype}"),
                    scan_module(fold, identity, dtype, t),
                ));
            }
        }
    }
    sources
}
