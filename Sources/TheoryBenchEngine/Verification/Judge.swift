import TheoryBenchCore
import Foundation

/// Turns the traces of one experiment into a `Verdict` under a claim's check.
public enum Judge {
    /// `context` and `parameters` are the claim's (a control is judged against the claim's
    /// constants); `resolution` is the smallest value the measured quantity resolves on the claim's
    /// instance (`Instance.resolution`).
    public static func verdict<C, P>(_ check: Check<C, P>, context: C, parameters: P, resolution: Double,
                                     checkpoints: Checkpoints, traces: [Trace]) -> Verdict {
        let series = summarize(traces, checkpoints, check)
        let left = traces.compactMap(\.regionViolation)
        if let first = left.first {
            return Verdict(outcome: .assumptionViolated,
                           detail: "\(left.count) of \(traces.count) runs left the region where the constants hold; first: \(first)",
                           violations: [first], series: series)
        }
        if let k = traces.compactMap(\.divergedAt).min() {
            let count = traces.filter { $0.divergedAt != nil }.count
            return Verdict(outcome: .diverged, detail: "\(count) of \(traces.count) runs diverged, first by iteration \(k)",
                           divergedAt: k, series: series)
        }
        switch check.kind {
        case .boundAtEveryCheckpoint(let bound):
            return judgeBound(series.iterations.map { bound.value(context, parameters, $0) }, floor: resolution, series)
        case .slopeAtMost(let exponent, _, let from):
            return judgeSlope(exponent.value(context), from: from, series, confidence: check.confidence)
        case .linearRateAtMost(let factor):
            return judgeRate(factor.value(context, parameters, 1), series, traces, check.statistic, confidence: check.confidence)
        case .confidenceGrowth(let growth):
            let law: GrowthLaw
            switch growth.law {
            case .polylogAtMost(let p): law = .polylogAtMost(degree: p)
            case .polynomialAtLeast(let e): law = .polynomialAtLeast(exponent: e.value(context))
            }
            let v = judgeGrowth(growth, law, traces, horizon: checkpoints.horizon, confidence: check.confidence)
            guard let from = growth.decreasingFrom, v.outcome == .pass || v.outcome == .fail else { return v }
            return withConvergence(v, from: from, delta: growth.usable(runs: traces.count).first ?? growth.deltas[0],
                                   traces, checkpoints, confidence: check.confidence)
        case .sizeScaling(let g):
            return judgeScaling(g, exponent: g.exponent.value(context), atLeast: g.atLeast?.value(context), traces, statistic: check.statistic,
                                horizon: checkpoints.horizon, confidence: check.confidence)
        case .levelAtEveryCheckpoint(let lo, let hi):
            return judgeLevels(series.iterations.map { lo.value(context, parameters, $0) },
                               series.iterations.map { hi.value(context, parameters, $0) }, series)
        case .levelAtHorizon(let lo, let hi):
            let K = checkpoints.horizon
            return judgeLevel(lo.value(context, parameters, K), hi.value(context, parameters, K), series)
        }
    }

    /// A confidence-growth law with its exponent evaluated on the claim's context.
    enum GrowthLaw { case polylogAtMost(degree: Double), polynomialAtLeast(exponent: Double) }

    static func summarize<C, P>(_ traces: [Trace], _ checkpoints: Checkpoints, _ check: Check<C, P>) -> Series {
        var est = [Double](), lo = [Double](), hi = [Double]()
        var column = [Double](repeating: 0, count: traces.count)
        for j in 0..<checkpoints.count {
            for r in traces.indices { column[r] = traces[r].values[j] }
            let e = check.statistic.estimate(column, confidence: check.confidence)
            est.append(e.value); lo.append(e.lower); hi.append(e.upper)
        }
        var series = Series(iterations: checkpoints.iterations, estimate: est, lower: lo, upper: hi)
        let calls = traces.compactMap(\.oracleCalls)
        if !calls.isEmpty, calls.count == traces.count, calls.allSatisfy({ $0.count == checkpoints.count }) {
            series.oracleCalls = (0..<checkpoints.count).map { j in calls.reduce(0) { $0 + $1[j] } / Double(calls.count) }
        }
        return series
    }

