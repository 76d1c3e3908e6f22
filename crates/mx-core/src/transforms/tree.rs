//! Pytrees: nested maps (string keys, in insertion order), lists and arrays, as
//! `mlx.utils` handles them. Transforms take and return trees; modules keep their
//! parameters in one.

use crate::error::{Error, Result};
use crate::Array;

/// A nested structure of arrays: what transforms take and return.
///
/// ```
/// use mx_core::{array, Tree};
/// let params = Tree::map([
///     ("w", Tree::from(array![[1.0, 2.0]])),
///     ("layers", Tree::list([Tree::from(array![3.0]), Tree::from(array![4.0])])),
/// ]);
/// let flat = mx_core::tree_flatten(&params);
/// let keys: Vec<&str> = flat.iter().map(|(k, _)| k.as_str()).collect();
/// assert_eq!(keys, ["w", "layers.0", "layers.1"]);
/// ```
#[derive(Clone)]
pub enum Tree {
    /// A leaf.
    Array(Array),
    /// A sequence, indexed by position.
    List(Vec<Tree>),
    /// Named children in insertion order.
    Map(Vec<(String, Tree)>),
}

impl From<Array> for Tree {
    fn from(a: Array) -> Tree {
        Tree::Array(a)
    }
}

impl From<&Array> for Tree {
    fn from(a: &Array) -> Tree {
        Tree::Array(a.clone())
    }
}

impl Tree {
    /// A list of trees.
    pub fn list(items: impl IntoIterator<Item = Tree>) -> Tree {
        Tree::List(items.into_iter().collect())
    }

