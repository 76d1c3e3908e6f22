//! MLX's type promotion table.

use super::Dtype;

const B: Dtype = Dtype::Bool;
const U1: Dtype = Dtype::Uint8;
const U2: Dtype = Dtype::Uint16;
const U4: Dtype = Dtype::Uint32;
const U8: Dtype = Dtype::Uint64;
const I1: Dtype = Dtype::Int8;
const I2: Dtype = Dtype::Int16;
const I4: Dtype = Dtype::Int32;
const I8: Dtype = Dtype::Int64;
const F2: Dtype = Dtype::Float16;
const F4: Dtype = Dtype::Float32;
const F8: Dtype = Dtype::Float64;
const BF: Dtype = Dtype::Bfloat16;
const C8: Dtype = Dtype::Complex64;

/// Rows and columns in `Dtype::ALL` order, copied from MLX's `dtype.cpp`.
#[rustfmt::skip]
const TABLE: [[Dtype; 14]; 14] = [
    // bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 f16 f32 f64 bf16 c64
    [B,  U1, U2, U4, U8, I1, I2, I4, I8, F2, F4, F8, BF, C8], // bool
    [U1, U1, U2, U4, U8, I2, I2, I4, I8, F2, F4, F8, BF, C8], // uint8
    [U2, U2, U2, U4, U8, I4, I4, I4, I8, F2, F4, F8, BF, C8], // uint16
    [U4, U4, U4, U4, U8, I8, I8, I8, I8, F2, F4, F8, BF, C8], // uint32
    [U8, U8, U8, U8, U8, F4, F4, F4, F4, F2, F4, F8, BF, C8], // uint64
    [I1, I2, I4, I8, F4, I1, I2, I4, I8, F2, F4, F8, BF, C8], // int8
    [I2, I2, I4, I8, F4, I2, I2, I4, I8, F2, F4, F8, BF, C8], // int16
    [I4, I4, I4, I8, F4, I4, I4, I4, I8, F2, F4, F8, BF, C8], // int32
    [I8, I8, I8, I8, F4, I8, I8, I8, I8, F2, F4, F8, BF, C8], // int64
    [F2, F2, F2, F2, F2, F2, F2, F2, F2, F2, F4, F8, F4, C8], // float16
    [F4, F4, F4, F4, F4, F4, F4, F4, F4, F4, F4, F8, F4, C8], // float32
    [F8, F8, F8, F8, F8, F8, F8, F8, F8, F8, F8, F8, F8, C8], // float64
    [BF, BF, BF, BF, BF, BF, BF, BF, BF, F4, F4, F8, BF, C8], // bfloat16
    [C8, C8, C8, C8, C8, C8, C8, C8, C8, C8, C8, C8, C8, C8], // complex64
];

/// The dtype MLX promotes two dtypes to, e.g. `float16` and `bfloat16` give `float32`.
///
/// ```
/// use mx_core::{result_type, Dtype};
/// assert_eq!(result_type(Dtype::Float16, Dtype::Float32), Dtype::Float32);
/// assert_eq!(result_type(Dtype::Uint8, Dtype::Int8), Dtype::Int16);
/// ```
pub fn result_type(a: Dtype, b: Dtype) -> Dtype {
    TABLE[a as usize][b as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promotion_is_symmetric() {
        for a in Dtype::ALL {
            for b in Dtype::ALL {
                assert_eq!(result_type(a, b), result_type(b, a), "{a} {b}");
            }
        }
    }
}
