import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The scalar-stepsize ("-Norm") adaptive methods of Chezhegov et al., "Clipping Improves Adam-Norm
/// and AdaGrad-Norm when the Noise Is Heavy-Tailed" (arXiv 2406.04443), as the authors coded them in
/// their quadratic notebook (docs/derivations/clip-adagrad.md §1), with clip(g, λ) = min(1, λ/‖g‖)·g.
///
/// AdaGrad family (accumulator weight w: 1 plain, γ² "reweighted"):
/// - AdaGrad-Norm:   b²_{k+1} = b²_k + w‖ĝ_k‖²,  x_{k+1} = x_k − γ ĝ_k / b_{k+1}   (current gradient in b)
/// - AdaGradD-Norm:  x_{k+1} = x_k − γ ĝ_k / b_k,  then b²_{k+1} = b²_k + w‖ĝ_k‖²   (delayed)
/// - ĝ_k = g_k without clipping, clip(g_k, λ) with clipping (in the step *and* the accumulator).
/// - Clip-RAdaGradD = delayed + clipped + w = γ² (the notebook's "RAdaGradD"). With w = γ² the step
///   γĝ/√(b₀² + γ²S) equals ĝ/√((b₀/γ)² + S): plain AdaGrad-Norm with step 1 and b₀/γ (docs/derivations/clip-adagrad.md §1).
///
/// Adam family — **derived form, not the paper's** (no implementation was reachable; docs/derivations/clip-adagrad.md §1):
/// m_k = β₁m_{k−1} + (1−β₁)ĝ_k, b²_k = β₂b²_{k−1} + (1−β₂)w‖ĝ_k‖² (delayed: ‖ĝ_{k−1}‖²),
/// x_{k+1} = x_k − γ m_k / b_k, with b²_{−1} = b₀², m_{−1} = 0, no bias correction.
public struct NormAdaptiveRule: Sendable, Equatable, CustomStringConvertible {
    public enum Family: Sendable, Equatable {
        case adaGrad
        /// The derived scalar Adam-Norm (see the type's comment).
        case adam(beta1: Double, beta2: Double)
    }

    public var family: Family
    /// Delayed: the stepsize uses only ĝ_0 … ĝ_{k−1}.
    public var delayed: Bool
    /// The clipping level λ (nil: no clipping).
    public var clip: Double?
    public var gamma: Double
    public var b0: Double
    /// The accumulator weight w (1 plain; γ² reweighted as the authors coded it).
    public var weight: Double
    /// A wrong implementation, for controls only: the accumulator adds w‖g‖² of the *unclipped*
    /// gradient (the step still uses ĝ).
    public var accumulatesUnclipped = false

    public init(family: Family = .adaGrad, delayed: Bool, clip: Double?, gamma: Double, b0: Double, weight: Double = 1) {
        precondition(b0 > 0 && gamma > 0 && weight >= 0, "need b0 > 0, γ > 0, w ≥ 0")
        precondition(clip.map { $0 > 0 } ?? true, "the clipping level must be positive")
        self.family = family; self.delayed = delayed; self.clip = clip
        self.gamma = gamma; self.b0 = b0; self.weight = weight
    }

    /// AdaGrad-Norm (delayed or not, clipped or not), w = 1.
    public static func adaGradNorm(delayed: Bool, clip: Double?, gamma: Double, b0: Double) -> Self {
        Self(delayed: delayed, clip: clip, gamma: gamma, b0: b0)
    }

    /// Clip-RAdaGradD: delayed, clipped at λ, reweighted with w = γ² (the authors' "eta" variant).
    public static func clipRAdaGradD(gamma: Double, b0: Double, clip: Double) -> Self {
        Self(delayed: true, clip: clip, gamma: gamma, b0: b0, weight: gamma * gamma)
    }

    /// Adam-Norm / AdamD-Norm in the derived scalar form.
    public static func adamNorm(delayed: Bool, clip: Double?, gamma: Double, b0: Double,
                                beta1: Double, beta2: Double) -> Self {
        Self(family: .adam(beta1: beta1, beta2: beta2), delayed: delayed, clip: clip, gamma: gamma, b0: b0)
    }

    public var name: String {
        let base: String
        switch family {
        case .adaGrad: base = (weight == 1 ? "AdaGrad" : "RAdaGrad") + (delayed ? "D" : "") + "-Norm"
        case .adam: base = "Adam" + (delayed ? "D" : "") + "-Norm (derived form)"
        }
        return clip == nil ? base : "Clip-" + base
    }

    public var description: String {
        var s = "\(name): γ = \(gamma.formatted3), b₀ = \(b0.formatted3)"
        if let l = clip { s += ", λ = \(l.formatted3)" }
        if weight != 1 { s += ", w = \(weight.formatted3)" }
        if accumulatesUnclipped { s += ", accumulator of the unclipped ‖g‖²" }
        if case .adam(let b1, let b2) = family { s += ", β₁ = \(b1.formatted3), β₂ = " + betaText(b2) }
        return s
    }
}

/// β₂ for printing: 1 − 1/n when it is one (β₂ = 1 − 1/K prints as "1 − 1/10000", not "1.000"),
/// otherwise with enough digits to tell it from 1.
func betaText(_ b: Double) -> String {
    let n = 1 / (1 - b)
    if b < 1, abs(n - n.rounded()) < 1e-6 * n, n >= 10 { return "1 − 1/\(Int(n.rounded()))" }
    return String(format: "%.6g", b)
}