    /// Judged at every checkpoint k ≥ 1 against max(bound, `Instance.resolution`): below the measured
    /// quantity's rounding level double arithmetic cannot resolve a bound, but a value above that
    /// level where the bound is (near) zero is still a violation. `b` holds the bound per checkpoint.
    /// A violation must also exceed the bound by more than its relative rounding, `roundingSlack`: a
    /// deterministic run that attains a tight bound exactly (gradient descent with step 1/L on a 1-D
    /// quadratic, say) computes measured and bound along different roundings, and a zero-width interval
    /// 1 ulp above the bound is rounding, not a violation. The margin is still measured ÷ bound.
    /// The relative rounding a bound check allows (a few thousand ulps: far below any statistical
    /// effect, far above the rounding of evaluating a closed-form bound).
    static let roundingSlack = 1e-12

    static func judgeBound(_ b: [Double], floor: Double, _ s: Series) -> Verdict {
        var series = s
        series.reference = b; series.referenceLabel = "bound"
        var worstRatio = -Double.infinity, worstK = 0
        var violatedAt: Int?
        var closest = Double.infinity, farthestOver = 0.0   // widths below the bound; widths above it
        for j in s.iterations.indices where s.iterations[j] >= 1 {
            let allowed = max(b[j], floor)
            let ratio = s.estimate[j] / allowed
            if ratio > worstRatio { worstRatio = ratio; worstK = s.iterations[j] }
            let over = s.lower[j] > allowed * (1 + roundingSlack)
            if violatedAt == nil && over { violatedAt = s.iterations[j] }
            if let w = Verdict.widths(distance: allowed - s.lower[j], width: s.upper[j] - s.lower[j]) {
                if over { farthestOver = max(farthestOver, w) } else { closest = min(closest, w) }
            }
        }
        let widths = violatedAt == nil ? (closest.isInfinite && s.upper == s.lower ? nil : closest) : farthestOver
        let floorNote = b.contains { $0 < floor } ? " (bound floored at the resolution \(floor.formatted3))" : ""
        if let k = violatedAt {
            return Verdict(outcome: .fail, margin: worstRatio, widths: widths,
                           detail: "bound exceeded beyond the confidence interval from k = \(k); worst ratio \(worstRatio.formatted3) at k = \(worstK)" + floorNote,
                           series: series)
        }
        return Verdict(outcome: .pass, margin: worstRatio, widths: widths,
                       detail: "within the bound at all checkpoints; worst ratio \(worstRatio.formatted3) at k = \(worstK)" + floorNote,
                       series: series)
    }

    static func judgeLevel(_ lo: Double, _ hi: Double, _ s: Series) -> Verdict {
        var series = s
        series.reference = s.iterations.map { $0 == s.iterations.last! ? hi : .nan }
        series.referenceLabel = "predicted level at K"
        let (est, a, b) = (s.estimate.last!, s.lower.last!, s.upper.last!)
        let text = "at K: \(est.formatted3) [\(a.formatted3), \(b.formatted3)] vs predicted [\(lo.formatted3), \(hi.formatted3)]"
        let outside = b < lo || a > hi
        // Inside: the nearer of b − lo and hi − a; outside: how far the interval lies beyond.
        let distance = outside ? max(lo - b, a - hi) : min(b - lo, hi - a)
        return Verdict(outcome: outside ? .fail : .pass, margin: est / hi,
                       widths: Verdict.widths(distance: distance, width: b - a), detail: text, series: series)
    }

    /// Every checkpoint k ≥ 1 against its predicted range [lo(k), hi(k)]: fails where the whole
    /// interval lies outside. Widths: inside, the least distance of an interval end past the nearer
    /// limit; outside, the largest distance by which an interval misses its range.
    static func judgeLevels(_ lo: [Double], _ hi: [Double], _ s: Series) -> Verdict {
        var series = s
        series.reference = hi; series.referenceLabel = "predicted level"
        var worst = -Double.infinity, worstK = 0, missed = [Int](), inside = Double.infinity, outside = 0.0
        for j in s.iterations.indices where s.iterations[j] >= 1 {
            let (a, b) = (s.lower[j], s.upper[j])
            let ratio = s.estimate[j] / hi[j]
            if ratio > worst { worst = ratio; worstK = s.iterations[j] }
            let out = b < lo[j] || a > hi[j]
            if out { missed.append(s.iterations[j]) }
            if let w = Verdict.widths(distance: out ? max(lo[j] - b, a - hi[j]) : min(b - lo[j], hi[j] - a), width: b - a) {
                if out { outside = max(outside, w) } else { inside = min(inside, w) }
            }
        }
        let text = missed.isEmpty
            ? "within the predicted levels at all checkpoints; largest measured ÷ upper level \(worst.formatted3) at k = \(worstK)"
            : "outside the predicted levels beyond the confidence interval at k = \(missed.map(String.init).joined(separator: ", ")); largest ratio \(worst.formatted3)"
        return Verdict(outcome: missed.isEmpty ? .pass : .fail, margin: worst,
                       widths: missed.isEmpty ? (inside.isInfinite ? nil : inside) : outside, detail: text, series: series)
    }

