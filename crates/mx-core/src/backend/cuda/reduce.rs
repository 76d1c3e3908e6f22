//! Reductions over any axes, and softmax and logsumexp over the last one, as row kernels
//! over a layout where the reduced axes are last and dense.

use super::compiler::function;
use super::elementwise::convert;
use super::lanes::{column_lanes, lane_minor_view, split_lanes, Lanes};
use super::launch::{allocate, arg, c_type, device_address, launch, launch_rows};
use super::stream::GpuStream;
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::Result;
use crate::primitive::{ArgReduceKind, ReduceKind};

const REDUCE: &str = include_str!("kernels/reduce.cu");
const SOFTMAX: &str = include_str!("kernels/softmax.cu");

/// Threads per block of a row reduction.
const BLOCK: u32 = 256;
/// The largest block, used for long rows.
const MAX_BLOCK: u32 = 1024;
/// Packs per thread of the register-cached softmax kernels that are instantiated.
const CACHED_PACKS: [usize; 3] = [1, 2, 4];
/// Rows a launch can index along the grid's y dimension.
const MAX_GRID_Y: usize = 65_535;

/// How a row kernel reads its input.
pub(crate) enum Rows {
    /// Dense rows (the data, the number of rows and the row length).
    Dense(Data, usize, usize),
    /// Strided lanes, read in place.
    Lanes(Box<Lanes>),
}

/// `x` as rows over the axes in `reduced`: the input itself when those axes are last and
/// dense, strided lanes (split into parts when few and long) when they read well, else a
/// dense copy.
pub(crate) fn plan_rows(
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    reduced: &[usize],
    stream: GpuStream,
) -> Result<Option<Rows>> {
    let (permuted, _, _) = permuted_rows(x, shape, reduced);
    if !permuted.is_row_contiguous(&permuted_shape(shape, reduced)) {
        if let Some(lanes) = split_lanes(x, shape, reduced) {
            return Ok(Some(Rows::Lanes(Box::new(lanes))));
        }
    }
    Ok(as_rows(x, shape, dtype, reduced, stream)?
        .map(|(data, rows, length)| Rows::Dense(data, rows, length)))
}

/// The kept axes then the `reduced` ones.
fn kept_then_reduced(ndim: usize, reduced: &[usize]) -> Vec<usize> {
    let kept = (0..ndim).filter(|d| !reduced.contains(d));
    kept.chain(reduced.iter().copied()).collect()
}

/// `shape` with the `reduced` axes moved last.
fn permuted_shape(shape: &[usize], reduced: &[usize]) -> Vec<usize> {
    kept_then_reduced(shape.len(), reduced)
        .iter()
        .map(|&d| shape[d])
        .collect()
}

/// `x` seen with the `reduced` axes last, with its number of rows and row length.
fn permuted_rows(x: &Data, shape: &[usize], reduced: &[usize]) -> (Data, usize, usize) {
    let order = kept_then_reduced(shape.len(), reduced);
    let permuted = x.view(x.offset, order.iter().map(|&d| x.strides[d]).collect());
    let length: usize = reduced.iter().map(|&d| shape[d]).product();
    let rows: usize = (0..shape.len())
        .filter(|d| !reduced.contains(d))
        .map(|d| shape[d])
        .product();
    (permuted, rows, length)
}

/// `x` as dense rows: the axes in `reduced` moved last, copied when the view is not
/// already row-major. Returns the data, the number of rows and the row length.
pub(crate) fn as_rows(
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    reduced: &[usize],
    stream: GpuStream,
) -> Result<Option<(Data, usize, usize)>> {
    let (permuted, rows, length) = permuted_rows(x, shape, reduced);
    let permuted_shape = permuted_shape(shape, reduced);
    if permuted.is_row_contiguous(&permuted_shape) {
        return Ok(Some((permuted, rows, length)));
    }
    Ok(convert(&permuted, &permuted_shape, dtype, dtype, stream)?
        .map(|dense| (dense, rows, length)))
}

