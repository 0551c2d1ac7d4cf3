import Foundation
import TheoryBenchCore

/// One concrete test instance: a problem with exact constants, the typed parts that say how it is
/// observed and where it lives (noise, minibatches, a manifold, …), where runs start, and the budget.
/// Built by the catalog from a file in `problems/`; claims pair with every instance whose parts they
/// understand and whose constants meet their needs.
public struct Instance: Sendable {
    /// The number of iterations K and runs R at full (report) scale.
    public struct Budget: Sendable, Equatable {
        public var iterations: Int
        public var runs: Int
        public init(iterations: Int, runs: Int) { self.iterations = iterations; self.runs = runs }
    }

    public let id: String
    /// The file the instance was read from (for messages and the report).
    public let source: String
    public let family: String
    public let summary: String
    public let problem: any Objective
    /// The structure beyond the objective, at most one part of each kind.
    public let parts: [any InstancePart]
    public let start: [Double]
    public var budget: Budget
    public let seed: UInt64

    public init(id: String, source: String, family: String, summary: String, problem: any Objective,
                parts: [any InstancePart] = [], start: [Double], budget: Budget, seed: UInt64) {
        precondition(Set(parts.map(\.kind)).count == parts.count, "instance \(id): two parts of the same kind")
        self.id = id; self.source = source; self.family = family; self.summary = summary
        self.problem = problem; self.parts = parts; self.start = start; self.budget = budget; self.seed = seed
    }

    /// The part of type `P`, if the instance has one.
    public func part<P: InstancePart>(_ type: P.Type = P.self) -> P? {
        parts.lazy.compactMap { $0 as? P }.first
    }

    /// The kinds of the instance's parts (what a claim must understand to pair with it).
    public var partKinds: Set<PartKind> { Set(parts.map(\.kind)) }

    /// The part that decides how gradients are observed, if any.
    public var oraclePart: (any OraclePart)? { parts.lazy.compactMap { $0 as? any OraclePart }.first }

    public var constants: ProblemConstants { problem.constants }
    public var dimension: Int { problem.dimension }
    public var L: Double { constants.L }
    /// μ, or 0 when the problem is not strongly convex.
    public var mu: Double { constants.mu ?? 0 }

    /// f(x) − f*, or NaN when f* is unknown.
    public func suboptimality(_ x: [Double]) -> Double {
        problem.value(x) - (constants.fStar ?? .nan)
    }

    /// ‖x − x*‖², or NaN when x* is unknown.
    public func distanceSquaredToOptimum(_ x: [Double]) -> Double {
        constants.xStar.map { Vec.distanceSquared(x, $0) } ?? .nan
    }

    /// The smallest value of f(x) − f* or ‖x − x*‖² that double arithmetic resolves here:
    /// 1e-12 × max(1, |f*|, ‖x*‖²) (about 4500 ulps of the larger operand). Bound checks compare
    /// against max(bound, resolution).
    public var resolution: Double {
        1e-12 * max(1, abs(constants.fStar ?? 0), constants.xStar.map(Vec.normSquared) ?? 0)
    }

    /// f(x₀) − f*.
    public var initialGap: Double { suboptimality(start) }
    /// ‖x₀ − x*‖².
    public var initialDistanceSquared: Double { distanceSquaredToOptimum(start) }

    /// σ² = E‖g(x) − ∇f(x)‖² of the instance's oracle: the oracle part's exact value, 0 for exact
    /// gradients; nil when not available in closed form.
    public var oracleVariance: Double? {
        guard let o = oraclePart else { return 0 }
        return o.variance(of: problem)
    }

    /// The instance's stochastic gradient oracle (its oracle part's), or the exact gradient.
    public func makeOracle() -> any GradientOracle {
        makeOracle(for: problem)
    }

    private func makeOracle<P: Objective>(for p: P) -> any GradientOracle {
        oraclePart?.makeOracle(for: p) ?? ExactGradient(p)
    }

    /// The exact gradient of the objective, whatever the oracle part (for methods that the theorem
    /// runs with exact gradients, such as gradient descent).
    public func exactOracle() -> any GradientOracle { exactOracle(for: problem) }

    private func exactOracle<P: Objective>(for p: P) -> any GradientOracle { ExactGradient(p) }

    /// A copy with `part` in place of the part of the same kind (or added), its id suffixed and its
    /// summary noting the change (negative controls change the instance this way).
    public func replacing<P: InstancePart>(_ part: P, id suffix: String) -> Instance {
        Instance(id: id + "+" + suffix, source: source, family: family,
                 summary: summary + "; \(P.kind) replaced by \(part)",
                 problem: problem, parts: parts.filter { $0.kind != P.kind } + [part],
                 start: start, budget: budget, seed: seed)
    }

    /// The exact constants shown for a pairing on this instance: the objective's (Euclidean or
    /// Riemannian), then each part's (σ² from the oracle part, …), and d and K.
    public var reportedConstants: [String: Double] {
        var out = problem.reportedConstants(start: start)
        for p in parts { out.merge(p.reportedConstants(of: self)) { $1 } }
        if let o = oraclePart, o.variance(of: problem) == nil { out["sigma^2"] = nil }   // not in closed form
        out["d"] = Double(dimension)
        out["K"] = Double(budget.iterations)
        return out
    }

    /// The exact curves describing the objective (empty for most), shown in figures across instances.
    public var illustrations: [Illustration] { (problem as? any IllustratedObjective)?.illustrations ?? [] }
}