    static func judgeSlope(_ exponent: Double, from: Double, _ s: Series, confidence: Double) -> Verdict {
        let K = Double(s.iterations.last!)
        let idx = s.iterations.indices.filter { s.iterations[$0] >= 1 && Double(s.iterations[$0]) >= from * K }
        let x = idx.map { log(Double(s.iterations[$0])) }, y = idx.map { log(s.estimate[$0]) }
        guard x.count >= 3, y.allSatisfy(\.isFinite) else {
            return Verdict(outcome: .fail, detail: "too few finite points to fit a slope", series: s)
        }
        let fit = Statistics.linearFit(x: x, y: y)
        let ci = fit.slopeInterval(confidence: confidence)
        var series = s
        series.reference = s.iterations.map { $0 >= 1 ? exp(fit.intercept + fit.slope * log(Double($0))) : .nan }
        series.referenceLabel = "fitted slope \(fit.slope.formatted3)"
        let margin = pow(10, fit.slope - exponent)
        let text = "slope \(fit.slope.formatted3) [\(ci.lower.formatted3), \(ci.upper.formatted3)] vs allowed ≤ \(exponent.formatted3)"
        return Verdict(outcome: ci.lower > exponent ? .fail : .pass, margin: margin,
                       widths: Verdict.widths(distance: exponent - ci.lower, width: ci.upper - ci.lower), detail: text, series: series)
    }

    /// The slope of log stat_k against k, with two intervals: the OLS one (scatter about the line)
    /// and a percentile bootstrap over runs (1000 resamples of the runs, the statistic's series and
    /// its fit recomputed on each; the resampling stream is fixed, so verdicts are reproducible).
    /// The check fails only when both lower ends put the factor above `allowed`.
    static func judgeRate(_ allowed: Double, _ s: Series, _ traces: [Trace], _ statistic: Statistic, confidence: Double) -> Verdict {
        let idx = s.iterations.indices.filter { s.estimate[$0] > 0 && s.estimate[$0].isFinite }
        guard idx.count >= 3 else {
            return Verdict(outcome: .fail, detail: "too few positive points to fit a rate", series: s)
        }
        let x = idx.map { Double(s.iterations[$0]) }
        let fit = Statistics.linearFit(x: x, y: idx.map { log(s.estimate[$0]) })
        let ci = fit.slopeInterval(confidence: confidence)
        // Bootstrap over runs: resample run indices, recompute the statistic per checkpoint and refit.
        let runIndices = traces.indices.map(Double.init)
        let boot = Statistics.bootstrap(runIndices, resamples: 1000, confidence: confidence, seed: 0x5241_5445) { picks in
            let ys = idx.map { j -> Double in
                let column = picks.map { traces[Int($0)].values[j] }
                return log(statistic.estimate(column, confidence: confidence).value)
            }
            guard ys.allSatisfy(\.isFinite) else { return .infinity }
            return Statistics.linearFit(x: x, y: ys).slope
        }
        let lower = min(ci.lower, boot.lower)
        let factor = exp(fit.slope)
        var series = s
        series.reference = s.iterations.map { exp(fit.intercept + fit.slope * Double($0)) }
        series.referenceLabel = "fitted factor \(factor.formatted3)"
        let margin = log(allowed) / fit.slope
        let text = "factor \(factor.formatted3) [OLS \(exp(ci.lower).formatted3), \(exp(ci.upper).formatted3); bootstrap over runs \(exp(boot.lower).formatted3), \(exp(boot.upper).formatted3)] vs allowed ≤ \(allowed.formatted3)"
        let upper = max(ci.upper, boot.upper)
        return Verdict(outcome: exp(lower) > allowed ? .fail : .pass, margin: margin,
                       widths: Verdict.widths(distance: log(allowed) - lower, width: upper - lower), detail: text, series: series)
    }

