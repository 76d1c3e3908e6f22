//! The linear-algebra primitives (CPU only, as in MLX). Each acts on the last two axes,
//! batched over the leading ones.

/// A matrix factorisation or inverse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinalgOp {
    /// Reduced QR: outputs `Q [.., M, K]` and `R [.., K, N]`, LAPACK's signs.
    Qr,
    /// Singular values (descending), and with `vectors` the full `U` before and `Vᵀ`
    /// after them.
    Svd {
        /// Also compute `U` and `Vᵀ`.
        vectors: bool,
    },
    /// The inverse; of the triangle named by `upper` only when `triangular`.
    Inverse {
        /// Invert the triangular part only.
        triangular: bool,
        /// Which triangle, when triangular.
        upper: bool,
    },
    /// The Cholesky factor of the chosen triangle (LAPACK's partial factor for matrices
    /// that are not positive definite).
    Cholesky {
        /// Return `U` with `Uᵀ U = A` instead of `L` with `L Lᵀ = A`.
        upper: bool,
    },
    /// LU with partial pivoting: the packed factors and the LAPACK pivots (uint32).
    LuFactor,
    /// Eigenvalues (ascending) of the symmetric matrix in the chosen triangle, and with
    /// `vectors` the eigenvectors as columns.
    Eigh {
        /// Read the lower triangle.
        lower: bool,
        /// Also compute the eigenvectors.
        vectors: bool,
    },
    /// Eigenvalues (complex64) of a general matrix, and with `vectors` the unit-norm
    /// eigenvectors as columns.
    Eig {
        /// Also compute the eigenvectors.
        vectors: bool,
    },
}

impl LinalgOp {
    /// MLX's name of the primitive, for messages.
    pub fn name(self) -> &'static str {
        match self {
            LinalgOp::Qr => "QRF",
            LinalgOp::Svd { .. } => "SVD",
            LinalgOp::Inverse { .. } => "Inverse",
            LinalgOp::Cholesky { .. } => "Cholesky",
            LinalgOp::LuFactor => "LUF",
            LinalgOp::Eigh { .. } => "Eigh",
            LinalgOp::Eig { .. } => "Eig",
        }
    }
}
