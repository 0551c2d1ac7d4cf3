import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The step rule of a Frank-Wolfe method.
public enum FWStep: Sendable, Equatable, CustomStringConvertible {
    /// γ_k = 2/(k+2) (open loop).
    case openLoop
    /// Exact line search of f on [0, 1] (closed form on a quadratic).
    case lineSearch
    /// γ_k = γ.
    case constant(Double)

    public var description: String {
        switch self {
        case .openLoop: return "γ_k = 2/(k+2)"
        case .lineSearch: return "exact line search"
        case .constant(let g): return "γ = \(g.formatted3)"
        }
    }
}

/// Which point the method moves towards: the LMO's, or (a negative control) the maximizer of ⟨g, s⟩.
public enum LMOVariant: Sendable, Equatable { case exact, signFlipped }

/// Deterministic Frank-Wolfe: s_k = LMO(∇f(x_k)), x_{k+1} = x_k + γ_k(s_k − x_k). Keeps the smallest
/// FW gap gap(x_i) = ⟨∇f(x_i), x_i⟩ − min_{s∈X}⟨∇f(x_i), s⟩ seen over i < k (the current point's gap is
/// added by the measurement).
public struct FrankWolfeMethod: IterativeMethod {
    public let problem: PlantedLeastSquares
    public let set: any ConstraintSet
    public let rule: FWStep
    public let variant: LMOVariant
    public var x: [Double]
    var g: [Double], s: [Double], dir: [Double]
    public private(set) var minGap = Double.infinity
    public private(set) var calls = 0.0

    public init(problem: PlantedLeastSquares, set: any ConstraintSet, rule: FWStep, variant: LMOVariant = .exact, start: [Double]) {
        self.problem = problem; self.set = set; self.rule = rule; self.variant = variant
        x = start; g = start; s = start; dir = start
    }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        problem.gradient(x, into: &g)
        calls += Double(problem.componentCount)
        minGap = min(minGap, set.gap(g, at: x))
        if variant == .signFlipped {
            for i in g.indices { g[i] = -g[i] }
            set.lmo(g, into: &s)
            for i in g.indices { g[i] = -g[i] }
        } else {
            set.lmo(g, into: &s)
        }
        for i in x.indices { dir[i] = s[i] - x[i] }
        let gamma: Double
        switch rule {
        case .openLoop: gamma = 2 / Double(k + 2)
        case .constant(let c): gamma = c
        case .lineSearch:
            // f(x + γu) = f(x) + γ⟨g, u⟩ + (γ²/2)·uᵀ(AᵀA/n)u: minimized on [0, 1] in closed form.
            let slope = Vec.dot(g, dir), curv = problem.curvature(along: dir)
            gamma = curv > 0 ? min(1, max(0, -slope / curv)) : (slope < 0 ? 1 : 0)
        }
        Vec.axpy(gamma, dir, &x)
    }

    public var isFinite: Bool { Vec.isFinite(x) }
    public var point: [Double] { x }
    public var oracleCalls: Double? { calls }

    /// min over i ≤ k of gap(x_i), including the current point (one more gradient; not counted).
    public func minGapIncludingCurrent() -> Double {
        var grad = x
        problem.gradient(x, into: &grad)
        return min(minGap, set.gap(grad, at: x))
    }
}

/// The gradient estimator of a stochastic Frank-Wolfe method on a finite sum.
public enum FWEstimator: Sendable, Equatable, CustomStringConvertible {
    /// SARAH: full gradient with probability p, else v ← v + (1/b)Σ_{i∈S}[∇fᵢ(x_{k+1}) − ∇fᵢ(x_k)].
    case sarah
    /// A plain minibatch gradient (1/b)Σ_{i∈S}∇fᵢ(x_{k+1}) at every step (stochastic FW, no reduction).
    case minibatch
    /// SARAH with an implementation bug: the two gradients of the difference use independent
    /// index draws, (1/b)Σ_{i∈S}∇fᵢ(x_{k+1}) − (1/b)Σ_{j∈S'}∇f_j(x_k).
    case sarahIndependentDraws

    public var description: String {
        switch self {
        case .sarah: return "SARAH-FW"
        case .minibatch: return "stochastic FW (minibatch)"
        case .sarahIndependentDraws: return "SARAH-FW with independent draws for the difference (bug)"
        }
    }
}

/// Stochastic Frank-Wolfe on a finite sum with γ_k = 2/(k+2): s_k = LMO(v_k), x_{k+1} = x_k + γ_k(s_k − x_k),
/// v_0 = ∇f(x_0), then v_{k+1} by `estimator` (batches of b indices i.i.d. uniform with replacement).
/// Counts component gradients (a full pass costs n).
public struct StochasticFrankWolfe: IterativeMethod {
    public let problem: PlantedLeastSquares
    public let set: any ConstraintSet
    public let estimator: FWEstimator
    public let probability: Double, batch: Int
    public var x: [Double]
    var previous: [Double], v: [Double], s: [Double]
    /// The current gradient estimate v_k.
    public var estimate: [Double] { v }
    var calls = 0.0
    /// The FW gap of the estimate at the last step, ⟨v_k, x_k − s_k⟩: within D‖v_k − ∇f(x_k)‖ of the
    /// true gap (docs/derivations/frank-wolfe.md §1), computed without a full pass.
    public private(set) var estimatedGap = Double.nan

    public init(problem: PlantedLeastSquares, set: any ConstraintSet, estimator: FWEstimator, probability: Double, batch: Int, start: [Double]) {
        self.problem = problem; self.set = set; self.estimator = estimator
        self.probability = probability; self.batch = batch
        x = start; previous = start; s = start; v = start
        problem.gradient(x, into: &v)
        calls = Double(problem.componentCount)
    }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        set.lmo(v, into: &s)
        estimatedGap = Vec.dot(v, x) - Vec.dot(v, s)
        let gamma = 2 / Double(k + 2)
        for i in x.indices { previous[i] = x[i]; x[i] += gamma * (s[i] - x[i]) }
        let n = problem.componentCount, w = 1 / Double(batch)
        switch estimator {
        case .minibatch:
            for i in v.indices { v[i] = 0 }
            for _ in 0..<batch { problem.addComponentGradient(rng.index(below: n), at: x, weight: w, into: &v) }
            calls += Double(batch)
        case .sarah, .sarahIndependentDraws:
            if rng.uniform() < probability {
                problem.gradient(x, into: &v)
                calls += Double(n)
            } else if estimator == .sarah {
                for _ in 0..<batch {
                    let i = rng.index(below: n)
                    problem.addComponentGradient(i, at: x, weight: w, into: &v)
                    problem.addComponentGradient(i, at: previous, weight: -w, into: &v)
                }
                calls += Double(2 * batch)
            } else {
                for _ in 0..<batch { problem.addComponentGradient(rng.index(below: n), at: x, weight: w, into: &v) }
                for _ in 0..<batch { problem.addComponentGradient(rng.index(below: n), at: previous, weight: -w, into: &v) }
                calls += Double(2 * batch)
            }
        }
    }

    public var isFinite: Bool { Vec.isFinite(x) }
    public var point: [Double] { x }
    public var oracleCalls: Double? { calls }
}
