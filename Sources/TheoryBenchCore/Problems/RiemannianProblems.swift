import Foundation

/// f(x) = (1/n) Σᵢ fᵢ(x) on a manifold, observed through Riemannian component gradients.
/// Methods see `manifold`, `value` and the gradients; claims see `constants`.
public protocol RiemannianFiniteSum: Sendable {
    associatedtype Space: Manifold
    var manifold: Space { get }
    /// n, the number of components.
    var componentCount: Int { get }
    /// [0, 1, …, n − 1] (stored, so that full gradients do not allocate).
    var allIndices: [Int] { get }
    var constants: RiemannianConstants { get }
    func value(_ x: [Double]) -> Double
    /// g ← g + weight·grad fᵢ(x) for every i in `indices` (a batch at one point shares its work).
    func addComponentGradients(_ indices: [Int], at x: [Double], weight: Double, into g: inout [Double])
    /// The Euclidean (ambient) gradient of the same formula, for the `Objective` view.
    func euclideanGradient(_ x: [Double], into g: inout [Double])
    /// The point at geodesic distance r from x* in a direction drawn from `seed` (instance starts).
    func start(distance r: Double, seed: UInt64) throws -> [Double]
    /// nil when x lies in the region where `constants` hold; otherwise why not (checked on every
    /// iterate at run time by the claims that rely on the region).
    func regionViolation(_ x: [Double]) -> String?
}

extension RiemannianFiniteSum {
    /// The constants hold everywhere (the default).
    public func regionViolation(_ x: [Double]) -> String? { nil }

    /// g ← grad f(x) = (1/n) Σᵢ grad fᵢ(x).
    public func gradient(_ x: [Double], into g: inout [Double]) {
        for j in g.indices { g[j] = 0 }
        addComponentGradients(allIndices, at: x, weight: 1 / Double(componentCount), into: &g)
    }
    public func gradient(_ x: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: manifold.storageCount); gradient(x, into: &g); return g
    }
    /// grad fᵢ(x) as a new vector.
    public func componentGradient(_ i: Int, at x: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: manifold.storageCount)
        addComponentGradients([i], at: x, weight: 1, into: &g); return g
    }
    /// ‖grad f(x)‖²_x.
    public func gradientNormSquared(_ x: [Double]) -> Double {
        let g = gradient(x); return manifold.inner(x, g, g)
    }
}

/// The exact constants of a Riemannian finite sum, valid on `region` (which contains every
/// iterate of the methods run from the instance's start). nil: not available exactly.
public struct RiemannianConstants: Sendable, Equatable {
    /// max Lᵢ, where ‖grad fᵢ(y) − Γ_x^y grad fᵢ(x)‖ ≤ Lᵢ d(x, y) on the region.
    public var Lmax: Double
    /// √((1/n) Σ Lᵢ²), the average smoothness of PAGE-type analyses.
    public var Lavg: Double
    /// Smoothness of f itself (≤ Lavg).
    public var Lf: Double
    /// μ of μ-strong geodesic convexity of f, if it holds on the region.
    public var mu: Double?
    /// μ of the Riemannian PL inequality ‖grad f‖² ≥ 2μ (f − f*), if it holds on the region.
    public var muPL: Double?
    /// ζ(κ_min, D) for the region (1 on a flat or on a manifold of curvature ≥ 0).
    public var zeta: Double?
    public var fStar: Double?
    public var xStar: [Double]?
    /// A certified bound on d(x̂, x*) when x* is computed numerically (nil: closed form).
    public var xStarAccuracy: Double?
    /// Where the constants hold and how they were obtained.
    public var region: String

    public init(Lmax: Double, Lavg: Double, Lf: Double, mu: Double? = nil, muPL: Double? = nil, zeta: Double? = nil,
                fStar: Double? = nil, xStar: [Double]? = nil, xStarAccuracy: Double? = nil, region: String) {
        self.Lmax = Lmax; self.Lavg = Lavg; self.Lf = Lf; self.mu = mu; self.muPL = muPL; self.zeta = zeta
        self.fStar = fStar; self.xStar = xStar; self.xStarAccuracy = xStarAccuracy; self.region = region
    }
}

