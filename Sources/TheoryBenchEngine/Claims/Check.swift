import TheoryBenchCore
import Foundation

/// A bound on the measured quantity at iteration k, computed from the instance's exact constants and
/// the method's parameters — never from the run being judged.
public struct Bound<Context: Sendable, Parameters: Sendable>: Sendable {
    /// The formula as it is printed in the report ("(1 − μ/L)^k (f(x₀) − f*)").
    public let formula: String
    public let provenance: Provenance
    public let value: @Sendable (Context, Parameters, Int) -> Double

    public init(_ formula: String, _ provenance: Provenance,
                _ value: @escaping @Sendable (Context, Parameters, Int) -> Double) {
        self.formula = formula; self.provenance = provenance; self.value = value
    }
}

/// A rate exponent, fixed or computed from the instance's exact constants (e.g. −(α−1)/α from the
/// noise's tail index α).
public struct Exponent<Context: Sendable>: Sendable {
    public let formula: String
    public let value: @Sendable (Context) -> Double

    public init(_ formula: String, _ value: @escaping @Sendable (Context) -> Double) {
        self.formula = formula; self.value = value
    }

    public static func constant(_ v: Double) -> Exponent { Exponent(v.formatted3) { _ in v } }
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
public struct Check<Context: Sendable, Parameters: Sendable>: Sendable {
    public enum Kind: Sendable {
        /// stat_k ≤ bound(k) at every checkpoint k ≥ 1; fails when the interval's lower end exceeds
        /// the bound somewhere. Margin: max_k stat_k / bound(k).
        case boundAtEveryCheckpoint(Bound<Context, Parameters>)
        /// The least-squares slope of log stat_k against log k over k ∈ [from·K, K] is at most
        /// `exponent`; fails when the slope's interval lies entirely above it.
        /// Margin: 10^(slope − exponent), the measured decrease per decade over the allowed one.
        case slopeAtMost(exponent: Exponent<Context>, provenance: Provenance, from: Double)
        /// The least-squares slope b of log stat_k against k gives a per-iteration factor e^b that is
        /// at most `factor`; fails when e^(lower end of b's interval) exceeds it, for both the OLS
        /// interval and a bootstrap over runs (the fit redone on resampled runs).
        /// Margin: ln(factor)/ln(e^b), measured iterations per e-fold over the allowed ones.
        case linearRateAtMost(factor: Bound<Context, Parameters>)
        /// How the (1−δ)-quantiles Q(δ) of one per-run quantity grow as δ → 0 (polylog vs
        /// polynomial in 1/δ); see `ConfidenceGrowth`. The check's `statistic` is not used.
        case confidenceGrowth(ConfidenceGrowth<Context>)
        /// The statistic at the horizon K lies in [lo(K), hi(K)] (a predicted level, e.g. an exact
        /// expectation when lo = hi); fails when its whole confidence interval lies outside.
        /// Margin: stat_K / hi(K).
        case levelAtHorizon(lo: Bound<Context, Parameters>, hi: Bound<Context, Parameters>)
        /// At every checkpoint k ≥ 1 the statistic lies in [lo(k), hi(k)] (an exact level when lo = hi);
        /// fails when at some checkpoint its whole confidence interval lies outside.
        /// Margin: max_k stat_k / hi(k).
        case levelAtEveryCheckpoint(lo: Bound<Context, Parameters>, hi: Bound<Context, Parameters>)
        /// How a per-run scalar grows with a size parameter n (e.g. oracle calls to reach ε at several
        /// n); see `SizeScaling`. The per-checkpoint series is not judged.
        case sizeScaling(SizeScaling<Context>)
    }

    public let kind: Kind
    public let statistic: Statistic
    /// The confidence of every interval the check uses.
    public let confidence: Double

    /// `confidence` defaults to 0.99, and to `Reliability.equalityConfidence` for an exact level
    /// (lo = hi), whose false-alarm probability is 1 − confidence by construction.
    public init(_ kind: Kind, on statistic: Statistic, confidence: Double? = nil) {
        self.kind = kind; self.statistic = statistic
        var equality = false
        if case .levelAtHorizon(let lo, let hi) = kind, lo.formula == hi.formula { equality = true }
        if case .levelAtEveryCheckpoint(let lo, let hi) = kind, lo.formula == hi.formula { equality = true }
        if case .sizeScaling(let g) = kind, g.isExact { equality = true }
        self.confidence = confidence ?? (equality ? Reliability.equalityConfidence : 0.99)
    }

