import Foundation
import TheoryBenchCore

/// Verdicts as JUnit XML (`theorybench verify --format junit`), so CI systems show them natively:
/// one `testsuite` per paper, one `testcase` per pairing (failed when the claim does not hold or a
/// verdict is within `Reliability.minimumWidths` of flipping) and one per negative control (failed
/// when the control was missed; skipped when it does not apply to the instance, `Control.only`).
public struct JUnitReport {
    public let results: [PairingResult]
    public init(results: [PairingResult]) { self.results = results }

    public var xml: String {
        let papers = Dictionary(grouping: results, by: \.paper.key).sorted { $0.key < $1.key }
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = results.reduce(0) { $0 + failureCount($1) }
        s += "<testsuites name=\"theorybench\" tests=\"\(results.reduce(0) { $0 + 1 + $1.controls.count })\" failures=\"\(failures)\">\n"
        for (key, rs) in papers {
            let tests = rs.reduce(0) { $0 + 1 + $1.controls.count }
            let time = rs.reduce(0) { $0 + $1.seconds }
            s += "  <testsuite name=\(attr(key)) tests=\"\(tests)\" failures=\"\(rs.reduce(0) { $0 + failureCount($1) })\" time=\"\(time.formatted3)\">\n"
            for r in rs { s += cases(r) }
            s += "  </testsuite>\n"
        }
        return s + "</testsuites>\n"
    }

    func failureCount(_ r: PairingResult) -> Int {
        (claimFailure(r) == nil ? 0 : 1) + r.controls.filter(\.missed).count
    }

    func claimFailure(_ r: PairingResult) -> String? {
        if r.verdict.outcome != .pass { return "\(r.verdict.outcome.rawValue): \(r.verdict.detail)" }
        let own = r.closeCalls.filter { $0.hasPrefix("claim") }
        return own.isEmpty ? nil : own.joined(separator: "; ")
    }

    func cases(_ r: PairingResult) -> String {
        var s = "    <testcase classname=\(attr(r.claim)) name=\(attr(r.pairing)) time=\"\(r.seconds.formatted3)\">\n"
        if let f = claimFailure(r) { s += "      <failure message=\(attr(f))>\(text(r.verdict.detail))</failure>\n" }
        s += "      <system-out>\(text("\(r.check) — tightness \(r.verdict.margin?.formatted3 ?? "—"), \(r.verdict.widths.map { "\($0.formatted3) CI widths from flipping" } ?? "no width")"))</system-out>\n"
        s += "    </testcase>\n"
        for c in r.controls {
            s += "    <testcase classname=\(attr(r.claim)) name=\(attr("\(r.pairing) control \(c.id)")) time=\"0\">\n"
            if !c.applies { s += "      <skipped message=\(attr(c.verdict.detail))/>\n" }
            if c.missed { s += "      <failure message=\(attr("control missed: \(c.verdict.outcome.rawValue)"))>\(text(c.verdict.detail))</failure>\n" }
            s += "    </testcase>\n"
        }
        return s
    }

    /// An attribute value, quoted and escaped.
    func attr(_ v: String) -> String { "\"" + text(v).replacingOccurrences(of: "\"", with: "&quot;") + "\"" }

    /// Character data, escaped; characters XML 1.0 forbids are dropped.
    func text(_ v: String) -> String {
        var out = ""
        for u in v.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default: if u.value >= 0x20 { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
