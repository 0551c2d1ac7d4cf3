/// A stochastic first-order oracle: each call returns g(x) with E g(x) = ∇f(x) (or as documented).
///
/// Oracles are values created once per run; `mutating` lets an oracle carry state across calls
/// (scratch buffers, a Markov chain's current state) without allocating per call.
public protocol GradientOracle: Sendable {
    associatedtype Problem: Objective
    var problem: Problem { get }
    /// Writes one stochastic gradient at `x` into `g`.
    mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream)
    /// Gradient evaluations (of one component, or of ∇f for a full-batch oracle) per `sample` call:
    /// the unit for complexity measured in oracle calls.
    var costPerSample: Double { get }
}

extension GradientOracle {
    public var costPerSample: Double { 1 }
}

/// g(x) = ∇f(x): no noise (gradient descent).
public struct ExactGradient<Problem: Objective>: GradientOracle {
    public let problem: Problem
    public init(_ problem: Problem) { self.problem = problem }
    @inlinable
    public mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
        problem.gradient(x, into: &g)
    }
}

/// g(x) = ∇f(x) + ξ with ξ drawn fresh from `noise` at every call (independent of x).
public struct AdditiveNoiseOracle<Problem: Objective>: GradientOracle {
    public let problem: Problem
    public let noise: Noise
    @usableFromInline var scratch: [Double]

    public init(_ problem: Problem, noise: Noise) {
        self.problem = problem; self.noise = noise
        scratch = [Double](repeating: 0, count: problem.dimension)
    }

    @inlinable
    public mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
        problem.gradient(x, into: &g)
        noise.add(to: &g, scratch: &scratch, rng: &rng)
    }
}

/// g(x) = (1/b) Σ_{j=1}^b ∇f_{i_j}(x), indices i_j uniform with replacement: an unbiased
/// minibatch estimator whose variance at x is (1/b)·(1/n)Σᵢ‖∇fᵢ(x) − ∇f(x)‖².
public struct MinibatchOracle<Problem: FiniteSumObjective>: GradientOracle {
    public let problem: Problem
    public let batchSize: Int

    public init(_ problem: Problem, batchSize: Int) {
        precondition(batchSize >= 1, "batch size must be at least 1")
        self.problem = problem; self.batchSize = batchSize
    }

    public var costPerSample: Double { Double(batchSize) }

    @inlinable
    public mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
        for j in 0..<g.count { g[j] = 0 }
        let w = 1 / Double(batchSize)
        for _ in 0..<batchSize {
            problem.addComponentGradient(rng.index(below: problem.componentCount), at: x, weight: w, into: &g)
        }
    }

    /// σ*² = (1/b)(1/n) Σᵢ ‖∇fᵢ(x*)‖², the exact variance of the oracle at the minimizer.
    public func varianceAtOptimum() -> Double? {
        guard let xs = problem.constants.xStar else { return nil }
        var total = 0.0
        var g = [Double](repeating: 0, count: problem.dimension)
        for i in 0..<problem.componentCount {
            for j in 0..<g.count { g[j] = 0 }
            problem.addComponentGradient(i, at: xs, weight: 1, into: &g)
            total += Vec.normSquared(g)
        }
        return total / Double(problem.componentCount) / Double(batchSize)
    }
}

/// g(x) = g_base(x) + b for a fixed vector b: a biased oracle (E g = ∇f + b). Used where a theorem
/// assumes an unbiased oracle, to break that hypothesis on purpose, and by biased-SGD analyses.
public struct BiasedOracle<Base: GradientOracle>: GradientOracle {
    public var base: Base
    public let bias: [Double]

    public init(_ base: Base, bias: [Double]) {
        precondition(bias.count == base.problem.dimension, "bias has the wrong dimension")
        self.base = base; self.bias = bias
    }

    public var problem: Base.Problem { base.problem }
    public var costPerSample: Double { base.costPerSample }

    @inlinable
    public mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
        base.sample(at: x, into: &g, rng: &rng)
        Vec.axpy(1, bias, &g)
    }
}
