import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The feasible set of a constrained instance (`constraint:` in an instance file; part kind
/// `constraint`). Claims written
/// for unconstrained problems do not understand this part, so they never pair with such instances.
public struct ConstraintPart: InstancePart {
    public static let kind: PartKind = "constraint"
    public let set: any ConstraintSet
    public init(_ set: any ConstraintSet) { self.set = set }
    public var description: String { self.set.description }

    public func reportedConstants(of instance: Instance) -> [String: Double] {
        var out = ["D": set.diameter, "L*D^2": instance.L * set.diameter * set.diameter]
        out["x0 feasible"] = set.contains(instance.start, tolerance: 1e-12) ? 1 : 0
        return out
    }

    /// The tolerance of the first-order check at the planted optimum, relative to ‖g*‖·(1 + ‖x*‖₁).
    static let optimalityTolerance = 1e-12

    public static let schema = PartSchema(
        key: "constraint", kind: kind,
        documentation: """
        `constraint: {set: simplex}` (the probability simplex), `{set: l1-ball, radius: r}`, \
        `{set: l2-ball, radius: r}` or `{set: box, lower: […], upper: […]}` (d entries each, or one number \
        for every coordinate; lower < upper). Exact LMO, diameter D and projection (docs/derivations/frank-wolfe.md §1). \
        With a `planted-least-squares` objective, x* must lie in the set and satisfy the first-order \
        condition ⟨g*, x*⟩ = min_{s∈X}⟨g*, s⟩ (relative tolerance 1e-12), else the file is rejected.
        """,
        space: { _ in FrankWolfe.constraintSpace }
    ) { f, problem, _ in
        guard var c = try f.sub("constraint") else { throw f.error("constraint", "expected a mapping {set: …}") }
        let d = problem.dimension
        let kind = try c.requiredString("set")
        let set: any ConstraintSet
        switch kind {
        case "simplex":
            guard d >= 2 else { throw c.error("set", "the simplex needs dimension ≥ 2") }
            set = Simplex(dimension: d)
        case "l1-ball", "l2-ball":
            guard let r = try c.double("radius", where: { $0 > 0 }, "positive") else { throw c.error("radius", "missing (required)") }
            set = kind == "l1-ball" ? L1Ball(dimension: d, radius: r) : L2Ball(dimension: d, radius: r)
        case "box":
            func bound(_ key: String) throws -> [Double] {
                guard let n = c.node(key) else { throw c.error(key, "missing (required)") }
                if n.sequence == nil, let v = try c.double(key) { return [Double](repeating: v, count: d) }
                let v = try c.vector(key, relativeTo: "")!
                guard v.count == d else { throw c.error(key, "has \(v.count) entries, dimension is \(d)") }
                return v
            }
            let lo = try bound("lower"), hi = try bound("upper")
            if let i = (0..<d).first(where: { !(lo[$0] < hi[$0]) }) {
                throw c.error("lower", "entry \(i) is \(lo[i]), not below upper \(hi[i])")
            }
            set = Box(lower: lo, upper: hi)
        default:
            throw c.error("set", "unknown set '\(kind)' (known: simplex, l1-ball, l2-ball, box)")
        }
        try c.rejectUnknown()
        if let p = problem as? PlantedLeastSquares {
            let xs = p.plantedX, gs = p.plantedGradient
            guard set.contains(xs, tolerance: 1e-12) else {
                throw f.error("constraint", "the planted optimum optimum.x is not in the \(set)")
            }
            let gap = set.gap(gs, at: xs)
            let scale = Vec.norm(gs) * (1 + xs.reduce(0) { $0 + abs($1) })
            guard abs(gap) <= optimalityTolerance * max(scale, 1e-300) else {
                throw f.error("constraint", "the planted x* is not optimal on the \(set): FW gap ⟨g*, x*⟩ − min_s⟨g*, s⟩ = \(gap) (must be 0)")
            }
        }
        return ConstraintPart(set)
    }
}

extension Instance {
    /// The instance's feasible set, if it is constrained.
    public var constraintSet: (any ConstraintSet)? { part(ConstraintPart.self)?.set }
}