/// The fold, identity and accumulator of a reduction kind over `dtype`.
fn plan(kind: ReduceKind, dtype: Dtype) -> (&'static str, &'static str, Dtype) {
    let widened = match dtype {
        Dtype::Float16 | Dtype::Bfloat16 => Dtype::Float32,
        other => other,
    };
    match kind {
        ReduceKind::Sum => ("FoldSum", "IdentitySum", widened),
        ReduceKind::Prod => ("FoldProd", "IdentityProd", widened),
        ReduceKind::Max => ("FoldMax", "IdentityMax", widened),
        ReduceKind::Min => ("FoldMin", "IdentityMin", widened),
        ReduceKind::All => ("FoldAll", "IdentityAll", Dtype::Bool),
        ReduceKind::Any => ("FoldAny", "IdentityAny", Dtype::Bool),
    }
}

/// The row-reduction kernels of one fold from `t` to `out_t`, accumulating in `a`.
fn reduce_module(fold: &str, identity: &str, t: &str, a: &str, out_t: &str) -> String {
    format!(
        "{REDUCE}\n\
         extern \"C\" __global__ void reduce_single(const {t}* in, {out_t}* out, int64_t rows, int64_t length, int64_t parts) \
         {{ reduce_rows<{fold}, {identity}, {t}, {a}, {out_t}>(in, out, rows, length, parts); }}\n\
         extern \"C\" __global__ void reduce_partial(const {t}* in, {a}* out, int64_t rows, int64_t length, int64_t parts) \
         {{ reduce_rows<{fold}, {identity}, {t}, {a}, {a}>(in, out, rows, length, parts); }}\n\
         extern \"C\" __global__ void reduce_final(const {a}* in, {out_t}* out, int64_t rows, int64_t length, int64_t parts) \
         {{ reduce_rows<{fold}, {identity}, {a}, {a}, {out_t}>(in, out, rows, length, parts); }}\n\
         extern \"C\" __global__ void reduce_strided(const {t}* in, {out_t}* out, int64_t lanes, Layout<1> lane_layout, Layout<1> outer, int64_t outer_count, int64_t inner, int64_t inner_stride) \
         {{ reduce_lanes<{fold}, {identity}, {t}, {a}, {out_t}>(in, out, lanes, lane_layout, outer, outer_count, inner, inner_stride); }}\n\
         extern \"C\" __global__ void reduce_strided_partial(const {t}* in, {a}* out, int64_t lanes, Layout<1> lane_layout, Layout<1> outer, int64_t outer_count, int64_t inner, int64_t inner_stride) \
         {{ reduce_lanes<{fold}, {identity}, {t}, {a}, {a}>(in, out, lanes, lane_layout, outer, outer_count, inner, inner_stride); }}\n\
         extern \"C\" __global__ void reduce_strided_final(const {a}* in, {out_t}* out, int64_t lanes, Layout<1> lane_layout, Layout<1> outer, int64_t outer_count, int64_t inner, int64_t inner_stride) \
         {{ reduce_lanes<{fold}, {identity}, {a}, {a}, {out_t}>(in, out, lanes, lane_layout, outer, outer_count, inner, inner_stride); }}\n"
    )
}

/// What a strided-lanes kernel takes after the input, the output and the lanes.
pub(crate) enum LaneElements<'a> {
    /// The elements of a reduction over any axes: the outer layout and count, then the
    /// inner extent and stride.
    Reduced,
    /// The elements along one axis (length and stride), then these flags.
    Axis(&'a [i32]),
}

/// Runs a strided-lanes kernel over `x` (of `dtype`) into a fresh output of `out_shape`
/// and `out_dtype`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run_lanes(
    kernel: super::compiler::Function,
    x: &Data,
    dtype: Dtype,
    lanes: &Lanes,
    out_shape: &[usize],
    out_dtype: Dtype,
    elements: LaneElements,
    stream: GpuStream,
) -> Result<Data> {
    let (out, out_ptr) = allocate(out_shape, out_dtype, stream)?;
    let in_ptr = device_address(x, dtype, stream)?;
    let count = lanes.count as i64;
    let (outer_count, inner, inner_stride, length) = (
        lanes.outer_count as i64,
        lanes.inner as i64,
        lanes.inner_stride as i64,
        lanes.length() as i64,
    );
    let mut args = vec![arg(&in_ptr), arg(&out_ptr), arg(&count), arg(&lanes.layout)];
    match elements {
        LaneElements::Reduced => args.extend([
            arg(&lanes.outer),
            arg(&outer_count),
            arg(&inner),
            arg(&inner_stride),
        ]),
        LaneElements::Axis(flags) => {
            args.extend([arg(&length), arg(&inner_stride)]);
            args.extend(flags.iter().map(arg));
        }
    }
    lanes.launch(kernel, true, stream, &mut args)?;
    Ok(out)
}

