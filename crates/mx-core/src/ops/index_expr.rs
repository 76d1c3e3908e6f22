//! NumPy-style index expressions: `x[1, 2:5, None, idx, ...]` as [`Index`] items, for
//! reading (`Array::index`), writing (`Array::index_set`) and the `x.at[idx].add(v)` family.
//!
//! Integer arrays follow NumPy's advanced-indexing rules, as MLX does: they broadcast
//! together, and their dimensions replace the indexed axes when the arrays are adjacent,
//! or go first when a slice, `None` or ellipsis separates them.

use super::indexing::{gather, scatter};
use super::operand::Operand;
use crate::dtype::Dtype;
use crate::error::{Error, Result};
use crate::primitive::ScatterKind;
use crate::{Array, Slice};

/// One item of an index expression.
#[derive(Clone, Debug)]
pub enum Index {
    /// `start:stop:step`.
    Slice(Slice),
    /// One position (negative counts from the end); the axis disappears.
    Int(isize),
    /// An integer index array (advanced indexing).
    Array(Array),
    /// `None`: a new axis of size 1.
    NewAxis,
    /// `...`: as many full slices as needed.
    Ellipsis,
}

impl From<Slice> for Index {
    fn from(s: Slice) -> Index {
        Index::Slice(s)
    }
}

impl From<isize> for Index {
    fn from(i: isize) -> Index {
        Index::Int(i)
    }
}

impl From<Array> for Index {
    fn from(a: Array) -> Index {
        Index::Array(a)
    }
}

impl From<&Array> for Index {
    fn from(a: &Array) -> Index {
        Index::Array(a.clone())
    }
}

/// Builds an array of [`Index`] items: `idx![1, .., Slice::range(0, 2), None, &indices]` where `..`
/// is an ellipsis and `None` a new axis.
#[macro_export]
macro_rules! idx {
    (@acc [$($out:expr),*]) => { [$($out),*] };
    (@acc [$($out:expr),*] .. $(, $($rest:tt)*)?) => {
        $crate::idx!(@acc [$($out,)* $crate::Index::Ellipsis] $($($rest)*)?)
    };
    (@acc [$($out:expr),*] None $(, $($rest:tt)*)?) => {
        $crate::idx!(@acc [$($out,)* $crate::Index::NewAxis] $($($rest)*)?)
    };
    (@acc [$($out:expr),*] $item:expr $(, $($rest:tt)*)?) => {
        $crate::idx!(@acc [$($out,)* $crate::Index::from($item)] $($($rest)*)?)
    };
    ($($items:tt)*) => { $crate::idx!(@acc [] $($items)*) };
}

/// The items after ellipsis expansion, with the axes they cover.
struct Expanded {
    items: Vec<Index>,
    /// Full slices appended for axes the expression does not mention.
    trailing: usize,
}

fn expand(x: &Array, items: &[Index]) -> Result<Expanded> {
    let consuming = items
        .iter()
        .filter(|i| matches!(i, Index::Slice(_) | Index::Int(_) | Index::Array(_)))
        .count();
    let ellipses = items
        .iter()
        .filter(|i| matches!(i, Index::Ellipsis))
        .count();
    if ellipses > 1 {
        return Err(Error::InvalidArgument(
            "An index can only have a single ellipsis (\"...\")".into(),
        ));
    }
    if consuming > x.ndim() {
        return Err(Error::InvalidArgument(format!(
            "Too many indices for array with {} dimensions.",
            x.ndim()
        )));
    }
    let missing = x.ndim() - consuming;
    let mut out = Vec::with_capacity(items.len() + missing);
    for item in items {
        match item {
            Index::Ellipsis => out.extend((0..missing).map(|_| Index::Slice(Slice::FULL))),
            Index::Array(a)
                if !(a.dtype().is_integer() || a.dtype() == Dtype::Bool && items.len() == 1) =>
            {
                return Err(Error::InvalidArgument(format!(
                    "Indices must be integral, got {}; boolean masks are not supported.",
                    a.dtype()
                )))
            }
            other => out.push(other.clone()),
        }
    }
    let trailing = if ellipses == 0 { missing } else { 0 };
    out.extend((0..trailing).map(|_| Index::Slice(Slice::FULL)));
    Ok(Expanded {
        items: out,
        trailing,
    })
}