/// The Riemannian problem of an instance. `flat` is set when the instance lives on a totally
/// geodesic flat where the methods coincide exactly with their Euclidean versions.
public struct RiemannianSetting: Sendable {
    public let problem: any RiemannianFiniteSum
    public let kind: String
    public var flat: Bool
    public init(problem: any RiemannianFiniteSum, kind: String, flat: Bool) {
        self.problem = problem; self.kind = kind; self.flat = flat
    }
    public var constants: RiemannianConstants { problem.constants }
}

/// The `Objective` view of a Riemannian problem that `Instance.problem` holds: f and its ambient
/// Euclidean gradient. Its `ProblemConstants` declare no convexity and no optimum (a Euclidean
/// reading of them would be wrong); the Riemannian constants are in `setting`, and they are the ones
/// it reports.
public struct RiemannianObjectiveView: Objective {
    public let setting: RiemannianSetting
    public init(_ setting: RiemannianSetting) { self.setting = setting }
    public var dimension: Int { setting.problem.manifold.storageCount }
    public var constants: ProblemConstants {
        ProblemConstants(L: setting.constants.Lavg, mu: nil, convex: false,
                         optimumSource: "Riemannian problem: see Instance.riemannian")
    }
    public func value(_ x: [Double]) -> Double { setting.problem.value(x) }
    public func gradient(_ x: [Double], into g: inout [Double]) { setting.problem.euclideanGradient(x, into: &g) }

    /// Lmax, Lavg, L_f, and where exact μ (g-convexity), μ_PL, ζ, f*, f(x₀) − f*, d²(x₀, x*), n; `flat`
    /// (1 on a totally geodesic flat) and the curvature bounds `kappa_min`, `kappa_max` where the iterates live.
    public func reportedConstants(start: [Double]) -> [String: Double] {
        let c = setting.constants, p = setting.problem
        var out: [String: Double] = ["n": Double(p.componentCount), "flat": setting.flat ? 1 : 0]
        // The sectional curvature where the iterates live: 0 on a flat, the manifold's bounds otherwise.
        let k = setting.flat ? (lower: 0.0, upper: 0.0) : p.manifold.curvatureBounds
        out["kappa_min"] = k.lower; out["kappa_max"] = k.upper
        for (k, v) in [("Lmax", c.Lmax), ("Lavg", c.Lavg), ("L_f", c.Lf)] where v.isFinite { out[k] = v }
        if let mu = c.mu { out["mu"] = mu }
        if let mu = c.muPL { out["mu_PL"] = mu }
        if let z = c.zeta { out["zeta"] = z }
        if let f = c.fStar { out["f*"] = f; out["f(x0)-f*"] = p.value(start) - f }
        if let xs = c.xStar { out["d(x0,x*)^2"] = pow(p.manifold.distance(start, xs), 2) }
        if let a = c.xStarAccuracy { out["x*_accuracy"] = a }
        return out
    }
}

/// A problem definition that cannot be used as asked (the catalog reports it with file and key).
public struct InvalidProblem: Error, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

// MARK: - Karcher mean on SPD(n)

