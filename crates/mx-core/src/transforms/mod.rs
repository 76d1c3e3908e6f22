//! Function transforms: evaluation, reverse mode (`vjp`, `grad`), forward mode (`jvp`),
//! and the pytrees they take and return.
//!
//! Transforms are functions that return functions, and they compose:
//! `grad(grad(f))` differentiates the graph that the inner `grad` built.

mod custom;
mod eval;
mod jvp;
mod rules;
mod stop_gradient;
mod tape;
mod tree;
mod vjp;
mod vmap;

#[cfg(test)]
pub(crate) mod checks;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod vmap_tests;

pub use custom::{checkpoint, custom_function, CustomBuilder, CustomFunction, CustomRef};
pub use eval::{async_eval, eval};
pub use jvp::jvp;
pub use stop_gradient::stop_gradient;
pub use tree::{tree_flatten, tree_map, tree_map_with_path, tree_reduce, tree_unflatten, Tree};
pub use vjp::{
    grad, grad_argnums, value_and_grad, value_and_grad_argnums, value_and_grad_tree,
    value_and_grad_with_aux, vjp,
};
pub use vmap::vmap;
