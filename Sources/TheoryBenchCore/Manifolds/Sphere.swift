import Foundation

/// The unit sphere S^{d−1} ⊂ ℝ^d with the induced metric: curvature +1 (so ζ = 1), injectivity
/// radius π (Absil, Mahony & Sepulchre 2008; Boumal 2023, §5.5 and §10.5).
///   P_x g = g − ⟨x, g⟩x;  Exp_x v = cos‖v‖ x + sin‖v‖ v/‖v‖;  d(x, y) = atan2(‖y − ⟨x,y⟩x‖, ⟨x,y⟩);
///   Log_x y = θ u with u = (y − ⟨x,y⟩x)/‖·‖;  Γ_x^y v = v + ⟨u, v⟩((cos θ − 1)u − sin θ x)
/// (along γ(t) = cos t x + sin t u the field u ↦ γ'(θ) = −sin θ x + cos θ u is parallel and the
/// directions orthogonal to x and u are unchanged).
public struct Sphere: Manifold {
    /// d, the ambient dimension (the sphere has dimension d − 1).
    public let ambientDimension: Int
    public init(ambientDimension: Int) { self.ambientDimension = ambientDimension }
    public var storageCount: Int { ambientDimension }
    public var dimension: Int { ambientDimension - 1 }
    public var curvatureBounds: (lower: Double, upper: Double) { (1, 1) }
    public var injectivityRadius: Double { .pi }

    public func inner(_ x: [Double], _ u: [Double], _ v: [Double]) -> Double { Vec.dot(u, v) }

    public func riemannianGradient(_ x: [Double], euclidean g: [Double], into out: inout [Double]) {
        let a = Vec.dot(x, g)
        for i in 0..<ambientDimension { out[i] = g[i] - a * x[i] }
    }

    public func exp(_ x: [Double], _ v: [Double], into y: inout [Double]) {
        let t = Vec.norm(v)
        if t < 1e-300 { for i in 0..<ambientDimension { y[i] = x[i] }; return }
        let c = Foundation.cos(t), s = Foundation.sin(t) / t
        var n2 = 0.0
        for i in 0..<ambientDimension { let z = c * x[i] + s * v[i]; y[i] = z; n2 += z * z }
        let r = 1 / n2.squareRoot()        // remove rounding drift off the sphere
        for i in 0..<ambientDimension { y[i] *= r }
    }

    /// θ = d(x, y) and ‖y − ⟨x,y⟩x‖ (for the unit direction u).
    @inline(__always)
    func angle(_ x: [Double], _ y: [Double]) -> (theta: Double, c: Double, w: Double) {
        let c = Vec.dot(x, y)
        var w2 = 0.0
        for i in 0..<ambientDimension { let t = y[i] - c * x[i]; w2 += t * t }
        let w = w2.squareRoot()
        return (Foundation.atan2(w, c), c, w)
    }

    public func log(_ x: [Double], _ y: [Double], into v: inout [Double]) {
        let (theta, c, w) = angle(x, y)
        if w < 1e-300 { for i in 0..<ambientDimension { v[i] = 0 }; return }
        let s = theta / w
        for i in 0..<ambientDimension { v[i] = s * (y[i] - c * x[i]) }
    }

    public func transport(from x: [Double], to y: [Double], _ v: [Double], into out: inout [Double]) {
        let (theta, c, w) = angle(x, y)
        if w < 1e-300 { for i in 0..<ambientDimension { out[i] = v[i] }; return }
        // u = (y − c x)/w; ⟨u, v⟩ = (⟨y, v⟩ − c⟨x, v⟩)/w
        let uv = (Vec.dot(y, v) - c * Vec.dot(x, v)) / w
        let a = (Foundation.cos(theta) - 1) * uv / w, b = Foundation.sin(theta) * uv
        for i in 0..<ambientDimension { out[i] = v[i] + a * (y[i] - c * x[i]) - b * x[i] }
    }

    public func distance(_ x: [Double], _ y: [Double]) -> Double { angle(x, y).theta }
}
