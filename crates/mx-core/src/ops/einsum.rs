//! `einsum`: NumPy's subscript notation, lowered to diagonals, sums, broadcasts and matmuls.
//!
//! Operands are contracted in the order MLX's path search picks (see `einsum_path`). Two
//! operands that share a summed index go through `matmul` (so integer contractions fail,
//! as in MLX); pairs with nothing to sum multiply.

use crate::error::{shape_str, Error, Result};
use crate::Array;
use std::collections::HashMap;

/// One operand's labels; ellipsis dimensions get private labels above `ELLIPSIS_BASE`.
type Labels = Vec<char>;

/// Labels standing for the dimensions an ellipsis covers, right-aligned across operands.
const ELLIPSIS_BASE: u32 = 0x1000;

fn ellipsis_label(from_right: usize) -> char {
    char::from_u32(ELLIPSIS_BASE + from_right as u32).unwrap_or('?')
}

/// Parses one operand's subscript against its number of dimensions.
fn parse_term(term: &str, ndim: Option<usize>, index: usize) -> Result<Labels> {
    let parts: Vec<&str> = term.split("...").collect();
    if parts.len() > 2 {
        return Err(Error::InvalidArgument(format!(
            "[einsum] Only one ellipsis per subscript is allowed but found more in '{term}'."
        )));
    }
    for c in parts.iter().flat_map(|p| p.chars()) {
        if !c.is_ascii_alphabetic() {
            return Err(Error::InvalidArgument(format!(
                "[einsum] Subscripts must be letters, but got '{c}'."
            )));
        }
    }
    let named: usize = parts.iter().map(|p| p.chars().count()).sum();
    let ellipsis_dims = match (parts.len(), ndim) {
        (2, Some(n)) if n < named => {
            return Err(Error::Shape(format!(
                "[einsum] Operand {index} has insufficient dimensions for subscript '{term}'. \
                 The ellipsis requires at least {named} dimensions but the operand has {n} dimensions."
            )))
        }
        (2, Some(n)) => n - named,
        (_, Some(n)) if n != named => {
            return Err(Error::Shape(format!(
                "[einsum] Invalid number of subscripts {named} for input {index} with {n} dimensions."
            )))
        }
        _ => 0,
    };
    let mut labels: Labels = parts[0].chars().collect();
    if parts.len() == 2 {
        labels.extend((0..ellipsis_dims).rev().map(ellipsis_label));
        labels.extend(parts[1].chars());
    }
    Ok(labels)
}

/// Takes the diagonal of repeated labels and sums the labels `keep` does not want.
fn reduce_operand(
    mut x: Array,
    mut labels: Labels,
    keep: &dyn Fn(char) -> bool,
) -> Result<(Array, Labels)> {
    while let Some((first, second)) = repeated_pair(&labels) {
        x = super::diagonal(&x, 0, first as isize, second as isize)?;
        let label = labels[first];
        labels.remove(second);
        labels.remove(first);
        labels.push(label);
    }
    let summed: Vec<isize> = (0..labels.len())
        .filter(|&d| !keep(labels[d]))
        .map(|d| d as isize)
        .collect();
    if !summed.is_empty() {
        x = super::sum(&x, Some(&summed), false)?;
        labels.retain(|&c| keep(c));
    }
    Ok((x, labels))
}

fn repeated_pair(labels: &[char]) -> Option<(usize, usize)> {
    (0..labels.len()).find_map(|i| {
        (i + 1..labels.len())
            .find(|&j| labels[j] == labels[i])
            .map(|j| (i, j))
    })
}

/// Permutes `x` so that its labels read `order`.
fn arrange(x: &Array, labels: &[char], order: &[char]) -> Result<Array> {
    let perm: Vec<isize> = order
        .iter()
        .map(|c| labels.iter().position(|l| l == c).unwrap_or(0) as isize)
        .collect();
    x.transpose(Some(&perm))
}

