//! User-facing ops by family. Each builds graph nodes; nothing runs until `eval`.

mod binary;
mod compare;
mod creation;
mod diagonal;
mod einsum;
mod einsum_path;
mod hadamard;
mod index_expr;
mod indexing;
mod join;
mod masked_matmul;
mod matmul;
mod operand;
mod operators;
mod rearrange;
mod reduce;
mod scan;
mod select;
mod shape;
mod sort;
mod tensordot;
mod unary;
mod window;

pub use binary::*;
pub use compare::{allclose, array_equal, isclose};
pub use creation::{
    arange, eye, full, full_like, identity, linspace, ones, ones_like, tri, tril, triu, zeros,
    zeros_like,
};
pub use diagonal::{as_strided, diag, diagonal, trace};
pub use einsum::einsum;
pub use einsum_path::einsum_path;
pub(crate) use hadamard::hadamard_node;
pub use hadamard::hadamard_transform;
pub use index_expr::{At, Index};
pub use indexing::{
    gather, put_along_axis, scatter, slice_dynamic, slice_update, take, take_along_axis,
};
pub use join::{broadcast_arrays, concatenate, meshgrid, split, stack, SplitAt};
pub use masked_matmul::{block_masked_mm, gather_mm};
pub use matmul::{addmm, inner, matmul, outer};
pub use operand::Operand;
pub use rearrange::{
    atleast_1d, atleast_2d, atleast_3d, flatten, kron, pad, repeat, roll, tile, unflatten, PadMode,
};
pub use reduce::{
    all, any, argmax, argmin, logsumexp, max, mean, min, prod, softmax, std, sum, var,
};
pub use scan::{cummax, cummin, cumprod, cumsum, logcumsumexp, ScanOptions};
pub use select::where_;
pub use shape::{
    astype, broadcast_to, expand_dims, moveaxis, reshape, squeeze, swapaxes, transpose, view, Slice,
};
pub use sort::{argpartition, argsort, median, partition, sort, topk};
pub use tensordot::{tensordot, TensordotAxes};
pub use unary::*;
pub use window::{bartlett, blackman, hamming, hanning};
