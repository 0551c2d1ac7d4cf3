import TheoryBenchCore

/// The false-alarm budget of the oracle and the margin it implies (derivation in
/// `docs/reliability.md`).
///
/// A verdict is decided by one end of a confidence interval at level c = 0.99 crossing a threshold.
/// Under another seed that end moves with about the estimate's standard error σ, and the interval's
/// width is 2·z_c·σ (z_c = 2.576). A verdict `w` widths from its threshold therefore flips with
/// probability about Φ(−2 z_c w). The oracle judges about N = 100 verdicts (claims and controls);
/// a false-alarm budget of 1 % per full run gives 10⁻⁴ per verdict, i.e. 2 z_c w ≥ 3.72, w ≥ 0.72.
/// The oracle requires `minimumWidths` = 1 (rounded up for intervals that are not normal and for the
/// noise in w itself). Equality checks (a level predicted exactly, lo = hi) cannot be far from their
/// threshold by construction: their false-alarm probability is 1 − c, so they run at c = 1 − 10⁻⁴ and
/// are exempt from the widths rule (their controls are not).
public enum Reliability {
    /// The least distance from flipping, in confidence-interval widths, a verdict must keep.
    public static let minimumWidths = 1.0
    /// The confidence of an equality check (its false-alarm probability is 1 − this).
    public static let equalityConfidence = 0.9999
    /// The oracle's stated false-alarm budget per full run of `make test`.
    public static let falseAlarmBudget = 0.01
}
