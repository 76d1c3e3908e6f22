//! `std::ops` forms of the elementwise ops.
//!
//! Operators are a convenience: they panic with the op's error message where the
//! function form returns `Err` (for example on shapes that do not broadcast).
//! Use the functions (`mx::add`, ...) where the inputs are not known to be valid.
//!
//! Scalar operands are `bool`, `i32` and `f64` only, so that bare literals (`&a * 2`,
//! `&a + 0.5`) infer without annotations; other scalar types work with the functions.
//! Scalars are weak either way: `&f16_array * 2.0` stays float16.

use super::binary::{
    add, bitwise_and, bitwise_or, bitwise_xor, divide, left_shift, multiply, remainder,
    right_shift, subtract,
};
use super::unary::{bitwise_invert, logical_not, negative};
use crate::dtype::Dtype;
use crate::Array;
use std::ops;

fn unwrap(result: crate::Result<Array>) -> Array {
    result.unwrap_or_else(|e| panic!("{e}"))
}

macro_rules! binary_operator {
    ($trait:ident, $method:ident, $func:ident) => {
        impl ops::$trait<&Array> for &Array {
            type Output = Array;
            fn $method(self, rhs: &Array) -> Array {
                unwrap($func(self, rhs))
            }
        }
        impl ops::$trait<Array> for &Array {
            type Output = Array;
            fn $method(self, rhs: Array) -> Array {
                unwrap($func(self, rhs))
            }
        }
        impl ops::$trait<&Array> for Array {
            type Output = Array;
            fn $method(self, rhs: &Array) -> Array {
                unwrap($func(self, rhs))
            }
        }
        impl ops::$trait<Array> for Array {
            type Output = Array;
            fn $method(self, rhs: Array) -> Array {
                unwrap($func(self, rhs))
            }
        }
        binary_operator!(@scalars $trait, $method, $func, bool, i32, f64);
    };
    (@scalars $trait:ident, $method:ident, $func:ident, $($t:ty),*) => {$(
        impl ops::$trait<$t> for &Array {
            type Output = Array;
            fn $method(self, rhs: $t) -> Array {
                unwrap($func(self, rhs))
            }
        }
        impl ops::$trait<$t> for Array {
            type Output = Array;
            fn $method(self, rhs: $t) -> Array {
                unwrap($func(self, rhs))
            }
        }
        impl ops::$trait<&Array> for $t {
            type Output = Array;
            fn $method(self, rhs: &Array) -> Array {
                unwrap($func(self, rhs))
            }
        }
        impl ops::$trait<Array> for $t {
            type Output = Array;
            fn $method(self, rhs: Array) -> Array {
                unwrap($func(self, rhs))
            }
        }
    )*};
}

binary_operator!(Add, add, add);
binary_operator!(Sub, sub, subtract);
binary_operator!(Mul, mul, multiply);
binary_operator!(Div, div, divide);
binary_operator!(Rem, rem, remainder);
binary_operator!(BitAnd, bitand, bitwise_and);
binary_operator!(BitOr, bitor, bitwise_or);
binary_operator!(BitXor, bitxor, bitwise_xor);
binary_operator!(Shl, shl, left_shift);
binary_operator!(Shr, shr, right_shift);

impl ops::Neg for &Array {
    type Output = Array;
    fn neg(self) -> Array {
        unwrap(negative(self))
    }
}

impl ops::Neg for Array {
    type Output = Array;
    fn neg(self) -> Array {
        -&self
    }
}

/// `!a` is logical NOT for bool arrays and bitwise NOT for integers, like `~a` in MLX.
impl ops::Not for &Array {
    type Output = Array;
    fn not(self) -> Array {
        if self.dtype() == Dtype::Bool {
            unwrap(logical_not(self))
        } else {
            unwrap(bitwise_invert(self))
        }
    }
}

impl ops::Not for Array {
    type Output = Array;
    fn not(self) -> Array {
        !&self
    }
}

#[cfg(test)]
mod tests {
    use crate::array;

    #[test]
    fn operators_follow_weak_promotion() {
        let a = array![1, 2, 3];
        assert_eq!((&a + 1).dtype(), crate::Dtype::Int32);
        assert_eq!((&a * 1.5).dtype(), crate::Dtype::Float32);
        assert_eq!((2 - &a).to_vec::<i32>().unwrap(), vec![1, 0, -1]);
        assert_eq!((-&a).to_vec::<i32>().unwrap(), vec![-1, -2, -3]);
        assert_eq!(
            (!&array![true, false]).to_vec::<bool>().unwrap(),
            vec![false, true]
        );
    }

    #[test]
    #[should_panic(expected = "[broadcast_shapes] Shapes (3) and (4) cannot be broadcast.")]
    fn operator_panics_with_the_error_message() {
        let _ = &array![1, 2, 3] + &array![1, 2, 3, 4];
    }
}
