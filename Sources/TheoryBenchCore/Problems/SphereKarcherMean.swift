import Foundation

/// The weighted Karcher (Fréchet) mean on the unit sphere S^{d−1} ⊂ ℝ^d inside a small cap, a
/// positively curved (sectional curvature +1), geodesically strongly convex finite sum:
///   f(x) = (1/N) Σᵢ (wᵢ/2) d²(x, aᵢ),   grad fᵢ(x) = −wᵢ Log_x(aᵢ),
/// anchors aᵢ = Exp_c(rᵢuᵢ) around the centre c = e₁ (uᵢ a random unit tangent at c, rᵢ uniform in
/// [R/2, R], so d(c, aᵢ) ≤ R). The region is the closed cap X = B(c, ρ), R < ρ, D = ρ + R < π/2
/// (docs/derivations/riemannian-vr.md §5.6). On X, with r = d(x, aᵢ) ≤ D, the Hessian of ½d²(·, aᵢ)
/// has eigenvalue 1 along the geodesic to aᵢ and r·cot r ∈ [D cot D, 1] across it (Lemma 5.1), so:
/// Lᵢ = wᵢ, Lmax = max wᵢ, Lavg = √mean wᵢ², L_f = w̄, μ = μ_PL = w̄·D cot D, ζ = 1 (curvature ≥ 0,
/// Lemma 5.2). x* (the minimiser over X, interior: d(c, x*) ≤ R, Lemma 5.3) by Riemannian gradient
/// descent with step 1/L_f, certified by d(x̂, x*) ≤ ‖grad f(x̂)‖/μ; `regionViolation` reports
/// iterates outside X (§5.3).
public struct SphereKarcher: RiemannianFiniteSum {
    public let manifold: Sphere
    /// N×d row-major anchors.
    public let anchors: [Double]
    public let weights: [Double]
    public let count: Int
    /// R: every anchor lies within R of the centre e₁.
    public let anchorRadius: Double
    /// ρ: the cap's radius (iterates must stay in B(e₁, ρ)).
    public let radius: Double
    public private(set) var constants: RiemannianConstants
    public let allIndices: [Int]
    public let centre: [Double]
    public var componentCount: Int { count }

    /// D cot D for the largest distance D = ρ + R between a point of the cap and an anchor.
    public static func curvatureFactor(anchorRadius R: Double, radius rho: Double) -> Double {
        let D = rho + R
        return D / Foundation.tan(D)
    }

    /// Anchors drawn from `seed`; throws when ρ ≤ R, ρ + R ≥ π/2 or the x* solve leaves the cap.
    public static func cap(dimension d: Int, count: Int, anchorRadius R: Double, radius rho: Double,
                           weights: [Double], seed: UInt64) throws -> SphereKarcher {
        guard d >= 3 else { throw InvalidProblem("dimension \(d) < 3: S^{d−1} must be at least two-dimensional (curved)") }
        guard R > 0, rho > R else { throw InvalidProblem("need 0 < R < ρ (R = \(R), ρ = \(rho))") }
        guard rho + R < Double.pi / 2 else { throw InvalidProblem("ρ + R = \(rho + R) ≥ π/2: μ = w̄·D cot D needs D = ρ + R < π/2") }
        var rng = RandomStream(seed: seed)
        let sphere = Sphere(ambientDimension: d)
        var centre = [Double](repeating: 0, count: d); centre[0] = 1
        var anchors = [Double](), u = [Double](repeating: 0, count: d), a = u
        for _ in 0..<count {
            u[0] = 0
            for j in 1..<d { u[j] = rng.gaussian() }
            let r = R * (0.5 + 0.5 * rng.uniform())
            Vec.scale(r / Vec.norm(u), &u)
            sphere.exp(centre, u, into: &a)
            anchors += a
        }
        return try SphereKarcher(anchors: anchors, weights: weights, anchorRadius: R, radius: rho)
    }

    init(anchors: [Double], weights w: [Double], anchorRadius R: Double, radius rho: Double) throws {
        let d = anchors.count / w.count, N = Double(w.count)
        manifold = Sphere(ambientDimension: d); self.anchors = anchors; weights = w; count = w.count
        anchorRadius = R; radius = rho; allIndices = Array(0..<w.count)
        var c = [Double](repeating: 0, count: d); c[0] = 1; centre = c
        let wbar = w.reduce(0, +) / N, mu = wbar * SphereKarcher.curvatureFactor(anchorRadius: R, radius: rho)
        // Placeholder constants while x* is solved for (the solve reads only the geometry).
        constants = RiemannianConstants(Lmax: .nan, Lavg: .nan, Lf: .nan, region: "")
        let (xs, gnorm) = try solve(step: 1 / wbar)
        let accuracy = gnorm / mu
        constants = RiemannianConstants(
            Lmax: w.max()!, Lavg: (w.reduce(0) { $0 + $1 * $1 } / N).squareRoot(), Lf: wbar,
            mu: mu, muPL: mu, zeta: 1, fStar: value(xs), xStar: xs, xStarAccuracy: accuracy,
            region: "the cap B(e₁, ρ = \(rho)) of S^\(d - 1) (curvature +1); anchors within R = \(R) of e₁; Lᵢ = wᵢ, μ = w̄·D cot D with D = ρ + R, ζ = 1; x* by Riemannian GD, d(x̂, x*) ≤ \(accuracy)")
    }