fn normalize_int(i: isize, dim: usize, axis: usize) -> Result<isize> {
    let n = dim as isize;
    let v = if i < 0 { i + n } else { i };
    if v < 0 || v >= n {
        return Err(Error::InvalidArgument(format!(
            "[index] Index {i} is out of bounds for axis {axis} with size {dim}."
        )));
    }
    Ok(v)
}

/// Basic indexing (slices, ints, new axes): a view.
fn basic(x: &Array, expanded: &Expanded) -> Result<Array> {
    let mut slices = Vec::with_capacity(x.ndim());
    let mut shape: Vec<isize> = Vec::new();
    let mut axis = 0;
    let mut sliced_dims = Vec::new();
    for item in &expanded.items {
        match item {
            Index::Slice(s) => {
                slices.push(*s);
                sliced_dims.push((shape.len(), axis));
                shape.push(0);
                axis += 1;
            }
            Index::Int(i) => {
                let v = normalize_int(*i, x.shape()[axis], axis)?;
                slices.push(Slice::range(v, v + 1));
                axis += 1;
            }
            Index::NewAxis => shape.push(1),
            Index::Array(_) | Index::Ellipsis => unreachable_item()?,
        }
    }
    let view = x.slice(&slices)?;
    for (pos, axis) in sliced_dims {
        shape[pos] = view.shape()[axis] as isize;
    }
    if shape.iter().map(|&d| d as usize).collect::<Vec<_>>() == view.shape() {
        return Ok(view);
    }
    view.reshape(&shape)
}

fn unreachable_item() -> Result<()> {
    Err(Error::InvalidArgument(
        "[index] Unexpected index item.".into(),
    ))
}

/// Index arrays for a gather or scatter that realises an advanced index expression.
struct Plan {
    indices: Vec<Array>,
    axes: Vec<usize>,
    /// Shape of the indexed part of the result (before the trailing axes).
    index_shape: Vec<usize>,
    /// Sizes of the trailing, untouched axes.
    trailing_dims: Vec<usize>,
}

/// `ints_are_arrays`: whether integers count as advanced indices when placing the
/// broadcast dimensions (they do for reads; MLX's writes ignore them).
fn plan(x: &Array, expanded: &Expanded, ints_are_arrays: bool) -> Result<Plan> {
    let covered = expanded.items.len() - expanded.trailing;
    let items = &expanded.items[..covered];
    let is_advanced = |item: &Index| match item {
        Index::Array(_) => true,
        Index::Int(_) => ints_are_arrays,
        _ => false,
    };
    let mut block_shape: Vec<usize> = Vec::new();
    for item in items {
        if let Index::Array(a) = item {
            block_shape = crate::broadcast_shapes(&block_shape, a.shape())?;
        }
    }
    let advanced: Vec<usize> = (0..items.len())
        .filter(|&i| is_advanced(&items[i]))
        .collect();
    let adjacent = advanced.windows(2).all(|w| w[1] == w[0] + 1);
    // Result dims: one per slice/new axis, with the broadcast block inserted once.
    let mut dims_before_block = 0;
    if adjacent && !advanced.is_empty() {
        dims_before_block = items[..advanced[0]]
            .iter()
            .filter(|i| matches!(i, Index::Slice(_) | Index::NewAxis))
            .count();
    }
    let mut index_shape: Vec<usize> = Vec::new();
    let mut slice_positions = Vec::new();
    let mut axis = 0;
    for item in items {
        if index_shape.len() == dims_before_block {
            index_shape.extend(&block_shape);
        }
        match item {
            Index::Slice(s) => {
                let (_, _, len) = s.resolve(x.shape()[axis])?;
                slice_positions.push(index_shape.len());
                index_shape.push(len);
                axis += 1;
            }
            Index::NewAxis => index_shape.push(1),
            _ => axis += 1,
        }
    }
    if index_shape.len() == dims_before_block {
        index_shape.extend(&block_shape);
    }
    let block_start = dims_before_block;
    let nd = index_shape.len();
    let mut indices = Vec::new();
    let mut axes = Vec::new();
    let mut axis = 0;
    let mut slice_iter = slice_positions.into_iter();
    for item in items {
        match item {
            Index::Slice(s) => {
                let pos = slice_iter.next().unwrap_or(0);
                let (start, step, len) = s.resolve(x.shape()[axis])?;
                let positions = super::arange(
                    start as i64,
                    start as i64 + step as i64 * len as i64,
                    step as i64,
                    Some(Dtype::Int64),
                )?;
                let mut shape = vec![1isize; nd];
                shape[pos] = len as isize;
                indices.push(positions.reshape(&shape)?);
                axes.push(axis);
                axis += 1;
            }
            Index::Int(i) => {
                let v = normalize_int(*i, x.shape()[axis], axis)?;
                indices.push(Array::from_scalar(v as i64)?);
                axes.push(axis);
                axis += 1;
            }
            Index::Array(a) => {
                let mut shape = vec![1isize; nd];
                let offset = block_start + block_shape.len() - a.ndim();
                for (d, &n) in a.shape().iter().enumerate() {
                    shape[offset + d] = n as isize;
                }
                indices.push(a.reshape(&shape)?);
                axes.push(axis);
                axis += 1;
            }
            Index::NewAxis | Index::Ellipsis => {}
        }
    }
    Ok(Plan {
        indices,
        axes,
        index_shape,
        trailing_dims: x.shape()[x.ndim() - expanded.trailing..].to_vec(),
    })
}