    /// True for a predicted exact level (`levelAtHorizon` with lo = hi).
    public var isEquality: Bool {
        if case .levelAtHorizon(let lo, let hi) = kind { return lo.formula == hi.formula }
        if case .levelAtEveryCheckpoint(let lo, let hi) = kind { return lo.formula == hi.formula }
        if case .sizeScaling(let g) = kind { return g.isExact }
        return false
    }

    /// The per-run scalars the check reads (empty: only the values at the checkpoints).
    public var runScalars: [RunScalar] {
        switch kind {
        case .confidenceGrowth(let g): return g.scalar.map { [$0] } ?? []
        case .sizeScaling(let g): return g.scalars
        default: return []
        }
    }

    /// The bound or rate as displayed in the report.
    public var formula: String {
        switch kind {
        case .boundAtEveryCheckpoint(let b): return "\(statistic) ≤ \(b.formula) at every checkpoint"
        case .slopeAtMost(let e, _, let from):
            return "slope of log(\(statistic)) vs log k on [\(from.formatted3)·K, K] ≤ \(e.formula)"
        case .linearRateAtMost(let f): return "per-iteration factor of \(statistic) ≤ \(f.formula)"
        case .confidenceGrowth(let g): return g.formula
        case .sizeScaling(let g): return "slope of log(\(statistic) of \(g.quantity)) vs log \(g.label) over \(g.label) ∈ {\(g.sizes.map { String(Int($0)) }.joined(separator: ", "))} \(g.relation)"
        case .levelAtHorizon(let lo, let hi):
            return lo.formula == hi.formula ? "\(statistic) at k = K equals \(lo.formula)" : "\(lo.formula) ≤ \(statistic) at k = K ≤ \(hi.formula)"
        case .levelAtEveryCheckpoint(let lo, let hi):
            return lo.formula == hi.formula ? "\(statistic) equals \(lo.formula) at every checkpoint" : "\(lo.formula) ≤ \(statistic) ≤ \(hi.formula) at every checkpoint"
        }
    }

    public var provenance: Provenance {
        switch kind {
        case .boundAtEveryCheckpoint(let b), .linearRateAtMost(let b), .levelAtHorizon(_, let b), .levelAtEveryCheckpoint(_, let b): return b.provenance
        case .slopeAtMost(_, let p, _): return p
        case .confidenceGrowth(let g): return g.provenance
        case .sizeScaling(let g): return g.provenance
        }
    }

    /// A description of the tolerance, for the report.
    public var tolerance: String {
        let c = Self.percent(confidence)
        switch statistic {
        case .mean: return "Student-t \(c) interval of the mean" + fitNote
        case .quantile: return "binomial order-statistic \(c) interval of the quantile" + fitNote
        }
    }

    /// A confidence as a percentage with enough digits not to round to 100 % (1 − 10⁻⁴ → "99.99 %").
    static func percent(_ c: Double) -> String {
        let miss = (1 - c) * 100
        guard miss > 0, miss < 0.1 else { return "\((c * 100).formatted3) %" }
        return String(format: "%.\(Int((-log10(miss) - 1e-9).rounded(.up)))f %%", c * 100)
    }

