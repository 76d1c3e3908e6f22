//! Generic elementwise loops with fast paths for contiguous and scalar operands.
//! The closures are monomorphised per op and dtype, so the contiguous loops vectorise.

use super::simd;
use super::strided::{collapse, for_each_run, parallel_ranges, SendPtr};
use crate::array::shape::broadcast_strides;
use crate::array::Data;
use crate::dtype::Element;
use crate::error::Result;

/// `out[i] = f(x[i])` over `shape`, into a new row-major buffer.
pub(crate) fn map_unary<T: Element, U: Element>(
    x: &Data,
    shape: &[usize],
    f: impl Fn(T) -> U + Sync,
) -> Result<Data> {
    let out = Data::allocate(shape, U::DTYPE)?;
    let size: usize = shape.iter().product();
    let dst = SendPtr(out.mut_ptr::<U>());
    let src = SendPtr(x.ptr::<T>() as *mut T);
    if x.is_row_contiguous(shape) {
        parallel_ranges(size, |start, end| {
            // SAFETY: both buffers hold `size` contiguous elements; ranges are disjoint.
            let (xs, os) = unsafe {
                (
                    std::slice::from_raw_parts(src.at(start as isize), end - start),
                    std::slice::from_raw_parts_mut(dst.at(start as isize), end - start),
                )
            };
            simd::map(xs, os, &f);
        });
    } else {
        let (cshape, [cstrides]) = collapse(shape, [&x.strides]);
        parallel_ranges(size, |start, end| {
            for_each_run(
                &cshape,
                std::array::from_ref(&cstrides),
                start,
                end,
                |pos, [off], len, [st]| {
                    for i in 0..len {
                        // SAFETY: offsets come from the input's strides; `pos + i` < size.
                        unsafe { *dst.at((pos + i) as isize) = f(*src.at(off + i as isize * st)) };
                    }
                },
            );
        });
    }
    Ok(out)
}

/// `out[i] = f(a[i], b[i])` with `a` and `b` broadcast to `shape`.
pub(crate) fn map_binary<A: Element, B: Element, U: Element>(
    a: (&Data, &[usize]),
    b: (&Data, &[usize]),
    shape: &[usize],
    f: impl Fn(A, B) -> U + Sync,
) -> Result<Data> {
    let out = Data::allocate(shape, U::DTYPE)?;
    let size: usize = shape.iter().product();
    let dst = SendPtr(out.mut_ptr::<U>());
    let pa = SendPtr(a.0.ptr::<A>() as *mut A);
    let pb = SendPtr(b.0.ptr::<B>() as *mut B);
    let a_strides = broadcast_strides(a.1, &a.0.strides, shape);
    let b_strides = broadcast_strides(b.1, &b.0.strides, shape);
    let a_dense = a.1 == shape && a.0.is_row_contiguous(shape);
    let b_dense = b.1 == shape && b.0.is_row_contiguous(shape);
    let a_scalar = a_strides.iter().all(|&s| s == 0);
    let b_scalar = b_strides.iter().all(|&s| s == 0);
    // SAFETY (all blocks below): pointers index inside their buffers by construction,
    // and parallel ranges write disjoint parts of the output.
    if (a_dense || a_scalar) && (b_dense || b_scalar) {
        parallel_ranges(size, |start, end| unsafe {
            let os = std::slice::from_raw_parts_mut(dst.at(start as isize), end - start);
            match (a_scalar, b_scalar) {
                (true, true) => {
                    let (va, vb) = (*pa.0, *pb.0);
                    os.fill(f(va, vb));
                }
                (true, false) => {
                    let va = *pa.0;
                    let bs = std::slice::from_raw_parts(pb.at(start as isize), end - start);
                    for (o, &vb) in os.iter_mut().zip(bs) {
                        *o = f(va, vb);
                    }
                }
                (false, true) => {
                    let vb = *pb.0;
                    let as_ = std::slice::from_raw_parts(pa.at(start as isize), end - start);
                    for (o, &va) in os.iter_mut().zip(as_) {
                        *o = f(va, vb);
                    }
                }
                (false, false) => {
                    let as_ = std::slice::from_raw_parts(pa.at(start as isize), end - start);
                    let bs = std::slice::from_raw_parts(pb.at(start as isize), end - start);
                    simd::map2(as_, bs, os, &f);
                }
            }
        });
        return Ok(out);
    }
    let (cshape, cstrides) = collapse(shape, [&a_strides, &b_strides]);
    parallel_ranges(size, |start, end| {
        for_each_run(
            &cshape,
            &cstrides,
            start,
            end,
            |pos, [oa, ob], len, [sa, sb]| unsafe {
                let os = std::slice::from_raw_parts_mut(dst.at(pos as isize), len);
                match (sa, sb) {
                    (1, 1) => {
                        let as_ = std::slice::from_raw_parts(pa.at(oa), len);
                        let bs = std::slice::from_raw_parts(pb.at(ob), len);
                        for ((o, &va), &vb) in os.iter_mut().zip(as_).zip(bs) {
                            *o = f(va, vb);
                        }
                    }
                    (0, 1) => {
                        let va = *pa.at(oa);
                        let bs = std::slice::from_raw_parts(pb.at(ob), len);
                        for (o, &vb) in os.iter_mut().zip(bs) {
                            *o = f(va, vb);
                        }
                    }
                    (1, 0) => {
                        let vb = *pb.at(ob);
                        let as_ = std::slice::from_raw_parts(pa.at(oa), len);
                        for (o, &va) in os.iter_mut().zip(as_) {
                            *o = f(va, vb);
                        }
                    }
                    _ => {
                        for (i, o) in os.iter_mut().enumerate() {
                            let i = i as isize;
                            *o = f(*pa.at(oa + i * sa), *pb.at(ob + i * sb));
                        }
                    }
                }
            },
        );
    });
    Ok(out)
}

/// `out[i] = f(a[i], b[i], c[i])` with all three broadcast to `shape`.
pub(crate) fn map_ternary<A: Element, B: Element, C: Element, U: Element>(
    a: (&Data, &[usize]),
    b: (&Data, &[usize]),
    c: (&Data, &[usize]),
    shape: &[usize],
    f: impl Fn(A, B, C) -> U + Sync,
) -> Result<Data> {
    let out = Data::allocate(shape, U::DTYPE)?;
    let size: usize = shape.iter().product();
    let dst = SendPtr(out.mut_ptr::<U>());
    let pa = SendPtr(a.0.ptr::<A>() as *mut A);
    let pb = SendPtr(b.0.ptr::<B>() as *mut B);
    let pc = SendPtr(c.0.ptr::<C>() as *mut C);
    let sa = broadcast_strides(a.1, &a.0.strides, shape);
    let sb = broadcast_strides(b.1, &b.0.strides, shape);
    let sc = broadcast_strides(c.1, &c.0.strides, shape);
    let (cshape, cstrides) = collapse(shape, [&sa, &sb, &sc]);
    parallel_ranges(size, |start, end| {
        for_each_run(
            &cshape,
            &cstrides,
            start,
            end,
            |pos, [oa, ob, oc], len, [ia, ib, ic]| {
                for i in 0..len as isize {
                    // SAFETY: as in `map_binary`.
                    unsafe {
                        *dst.at(pos as isize + i) = f(
                            *pa.at(oa + i * ia),
                            *pb.at(ob + i * ib),
                            *pc.at(oc + i * ic),
                        );
                    }
                }
            },
        );
    });
    Ok(out)
}