/// The weighted Karcher (Fréchet) mean on SPD(n) with the affine-invariant metric:
///   f(X) = (1/N) Σᵢ (wᵢ/2) d²(X, Aᵢ),   grad fᵢ(X) = −wᵢ Log_X(Aᵢ).
/// Commuting anchors Aᵢ = Q diag(e^{aᵢ}) Qᵀ: the set F = {Q diag(e^y) Qᵀ} is a totally geodesic flat
/// isometric to ℝⁿ (y ↔ log-eigenvalues); there Exp is y + v, Γ is the identity and
/// fᵢ(y) = (wᵢ/2)‖y − aᵢ‖². Exact constants on F: Lᵢ = wᵢ, Lmax = max wᵢ, Lavg = √mean wᵢ²,
/// L_f = μ = μ_PL = w̄ (the mean weight), ζ = 1, y* = Σwᵢaᵢ/Σwᵢ, f* = (1/N)Σ(wᵢ/2)‖y* − aᵢ‖².
/// Every method started in F stays in F (all gradients at points of F are tangent to F).
/// Ball anchors (`ball(...)`): non-commuting, within R of I; constants certified on the geodesic ball
/// B(I, ρ) through ζ(−½, ·) and x* by a certified solve (docs/derivations/riemannian-vr.md §5.2);
/// `regionViolation` reports iterates outside the ball (§5.3).
/// General anchors: only μ = w̄ (½d²(·, A) is 1-strongly g-convex on a Hadamard manifold) is exact.
public struct KarcherMean: RiemannianFiniteSum {
    public let manifold: SPD
    public let anchors: [[Double]]
    public let weights: [Double]
    public let constants: RiemannianConstants
    /// For commuting anchors: Q (row-major) and the log-eigenvalues aᵢ.
    public let rotation: [Double]?
    public let logEigenvalues: [[Double]]?
    public let allIndices: [Int]

    public var componentCount: Int { anchors.count }

    /// Weights evenly spaced in [wMin, wMax] (unequal unless wMin = wMax).
    public static func evenWeights(_ count: Int, _ wMin: Double, _ wMax: Double) -> [Double] {
        (0..<count).map { count == 1 ? wMin : wMin + (wMax - wMin) * Double($0) / Double(count - 1) }
    }

    /// Commuting anchors: Q Haar-random, aᵢ with i.i.d. N(0, spread²) entries, all from `seed`.
    public static func commuting(size n: Int, count: Int, spread: Double, weights: [Double], seed: UInt64) -> KarcherMean {
        var rng = RandomStream(seed: seed)
        let q = LinearAlgebra.randomRotation(n, &rng).data
        let a = (0..<count).map { _ in (0..<n).map { _ in spread * rng.gaussian() } }
        return KarcherMean(rotation: q, logEigenvalues: a, weights: weights)
    }

