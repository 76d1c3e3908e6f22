//! The convolutions checked against golden data from MLX 0.32.4
//! (`scripts/golden/gen_conv.py`): values, dtypes, shapes and error messages.

mod common;

use common::{array, check_error_messages, check_family, Case, Tolerance};
use mx::{Array, ConvGeneral, ConvolveMode, Result};
use serde_json::Value;

fn list<T: TryFrom<i64> + Clone>(value: &Value, d: usize) -> Vec<T> {
    let as_t = |v: &Value| T::try_from(v.as_i64().unwrap_or(0)).ok().expect("fits");
    match value {
        Value::Array(items) => items.iter().map(as_t).collect(),
        single => vec![as_t(single); d],
    }
}

fn run(case: &Case) -> Result<Vec<Array>> {
    let (x, w) = (array(&case.args[0]), array(&case.args[1]));
    let d = x.ndim().saturating_sub(2).max(1);
    let usizes = |key: &str| list::<usize>(case.kw(key), d);
    let isizes = |key: &str| list::<isize>(case.kw(key), d);
    let groups = case.kw("groups").as_u64().unwrap_or(1) as usize;
    let out = match case.op.as_str() {
        "conv1d" => mx::conv1d(
            &x,
            &w,
            usizes("stride")[0],
            isizes("padding")[0],
            usizes("dilation")[0],
            groups,
        )?,
        "conv2d" => {
            let (s, p, dl) = (usizes("stride"), isizes("padding"), usizes("dilation"));
            mx::conv2d(&x, &w, [s[0], s[1]], [p[0], p[1]], [dl[0], dl[1]], groups)?
        }
        "conv3d" => {
            let (s, p, dl) = (usizes("stride"), isizes("padding"), usizes("dilation"));
            mx::conv3d(
                &x,
                &w,
                [s[0], s[1], s[2]],
                [p[0], p[1], p[2]],
                [dl[0], dl[1], dl[2]],
                groups,
            )?
        }
        "conv_transpose1d" => mx::conv_transpose1d(
            &x,
            &w,
            usizes("stride")[0],
            isizes("padding")[0],
            usizes("dilation")[0],
            isizes("output_padding")[0],
            groups,
        )?,
        "conv_transpose2d" => {
            let (s, p, dl, o) = (
                usizes("stride"),
                isizes("padding"),
                usizes("dilation"),
                isizes("output_padding"),
            );
            mx::conv_transpose2d(
                &x,
                &w,
                [s[0], s[1]],
                [p[0], p[1]],
                [dl[0], dl[1]],
                [o[0], o[1]],
                groups,
            )?
        }
        "conv_transpose3d" => {
            let (s, p, dl, o) = (
                usizes("stride"),
                isizes("padding"),
                usizes("dilation"),
                isizes("output_padding"),
            );
            mx::conv_transpose3d(
                &x,
                &w,
                [s[0], s[1], s[2]],
                [p[0], p[1], p[2]],
                [dl[0], dl[1], dl[2]],
                [o[0], o[1], o[2]],
                groups,
            )?
        }
        "conv_general" => mx::conv_general(
            &x,
            &w,
            &ConvGeneral {
                stride: usizes("stride"),
                padding_lo: isizes("lo"),
                padding_hi: isizes("hi"),
                kernel_dilation: usizes("kernel_dilation"),
                input_dilation: usizes("input_dilation"),
                groups,
                flip: case.kw("flip").as_bool().unwrap_or(false),
            },
        )?,
        "convolve" => {
            let mode = match case.kw("mode").as_str() {
                Some("valid") => ConvolveMode::Valid,
                Some("same") => ConvolveMode::Same,
                _ => ConvolveMode::Full,
            };
            mx::convolve(&x, &w, mode)?
        }
        other => panic!("{}: unknown op {other}", case.name),
    };
    Ok(vec![out])
}

/// Cases where mx deliberately differs from MLX; each is listed in docs/api.md.
fn deviations(case: &Case) -> Option<&'static str> {
    match case.name.as_str() {
        "conv2d_float64" => Some(
            "MLX's CPU has no float64 kernel beyond 1-d and fails at evaluation; mx computes it",
        ),
        "conv1d_overrun" => Some(
            "a window that overruns the input by less than a stride: MLX reads past the end of \
             the input; mx reads zeros there",
        ),
        _ => None,
    }
}

#[test]
fn convolutions_match_mlx() {
    check_family("ops/conv.json", &deviations, &|_| Tolerance::Approx, &run);
}

#[test]
fn convolution_errors_read_as_mlx() {
    check_error_messages("ops/conv.json", &deviations, &run);
}