/// Reduces `x` over `axes` with `kind`, producing `out_dtype` with the axes kept as 1.
pub(crate) fn reduce(
    kind: ReduceKind,
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    axes: &[usize],
    out_dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let (Some(t), Some(out_t)) = (c_type(dtype), c_type(out_dtype)) else {
        return Ok(None);
    };
    let (fold, identity, accumulator) = plan(kind, dtype);
    let Some(a) = c_type(accumulator) else {
        return Ok(None);
    };
    let out_shape: Vec<usize> = (0..shape.len())
        .map(|d| if axes.contains(&d) { 1 } else { shape[d] })
        .collect();
    let module = format!("reduce_{kind:?}_{dtype}_{out_dtype}");
    let source = || reduce_module(fold, identity, t, a, out_t);
    let (rows_data, rows, length) = match plan_rows(x, shape, dtype, axes, stream)? {
        None => return Ok(None),
        Some(Rows::Dense(data, rows, length)) => (data, rows, length),
        Some(Rows::Lanes(lanes)) if lanes.parts == 1 => {
            let kernel = function(&module, "reduce_strided", source)?;
            let elements = LaneElements::Reduced;
            let out = run_lanes(
                kernel, x, dtype, &lanes, &out_shape, out_dtype, elements, stream,
            )?;
            return Ok(Some(out));
        }
        Some(Rows::Lanes(lanes)) => {
            let partial_kernel = function(&module, "reduce_strided_partial", source)?;
            let partial_shape = [lanes.parts, lanes.count];
            let partial = run_lanes(
                partial_kernel,
                x,
                dtype,
                &lanes,
                &partial_shape,
                accumulator,
                LaneElements::Reduced,
                stream,
            )?;
            let final_kernel = function(&module, "reduce_strided_final", source)?;
            let out = run_lanes(
                final_kernel,
                &partial,
                accumulator,
                &column_lanes(lanes.parts, lanes.count),
                &out_shape,
                out_dtype,
                LaneElements::Reduced,
                stream,
            )?;
            return Ok(Some(out));
        }
    };
    let (out, out_ptr) = allocate(&out_shape, out_dtype, stream)?;
    if rows == 0 {
        return Ok(Some(out));
    }
    let in_ptr = device_address(&rows_data, dtype, stream)?;
    // Few long rows are split so that every SM has blocks to run.
    let parts = if rows < 512 && length > 8192 {
        (length / 8192).clamp(1, 1024)
    } else {
        1
    };
    let grid_y = rows.min(MAX_GRID_Y) as u32;
    let (rows_arg, length_arg) = (rows as i64, length as i64);
    if parts == 1 {
        let single = function(&module, "reduce_single", source)?;
        let one = 1i64;
        launch(
            single,
            (1, grid_y, 1),
            (BLOCK, 1, 1),
            stream,
            &mut [
                arg(&in_ptr),
                arg(&out_ptr),
                arg(&rows_arg),
                arg(&length_arg),
                arg(&one),
            ],
        )?;
        return Ok(Some(out));
    }
    let (partial, partial_ptr) = allocate(&[rows, parts], accumulator, stream)?;
    let parts_arg = parts as i64;
    let first = function(&module, "reduce_partial", source)?;
    launch(
        first,
        (parts as u32, grid_y, 1),
        (BLOCK, 1, 1),
        stream,
        &mut [
            arg(&in_ptr),
            arg(&partial_ptr),
            arg(&rows_arg),
            arg(&length_arg),
            arg(&parts_arg),
        ],
    )?;
    let second = function(&module, "reduce_final", source)?;
    let one = 1i64;
    launch(
        second,
        (1, grid_y, 1),
        (BLOCK, 1, 1),
        stream,
        &mut [
            arg(&partial_ptr),
            arg(&out_ptr),
            arg(&rows_arg),
            arg(&parts_arg),
            arg(&one),
        ],
    )?;
    drop(partial);
    Ok(Some(out))
}

