import TheoryBenchCore
import Foundation

extension Judge {
    /// A size-scaling check with a lower limit too (`SizeScaling.atLeast`): the endpoint slope's
    /// interval [s⁻, s⁺] (s⁻ from S⁻(n_max)/S⁺(n_min), s⁺ from S⁺(n_max)/S⁻(n_min), each one-sided at
    /// confidence ≥ 2c − 1) must meet the band [lo, hi]: the check fails when s⁻ > hi or s⁺ < lo.
    /// Widths: the distance of the deciding end from the band's nearer limit over s⁺ − s⁻ (on a pass,
    /// the smaller of hi − s⁻ and s⁺ − lo). With lo = hi the slope is predicted exactly (an equality
    /// check: its pass is always within half a width, its controls are not). Margin: slope / hi.
    static func judgeScalingBand(slope: Double, low: Double, a: Estimate, b: Estimate, den: Double, band: ClosedRange<Double>,
                                 fit: Double, values: String, series: Series) -> Verdict {
        let high = (a.lower > 0 && b.upper > 0) ? log(b.upper / a.lower) / den : Double.infinity
        let width = high - low
        let outcome: Outcome, distance: Double
        if low > band.upperBound { outcome = .fail; distance = low - band.upperBound }
        else if high < band.lowerBound { outcome = .fail; distance = band.lowerBound - high }
        else { outcome = .pass; distance = min(band.upperBound - low, high - band.lowerBound) }
        let allowed = band.lowerBound == band.upperBound ? "= \(band.upperBound.formatted3)"
            : "∈ [\(band.lowerBound.formatted3), \(band.upperBound.formatted3)]"
        let text = "endpoint slope \(slope.formatted3) (interval \(low.formatted3) … \(high.formatted3)) vs \(allowed); least-squares slope \(fit.formatted3); S(n) = \(values)"
        return Verdict(outcome: outcome, margin: slope / band.upperBound,
                       widths: Verdict.widths(distance: distance, width: width), detail: text, series: series)
    }
}
