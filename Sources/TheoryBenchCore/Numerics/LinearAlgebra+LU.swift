import CGSL

extension LinearAlgebra {
    /// Solves A x = b for a square A by LU with partial pivoting (`gsl_linalg_LU_decomp`, `_solve`);
    /// nil when A is singular (a pivot below 1e-13 in absolute value: checked before solving, since GSL's
    /// solver would call its aborting error handler). For the small systems of exact constants (a
    /// chain's stationary law), never inside iteration loops.
    public static func solveLU(_ m: Matrix, _ b: [Double]) -> [Double]? {
        precondition(m.rows == m.cols && b.count == m.rows, "solveLU needs a square matrix and a matching vector")
        let n = m.rows
        let a = gsl_matrix_alloc(n, n)!, rhs = gsl_vector_alloc(n)!, x = gsl_vector_alloc(n)!, perm = gsl_permutation_alloc(n)!
        defer { gsl_matrix_free(a); gsl_vector_free(rhs); gsl_vector_free(x); gsl_permutation_free(perm) }
        for i in 0..<n {
            gsl_vector_set(rhs, i, b[i])
            for j in 0..<n { gsl_matrix_set(a, i, j, m[i, j]) }
        }
        var sign: Int32 = 0
        guard gsl_linalg_LU_decomp(a, perm, &sign) == 0,
              (0..<n).allSatisfy({ abs(gsl_matrix_get(a, $0, $0)) >= 1e-13 }),
              gsl_linalg_LU_solve(a, perm, rhs, x) == 0 else { return nil }
        return (0..<n).map { gsl_vector_get(x, $0) }
    }
}