    /// Riemannian GD x ← Exp_x(−η grad f(x)) from the centre until ‖grad f‖ ≤ 10⁻¹³·max(1, ‖grad f(c)‖)
    /// (at most 10⁴ steps), every iterate checked to stay in the cap. Returns x̂ and ‖grad f(x̂)‖.
    func solve(step: Double) throws -> (x: [Double], gradientNorm: Double) {
        var x = centre, y = centre, g = gradient(centre)
        var gnorm = Vec.norm(g)
        let target = 1e-13 * max(1, gnorm)
        for _ in 0..<10_000 where gnorm > target {
            Vec.scale(-step, &g)
            manifold.exp(x, g, into: &y)
            swap(&x, &y)
            guard manifold.distance(centre, x) <= radius else { throw InvalidProblem("the x* solve left the cap") }
            gradient(x, into: &g); gnorm = Vec.norm(g)
        }
        return (x, gnorm)
    }

    /// d(e₁, x).
    public func distanceToCentre(_ x: [Double]) -> Double { manifold.distance(centre, x) }

    public func regionViolation(_ x: [Double]) -> String? {
        let r = distanceToCentre(x)
        return r <= radius ? nil : "d(e₁, x) = \(r) > ρ = \(radius): outside the certified cap"
    }

    /// (θ, 1/‖aᵢ − ⟨x, aᵢ⟩x‖, ⟨x, aᵢ⟩) for anchor i: Log_x aᵢ = θ·(aᵢ − ⟨x, aᵢ⟩x)/‖·‖.
    @inline(__always)
    func geometry(_ i: Int, _ a: UnsafeBufferPointer<Double>, _ x: UnsafeBufferPointer<Double>) -> (theta: Double, inv: Double, c: Double) {
        let d = manifold.ambientDimension, o = i * d
        var c = 0.0
        for j in 0..<d { c += a[o + j] * x[j] }
        var w2 = 0.0
        for j in 0..<d { let t = a[o + j] - c * x[j]; w2 += t * t }
        let w = w2.squareRoot()
        return (Foundation.atan2(w, c), w < 1e-300 ? 0 : 1 / w, c)
    }

    public func value(_ x: [Double]) -> Double {
        var s = 0.0
        anchors.withUnsafeBufferPointer { a in x.withUnsafeBufferPointer { xp in
            for i in 0..<count { let t = geometry(i, a, xp).theta; s += 0.5 * weights[i] * t * t }
        } }
        return s / Double(count)
    }

    public func addComponentGradients(_ indices: [Int], at x: [Double], weight: Double, into g: inout [Double]) {
        let d = manifold.ambientDimension
        anchors.withUnsafeBufferPointer { a in x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { gp in
            for i in indices {
                let (theta, inv, c) = geometry(i, a, xp)
                let s = -weight * weights[i] * theta * inv          // −wᵢ Log_x aᵢ, scaled
                for j in 0..<d { gp[j] += s * (a[i * d + j] - c * xp[j]) }
            }
        } } }
    }

    /// The ambient gradient of the extension x ↦ f(x/‖x‖) at a unit x: the Riemannian gradient itself.
    public func euclideanGradient(_ x: [Double], into g: inout [Double]) { gradient(x, into: &g) }

    /// Exp_{x*}(r u), u a unit tangent at x* drawn from `seed`; it must lie inside the cap.
    public func start(distance r: Double, seed: UInt64) throws -> [Double] {
        guard let xs = constants.xStar else { throw InvalidProblem("x* unknown") }
        var rng = RandomStream(seed: StableHash.mix(seed ^ 0x5747_4152_5400))
        var u = [Double](repeating: 0, count: manifold.ambientDimension)
        rng.unitVector(into: &u)
        Vec.axpy(-Vec.dot(u, xs), xs, &u)
        Vec.scale(r / Vec.norm(u), &u)
        let x0 = manifold.exp(xs, u)
        let d = distanceToCentre(x0)
        guard d < radius else { throw InvalidProblem("the start lies at d(e₁, x₀) = \(d) ≥ ρ = \(radius): outside the certified cap") }
        return x0
    }
}
