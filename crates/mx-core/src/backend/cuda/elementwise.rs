//! Unary, binary, `where`, astype and copy kernels: generated `extern "C"` wrappers, one
//! module per dtype, around the bodies of `kernels/elementwise.cu`.

use super::compiler::{function, KernelTable};
use super::launch::{
    allocate, arg, c_type, device_address, is_dense, launch_flat, operand_strides, Layout,
};
use super::stream::GpuStream;
use crate::array::Data;
use crate::backend::cpu::layout::view_through;
use crate::dtype::{Dtype, DtypeCategory};
use crate::error::Result;
use crate::primitive::{BinaryOp, UnaryOp};

pub(super) const BODIES: &str = include_str!("kernels/elementwise.cu");

/// Every unary op, for the generated modules.
const UNARY_OPS: [UnaryOp; 42] = {
    use UnaryOp::*;
    [
        Abs,
        Negative,
        Sign,
        Sqrt,
        Rsqrt,
        Square,
        Reciprocal,
        Exp,
        Exp2,
        Expm1,
        Log,
        Log1p,
        Log2,
        Log10,
        Sin,
        Cos,
        Tan,
        ArcSin,
        ArcCos,
        ArcTan,
        Sinh,
        Cosh,
        Tanh,
        ArcSinh,
        ArcCosh,
        ArcTanh,
        Sigmoid,
        Erf,
        ErfInv,
        Floor,
        Ceil,
        Round,
        LogicalNot,
        BitwiseInvert,
        IsNan,
        IsInf,
        IsPosInf,
        IsNegInf,
        IsFinite,
        Real,
        Imag,
        Conj,
    ]
};

/// Every binary op, for the generated modules.
const BINARY_OPS: [BinaryOp; 24] = {
    use BinaryOp::*;
    [
        Add,
        Subtract,
        Multiply,
        Divide,
        FloorDivide,
        Remainder,
        Power,
        Maximum,
        Minimum,
        ArcTan2,
        LogAddExp,
        Equal,
        NotEqual,
        Less,
        LessEqual,
        Greater,
        GreaterEqual,
        LogicalAnd,
        LogicalOr,
        BitwiseAnd,
        BitwiseOr,
        BitwiseXor,
        LeftShift,
        RightShift,
    ]
};

fn is_float(dtype: Dtype) -> bool {
    dtype.category() == DtypeCategory::Floating
}

/// The unary ops the CPU backend runs on `dtype` (other pairs are its errors).
pub(crate) fn unary_supported(op: UnaryOp, dtype: Dtype) -> bool {
    use UnaryOp::*;
    if dtype == Dtype::Complex64 {
        return !matches!(
            op,
            Exp2 | Expm1 | Sigmoid | Erf | ErfInv | Floor | Ceil | BitwiseInvert
        );
    }
    if is_float(dtype) {
        return op != BitwiseInvert;
    }
    matches!(
        op,
        Abs | Negative
            | Sign
            | Square
            | Floor
            | Ceil
            | Round
            | Real
            | Conj
            | Imag
            | BitwiseInvert
            | LogicalNot
            | IsNan
            | IsInf
            | IsPosInf
            | IsNegInf
            | IsFinite
    )
}

/// The binary ops the CPU backend runs on `dtype`.
pub(crate) fn binary_supported(op: BinaryOp, dtype: Dtype) -> bool {
    use BinaryOp::*;
    match op {
        ArcTan2 => is_float(dtype),
        LogAddExp => is_float(dtype) || dtype == Dtype::Complex64,
        BitwiseAnd | BitwiseOr | BitwiseXor | LeftShift | RightShift => {
            !is_float(dtype) && dtype != Dtype::Complex64
        }
        _ => true,
    }
}

fn unary_module(dtype: Dtype, t: &str) -> String {
    let mut source = BODIES.to_string();
    for op in UNARY_OPS.iter().filter(|op| unary_supported(**op, dtype)) {
        let functor = format!("Unary{op:?}");
        let out = format!("decltype({functor}()({t}()))");
        source += &format!(
            "extern \"C\" __global__ void unary_{op:?}_flat(const {t}* in, {out}* out, int64_t n) \
             {{ unary_flat<{functor}, {t}>(in, out, n); }}\n\
             extern \"C\" __global__ void unary_{op:?}_strided(const {t}* in, {out}* out, int64_t n, Layout<1> layout) \
             {{ unary_strided<{functor}, {t}>(in, out, n, layout); }}\n"
        );
    }
    source
}

