//! `custom_function`: a function with its own vjp, jvp or vmap rule, and `checkpoint`,
//! which recomputes a function's forward pass in the backward pass instead of keeping
//! its intermediate values.
//!
//! A call is one graph node: its inputs are the arguments followed by the function's own
//! outputs, and it passes those outputs through. Evaluation therefore runs the function's
//! graph as usual, while the transforms stop at the node and apply its rules.

use crate::error::Result;
use crate::primitive::Primitive;
use crate::Array;
use std::fmt;
use std::sync::Arc;

/// The function of a custom node: arguments to outputs.
type Forward = dyn Fn(&[Array]) -> Result<Vec<Array>> + Send + Sync;
/// A custom vjp: `(primals, cotangents, outputs)` to one cotangent per primal.
type VjpRule = dyn Fn(&[Array], &[Array], &[Array]) -> Result<Vec<Array>> + Send + Sync;
/// A custom jvp: `(primals, tangents)` to one tangent per output.
type JvpRule = dyn Fn(&[Array], &[Array]) -> Result<Vec<Array>> + Send + Sync;
/// A custom vmap: `(arguments, batch axes)` to the outputs and their batch axes.
type VmapRule =
    dyn Fn(&[Array], &[Option<usize>]) -> Result<(Vec<Array>, Vec<Option<usize>>)> + Send + Sync;

/// The function and rules behind a custom node.
pub struct CustomRules {
    pub(crate) forward: Box<Forward>,
    pub(crate) vjp: Option<Box<VjpRule>>,
    pub(crate) jvp: Option<Box<JvpRule>>,
    pub(crate) vmap: Option<Box<VmapRule>>,
}

/// A shared handle to [`CustomRules`], compared by identity.
#[derive(Clone)]
pub struct CustomRef(pub(crate) Arc<CustomRules>);

impl PartialEq for CustomRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for CustomRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CustomRules")
    }
}

/// Collects the rules of a custom function; [`CustomBuilder::build`] makes it callable.
pub struct CustomBuilder {
    rules: CustomRules,
}

/// Wraps `f` so that its transform rules can be replaced. Rules left out fall back to
/// transforming `f` itself.
///
/// ```
/// use mx_core::{array, custom_function, grad, multiply, sum};
/// // x² with a custom vjp that doubles the true derivative.
/// let square = custom_function(|a| Ok(vec![multiply(&a[0], &a[0])?]))
///     .with_vjp(|primals, cts, _| Ok(vec![multiply(&multiply(&primals[0], &cts[0])?, 4.0)?]))
///     .build();
/// let df = grad(move |x| sum(&square.call(std::slice::from_ref(x))?[0], None, false));
/// assert_eq!(df(&array![1.0, 2.0]).unwrap().to_vec::<f32>().unwrap(), [4.0, 8.0]);
/// ```
pub fn custom_function(
    f: impl Fn(&[Array]) -> Result<Vec<Array>> + Send + Sync + 'static,
) -> CustomBuilder {
    CustomBuilder {
        rules: CustomRules {
            forward: Box::new(f),
            vjp: None,
            jvp: None,
            vmap: None,
        },
    }
}

/// A callable function with custom transform rules.
#[derive(Clone)]
pub struct CustomFunction(CustomRef);

impl CustomBuilder {
    /// Uses `rule(primals, cotangents, outputs)` as the vector-Jacobian product.
    pub fn with_vjp(
        mut self,
        rule: impl Fn(&[Array], &[Array], &[Array]) -> Result<Vec<Array>> + Send + Sync + 'static,
    ) -> CustomBuilder {
        self.rules.vjp = Some(Box::new(rule));
        self
    }

    /// Uses `rule(primals, tangents)` as the Jacobian-vector product.
    pub fn with_jvp(
        mut self,
        rule: impl Fn(&[Array], &[Array]) -> Result<Vec<Array>> + Send + Sync + 'static,
    ) -> CustomBuilder {
        self.rules.jvp = Some(Box::new(rule));
        self
    }

    /// Uses `rule(arguments, batch axes)` as the batching rule; it returns the outputs and
    /// their batch axes.
    pub fn with_vmap(
        mut self,
        rule: impl Fn(&[Array], &[Option<usize>]) -> Result<(Vec<Array>, Vec<Option<usize>>)>
            + Send
            + Sync
            + 'static,
    ) -> CustomBuilder {
        self.rules.vmap = Some(Box::new(rule));
        self
    }

    /// The callable function with the rules given so far.
    pub fn build(self) -> CustomFunction {
        CustomFunction(CustomRef(Arc::new(self.rules)))
    }
}

impl CustomFunction {
    /// Calls the function on `args`.
    pub fn call(&self, args: &[Array]) -> Result<Vec<Array>> {
        let outputs = (self.0 .0.forward)(args)?;
        let meta = outputs
            .iter()
            .map(|o| (o.shape().to_vec(), o.dtype()))
            .collect();
        let mut inputs = args.to_vec();
        inputs.extend(outputs);
        Ok(Array::from_op_multi(
            meta,
            Primitive::Custom(self.0.clone()),
            inputs,
            crate::scheduler::current_stream()?,
        ))
    }
}

/// `f` with its forward pass recomputed during the backward pass, so that its
/// intermediate values need not be kept between the two: less memory for more compute.
///
/// ```
/// use mx_core::{array, checkpoint, grad, sin, sum};
/// let f = checkpoint(|a| Ok(vec![sin(&sin(&a[0])?)?]));
/// let df = grad(move |x| sum(&f.call(std::slice::from_ref(x))?[0], None, false));
/// let expected = grad(|x| sum(&sin(&sin(x)?)?, None, false));
/// let x = array![0.5, 1.0];
/// assert_eq!(df(&x).unwrap().to_vec::<f32>().unwrap(), expected(&x).unwrap().to_vec::<f32>().unwrap());
/// ```
pub fn checkpoint(
    f: impl Fn(&[Array]) -> Result<Vec<Array>> + Send + Sync + 'static,
) -> CustomFunction {
    let f = Arc::new(f);
    let recompute = Arc::clone(&f);
    custom_function(move |args| f(args))
        .with_vjp(move |primals, cts, _outputs| {
            // vjp traces the function again on fresh nodes: the forward pass is redone.
            Ok(super::vjp(|a| recompute(a), primals, cts)?.1)
        })
        .build()
}
