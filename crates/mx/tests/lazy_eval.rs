//! Laziness, evaluation order, streams and graph lifetime.

use mx::{array, async_eval, eval, new_stream, with_stream, Array, Device, Dtype, Error};

#[test]
fn ops_are_lazy_until_eval() {
    let a = array![1.0, 2.0, 3.0];
    let b = mx::exp(&a).unwrap();
    assert!(!b.is_evaluated());
    eval(&[&b]).unwrap();
    assert!(b.is_evaluated());
}

#[test]
fn eval_shares_common_work() {
    let a = array![1.0, 2.0];
    let shared = mx::exp(&a).unwrap();
    let d = &shared + 1.0;
    let e = &shared * 2.0;
    eval(&[&d, &e]).unwrap();
    assert!(
        shared.is_evaluated(),
        "the shared node ran once and kept its data"
    );
    let s = shared.to_vec::<f32>().unwrap();
    assert_eq!(d.to_vec::<f32>().unwrap(), vec![s[0] + 1.0, s[1] + 1.0]);
    assert_eq!(e.to_vec::<f32>().unwrap(), vec![s[0] * 2.0, s[1] * 2.0]);
}

#[test]
fn async_eval_then_read_waits() {
    let x = mx::arange(0, 1 << 20, 1, Some(Dtype::Float32)).unwrap();
    let mut y = x.clone();
    for _ in 0..20 {
        y = mx::sin(&y).unwrap();
    }
    async_eval(&[&y]).unwrap();
    let values = y.to_vec::<f32>().unwrap();
    assert_eq!(values.len(), 1 << 20);
    let mut expected = 5.0f32;
    for _ in 0..20 {
        expected = expected.sin();
    }
    assert!((values[5] - expected).abs() < 1e-5);
}

#[test]
fn million_op_chain_evaluates_and_drops_without_overflow() {
    let one = Array::from_scalar(1i32).unwrap();
    let mut y = Array::from_scalar(0i32).unwrap();
    for _ in 0..1_000_000 {
        y = &y + &one;
    }
    assert_eq!(y.item::<i32>().unwrap(), 1_000_000);

    let mut z = Array::from_scalar(0i32).unwrap();
    for _ in 0..1_000_000 {
        z = &z + &one;
    }
    drop(z);
}

#[test]
fn two_cpu_streams_feed_each_other() {
    let s1 = new_stream(Device::Cpu).unwrap();
    let s2 = new_stream(Device::Cpu).unwrap();
    assert_ne!(s1, s2);
    let a = mx::arange(0, 1000, 1, Some(Dtype::Float32)).unwrap();
    let mut x = a.clone();
    for i in 0..50 {
        let stream = if i % 2 == 0 { s1 } else { s2 };
        x = with_stream(stream, || mx::add(&x, 1.0)).unwrap();
        x = with_stream(stream, || mx::multiply(&x, 0.5)).unwrap();
    }
    let got = x.to_vec::<f32>().unwrap();
    let mut want = a.to_vec::<f32>().unwrap();
    for _ in 0..50 {
        for v in &mut want {
            *v = (*v + 1.0) * 0.5;
        }
    }
    assert_eq!(got, want);
}

#[test]
fn streams_run_concurrently_on_one_graph() {
    let s1 = new_stream(Device::Cpu).unwrap();
    let s2 = new_stream(Device::Cpu).unwrap();
    let base = mx::ones(&[4096], Dtype::Float32).unwrap();
    let left = with_stream(s1, || mx::exp(&base)).unwrap();
    let right = with_stream(s2, || mx::log1p(&base)).unwrap();
    let joined = with_stream(s1, || mx::add(&left, &right)).unwrap();
    let v = joined.to_vec::<f32>().unwrap();
    assert!((v[0] - (1f32.exp() + 1f32.ln_1p())).abs() < 1e-6);
}

#[test]
fn gpu_streams_fail_clearly_without_a_gpu_backend() {
    if mx::gpu_is_available() {
        return;
    }
    let err = new_stream(Device::Gpu(0)).unwrap_err();
    assert!(matches!(err, Error::Device(_)));
    assert!(err.to_string().contains("[new_stream]"), "{err}");
    assert!(mx::set_default_device(Device::Gpu(0)).is_err());
    assert_eq!(mx::default_device(), Device::Cpu);
    assert!(mx::StreamScope::device(Device::Gpu(0)).is_err());
}

