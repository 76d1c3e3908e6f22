//! Parity of reductions, arg-reductions, scans and softmax over strided inputs read in
//! place as lanes, including few long lanes split into parts.

use super::{all_dtypes, input, scan_tolerance, Domain, Harness, FLOATS, GENERAL};
use mx::{Array, Dtype};

/// Reductions, arg-reductions, scans and softmax whose reduced elements are strided and
/// whose lanes are many: the GPU reads them in place, one thread per lane.
pub(super) fn strided_lanes(h: &mut Harness) {
    for dtype in all_dtypes() {
        let columns = input(&[40, 70_000], dtype, GENERAL, 193);
        let products = input(&[40, 70_000], dtype, Domain(0.9, 1.1), 197);
        let broadcast = input(&[1, 2500], dtype, GENERAL, 199)
            .broadcast_to(&[40, 2500])
            .expect("broadcast");
        let middle = input(&[6, 2100, 5], dtype, GENERAL, 211);
        // Few long lanes, which are split into parts folded by a second launch.
        let tall = input(&[3000, 64], dtype, GENERAL, 227);
        let square = input(&[2048, 2100], dtype, GENERAL, 229);
        let leading = input(&[50, 40, 48], dtype, GENERAL, 233);
        let cases: [(&str, &Array, &[isize]); 8] = [
            ("tall columns", &tall, &[0]),
            ("square columns", &square, &[0]),
            ("leading axes", &leading, &[0, 1]),
            ("columns", &columns, &[0]),
            ("columns of products", &products, &[0]),
            ("broadcast columns", &broadcast, &[0]),
            ("outer axes", &middle, &[0, 2]),
            ("middle axis", &middle, &[1]),
        ];
        for (class, x, axes) in cases {
            h.check(&format!("sum {dtype} {class}"), None, &|| {
                mx::sum(x, Some(axes), false)
            });
            h.check(&format!("max {dtype} {class}"), None, &|| {
                mx::max(x, Some(axes), true)
            });
            h.check(&format!("all {dtype} {class}"), None, &|| {
                mx::all(x, Some(axes), false)
            });
        }
        h.check(&format!("prod {dtype} columns"), None, &|| {
            mx::prod(&products, Some(&[0]), false)
        });
        h.check(&format!("argmin {dtype} columns"), None, &|| {
            mx::argmin(&columns, Some(0), false)
        });
        h.check(&format!("argmax {dtype} middle axis"), None, &|| {
            mx::argmax(&middle, Some(1), true)
        });
        h.check(&format!("argmax {dtype} tall columns"), None, &|| {
            mx::argmax(&tall, Some(0), false)
        });
        h.check(&format!("argmin {dtype} square columns"), None, &|| {
            mx::argmin(&square, Some(0), true)
        });
        for (reverse, inclusive) in [(false, true), (true, false)] {
            let options = mx::ScanOptions { reverse, inclusive };
            h.check(
                &format!("cumsum {dtype} tall columns reverse {reverse} inclusive {inclusive}"),
                scan_tolerance(dtype),
                &|| mx::cumsum(&tall, Some(0), options, None),
            );
            h.check(
                &format!("cummin {dtype} tall columns reverse {reverse} inclusive {inclusive}"),
                None,
                &|| mx::cummin(&tall, Some(0), options),
            );
            h.check(
                &format!("cumsum {dtype} columns reverse {reverse} inclusive {inclusive}"),
                scan_tolerance(dtype),
                &|| mx::cumsum(&columns, Some(0), options, None),
            );
            h.check(
                &format!("cummax {dtype} middle axis reverse {reverse}"),
                None,
                &|| mx::cummax(&middle, Some(0), options),
            );
        }
        if dtype.is_floating() {
            h.check(
                &format!("logcumsumexp {dtype} columns"),
                scan_tolerance(dtype),
                &|| mx::logcumsumexp(&columns, Some(0), Default::default()),
            );
        }
    }
    for dtype in FLOATS {
        let rows = input(&[40, 3000], dtype, GENERAL, 223)
            .transpose(None)
            .expect("transpose");
        h.check(&format!("softmax {dtype} transposed rows"), None, &|| {
            mx::softmax(&rows, Some(&[-1]), false)
        });
        h.check(&format!("logsumexp {dtype} transposed rows"), None, &|| {
            mx::logsumexp(&rows, Some(&[-1]), false)
        });
        // Few long rows: split into parts.
        let long_rows = input(&[5000, 64], dtype, GENERAL, 239)
            .transpose(None)
            .expect("transpose");
        h.check(
            &format!("softmax {dtype} long transposed rows"),
            None,
            &|| mx::softmax(&long_rows, Some(&[-1]), true),
        );
        h.check(
            &format!("logsumexp {dtype} long transposed rows"),
            None,
            &|| mx::logsumexp(&long_rows, Some(&[-1]), true),
        );
        // Half-precision CPU scans round the running value at every step, so over 5000
        // steps they drift far from the GPU's float32 carry (NSE 7e-3 for float16 on the
        // H100): the split scan is checked in float32.
        if dtype == Dtype::Float32 {
            h.check(
                &format!("logcumsumexp {dtype} long transposed rows"),
                None,
                &|| mx::logcumsumexp(&long_rows, Some(-1), Default::default()),
            );
        }
    }
}
