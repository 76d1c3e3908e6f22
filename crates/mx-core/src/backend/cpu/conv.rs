//! Channels-last convolution: blocks of output positions gathered into patch rows
//! (im2col, with padding, dilations and strides resolved while gathering), each block
//! multiplied by the packed weight of its group with a GEMM.

use super::fast::Widen;
use super::strided::{parallel_items, SendPtr};
use crate::array::Data;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::ConvParams;
use gemm::Parallelism;
use half::{bf16, f16};

/// Output positions per GEMM.
const BLOCK: usize = 256;

/// An element and the type its products accumulate in (float32, or float64 for float64).
trait ConvElement: Copy + Send + Sync + 'static {
    type Acc: Copy + Send + Sync + Default + 'static;
    const DTYPE: Dtype;
    const ONE: Self::Acc;
    fn widen(self) -> Self::Acc;
    fn narrow(v: Self::Acc) -> Self;
}

macro_rules! through_f32 {
    ($($t:ty),*) => {$(
        impl ConvElement for $t {
            type Acc = f32;
            const DTYPE: Dtype = <$t as crate::dtype::Element>::DTYPE;
            const ONE: f32 = 1.0;
            fn widen(self) -> f32 {
                Widen::to_f32(self)
            }
            fn narrow(v: f32) -> Self {
                <$t as Widen>::from_f32(v)
            }
        }
    )*};
}
through_f32!(f32, f16, bf16);

impl ConvElement for f64 {
    type Acc = f64;
    const DTYPE: Dtype = Dtype::Float64;
    const ONE: f64 = 1.0;
    fn widen(self) -> f64 {
        self
    }
    fn narrow(v: f64) -> f64 {
        v
    }
}

/// The convolution of row-contiguous `x` (`[N, *S, C]`) with row-contiguous `w`
/// (`[O, *K, C / groups]`) into a fresh `[N, *S_out, O]` output.
pub(crate) fn conv(
    x: &Data,
    w: &Data,
    shapes: [&[usize]; 2],
    dtype: Dtype,
    params: &ConvParams,
    out_shape: &[usize],
) -> Result<Data> {
    match dtype {
        Dtype::Float32 => Conv::<f32>::new(shapes, params, out_shape).run(x, w),
        Dtype::Float16 => Conv::<f16>::new(shapes, params, out_shape).run(x, w),
        Dtype::Bfloat16 => Conv::<bf16>::new(shapes, params, out_shape).run(x, w),
        Dtype::Float64 => Conv::<f64>::new(shapes, params, out_shape).run(x, w),
        other => Err(Error::Dtype(format!(
            "[conv] Invalid input array with type {other}. Convolution currently only supports floating point types"
        ))),
    }
}

struct Conv<'a, T> {
    params: &'a ConvParams,
    in_spatial: &'a [usize],
    kernel: &'a [usize],
    out_spatial: &'a [usize],
    out_shape: &'a [usize],
    batch: usize,
    channels: usize,
    outputs: usize,
    _element: std::marker::PhantomData<T>,
}