impl Plan {
    /// The index arrays broadcast to the whole index shape (new axes have no array of their own).
    fn full_indices(&self) -> Result<Vec<Array>> {
        self.indices
            .iter()
            .map(|i| i.broadcast_to(&self.index_shape))
            .collect()
    }
}

fn window(x: &Array, plan: &Plan) -> Vec<usize> {
    let mut w = vec![1; x.ndim() - plan.trailing_dims.len()];
    w.extend(&plan.trailing_dims);
    w
}

fn result_shape(plan: &Plan) -> Vec<usize> {
    plan.index_shape
        .iter()
        .chain(&plan.trailing_dims)
        .copied()
        .collect()
}

fn signed(shape: &[usize]) -> Vec<isize> {
    shape.iter().map(|&d| d as isize).collect()
}

impl Array {
    /// `x[items]` with NumPy's (and MLX's) rules.
    ///
    /// ```
    /// # use mx_core::{array, idx, Slice};
    /// let x = mx_core::arange(0, 12, 1, None).unwrap().reshape(&[3, 4]).unwrap();
    /// let rows = array![2, 0];
    /// let y = x.index(&idx![&rows, Slice::range(1, 3)]).unwrap();
    /// assert_eq!(y.to_vec::<i32>().unwrap(), vec![9, 10, 1, 2]);
    /// ```
    pub fn index(&self, items: &[Index]) -> Result<Array> {
        let expanded = expand(self, items)?;
        if !expanded.items.iter().any(|i| matches!(i, Index::Array(_))) {
            return basic(self, &expanded);
        }
        let plan = plan(self, &expanded, true)?;
        let indices = plan.full_indices()?;
        let refs: Vec<&Array> = indices.iter().collect();
        let gathered = gather(self, &refs, &plan.axes, &window(self, &plan))?;
        gathered.reshape(&signed(&result_shape(&plan)))
    }

    /// A copy of `x` with `x[items] = update` applied; the update is cast to `x`'s dtype
    /// and, for duplicate indices, the last write wins.
    pub fn index_set<'a>(&self, items: &[Index], update: impl Into<Operand<'a>>) -> Result<Array> {
        self.scatter_expr(items, update.into(), ScatterKind::Set)
    }

    /// MLX's `x.at[items]`: scatter updates that accumulate over duplicate indices.
    pub fn at(&self, items: &[Index]) -> At<'_> {
        At {
            x: self,
            items: items.to_vec(),
        }
    }

    fn scatter_expr(&self, items: &[Index], update: Operand, kind: ScatterKind) -> Result<Array> {
        if let [Index::Array(mask)] = items {
            if mask.dtype() == Dtype::Bool && kind == ScatterKind::Set {
                return masked_set(self, mask, update);
            }
        }
        if selects_everything(items) {
            // MLX does not scatter here: the update (or the op) replaces the whole array.
            return whole_array_update(self, items, update, kind);
        }
        let update = match update {
            // A scalar takes the array's dtype (with MLX's overflow check for integers).
            Operand::Scalar(s) => {
                super::operand::check_integer_fits(s, self.dtype())?;
                Array::scalar_of(s, self.dtype())?
            }
            other => other.into_array()?,
        };
        let expanded = expand(self, items)?;
        let plan = plan(self, &expanded, false)?;
        let target = result_shape(&plan);
        let update = update.astype(self.dtype())?;
        let update = drop_leading_ones(&update, target.len())?;
        let mut scattered_shape = plan.index_shape.clone();
        scattered_shape.extend(window(self, &plan));
        let update = update
            .broadcast_to(&target)?
            .reshape(&signed(&scattered_shape))?;
        let indices = plan.full_indices()?;
        let refs: Vec<&Array> = indices.iter().collect();
        scatter(self, &refs, &update, &plan.axes, kind)
    }
}

