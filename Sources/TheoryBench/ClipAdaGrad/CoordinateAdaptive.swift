import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// Coordinate-wise Clip-AdaGrad / Clip-Adam with (optionally) delayed stepsizes — the methods that
/// v3 of Chezhegov et al. (arXiv 2406.04443, abstract) extends its polylog(1/δ) bounds to.
///
/// **This project's reading, not the paper's text**: the paper's exact coordinate-wise form and its
/// parameters were unreachable (docs/derivations/clip-adagrad.md). The form implemented is
/// the natural coordinate-wise analogue of `NormAdaptiveRule` (the authors' Norm variants, docs/derivations/clip-adagrad.md §1),
/// with the whole-vector clipping of the issue:
///
///   ĝ_k = clip(g_k, λ) = min(1, λ/‖g_k‖)·g_k            (the whole vector, by its norm)
///   AdaGrad:  x_{k+1,j} = x_{k,j} − γ ĝ_{k,j} / √v_{k,j},   then  v_{k+1,j} = v_{k,j} + ĝ²_{k,j}
///   Adam:     m_{k,j} = β₁m_{k−1,j} + (1−β₁)ĝ_{k,j},
///             x_{k+1,j} = x_{k,j} − γ m_{k,j} / √v_{k,j},   then  v_{k+1,j} = β₂v_{k,j} + (1−β₂)ĝ²_{k,j}
///   v_{0,j} = b₀² for every j, m_{−1} = 0, no bias correction.
///
/// Delayed (the default and the form of the v3 abstract): the step at k uses v_k, built from
/// ĝ_0 … ĝ_{k−1} only (the first step uses b₀ alone). Non-delayed: v is updated before the step.
/// The floor: there is no ε; the accumulator starts at b₀² > 0 in every coordinate, so the
/// denominators are ≥ b₀ (AdaGrad) and ≥ β₂^{k/2}·b₀ (Adam) — the role that b₀ plays in the
/// Norm variants. Deliberately not copied (docs/derivations/clip-adagrad.md §1): the authors' torch AdaGradClip_Delayed_Etta,
/// whose numerator is also the stale gradient g_{k−1} (its first step does not move), and their
/// in-place per-tensor clipping.
public struct CoordinateAdaptiveRule: Sendable, Equatable, CustomStringConvertible {
    /// The same two families as the Norm variants.
    public typealias Family = NormAdaptiveRule.Family

    public var family: Family
    public var delayed: Bool
    /// The clipping level λ (nil: no clipping).
    public var clip: Double?
    public var gamma: Double
    /// √ of every coordinate's initial accumulator.
    public var b0: Double

    public init(family: Family = .adaGrad, delayed: Bool = true, clip: Double?, gamma: Double, b0: Double) {
        precondition(b0 > 0 && gamma > 0, "need b0 > 0, γ > 0")
        precondition(clip.map { $0 > 0 } ?? true, "the clipping level must be positive")
        if case .adam(let b1, let b2) = family {
            precondition(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 <= 1, "need β₁ ∈ [0, 1), β₂ ∈ [0, 1]")
        }
        self.family = family; self.delayed = delayed; self.clip = clip; self.gamma = gamma; self.b0 = b0
    }

    /// Coordinate-wise (Clip-)AdaGrad(D).
    public static func adaGrad(delayed: Bool = true, clip: Double?, gamma: Double, b0: Double) -> Self {
        Self(delayed: delayed, clip: clip, gamma: gamma, b0: b0)
    }

    /// Coordinate-wise (Clip-)Adam(D).
    public static func adam(delayed: Bool = true, clip: Double?, gamma: Double, b0: Double, beta1: Double, beta2: Double) -> Self {
        Self(family: .adam(beta1: beta1, beta2: beta2), delayed: delayed, clip: clip, gamma: gamma, b0: b0)
    }

    public var name: String {
        let base: String
        switch family {
        case .adaGrad: base = "AdaGrad" + (delayed ? "D" : "")
        case .adam: base = "Adam" + (delayed ? "D" : "")
        }
        return (clip == nil ? "" : "Clip-") + base + " (coordinate-wise)"
    }

    public var description: String {
        var s = "\(name): γ = \(gamma.formatted3), b₀ = \(b0.formatted3)"
        if let l = clip { s += ", λ = \(l.formatted3)" }
        if case .adam(let b1, let b2) = family { s += ", β₁ = \(b1.formatted3), β₂ = " + betaText(b2) }
        return s
    }
}

/// A `CoordinateAdaptiveRule` on a gradient oracle: contiguous [Double] state (x, v, m, g), no
/// allocation per iteration.
public struct CoordinateAdaptive<Oracle: GradientOracle>: IterativeMethod, Sendable {
    public var oracle: Oracle
    public let rule: CoordinateAdaptiveRule
    public var x: [Double]
    /// The per-coordinate accumulators v_k (before iteration k's own update when delayed).
    public var v: [Double]
    /// Adam's first moment (empty for AdaGrad).
    public var m: [Double]
    /// How many of the gradients drawn so far were clipped (‖g‖ > λ).
    public var clippedCount = 0
    @usableFromInline var g: [Double]

    public init(oracle: Oracle, rule: CoordinateAdaptiveRule, start: [Double]) {
        self.oracle = oracle; self.rule = rule
        x = start; g = start
        v = [Double](repeating: rule.b0 * rule.b0, count: start.count)
        if case .adam = rule.family { m = [Double](repeating: 0, count: start.count) } else { m = [] }
    }

    @inlinable
    public mutating func step(_ k: Int, rng: inout RandomStream) {
        oracle.sample(at: x, into: &g, rng: &rng)
        let n2 = NormAdaptive<Oracle>.normSquared(g)
        var s = 1.0                                   // ĝ = s·g
        if let lam = rule.clip, n2 > lam * lam {
            s = lam / n2.squareRoot(); clippedCount += 1
        }
        let gamma = rule.gamma, delayed = rule.delayed
        switch rule.family {
        case .adaGrad:
            g.withUnsafeBufferPointer { gp in
                x.withUnsafeMutableBufferPointer { xp in
                    v.withUnsafeMutableBufferPointer { vp in
                        for j in 0..<gp.count {
                            let gh = s * gp[j]
                            if !delayed { vp[j] += gh * gh }
                            xp[j] -= gamma * gh / vp[j].squareRoot()
                            if delayed { vp[j] += gh * gh }
                        }
                    }
                }
            }
        case .adam(let beta1, let beta2):
            g.withUnsafeBufferPointer { gp in
                x.withUnsafeMutableBufferPointer { xp in
                    v.withUnsafeMutableBufferPointer { vp in
                        m.withUnsafeMutableBufferPointer { mp in
                            for j in 0..<gp.count {
                                let gh = s * gp[j]
                                mp[j] = beta1 * mp[j] + (1 - beta1) * gh
                                if !delayed { vp[j] = beta2 * vp[j] + (1 - beta2) * gh * gh }
                                xp[j] -= gamma * mp[j] / vp[j].squareRoot()
                                if delayed { vp[j] = beta2 * vp[j] + (1 - beta2) * gh * gh }
                            }
                        }
                    }
                }
            }
        }
    }

    public var isFinite: Bool { Vec.isFinite(x) }
    public var point: [Double] { x }
}
