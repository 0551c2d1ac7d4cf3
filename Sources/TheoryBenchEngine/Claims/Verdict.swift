import TheoryBenchCore
/// The outcome of one check on one experiment.
public enum Outcome: String, Sendable, Codable, Equatable {
    case pass
    case fail
    /// A run left the finite range (NaN, ±∞ or |·| > 1e150).
    case diverged
    /// A hypothesis does not hold; the claim's own experiment is not run.
    case assumptionViolated = "assumption-violated"
    /// A control restricted to some instances (`Control.only`) whose condition fails here: not run.
    case notApplicable = "not-applicable"

    /// True when the check found the claim violated (how a control is detected).
    public var isFailure: Bool { self == .fail || self == .diverged }
}

/// Measured values per checkpoint, for plots and the JSON results.
public struct Series: Sendable, Codable, Equatable {
    public var iterations: [Int]
    public var estimate: [Double]
    public var lower: [Double]
    public var upper: [Double]
    /// The bound at each checkpoint (bound checks), or the fitted line (slope/rate checks).
    public var reference: [Double]?
    public var referenceLabel: String?
    /// The x-axis when it is not the iteration count (e.g. 1/δ for quantile-vs-confidence plots),
    /// with its label; nil for the usual per-checkpoint series.
    public var abscissa: [Double]?
    /// Mean gradient-oracle calls by each checkpoint, when the method counts them (second plot).
    public var oracleCalls: [Double]?
    public var abscissaLabel: String?

    public init(iterations: [Int], estimate: [Double], lower: [Double], upper: [Double],
                reference: [Double]? = nil, referenceLabel: String? = nil,
                abscissa: [Double]? = nil, abscissaLabel: String? = nil) {
        self.iterations = iterations; self.estimate = estimate; self.lower = lower; self.upper = upper
        self.reference = reference; self.referenceLabel = referenceLabel
        self.abscissa = abscissa; self.abscissaLabel = abscissaLabel
    }
}

/// The verdict of a check: outcome, margin (measured ÷ allowed; ≤ 1 means within the bound), a
/// one-line account, and the series it was judged on.
public struct Verdict: Sendable, Codable, Equatable {
    public var outcome: Outcome
    public var margin: Double?
    /// How far the verdict is from flipping, in widths of the confidence interval that decides it:
    /// |threshold − deciding end| ÷ width, the width being upper − lower for a two-sided interval
    /// (means, quantiles, fitted slopes) and twice the distance from the estimate to the deciding end
    /// for the one-sided bounds of the growth and size-scaling checks. nil when no interval decides it
    /// (one deterministic run, a diverged run, a violated assumption, an end that cannot cross); +∞
    /// when the interval has zero width.
    public var widths: Double?
    public var detail: String
    public var divergedAt: Int?
    public var violations: [String]
    public var series: Series?

    public init(outcome: Outcome, margin: Double? = nil, widths: Double? = nil, detail: String, divergedAt: Int? = nil,
                violations: [String] = [], series: Series? = nil) {
        self.outcome = outcome; self.margin = margin; self.widths = widths; self.detail = detail
        self.divergedAt = divergedAt; self.violations = violations; self.series = series
    }
}

extension Verdict {
    /// The distance `distance` of a deciding interval end from its threshold (≥ 0 on the verdict's
    /// side) in widths `width` of that interval; nil when the width is not a finite positive number
    /// and the distance cannot be expressed (an unbounded interval counts as 0 widths away).
    static func widths(distance: Double, width: Double) -> Double? {
        guard distance.isFinite, !width.isNaN else { return nil }
        if width == 0 { return .infinity }
        return width.isInfinite ? 0 : abs(distance) / width
    }
}