fn binary_module(dtype: Dtype, t: &str) -> String {
    let mut source = BODIES.to_string();
    for op in BINARY_OPS.iter().filter(|op| binary_supported(**op, dtype)) {
        let functor = format!("Binary{op:?}");
        let out = format!("decltype({functor}()({t}(), {t}()))");
        source += &format!(
            "extern \"C\" __global__ void binary_{op:?}_flat(const {t}* a, const {t}* b, {out}* out, int64_t n, int32_t a_mode, int32_t b_mode, {t} a_value, {t} b_value) \
             {{ binary_flat<{functor}, {t}>(a, b, out, n, a_mode, b_mode, a_value, b_value); }}\n\
             extern \"C\" __global__ void binary_{op:?}_strided(const {t}* a, const {t}* b, {out}* out, int64_t n, Layout<2> layout) \
             {{ binary_strided<{functor}, {t}>(a, b, out, n, layout); }}\n"
        );
    }
    source
}

fn convert_module(from: &str) -> String {
    let mut source = BODIES.to_string();
    for to in Dtype::ALL {
        let Some(t) = c_type(to) else { continue };
        source += &format!(
            "extern \"C\" __global__ void convert_{to}_flat(const {from}* in, {t}* out, int64_t n) \
             {{ convert_flat<{from}, {t}>(in, out, n); }}\n\
             extern \"C\" __global__ void convert_{to}_strided(const {from}* in, {t}* out, int64_t n, Layout<1> layout) \
             {{ convert_strided<{from}, {t}>(in, out, n, layout); }}\n"
        );
    }
    source += &format!(
        "extern \"C\" __global__ void arange_integer({from}* out, int64_t n, int64_t start, int64_t step) \
         {{ arange_integer<{from}>(out, n, start, step); }}\n\
         extern \"C\" __global__ void arange_float({from}* out, int64_t n, float start, float step) \
         {{ arange_float<{from}>(out, n, start, step); }}\n"
    );
    source += &format!(
        "extern \"C\" __global__ void copy_into_strided(const {from}* in, {from}* out, int64_t n, Layout<2> layout) \
         {{ copy_into_strided<{from}>(in, out, n, layout); }}\n"
    );
    source += &format!(
        "extern \"C\" __global__ void select_strided(const bool* c, const {from}* x, const {from}* y, {from}* out, int64_t n, Layout<3> layout) \
         {{ select_strided<{from}>(c, x, y, out, n, layout); }}\n"
    );
    source
}

/// Slots per dtype in the kernel tables: more than any op enum has variants.
const OPS: usize = 64;
/// Unary kernels by (op, dtype, strided).
static UNARY_KERNELS: KernelTable<{ OPS * 16 * 2 }> = KernelTable::new();
/// Binary kernels by (op, dtype, strided).
static BINARY_KERNELS: KernelTable<{ OPS * 16 * 2 }> = KernelTable::new();
/// Conversions by (target dtype, source dtype, strided).
static CONVERT_KERNELS: KernelTable<{ 16 * 16 * 2 }> = KernelTable::new();

/// The table slot of (`op`, `dtype`, flat or strided).
fn slot(op: usize, dtype: Dtype, strided: bool) -> usize {
    (op * 16 + dtype as usize) * 2 + strided as usize
}

/// A one-input kernel (`unary_*` or `convert_*`) over `x`, flat when `x` is dense.
#[allow(clippy::too_many_arguments)]
pub(super) fn one_input<const N: usize>(
    table: &KernelTable<N>,
    op: usize,
    module: impl Fn() -> String,
    kernel: impl Fn() -> String,
    source: impl FnOnce() -> String,
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    out_dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let n: usize = shape.iter().product();
    let (out, out_ptr) = allocate(shape, out_dtype, stream)?;
    if n == 0 {
        return Ok(Some(out));
    }
    let in_ptr = device_address(x, dtype, stream)?;
    let count = n as i64;
    if x.is_row_contiguous(shape) {
        let function = table.get(slot(op, dtype, false), || {
            function(&module(), &format!("{}_flat", kernel()), source)
        })?;
        launch_flat(
            function,
            n,
            stream,
            &mut [arg(&in_ptr), arg(&out_ptr), arg(&count)],
        )?;
    } else {
        let Some(layout) = Layout::<1>::new(shape, [&x.strides]) else {
            return Ok(None);
        };
        let function = table.get(slot(op, dtype, true), || {
            function(&module(), &format!("{}_strided", kernel()), source)
        })?;
        launch_flat(
            function,
            n,
            stream,
            &mut [arg(&in_ptr), arg(&out_ptr), arg(&count), arg(&layout)],
        )?;
    }
    Ok(Some(out))
}

