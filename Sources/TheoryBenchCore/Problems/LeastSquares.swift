/// f(x) = (1/2n) ‖M x − y‖² = (1/n) Σᵢ ½(mᵢᵀx − yᵢ)², a finite sum over the n rows of M.
///
/// Exact constants: L = λ_max(MᵀM/n), μ = λ_min(MᵀM/n) (eigenvalues by `gsl_eigen_symmv`);
/// x* solves the normal equations MᵀM x = Mᵀy (Cholesky, to machine precision), f* = f(x*).
public struct LeastSquares: FiniteSumObjective {
    public let design: Matrix
    public let targets: [Double]
    public let constants: ProblemConstants

    public init(design: Matrix, targets: [Double]) {
        precondition(design.rows == targets.count, "design has \(design.rows) rows but \(targets.count) targets")
        self.design = design; self.targets = targets
        let n = Double(design.rows)
        let gram = design.gram(scale: n)
        let eig = LinearAlgebra.symmetricEigenvalues(gram)
        let mty = design.transposed.times(targets).map { $0 / n }
        let mu = eig.first!
        let xs: [Double]? = mu > 1e-12 * eig.last! ? LinearAlgebra.solveSPD(gram, mty) : nil
        var c = ProblemConstants(L: eig.last!, mu: xs == nil ? nil : mu, convex: true, xStar: xs,
                                 optimumSource: "normal equations, Cholesky")
        if let xs { c.fStar = LeastSquares.value(design, targets, xs) }
        constants = c
    }

    /// Data generated from a seed: M with i.i.d. N(0,1) entries, y = M x_true + noise·N(0,1).
    public static func generated(rows n: Int, dimension d: Int, noise: Double, seed: UInt64) -> LeastSquares {
        var rng = RandomStream(seed: seed)
        let m = Matrix(rows: n, cols: d, data: (0..<(n * d)).map { _ in rng.gaussian() })
        let truth = (0..<d).map { _ in rng.gaussian() }
        let y = m.times(truth).map { $0 + noise * rng.gaussian() }
        return LeastSquares(design: m, targets: y)
    }

    public var dimension: Int { design.cols }
    public var componentCount: Int { design.rows }

    static func value(_ m: Matrix, _ y: [Double], _ x: [Double]) -> Double {
        let r = m.times(x)
        var s = 0.0
        for i in 0..<r.count { let t = r[i] - y[i]; s += t * t }
        return 0.5 * s / Double(m.rows)
    }

    public func value(_ x: [Double]) -> Double { LeastSquares.value(design, targets, x) }

    public func gradient(_ x: [Double], into g: inout [Double]) {
        LeastSquares.gradient(design, targets, x, into: &g)
    }

    public func addComponentGradient(_ i: Int, at x: [Double], weight: Double, into g: inout [Double]) {
        LeastSquares.addRowGradient(design, targets, i, at: x, weight: weight, into: &g)
    }

    /// ∇f(x) = (1/n)Σᵢ ∇fᵢ(x) of fᵢ(x) = ½(mᵢᵀx − yᵢ)², summed row by row (shared by every
    /// least-squares problem, whatever its constants).
    public static func gradient(_ design: Matrix, _ targets: [Double], _ x: [Double], into g: inout [Double]) {
        for j in 0..<design.cols { g[j] = 0 }
        let w = 1 / Double(design.rows)
        for i in 0..<design.rows { addRowGradient(design, targets, i, at: x, weight: w, into: &g) }
    }

    /// g ← g + weight·(mᵢᵀx − yᵢ)mᵢ.
    @inlinable
    public static func addRowGradient(_ design: Matrix, _ targets: [Double], _ i: Int, at x: [Double], weight: Double,
                                      into g: inout [Double]) {
        let d = design.cols
        design.data.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                g.withUnsafeMutableBufferPointer { gp in
                    let row = i * d
                    var r = -targets[i]
                    for j in 0..<d { r += a[row + j] * xp[j] }
                    let c = weight * r
                    for j in 0..<d { gp[j] += c * a[row + j] }
                }
            }
        }
    }
}