    /// `v` (a growth verdict) combined with the convergence requirement of
    /// `ConfidenceGrowth.decreasingFrom`: Q(δ) of the values at the horizon must lie confidently below
    /// Q(δ) at k₀, the first checkpoint ≥ from·K. Its distance from flipping is
    /// ln(Q⁻(k₀)/Q⁺(K)) in widths ln(Q⁺(K)/Q⁻(K)) + ln(Q⁺(k₀)/Q⁻(k₀)) (the interval of ln(Q(k₀)/Q(K))
    /// built from the two); the verdict keeps the smaller distance of the two parts when both pass.
    static func withConvergence(_ v: Verdict, from: Double, delta: Double, _ traces: [Trace], _ checkpoints: Checkpoints,
                                confidence c: Double) -> Verdict {
        let K = checkpoints.horizon
        let j0 = checkpoints.iterations.firstIndex { Double($0) >= from * Double(K) } ?? 0
        let k0 = checkpoints.iterations[j0]
        let q0 = Statistics.quantile(traces.map { $0.values[j0] }, level: 1 - delta, confidence: c)
        let qK = Statistics.quantile(traces.map { $0.values.last! }, level: 1 - delta, confidence: c)
        let converges = qK.upper < q0.lower
        var out = v
        let d = log(q0.lower / qK.upper), width = log(qK.upper / qK.lower) + log(q0.upper / q0.lower)
        let w = (d.isNaN || width.isNaN) ? nil : Verdict.widths(distance: d, width: width)
        out.detail += "; convergence: Q(δ = \(delta.formatted3)) \(qK.value.formatted3) at k = \(K) "
            + (converges ? "below" : "not confidently below") + " \(q0.value.formatted3) at k = \(k0)"
        if !converges {   // either failing part decides; both must flip for the verdict to flip
            out.widths = v.outcome == .pass ? w : [v.widths, w].compactMap { $0 }.max()
            out.outcome = .fail
        } else if v.outcome == .pass, let w {
            out.widths = v.widths.map { min($0, w) } ?? w
        }
        return out
    }

    static func judgeGrowth<C>(_ g: ConfidenceGrowth<C>, _ law: GrowthLaw, _ traces: [Trace], horizon: Int,
                               confidence c: Double) -> Verdict {
        let n = traces.count
        let deltas = g.usable(runs: n)
        let xs = traces.map { t in g.scalar.map { t.scalars[$0] ?? .nan } ?? t.values.last! }
        guard deltas.count >= 2 else {
            return Verdict(outcome: .fail, detail: "\(n) runs leave fewer than two δ levels with ≥ \(g.tailRuns) runs beyond them")
        }
        guard !xs.contains(where: \.isNaN) else {
            return Verdict(outcome: .fail, detail: "the quantity \(g.scalar?.name ?? "at the horizon") is missing or NaN in some run")
        }
        let est = deltas.map { Statistics.quantile(xs, level: 1 - $0, confidence: c) }
        let series = Series(iterations: deltas.map { _ in horizon }, estimate: est.map(\.value),
                            lower: est.map(\.lower), upper: est.map(\.upper),
                            abscissa: deltas.map { 1 / $0 }, abscissaLabel: "1/δ")
        let a = est.first!, b = est.last!
        let la = log(1 / deltas.first!), lb = log(1 / deltas.last!)
        guard a.value > 0, a.lower > 0, a.upper.isFinite else {
            return Verdict(outcome: .fail, detail: "Q(δ = \(deltas.first!.formatted3)) = \(a.value.formatted3) is not positive and finite", series: series)
        }
        // A quantile of +∞ is a hitting time censored at the horizon: all that is known is Q > K, so
        // K stands in for it wherever that keeps the inference conservative, and "≥" marks it.
        let K = Double(horizon)
        let capped = { (q: Double) in q.isInfinite ? K : q }
        let atLeast = { (q: Double) in q.isInfinite ? "≥ " : "" }
        var local = [String]()
        for j in 1..<deltas.count {
            let num = log(capped(est[j].value) / capped(est[j - 1].value))
            let den: Double
            switch law {
            case .polylogAtMost: den = log(log(1 / deltas[j]) / log(1 / deltas[j - 1]))
            case .polynomialAtLeast: den = log(deltas[j - 1] / deltas[j])
            }
            local.append(atLeast(est[j].value) + (num / den).formatted3)
        }
        let qs = "Q = " + est.map { $0.value.isInfinite ? "> K = \(horizon)" : $0.value.formatted3 }.joined(separator: ", ")
            + " at δ = " + deltas.map(\.formatted3).joined(separator: ", ")
        switch law {
        case .polylogAtMost(let p):
            // Censoring can only raise the exponent: its lower end uses Q(δ_min) ≥ K.
            let den = log(lb / la)
            let e = log(capped(b.value) / a.value) / den, eLow = log(capped(b.lower) / a.upper) / den
            var s = series
            s.reference = deltas.map { a.value * pow(log(1 / $0) / la, p) }
            s.referenceLabel = "degree-\(p.formatted3) polylog envelope from Q(δ_max)"
            let text = "ln-ln growth exponent \(atLeast(b.value))\(e.formatted3) (lower \(eLow.formatted3)) vs allowed ≤ \(p.formatted3); local: \(local.joined(separator: ", ")); \(qs)"
            return Verdict(outcome: eLow > p ? .fail : .pass, margin: e / p,
                           widths: Verdict.widths(distance: p - eLow, width: 2 * (e - eLow)), detail: text, series: s)
        case .polynomialAtLeast(let sMin):
            // Censoring leaves the upper end unbounded (+∞: growth cannot be refuted); the estimate
            // is then a lower bound.
            let den = log(deltas.first! / deltas.last!)
            let e = log(capped(b.value) / a.value) / den, eHigh = log(b.upper / a.lower) / den
            var s = series
            s.reference = deltas.map { a.value * pow(deltas.first! / $0, sMin) }
            s.referenceLabel = "δ^(−\(sMin.formatted3)) from Q(δ_max)"
            let text = "elasticity \(atLeast(b.value))\(e.formatted3) (upper \(eHigh.formatted3)) vs required ≥ \(sMin.formatted3); local: \(local.joined(separator: ", ")); \(qs)"
            return Verdict(outcome: eHigh < sMin ? .fail : .pass, margin: sMin / e,
                           widths: Verdict.widths(distance: eHigh - sMin, width: 2 * (eHigh - e)), detail: text, series: s)
        }
    }

