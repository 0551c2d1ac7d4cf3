import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TheoryBench

/// `Sources/TheoryBenchEngine/External/` (export, outside measurements, judge) and the CI outputs
/// beside it (`JUnitReport`, `ResultsFile.merge`).
@Suite struct ExternalTests {
    static let claim = TestCatalog.problems.claims.first { $0.id == "baseline.sgd-exact-level" }!
    static let instance = TestCatalog.instance("quadratic-d10")

    /// The claim's (or its control's) traces from theorybench's own implementation, on the pairing's streams.
    static func traces(control: Bool = false) throws -> (ExperimentExport, [Trace]) {
        let export = try ExperimentExport(claim: claim, instance: instance)
        let prepared = claim.prepared(instance)!
        let e = control ? prepared.controls[0].experiment! : prepared.claim
        let traces = try (0..<claim.runs.oracle).map { r -> Trace in
            var rng = RandomStream(name: claim.pairingID(instance), run: r, salt: 0)
            return try e.run(e.instance, export.checkpoints, &rng)
        }
        return (export, traces)
    }

    static func csv(_ traces: [Trace], _ cps: Checkpoints) -> String {
        var s = "run,iteration,value\n"
        for (r, t) in traces.enumerated() { for (j, k) in cps.iterations.enumerated() { s += "\(r),\(k),\(t.values[j])\n" } }
        return s
    }

