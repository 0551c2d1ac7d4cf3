import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The sketch of a MAST instance (`sketch:` in an instance file; part kind `sketch`): the random
/// diagonal sketch S, the centre v, and the exact sketched objective f_D of the instance's quadratic
/// (`SketchedQuadratic`). Claims that do not understand `sketch` never pair with such instances (their
/// x* is not the point SGD on f_D approaches).
public struct SketchPart: InstancePart {
    public static let kind: PartKind = "sketch"
    public let sketched: SketchedQuadratic
    let cache = SeriesCache()
    public init(_ sketched: SketchedQuadratic) { self.sketched = sketched }
    public var description: String { sketched.sketch.description }

    public func reportedConstants(of instance: Instance) -> [String: Double] {
        let s = sketched
        return ["density": s.sketch.density, "mu_D": s.muD, "L_D": s.LD, "Lcal": s.expectedSmoothness,
                "sigma*^2": s.sigma2, "|x_S-x*|^2": s.shiftSquared, "|x0-x_S|^2": Vec.distanceSquared(instance.start, s.xS)]
    }

    /// The exact mean-square series of SGD with step γ on this instance (computed once per step and horizon).
    public func series(step: Double, start: [Double], horizon: Int) -> (toXS: [Double], toXStar: [Double]) {
        cache.value(step: step, start: start, horizon: horizon) {
            sketched.meanSquareDistances(step: step, start: start, horizon: horizon)
        }
    }

    /// The largest dimension accepted: the exact constants use d⁴ fourth moments and the exact
    /// recursion d⁴ operations per iteration.
    static let maxDimension = 24

    public static let schema = PartSchema(
        key: "sketch", kind: kind,
        documentation: """
        MAST sketched objective f_D(x) = E f(v + S(x − v)) of a `quadratic` (docs/derivations/mast.md): \
        `sketch: {family: bernoulli, keep: p}` (sᵢ = ξᵢ/pᵢ, ξᵢ ~ Bernoulli(pᵢ) independent; `keep` one number \
        in (0, 1] or d of them) or `{family: rand-k, k: k}` (1 ≤ k ≤ d, scaled by d/k); `center: […]` the \
        centre v (d entries; default 0, i.e. f(Sx)). d ≤ 24. Exact constants: x_S = v − E[SAS]⁻¹E[S]∇f(v), \
        μ_D, L_D, the expected smoothness 𝓛, σ*² = E‖∇f_S(x_S)‖²; f_D must be strongly convex.
        """,
        space: { part in (part as? SketchPart).map(space) }
    ) { f, problem, dir in
        guard var c = try f.sub("sketch") else { throw f.error("sketch", "expected a mapping {family: …}") }
        guard let q = problem as? Quadratic else { throw f.error("sketch", "needs a quadratic objective (family: quadratic)") }
        let d = q.dimension
        guard d <= maxDimension else { throw f.error("sketch", "dimension \(d) exceeds \(maxDimension) (d⁴ exact moments)") }
        let sketch = try readSketch(&c, dimension: d, dir: dir)
        let center = try c.vector("center", relativeTo: dir) ?? [Double](repeating: 0, count: d)
        guard center.count == d else { throw c.error("center", "has \(center.count) entries, dimension is \(d)") }
        try c.rejectUnknown()
        guard let s = SketchedQuadratic(a: q.exportArrays["A"]!, xStar: q.xStar, center: center, sketch: sketch) else {
            throw f.error("sketch", "f_D is not strongly convex (E[SAS] is singular): x_S is not unique")
        }
        return SketchPart(s)
    }

    static func readSketch(_ c: inout Fields, dimension d: Int, dir: String) throws -> any Sketch {
        let family = try c.requiredString("family")
        switch family {
        case "bernoulli":
            guard let n = c.node("keep") else { throw c.error("keep", "missing (required)") }
            let keep: [Double]
            if n.sequence == nil, let p = try c.double("keep") { keep = [Double](repeating: p, count: d) } else {
                keep = try c.vector("keep", relativeTo: dir)!
                guard keep.count == d else { throw c.error("keep", "has \(keep.count) entries, dimension is \(d)") }
            }
            if let p = keep.first(where: { !($0 > 0 && $0 <= 1) }) { throw c.error("keep", "\(p) is invalid: must lie in (0, 1]") }
            return BernoulliSketch(keep: keep)
        case "rand-k":
            guard let k = try c.positiveInt("k") else { throw c.error("k", "missing (required)") }
            guard k <= d else { throw c.error("k", "\(k) is invalid: must be at most the dimension \(d)") }
            return RandKSketch(dimension: d, k: k)
        default:
            throw c.error("family", "unknown sketch family '\(family)' (known: bernoulli, rand-k)")
        }
    }
}

/// The exact series already computed, by step, start and horizon (a pairing asks for them once per
/// checkpoint and per resolution of its context).
final class SeriesCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(step: Double, start: [Double], horizon: Int, value: (toXS: [Double], toXStar: [Double]))] = []

    func value(step: Double, start: [Double], horizon: Int,
               compute: () -> (toXS: [Double], toXStar: [Double])) -> (toXS: [Double], toXStar: [Double]) {
        lock.lock(); defer { lock.unlock() }
        if let e = entries.first(where: { $0.step == step && $0.horizon == horizon && $0.start == start }) { return e.value }
        let v = compute()
        entries.append((step, start, horizon, v))
        return v
    }
}

extension Instance {
    /// The instance's MAST sketch, if it has one.
    public var sketchPart: SketchPart? { part(SketchPart.self) }
}
