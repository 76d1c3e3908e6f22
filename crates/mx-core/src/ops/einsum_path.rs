//! The contraction order of `einsum`, chosen as MLX chooses it: one step for up to two
//! operands, NumPy's greedy search for more, with NumPy's flop counts.

use super::einsum::parse;
use crate::error::Result;
use crate::Array;
use std::collections::{BTreeSet, HashMap};

/// A contraction order and its costs.
pub(crate) struct Path {
    /// Positions in the current operand list contracted at each step; a step's result is
    /// appended to the end of the list.
    pub(crate) steps: Vec<Vec<usize>>,
    naive_cost: usize,
    optimized_cost: usize,
    naive_scaling: usize,
    optimized_scaling: usize,
}

type LabelSet = BTreeSet<char>;

fn size_of(labels: &LabelSet, sizes: &HashMap<char, usize>) -> usize {
    labels.iter().map(|c| sizes[c]).product()
}

/// NumPy's `_flop_count`: the product of all sizes times the terms less one (at least one),
/// plus one more pass when something is summed.
fn flop_count(labels: &LabelSet, inner: bool, terms: usize, sizes: &HashMap<char, usize>) -> usize {
    let factor = terms.saturating_sub(1).max(1) + usize::from(inner);
    size_of(labels, sizes) * factor
}

/// The order in which `einsum` contracts operands with these labels.
pub(crate) fn contraction_path(
    labels: &[Vec<char>],
    output: &[char],
    sizes: &HashMap<char, usize>,
) -> Path {
    let mut sets: Vec<LabelSet> = labels.iter().map(|l| l.iter().copied().collect()).collect();
    let output: LabelSet = output.iter().copied().collect();
    let all: LabelSet = sets.iter().flatten().copied().collect();
    let naive_cost = flop_count(
        &all,
        all.difference(&output).next().is_some(),
        sets.len(),
        sizes,
    );
    let mut path = Path {
        steps: Vec::new(),
        naive_cost,
        optimized_cost: naive_cost,
        naive_scaling: all.len(),
        optimized_scaling: all.len(),
    };
    if sets.len() <= 2 {
        path.steps.push((0..sets.len()).collect());
        return path;
    }
    let memory_limit = sets
        .iter()
        .chain([&output])
        .map(|s| size_of(s, sizes))
        .max()
        .unwrap_or(0);
    let mut cost_so_far = 0;
    let mut scaling = 0;
    while sets.len() > 1 {
        // (removed size, cost, i, j, result labels, contracted labels)
        let candidates = |outer: bool| {
            let mut found: Vec<(isize, usize, usize, usize, LabelSet, LabelSet)> = Vec::new();
            for i in 0..sets.len() {
                for j in i + 1..sets.len() {
                    if !outer && sets[i].is_disjoint(&sets[j]) {
                        continue;
                    }
                    let contracted: LabelSet = sets[i].union(&sets[j]).copied().collect();
                    let remaining: LabelSet = sets
                        .iter()
                        .enumerate()
                        .filter(|&(k, _)| k != i && k != j)
                        .flat_map(|(_, s)| s.iter().copied())
                        .chain(output.iter().copied())
                        .collect();
                    let result: LabelSet = contracted.intersection(&remaining).copied().collect();
                    let new_size = size_of(&result, sizes);
                    if new_size > memory_limit {
                        continue;
                    }
                    let removed = (size_of(&sets[i], sizes) + size_of(&sets[j], sizes)) as isize
                        - new_size as isize;
                    let cost = flop_count(&contracted, contracted.len() > result.len(), 2, sizes);
                    if cost_so_far + cost > naive_cost {
                        continue;
                    }
                    found.push((removed, cost, i, j, result, contracted));
                }
            }
            found
        };
        let mut found = candidates(false);
        if found.is_empty() {
            found = candidates(true);
        }
        // The largest removal, then the lowest cost, then the first pair.
        let best = found.into_iter().reduce(|best, c| {
            if (-c.0, c.1) < (-best.0, best.1) {
                c
            } else {
                best
            }
        });
        let Some((_, cost, i, j, result, contracted)) = best else {
            let rest: LabelSet = sets.iter().flatten().copied().collect();
            cost_so_far += flop_count(
                &rest,
                rest.difference(&output).next().is_some(),
                sets.len(),
                sizes,
            );
            scaling = scaling.max(rest.len());
            path.steps.push((0..sets.len()).collect());
            break;
        };
        cost_so_far += cost;
        scaling = scaling.max(contracted.len());
        path.steps.push(vec![i, j]);
        sets.remove(j);
        sets.remove(i);
        sets.push(result);
    }
    path.optimized_cost = cost_so_far;
    path.optimized_scaling = scaling;
    path
}

/// The contraction order `einsum` uses for these operands (positions into the operand list,
/// each step's result appended at the end) and NumPy's summary of its cost.
///
/// ```
/// # use mx_core::{einsum_path, ones, Dtype};
/// let a = ones(&[2, 3], Dtype::Float32).unwrap();
/// let b = ones(&[3, 4], Dtype::Float32).unwrap();
/// let c = ones(&[4, 2], Dtype::Float32).unwrap();
/// let (path, _) = einsum_path("ij,jk,kl->il", &[&a, &b, &c]).unwrap();
/// assert_eq!(path, vec![vec![1, 2], vec![0, 1]]);
/// ```
pub fn einsum_path(subscripts: &str, operands: &[&Array]) -> Result<(Vec<Vec<usize>>, String)> {
    let shapes: Vec<&[usize]> = operands.iter().map(|x| x.shape()).collect();
    let parsed = parse(subscripts, &shapes, "einsum_path")?;
    let path = contraction_path(&parsed.labels, &parsed.output, &parsed.sizes);
    let info = format!(
        "  Complete contraction:  {subscripts}\n         Naive scaling:  {}\n     Optimized scaling:  {}\n      Naive FLOP count:  {}\n  Optimized FLOP count:  {}\n",
        path.naive_scaling, path.optimized_scaling, path.naive_cost, path.optimized_cost
    );
    Ok((path.steps, info))
}