    @Test("the export holds the instance exactly: A, x*, start, checkpoints, run count, method parameters")
    func exportIsExact() throws {
        let export = try ExperimentExport(claim: Self.claim, instance: Self.instance)
        let q = Self.instance.problem as! Quadratic
        let rows = export.arrays["A.csv"]!.split(separator: "\n").map { $0.split(separator: ",").map { Double($0)! } }
        #expect(rows.count == 10 && rows.allSatisfy { $0.count == 10 })
        var g = [Double](repeating: 0, count: 10)
        q.gradient(Self.instance.start, into: &g)
        let diff = Self.instance.start.indices.map { Self.instance.start[$0] - q.xStar[$0] }
        for i in 0..<10 {   // A read back from the CSV reproduces ∇f(x₀) = A(x₀ − x*)
            let row = zip(rows[i], diff).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(row - g[i]) <= 1e-12 * max(1, abs(g[i])))
        }
        let json = try JSONFile.encode(export.json)
        #expect(json.contains("\"step\" : 0.05"))
        #expect(json.contains("\"minimum\" : 400"))
        #expect(json.contains("\"law\" : \"gaussian\""))
        #expect(export.checkpoints == Self.claim.grid.checkpoints(for: Self.instance))
    }

    @Test("judging theorybench's own traces through the CSV gives the built-in verdict; the control's traces fail")
    func judgeMatchesBuiltIn() throws {
        let (export, traces) = try Self.traces()
        let reader = ExternalMeasurements(checkpoints: export.checkpoints, minimumRuns: Self.claim.runs.oracle)
        let parsed = try reader.traces([("m.csv", Self.csv(traces, export.checkpoints))])
        #expect(parsed.map(\.values) == traces.map(\.values))
        let external = ExternalJudge.judge(export, traces: parsed, source: "m.csv")
        let builtIn = export.experiment.judge(export.checkpoints, traces)
        #expect(external.verdict.outcome == .pass && external.verdict.margin == builtIn.margin)
        #expect(external.external == "m.csv" && external.controls.isEmpty && external.pairing.hasSuffix("+external"))
        let (_, biased) = try Self.traces(control: true)
        let wrong = ExternalJudge.judge(export, traces: try reader.traces([("w.csv", Self.csv(biased, export.checkpoints))]), source: "w.csv")
        #expect(wrong.verdict.outcome == .fail && !wrong.isGreen)
    }

    static let cps = Checkpoints([0, 1, 2])
    static let badFiles: [(String, Int, String)] = [
        ("", 1, "empty file"),
        ("run,k,value\n", 1, "expected `run,iteration,value`"),
        ("run,iteration,value\n0,0,1\n0,1,nan\n", 3, "NaN"),
        ("run,iteration,value\n0,0,1\n0,1,x\n", 3, "not a number"),
        ("run,iteration,value\n0,0,1\n0,7,1\n", 3, "iteration 7 is not a checkpoint"),
        ("run,iteration,value\n0,0,1\n0,0,2\n", 3, "twice"),
        ("run,iteration,value\n0,0,1\n0,1,1\n", 0, "lacks 1 checkpoint(s): 2"),
        ("run,iteration,value\n0,0,1,5\n", 2, "expected 3 cells"),
        ("run,iteration,value\n0,0,1\n0,1,1\n0,2,1\n2,0,1\n2,1,1\n2,2,1\n", 0, "run 1 is missing"),
        ("run,iteration,value\n0,0,1\n0,1,inf\n0,2,3\n1,0,1\n1,1,1\n1,2,1\n", 0, "stays inf"),
        ("run,iteration,value\n0,0,1\n0,1,-inf\n", 3, "only +inf"),
        ("run,iteration,value\n-1,0,1\n", 2, "not a whole number"),
        ("run,iteration,value,hitting time\n0,0,1,3\n", 1, "the claim needs no further columns"),
    ]

    @Test("bad measurement files: one error naming file, line and reason", arguments: badFiles.indices)
    func badMeasurements(_ i: Int) {
        let (text, line, reason) = Self.badFiles[i]
        let reader = ExternalMeasurements(checkpoints: Self.cps, minimumRuns: 1)
        do {
            _ = try reader.traces([("m.csv", text)])
            Issue.record("accepted: \(text)")
        } catch let e as MeasurementError {
            #expect(e.file == "m.csv" && e.line == line && e.reason.contains(reason), "\(e)")
        } catch { Issue.record("\(error)") }
    }

    @Test("too few runs, and per-run scalars: required, consistent, read into the traces")
    func runsAndScalars() throws {
        let two = "run,iteration,value\n0,0,1\n0,1,1\n0,2,1\n1,0,1\n1,1,1\n1,2,1\n"
        #expect(throws: MeasurementError.self) { try ExternalMeasurements(checkpoints: Self.cps, minimumRuns: 3).traces([("m.csv", two)]) }
        let reader = ExternalMeasurements(checkpoints: Self.cps, minimumRuns: 1, scalars: ["hitting time"])
        let good = "run,iteration,value,hitting time\n0,0,1,2\n0,1,1,\n0,2,0,2\n1,0,1,inf\n1,1,1,\n1,2,1,\n"
        let t = try reader.traces([("m.csv", good)])
        #expect(t[0].scalars[.hittingTime] == 2 && t[1].scalars[.hittingTime] == .infinity)
        let clash = "run,iteration,value,hitting time\n0,0,1,2\n0,1,1,3\n0,2,0,\n"
        #expect(throws: MeasurementError.self) { try reader.traces([("m.csv", clash)]) }
        let none = "run,iteration,value,hitting time\n0,0,1,\n0,1,1,\n0,2,0,\n"
        #expect(throws: MeasurementError.self) { try reader.traces([("m.csv", none)]) }
        #expect(throws: MeasurementError.self) { try reader.traces([("m.csv", "k,value\n0,1\n1,1\n2,1\n")]) }
    }

    @Test("the trace layout: one file per run, in the order given")
    func traceLayout() throws {
        let reader = ExternalMeasurements(checkpoints: Self.cps, minimumRuns: 2)
        let t = try reader.traces([("a.csv", "k,value,x1\n0,3,0.1\n1,2,0.1\n2,1,0.1\n"), ("b.csv", "k,value\n0,5\n1,4\n2,inf\n")])
        #expect(t[0].values == [3, 2, 1] && t[1].values == [5, 4, .infinity] && t[1].divergedAt == 2)
    }

    @Test("JUnit XML is well formed: a test case per pairing and per control, failures where verdicts fail")
    func junitIsValidXML() async throws {
        let good = try await Runner(workers: 2, scale: .oracle).evaluate(Self.claim, on: Self.instance)
        let (export, biased) = try Self.traces(control: true)
        let bad = ExternalJudge.judge(export, traces: biased, source: "wrong <&> \"impl\".csv")
        let xml = JUnitReport(results: [good, bad]).xml
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.counts["testcase"] == 2 + good.controls.count)
        #expect(counter.counts["failure"] == 1)
        #expect(counter.counts["testsuite"] == 1)
    }

    final class ElementCounter: NSObject, XMLParserDelegate {
        var counts = [String: Int]()
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) { counts[name, default: 0] += 1 }
    }
}

