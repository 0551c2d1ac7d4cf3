import TheoryBenchCore

/// A claim context that carries the instance it was resolved from.
public protocol InstanceContext: Sendable {
    var instance: Instance { get }
}

/// Method parameters with a (first) step size γ.
public protocol StepParameters: Sendable {
    var step: Double { get }
}

/// An instance whose objective is convex and L-smooth with x* and f* known exactly.
public struct ConvexInstance: InstanceContext {
    public let instance: Instance
    public let L: Double
    public let xStar: [Double]
    public let fStar: Double

    public init?(_ instance: Instance) {
        let c = instance.constants
        guard c.convex, let xs = c.xStar, let fs = c.fStar else { return nil }
        self.instance = instance; L = c.L; xStar = xs; fStar = fs
    }
}

/// An instance whose objective is L-smooth and μ-strongly convex with x* and f* known exactly.
public struct StronglyConvexInstance: InstanceContext {
    public let instance: Instance
    public let L: Double
    public let mu: Double
    public let xStar: [Double]
    public let fStar: Double

    public init?(_ instance: Instance) {
        let c = instance.constants
        guard let mu = c.mu, let xs = c.xStar, let fs = c.fStar else { return nil }
        self.instance = instance; L = c.L; self.mu = mu; xStar = xs; fStar = fs
    }
}

extension Requirement where Context == ConvexInstance {
    /// f convex and L-smooth, x* and f* known; `understands` lists the parts the claim handles.
    public static func convexWithOptimum(understands: Set<PartKind>) -> Requirement {
        Requirement("convex, L-smooth, x* and f* known", understands: understands) { ConvexInstance($0) }
    }
}

extension Requirement where Context == StronglyConvexInstance {
    /// μ-strongly convex and L-smooth with x* and f* known; `understands` lists the parts the claim handles.
    public static func stronglyConvex(understands: Set<PartKind>) -> Requirement {
        Requirement("μ-strongly convex, L-smooth, x* and f* known", understands: understands) { StronglyConvexInstance($0) }
    }
}

extension Assumption where Context: InstanceContext, Parameters: StepParameters {
    /// γ ≤ c/L for the method's step γ.
    public static func stepAtMost(_ c: Double, _ label: String) -> Assumption {
        Assumption("γ ≤ \(label)") { ctx, m in
            let g = m.step, limit = c / ctx.instance.L
            return g <= limit * (1 + 1e-12) ? nil : "γ = \(g.formatted3) > \(label) = \(limit.formatted3)"
        }
    }
}

extension Assumption {
    /// E‖g(x) − ∇f(x)‖² = σ² < ∞ (exactly known) for the oracle of the instance the experiment runs on.
    public static var finiteVariance: Assumption {
        .onInstance("unbiased oracle with finite variance σ²") { inst, _ in
            guard let s = inst.oracleVariance else { return "σ² not available in closed form" }
            return s.isFinite ? nil : "σ² = ∞ (\(inst.noise.map(\.description) ?? "oracle"))"
        }
    }
}
