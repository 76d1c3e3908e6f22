//! The Hadamard matrices of orders 12, 20 and 28 (Sloane's library, as MLX has them),
//! one string per row, `+` for 1 and `-` for -1. Orders `m * 2^k` are Kronecker products
//! of one of these with the natural-order (Sylvester) matrix of order `2^k`.

/// The order-12 matrix.
pub(crate) const H12: [&str; 12] = [
    "+-++++++++++",
    "--+-+-+-+-+-",
    "+++-++----++",
    "+---+--+-++-",
    "+++++-++----",
    "+-+---+--+-+",
    "++--+++-++--",
    "+--++---+--+",
    "++----+++-++",
    "+--+-++---+-",
    "++++----+++-",
    "+-+--+-++---",
];

/// The order-20 matrix.
pub(crate) const H20: [&str; 20] = [
    "+----+----++--++-++-",
    "-+----+---+++---+-++",
    "--+----+---+++-+-+-+",
    "---+----+---+++++-+-",
    "----+----++--++-++-+",
    "-+++++-----+--+++--+",
    "+-+++-+---+-+--+++--",
    "++-++--+---+-+--+++-",
    "+++-+---+---+-+--+++",
    "++++-----++--+-+--++",
    "--++-+-++-+-----++++",
    "---++-+-++-+---+-+++",
    "+---++-+-+--+--++-++",
    "++---++-+----+-+++-+",
    "-++---++-+----+++++-",
    "-+--+--++-+----+----",
    "+-+-----++-+----+---",
    "-+-+-+---+--+----+--",
    "--+-+++------+----+-",
    "+--+--++------+----+",
];

/// The order-28 matrix.
pub(crate) const H28: [&str; 28] = [
    "+------++----++-+--+-+--++--",
    "-+-----+++-----+-+--+-+--++-",
    "--+-----+++---+-+-+----+--++",
    "---+-----+++---+-+-+-+--+--+",
    "----+-----+++---+-+-+++--+--",
    "-----+-----++++--+-+--++--+-",
    "------++----++-+--+-+--++--+",
    "--++++-+-------++--+++-+--+-",
    "---++++-+-----+-++--+-+-+--+",
    "+---+++--+----++-++--+-+-+--",
    "++---++---+----++-++--+-+-+-",
    "+++---+----+----++-++--+-+-+",
    "++++--------+-+--++-++--+-+-",
    "-++++--------+++--++--+--+-+",
    "-+-++-++--++--+--------++++-",
    "+-+-++--+--++--+--------++++",
    "-+-+-++--+--++--+----+---+++",
    "+-+-+-++--+--+---+---++---++",
    "++-+-+-++--+------+--+++---+",
    "-++-+-+-++--+------+-++++---",
    "+-++-+---++--+------+-++++--",
    "-++--++-+-++-+++----++------",
    "+-++--++-+-++-+++-----+-----",
    "++-++---+-+-++-+++-----+----",
    "-++-++-+-+-+-+--+++-----+---",
    "--++-++++-+-+----+++-----+--",
    "+--++-+-++-+-+----+++-----+-",
    "++--++-+-++-+-+----++------+",
];

/// The rows of the order-`m` matrix, for `m` in 12, 20 and 28.
pub(crate) fn rows(m: usize) -> &'static [&'static str] {
    match m {
        12 => &H12,
        20 => &H20,
        _ => &H28,
    }
}

/// `(m, n)` with `size = m * n`, `n = 2^k` and `m` in 1, 12, 20, 28 (tried in that order),
/// or `None` where `size` has no such form.
pub(crate) fn decompose(size: usize) -> Option<(usize, usize)> {
    if size.is_power_of_two() {
        return Some((1, size));
    }
    [12, 20, 28]
        .into_iter()
        .find(|m| size.is_multiple_of(*m))
        .map(|m| (m, size / m))
        .filter(|&(_, n)| n.is_power_of_two())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each matrix is a Hadamard matrix: its rows are orthogonal.
    #[test]
    fn matrices_are_orthogonal() {
        for m in [12, 20, 28] {
            let signs: Vec<Vec<i32>> = rows(m)
                .iter()
                .map(|r| r.chars().map(|c| if c == '+' { 1 } else { -1 }).collect())
                .collect();
            for i in 0..m {
                for j in 0..m {
                    let dot: i32 = (0..m).map(|k| signs[i][k] * signs[j][k]).sum();
                    assert_eq!(dot, if i == j { m as i32 } else { 0 }, "order {m}");
                }
            }
        }
    }

    #[test]
    fn sizes_decompose_as_mlx_requires() {
        assert_eq!(decompose(64), Some((1, 64)));
        assert_eq!(decompose(12), Some((12, 1)));
        assert_eq!(decompose(28 * 32), Some((28, 32)));
        assert_eq!(decompose(36), None);
        assert_eq!(decompose(6), None);
    }
}