/// The softmax and logsumexp kernels of element type `t`.
fn softmax_module(t: &str) -> String {
    let mut text = format!(
        "{SOFTMAX}\n\
         extern \"C\" __global__ void softmax(const {t}* in, {t}* out, int64_t rows, int64_t length) \
         {{ softmax_rows<{t}>(in, out, rows, length); }}\n\
         extern \"C\" __global__ void logsumexp(const {t}* in, {t}* out, int64_t rows, int64_t length) \
         {{ logsumexp_rows<{t}>(in, out, rows, length); }}\n\
         extern \"C\" __global__ void softmax_strided(const {t}* in, {t}* out, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride, int32_t logsumexp) \
         {{ softmax_lanes<{t}>(in, out, lanes, lane_layout, length, stride, logsumexp); }}\n\
         extern \"C\" __global__ void softmax_strided_partial(const {t}* in, float* maxes, float* sums, int32_t* nans, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride) \
         {{ softmax_lanes_partial<{t}>(in, maxes, sums, nans, lanes, lane_layout, length, stride); }}\n\
         extern \"C\" __global__ void softmax_strided_merge(float* maxes, float* sums, int32_t* nans, {t}* out, int64_t lanes, int64_t parts, int32_t logsumexp) \
         {{ softmax_lanes_merge<{t}>(maxes, sums, nans, out, lanes, parts, logsumexp); }}\n\
         extern \"C\" __global__ void softmax_strided_write(const {t}* in, {t}* out, const float* maxes, const float* sums, const int32_t* nans, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride) \
         {{ softmax_lanes_write<{t}>(in, out, maxes, sums, nans, lanes, lane_layout, length, stride); }}\n"
    );
    for packs in CACHED_PACKS {
        text += &format!(
            "extern \"C\" __global__ void softmax_cached_{packs}(const {t}* in, {t}* out, int64_t rows, int64_t length) \
             {{ softmax_rows_cached<{t}, {packs}>(in, out, rows, length); }}\n"
        );
    }
    text
}

/// Softmax (`logsumexp == false`) or logsumexp over the last axis, for float types.
pub(crate) fn softmax(
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    logsumexp: bool,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    if !matches!(dtype, Dtype::Float32 | Dtype::Float16 | Dtype::Bfloat16) || shape.is_empty() {
        return Ok(None);
    }
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    let last = shape.len() - 1;
    let module = format!("softmax_{dtype}");
    let source = || softmax_module(t);
    let (rows_data, rows, length) = match plan_rows(x, shape, dtype, &[last], stream)? {
        None => return Ok(None),
        Some(Rows::Dense(data, rows, length)) => (data, rows, length),
        Some(Rows::Lanes(lanes)) if lanes.parts > 1 => {
            let kernels = ["partial", "merge", "write"]
                .map(|step| function(&module, &format!("softmax_strided_{step}"), source));
            let [partial, merge, write] = kernels;
            let out = softmax_split(
                [partial?, merge?, write?],
                x,
                dtype,
                &lanes,
                logsumexp,
                out_shape,
                stream,
            )?;
            return Ok(Some(if logsumexp {
                out
            } else {
                lane_minor_view(out, shape, last)
            }));
        }
        Some(Rows::Lanes(lanes)) => {
            let kernel = function(&module, "softmax_strided", source)?;
            let elements = LaneElements::Axis(&[logsumexp as i32]);
            let out = run_lanes(kernel, x, dtype, &lanes, out_shape, dtype, elements, stream)?;
            return Ok(Some(if logsumexp {
                out
            } else {
                lane_minor_view(out, shape, last)
            }));
        }
    };
    let (out, out_ptr) = allocate(out_shape, dtype, stream)?;
    if rows == 0 || (length == 0 && !logsumexp) {
        return Ok(Some(out));
    }
    let in_ptr = device_address(&rows_data, dtype, stream)?;
    let (rows_arg, length_arg) = (rows as i64, length as i64);
    // Rows that fit in registers as whole 16-byte packs are read once.
    let per_pack = 16 / dtype.size();
    let aligned = in_ptr.is_multiple_of(16)
        && out_ptr.is_multiple_of(16)
        && (length * dtype.size()).is_multiple_of(16);
    let packs = length / per_pack;
    let cached = CACHED_PACKS
        .iter()
        .find(|&&j| packs <= j * MAX_BLOCK as usize)
        .filter(|_| aligned && !logsumexp && length > 0);
    let (name, block) = match cached {
        Some(j) => (
            format!("softmax_cached_{j}"),
            (packs.div_ceil(*j).div_ceil(32) * 32).clamp(32, MAX_BLOCK as usize) as u32,
        ),
        None if logsumexp => (
            "logsumexp".to_string(),
            if length >= 4096 { MAX_BLOCK } else { BLOCK },
        ),
        None => (
            "softmax".to_string(),
            if length >= 4096 { MAX_BLOCK } else { BLOCK },
        ),
    };
    let kernel = function(&module, &name, source)?;
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
        ],
    )?;
    Ok(Some(out))
}

