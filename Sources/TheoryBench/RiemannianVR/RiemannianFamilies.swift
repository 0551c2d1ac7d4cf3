import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The part every Riemannian instance carries: its finite sum on a manifold, with the exact
/// Riemannian constants. Riemannian methods sample its components through the manifold; Euclidean
/// claims do not understand this part, so they never pair with these instances.
public struct ManifoldPart: InstancePart {
    public static let kind: PartKind = "manifold"
    public let setting: RiemannianSetting
    public init(_ setting: RiemannianSetting) { self.setting = setting }
    public var description: String { "\(setting.kind) on \(type(of: setting.problem.manifold))" }
}

extension PartKind {
    public static let manifold = ManifoldPart.kind
}

extension Instance {
    /// The Riemannian problem, when the instance is one (nil for Euclidean instances).
    public var riemannian: RiemannianSetting? { part(ManifoldPart.self)?.setting }
}

/// The measurements of a Riemannian run in the manifold's geometry: f − f*, d²(x, x*) and
/// ‖grad f‖²_x (NaN where f* or x* is not known).
struct RiemannianGeometry<P: RiemannianFiniteSum>: MeasurementGeometry {
    let problem: P
    init(_ problem: P) { self.problem = problem }
    func suboptimality(_ x: [Double]) -> Double { problem.value(x) - (problem.constants.fStar ?? .nan) }
    func distanceSquaredToOptimum(_ x: [Double]) -> Double {
        guard let xs = problem.constants.xStar else { return .nan }
        return pow(problem.manifold.distance(x, xs), 2)
    }
    func gradientNormSquared(_ x: [Double], scratch: inout [Double]) -> Double {
        problem.gradient(x, into: &scratch)
        return problem.manifold.inner(x, scratch, scratch)
    }
}

/// The Riemannian problem families (see `problems/README.md`): the instance's `problem` is the
/// `RiemannianObjectiveView` of the manifold problem, its `manifold` part the problem itself, and
/// `start: {distance: r}` is a geodesic distance from x*.
extension ProblemFamily {
    static func riemannian(_ setting: RiemannianSetting, seed: UInt64) -> ProblemReading {
        ProblemReading(RiemannianObjectiveView(setting), parts: [ManifoldPart(setting)]) { r in
            try setting.problem.start(distance: r, seed: seed)
        }
    }

    public static let spdKarcher = ProblemFamily(
        name: "spd-karcher",
        documentation: """
        the weighted Karcher mean on SPD(n) with the affine-invariant metric, f(X) = (1/N)Σᵢ(wᵢ/2)d²(X, Aᵢ). \
        `size` n, `components` N, `spread` (std of the anchors' log-eigenvalues, or of the symmetric \
        generator; default 1), `weights: {min, max}` (N weights evenly spaced), `anchors: commuting` (a \
        totally geodesic flat: every constant exact; default), `ball` (non-commuting anchors within \
        `ball: {anchors: R, radius: ρ}` of I; constants certified on B(I, ρ) with ζ(−½, ·), x* by a \
        deterministic solve; every iterate is checked to stay in the ball) or `general` (only μ = w̄ exact).
        """,
        space: spdKarcherSpace
    ) { f, _, seed in
        let (n, count, spread, weights) = try weightedAnchors(&f)
        let anchors = try f.string("anchors") ?? "commuting"
        let problem: KarcherMean
        switch anchors {
        case "commuting": problem = .commuting(size: n, count: count, spread: spread, weights: weights, seed: seed)
        case "general": problem = .general(size: n, count: count, spread: spread, weights: weights, seed: seed)
        case "ball":
            guard var b = try f.sub("ball") else { throw f.error("ball", "missing: anchors: ball needs ball: {anchors: R, radius: ρ}") }
            guard let R = try b.double("anchors", where: { $0 > 0 }, "positive") else { throw b.error("anchors", "missing (required): the anchors' radius R") }
            guard let rho = try b.double("radius", where: { $0 > 0 }, "positive") else { throw b.error("radius", "missing (required): the region's radius ρ") }
            try b.rejectUnknown()
            guard rho >= R else { throw b.error("radius", "ρ = \(rho) < R = \(R): the region must contain the anchors") }
            problem = .ball(size: n, count: count, anchorRadius: R, radius: rho, weights: weights, seed: seed)
        default: throw f.error("anchors", "unknown '\(anchors)' (known: commuting, ball, general)")
        }
        return riemannian(RiemannianSetting(problem: problem, kind: "spd-karcher", flat: anchors == "commuting"), seed: seed)
    }

    public static let spherePCA = ProblemFamily(
        name: "sphere-pca",
        documentation: """
        the leading eigenvector on the sphere S^{d−1}, f(x) = −(1/2N)Σᵢ(aᵢᵀx)². `dimension` d ≥ 2, \
        `components` N, `spectrum: {top, min, max}` (data covariance s₁ = top, the others evenly spaced in \
        [min, max]; default 4, 0.5, 1). Constants: Lᵢ = ‖aᵢ‖², L_f = λ₁ − λ_d, f* = −λ₁/2, x* = v₁ exact.
        """,
        space: spherePCASpace
    ) { f, _, seed in
        guard let d = try f.positiveInt("dimension"), d >= 2 else { throw f.error("dimension", "missing or < 2") }
        guard let count = try f.positiveInt("components") else { throw f.error("components", "missing (required)") }
        var top = 4.0, lo = 0.5, hi = 1.0
        if var s = try f.sub("spectrum") {
            top = try s.double("top", where: { $0 > 0 }, "positive") ?? top
            lo = try s.double("min", where: { $0 > 0 }, "positive") ?? lo
            hi = try s.double("max", where: { $0 > 0 }, "positive") ?? hi
            try s.rejectUnknown()
            guard lo <= hi, hi < top else { throw s.error("top", "need min ≤ max < top (an eigengap)") }
        }
        let problem = SpherePCA.generated(dimension: d, count: count, top: top, restMin: lo, restMax: hi, seed: seed)
        return riemannian(RiemannianSetting(problem: problem, kind: "sphere-pca", flat: false), seed: seed)
    }

