//! The window functions and `hadamard_transform` checked against golden data from MLX
//! 0.32.4 (`scripts/golden/gen_signal.py`): values, dtypes, shapes and error messages.

mod common;

use common::{array, check_error_messages, check_family, Case, Tolerance};
use mx::{Array, Result};

fn run(case: &Case) -> Result<Vec<Array>> {
    let m = case.kw("m").as_i64().unwrap_or(0) as isize;
    let out = match case.op.as_str() {
        "hanning" => mx::hanning(m)?,
        "hamming" => mx::hamming(m)?,
        "blackman" => mx::blackman(m)?,
        "bartlett" => mx::bartlett(m)?,
        "hadamard_transform" => {
            let scale = case.kw("scale").as_f64().map(|s| s as f32);
            mx::hadamard_transform(&array(&case.args[0]), scale)?
        }
        other => panic!("{}: unknown op {other}", case.name),
    };
    Ok(vec![out])
}

/// The windows use sin and cos, whose last bit may differ from MLX's; the Hadamard
/// transform follows MLX's order of operations and is compared bit for bit.
fn tolerance(case: &Case) -> Tolerance {
    if case.op == "hadamard_transform" {
        Tolerance::Exact
    } else {
        Tolerance::Approx
    }
}

#[test]
fn signal_ops_match_mlx() {
    check_family("ops/signal.json", &|_| None, &tolerance, &run);
}

#[test]
fn signal_op_errors_read_as_mlx() {
    check_error_messages("ops/signal.json", &|_| None, &run);
}