    /// Q diag(e^y) Qᵀ.
    public static func flatPoint(_ q: [Double], _ y: [Double]) -> [Double] {
        let n = y.count
        var x = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for k in 0..<n {
            var s = 0.0
            for j in 0..<n { s += q[i * n + j] * Foundation.exp(y[j]) * q[k * n + j] }
            x[i * n + k] = s
        } }
        return x
    }

    init(rotation q: [Double], logEigenvalues a: [[Double]], weights w: [Double]) {
        let n = a[0].count, N = Double(a.count)
        manifold = SPD(size: n); rotation = q; logEigenvalues = a; weights = w; allIndices = Array(a.indices)
        anchors = a.map { KarcherMean.flatPoint(q, $0) }; ball = nil
        let wsum = w.reduce(0, +), wbar = wsum / N
        var ys = [Double](repeating: 0, count: n)
        for i in a.indices { Vec.axpy(w[i] / wsum, a[i], &ys) }
        let fs = a.indices.reduce(0.0) { $0 + 0.5 * w[$1] * Vec.distanceSquared(ys, a[$1]) } / N
        constants = RiemannianConstants(
            Lmax: w.max()!, Lavg: (w.reduce(0) { $0 + $1 * $1 } / N).squareRoot(), Lf: wbar,
            mu: wbar, muPL: wbar, zeta: 1, fStar: fs, xStar: KarcherMean.flatPoint(q, ys),
            region: "the flat {Q diag(e^y) Qᵀ} of the commuting anchors (totally geodesic, curvature 0): exact")
    }

    /// General (non-commuting) anchors: Aᵢ = exp of a symmetric matrix with N(0, spread²) entries.
    public static func general(size n: Int, count: Int, spread: Double, weights: [Double], seed: UInt64) -> KarcherMean {
        var rng = RandomStream(seed: seed)
        let spd = SPD(size: n)
        let anchors = (0..<count).map { _ -> [Double] in
            let s = spd.symmetrized((0..<(n * n)).map { _ in spread * rng.gaussian() })
            return spd.function(s, Foundation.exp)
        }
        return KarcherMean(anchors: anchors, weights: weights)
    }

    init(anchors: [[Double]], weights w: [Double]) {
        let n = Int(Double(anchors[0].count).squareRoot().rounded())
        manifold = SPD(size: n); self.anchors = anchors; weights = w; rotation = nil; logEigenvalues = nil
        allIndices = Array(anchors.indices); ball = nil
        let wbar = w.reduce(0, +) / Double(w.count)
        constants = RiemannianConstants(Lmax: .nan, Lavg: .nan, Lf: .nan, mu: wbar, muPL: nil, zeta: nil,
                                        region: "SPD(n), non-commuting anchors: only μ = w̄ is exact")
    }

    /// A certified geodesic ball B(I, ρ) of SPD(n): the region where a `ball` instance's constants hold.
    public struct Ball: Sendable, Equatable {
        /// R: every anchor lies within R of the centre I.
        public let anchorRadius: Double
        /// ρ ≥ R: the region's radius (iterates must stay in B(I, ρ)).
        public let radius: Double
    }
    /// The certified ball of a `ball` instance (nil otherwise).
    public let ball: Ball?

    /// Non-commuting anchors on a certified geodesic ball (docs/derivations/riemannian-vr.md §5):
    /// Aᵢ = Exp_I(rᵢUᵢ) = expm(rᵢUᵢ), Uᵢ symmetric with i.i.d. N(0, 1) entries normalized to ‖Uᵢ‖_F = 1
    /// (so d(I, Aᵢ) = rᵢ), rᵢ uniform in [R/2, R]. On B = B(I, ρ), ρ ≥ R, with κ_min = −½:
    /// Lᵢ = wᵢ ζ(−½, ρ + R) (Hessian comparison, d(X, Aᵢ) ≤ ρ + R), L_f = w̄ ζ(−½, ρ + R),
    /// μ = μ_PL = w̄, ζ = ζ(−½, 2ρ) (diam B = 2ρ). x* by Riemannian gradient descent with step 1/L_f to
    /// ‖grad f‖ ≤ 1e-12·max(1, ‖grad f(I)‖), certified by d(x̂, x*) ≤ ‖grad f(x̂)‖/μ; f* = f(x̂), accurate
    /// to ‖grad f(x̂)‖²/(2μ).
    public static func ball(size n: Int, count: Int, anchorRadius R: Double, radius rho: Double, weights: [Double],
                            seed: UInt64) -> KarcherMean {
        precondition(R > 0 && rho >= R, "need 0 < R ≤ ρ")
        var rng = RandomStream(seed: seed)
        let spd = SPD(size: n)
        let anchors = (0..<count).map { _ -> [Double] in
            var u = spd.symmetrized((0..<(n * n)).map { _ in rng.gaussian() })
            let norm = Vec.norm(u)
            let r = R * (0.5 + 0.5 * rng.uniform())
            for j in u.indices { u[j] *= r / norm }
            return spd.function(u, Foundation.exp)
        }
        return KarcherMean(ballAnchors: anchors, weights: weights, ball: Ball(anchorRadius: R, radius: rho))
    }

    init(ballAnchors anchors: [[Double]], weights w: [Double], ball b: Ball) {
        let n = Int(Double(anchors[0].count).squareRoot().rounded())
        manifold = SPD(size: n); self.anchors = anchors; weights = w; rotation = nil; logEigenvalues = nil
        allIndices = Array(anchors.indices); ball = b
        let N = Double(w.count), wbar = w.reduce(0, +) / N
        let zetaL = Curvature.zeta(kappa: -0.5, diameter: b.radius + b.anchorRadius)
        let zeta = Curvature.zeta(kappa: -0.5, diameter: 2 * b.radius)
        let lf = wbar * zetaL
        // x*: Riemannian GD with step 1/L_f from the centre (linear at rate ≤ 1 − μ/L_f; stays in the
        // ball of the anchors, which is geodesically convex).
        let problem = KarcherMean(anchors: anchors, weights: w)
        var x = [Double](repeating: 0, count: n * n)
        for i in 0..<n { x[i * n + i] = 1 }
        var g = problem.gradient(x), gnorm = problem.manifold.norm(x, g)
        let target = 1e-12 * max(1, gnorm)
        var y = x
        for _ in 0..<100_000 where gnorm > target {
            for j in g.indices { g[j] *= -1 / lf }
            problem.manifold.exp(x, g, into: &y)
            swap(&x, &y)
            g = problem.gradient(x); gnorm = problem.manifold.norm(x, g)
        }
        let accuracy = gnorm / wbar
        let fs = problem.value(x)
        constants = RiemannianConstants(
            Lmax: w.max()! * zetaL, Lavg: (w.reduce(0) { $0 + $1 * $1 } / N).squareRoot() * zetaL, Lf: lf,
            mu: wbar, muPL: wbar, zeta: zeta, fStar: fs, xStar: x, xStarAccuracy: accuracy,
            region: "the geodesic ball B(I, ρ = \(b.radius)) of SPD(\(n)) (curvature in [−½, 0]); anchors within R = \(b.anchorRadius) of I; Lᵢ = wᵢζ(−½, ρ + R), ζ = ζ(−½, 2ρ); x* by Riemannian GD, d(x̂, x*) ≤ \(accuracy)")
    }

    /// d(I, X) = ‖log eig(X)‖ (the distance to the ball's centre).
    public func distanceToCentre(_ x: [Double]) -> Double {
        manifold.eigen(x).values.reduce(0) { $0 + Foundation.log($1) * Foundation.log($1) }.squareRoot()
    }

    public func regionViolation(_ x: [Double]) -> String? {
        guard let b = ball else { return nil }
        let d = distanceToCentre(x)
        return d <= b.radius ? nil : "d(I, x) = \(d) > ρ = \(b.radius): outside the certified ball"
    }

    public func value(_ x: [Double]) -> Double {
        let r = manifold.roots(x)
        var s = 0.0
        for i in anchors.indices {
            let lambda = manifold.eigen(manifold.congruence(r.invSqrt, anchors[i])).values
            s += 0.5 * weights[i] * lambda.reduce(0) { $0 + Foundation.log($1) * Foundation.log($1) }
        }
        return s / Double(anchors.count)
    }

    public func addComponentGradients(_ indices: [Int], at x: [Double], weight: Double, into g: inout [Double]) {
        let r = manifold.roots(x)
        var v = [Double](repeating: 0, count: manifold.storageCount)
        for i in indices {
            manifold.logarithm(roots: r, anchors[i], into: &v)
            Vec.axpy(-weight * weights[i], v, &g)
        }
    }

    public func euclideanGradient(_ x: [Double], into g: inout [Double]) {
        // grad = X ∇f X  ⇒  ∇f = X⁻¹ grad X⁻¹ = X^-½ (X^-½ grad X^-½) X^-½
        let r = manifold.roots(x)
        let out = manifold.congruence(r.invSqrt, manifold.congruence(r.invSqrt, gradient(x)))
        for i in g.indices { g[i] = out[i] }
    }

    /// The log-eigenvalue coordinates y of a point X = Q diag(e^y) Qᵀ of the flat: yⱼ = log(qⱼᵀ X qⱼ).
    public func flatCoordinates(_ x: [Double]) -> [Double]? {
        guard let q = rotation else { return nil }
        let n = manifold.size
        return (0..<n).map { j in
            var s = 0.0
            for i in 0..<n { for k in 0..<n { s += q[i * n + j] * x[i * n + k] * q[k * n + j] } }
            return Foundation.log(s)
        }
    }

    /// The Euclidean problem fᵢ(y) = (wᵢ/2)‖y − aᵢ‖² that the flat is isometric to.
    public var flatCounterpart: WeightedCenters? {
        logEigenvalues.map { WeightedCenters(centers: $0, weights: weights) }
    }

    public func start(distance r: Double, seed: UInt64) throws -> [Double] {
        if let b = ball, let xs = constants.xStar {
            // Exp_{x*}(r U/‖U‖_{x*}), U symmetric with i.i.d. N(0, 1) entries; it must lie inside the ball.
            var rng = RandomStream(seed: StableHash.mix(seed ^ 0x5747_4152_5400))
            var u = manifold.symmetrized((0..<manifold.storageCount).map { _ in rng.gaussian() })
            let s = r / manifold.norm(xs, u)
            for j in u.indices { u[j] *= s }
            let x0 = manifold.exp(xs, u)
            let d = distanceToCentre(x0)
            guard d < b.radius else { throw InvalidProblem("the start lies at d(I, x₀) = \(d) ≥ ρ = \(b.radius): outside the certified ball") }
            return x0
        }
        guard let q = rotation, let c = flatCounterpart else {
            throw InvalidProblem("a start at a distance needs commuting anchors (x* known)")
        }
        return KarcherMean.flatPoint(q, try c.start(distance: r, seed: seed))
    }
}

