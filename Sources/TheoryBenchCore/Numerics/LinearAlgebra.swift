import CGSL

/// Wrappers over GSL's dense linear algebra, used to compute exact constants (eigenvalues, minimizers)
/// once per instance — never inside iteration loops.
public enum LinearAlgebra {
    /// Eigenvalues (ascending) and orthonormal eigenvectors (as columns) of a symmetric matrix,
    /// by `gsl_eigen_symmv`.
    public static func symmetricEigen(_ m: Matrix) -> (values: [Double], vectors: Matrix) {
        precondition(m.rows == m.cols, "eigendecomposition needs a square matrix")
        let n = m.rows
        var a = m.data
        var values = [Double](repeating: 0, count: n)
        var vectors = Matrix(zeros: n, n)
        a.withUnsafeMutableBufferPointer { ap in
            values.withUnsafeMutableBufferPointer { vp in
                vectors.data.withUnsafeMutableBufferPointer { ep in
                    var av = gsl_matrix_view_array(ap.baseAddress, n, n)
                    var ev = gsl_vector_view_array(vp.baseAddress, n)
                    var evec = gsl_matrix_view_array(ep.baseAddress, n, n)
                    let work = gsl_eigen_symmv_alloc(n)
                    gsl_eigen_symmv(&av.matrix, &ev.vector, &evec.matrix, work)
                    gsl_eigen_symmv_free(work)
                    gsl_eigen_symmv_sort(&ev.vector, &evec.matrix, GSL_EIGEN_SORT_VAL_ASC)
                }
            }
        }
        return (values, vectors)
    }

    /// Eigenvalues (ascending) of a symmetric matrix.
    public static func symmetricEigenvalues(_ m: Matrix) -> [Double] { symmetricEigen(m).values }

    /// Solves A x = b for symmetric positive definite A by Cholesky (`gsl_linalg_cholesky_decomp1`).
    public static func solveSPD(_ m: Matrix, _ b: [Double]) -> [Double] {
        let n = m.rows
        var a = m.data, rhs = b
        var x = [Double](repeating: 0, count: n)
        a.withUnsafeMutableBufferPointer { ap in
            rhs.withUnsafeMutableBufferPointer { bp in
                x.withUnsafeMutableBufferPointer { xp in
                    var av = gsl_matrix_view_array(ap.baseAddress, n, n)
                    var bv = gsl_vector_view_array(bp.baseAddress, n)
                    var xv = gsl_vector_view_array(xp.baseAddress, n)
                    gsl_linalg_cholesky_decomp1(&av.matrix)
                    gsl_linalg_cholesky_solve(&av.matrix, &bv.vector, &xv.vector)
                }
            }
        }
        return x
    }

    /// A Haar-random orthogonal matrix: QR of a Gaussian matrix with the signs of R's diagonal
    /// folded into Q (Mezzadri 2007), by modified Gram–Schmidt on the columns.
    public static func randomRotation(_ n: Int, _ rng: inout RandomStream) -> Matrix {
        var cols = (0..<n).map { _ in (0..<n).map { _ in rng.gaussian() } }
        for j in 0..<n {
            for i in 0..<j { Vec.axpy(-Vec.dot(cols[i], cols[j]), cols[i], &cols[j]) }
            Vec.scale(1 / Vec.norm(cols[j]), &cols[j])
        }
        var q = Matrix(zeros: n, n)
        for j in 0..<n { for i in 0..<n { q[i, j] = cols[j][i] } }
        return q
    }
}
