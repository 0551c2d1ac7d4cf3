import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The step rule h(G) of a gradient method x⁺ = x − h(‖∇f(x)‖)·∇f(x).
public enum L0L1Rule: Sendable, Equatable, CustomStringConvertible {
    /// Gradient descent, h = η.
    case constant(Double)
    /// Clipped GD, h = min(η, λ/G): the step length is min(ηG, λ).
    case clipped(eta: Double, level: Double)
    /// Normalized GD, h = 1/(c0 + c1·G).
    case normalized(c0: Double, c1: Double)
    /// Clipped GD with an implementation slip: h = min(η, λ/G²) (the squared norm from a dot product
    /// used where the norm belongs).
    case clippedBySquaredNorm(eta: Double, level: Double)

    @inlinable
    public func step(_ G: Double) -> Double {
        switch self {
        case .constant(let eta): return eta
        case .clipped(let eta, let level): return G > 0 ? min(eta, level / G) : eta
        case .normalized(let c0, let c1): return 1 / (c0 + c1 * G)
        case .clippedBySquaredNorm(let eta, let level): return G > 0 ? min(eta, level / (G * G)) : eta
        }
    }

    public var description: String {
        switch self {
        case .constant(let e): return "GD, η = \(e.formatted3)"
        case .clipped(let e, let l): return "clipped GD, h = min(η, λ/‖∇f‖), η = \(e.formatted3), λ = \(l.formatted3)"
        case .normalized(let c0, let c1): return "normalized GD, h = 1/(c0 + c1‖∇f‖), c0 = \(c0.formatted3), c1 = \(c1.formatted3)"
        case .clippedBySquaredNorm(let e, let l): return "clipped GD with λ/‖∇f‖² in place of λ/‖∇f‖ (bug), η = \(e.formatted3), λ = \(l.formatted3)"
        }
    }
}

/// The guaranteed one-step decrease of an (L0, L1) descent lemma, factor·min(η G², λ G)
/// (clipped GD: ½ with η, λ; normalized GD: ¼ with η = 1/c0, λ = 1/c1).
public struct DescentCredit: Sendable, Equatable {
    public let factor: Double, eta: Double, level: Double
    public init(factor: Double, eta: Double, level: Double) { self.factor = factor; self.eta = eta; self.level = level }
    @inlinable
    public func value(_ G: Double) -> Double { factor * min(eta * G * G, level * G) }
}

/// The worst slack of a one-step inequality f(x_t) − f(x_{t+1}) ≥ credit_t − allowance_t over the
/// steps seen: max_t [1 + tanh(s_t)] with s_t = (credit_t − allowance_t − decrease_t)/(credit_t + allowance_t),
/// which is ≤ 1 exactly when every step satisfies the inequality (s_t ≤ 0) and saturates at 2 for a
/// gross violation (so a violated inequality is a stable value, not a heavy tail). 0 before any step;
/// steps with credit + allowance = 0 carry no information and are skipped.
public struct OneStepAudit: Sendable, Equatable {
    public private(set) var worst = 0.0
    public init() {}

    public mutating func record(decrease: Double, credit: Double, allowance: Double = 0) {
        let scale = credit + allowance
        guard scale > 0 else { return }
        let s = (credit - allowance - decrease) / scale
        worst = max(worst, 1 + tanh(s.isNaN ? 1 : s))
    }
}

/// Gradient descent with an (L0, L1) step rule on an even polynomial: x_{k+1} = x_k − h(‖g_k‖)g_k with
/// g_k = ∇f(x_k) (exact), or g_k = ∇f(x_k) + ξ_k with ξ_k a fresh draw of `noise` (stochastic clipped or
/// normalized GD: the rule reads the observed ‖g_k‖, never the exact G_k = ‖∇f(x_k)‖). Keeps
/// min_{i≤k} G_i and audits every step against `credit`(G_k) minus `allowance` (the claim's descent
/// lemma, docs/derivations/l0l1-clipped-gd.md §2 and §7). One gradient and at most one noise draw per
/// step, no allocation per step.
public struct L0L1GradientMethod: IterativeMethod {
    public let problem: EvenPolynomial
    public let rule: L0L1Rule
    public let credit: DescentCredit
    public let noise: Noise?
    /// The one-step allowance of the audit (¾ησ̄² for bounded noise ‖ξ‖ ≤ σ̄; 0 for exact gradients).
    public let allowance: Double
    public private(set) var x: [Double]
    var g: [Double], observed: [Double], scratch: [Double]
    /// f(x_k).
    public private(set) var fx: Double
    public private(set) var minGradientNorm: Double
    public private(set) var audit = OneStepAudit()
    var calls = 1.0

    public init(problem: EvenPolynomial, rule: L0L1Rule, credit: DescentCredit, start: [Double],
                noise: Noise? = nil, allowance: Double = 0) {
        self.problem = problem; self.rule = rule; self.credit = credit
        self.noise = noise; self.allowance = allowance
        x = start; g = start; observed = start; scratch = start
        problem.gradient(x, into: &g)
        fx = problem.value(x)
        minGradientNorm = Vec.norm(g)
    }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        let G = Vec.norm(g)
        if let noise {
            for i in g.indices { observed[i] = g[i] }
            noise.add(to: &observed, scratch: &scratch, rng: &rng)
            Vec.axpy(-rule.step(Vec.norm(observed)), observed, &x)
        } else {
            Vec.axpy(-rule.step(G), g, &x)
        }
        let f1 = problem.value(x)
        audit.record(decrease: fx - f1, credit: credit.value(G), allowance: allowance)
        fx = f1
        problem.gradient(x, into: &g)
        calls += 1
        minGradientNorm = min(minGradientNorm, Vec.norm(g))
    }

    public var isFinite: Bool { Vec.isFinite(x) && fx.isFinite }
    public var point: [Double] { x }
    public var oracleCalls: Double? { calls }
}

extension Noise {
    /// σ̄ with ‖ξ‖ ≤ σ̄ almost surely, when the law has bounded support: Rademacher, ‖ξ‖ = s√d
    /// (per-coordinate) or s (radial), exactly. nil for the unbounded laws.
    public var normBound: Double? {
        guard law == .rademacher else { return nil }
        return geometry == .radial ? scale : scale * Double(dimension).squareRoot()
    }
}
