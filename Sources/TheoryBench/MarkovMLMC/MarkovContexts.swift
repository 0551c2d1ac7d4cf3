import TheoryBenchCore
import TheoryBenchEngine
import Foundation

extension MarkovMLMC {
    /// A strongly convex quadratic f(x) = ½(x − x*)ᵀA(x − x*) observed through Markov noise: every
    /// constant the claims read, exact (A from the objective, π, λ_*, t_*, τ from the chain, σ² from
    /// the shifts).
    public struct MarkovQuadratic: InstanceContext {
        public let instance: Instance
        public let problem: Quadratic
        public let noise: MarkovNoisePart
        public let a: Matrix
        public let mu: Double, L: Double
        public let sigma2: Double
        /// e₀ = x₀ − x*.
        public let e0: [Double]

        public init?(_ i: Instance) {
            guard let q = i.problem as? Quadratic, let n = i.markovNoise, let mu = q.constants.mu,
                  n.dimension == q.dimension, let s2 = n.variance(of: q) else { return nil }
            instance = i; problem = q; noise = n; self.mu = mu; L = q.constants.L; sigma2 = s2
            a = Self.matrix(q)
            e0 = zip(i.start, q.xStar).map { $0 - $1 }
        }

        static func matrix(_ q: Quadratic) -> Matrix {
            switch q.storage {
            case .dense(let m): return m
            case .diagonal(let l):
                var m = Matrix(zeros: l.count, l.count)
                for i in l.indices { m[i, i] = l[i] }
                return m
            }
        }

        public var chain: FiniteMarkovChain { noise.chain }
        /// t_* = (1 + λ_*)/(1 − λ_*).
        public var tStar: Double { chain.integratedTime }

        /// The exact recursion of SGD with step γ from this instance's start and Z₀ law (on `chain`,
        /// the instance's by default).
        public func recursion(step: Double, on chain: FiniteMarkovChain? = nil, kernel: SegmentKernel? = nil) -> MarkovQuadraticRecursion {
            MarkovQuadraticRecursion(a: a, step: step, chain: chain ?? noise.chain, shifts: noise.shifts,
                                     initialLaw: noise.initialLaw, e0: e0, kernel: kernel)
        }
    }

    /// The exact recursion of Nesterov's method (step γ, momentum β) with MLMC batches: the state
    /// ẽ_k = (e_k, e_{k−1}) ∈ ℝ^{2d}, M = [[(1+β)G, −βG], [I, 0]], G = I − γA, the shifts padded with d zeros,
    /// ẽ₀ = (e₀, e₀) (docs/derivations/markov-mlmc.md §7).
    static func nesterovRecursion(_ c: MarkovQuadratic, step: Double, momentum b: Double, schedule: MLMCSchedule) -> MarkovQuadraticRecursion {
        let d = c.problem.dimension, S = c.chain.states
        var m = Matrix(zeros: 2 * d, 2 * d)
        for i in 0..<d {
            for j in 0..<d {
                let gij = (i == j ? 1 : 0) - step * c.a[i, j]
                m[i, j] = (1 + b) * gij
                m[i, d + j] = -b * gij
            }
            m[d + i, i] = 1
        }
        let padded = (0..<S).flatMap { s in Array(c.noise.shifts[(s * d)..<(s * d + d)]) + [Double](repeating: 0, count: d) }
        return MarkovQuadraticRecursion(iteration: m, step: step, chain: c.chain, initialLaw: c.noise.initialLaw, e0: c.e0 + c.e0,
                                        kernel: .mlmc(c.chain, shifts: padded, schedule: schedule), measured: d)
    }

    /// A Markov quadratic whose chain is two-state with Z₀ ~ π, swept over the flip probabilities
    /// q ∈ {0.2, 0.1, 0.04, 0.02, 0.01} (the instance's chain is the first, q = 0.2; its shifts, start
    /// and horizon K are used for all) at the step γ = q_min/(10μ), so q ≥ 10γμ everywhere: the regime where the floor is
    /// linear in τ (docs/derivations/markov-mlmc.md §4). The sizes are the exact τ of each chain
    /// (3, 7, 17, 34, 69), the predicted exponent the exact endpoint slope of the expected window
    /// means E[(1/|W|) Σ_{k∈W} ‖e_k‖²], W = [K/3, K), from the exact recursion.
    public struct TauSweep: InstanceContext {
        public let base: MarkovQuadratic
        public let step: Double
        public let window: Range<Int>
        /// The exact expected window means, one per chain.
        public let exactMeans: [Double]
        public var instance: Instance { base.instance }

        public static let flips = [0.2, 0.1, 0.04, 0.02, 0.01]
        public static let chains = flips.map { FiniteMarkovChain.twoState(flip: $0) }
        public static let taus = chains.map { Double($0.tau) }
        public static let scalars = taus.map { RunScalar("window mean ‖e‖² @ τ = \(Int($0))") }

        public init?(_ i: Instance) {
            guard let b = MarkovQuadratic(i), b.chain == Self.chains[0], b.noise.start == nil,
                  i.budget.iterations >= 300 else { return nil }
            base = b
            step = Self.flips.last! / (10 * b.mu)
            guard step * b.L <= 1 else { return nil }
            let K = i.budget.iterations
            window = (K / 3)..<K
            let (s, w) = (step, window)
            exactMeans = Self.chains.map { c in
                var r = b.recursion(step: s, on: c)
                return r.windowMean(from: w.lowerBound, to: w.upperBound)
            }
        }

        /// The endpoint slope ln(F(τ_max)/F(τ_min)) / ln(τ_max/τ_min) of the exact means.
        public var exactSlope: Double { log(exactMeans.last! / exactMeans.first!) / log(Self.taus.last! / Self.taus.first!) }
    }

    /// A Markov quadratic with a fixed start state z (Z₀ = z), for the estimator's conditional mean.
    public struct FixedStart: InstanceContext {
        public let base: MarkovQuadratic
        public let state: Int
        /// u = b_z/‖b_z‖: the direction the estimator's mean is measured along.
        public let direction: [Double]
        public var instance: Instance { base.instance }

        public init?(_ i: Instance) {
            guard let b = MarkovQuadratic(i), let z = b.noise.start else { return nil }
            let d = b.problem.dimension
            let bz = Array(b.noise.shifts[(z * d)..<(z * d + d)])
            let n = Vec.norm(bz)
            guard n > 0 else { return nil }
            base = b; state = z; direction = bz.map { $0 / n }
        }

        /// ⟨E[g | Z₀ = z], u⟩ for the MLMC estimator with batch B, limit M and level factors c_j.
        public func exactMean(batch: Int, limit: Int, factor: (Int) -> Double) -> Double {
            let m = MLMCSchedule(batch: batch, limit: limit, levelWeight: .telescoping).maxLevel
            let g = base.chain.mlmcMean(of: base.noise.shifts, from: state, batch: batch, maxLevel: m, factor: factor)
            return Vec.dot(g, direction)
        }
    }
}