#[test]
fn stream_scopes_nest() {
    let outer = new_stream(Device::Cpu).unwrap();
    let inner = new_stream(Device::Cpu).unwrap();
    let value = with_stream(outer, || {
        let a = &array![1, 2] + 1;
        let b = with_stream(inner, || &a * 3);
        &b - 1
    });
    assert_eq!(value.to_vec::<i32>().unwrap(), vec![5, 8]);
}

#[test]
fn evaluation_from_several_threads_is_safe() {
    let a = mx::arange(0, 10_000, 1, None).unwrap();
    let mut b = a.clone();
    for _ in 0..100 {
        b = &b + 1;
    }
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let b = b.clone();
            std::thread::spawn(move || b.to_vec::<i32>().unwrap()[9_999])
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), 10_099);
    }
}

#[test]
fn views_are_lazy_and_correct_on_non_contiguous_data() {
    let a = mx::arange(0, 24, 1, None)
        .unwrap()
        .reshape(&[2, 3, 4])
        .unwrap();
    let t = a.transpose(Some(&[2, 0, 1])).unwrap();
    assert_eq!(t.shape(), &[4, 2, 3]);
    let s = t.slice(&[mx::Slice::new(None, None, -2)]).unwrap();
    assert_eq!(s.shape(), &[2, 2, 3]);
    let flat = s.reshape(&[-1]).unwrap();
    assert_eq!(
        flat.to_vec::<i32>().unwrap(),
        vec![3, 7, 11, 15, 19, 23, 1, 5, 9, 13, 17, 21]
    );
    let e = (&s + &s.swapaxes(0, 1).unwrap()).to_vec::<i32>().unwrap();
    assert_eq!(e[0], 6);
}

#[test]
fn printing_evaluates_and_matches_mlx() {
    let a = &array![[1, 2], [3, 4]] * 2;
    assert_eq!(
        format!("{a}"),
        "array([[2, 4],\n       [6, 8]], dtype=int32)"
    );
    let b = Array::from_scalar(2.5f32).unwrap();
    assert_eq!(format!("{b:?}"), "array(2.5, dtype=float32)");
}

#[test]
fn item_and_to_vec_errors() {
    let a = array![1, 2];
    assert!(a.item::<i32>().is_err());
    assert!(Array::from_slice(&[1.0f32, 2.0], &[3]).is_err());
}

#[test]
fn eval_while_the_stream_is_busy_or_idle_keeps_dependencies() {
    // An async chain keeps the stream's worker busy, so the dependent `eval` queues
    // behind it; the next `eval`, with the worker idle, runs on this thread.
    let x = mx::arange(0, 1 << 18, 1, Some(Dtype::Float32)).unwrap();
    let mut y = x.clone();
    for _ in 0..30 {
        y = mx::add(mx::multiply(&y, 0.5).unwrap(), 1.0).unwrap();
    }
    async_eval(&[&y]).unwrap();
    let z = mx::add(&y, 1.0).unwrap();
    eval(&[&z]).unwrap();
    let w = mx::multiply(&z, 2.0).unwrap();
    eval(&[&w]).unwrap();
    let mut expected = 7.0f32;
    for _ in 0..30 {
        expected = expected * 0.5 + 1.0;
    }
    assert!((w.to_vec::<f32>().unwrap()[7] - 2.0 * (expected + 1.0)).abs() < 1e-4);
}

#[test]
fn threads_evaluating_on_one_stream_share_it_safely() {
    let shared = mx::arange(0, 4096, 1, Some(Dtype::Float32)).unwrap();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let shared = shared.clone();
            scope.spawn(move || {
                for round in 0..20 {
                    let y =
                        mx::add(mx::multiply(&shared, t as f32).unwrap(), round as f32).unwrap();
                    let total = mx::sum(&y, None, false).unwrap().item::<f32>().unwrap();
                    let want = t as f32 * (4095.0 * 4096.0 / 2.0) + round as f32 * 4096.0;
                    assert!(
                        (total - want).abs() <= want.abs() * 1e-5 + 1e-3,
                        "{total} vs {want}"
                    );
                }
            });
        }
    });
}
