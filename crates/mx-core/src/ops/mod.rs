//! User-facing ops by family. Each builds graph nodes; nothing runs until `eval`.

mod binary;
mod compare;
mod creation;
mod operand;
mod operators;
mod reduce;
mod select;
mod shape;
mod unary;

pub use binary::*;
pub use compare::{allclose, array_equal, isclose};
pub use creation::{
    arange, eye, full, full_like, identity, linspace, ones, ones_like, tri, tril, triu, zeros,
    zeros_like,
};
pub use operand::Operand;
pub use reduce::{
    all, any, argmax, argmin, logsumexp, max, mean, min, prod, softmax, std, sum, var,
};
pub use select::where_;
pub use shape::{
    astype, broadcast_to, expand_dims, moveaxis, reshape, squeeze, swapaxes, transpose, view, Slice,
};
pub use unary::*;