/// `x[mask] = v` (MLX's masked scatter): the i-th true slot of `mask`, in row-major order,
/// takes row i of `v`. `mask` covers the leading axes of `x`; `v` broadcasts to
/// `[count, *rest]` (or, with as many axes, to `[rows, *rest]`, extra rows ignored).
fn masked_set(x: &Array, mask: &Array, update: Operand) -> Result<Array> {
    let k = mask.ndim();
    if k > x.ndim() || mask.shape() != &x.shape()[..k] {
        return Err(Error::Shape(format!(
            "[masked_scatter] The boolean mask should have the same shape as the beginning of the indexed array but the mask has shape {} and the array has shape {}",
            crate::error::shape_str(mask.shape()),
            crate::error::shape_str(x.shape())
        )));
    }
    let update = match update {
        Operand::Scalar(s) => {
            super::operand::check_integer_fits(s, x.dtype())?;
            Array::scalar_of(s, x.dtype())?
        }
        other => other.into_array()?.astype(x.dtype())?,
    };
    let rest = &x.shape()[k..];
    let one_row = update.ndim() <= rest.len();
    let rows = if update.ndim() == rest.len() + 1 {
        let mut shape = vec![update.shape()[0]];
        shape.extend(rest);
        update.broadcast_to(&shape)?
    } else if update.ndim() <= rest.len() {
        let mut shape = vec![1];
        shape.extend(rest);
        update.broadcast_to(rest)?.reshape(&signed(&shape))?
    } else {
        return Err(Error::Shape(format!(
            "[masked_scatter] Value array shape must be broadcastable with the last {} dimensions of the input.",
            rest.len()
        )));
    };
    // Slot i (row-major over the mask) reads row (number of true slots before it).
    let flat = mask.reshape(&[-1])?;
    let ordinal = super::cumsum(
        &flat,
        Some(0),
        super::ScanOptions {
            reverse: false,
            inclusive: false,
        },
        None,
    )?;
    // A lower-rank update is one row broadcast to every true slot.
    let ordinal = if one_row {
        super::multiply(&ordinal, 0)?
    } else {
        ordinal
    };
    let picked = super::take(&rows, &super::where_(&flat, &ordinal, 0)?, Some(0))?
        .reshape(&signed(x.shape()))?;
    let mut wide: Vec<isize> = signed(mask.shape());
    wide.extend(rest.iter().map(|_| 1));
    super::where_(&mask.reshape(&wide)?, &picked, x)
}

/// True for `()`, `...` and `None` items only: an expression that selects the whole array.
fn selects_everything(items: &[Index]) -> bool {
    items
        .iter()
        .all(|i| matches!(i, Index::Ellipsis | Index::NewAxis))
}

fn drop_leading_ones(update: &Array, ndim: usize) -> Result<Array> {
    if update.ndim() <= ndim {
        return Ok(update.clone());
    }
    let extra = update.ndim() - ndim;
    if update.shape()[..extra].iter().any(|&d| d != 1) {
        return Err(Error::Shape(format!(
            "Cannot broadcast update with shape {} to the indexed shape of {ndim} dimensions.",
            crate::error::shape_str(update.shape())
        )));
    }
    update.reshape(&signed(&update.shape()[extra..]))
}

