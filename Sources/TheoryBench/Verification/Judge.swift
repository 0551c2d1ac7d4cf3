import Foundation

/// Turns the traces of one experiment into a `Verdict` under a claim's check.
public enum Judge {
    public static func verdict(_ check: Check, instance: Instance, method: MethodSpec,
                               checkpoints: Checkpoints, traces: [Trace], violations: [String] = []) -> Verdict {
        let series = summarize(traces, checkpoints, check)
        if let k = traces.compactMap(\.divergedAt).min() {
            let count = traces.filter { $0.divergedAt != nil }.count
            return Verdict(outcome: .diverged, detail: "\(count) of \(traces.count) runs diverged, first by iteration \(k)",
                           divergedAt: k, violations: violations, series: series)
        }
        var v: Verdict
        switch check.kind {
        case .boundAtEveryCheckpoint(let bound):
            v = judgeBound(bound, instance, method, series)
        case .slopeAtMost(let exponent, _, let from):
            v = judgeSlope(exponent, from: from, series, confidence: check.confidence)
        case .linearRateAtMost(let factor):
            v = judgeRate(factor.value(instance, method, 1), series, confidence: check.confidence)
        }
        v.violations = violations
        return v
    }

    static func summarize(_ traces: [Trace], _ checkpoints: Checkpoints, _ check: Check) -> Series {
        var est = [Double](), lo = [Double](), hi = [Double]()
        var column = [Double](repeating: 0, count: traces.count)
        for j in 0..<checkpoints.count {
            for r in traces.indices { column[r] = traces[r].values[j] }
            let e = check.statistic.estimate(column, confidence: check.confidence)
            est.append(e.value); lo.append(e.lower); hi.append(e.upper)
        }
        return Series(iterations: checkpoints.iterations, estimate: est, lower: lo, upper: hi)
    }

    /// Checkpoints where the bound is below the measured quantity's rounding level
    /// (`Instance.resolution`) are not judged: double arithmetic cannot resolve them.
    static func judgeBound(_ bound: Bound, _ inst: Instance, _ method: MethodSpec, _ s: Series) -> Verdict {
        var series = s
        let b = s.iterations.map { bound.value(inst, method, $0) }
        series.reference = b; series.referenceLabel = "bound"
        var worstRatio = -Double.infinity, worstK = 0
        var violatedAt: Int?
        let floor = inst.resolution
        for j in s.iterations.indices where s.iterations[j] >= 1 && b[j] > floor {
            let ratio = s.estimate[j] / b[j]
            if ratio > worstRatio { worstRatio = ratio; worstK = s.iterations[j] }
            if violatedAt == nil && s.lower[j] > b[j] { violatedAt = s.iterations[j] }
        }
        if let k = violatedAt {
            return Verdict(outcome: .fail, margin: worstRatio,
                           detail: "bound exceeded beyond the confidence interval from k = \(k); worst ratio \(worstRatio.formatted3) at k = \(worstK)",
                           series: series)
        }
        return Verdict(outcome: .pass, margin: worstRatio,
                       detail: "within the bound at all checkpoints; worst ratio \(worstRatio.formatted3) at k = \(worstK)",
                       series: series)
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
        return Verdict(outcome: ci.lower > exponent ? .fail : .pass, margin: margin, detail: text, series: series)
    }

    static func judgeRate(_ allowed: Double, _ s: Series, confidence: Double) -> Verdict {
        let idx = s.iterations.indices.filter { s.estimate[$0] > 0 && s.estimate[$0].isFinite }
        guard idx.count >= 3 else {
            return Verdict(outcome: .fail, detail: "too few positive points to fit a rate", series: s)
        }
        let fit = Statistics.linearFit(x: idx.map { Double(s.iterations[$0]) }, y: idx.map { log(s.estimate[$0]) })
        let ci = fit.slopeInterval(confidence: confidence)
        let factor = exp(fit.slope)
        var series = s
        series.reference = s.iterations.map { exp(fit.intercept + fit.slope * Double($0)) }
        series.referenceLabel = "fitted factor \(factor.formatted3)"
        let margin = log(allowed) / fit.slope
        let text = "factor \(factor.formatted3) [\(exp(ci.lower).formatted3), \(exp(ci.upper).formatted3)] vs allowed ≤ \(allowed.formatted3)"
        return Verdict(outcome: exp(ci.lower) > allowed ? .fail : .pass, margin: margin, detail: text, series: series)
    }
}
