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

    /// SGD (GD with an exact oracle) on the instance's oracle from its start point. A non-zero `bias`
    /// adds the constant vector bias·(1, …, 1)/√d to every stochastic gradient (`BiasedOracle`).
    public static func sgd(_ name: String, _ schedule: StepSchedule, averaging: Bool = false,
                           measure: Measure, bias: Double = 0) -> MethodSpec {
        var parameters = ["step": schedule.initial]
        if bias != 0 { parameters["bias"] = bias }
        return MethodSpec(name: name + " (\(schedule))", parameters: parameters) { inst, checkpoints, rng in
            let run = SGDRun(instance: inst, schedule: schedule, averaging: averaging, measure: measure, checkpoints: checkpoints)
            guard bias != 0 else { return run(inst.makeOracle(), &rng) }
            let b = [Double](repeating: bias / Double(inst.dimension).squareRoot(), count: inst.dimension)
            return run.biased(inst.makeOracle(), b, &rng)
        }
    }

    struct SGDRun {
        let instance: Instance, schedule: StepSchedule, averaging: Bool, measure: Measure, checkpoints: Checkpoints

        func callAsFunction<O: GradientOracle>(_ oracle: O, _ rng: inout RandomStream) -> Trace {
            var method = SGD(oracle: oracle, schedule: schedule, start: instance.start, averaging: averaging)
            return record(&method, at: checkpoints, rng: &rng) { measure.of(instance, $0.output) }
        }

        func biased<O: GradientOracle>(_ oracle: O, _ bias: [Double], _ rng: inout RandomStream) -> Trace {
            self(BiasedOracle(oracle, bias: bias), &rng)
        }
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

    /// Additive noise with σ² = E‖ξ‖² < ∞.
    public static let finiteVarianceNoise = Requirement("additive noise with finite variance") {
        $0.noise?.variance.isFinite ?? false
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

    /// E g(x) = ∇f(x): no constant bias added to the oracle (the method's parameter "bias" is 0).
    public static let unbiased = Assumption("unbiased oracle, E g(x) = ∇f(x)") { _, m in
        guard let b = m.parameters["bias"], b != 0 else { return nil }
        return "a constant bias of norm \(b.formatted3) is added to every gradient"
    }

    /// E‖g(x) − ∇f(x)‖² = σ² < ∞ (exactly known).
    public static let finiteVariance = Assumption("unbiased oracle with finite variance σ²") { inst, _ in
        guard let s = inst.oracleVariance else { return "σ² not available in closed form" }
        return s.isFinite ? nil : "σ² = ∞ (\(inst.noise.map(\.description) ?? "oracle"))"
    }
}
