import Foundation

/// A Riemannian manifold whose points and tangent vectors are stored as `[Double]` in ambient
/// coordinates: ℝ^d itself, a unit vector of ℝ^d (sphere), an n×n symmetric matrix row-major (SPD).
///
/// Tangent vectors at x live in the same ambient storage. Every operation writes into a caller's
/// buffer (`into:`) so that methods can reuse their buffers across iterations.
public protocol Manifold: Sendable {
    /// Entries of a point or tangent vector in ambient storage (d, or n² for SPD(n)).
    var storageCount: Int { get }
    /// The intrinsic dimension.
    var dimension: Int { get }
    /// Bounds κ_min ≤ sectional curvature ≤ κ_max.
    var curvatureBounds: (lower: Double, upper: Double) { get }
    /// The injectivity radius (∞ on Hadamard manifolds, π on the unit sphere).
    var injectivityRadius: Double { get }

    /// ⟨u, v⟩_x.
    func inner(_ x: [Double], _ u: [Double], _ v: [Double]) -> Double
    /// The Riemannian gradient at x of a function whose Euclidean (ambient) gradient is `euclidean`.
    func riemannianGradient(_ x: [Double], euclidean: [Double], into out: inout [Double])
    /// Exp_x(v).
    func exp(_ x: [Double], _ v: [Double], into y: inout [Double])
    /// Exp_x^{-1}(y) (inside the injectivity radius).
    func log(_ x: [Double], _ y: [Double], into v: inout [Double])
    /// Parallel transport Γ_x^y of v ∈ T_x along the minimizing geodesic from x to y.
    func transport(from x: [Double], to y: [Double], _ v: [Double], into out: inout [Double])
    /// The geodesic distance d(x, y).
    func distance(_ x: [Double], _ y: [Double]) -> Double
}

extension Manifold {
    /// ‖v‖_x.
    public func norm(_ x: [Double], _ v: [Double]) -> Double { inner(x, v, v).squareRoot() }

    public func exp(_ x: [Double], _ v: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: storageCount); exp(x, v, into: &y); return y
    }
    public func log(_ x: [Double], _ y: [Double]) -> [Double] {
        var v = [Double](repeating: 0, count: storageCount); log(x, y, into: &v); return v
    }
    public func transport(from x: [Double], to y: [Double], _ v: [Double]) -> [Double] {
        var o = [Double](repeating: 0, count: storageCount); transport(from: x, to: y, v, into: &o); return o
    }

    /// ζ(κ_min, D) of Zhang & Sra (2016, Lemma 5): √|κ|D / tanh(√|κ|D) for κ_min < 0, 1 for κ_min ≥ 0.
    public func zeta(diameter D: Double) -> Double { Curvature.zeta(kappa: curvatureBounds.lower, diameter: D) }
}

public enum Curvature {
    /// ζ(κ, D) = √|κ|D / tanh(√|κ|D) when κ < 0, else 1 (Zhang & Sra 2016, Lemma 5).
    public static func zeta(kappa: Double, diameter D: Double) -> Double {
        guard kappa < 0, D > 0 else { return 1 }
        let s = (-kappa).squareRoot() * D
        return s / Foundation.tanh(s)
    }
}

/// ℝ^d with the Euclidean metric: Exp_x v = x + v, Γ = I, d = ‖x − y‖ (curvature 0, ζ = 1).
/// On it the Riemannian methods are their Euclidean counterparts (L-SVRG, PAGE).
public struct EuclideanSpace: Manifold {
    public let dimension: Int
    public init(dimension: Int) { self.dimension = dimension }
    public var storageCount: Int { dimension }
    public var curvatureBounds: (lower: Double, upper: Double) { (0, 0) }
    public var injectivityRadius: Double { .infinity }

    public func inner(_ x: [Double], _ u: [Double], _ v: [Double]) -> Double { Vec.dot(u, v) }
    public func riemannianGradient(_ x: [Double], euclidean: [Double], into out: inout [Double]) {
        for i in 0..<dimension { out[i] = euclidean[i] }
    }
    public func exp(_ x: [Double], _ v: [Double], into y: inout [Double]) {
        for i in 0..<dimension { y[i] = x[i] + v[i] }
    }
    public func log(_ x: [Double], _ y: [Double], into v: inout [Double]) {
        for i in 0..<dimension { v[i] = y[i] - x[i] }
    }
    public func transport(from x: [Double], to y: [Double], _ v: [Double], into out: inout [Double]) {
        for i in 0..<dimension { out[i] = v[i] }
    }
    public func distance(_ x: [Double], _ y: [Double]) -> Double { Vec.distanceSquared(x, y).squareRoot() }
}