/// fᵢ(y) = (wᵢ/2)‖y − cᵢ‖² on ℝⁿ: the Euclidean image of the commuting Karcher mean.
public struct WeightedCenters: RiemannianFiniteSum {
    public let manifold: EuclideanSpace
    public let centers: [[Double]]
    public let weights: [Double]
    public let constants: RiemannianConstants
    public let allIndices: [Int]
    public var componentCount: Int { centers.count }

    public init(centers: [[Double]], weights w: [Double]) {
        let n = centers[0].count, N = Double(centers.count)
        manifold = EuclideanSpace(dimension: n); self.centers = centers; weights = w; allIndices = Array(centers.indices)
        let wsum = w.reduce(0, +), wbar = wsum / N
        var ys = [Double](repeating: 0, count: n)
        for i in centers.indices { Vec.axpy(w[i] / wsum, centers[i], &ys) }
        let fs = centers.indices.reduce(0.0) { $0 + 0.5 * w[$1] * Vec.distanceSquared(ys, centers[$1]) } / N
        constants = RiemannianConstants(Lmax: w.max()!, Lavg: (w.reduce(0) { $0 + $1 * $1 } / N).squareRoot(), Lf: wbar,
                                        mu: wbar, muPL: wbar, zeta: 1, fStar: fs, xStar: ys, region: "ℝⁿ")
    }

