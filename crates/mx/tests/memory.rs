//! The memory API. These checks read process-wide counters, so they live in one
//! test binary with a single test that runs them in order.

use mx::{eval, Dtype, Error};

const MB: usize = 1 << 20;

fn views_share_buffers() {
    let a = mx::ones(&[1024, 1024], Dtype::Float32)
        .unwrap()
        .contiguous()
        .unwrap();
    eval(&[&a]).unwrap();
    let before = mx::get_active_memory();
    let views = [
        a.reshape(&[256, 4096]).unwrap(),
        a.transpose(None).unwrap(),
        a.slice(&[mx::Slice::new(None, None, 2)]).unwrap(),
        a.expand_dims(&[0])
            .unwrap()
            .broadcast_to(&[3, 1024, 1024])
            .unwrap(),
        a.swapaxes(0, 1).unwrap().squeeze(None).unwrap(),
    ];
    eval(&views.iter().collect::<Vec<_>>()).unwrap();
    // Stream workers may still release buffers of earlier graphs after `before` was read,
    // so active memory can fall: only growth counts.
    let grown = mx::get_active_memory().saturating_sub(before);
    assert!(grown < 64 * 1024, "views copied data: {grown} bytes");
}

fn graphs_free_as_they_run() {
    mx::clear_cache();
    let base = mx::get_active_memory();
    let a = mx::ones(&[4 * MB], Dtype::Float32)
        .unwrap()
        .contiguous()
        .unwrap();
    let mut x = a;
    for _ in 0..10 {
        x = mx::exp(&x).unwrap();
    }
    eval(&[&x]).unwrap();
    // Buffers of earlier graphs may still be released by stream workers after `base` was
    // read, so active memory can fall below it: only growth counts.
    let held = mx::get_active_memory().saturating_sub(base);
    assert!(
        held <= 16 * MB + 64 * 1024,
        "intermediates were kept: {held} bytes"
    );
    drop(x);
    assert!(mx::get_active_memory().saturating_sub(base) < 64 * 1024);
}

fn cache_and_peak() {
    mx::clear_cache();
    assert_eq!(mx::get_cache_memory(), 0);
    mx::reset_peak_memory();
    let a = mx::ones(&[MB], Dtype::Float32)
        .unwrap()
        .contiguous()
        .unwrap();
    eval(&[&a]).unwrap();
    assert!(mx::get_peak_memory() >= 4 * MB);
    drop(a);
    assert!(
        mx::get_cache_memory() >= 4 * MB,
        "freed buffers go to the cache"
    );
    let b = mx::ones(&[MB], Dtype::Float32)
        .unwrap()
        .contiguous()
        .unwrap();
    eval(&[&b]).unwrap();
    assert!(
        mx::get_cache_memory() < 4 * MB,
        "the cached buffer was reused"
    );
    drop(b);
    let previous = mx::set_cache_limit(0);
    assert_eq!(mx::get_cache_memory(), 0);
    mx::set_cache_limit(previous);
    mx::clear_cache();
    assert_eq!(mx::get_cache_memory(), 0);
}

fn out_of_memory_is_an_error_from_eval() {
    let small = mx::arange(0, 10, 1, None).unwrap();
    let kept = &small + 1;
    eval(&[&kept]).unwrap();
    let previous = mx::set_memory_limit(mx::get_active_memory() + MB);
    let big = mx::ones(&[64 * MB], Dtype::Float32)
        .unwrap()
        .contiguous()
        .unwrap();
    let err = eval(&[&big]).unwrap_err();
    assert!(matches!(err, Error::OutOfMemory(_)), "{err}");
    assert!(err.to_string().contains("[malloc]"));
    let dependent = mx::add(&big, 1.0).unwrap();
    assert!(dependent.eval().is_err(), "errors propagate to dependents");
    mx::set_memory_limit(previous);
    assert_eq!(
        kept.to_vec::<i32>().unwrap()[9],
        10,
        "other arrays stay usable"
    );
    let fresh = &small * 2;
    assert_eq!(fresh.to_vec::<i32>().unwrap()[9], 18);
}

#[test]
fn memory_api() {
    views_share_buffers();
    graphs_free_as_they_run();
    cache_and_peak();
    out_of_memory_is_an_error_from_eval();
}
