import Foundation

/// ℓ2-regularized logistic regression f(x) = (1/n) Σᵢ log(1 + exp(−yᵢ aᵢᵀx)) + (ρ/2)‖x‖², yᵢ ∈ {±1}.
///
/// Exact constants: the Hessian is (1/n) Σ σ'(·) aᵢaᵢᵀ + ρI with σ' ≤ ¼, so L = λ_max(AᵀA)/(4n) + ρ
/// and μ = ρ (classical; e.g. Bottou, Curtis & Nocedal 2018, §4). x* has no closed form: it is
/// computed by Newton's method until the gradient norm is below 1e-13 (machine precision);
/// `optimumSource` says so.
public struct Logistic: FiniteSumObjective {
    public let features: Matrix
    public let labels: [Double]
    public let regularization: Double
    public let constants: ProblemConstants

    public init(features: Matrix, labels: [Double], regularization rho: Double) {
        precondition(rho > 0, "logistic regression needs a positive ℓ2 regularization")
        self.features = features; self.labels = labels; self.regularization = rho
        let eig = LinearAlgebra.symmetricEigenvalues(features.gram(scale: Double(features.rows)))
        var c = ProblemConstants(L: eig.last! / 4 + rho, mu: rho, convex: true,
                                 optimumSource: "Newton's method to ‖∇f‖ < 1e-13")
        let partial = Logistic(features, labels, rho, c)
        let xs = partial.newtonMinimizer()
        c.xStar = xs
        c.fStar = partial.value(xs)
        c.curvatureAtOptimum = LinearAlgebra.symmetricEigenvalues(partial.hessian(at: xs)).last!
        constants = c
    }

    private init(_ a: Matrix, _ y: [Double], _ rho: Double, _ c: ProblemConstants) {
        features = a; labels = y; regularization = rho; constants = c
    }

    /// Data from a seed: aᵢ ~ N(0, I), yᵢ = sign(aᵢᵀw + 0.5·N(0,1)) for a random w.
    public static func generated(rows n: Int, dimension d: Int, regularization: Double, seed: UInt64) -> Logistic {
        var rng = RandomStream(seed: seed)
        let a = Matrix(rows: n, cols: d, data: (0..<(n * d)).map { _ in rng.gaussian() })
        let w = (0..<d).map { _ in rng.gaussian() }
        let y = a.times(w).map { $0 + 0.5 * rng.gaussian() >= 0 ? 1.0 : -1.0 }
        return Logistic(features: a, labels: y, regularization: regularization)
    }

    public var dimension: Int { features.cols }
    public var componentCount: Int { features.rows }

    private func margin(_ i: Int, _ x: [Double]) -> Double {
        var s = 0.0
        for j in 0..<dimension { s += features[i, j] * x[j] }
        return labels[i] * s
    }

    public func value(_ x: [Double]) -> Double {
        var s = 0.0
        for i in 0..<componentCount {
            let m = margin(i, x)
            s += m > 0 ? log1p(exp(-m)) : -m + log1p(exp(m))
        }
        return s / Double(componentCount) + 0.5 * regularization * Vec.normSquared(x)
    }

    public func gradient(_ x: [Double], into g: inout [Double]) {
        for j in 0..<dimension { g[j] = 0 }
        let w = 1 / Double(componentCount)
        for i in 0..<componentCount { addComponentGradient(i, at: x, weight: w, into: &g) }
    }

    /// ∇fᵢ(x) = −yᵢ σ(−yᵢaᵢᵀx) aᵢ + ρx (the regularizer is shared by every component).
    public func addComponentGradient(_ i: Int, at x: [Double], weight: Double, into g: inout [Double]) {
        let m = margin(i, x)
        let c = -labels[i] / (1 + exp(m)) * weight
        for j in 0..<dimension { g[j] += c * features[i, j] + weight * regularization * x[j] }
    }

    /// ∇²f(x) = (1/n) Σ σ(mᵢ)(1 − σ(mᵢ)) aᵢaᵢᵀ + ρI.
    public func hessian(at x: [Double]) -> Matrix {
        let d = dimension, n = componentCount
        var h = Matrix.identity(d)
        Vec.scale(regularization, &h.data)
        for i in 0..<n {
            let p = 1 / (1 + exp(-margin(i, x)))
            let s = p * (1 - p) / Double(n)
            for r in 0..<d { for c in 0..<d { h[r, c] += s * features[i, r] * features[i, c] } }
        }
        return h
    }

    func newtonMinimizer() -> [Double] {
        var x = [Double](repeating: 0, count: dimension)
        for _ in 0..<100 {
            let g = gradient(x)
            if Vec.norm(g) < 1e-13 { break }
            Vec.axpy(-1, LinearAlgebra.solveSPD(hessian(at: x), g), &x)
        }
        return x
    }
}