/// The update broadcast over the whole of `x` (seen through `items`, which only add axes).
/// Scalars stay weak, so that the result dtype follows the binary op's promotion.
fn whole_array_operand<'a>(x: &Array, items: &[Index], update: Operand<'a>) -> Result<Operand<'a>> {
    let view_shape = basic(x, &expand(x, items)?)?.shape().to_vec();
    Ok(match update {
        Operand::Scalar(s) => Operand::Scalar(s),
        other => Operand::Owned(
            drop_leading_ones(&other.into_array()?, view_shape.len())?
                .broadcast_to(&view_shape)?
                .reshape(&signed(x.shape()))?,
        ),
    })
}

fn whole_array_update(
    x: &Array,
    items: &[Index],
    update: Operand,
    kind: ScatterKind,
) -> Result<Array> {
    let update = whole_array_operand(x, items, update)?;
    match kind {
        ScatterKind::Set => {
            let dtype = super::operand::promote_operands(&[&Operand::Ref(x), &update])?;
            let dtype = if matches!(update, Operand::Scalar(_)) {
                dtype
            } else {
                update.dtype()
            };
            super::full(x.shape(), update, Some(dtype))
        }
        ScatterKind::Add => super::add(x, update),
        ScatterKind::Prod => super::multiply(x, update),
        ScatterKind::Max => super::maximum(x, update),
        ScatterKind::Min => super::minimum(x, update),
    }
}

/// The target of `x.at[items]`; each method returns the updated copy of `x`.
pub struct At<'x> {
    x: &'x Array,
    items: Vec<Index>,
}

impl At<'_> {
    /// `x[items] = v`.
    pub fn set<'a>(&self, v: impl Into<Operand<'a>>) -> Result<Array> {
        self.x.scatter_expr(&self.items, v.into(), ScatterKind::Set)
    }
    /// `x[items] += v`, accumulating over duplicate indices.
    pub fn add<'a>(&self, v: impl Into<Operand<'a>>) -> Result<Array> {
        self.x.scatter_expr(&self.items, v.into(), ScatterKind::Add)
    }
    /// `x[items] -= v`: adds `-v`, negated in `v`'s own dtype as MLX does.
    pub fn subtract<'a>(&self, v: impl Into<Operand<'a>>) -> Result<Array> {
        let v = v.into();
        if selects_everything(&self.items) {
            return super::subtract(self.x, whole_array_operand(self.x, &self.items, v)?);
        }
        if let Operand::Scalar(s) = v {
            super::operand::check_integer_fits(s, self.x.dtype())?;
        }
        let negated = super::negative(&v.into_array()?)?;
        self.x
            .scatter_expr(&self.items, Operand::Owned(negated), ScatterKind::Add)
    }
    /// `x[items] *= v`, accumulating over duplicate indices.
    pub fn multiply<'a>(&self, v: impl Into<Operand<'a>>) -> Result<Array> {
        self.x
            .scatter_expr(&self.items, v.into(), ScatterKind::Prod)
    }
    /// `x[items] /= v`: multiplies by the reciprocal of `v`, cast to `x`'s dtype, as MLX does.
    pub fn divide<'a>(&self, v: impl Into<Operand<'a>>) -> Result<Array> {
        let v = v.into();
        if selects_everything(&self.items) {
            return super::divide(self.x, whole_array_operand(self.x, &self.items, v)?);
        }
        let v = match v {
            Operand::Scalar(s) => {
                super::operand::check_integer_fits(s, self.x.dtype())?;
                Array::scalar_of(s, self.x.dtype())?
            }
            other => other.into_array()?,
        };
        let inverse = super::reciprocal(&v)?;
        self.x
            .scatter_expr(&self.items, Operand::Owned(inverse), ScatterKind::Prod)
    }
    /// `x[items] = maximum(x[items], v)`.
    pub fn maximum<'a>(&self, v: impl Into<Operand<'a>>) -> Result<Array> {
        self.x.scatter_expr(&self.items, v.into(), ScatterKind::Max)
    }
    /// `x[items] = minimum(x[items], v)`.
    pub fn minimum<'a>(&self, v: impl Into<Operand<'a>>) -> Result<Array> {
        self.x.scatter_expr(&self.items, v.into(), ScatterKind::Min)
    }
}