    private var fitNote: String {
        switch kind {
        case .boundAtEveryCheckpoint, .levelAtHorizon, .levelAtEveryCheckpoint: return ""
        case .confidenceGrowth(let g):
            return "; \(g.tolerance(confidence))"
        case .sizeScaling:
            return "; endpoint slope ln(S⁻(n_max)/S⁺(n_min))/ln(n_max/n_min) from the two intervals, one-sided (≥ \(Self.percent(confidence)))"
        case .linearRateAtMost:
            return "; OLS slope ± t·se and a percentile bootstrap over runs (1000 resamples), \(Self.percent(confidence)); fails only when both exclude the allowed factor"
        default: return "; OLS slope ± t·se (\(Self.percent(confidence)))"
        }
    }
}

/// A check on how the (1−δ)-quantiles Q(δ) of a per-run quantity grow over a grid of δ: the
/// polylog(1/δ)-vs-poly(1/δ) distinction.
///
/// The quantity is the measured value at the horizon K (the last checkpoint) or a named per-run
/// scalar of the trace (e.g. a hitting time, +∞ when censored). Only the δ with runs·δ ≥ `tailRuns`
/// are used (so the oracle, with fewer runs, uses fewer δ levels; at least two are needed). With δ_a
/// the largest and δ_b the smallest δ used and ℓ = ln(1/δ):
/// - `polylogAtMost(degree: p)`: the growth exponent in ln-ln coordinates
///   e = ln(Q(δ_b)/Q(δ_a)) / ln(ℓ_b/ℓ_a) must be ≤ p. Any Q(δ) = a + b·ℓ^p with a, b ≥ 0 has e ≤ p
///   exactly, and Q ∝ δ^{−s} has e = s(ℓ_b − ℓ_a)/ln(ℓ_b/ℓ_a) (≈ 4.2·s on [10⁻³, 10⁻¹]).
///   Fails when the lower confidence end e⁻ = ln(Q⁻(δ_b)/Q⁺(δ_a)) / ln(ℓ_b/ℓ_a) exceeds p.
/// - `polynomialAtLeast(exponent: s)`: the elasticity ε = ln(Q(δ_b)/Q(δ_a)) / ln(δ_a/δ_b) must be
///   ≥ s. Fails when the upper end ε⁺ = ln(Q⁺(δ_b)/Q⁻(δ_a)) / ln(δ_a/δ_b) is below s.
/// Q⁻, Q⁺ are the distribution-free order-statistic bounds at the check's confidence c; each side
/// holds with probability ≥ (1+c)/2, so e⁻ (or ε⁺) is a one-sided bound at confidence ≥ c.
/// Margin: e/p (polylog) or s/ε (polynomial); ≤ 1 means on the claimed side.
public struct ConfidenceGrowth<Context: Sendable>: Sendable {
    public enum Law: Sendable {
        case polylogAtMost(degree: Double)
        /// The elasticity must reach an exponent that may depend on the instance (e.g. 1/α).
        case polynomialAtLeast(exponent: Exponent<Context>)
    }

    public let law: Law
    /// The δ grid (any order); levels with runs·δ < `tailRuns` are dropped.
    public let deltas: [Double]
    /// The minimum number of runs beyond the smallest quantile used (100 by the rule).
    public let tailRuns: Int
    /// nil: the measured value at the horizon; otherwise a per-run scalar of the trace.
    public let scalar: RunScalar?
    /// What the quantity is, for the report ("f(x_K) − f*", "hitting time of …").
    public let quantity: String
    public let provenance: Provenance
    /// A convergence requirement for a quantity read at the horizon (`scalar` nil): with k₀ the first
    /// checkpoint ≥ `decreasingFrom`·K, the check also fails unless Q(δ_max) at K lies confidently
    /// below Q(δ_max) at k₀ (the upper end of the first interval below the lower end of the second).
    /// A method that does not move, or plateaus before k₀, fails it; the growth law alone would
    /// pass a constant quantity. nil: no such requirement.
    public let decreasingFrom: Double?

    public init(_ law: Law, deltas: [Double], tailRuns: Int = 100, scalar: RunScalar? = nil,
                quantity: String, provenance: Provenance, decreasingFrom: Double? = nil) {
        precondition(deltas.allSatisfy { $0 > 0 && $0 < 1 } && deltas.count >= 2, "need two or more δ in (0, 1)")
        precondition(decreasingFrom.map { $0 >= 0 && $0 < 1 && scalar == nil } ?? true,
                     "decreasingFrom ∈ [0, 1) applies to the quantity at the horizon only")
        self.law = law; self.deltas = deltas.sorted(by: >); self.tailRuns = tailRuns
        self.scalar = scalar; self.quantity = quantity; self.provenance = provenance
        self.decreasingFrom = decreasingFrom
    }

