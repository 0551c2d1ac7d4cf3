import Foundation

/// A method advanced one iteration at a time. A method knows nothing of claims: it exposes its
/// state, and whoever drives it decides what to measure and when.
///
/// The state may be a point in ℝ^d, a point on a manifold, a cloud of particles or a set of workers;
/// the driver only needs `step` and a measurement closure over the whole method.
public protocol IterativeMethod {
    /// Performs iteration k (k = 0, 1, …), drawing randomness from `rng`.
    mutating func step(_ k: Int, rng: inout RandomStream)
    /// False once the state has left the finite range (NaN, ±∞ or |·| > 1e150).
    var isFinite: Bool { get }
    /// The current output as a flat vector (an iterate, a matrix's entries, particles one after the
    /// other), written by `theorybench trace`.
    var point: [Double] { get }
    /// Gradient-oracle calls so far (component gradients; a full gradient of an n-sum costs n), for
    /// plots against oracle calls; nil when the method does not count them.
    var oracleCalls: Double? { get }
}

extension IterativeMethod {
    public var oracleCalls: Double? { nil }
}

/// A step-size rule γ_k.
public enum StepSchedule: Sendable, Equatable, CustomStringConvertible {
    /// γ_k = γ.
    case constant(Double)
    /// γ_k = γ₀/√(k+1).
    case inverseSqrt(Double)

    @inlinable
    public func step(_ k: Int) -> Double {
        switch self {
        case .constant(let g): return g
        case .inverseSqrt(let g0): return g0 / Double(k + 1).squareRoot()
        }
    }

    /// γ₀, the first step.
    public var initial: Double { step(0) }

    public var description: String {
        switch self {
        case .constant(let g): return "γ = \(g.formatted3)"
        case .inverseSqrt(let g0): return "γ_k = \(g0.formatted3)/√(k+1)"
        }
    }
}

extension Double {
    /// Three significant digits, for labels.
    public var formatted3: String {
        if self == 0 || !isFinite { return "\(self)" }
        let a = Swift.abs(self)
        if a >= 1e-3 && a < 1e5 {
            let digits = Swift.max(0, 2 - Int((a).log10Floor))
            return String(format: "%.\(digits)f", self)
        }
        return String(format: "%.2e", self)
    }

    var log10Floor: Double { (Foundation.log10(self)).rounded(.down) }
}
