import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// f(x) = (1/2n)‖Ax − y‖² = (1/n)Σᵢ ½(aᵢᵀx − yᵢ)² with a *planted* constrained optimum: given x* and
/// the gradient g* it must have there, y = Ax* − r with r = A(AᵀA/n)⁻¹g*, so that ∇f(x*) = Aᵀr/n = g*
/// exactly and f(x*) = ‖r‖²/(2n) (docs/derivations/frank-wolfe.md §4). Whether x* is the minimizer
/// over a set X is decided by the set: the `constraint` part checks that x* ∈ X and that the
/// first-order condition holds (FW gap ⟨g*, x*⟩ − min_{s∈X}⟨g*, s⟩ = 0); with AᵀA ≻ 0 f is strictly
/// convex and x* is then the unique minimizer on X.
///
/// The objective's own `constants` carry no x* or f*: they are the constrained optimum, meaningful only
/// with the constraint, so an unconstrained claim never reads them (and none pairs).
public struct PlantedLeastSquares: FiniteSumObjective {
    public let design: Matrix
    public let targets: [Double]
    public let plantedX: [Double], plantedGradient: [Double]
    /// f(x*) = ‖r‖²/(2n), exact.
    public let plantedValue: Double
    /// L = λ_max(AᵀA/n).
    public let smoothness: Double
    /// ℒ, the mean-square smoothness: ℒ² = λ_max((1/n)Σ‖aᵢ‖² aᵢaᵢᵀ) (§3.2).
    public let meanSquareSmoothness: Double
    public let constants: ProblemConstants

    /// nil when AᵀA/n is not positive definite (λ_min ≤ 1e-10·λ_max).
    public init?(design a: Matrix, optimum xs: [Double], gradient gs: [Double]) {
        let n = Double(a.rows), d = a.cols
        let gram = a.gram(scale: n)
        let eig = LinearAlgebra.symmetricEigenvalues(gram)
        guard eig.first! > 1e-10 * eig.last! else { return nil }
        let w = LinearAlgebra.solveSPD(gram, gs)
        let r = a.times(w)
        let ax = a.times(xs)
        targets = zip(ax, r).map { $0 - $1 }
        design = a; plantedX = xs; plantedGradient = gs
        plantedValue = Vec.normSquared(r) / (2 * n)
        smoothness = eig.last!
        var m = Matrix(zeros: d, d)
        for i in 0..<a.rows {
            let row = Array(a.data[(i * d)..<((i + 1) * d)])
            let s = Vec.normSquared(row) / n
            for p in 0..<d { for q in 0..<d { m.data[p * d + q] += s * row[p] * row[q] } }
        }
        meanSquareSmoothness = LinearAlgebra.symmetricEigenvalues(m).last!.squareRoot()
        constants = ProblemConstants(L: eig.last!, mu: nil, convex: true, xStar: nil, fStar: nil,
                                     optimumSource: "planted: exact on its constraint set")
    }

    public var dimension: Int { design.cols }
    public var componentCount: Int { design.rows }

    public func value(_ x: [Double]) -> Double {
        let d = dimension
        return design.data.withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                var s = 0.0
                for i in 0..<componentCount {
                    var r = -targets[i]
                    for j in 0..<d { r += a[i * d + j] * xp[j] }
                    s += r * r
                }
                return 0.5 * s / Double(componentCount)
            }
        }
    }

    public func gradient(_ x: [Double], into g: inout [Double]) {
        LeastSquares.gradient(design, targets, x, into: &g)
    }

    public func addComponentGradient(_ i: Int, at x: [Double], weight: Double, into g: inout [Double]) {
        LeastSquares.addRowGradient(design, targets, i, at: x, weight: weight, into: &g)
    }

    /// ‖A u‖²/n = uᵀ(AᵀA/n)u, the curvature of f along u (exact line search on a quadratic).
    public func curvature(along u: [Double]) -> Double {
        let d = dimension
        return design.data.withUnsafeBufferPointer { a in
            u.withUnsafeBufferPointer { up in
                var s = 0.0
                for i in 0..<componentCount {
                    var r = 0.0
                    for j in 0..<d { r += a[i * d + j] * up[j] }
                    s += r * r
                }
                return s / Double(componentCount)
            }
        }
    }

    public func reportedConstants(start: [Double]) -> [String: Double] {
        ["L": smoothness, "L_ms": meanSquareSmoothness, "n": Double(componentCount),
         "f*": plantedValue, "f(x0)-f*": value(start) - plantedValue]
    }
}

extension ProblemFamily {
    /// `planted-least-squares`: a generated Gaussian design and a planted constrained optimum.
    public static let plantedLeastSquares = ProblemFamily(
        name: "planted-least-squares",
        documentation: """
        f(x) = (1/2n)‖Ax − y‖² with a planted constrained optimum (Frank-Wolfe family): `data: {rows: n, \
        dimension: d}` (A with i.i.d. N(0, 1) entries from the seed), `optimum: {x: […], gradient: […]}` \
        (x* and g* = ∇f(x*), d entries each, lists or {csv}); y = Ax* − A(AᵀA/n)⁻¹g*, so ∇f(x*) = g* and \
        f* = ‖A(AᵀA/n)⁻¹g*‖²/(2n) exactly. Needs a `constraint` on which x* is optimal (checked there). \
        Constants: L = λ_max(AᵀA/n), the mean-square smoothness ℒ = λ_max((1/n)Σ‖aᵢ‖²aᵢaᵢᵀ)^{1/2}, n.
        """,
        space: FrankWolfe.plantedSpace
    ) { f, dir, seed in
        guard var data = try f.sub("data") else { throw f.error("data", "missing (required)") }
        guard let n = try data.positiveInt("rows") else { throw data.error("rows", "missing (required)") }
        guard let d = try data.positiveInt("dimension") else { throw data.error("dimension", "missing (required)") }
        try ResourceLimits.check(data, "dimension", Double(d), ResourceLimits.maxDenseSide, "the side of the d×d Gram matrix AᵀA")
        try ResourceLimits.check(data, "rows", Double(n) * Double(d), ResourceLimits.maxStoredEntries, "the design's entries rows × dimension")
        try data.rejectUnknown()
        guard var o = try f.sub("optimum") else { throw f.error("optimum", "missing (required): {x: […], gradient: […]}") }
        guard let xs = try o.vector("x", relativeTo: dir) else { throw o.error("x", "missing (required)") }
        guard let gs = try o.vector("gradient", relativeTo: dir) else { throw o.error("gradient", "missing (required)") }
        try o.rejectUnknown()
        guard xs.count == d else { throw o.error("x", "has \(xs.count) entries, dimension is \(d)") }
        guard gs.count == d else { throw o.error("gradient", "has \(gs.count) entries, dimension is \(d)") }
        var rng = RandomStream(seed: seed)
        let a = Matrix(rows: n, cols: d, data: (0..<(n * d)).map { _ in rng.gaussian() })
        guard let p = PlantedLeastSquares(design: a, optimum: xs, gradient: gs) else {
            throw data.error("rows", "AᵀA is singular: the planted optimum would not be unique (need rows ≥ dimension)")
        }
        return ProblemReading(p)
    }
}