/// `op(x)`; `None` if no kernel covers the pair (the CPU then runs it, or reports it).
pub(crate) fn unary(
    op: UnaryOp,
    x: &Data,
    shape: &[usize],
    dtype: Dtype,
    out_dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    if !unary_supported(op, dtype) {
        return Ok(None);
    }
    one_input(
        &UNARY_KERNELS,
        op as usize,
        || format!("unary_{dtype}"),
        || format!("unary_{op:?}"),
        || unary_module(dtype, t),
        x,
        shape,
        dtype,
        out_dtype,
        stream,
    )
}

/// `x` cast to `to` (a plain copy when the dtypes agree), written row-major.
pub(crate) fn convert(
    x: &Data,
    shape: &[usize],
    from: Dtype,
    to: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let (Some(t), Some(_)) = (c_type(from), c_type(to)) else {
        return Ok(None);
    };
    one_input(
        &CONVERT_KERNELS,
        to as usize,
        || format!("convert_{from}"),
        || format!("convert_{to}"),
        || convert_module(t),
        x,
        shape,
        from,
        to,
        stream,
    )
}

/// `x`'s bytes seen as `to`, as on the CPU (see `cpu::layout::view_through`).
pub(crate) fn view_as(
    x: &Data,
    in_shape: &[usize],
    from: Dtype,
    to: Dtype,
    out_shape: &[usize],
    stream: GpuStream,
) -> Result<Option<Data>> {
    view_through(x, in_shape, from, to, out_shape, &|x, shape, from, to| {
        convert(x, shape, from, to, stream)
    })
}

/// `op(a, b)` broadcast to `out_shape`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn binary(
    op: BinaryOp,
    (a, a_shape): (&Data, &[usize]),
    (b, b_shape): (&Data, &[usize]),
    out_shape: &[usize],
    dtype: Dtype,
    out_dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    if !binary_supported(op, dtype) {
        return Ok(None);
    }
    let n: usize = out_shape.iter().product();
    let (out, out_ptr) = allocate(out_shape, out_dtype, stream)?;
    if n == 0 {
        return Ok(Some(out));
    }
    let count = n as i64;
    let module = || format!("binary_{dtype}");
    let source = || binary_module(dtype, t);
    let dense_or_scalar = |data: &Data, shape: &[usize]| {
        if shape.iter().product::<usize>() == 1 {
            // A host constant goes by value (mode 2); a device one is read once (mode 1).
            match data
                .buffer
                .host_only_bytes(data.offset * dtype.size(), dtype.size())
            {
                Some(bytes) => Some((2i32, bytes)),
                None => Some((1, [0; 8])),
            }
        } else if is_dense(data, shape, out_shape) {
            Some((0, [0; 8]))
        } else {
            None
        }
    };
    if let (Some((a_mode, a_value)), Some((b_mode, b_value))) =
        (dense_or_scalar(a, a_shape), dense_or_scalar(b, b_shape))
    {
        let pointer = |data: &Data, mode: i32| {
            if mode == 2 {
                Ok(0)
            } else {
                device_address(data, dtype, stream)
            }
        };
        let (a_ptr, b_ptr) = (pointer(a, a_mode)?, pointer(b, b_mode)?);
        let function = BINARY_KERNELS.get(slot(op as usize, dtype, false), || {
            function(&module(), &format!("binary_{op:?}_flat"), source)
        })?;
        launch_flat(
            function,
            n,
            stream,
            &mut [
                arg(&a_ptr),
                arg(&b_ptr),
                arg(&out_ptr),
                arg(&count),
                arg(&a_mode),
                arg(&b_mode),
                arg(&a_value),
                arg(&b_value),
            ],
        )?;
        return Ok(Some(out));
    }
    let a_ptr = device_address(a, dtype, stream)?;
    let b_ptr = device_address(b, dtype, stream)?;
    let a_strides = operand_strides(a, a_shape, out_shape);
    let b_strides = operand_strides(b, b_shape, out_shape);
    let Some(layout) = Layout::<2>::new(out_shape, [&a_strides, &b_strides]) else {
        return Ok(None);
    };
    let function = BINARY_KERNELS.get(slot(op as usize, dtype, true), || {
        function(&module(), &format!("binary_{op:?}_strided"), source)
    })?;
    launch_flat(
        function,
        n,
        stream,
        &mut [
            arg(&a_ptr),
            arg(&b_ptr),
            arg(&out_ptr),
            arg(&count),
            arg(&layout),
        ],
    )?;
    Ok(Some(out))
}