    static func judgeScaling<C>(_ g: SizeScaling<C>, exponent: Double, atLeast: Double? = nil, _ traces: [Trace], statistic: Statistic,
                             horizon: Int, confidence c: Double) -> Verdict {
        var est = [Estimate]()
        for (name, n) in zip(g.scalars, g.sizes) {
            let xs = traces.map { $0.scalars[name] ?? .nan }
            guard xs.allSatisfy(\.isFinite) else {
                let bad = xs.filter { !$0.isFinite }.count
                return Verdict(outcome: .fail, detail: "\(g.quantity) at \(g.label) = \(Int(n)) is missing or censored (not reached within the horizon) in \(bad) of \(xs.count) runs")
            }
            est.append(statistic.estimate(xs, confidence: c))
        }
        var series = Series(iterations: g.sizes.map { _ in horizon }, estimate: est.map(\.value),
                            lower: est.map(\.lower), upper: est.map(\.upper), abscissa: g.sizes, abscissaLabel: g.label)
        let a = est.first!, b = est.last!, n0 = g.sizes.first!, n1 = g.sizes.last!
        guard a.value > 0, b.value > 0 else {
            return Verdict(outcome: .fail, detail: "\(g.quantity) is not positive at an endpoint", series: series)
        }
        let den = log(n1 / n0)
        let slope = log(b.value / a.value) / den
        let low = (a.upper > 0 && b.lower > 0) ? log(b.lower / a.upper) / den : -Double.infinity
        let fit = Statistics.linearFit(x: g.sizes.map { log($0) }, y: est.map { log($0.value) })
        series.reference = g.sizes.map { a.value * pow($0 / n0, exponent) }
        series.referenceLabel = "slope \(exponent.formatted3) (allowed) from S(\(Int(n0)))"
        let values = zip(g.sizes, est).map { "\(Int($0.0)): \($0.1.value.formatted3)" }.joined(separator: ", ")
        if let floor = atLeast {
            return judgeScalingBand(slope: slope, low: low, a: a, b: b, den: den, band: floor...exponent,
                                    fit: fit.slope, values: values, series: series)
        }
        let text = "endpoint slope \(slope.formatted3) (lower \(low.formatted3)) vs allowed ≤ \(exponent.formatted3); least-squares slope \(fit.slope.formatted3); S(n) = \(values)"
        return Verdict(outcome: low > exponent ? .fail : .pass, margin: slope / exponent,
                       widths: Verdict.widths(distance: exponent - low, width: 2 * (slope - low)), detail: text, series: series)
    }
}
