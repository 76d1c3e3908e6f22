//! The README's quickstart: lazy ops, eval, and two streams feeding each other.

use mx::{array, eval, new_stream, with_stream, Device};

fn main() -> mx::Result<()> {
    let a = array![1, 2, 3, 4];
    let b = array![1.0, 2.0, 3.0, 4.0];
    let c = &a + &b; // int32 + float32 -> float32; nothing is computed yet
    eval(&[&c])?;
    println!("c = {c}");

    // Two CPU streams, each with its own worker thread; the scheduler orders them.
    let s1 = new_stream(Device::Cpu)?;
    let s2 = new_stream(Device::Cpu)?;
    let x = with_stream(s1, || mx::exp(&c))?;
    let y = with_stream(s2, || mx::multiply(&x, 2.0))?;
    let z = with_stream(s1, || mx::add(&y, &x))?;
    println!("z = {z}");

    // Weak scalars keep the array's dtype, as Python scalars do in MLX.
    let h = b.astype(mx::Dtype::Bfloat16)? * 2.0;
    println!("h = {h}");

    // Errors are values, not panics.
    if let Err(e) = mx::add(array![1, 2, 3], array![1, 2]) {
        println!("error: {e}");
    }
    // With a GPU, one graph can mix GPU and CPU streams; arrays never move by hand.
    if mx::gpu::is_available() {
        let gpu = new_stream(Device::Gpu(0))?;
        let g = with_stream(gpu, || mx::exp(&c))?;
        let back = mx::add(&g, 1.0)?; // on the default (CPU) stream, reading GPU data
        println!("on {}: {back}", mx::gpu::device_name()?);
    } else {
        println!(
            "no GPU here: {}",
            mx::default_stream(Device::Gpu(0)).unwrap_err()
        );
    }
    println!("active memory: {} bytes", mx::get_active_memory());
    Ok(())
}
