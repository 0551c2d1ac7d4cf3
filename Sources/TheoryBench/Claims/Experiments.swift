/// Method specs shared by several claim files: a method from `Methods/`, driven on the instance's
/// oracle and measured at every checkpoint.
public enum Experiments {
    /// What is measured at the method's output point.
    public enum Measure: Sendable {
        /// f(x) − f*.
        case suboptimality
        /// ‖x − x*‖².
        case distanceSquared

        func of(_ instance: Instance, _ x: [Double]) -> Double {
            switch self {
            case .suboptimality: return instance.suboptimality(x)
            case .distanceSquared: return instance.distanceSquaredToOptimum(x)
            }
        }
    }

    /// SGD (GD with an exact oracle) on the instance's oracle from its start point.
    public static func sgd(_ name: String, _ schedule: StepSchedule, averaging: Bool = false,
                           measure: Measure) -> MethodSpec {
        MethodSpec(name: name + " (\(schedule))", parameters: ["step": schedule.initial]) { inst, checkpoints, rng in
            runSGD(inst.makeOracle(), inst, schedule, averaging, measure, checkpoints, &rng)
        }
    }

    static func runSGD<O: GradientOracle>(_ oracle: O, _ inst: Instance, _ schedule: StepSchedule, _ averaging: Bool,
                                          _ measure: Measure, _ checkpoints: Checkpoints,
                                          _ rng: inout RandomStream) -> Trace {
        var method = SGD(oracle: oracle, schedule: schedule, start: inst.start, averaging: averaging)
        return record(&method, at: checkpoints, rng: &rng) { measure.of(inst, $0.output) }
    }
}

/// Requirements and assumptions shared by claim files.
extension Requirement {
    /// f* and x* known, f convex and L-smooth.
    public static let convexWithOptimum = Requirement("convex, L-smooth, x* and f* known") {
        $0.constants.convex && $0.constants.xStar != nil && $0.constants.fStar != nil
    }
    /// μ-strongly convex and L-smooth with x* and f* known.
    public static let stronglyConvex = Requirement("μ-strongly convex, L-smooth, x* and f* known") {
        $0.constants.mu != nil && $0.constants.xStar != nil && $0.constants.fStar != nil
    }

    public func and(_ other: Requirement) -> Requirement {
        let a = self, b = other
        return Requirement("\(a.description); \(b.description)") { a.test($0) && b.test($0) }
    }
}

extension Assumption {
    /// γ ≤ c/L for the method's parameter "step".
    public static func stepAtMost(_ c: Double, _ label: String) -> Assumption {
        Assumption("γ ≤ \(label)") { inst, m in
            let g = m.parameter("step"), limit = c / inst.L
            return g <= limit * (1 + 1e-12) ? nil : "γ = \(g.formatted3) > \(label) = \(limit.formatted3)"
        }
    }

    /// E‖g(x) − ∇f(x)‖² = σ² < ∞ (exactly known).
    public static let finiteVariance = Assumption("unbiased oracle with finite variance σ²") { inst, _ in
        guard let s = inst.oracleVariance else { return "σ² not available in closed form" }
        return s.isFinite ? nil : "σ² = ∞ (\(inst.noise.map(\.description) ?? "oracle"))"
    }
}