/// Multiplies two operands and sums the labels in `summed`; the result's labels follow.
fn contract(
    (a, la): (Array, Labels),
    (b, lb): (Array, Labels),
    summed: &[char],
    sizes: &HashMap<char, usize>,
) -> Result<(Array, Labels)> {
    let batch: Labels = la
        .iter()
        .filter(|c| lb.contains(c) && !summed.contains(c))
        .copied()
        .collect();
    let free_a: Labels = la.iter().filter(|c| !lb.contains(c)).copied().collect();
    let free_b: Labels = lb.iter().filter(|c| !la.contains(c)).copied().collect();
    let out_labels: Labels = batch
        .iter()
        .chain(&free_a)
        .chain(&free_b)
        .copied()
        .collect();
    let size = |labels: &[char]| labels.iter().map(|c| sizes[c]).product::<usize>() as isize;
    if summed.is_empty() {
        let a = arrange(
            &a,
            &la,
            &batch.iter().chain(&free_a).copied().collect::<Vec<_>>(),
        )?;
        let b = arrange(
            &b,
            &lb,
            &batch.iter().chain(&free_b).copied().collect::<Vec<_>>(),
        )?;
        let a_shape: Vec<isize> = batch
            .iter()
            .chain(&free_a)
            .map(|c| sizes[c] as isize)
            .chain(free_b.iter().map(|_| 1))
            .collect();
        let b_shape: Vec<isize> = batch
            .iter()
            .map(|c| sizes[c] as isize)
            .chain(free_a.iter().map(|_| 1))
            .chain(free_b.iter().map(|c| sizes[c] as isize))
            .collect();
        return Ok((
            super::multiply(&a.reshape(&a_shape)?, &b.reshape(&b_shape)?)?,
            out_labels,
        ));
    }
    let order_a: Labels = batch.iter().chain(&free_a).chain(summed).copied().collect();
    let order_b: Labels = batch.iter().chain(summed).chain(&free_b).copied().collect();
    let a = arrange(&a, &la, &order_a)?.reshape(&[size(&batch), size(&free_a), size(summed)])?;
    let b = arrange(&b, &lb, &order_b)?.reshape(&[size(&batch), size(summed), size(&free_b)])?;
    let shape: Vec<isize> = out_labels.iter().map(|c| sizes[c] as isize).collect();
    Ok((super::matmul(&a, &b)?.reshape(&shape)?, out_labels))
}

/// Folds `group` left to right into one operand, summing every label that neither the
/// rest of the group, the `others` nor the output still needs.
fn contract_group(
    mut group: Vec<(Array, Labels)>,
    others: &[(Array, Labels)],
    output: &[char],
    sizes: &HashMap<char, usize>,
) -> Result<(Array, Labels)> {
    let needed = |rest: &[(Array, Labels)], c: char| {
        output.contains(&c)
            || others.iter().any(|(_, ls)| ls.contains(&c))
            || rest.iter().any(|(_, ls)| ls.contains(&c))
    };
    let (first, first_labels) = group.remove(0);
    let mut acc = reduce_operand(first, first_labels, &|c| needed(&group, c))?;
    while !group.is_empty() {
        let (next, next_labels) = group.remove(0);
        let keep_next = |c: char| acc.1.contains(&c) || needed(&group, c);
        let next = reduce_operand(next, next_labels, &keep_next)?;
        let summed: Labels = acc
            .1
            .iter()
            .filter(|c| next.1.contains(c) && !needed(&group, **c))
            .copied()
            .collect();
        acc = contract(acc, next, &summed, sizes)?;
    }
    Ok(acc)
}

/// Labels of each operand and of the output, and the size of every label.
pub(crate) struct Parsed {
    /// One label per dimension of each operand.
    pub(crate) labels: Vec<Labels>,
    /// The output's labels, in order.
    pub(crate) output: Labels,
    /// The size of each label after broadcasting size-1 dimensions.
    pub(crate) sizes: HashMap<char, usize>,
}