/// `ResultsFile.merge`: parts of one computation only, every shard exactly once.
@Suite struct MergeTests {
    static let origin = ResultsOrigin(catalog: "c1", code: "v1")

    static let sample: (ExperimentExport, [Trace]) = try! ExternalTests.traces()

    static func part(_ shard: String?, _ ids: [String], origin: ResultsOrigin? = origin, scale: Scale = .full) throws -> ResultsFile {
        let (export, traces) = sample
        let results = ids.map { id -> PairingResult in
            var r = ExternalJudge.judge(export, traces: traces, source: "x")
            r.pairing = id
            return r
        }
        return ResultsFile(scale: scale, shard: shard, origin: origin, results: results)
    }

    @Test("complete shards of one computation merge, in order")
    func merges() throws {
        let m = try ResultsFile.merge([("a", try Self.part("1/2", ["p1"])), ("b", try Self.part("2/2", ["p2"]))])
        #expect(m.results.map(\.id) == ["p1", "p2"] && m.origin == Self.origin)
    }

    static let rejections: [(String, [(String?, [String], ResultsOrigin?, Scale)], String)] = [
        ("missing shard", [("1/3", ["p1"], origin, .full), ("3/3", ["p3"], origin, .full)], "shard 2/3 missing"),
        ("duplicate shard", [("1/2", ["p1"], origin, .full), ("1/2", ["p2"], origin, .full), ("2/2", ["p3"], origin, .full)], "given twice"),
        ("different N", [("1/2", ["p1"], origin, .full), ("2/3", ["p2"], origin, .full)], "share N"),
        ("other catalog", [("1/2", ["p1"], origin, .full), ("2/2", ["p2"], ResultsOrigin(catalog: "c2", code: "v1"), .full)], "different catalogs"),
        ("other code", [("1/2", ["p1"], origin, .full), ("2/2", ["p2"], ResultsOrigin(catalog: "c1", code: "v2"), .full)], "different code versions"),
        ("no origin", [("1/2", ["p1"], origin, .full), ("2/2", ["p2"], nil, .full)], "older theorybench"),
        ("mixed scale", [("1/2", ["p1"], origin, .full), ("2/2", ["p2"], origin, .oracle)], "share a scale"),
        ("pairing twice", [("1/2", ["p1"], origin, .full), ("2/2", ["p1"], origin, .full)], "appears in both"),
        ("shard and whole", [("1/2", ["p1"], origin, .full), (nil, ["p2"], origin, .full)], "not a shard"),
    ]

    @Test("merge rejects parts of different computations and missing or duplicated shards", arguments: rejections.indices)
    func rejects(_ i: Int) throws {
        let (_, parts, reason) = Self.rejections[i]
        let files = try parts.enumerated().map { ("part\($0.offset).json", try Self.part($0.element.0, $0.element.1, origin: $0.element.2, scale: $0.element.3)) }
        do {
            _ = try ResultsFile.merge(files)
            Issue.record("merged: \(Self.rejections[i].0)")
        } catch let e as MergeError {
            #expect(e.reason.contains(reason), "\(e.reason)")
        }
    }
}