/// The argmax and argmin kernels of element type `t`.
fn arg_reduce_module(t: &str) -> String {
    format!(
        "{REDUCE}\n\
         extern \"C\" __global__ void argmax(const {t}* in, uint32_t* out, int64_t rows, int64_t length) \
         {{ arg_reduce_rows<{t}, true>(in, out, rows, length); }}\n\
         extern \"C\" __global__ void argmin(const {t}* in, uint32_t* out, int64_t rows, int64_t length) \
         {{ arg_reduce_rows<{t}, false>(in, out, rows, length); }}\n\
         extern \"C\" __global__ void argmax_strided(const {t}* in, uint32_t* out, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride) \
         {{ arg_reduce_lanes<{t}, true>(in, out, lanes, lane_layout, length, stride); }}\n\
         extern \"C\" __global__ void argmin_strided(const {t}* in, uint32_t* out, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride) \
         {{ arg_reduce_lanes<{t}, false>(in, out, lanes, lane_layout, length, stride); }}\n\
         extern \"C\" __global__ void argmax_strided_partial(const {t}* in, {t}* values, int64_t* indices, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride) \
         {{ arg_reduce_lanes_partial<{t}, true>(in, values, indices, lanes, lane_layout, length, stride); }}\n\
         extern \"C\" __global__ void argmin_strided_partial(const {t}* in, {t}* values, int64_t* indices, int64_t lanes, Layout<1> lane_layout, int64_t length, int64_t stride) \
         {{ arg_reduce_lanes_partial<{t}, false>(in, values, indices, lanes, lane_layout, length, stride); }}\n\
         extern \"C\" __global__ void argmax_parts(const {t}* values, const int64_t* indices, uint32_t* out, int64_t lanes, int64_t parts) \
         {{ arg_reduce_parts<{t}, true>(values, indices, out, lanes, parts); }}\n\
         extern \"C\" __global__ void argmin_parts(const {t}* values, const int64_t* indices, uint32_t* out, int64_t lanes, int64_t parts) \
         {{ arg_reduce_parts<{t}, false>(values, indices, out, lanes, parts); }}\n"
    )
}

/// Index of the largest (or smallest) element along `axis`, as uint32 with the axis kept.
pub(crate) fn arg_reduce(
    kind: ArgReduceKind,
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    axis: usize,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    if shape[axis] == 0 {
        return Ok(None);
    }
    let module = format!("arg_reduce_{dtype}");
    let source = || arg_reduce_module(t);
    let name = match kind {
        ArgReduceKind::ArgMax => "argmax",
        ArgReduceKind::ArgMin => "argmin",
    };
    let (rows_data, rows, length) = match plan_rows(x, shape, dtype, &[axis], stream)? {
        None => return Ok(None),
        Some(Rows::Dense(data, rows, length)) => (data, rows, length),
        Some(Rows::Lanes(lanes)) if lanes.parts > 1 => {
            let partial = function(&module, &format!("{name}_strided_partial"), source)?;
            let merge = function(&module, &format!("{name}_parts"), source)?;
            let out = arg_reduce_split(partial, merge, x, dtype, &lanes, out_shape, stream)?;
            return Ok(Some(out));
        }
        Some(Rows::Lanes(lanes)) => {
            let kernel = function(&module, &format!("{name}_strided"), source)?;
            let elements = LaneElements::Axis(&[]);
            let out = run_lanes(
                kernel,
                x,
                dtype,
                &lanes,
                out_shape,
                Dtype::Uint32,
                elements,
                stream,
            )?;
            return Ok(Some(out));
        }
    };
    let (out, out_ptr) = allocate(out_shape, Dtype::Uint32, stream)?;
    if rows == 0 {
        return Ok(Some(out));
    }
    let kernel = function(&module, name, source)?;
    let in_ptr = device_address(&rows_data, dtype, stream)?;
    let (rows_arg, length_arg) = (rows as i64, length as i64);
    let block = if length >= 4096 { MAX_BLOCK } else { BLOCK };
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
        ],
    )?;
    Ok(Some(out))
}

