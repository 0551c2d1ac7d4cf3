import Foundation

/// A bound on the measured quantity at iteration k, computed from the instance's exact constants and
/// the method's parameters — never from the run being judged.
public struct Bound: Sendable {
    /// The formula as it is printed in the report ("(1 − μ/L)^k (f(x₀) − f*)").
    public let formula: String
    public let provenance: Provenance
    public let value: @Sendable (Instance, MethodSpec, Int) -> Double

    public init(_ formula: String, _ provenance: Provenance,
                _ value: @escaping @Sendable (Instance, MethodSpec, Int) -> Double) {
        self.formula = formula; self.provenance = provenance; self.value = value
    }
}

/// The statistic over runs that a check is applied to, with its confidence interval.
public enum Statistic: Sendable, Equatable, CustomStringConvertible {
    /// The mean, with a Student-t interval (needs finite variance).
    case mean
    /// The p-quantile (p = 1 − δ), with a distribution-free order-statistic interval.
    case quantile(Double)

    public func estimate(_ xs: [Double], confidence: Double) -> Estimate {
        switch self {
        case .mean: return Statistics.mean(xs, confidence: confidence)
        case .quantile(let p): return Statistics.quantile(xs, level: p, confidence: confidence)
        }
    }

    public var description: String {
        switch self {
        case .mean: return "mean"
        case .quantile(let p): return "(1−δ)-quantile, δ = \((1 - p).formatted3)"
        }
    }
}

/// How a claim's measurements are judged. Every kind fails only when the data are confidently on
/// the wrong side: a tolerance is always a stated confidence interval, never a fudge factor.
public struct Check: Sendable {
    public enum Kind: Sendable {
        /// stat_k ≤ bound(k) at every checkpoint k ≥ 1; fails when the interval's lower end exceeds
        /// the bound somewhere. Margin: max_k stat_k / bound(k).
        case boundAtEveryCheckpoint(Bound)
        /// The least-squares slope of log stat_k against log k over k ∈ [from·K, K] is at most
        /// `exponent`; fails when the slope's interval lies entirely above it.
        /// Margin: 10^(slope − exponent), the measured decrease per decade over the allowed one.
        case slopeAtMost(exponent: Double, provenance: Provenance, from: Double)
        /// The least-squares slope b of log stat_k against k gives a per-iteration factor e^b that is
        /// at most `factor`; fails when e^(lower end of b's interval) exceeds it.
        /// Margin: ln(factor)/ln(e^b), measured iterations per e-fold over the allowed ones.
        case linearRateAtMost(factor: Bound)
    }

    public let kind: Kind
    public let statistic: Statistic
    /// The confidence of every interval the check uses.
    public let confidence: Double

    public init(_ kind: Kind, on statistic: Statistic, confidence: Double = 0.99) {
        self.kind = kind; self.statistic = statistic; self.confidence = confidence
    }

    /// The bound or rate as displayed in the report.
    public var formula: String {
        switch kind {
        case .boundAtEveryCheckpoint(let b): return "\(statistic) ≤ \(b.formula) at every checkpoint"
        case .slopeAtMost(let e, _, let from):
            return "slope of log(\(statistic)) vs log k on [\(from.formatted3)·K, K] ≤ \(e.formatted3)"
        case .linearRateAtMost(let f): return "per-iteration factor of \(statistic) ≤ \(f.formula)"
        }
    }

    public var provenance: Provenance {
        switch kind {
        case .boundAtEveryCheckpoint(let b), .linearRateAtMost(let b): return b.provenance
        case .slopeAtMost(_, let p, _): return p
        }
    }

    /// A description of the tolerance, for the report.
    public var tolerance: String {
        let c = "\((confidence * 100).formatted3) %"
        switch statistic {
        case .mean: return "Student-t \(c) interval of the mean" + fitNote
        case .quantile: return "binomial order-statistic \(c) interval of the quantile" + fitNote
        }
    }

    private var fitNote: String {
        switch kind {
        case .boundAtEveryCheckpoint: return ""
        default: return "; OLS slope ± t·se (\((confidence * 100).formatted3) %)"
        }
    }
}