    /// weighted-centers: the Euclidean image of `spd-karcher` with commuting anchors, fᵢ(y) = (wᵢ/2)‖y − aᵢ‖²
    /// on ℝⁿ; with the same seed its data are the log-eigenvalues of the SPD instance's anchors. A
    /// Euclidean positive control for the Riemannian claims.
    public static let weightedCenters = ProblemFamily(
        name: "weighted-centers",
        documentation: """
        fᵢ(y) = (wᵢ/2)‖y − aᵢ‖² on ℝⁿ, the Euclidean image of `spd-karcher` with commuting anchors (the same \
        keys; with the same seed its centres are the SPD anchors' log-eigenvalues): the Riemannian claims' \
        Euclidean positive control.
        """,
        space: weightedCentersSpace
    ) { f, _, seed in
        let (n, count, spread, weights) = try weightedAnchors(&f)
        let karcher = KarcherMean.commuting(size: n, count: count, spread: spread, weights: weights, seed: seed)
        guard let flat = karcher.flatCounterpart else { throw f.error("anchors", "commuting anchors have no flat counterpart") }
        return riemannian(RiemannianSetting(problem: flat, kind: "weighted-centers", flat: true), seed: seed)
    }

    /// The keys shared by spd-karcher and weighted-centers: `size` n, `components` N, `spread`,
    /// `weights: {min, max}` (N weights evenly spaced in [min, max]).
    static func weightedAnchors(_ f: inout Fields) throws -> (size: Int, count: Int, spread: Double, weights: [Double]) {
        guard let n = try f.positiveInt("size") else { throw f.error("size", "missing (required): the size n") }
        guard let count = try f.positiveInt("components") else { throw f.error("components", "missing (required)") }
        let spread = try f.double("spread", where: { $0 > 0 }, "positive") ?? 1
        return (n, count, spread, try evenWeights(&f, count: count))
    }

    /// `weights: {min, max}`: `count` weights evenly spaced in [min, max] (default 1).
    static func evenWeights(_ f: inout Fields, count: Int) throws -> [Double] {
        var wmin = 1.0, wmax = 1.0
        if var w = try f.sub("weights") {
            wmin = try w.double("min", where: { $0 > 0 }, "positive") ?? 1
            wmax = try w.double("max", where: { $0 > 0 }, "positive") ?? wmin
            try w.rejectUnknown()
            guard wmin <= wmax else { throw w.error("min", "exceeds max") }
        }
        return KarcherMean.evenWeights(count, wmin, wmax)
    }

    public static let sphereKarcher = ProblemFamily(
        name: "sphere-karcher",
        documentation: """
        the weighted Karcher mean on the unit sphere S^{d−1} (curvature +1) inside a small cap, \
        f(x) = (1/N)Σᵢ(wᵢ/2)d²(x, aᵢ). `dimension` d ≥ 3, `components` N, `weights: {min, max}` (N weights \
        evenly spaced), `cap: {anchors: R, radius: ρ}` (required; anchors within R of e₁, region the cap \
        B(e₁, ρ), R < ρ, ρ + R < π/2). Constants certified on the cap: Lᵢ = wᵢ, μ = μ_PL = w̄·D cot D \
        (D = ρ + R), ζ = 1; x* by a deterministic solve (accuracy reported); every iterate is checked to \
        stay in the cap.
        """,
        space: sphereKarcherSpace
    ) { f, _, seed in
        guard let d = try f.positiveInt("dimension") else { throw f.error("dimension", "missing (required): the ambient dimension d") }
        guard d >= 3 else { throw f.error("dimension", "d = \(d) < 3: the sphere S^{d−1} must be curved (at least two-dimensional)") }
        guard let count = try f.positiveInt("components") else { throw f.error("components", "missing (required)") }
        let weights = try evenWeights(&f, count: count)
        guard var c = try f.sub("cap") else { throw f.error("cap", "missing (required): cap: {anchors: R, radius: ρ}") }
        guard let R = try c.double("anchors", where: { $0 > 0 }, "positive") else { throw c.error("anchors", "missing (required): the anchors' radius R") }
        guard let rho = try c.double("radius", where: { $0 > 0 }, "positive") else { throw c.error("radius", "missing (required): the cap's radius ρ") }
        try c.rejectUnknown()
        guard rho > R else { throw c.error("radius", "ρ = \(rho) ≤ R = \(R): the cap must contain the anchors' cap with room (x* interior)") }
        guard rho + R < Double.pi / 2 else { throw c.error("radius", "ρ + R = \(rho + R) ≥ π/2: μ = w̄·D cot D needs D = ρ + R < π/2") }
        let problem: SphereKarcher
        do { problem = try .cap(dimension: d, count: count, anchorRadius: R, radius: rho, weights: weights, seed: seed) }
        catch let e as InvalidProblem { throw c.error("radius", e.reason) }
        return riemannian(RiemannianSetting(problem: problem, kind: "sphere-karcher", flat: false), seed: seed)
    }
}