impl<'a, T: ConvElement> Conv<'a, T> {
    fn new(shapes: [&'a [usize]; 2], params: &'a ConvParams, out_shape: &'a [usize]) -> Self {
        let d = params.spatial();
        Conv {
            params,
            in_spatial: &shapes[0][1..=d],
            kernel: &shapes[1][1..=d],
            out_spatial: &out_shape[1..=d],
            out_shape,
            batch: shapes[0][0],
            channels: shapes[0][d + 1],
            outputs: shapes[1][0],
            _element: std::marker::PhantomData,
        }
    }

    /// The weight of each group as a `[taps * Cg, Og]` matrix of accumulator values,
    /// flipped if the op says so.
    fn packed_weights(&self, w: &Data) -> Vec<Vec<T::Acc>> {
        let groups = self.params.groups;
        let (cg, og) = (self.channels / groups, self.outputs / groups);
        let taps: usize = self.kernel.iter().product();
        // SAFETY: the op passes a row-contiguous weight of `O * taps * Cg` elements.
        let weight = unsafe { std::slice::from_raw_parts(w.ptr::<T>(), self.outputs * taps * cg) };
        (0..groups)
            .map(|g| {
                let mut packed = vec![T::Acc::default(); taps * cg * og];
                for o in 0..og {
                    for tap in 0..taps {
                        let source_tap = if self.params.flip {
                            taps - 1 - tap
                        } else {
                            tap
                        };
                        for c in 0..cg {
                            packed[(tap * cg + c) * og + o] =
                                weight[((g * og + o) * taps + source_tap) * cg + c].widen();
                        }
                    }
                }
                packed
            })
            .collect()
    }

    /// The input's flat spatial offset read by output position `out` through kernel tap
    /// `tap` (both flat), or `None` where that reads padding or a dilation hole.
    fn source(&self, out: usize, tap: usize) -> Option<usize> {
        let d = self.params.spatial();
        let (mut out_rest, mut tap_rest) = (out, tap);
        let mut offset = 0usize;
        let mut stride = 1usize;
        for axis in (0..d).rev() {
            let o = out_rest % self.out_spatial[axis];
            out_rest /= self.out_spatial[axis];
            let k = tap_rest % self.kernel[axis];
            tap_rest /= self.kernel[axis];
            let p = (o * self.params.stride[axis] + k * self.params.kernel_dilation[axis]) as isize
                - self.params.padding_lo[axis] as isize;
            let dilation = self.params.input_dilation[axis] as isize;
            if p < 0 || p % dilation != 0 {
                return None;
            }
            let i = (p / dilation) as usize;
            if i >= self.in_spatial[axis] {
                return None;
            }
            offset += i * stride;
            stride *= self.in_spatial[axis];
        }
        Some(offset)
    }

    fn run(self, x: &Data, w: &Data) -> Result<Data> {
        let out = Data::allocate(self.out_shape, T::DTYPE)?;
        let groups = self.params.groups;
        let (cg, og) = (self.channels / groups, self.outputs / groups);
        let taps: usize = self.kernel.iter().product();
        let patch = taps * cg;
        let positions: usize = self.out_spatial.iter().product();
        let in_positions: usize = self.in_spatial.iter().product();
        let rows = self.batch * positions;
        if rows == 0 || self.outputs == 0 {
            return Ok(out);
        }
        let weights = self.packed_weights(w);
        let src = SendPtr(x.ptr::<T>() as *mut T);
        let dst = SendPtr(out.mut_ptr::<T>());
        parallel_items(
            rows.div_ceil(BLOCK),
            BLOCK * patch * og.max(1),
            |first, last| {
                let mut columns = vec![T::Acc::default(); BLOCK * patch];
                let mut product = vec![T::Acc::default(); BLOCK * og];
                for block in first..last {
                    let start = block * BLOCK;
                    let count = BLOCK.min(rows - start);
                    for (g, weight) in weights.iter().enumerate() {
                        for r in 0..count {
                            let (n, position) = ((start + r) / positions, (start + r) % positions);
                            let row = &mut columns[r * patch..(r + 1) * patch];
                            for tap in 0..taps {
                                let lanes = &mut row[tap * cg..(tap + 1) * cg];
                                match self.source(position, tap) {
                                    Some(offset) => {
                                        let at = ((n * in_positions + offset) * self.channels
                                            + g * cg)
                                            as isize;
                                        // SAFETY: `at` addresses Cg channels inside the input.
                                        let values =
                                            unsafe { std::slice::from_raw_parts(src.at(at), cg) };
                                        for (lane, &v) in lanes.iter_mut().zip(values) {
                                            *lane = v.widen();
                                        }
                                    }
                                    None => lanes.fill(T::Acc::default()),
                                }
                            }
                        }
                        // SAFETY: `columns` holds count x patch, `weight` patch x og and
                        // `product` count x og elements, all row-major.
                        unsafe {
                            gemm::gemm(
                                count,
                                og,
                                patch,
                                product.as_mut_ptr(),
                                1,
                                og as isize,
                                false,
                                columns.as_ptr(),
                                1,
                                patch as isize,
                                weight.as_ptr(),
                                1,
                                og as isize,
                                T::Acc::default(),
                                T::ONE,
                                false,
                                false,
                                false,
                                Parallelism::None,
                            );
                        }
                        for r in 0..count {
                            let at = ((start + r) * self.outputs + g * og) as isize;
                            // SAFETY: row `start + r` of the fresh output; blocks are disjoint.
                            let target = unsafe { std::slice::from_raw_parts_mut(dst.at(at), og) };
                            for (o, &v) in target.iter_mut().zip(&product[r * og..(r + 1) * og]) {
                                *o = T::narrow(v);
                            }
                        }
                    }
                }
            },
        );
        Ok(out)
    }
}
