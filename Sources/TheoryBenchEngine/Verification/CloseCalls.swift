import TheoryBenchCore

extension PairingResult {
    /// The verdicts (the claim's, unless it is an equality check, and every control's) that are
    /// within `Reliability.minimumWidths` of flipping, described; empty when every margin holds.
    public var closeCalls: [String] {
        let m = Reliability.minimumWidths
        var out = [String]()
        if equalityCheck != true, let w = verdict.widths, w < m { out.append("claim \(w.formatted3) widths from flipping") }
        for c in controls { if let w = c.verdict.widths, w < m { out.append("control \(c.id) \(w.formatted3) widths from flipping") } }
        return out
    }
}
