//! Nested Rust array literals as mx arrays, behind the `array!` macro.

use super::Array;
use crate::dtype::{Complex64, Element};

/// A value or nested Rust array that can become an mx array.
pub trait NestedLiteral {
    /// The element type stored.
    type Elem: Element;
    /// Appends the shape of this level and below.
    fn shape(&self, shape: &mut Vec<usize>);
    /// Appends the elements in row-major order.
    fn flatten(&self, out: &mut Vec<Self::Elem>);
    /// Builds the array.
    fn into_array(self) -> Array
    where
        Self: Sized,
    {
        let mut shape = Vec::new();
        self.shape(&mut shape);
        let mut values = Vec::new();
        self.flatten(&mut values);
        // A literal's shape always matches its element count, so only an
        // allocation failure can fail here; that is as fatal as a failed Vec push.
        Array::from_slice(&values, &shape).unwrap_or_else(|e| panic!("{e}"))
    }
}

macro_rules! scalar_literal {
    ($($t:ty => $e:ty),*) => {$(
        impl NestedLiteral for $t {
            type Elem = $e;
            fn shape(&self, _: &mut Vec<usize>) {}
            fn flatten(&self, out: &mut Vec<$e>) {
                out.push(*self as $e);
            }
        }
    )*};
}
scalar_literal!(bool => bool, u8 => u8, u16 => u16, u32 => u32, u64 => u64, i8 => i8,
    i16 => i16, i32 => i32, i64 => i64, f32 => f32, f64 => f32);

macro_rules! passthrough_literal {
    ($($t:ty),*) => {$(
        impl NestedLiteral for $t {
            type Elem = $t;
            fn shape(&self, _: &mut Vec<usize>) {}
            fn flatten(&self, out: &mut Vec<$t>) {
                out.push(*self);
            }
        }
    )*};
}
passthrough_literal!(half::f16, half::bf16, Complex64);

impl<L: NestedLiteral, const N: usize> NestedLiteral for [L; N] {
    type Elem = L::Elem;
    fn shape(&self, shape: &mut Vec<usize>) {
        shape.push(N);
        if let Some(first) = self.first() {
            first.shape(shape);
        }
    }
    fn flatten(&self, out: &mut Vec<L::Elem>) {
        for item in self {
            item.flatten(out);
        }
    }
}

/// Builds an array from a literal, like `mx.array([...])`. For a 0-d array use
/// `Array::from_scalar`.
///
/// ```
/// use mx_core::array;
/// let a = array![[1, 2, 3], [4, 5, 6]];
/// assert_eq!(a.shape(), &[2, 3]);
/// assert_eq!(a.dtype(), mx_core::Dtype::Int32);
/// let b = array![1.5, 2.5];
/// assert_eq!(b.dtype(), mx_core::Dtype::Float32);
/// ```
#[macro_export]
macro_rules! array {
    ($($tokens:tt)*) => {
        $crate::Array::from_literal([$($tokens)*])
    };
}
