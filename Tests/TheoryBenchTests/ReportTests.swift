import Foundation
import Testing
import TheoryBench

/// `Report/OverviewTable.swift`: the tables across a paper's instances.
@Suite struct OverviewTableTests {
    /// Results of one claim on three "instances" with a constant `p`, one of them external.
    static func results() -> [PairingResult] {
        let (export, traces) = MergeTests.sample
        let base = ExternalJudge.judge(export, traces: traces, source: "x")
        return [(0.9, "b", false), (0.3, "a", false), (0.5, "c", true)].map { p, id, external in
            var r = base
            r.instance = id; r.constants["p"] = p; r.external = external ? "x" : nil
            return r
        }
    }

    static let table = OverviewTable("t", note: "n", columns: [
        .constant("p", header: "p"), .constant("absent", header: "missing"),
        .tightness(claim: "baseline.sgd-exact-level", header: "tightness"), .tightness(claim: "other.claim", header: "other"),
    ], sortedBy: "p")

    @Test("one row per instance, sorted by the constant; absent values are —; external results are left out")
    func rows() throws {
        let rs = Self.results()
        let md = Self.table.markdown(rs)
        let lines = md.split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("| `a` | 0.300 | — | ") && lines[1].hasPrefix("| `b` | 0.900 | — | "))
        #expect(lines[0].contains(rs[0].verdict.margin!.formatted3) && lines[0].hasSuffix("| — |"))
        #expect(!md.contains("`c`"))
    }

    @Test("no table when none of its claims ran")
    func empty() {
        let t = OverviewTable("t", note: "n", columns: [.tightness(claim: "other.claim", header: "x")])
        #expect(t.markdown(Self.results()).isEmpty)
    }
}