    /// A map from names to trees, in the order given.
    pub fn map<K: Into<String>>(items: impl IntoIterator<Item = (K, Tree)>) -> Tree {
        Tree::Map(items.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The array of a leaf, or `None` for a list or map.
    pub fn as_array(&self) -> Option<&Array> {
        match self {
            Tree::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The child named `key` of a map, or `None`.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match self {
            Tree::Map(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The leaves in order (depth first, maps in insertion order).
    pub fn leaves(&self) -> Vec<&Array> {
        let mut out = Vec::new();
        self.visit("", &mut |_, a| out.push(a));
        out
    }

    /// Calls `f` with the path and array of every leaf, in order.
    fn visit<'a>(&'a self, path: &str, f: &mut dyn FnMut(&str, &'a Array)) {
        match self {
            Tree::Array(a) => f(path, a),
            Tree::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.visit(&join(path, &i.to_string()), f);
                }
            }
            Tree::Map(items) => {
                for (key, item) in items {
                    item.visit(&join(path, key), f);
                }
            }
        }
    }

    /// A tree of the same structure with the leaves taken in order from `leaves`.
    /// Fails if `leaves` holds fewer arrays than the tree has leaves.
    pub fn with_leaves(&self, leaves: &mut dyn Iterator<Item = Array>) -> Result<Tree> {
        Ok(match self {
            Tree::Array(_) => Tree::Array(leaves.next().ok_or_else(|| {
                Error::InvalidArgument("[tree] Too few leaves for the tree's structure.".into())
            })?),
            Tree::List(items) => Tree::List(
                items
                    .iter()
                    .map(|item| item.with_leaves(leaves))
                    .collect::<Result<_>>()?,
            ),
            Tree::Map(items) => Tree::Map(
                items
                    .iter()
                    .map(|(k, item)| Ok((k.clone(), item.with_leaves(leaves)?)))
                    .collect::<Result<_>>()?,
            ),
        })
    }
}

/// `prefix.key`, or `key` at the root.
fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// The leaves of `tree` with their dotted paths (`"layers.0.weight"`), as
/// `mlx.utils.tree_flatten` gives them. A bare array has the empty path.
pub fn tree_flatten(tree: &Tree) -> Vec<(String, Array)> {
    let mut out = Vec::new();
    tree.visit("", &mut |path, a| out.push((path.to_string(), a.clone())));
    out
}

/// The tree whose leaves sit at the given dotted paths, as `mlx.utils.tree_unflatten`
/// builds it: a path part that is a number makes a list (whose indices must run from 0
/// without gaps), any other a map.
///
/// ```
/// use mx_core::{array, tree_flatten, tree_unflatten};
/// let tree = tree_unflatten(vec![
///     ("a.0".to_string(), array![1.0]),
///     ("a.1".to_string(), array![2.0]),
///     ("b".to_string(), array![3.0]),
/// ])
/// .unwrap();
/// assert_eq!(tree_flatten(&tree).len(), 3);
/// ```
pub fn tree_unflatten(items: Vec<(String, Array)>) -> Result<Tree> {
    let items = match <[(String, Array); 1]>::try_from(items) {
        Ok([(path, array)]) if path.is_empty() => return Ok(Tree::Array(array)),
        Ok(one) => Vec::from(one),
        Err(items) => items,
    };
    let mut groups: Vec<(String, Vec<(String, Array)>)> = Vec::new();
    for (path, array) in items {
        let (head, rest) = match path.split_once('.') {
            Some((head, rest)) => (head.to_string(), rest.to_string()),
            None => (path.clone(), String::new()),
        };
        if head.is_empty() {
            return Err(Error::InvalidArgument(format!(
                "[tree_unflatten] Empty key in the path \"{path}\"."
            )));
        }
        match groups.iter_mut().find(|(k, _)| *k == head) {
            Some((_, group)) => group.push((rest, array)),
            None => groups.push((head, vec![(rest, array)])),
        }
    }
    let children: Vec<(String, Tree)> = groups
        .into_iter()
        .map(|(key, group)| Ok((key, tree_unflatten(group)?)))
        .collect::<Result<_>>()?;
    let indices: Option<Vec<usize>> = children.iter().map(|(k, _)| k.parse().ok()).collect();
    match indices {
        Some(mut indices) if !indices.is_empty() => {
            indices.sort_unstable();
            if indices.iter().enumerate().any(|(i, &k)| i != k) {
                return Err(Error::InvalidArgument(
                    "[tree_unflatten] List indices must run from 0 without gaps.".into(),
                ));
            }
            let mut children = children;
            children.sort_by_key(|(k, _)| k.parse::<usize>().unwrap_or(usize::MAX));
            Ok(Tree::List(children.into_iter().map(|(_, v)| v).collect()))
        }
        _ => Ok(Tree::Map(children)),
    }
}

/// The tree with `f` applied to every leaf.
///
/// ```
/// use mx_core::{array, tree_map, Tree};
/// let doubled = tree_map(&Tree::list([array![1.0].into()]), |a| Ok(a * 2.0)).unwrap();
/// assert_eq!(doubled.leaves()[0].to_vec::<f32>().unwrap(), [2.0]);
/// ```
pub fn tree_map(tree: &Tree, f: impl Fn(&Array) -> Result<Array>) -> Result<Tree> {
    tree_map_with_path(tree, |_, a| f(a))
}

/// The tree with `f(path, leaf)` applied to every leaf.
pub fn tree_map_with_path(tree: &Tree, f: impl Fn(&str, &Array) -> Result<Array>) -> Result<Tree> {
    let mapped: Vec<Array> = tree_flatten(tree)
        .iter()
        .map(|(path, a)| f(path, a))
        .collect::<Result<_>>()?;
    tree.with_leaves(&mut mapped.into_iter())
}

/// Folds `f` over the leaves in order, starting from `init`.
///
/// ```
/// use mx_core::{array, tree_reduce, Tree};
/// let t = Tree::list([array![1.0, 2.0].into(), array![3.0].into()]);
/// let count = tree_reduce(&t, 0usize, |n, a| Ok(n + a.size())).unwrap();
/// assert_eq!(count, 3);
/// ```
pub fn tree_reduce<T>(tree: &Tree, init: T, f: impl Fn(T, &Array) -> Result<T>) -> Result<T> {
    tree.leaves().into_iter().try_fold(init, f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array;

    fn sample() -> Tree {
        Tree::map([
            ("b", Tree::from(array![1.0])),
            (
                "a",
                Tree::list([
                    Tree::from(array![2.0]),
                    Tree::map([("w", Tree::from(array![3.0]))]),
                ]),
            ),
        ])
    }

    #[test]
    fn flatten_keeps_insertion_order_and_dotted_paths() {
        let keys: Vec<String> = tree_flatten(&sample())
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["b", "a.0", "a.1.w"]);
    }

    #[test]
    fn unflatten_inverts_flatten() {
        let rebuilt = tree_unflatten(tree_flatten(&sample())).unwrap();
        let values: Vec<f32> = rebuilt
            .leaves()
            .iter()
            .map(|a| a.item::<f32>().unwrap())
            .collect();
        assert_eq!(values, [1.0, 2.0, 3.0]);
        assert!(matches!(rebuilt.get("a"), Some(Tree::List(items)) if items.len() == 2));
        let bare = tree_unflatten(vec![(String::new(), array![5.0])]).unwrap();
        assert!(bare.as_array().is_some());
    }

    #[test]
    fn unflatten_rejects_gaps_in_lists() {
        let err = tree_unflatten(vec![("0".into(), array![1.0]), ("2".into(), array![2.0])]);
        assert!(err.is_err());
    }

    #[test]
    fn map_with_path_and_reduce() {
        let t = tree_map_with_path(&sample(), |path, a| {
            if path.starts_with('a') {
                Ok(a * 10.0)
            } else {
                Ok(a.clone())
            }
        })
        .unwrap();
        let sum = tree_reduce(&t, 0.0f32, |s, a| Ok(s + a.item::<f32>()?)).unwrap();
        assert_eq!(sum, 1.0 + 20.0 + 30.0);
        assert!(sample().with_leaves(&mut std::iter::empty()).is_err());
    }
}
