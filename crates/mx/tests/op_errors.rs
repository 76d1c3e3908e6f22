//! Bad input to the op library gives a clear `Err` whose message names the op and the
//! problem (the golden tests only check that MLX's error cases fail; these check our words).

use mx::{array, random, Array, Dtype, PadMode, ScanOptions, SplitAt, TensordotAxes};

fn message<T: std::fmt::Debug>(result: mx::Result<T>) -> String {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

fn assert_mentions(msg: &str, parts: &[&str]) {
    for part in parts {
        assert!(msg.contains(part), "{msg:?} does not mention {part:?}");
    }
}

fn matrix(rows: usize, cols: usize) -> Array {
    mx::ones(&[rows, cols], Dtype::Float32).unwrap()
}

#[test]
fn matmul_family_errors() {
    let msg = message(mx::matmul(&matrix(2, 3), &matrix(4, 2)));
    assert_mentions(&msg, &["[matmul]", "(2,3)", "(4,2)"]);
    let ints = array![[1, 2], [3, 4]];
    assert_mentions(&message(mx::matmul(&ints, &ints)), &["[matmul]", "int32"]);
    let msg = message(mx::tensordot(
        &matrix(2, 3),
        &matrix(2, 3),
        TensordotAxes::Count(3),
    ));
    assert_mentions(&msg, &["[tensordot]", "3"]);
    assert_mentions(
        &message(mx::einsum("ij,jk->ik", &[&matrix(2, 3)])),
        &["[einsum]", "1", "2"],
    );
    assert_mentions(
        &message(mx::einsum("i1->", &[&matrix(2, 3)])),
        &["[einsum]", "'1'"],
    );
    let mask = mx::ones(&[1, 1], Dtype::Bool).unwrap();
    let msg = message(mx::block_masked_mm(
        &matrix(2, 3),
        &matrix(3, 2),
        16,
        Some(&mask),
        None,
        None,
    ));
    assert_mentions(&msg, &["[block_masked_mm]", "16"]);
}

#[test]
fn shape_op_errors() {
    let msg = message(mx::concatenate(&[&matrix(2, 3), &matrix(2, 4)], Some(0)));
    assert_mentions(&msg, &["[concatenate]", "(2,3)", "(2,4)"]);
    assert_mentions(
        &message(mx::stack(&[&matrix(2, 3), &matrix(3, 2)], 0)),
        &["[stack]", "same shape"],
    );
    let msg = message(mx::split(&matrix(6, 1), SplitAt::Sections(4), 0));
    assert_mentions(&msg, &["split", "equal size"]);
    let msg = message(mx::pad(&matrix(2, 2), &[(-1, 0)], PadMode::Constant, 0));
    assert_mentions(&msg, &["padding", "-1", "axis 0"]);
    assert_mentions(
        &message(mx::unflatten(&matrix(6, 1), 0, &[4, 2])),
        &["nflatten", "6", "(4,2)"],
    );
    assert_mentions(
        &message(mx::diagonal(&matrix(2, 2), 0, 1, -1)),
        &["[diagonal]", "same axis"],
    );
    let msg = message(mx::as_strided(&matrix(2, 2), Some(&[3]), Some(&[2]), 0));
    assert_mentions(&msg, &["[as_strided]", "4 elements"]);
    assert_mentions(
        &message(mx::kron(&matrix(0, 2), &matrix(2, 2))),
        &["[kron]", "empty"],
    );
}

#[test]
fn scan_and_sort_errors() {
    let x = matrix(2, 3);
    let msg = message(mx::cumsum(&x, Some(2), ScanOptions::default(), None));
    assert_mentions(&msg, &["[cumsum]", "Axis 2", "2 dimensions"]);
    assert_mentions(&message(mx::sort(&x, Some(-3))), &["[sort]", "-3"]);
    assert_mentions(
        &message(mx::partition(&x, 3, Some(-1))),
        &["[partition]", "kth 3", "(2,3)"],
    );
    assert_mentions(
        &message(mx::topk(&x, 4, Some(-1))),
        &["[topk]", "k=4", "(2,3)"],
    );
    let empty = matrix(0, 3);
    assert_mentions(
        &message(mx::median(&empty, Some(&[0]), false)),
        &["[median]", "empty"],
    );
}

#[test]
fn indexing_errors() {
    let x = matrix(3, 4);
    let float_index = array![0.5];
    assert_mentions(
        &message(mx::take(&x, &float_index, Some(0))),
        &["[take]", "integral"],
    );
    assert_mentions(
        &message(x.index(&mx::idx![0, 0, 0])),
        &["Too many indices", "2 dimensions"],
    );
    let msg = message(x.index(&mx::idx![.., .., ..]));
    assert_mentions(&msg, &["single ellipsis"]);
    let start = array![0, 1];
    assert_mentions(
        &message(mx::slice_dynamic(&x, &start, &[0], &[1, 4])),
        &["[slice]", "one entry per axis"],
    );
}

#[test]
fn random_errors() {
    let bad_key = array![1.0, 2.0];
    let msg = message(random::uniform(
        0.0,
        1.0,
        &[2],
        Dtype::Float32,
        Some(&bad_key),
    ));
    assert_mentions(&msg, &["key"]);
    let msg = message(random::uniform(0.0, 1.0, &[2], Dtype::Int32, None));
    assert_mentions(&msg, &["[uniform]", "floating point"]);
    assert_mentions(&message(random::bits(&[2], 3, None)), &["bits"]);
    let low = array![0.0, 0.0, 0.0];
    let high = array![1.0];
    assert_mentions(
        &message(random::uniform_array(
            &low,
            &high,
            &[2],
            Dtype::Float32,
            None,
        )),
        &["broadcast", "(2)", "(3)"],
    );
}