    public func value(_ y: [Double]) -> Double {
        centers.indices.reduce(0.0) { $0 + 0.5 * weights[$1] * Vec.distanceSquared(y, centers[$1]) } / Double(centers.count)
    }
    public func addComponentGradients(_ indices: [Int], at y: [Double], weight: Double, into g: inout [Double]) {
        for i in indices {
            let c = weight * weights[i]
            for j in y.indices { g[j] += c * (y[j] - centers[i][j]) }
        }
    }
    public func euclideanGradient(_ y: [Double], into g: inout [Double]) { gradient(y, into: &g) }
    public func start(distance r: Double, seed: UInt64) throws -> [Double] {
        var rng = RandomStream(seed: StableHash.mix(seed ^ 0x5747_4152_5400))
        var u = [Double](repeating: 0, count: manifold.dimension)
        rng.unitVector(into: &u)
        return zip(constants.xStar!, u).map { $0 + r * $1 }
    }
}

// MARK: - Leading eigenvector on the sphere

/// f(x) = −(1/2N) Σᵢ (aᵢᵀx)² = −½ xᵀAx on S^{d−1}, A = (1/N) Σ aᵢaᵢᵀ; grad fᵢ(x) = −(aᵢᵀx)(aᵢ − (aᵢᵀx)x).
/// Exact constants: x* = ±v₁ (top eigenvector of A, gsl_eigen_symmv), f* = −λ₁/2. Smoothness
/// [derived]: the Riemannian Hessian of fᵢ on T_x is −P_x BᵢP_x + (xᵀBᵢx)I with Bᵢ = aᵢaᵢᵀ, whose
/// eigenvalues lie in [−(λmax(Bᵢ) − λmin(Bᵢ)), λmax(Bᵢ) − λmin(Bᵢ)]; so Lᵢ = ‖aᵢ‖² (rank one, d ≥ 2),
/// L_f = λ₁ − λ_d, Lavg = √mean‖aᵢ‖⁴ ≥ mean‖aᵢ‖² ≥ λ₁ − λ_d. A Hessian bound gives the transported-
/// gradient Lipschitz bound along geodesics, everywhere on the sphere (ζ = 1, curvature +1 ≥ 0).
public struct SpherePCA: RiemannianFiniteSum {
    public let manifold: Sphere
    /// N×d row-major.
    public let data: [Double]
    public let count: Int
    public let constants: RiemannianConstants
    /// Eigenvalues of A, descending.
    public let spectrum: [Double]
    public let allIndices: [Int]
    public var componentCount: Int { count }