/// Softmax or logsumexp over lanes split into parts: each part's running pair, the pairs
/// merged per lane, then (for softmax) each part's output, lane-minor.
fn softmax_split(
    [partial, merge, write]: [super::compiler::Function; 3],
    x: &Data,
    dtype: Dtype,
    lanes: &Lanes,
    logsumexp: bool,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Data> {
    let pairs = [lanes.parts, lanes.count];
    let (_maxes, maxes_ptr) = allocate(&pairs, Dtype::Float32, stream)?;
    let (_sums, sums_ptr) = allocate(&pairs, Dtype::Float32, stream)?;
    let (_nans, nans_ptr) = allocate(&pairs, Dtype::Int32, stream)?;
    let in_ptr = device_address(x, dtype, stream)?;
    let along = lanes.along_axis();
    let mut partial_args = vec![
        arg(&in_ptr),
        arg(&maxes_ptr),
        arg(&sums_ptr),
        arg(&nans_ptr),
    ];
    partial_args.extend(along.args());
    lanes.launch(partial, true, stream, &mut partial_args)?;
    let (out, out_ptr) = allocate(out_shape, dtype, stream)?;
    let (parts, flag) = (lanes.parts as i64, logsumexp as i32);
    let pairs = [arg(&maxes_ptr), arg(&sums_ptr), arg(&nans_ptr)];
    let mut merge_args = pairs.to_vec();
    merge_args.extend([arg(&out_ptr), arg(&along.count), arg(&parts), arg(&flag)]);
    lanes.launch(merge, false, stream, &mut merge_args)?;
    if !logsumexp {
        let mut write_args = vec![arg(&in_ptr), arg(&out_ptr)];
        write_args.extend(pairs);
        write_args.extend(along.args());
        lanes.launch(write, true, stream, &mut write_args)?;
    }
    Ok(out)
}

/// An arg-reduction over lanes split into parts: each part's candidate, then the winner.
fn arg_reduce_split(
    partial: super::compiler::Function,
    merge: super::compiler::Function,
    x: &Data,
    dtype: Dtype,
    lanes: &Lanes,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Data> {
    let candidates = [lanes.parts, lanes.count];
    let (_values, values_ptr) = allocate(&candidates, dtype, stream)?;
    let (_indices, indices_ptr) = allocate(&candidates, Dtype::Int64, stream)?;
    let in_ptr = device_address(x, dtype, stream)?;
    let along = lanes.along_axis();
    let mut partial_args = vec![arg(&in_ptr), arg(&values_ptr), arg(&indices_ptr)];
    partial_args.extend(along.args());
    lanes.launch(partial, true, stream, &mut partial_args)?;
    let (out, out_ptr) = allocate(out_shape, Dtype::Uint32, stream)?;
    let parts = lanes.parts as i64;
    let mut merge_args = [
        arg(&values_ptr),
        arg(&indices_ptr),
        arg(&out_ptr),
        arg(&along.count),
        arg(&parts),
    ];
    lanes.launch(merge, false, stream, &mut merge_args)?;
    Ok(out)
}

/// Every module of this file, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    use ReduceKind::*;
    let mut sources = Vec::new();
    for dtype in Dtype::ALL {
        let Some(t) = c_type(dtype) else { continue };
        for kind in [Sum, Prod, Max, Min, All, Any] {
            let (fold, identity, accumulator) = plan(kind, dtype);
            let out = if matches!(kind, All | Any) { "bool" } else { t };
            if let Some(a) = c_type(accumulator) {
                sources.push((
                    format!("reduce_{kind:?}_{dtype}"),
                    reduce_module(fold, identity, t, a, out),
                ));
            }
        }
        sources.push((format!("arg_reduce_{dtype}"), arg_reduce_module(t)));
    }
    for dtype in [Dtype::Float32, Dtype::Float16, Dtype::Bfloat16] {
        let t = c_type(dtype).unwrap_or("float");
        sources.push((format!("softmax_{dtype}"), softmax_module(t)));
    }
    sources
}
