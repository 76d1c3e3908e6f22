//! `checkpoint` lowers the peak memory of a gradient, measured with the memory API. This is
//! its own test binary, so that no other test allocates while the peak is measured.

use mx::{Array, Device, Result};

/// Four `sin`s in a row: the backward pass of each needs its input.
fn segment(args: &[Array]) -> Result<Vec<Array>> {
    let mut y = args[0].clone();
    for _ in 0..4 {
        y = mx::sin(&y)?;
    }
    Ok(vec![y])
}

/// Six segments in a row, each through `run`.
fn network(run: &dyn Fn(&[Array]) -> Result<Vec<Array>>, x: &Array) -> Result<Array> {
    let mut y = x.clone();
    for _ in 0..6 {
        y = run(std::slice::from_ref(&y))?.remove(0);
    }
    mx::sum(&y, None, false)
}

/// The peak bytes of evaluating the value and gradient of the network.
fn peak(run: &dyn Fn(&[Array]) -> Result<Vec<Array>>, x: &Array) -> usize {
    let step = mx::value_and_grad(|x| network(run, x));
    mx::clear_cache();
    mx::reset_peak_memory();
    let (value, grad) = step(x).unwrap();
    mx::eval(&[&value, &grad]).unwrap();
    mx::get_peak_memory()
}

#[test]
fn checkpoint_lowers_peak_memory() {
    mx::with_stream(mx::default_stream(Device::Cpu).unwrap(), || {
        let n = 1 << 20;
        let x = Array::from_slice(&vec![0.5f32; n], &[n]).unwrap();
        let saved = mx::checkpoint(segment);
        let plain_peak = peak(&segment, &x);
        let checkpointed_peak = peak(&|a| saved.call(a), &x);
        // Without checkpoints all 24 intermediates (4 MiB each) stay alive for the backward
        // pass; with them, the six segment outputs and one segment's recomputed values.
        assert!(
            checkpointed_peak * 3 / 2 < plain_peak,
            "checkpointed peak {checkpointed_peak} bytes, plain {plain_peak} bytes"
        );
        println!("peak memory: {plain_peak} bytes plain, {checkpointed_peak} bytes checkpointed");
    });
}