    /// aᵢ = diag(√s) zᵢ with zᵢ ~ N(0, I_d), s₁ = top, s₂…s_d evenly spaced in [restMin, restMax].
    public static func generated(dimension d: Int, count: Int, top: Double, restMin: Double, restMax: Double,
                                 seed: UInt64) -> SpherePCA {
        var rng = RandomStream(seed: seed)
        let s = [top] + (0..<(d - 1)).map { d == 2 ? restMax : restMax - (restMax - restMin) * Double($0) / Double(d - 2) }
        var data = [Double](repeating: 0, count: count * d)
        for i in 0..<count { for j in 0..<d { data[i * d + j] = s[j].squareRoot() * rng.gaussian() } }
        return SpherePCA(data: data, count: count, dimension: d)
    }

    public init(data: [Double], count: Int, dimension d: Int) {
        self.data = data; self.count = count; manifold = Sphere(ambientDimension: d); allIndices = Array(0..<count)
        var a = Matrix(zeros: d, d)
        var sq = [Double]()
        for i in 0..<count {
            var n2 = 0.0
            for j in 0..<d {
                n2 += data[i * d + j] * data[i * d + j]
                for k in 0..<d { a.data[j * d + k] += data[i * d + j] * data[i * d + k] / Double(count) }
            }
            sq.append(n2)
        }
        let e = LinearAlgebra.symmetricEigen(a)
        spectrum = e.values.reversed()
        let v1 = (0..<d).map { e.vectors[$0, d - 1] }
        constants = RiemannianConstants(
            Lmax: sq.max()!, Lavg: (sq.reduce(0) { $0 + $1 * $1 } / Double(count)).squareRoot(),
            Lf: spectrum.first! - spectrum.last!, mu: nil, muPL: nil, zeta: 1,
            fStar: -0.5 * spectrum.first!, xStar: v1,
            region: "the whole sphere (Hessian bounds; curvature +1 so ζ = 1)")
    }

    /// δ = λ₁ − λ₂.
    public var eigengap: Double { spectrum[0] - spectrum[1] }

    public func value(_ x: [Double]) -> Double {
        let d = manifold.ambientDimension
        var s = 0.0
        data.withUnsafeBufferPointer { a in x.withUnsafeBufferPointer { xp in
            for i in 0..<count { var t = 0.0; for j in 0..<d { t += a[i * d + j] * xp[j] }; s += t * t }
        } }
        return -0.5 * s / Double(count)
    }

