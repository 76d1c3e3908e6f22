//! Parity of gradients, per-example gradients, jvp and checkpointing.

use super::*;

/// Gradients, forward-mode products, vectorised maps and checkpoints run on each stream.
pub(super) fn transforms(h: &mut Harness) {
    let w = input(&[6, 4], Dtype::Float32, GENERAL, 227);
    let x = input(&[5, 6], Dtype::Float32, GENERAL, 229);
    let loss = move |a: &[Array]| -> Result<Array> {
        let logits = mx::matmul(&a[1], &a[0])?;
        let hidden = mx::tanh(&logits)?;
        mx::mean(&mx::logsumexp(&hidden, Some(&[-1]), false)?, None, false)
    };
    // The products run in TF32 on the GPU (as in MLX), which keeps about 10 mantissa bits.
    let tf32 = Some(1e-5);
    h.check("grad of an mlp loss", tf32, &|| {
        Ok(mx::grad_argnums(loss, &[0])(&[w.clone(), x.clone()])?.remove(0))
    });
    h.check("per-example gradients", tf32, &|| {
        let per_example = mx::vmap(
            |a| mx::grad_argnums(loss, &[0])(a),
            &[None, Some(0)],
            &[Some(0)],
        );
        let rows = x.expand_dims(&[1])?;
        Ok(per_example(&[w.clone(), rows])?.remove(0))
    });
    h.check("jvp", tf32, &|| {
        let tangent = mx::ones_like(&w)?;
        let (_, t) = mx::jvp(
            |a| Ok(vec![loss(&[a[0].clone(), x.clone()])?]),
            std::slice::from_ref(&w),
            &[tangent],
        )?;
        Ok(t[0].clone())
    });
    h.check("checkpointed gradient", None, &|| {
        let block = mx::checkpoint(|a| {
            Ok(vec![mx::sin(&mx::cumprod(
                &a[0],
                Some(1),
                Default::default(),
                None,
            )?)?])
        });
        let g = mx::grad(move |v| mx::sum(&block.call(std::slice::from_ref(v))?[0], None, false));
        g(&x)
    });
}
