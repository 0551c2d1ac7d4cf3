/// One concrete test instance: a problem with exact constants, how gradients are observed (noise,
/// minibatches), where runs start, and the budget. Built by the catalog from a file in `problems/`;
/// claims pair with every instance whose traits meet their needs.
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
    /// Additive gradient noise, if any.
    public var noise: Noise?
    /// Minibatch size for finite-sum sampling, if the oracle samples components.
    public var batchSize: Int?
    public let start: [Double]
    public var budget: Budget
    public let seed: UInt64

    public init(id: String, source: String, family: String, summary: String, problem: any Objective,
                noise: Noise? = nil, batchSize: Int? = nil, start: [Double], budget: Budget, seed: UInt64) {
        self.id = id; self.source = source; self.family = family; self.summary = summary
        self.problem = problem; self.noise = noise; self.batchSize = batchSize
        self.start = start; self.budget = budget; self.seed = seed
    }

    public var constants: ProblemConstants { problem.constants }
    public var dimension: Int { problem.dimension }
    public var L: Double { constants.L }
    /// μ, or 0 when the problem is not strongly convex.
    public var mu: Double { constants.mu ?? 0 }

    /// f(x) − f*, or nil when f* is unknown.
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

    /// σ² = E‖g(x) − ∇f(x)‖² of the instance's oracle: the noise's exact variance, the minibatch
    /// variance at x* (exact), 0 for exact gradients; nil when not available in closed form.
    public var oracleVariance: Double? {
        if let noise { return noise.variance }
        if let b = batchSize, let fs = problem as? any FiniteSumObjective {
            return minibatchVariance(fs, b)
        }
        return 0
    }

    private func minibatchVariance<P: FiniteSumObjective>(_ p: P, _ b: Int) -> Double? {
        MinibatchOracle(p, batchSize: b).varianceAtOptimum()
    }

    /// The instance's stochastic gradient oracle: additive noise, minibatch sampling, or exact.
    public func makeOracle() -> any GradientOracle {
        makeOracle(for: problem)
    }

    private func makeOracle<P: Objective>(for p: P) -> any GradientOracle {
        if let noise { return AdditiveNoiseOracle(p, noise: noise) }
        if let b = batchSize, let fs = p as? any FiniteSumObjective { return minibatch(fs, b) }
        return ExactGradient(p)
    }

    private func minibatch<P: FiniteSumObjective>(_ p: P, _ b: Int) -> any GradientOracle {
        MinibatchOracle(p, batchSize: b)
    }

    /// A copy with other additive noise, its id suffixed (negative controls change the instance this way).
    public func replacingNoise(_ noise: Noise, id suffix: String) -> Instance {
        Instance(id: id + "+" + suffix, source: source, family: family, summary: summary + "; noise replaced by \(noise)",
                 problem: problem, noise: noise, batchSize: batchSize, start: start, budget: budget, seed: seed)
    }
}