    /// The δ levels usable with `runs` runs (largest first).
    public func usable(runs: Int) -> [Double] {
        deltas.filter { Double(runs) * $0 >= Double(tailRuns) * (1 - 1e-9) }
    }

    public var formula: String {
        let convergence = decreasingFrom.map { "; and Q(δ_max) at k = K < Q(δ_max) at k = \($0.formatted3)·K (convergence)" } ?? ""
        switch law {
        case .polylogAtMost(let p):
            return "Q(δ) = (1−δ)-quantile of \(quantity): ln(Q(δ_min)/Q(δ_max)) / ln(ln(1/δ_min)/ln(1/δ_max)) ≤ \(p.formatted3) (polylog of degree \(p.formatted3))" + convergence
        case .polynomialAtLeast(let s):
            return "Q(δ) = (1−δ)-quantile of \(quantity): ln(Q(δ_min)/Q(δ_max)) / ln(δ_max/δ_min) ≥ \(s.formula) (polynomial in 1/δ)" + convergence
        }
    }

    func tolerance(_ c: Double) -> String {
        "δ ∈ {\(deltas.map(\.formatted3).joined(separator: ", "))} restricted to runs·δ ≥ \(tailRuns); endpoint quantiles' order-statistic bounds combined one-sidedly (≥ \((c * 100).formatted3) %)"
    }
}

/// A check on how a per-run scalar S(n) (e.g. component-gradient calls to reach ε) grows with a size
/// parameter n, the runs measuring every n (`Trace.scalars[scalars[j]]` at n = `sizes[j]`). With
/// S(n) the check's statistic over runs and its confidence interval [S⁻, S⁺], the endpoint slope
///   s = ln(S(n_max)/S(n_min)) / ln(n_max/n_min)
/// must be at most `exponent`; the check fails when the lower end
///   s⁻ = ln(S⁻(n_max)/S⁺(n_min)) / ln(n_max/n_min)
/// exceeds it (each interval at confidence c, so s⁻ is a one-sided bound at confidence ≥ 2c − 1).
/// A non-finite scalar (censored: ε not reached within the horizon) fails. The least-squares slope
/// over all sizes is reported beside s. Margin: s / exponent.
public struct SizeScaling<Context: Sendable>: Sendable {
    public let sizes: [Double]
    public let scalars: [RunScalar]
    public let exponent: Exponent<Context>
    /// What S is, for the report.
    public let quantity: String
    public let provenance: Provenance
    /// The name of the size axis ("n", or "k = n/N" when the sizes are a fixed multiple of n: log-log
    /// slopes are the same).
    public let label: String
    /// A lower limit on the slope as well (nil: one-sided, at most `exponent`): the check then also
    /// fails when the upper end s⁺ = ln(S⁺(n_max)/S⁻(n_min))/ln(n_max/n_min) is below it. With
    /// `atLeast` = `exponent` (same formula) the slope is predicted exactly, an equality check.
    public let atLeast: Exponent<Context>?

    public init(sizes: [Double], scalars: [RunScalar], exponent: Exponent<Context>, quantity: String, provenance: Provenance,
                label: String = "n", atLeast: Exponent<Context>? = nil) {
        precondition(sizes.count == scalars.count && sizes.count >= 2 && sizes.allSatisfy { $0 > 0 },
                     "need two or more positive sizes, one scalar name each")
        precondition(zip(sizes, sizes.dropFirst()).allSatisfy { $0 < $1 }, "sizes must increase")
        self.sizes = sizes; self.scalars = scalars; self.exponent = exponent
        self.quantity = quantity; self.provenance = provenance; self.label = label; self.atLeast = atLeast
    }

    /// True when the slope is predicted exactly (lower limit = upper limit).
    public var isExact: Bool { atLeast?.formula == exponent.formula }

    /// The allowed slope, as displayed.
    var relation: String {
        guard let lo = atLeast else { return "≤ \(exponent.formula)" }
        return isExact ? "= \(exponent.formula)" : "∈ [\(lo.formula), \(exponent.formula)]"
    }
}