    public func addComponentGradients(_ indices: [Int], at x: [Double], weight: Double, into g: inout [Double]) {
        let d = manifold.ambientDimension
        data.withUnsafeBufferPointer { a in x.withUnsafeBufferPointer { xp in g.withUnsafeMutableBufferPointer { gp in
            for i in indices {
                var t = 0.0
                for j in 0..<d { t += a[i * d + j] * xp[j] }
                // −t(aᵢ − t x)
                for j in 0..<d { gp[j] += weight * (-t) * (a[i * d + j] - t * xp[j]) }
            }
        } } }
    }

    public func euclideanGradient(_ x: [Double], into g: inout [Double]) {
        let d = manifold.ambientDimension
        for j in 0..<d { g[j] = 0 }
        for i in 0..<count {
            var t = 0.0
            for j in 0..<d { t += data[i * d + j] * x[j] }
            for j in 0..<d { g[j] -= t * data[i * d + j] / Double(count) }
        }
    }

    /// cos r·v₁ + sin r·u with u ⊥ v₁ a unit vector drawn from `seed`.
    public func start(distance r: Double, seed: UInt64) throws -> [Double] {
        let d = manifold.ambientDimension, v1 = constants.xStar!
        var rng = RandomStream(seed: StableHash.mix(seed ^ 0x5747_4152_5400))
        var u = [Double](repeating: 0, count: d)
        rng.unitVector(into: &u)
        Vec.axpy(-Vec.dot(u, v1), v1, &u)
        Vec.scale(1 / Vec.norm(u), &u)
        return (0..<d).map { Foundation.cos(r) * v1[$0] + Foundation.sin(r) * u[$0] }
    }
}

// MARK: - Replicated finite sums (a size parameter at fixed f)

/// The finite sum of n = copies·N components made of `copies` copies of each of `base`'s N components
/// (component i is base component i mod N). f, x*, f*, the multiset of Lᵢ (so Lmax, Lavg, L_f) and
/// every gradient are exactly `base`'s; uniform sampling of an index equals uniform sampling from
/// `base`. What changes with n is only the accounting: a full gradient costs n component calls. It
/// lets a claim vary n at fixed constants (e.g. R-PAGE's oracle complexity in n).
/// A full gradient (`indices` = 0…n−1) is computed as `base`'s full gradient with weight·copies (the
/// same vector up to rounding, at 1/copies of the work); a minibatch maps its indices (one small
/// allocation per call).
public struct Replicated<Base: RiemannianFiniteSum>: RiemannianFiniteSum {
    public let base: Base
    public let copies: Int
    public let allIndices: [Int]
    public init(_ base: Base, copies: Int) {
        precondition(copies >= 1)
        self.base = base; self.copies = copies; allIndices = Array(0..<(base.componentCount * copies))
    }
    public var manifold: Base.Space { base.manifold }
    public var componentCount: Int { base.componentCount * copies }
    public var constants: RiemannianConstants { base.constants }
    public func value(_ x: [Double]) -> Double { base.value(x) }
    public func addComponentGradients(_ indices: [Int], at x: [Double], weight: Double, into g: inout [Double]) {
        if indices.count == componentCount && indices.elementsEqual(allIndices) {
            base.addComponentGradients(base.allIndices, at: x, weight: weight * Double(copies), into: &g)
        } else {
            let n = base.componentCount
            base.addComponentGradients(indices.map { $0 % n }, at: x, weight: weight, into: &g)
        }
    }
    public func euclideanGradient(_ x: [Double], into g: inout [Double]) { base.euclideanGradient(x, into: &g) }
    public func start(distance r: Double, seed: UInt64) throws -> [Double] { try base.start(distance: r, seed: seed) }
    public func regionViolation(_ x: [Double]) -> String? { base.regionViolation(x) }
}
