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

    @Test("measured and reference columns show the last checkpoint's estimate; a missing reference is —")
    func measuredAndReference() throws {
        var rs = Self.results()
        let series = try #require(rs[0].verdict.series)
        rs[0].references = [ReferenceResult(label: "Adam", method: "Adam", series: Series(iterations: [0, 1], estimate: [16, 16], lower: [16, 16], upper: [16, 16]))]
        let t = OverviewTable("t", note: "n", columns: [
            .measured(claim: "baseline.sgd-exact-level", header: "m"), .reference(claim: "baseline.sgd-exact-level", label: "Adam", header: "a"),
        ])
        let lines = t.markdown(rs).split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(lines.contains { $0 == "| `b` | \(series.estimate.last!.formatted3) | 16.0 |" }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("| `a` |") && $0.hasSuffix("| — |") }, "\(lines)")
    }

    @Test("no table when none of its claims ran")
    func empty() {
        let t = OverviewTable("t", note: "n", columns: [.tightness(claim: "other.claim", header: "x")])
        #expect(t.markdown(Self.results()).isEmpty)
    }
}

/// `Report/OverviewFigure.swift`: the figures across a paper's instances.
@Suite struct OverviewFigureTests {
    /// The table tests' results; instances a and b share one illustration, b also has a second one.
    static func results() -> [PairingResult] {
        let curve = Illustration(name: "curve", label: "f", x: [1, 2, 3], y: [3, 2, 1])
        let other = Illustration(name: "curve", label: "g", x: [1, 2], y: [5, 6])
        return OverviewTableTests.results().map { r in
            var r = r
            r.illustrations = r.instance == "b" ? [curve, other] : [curve]
            return r
        }
    }

    @Test("markers per instance sorted by x, one line per distinct curve; external results are left out")
    func series() throws {
        let f = OverviewFigure("f", title: "t", note: "n", x: "p", xLabel: "p", yLabel: "y",
                               series: [.constant("p", label: "p itself"), .tightness(claim: "baseline.sgd-exact-level", label: "m"),
                                        .illustration("curve")])
        let plot = try #require(f.plot(Self.results()))
        #expect(plot.curves.map(\.label) == ["p itself", "m", "f", "g"])
        #expect(plot.curves[0].x == [0.3, 0.9] && plot.curves[0].y == [0.3, 0.9] && plot.curves[0].markers)
        #expect(plot.curves[2].y == [3, 2, 1] && !plot.curves[2].markers)
        let svg = plot.render()
        #expect(svg.components(separatedBy: "<circle").count - 1 == 4 + 2)   // 4 markers + 2 legend entries
        #expect(f.markdown(Self.results(), paper: "k").contains("figures/k__overview-f.svg"))
    }

    @Test("no figure when none of its series has a point")
    func empty() {
        let f = OverviewFigure("f", title: "t", note: "n", x: "absent", xLabel: "x", yLabel: "y",
                               series: [.constant("p", label: "p"), .illustration("none")])
        #expect(f.plot(Self.results()) == nil && f.markdown(Self.results(), paper: "k").isEmpty)
    }

    @Test("a linear y axis draws negative and zero values with round ticks; a log axis drops them")
    func linearAxis() {
        let c = SVGPlot.Curve(label: "c", x: [1, 2, 3], y: [-1, 0, 2], color: "#000")
        let linear = SVGPlot(title: "t", xLabel: "x", yLabel: "y", logX: false, logY: false, curves: [c]).render()
        #expect(linear.contains(">-1</text>") && linear.contains(">0</text>") && linear.contains(">2</text>"))
        #expect(linear.contains("<polyline") && linear.components(separatedBy: ",").count > 3)
        let log = SVGPlot(title: "t", xLabel: "x", yLabel: "y", logX: false, curves: [c]).render()
        #expect(log.contains(">1e0</text>") && !log.contains(">-1</text>"))
    }
}

/// `Claims/Check.swift`: the tolerance text of exact-level checks shows their confidence, not "100 %".
@Suite struct ToleranceTextTests {
    @Test("1 − 10⁻⁴ prints as 99.99 %, 0.99 as 99.0 %")
    func confidenceDigits() throws {
        let exact = try #require(registry.claims.first { $0.id == "baseline.sgd-exact-level" })
        #expect(exact.check.confidence == 1 - 1e-4 && exact.check.tolerance.contains("99.99 %"), "\(exact.check.tolerance)")
        #expect(!registry.claims.contains { $0.check.tolerance.contains("100.0 %") })
        #expect(registry.claims.contains { $0.check.tolerance.contains("99.0 %") })
    }
}