/// `where(condition, x, y)` broadcast to `out_shape`.
pub(crate) fn select(
    operands: [(&Data, &[usize]); 3],
    out_shape: &[usize],
    dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    let n: usize = out_shape.iter().product();
    let (out, out_ptr) = allocate(out_shape, dtype, stream)?;
    if n == 0 {
        return Ok(Some(out));
    }
    let dtypes = [Dtype::Bool, dtype, dtype];
    let mut pointers = [0u64; 3];
    let mut strides: Vec<Vec<isize>> = Vec::with_capacity(3);
    for (k, (data, shape)) in operands.iter().enumerate() {
        pointers[k] = device_address(data, dtypes[k], stream)?;
        strides.push(operand_strides(data, shape, out_shape));
    }
    let Some(layout) = Layout::<3>::new(out_shape, [&strides[0], &strides[1], &strides[2]]) else {
        return Ok(None);
    };
    let count = n as i64;
    let function = function(&format!("convert_{dtype}"), "select_strided", || {
        convert_module(t)
    })?;
    launch_flat(
        function,
        n,
        stream,
        &mut [
            arg(&pointers[0]),
            arg(&pointers[1]),
            arg(&pointers[2]),
            arg(&out_ptr),
            arg(&count),
            arg(&layout),
        ],
    )?;
    Ok(Some(out))
}

/// The inputs laid end to end along `axis`, each copied into its region of the output.
pub(crate) fn concatenate(
    inputs: &[(&Data, &[usize])],
    axis: usize,
    out_shape: &[usize],
    dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    let (out, out_ptr) = allocate(out_shape, dtype, stream)?;
    let mut start = 0;
    for (data, shape) in inputs {
        let n: usize = shape.iter().product();
        if n > 0 {
            let Some(layout) = Layout::<2>::new(shape, [&data.strides, &out.strides]) else {
                return Ok(None);
            };
            let in_ptr = device_address(data, dtype, stream)?;
            let target = out_ptr + (start * out.strides[axis] as usize * dtype.size()) as u64;
            let count = n as i64;
            let function = function(&format!("convert_{dtype}"), "copy_into_strided", || {
                convert_module(t)
            })?;
            launch_flat(
                function,
                n,
                stream,
                &mut [arg(&in_ptr), arg(&target), arg(&count), arg(&layout)],
            )?;
        }
        start += shape[axis];
    }
    Ok(Some(out))
}

/// `start + i * step` for `i < n`, as MLX's GPU kernels compute it.
pub(crate) fn arange(
    start: f64,
    step: f64,
    n: usize,
    dtype: Dtype,
    stream: GpuStream,
) -> Result<Option<Data>> {
    let Some(t) = c_type(dtype) else {
        return Ok(None);
    };
    if dtype == Dtype::Bool {
        return Ok(None);
    }
    let (out, out_ptr) = allocate(&[n], dtype, stream)?;
    if n == 0 {
        return Ok(Some(out));
    }
    let count = n as i64;
    let module = format!("convert_{dtype}");
    if is_float(dtype) {
        let (start, step) = (start as f32, step as f32);
        let function = function(&module, "arange_float", || convert_module(t))?;
        launch_flat(
            function,
            n,
            stream,
            &mut [arg(&out_ptr), arg(&count), arg(&start), arg(&step)],
        )?;
    } else {
        let (start, step) = (start as i64, step as i64);
        let function = function(&module, "arange_integer", || convert_module(t))?;
        launch_flat(
            function,
            n,
            stream,
            &mut [arg(&out_ptr), arg(&count), arg(&start), arg(&step)],
        )?;
    }
    Ok(Some(out))
}

/// Every module of this file, for the offline compile check.
#[cfg(test)]
pub(super) fn sources() -> Vec<(String, String)> {
    let mut sources = Vec::new();
    for dtype in Dtype::ALL {
        let Some(t) = c_type(dtype) else { continue };
        sources.push((format!("unary_{dtype}"), unary_module(dtype, t)));
        sources.push((format!("binary_{dtype}"), binary_module(dtype, t)));
        sources.push((format!("convert_{dtype}"), convert_module(t)));
    }
    sources
}
