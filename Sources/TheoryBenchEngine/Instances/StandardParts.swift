import Foundation
import TheoryBenchCore

/// Additive gradient noise g = ∇f + ξ, ξ drawn fresh at every call (`AdditiveNoiseOracle`), with its
/// exact moments. Key `noise:` (see `NoisePart.schema`).
public struct NoisePart: OraclePart, Equatable {
    public static let kind: PartKind = "noise"
    public let noise: Noise
    public init(_ noise: Noise) { self.noise = noise }

    public func makeOracle<P: Objective>(for problem: P) -> any GradientOracle {
        AdditiveNoiseOracle(problem, noise: noise)
    }
    public func variance(of problem: any Objective) -> Double? { noise.variance }
    public var description: String { noise.description }

    public static let schema = PartSchema(
        key: "noise", kind: kind,
        documentation: """
        additive gradient noise g = ∇f + ξ: `{law, scale, geometry, tail / dof / alpha}`; omit it for exact \
        gradients. `law` ∈ `gaussian`, `student-t` (`dof` > 1), `symmetric-pareto` (`tail` ∈ (1, 2]), \
        `symmetric-lomax` (`tail` ∈ (1, 2]), `stable` (`alpha` ∈ (1, 2]), `rademacher`; `scale` s ≥ 0 \
        (default 1); `geometry`: `per-coordinate` (default; ξⱼ = s·rⱼ) or `radial` (ξ = s·r·u, u uniform on \
        the sphere, so E‖ξ‖^a = s^a E|r|^a exactly). σ² = E‖ξ‖² in closed form (∞ for tail index ≤ 2). \
        `stable` is the symmetric α-stable law with characteristic function exp(−|t|^α) \
        (E|r|^a = 2^a Γ((1+a)/2) Γ(1−a/α)/(√π Γ(1−a/2)) for a < α); its sampler (Chambers–Mallows–Stuck) \
        costs ≈ 50 ns a draw, so keep its budgets small.
        """,
        space: { part in (part as? NoisePart).map(space) }
    ) { f, problem, _ in
        guard var n = try f.sub("noise") else { throw f.error("noise", "expected a mapping") }
        let law = try readLaw(&n)
        let scale = try n.double("scale", where: { $0 >= 0 }, "non-negative") ?? 1
        let geometryName = try n.string("geometry") ?? "per-coordinate"
        guard let geometry = Noise.Geometry(rawValue: geometryName) else {
            throw n.error("geometry", "unknown geometry '\(geometryName)' (known: per-coordinate, radial)")
        }
        try n.rejectUnknown()
        return NoisePart(Noise(law: law, scale: scale, geometry: geometry, dimension: problem.dimension))
    }

    /// The same law and geometry with the scale anywhere in [s/10, 10s] (log-uniform) and the tail
    /// parameter free within what the law allows (tail index or α in (1, 2], Student-t dof in (1, 4]).
    static func space(_ p: NoisePart) -> InstanceSpace {
        let n = p.noise
        return InstanceSpace("\(n.law) noise, scale in [s/10, 10s], tail parameter free in its range", coordinates: 2) { u in
            let scale = n.scale * pow(10, 2 * u[0] - 1), t = 1.01 + 0.99 * u[1]
            var law: String
            switch n.law {
            case .gaussian: law = "law: gaussian"
            case .rademacher: law = "law: rademacher"
            case .studentT: law = "law: student-t, dof: \(InstanceSpace.exact(1.05 + 2.95 * u[1]))"
            case .symmetricPareto: law = "law: symmetric-pareto, tail: \(InstanceSpace.exact(t))"
            case .symmetricLomax: law = "law: symmetric-lomax, tail: \(InstanceSpace.exact(t))"
            case .stable: law = "law: stable, alpha: \(InstanceSpace.exact(t))"
            }
            return [("noise", "{ \(law), scale: \(InstanceSpace.exact(scale)), geometry: \(n.geometry.rawValue) }")]
        }
    }

    static func readLaw(_ n: inout Fields) throws -> ScalarLaw {
        let lawName = try n.requiredString("law")
        let heavy = { (v: Double) in v > 1 && v <= 2 }
        switch lawName {
        case "gaussian": return .gaussian
        case "rademacher": return .rademacher
        case "student-t":
            guard let nu = try n.double("dof", where: { $0 > 1 }, "> 1 (a finite mean)") else { throw n.error("dof", "missing (required for student-t)") }
            return .studentT(dof: nu)
        case "symmetric-pareto", "symmetric-lomax":
            guard let t = try n.double("tail", where: heavy, "a tail index in (1, 2]") else { throw n.error("tail", "missing (required for \(lawName))") }
            return lawName == "symmetric-pareto" ? .symmetricPareto(tail: t) : .symmetricLomax(tail: t)
        case "stable":
            guard let a = try n.double("alpha", where: heavy, "in (1, 2]") else { throw n.error("alpha", "missing (required for stable)") }
            return .stable(alpha: a)
        default:
            throw n.error("law", "unknown law '\(lawName)' (known: gaussian, student-t, symmetric-pareto, symmetric-lomax, stable, rademacher)")
        }
    }
}

/// Minibatch sampling of a finite sum, g = (1/b)Σⱼ∇f_{iⱼ}, indices uniform with replacement
/// (`MinibatchOracle`); σ² is its exact variance at x*. Key `batch: b`.
public struct MinibatchPart: OraclePart, Equatable {
    public static let kind: PartKind = "minibatch"
    public let batchSize: Int
    public init(batchSize: Int) { self.batchSize = batchSize }

    public func makeOracle<P: Objective>(for problem: P) -> any GradientOracle {
        guard let fs = problem as? any FiniteSumObjective else { return ExactGradient(problem) }
        return minibatch(fs)
    }
    private func minibatch<F: FiniteSumObjective>(_ p: F) -> any GradientOracle { MinibatchOracle(p, batchSize: batchSize) }

    public func variance(of problem: any Objective) -> Double? {
        guard let fs = problem as? any FiniteSumObjective else { return nil }
        return atOptimum(fs)
    }
    private func atOptimum<F: FiniteSumObjective>(_ p: F) -> Double? { MinibatchOracle(p, batchSize: batchSize).varianceAtOptimum() }

    public var description: String { "minibatch of \(batchSize)" }

    public static let schema = PartSchema(
        key: "batch", kind: kind,
        documentation: "minibatch size b for finite-sum sampling (least-squares, logistic): b components uniformly with replacement; σ² is the exact variance at x*. Not with `noise` (one oracle part per instance).",
        space: { part in (part as? MinibatchPart).map(space) }
    ) { f, problem, _ in
        guard let b = try f.positiveInt("batch") else { throw f.error("batch", "expected a whole number") }
        guard problem is any FiniteSumObjective else {
            throw f.error("batch", "minibatch sampling needs a finite-sum family (least-squares, logistic)")
        }
        return MinibatchPart(batchSize: b)
    }
}

extension Instance {
    /// The additive noise, when the instance's oracle has it.
    public var noise: Noise? { part(NoisePart.self)?.noise }
    /// The minibatch size, when the instance's oracle samples components.
    public var batchSize: Int? { part(MinibatchPart.self)?.batchSize }
}

extension PartKind {
    public static let noise = NoisePart.kind
    public static let minibatch = MinibatchPart.kind
}