/// Parses `subscripts` against operands of `shapes`; `op` names the caller in errors.
pub(crate) fn parse(subscripts: &str, shapes: &[&[usize]], op: &str) -> Result<Parsed> {
    if shapes.is_empty() {
        return Err(Error::InvalidArgument(format!(
            "[{op}] At least one operand is required."
        )));
    }
    let spec: String = subscripts.chars().filter(|c| !c.is_whitespace()).collect();
    let (inputs, output) = match spec.split_once("->") {
        Some((i, o)) => (i.to_string(), Some(o.to_string())),
        None => (spec.clone(), None),
    };
    let terms: Vec<&str> = inputs.split(',').collect();
    if terms.len() != shapes.len() {
        return Err(Error::InvalidArgument(format!(
            "[{op}] Number of operands, {}, does not match number of input subscripts, {}",
            shapes.len(),
            terms.len()
        )));
    }
    let labels: Vec<Labels> = terms
        .iter()
        .zip(shapes)
        .enumerate()
        .map(|(i, (t, x))| parse_term(t, Some(x.len()), i))
        .collect::<Result<_>>()?;
    let mut sizes: HashMap<char, usize> = HashMap::new();
    for (i, (ls, x)) in labels.iter().zip(shapes).enumerate() {
        for (d, c) in ls.iter().enumerate() {
            let n = x[d];
            let entry = sizes.entry(*c).or_insert(n);
            if *entry == 1 {
                *entry = n;
            } else if n != 1 && n != *entry {
                return Err(Error::Shape(if ls[..d].contains(c) {
                    format!("[{op}] Dimensions of repeated subscripts do not have the same size ({} != {n}).", *entry)
                } else {
                    format!("[{op}] Cannot broadcast dimension {d} of input {i} with shape {} to size {}.", shape_str(x), *entry)
                }));
            }
        }
    }
    let ellipsis_out: Labels = {
        let mut e: Labels = sizes
            .keys()
            .filter(|c| (**c as u32) >= ELLIPSIS_BASE)
            .copied()
            .collect();
        e.sort_by(|a, b| b.cmp(a));
        e
    };
    let output: Labels = match output {
        Some(o) => {
            let mut out = parse_term(&o, None, 0)?;
            if let Some(pos) = o.find("...") {
                let before = o[..pos].chars().count();
                out.splice(before..before, ellipsis_out.iter().copied());
            }
            if repeated_pair(&out).is_some() {
                return Err(Error::InvalidArgument(format!(
                    "[{op}] Repeat indices not allowed in output."
                )));
            }
            if let Some(c) = out.iter().find(|c| !sizes.contains_key(c)) {
                return Err(Error::InvalidArgument(format!(
                    "[{op}] Output subscript '{c}' does not appear in any input."
                )));
            }
            out
        }
        None => {
            let mut once: Labels = sizes
                .keys()
                .filter(|c| (**c as u32) < ELLIPSIS_BASE)
                .filter(|c| labels.iter().flatten().filter(|l| l == c).count() == 1)
                .copied()
                .collect();
            once.sort_unstable();
            ellipsis_out.iter().copied().chain(once).collect()
        }
    };
    Ok(Parsed {
        labels,
        output,
        sizes,
    })
}

/// Einstein summation over `operands` as described by `subscripts` (NumPy's notation,
/// with `...` and implicit output).
///
/// ```
/// # use mx_core::{array, einsum};
/// let a = array![[1.0, 2.0], [3.0, 4.0]];
/// assert_eq!(einsum("ii", &[&a]).unwrap().item::<f32>().unwrap(), 5.0);
/// ```
pub fn einsum(subscripts: &str, operands: &[&Array]) -> Result<Array> {
    let shapes: Vec<&[usize]> = operands.iter().map(|x| x.shape()).collect();
    let Parsed {
        labels,
        output,
        sizes,
    } = parse(subscripts, &shapes, "einsum")?;
    // Broadcast size-1 dimensions up front so that every later step sees one size per label.
    let mut pending: Vec<(Array, Labels)> = Vec::with_capacity(operands.len());
    for (x, ls) in operands.iter().zip(&labels) {
        let full: Vec<usize> = ls.iter().map(|c| sizes[c]).collect();
        pending.push(((*x).broadcast_to(&full)?, ls.clone()));
    }
    let label_sets: Vec<Labels> = pending.iter().map(|(_, ls)| ls.clone()).collect();
    for step in super::einsum_path::contraction_path(&label_sets, &output, &sizes).steps {
        let mut group: Vec<(Array, Labels)> = Vec::with_capacity(step.len());
        let mut positions = step.clone();
        positions.sort_unstable_by(|a, b| b.cmp(a));
        let mut taken: Vec<(usize, (Array, Labels))> =
            positions.iter().map(|&p| (p, pending.remove(p))).collect();
        for p in &step {
            if let Some(i) = taken.iter().position(|(q, _)| q == p) {
                group.push(taken.remove(i).1);
            }
        }
        let result = contract_group(group, &pending, &output, &sizes)?;
        pending.push(result);
    }
    let acc = pending.remove(0);
    let (x, ls) = reduce_operand(acc.0, acc.1, &|c| output.contains(&c))?;
    arrange(&x, &ls, &output)
}