/// A `NormAdaptiveRule` driven on a gradient oracle: contiguous [Double] state, no allocation per
/// iteration.
public struct NormAdaptive<Oracle: GradientOracle>: IterativeMethod, Sendable {
    public var oracle: Oracle
    public let rule: NormAdaptiveRule
    public var x: [Double]
    /// b²_k (the accumulator before iteration k's own update).
    public var b2: Double
    /// Adam's first moment (empty for AdaGrad).
    public var m: [Double]
    /// How many of the gradients drawn so far were clipped (‖g‖ > λ).
    public var clippedCount = 0
    @usableFromInline var g: [Double]

    public init(oracle: Oracle, rule: NormAdaptiveRule, start: [Double]) {
        self.oracle = oracle; self.rule = rule
        x = start; g = start
        b2 = rule.b0 * rule.b0
        if case .adam = rule.family { m = [Double](repeating: 0, count: start.count) } else { m = [] }
    }

    @inlinable
    public mutating func step(_ k: Int, rng: inout RandomStream) {
        oracle.sample(at: x, into: &g, rng: &rng)
        let n2 = Self.normSquared(g)
        var s = 1.0                                   // ĝ = s·g
        if let lam = rule.clip, n2 > lam * lam {
            s = lam / n2.squareRoot(); clippedCount += 1
        }
        let gh2 = rule.accumulatesUnclipped ? n2 : s * s * n2   // ‖ĝ‖² (‖g‖² in the wrong variant)
        switch rule.family {
        case .adaGrad:
            if !rule.delayed { b2 += rule.weight * gh2 }
            Vec.axpy(-rule.gamma * s / b2.squareRoot(), g, &x)
            if rule.delayed { b2 += rule.weight * gh2 }
        case .adam(let beta1, let beta2):
            let c = (1 - beta1) * s
            g.withUnsafeBufferPointer { gp in
                m.withUnsafeMutableBufferPointer { mp in
                    for i in 0..<gp.count { mp[i] = beta1 * mp[i] + c * gp[i] }
                }
            }
            if !rule.delayed { b2 = beta2 * b2 + (1 - beta2) * rule.weight * gh2 }
            Vec.axpy(-rule.gamma / b2.squareRoot(), m, &x)
            if rule.delayed { b2 = beta2 * b2 + (1 - beta2) * rule.weight * gh2 }
        }
    }

    public var isFinite: Bool { Vec.isFinite(x) }
    public var point: [Double] { x }

    /// ‖g‖² with four partial sums (shorter dependency chains than `Vec.normSquared`; for d = 1 it
    /// is 0 + g², as in `ScalarNormAdaptive`).
    @inlinable @inline(__always)
    static func normSquared(_ g: [Double]) -> Double {
        g.withUnsafeBufferPointer { p in
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
            let n = p.count, n4 = n & ~3
            var i = 0
            while i < n4 {
                s0 += p[i] * p[i]; s1 += p[i + 1] * p[i + 1]; s2 += p[i + 2] * p[i + 2]; s3 += p[i + 3] * p[i + 3]
                i += 4
            }
            while i < n { s0 += p[i] * p[i]; i += 1 }
            return (s0 + s1) + (s2 + s3)
        }
    }
}

/// clip(g, λ) = min(1, λ/‖g‖)·g in place (g = 0 stays 0).
@inlinable
public func clipInPlace(_ g: inout [Double], level lam: Double) {
    let n = Vec.norm(g)
    if n > lam { Vec.scale(lam / n, &g) }
}

/// The same rules on ℝ (d = 1) with a scalar state and no buffers: one iteration is
/// `update(gradient:)` with the stochastic gradient g_k. Floating-point operations are those of
/// `NormAdaptive` in the same order, so both produce bitwise-identical trajectories (unit-tested);
/// this is only a faster layout for the 1-D experiments of the paper.
public struct ScalarNormAdaptive: Sendable {
    public let rule: NormAdaptiveRule
    public var x: Double
    public var b2: Double
    public var m = 0.0
    public var clippedCount = 0

    public init(rule: NormAdaptiveRule, start: Double) {
        self.rule = rule; x = start; b2 = rule.b0 * rule.b0
    }

    @inlinable @inline(__always)
    public mutating func update(gradient g: Double) {
        let n2 = 0 + g * g
        var s = 1.0
        if let lam = rule.clip, n2 > lam * lam {
            s = lam / n2.squareRoot(); clippedCount += 1
        }
        let gh2 = rule.accumulatesUnclipped ? n2 : s * s * n2
        switch rule.family {
        case .adaGrad:
            if !rule.delayed { b2 += rule.weight * gh2 }
            x += -rule.gamma * s / b2.squareRoot() * g
            if rule.delayed { b2 += rule.weight * gh2 }
        case .adam(let beta1, let beta2):
            m = beta1 * m + (1 - beta1) * s * g
            if !rule.delayed { b2 = beta2 * b2 + (1 - beta2) * rule.weight * gh2 }
            x += -rule.gamma / b2.squareRoot() * m
            if rule.delayed { b2 = beta2 * b2 + (1 - beta2) * rule.weight * gh2 }
        }
    }
}
