import Foundation
import Testing
import TheoryBench

/// `TheoryBenchEngine`: instance parts, safe pairing and the registry, exercised with a toy paper
/// family written the way ARCHITECTURE.md's walk-through says (its own part, problem vocabulary,
/// method and claim; one `adding` call stands for the registry line).
@Suite("Engine")
struct EngineTests {
    // MARK: the toy family: a box constraint, projected GD, one claim

    /// The box [−r, r]^d: a constraint set of its own (a kind no registered claim understands).
    struct BoxPart: InstancePart {
        static let kind: PartKind = "box"
        let radius: Double
        var description: String { "box of radius \(radius)" }
        func reportedConstants(of instance: Instance) -> [String: Double] {
            ["D": 2 * radius * Double(instance.dimension).squareRoot()]   // the box's diameter
        }
        static let schema = PartSchema(key: "box", kind: kind, documentation: "`box: {box: r}`: the box [−r, r]^d.") { f, _, _ in
            guard var c = try f.sub("box") else { throw f.error("box", "expected a mapping") }
            guard let r = try c.double("box", where: { $0 > 0 }, "positive") else { throw c.error("box", "missing (required)") }
            try c.rejectUnknown()
            return BoxPart(radius: r)
        }
    }

    /// Markov-chain noise, as the Markovian family would bring it: g = ∇f + s·z_k·e₁ with z_k ∈ {±1} a
    /// two-state chain flipping with probability q (stationary mean 0; consecutive draws correlated).
    struct MarkovPart: OraclePart {
        static let kind: PartKind = "toy-markov"
        let flip: Double, shift: Double
        var description: String { "two-state chain, flip \(flip)" }
        struct Oracle<P: Objective>: GradientOracle {
            let problem: P, flip: Double, shift: Double
            var state = 1.0
            mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
                if rng.uniformPositive() < flip { state = -state }
                problem.gradient(x, into: &g)
                g[0] += shift * state
            }
        }
        func makeOracle<P: Objective>(for problem: P) -> any GradientOracle { Oracle(problem: problem, flip: flip, shift: shift) }
        func variance(of problem: any Objective) -> Double? { shift * shift }
        static let schema = PartSchema(key: "toy-markov", kind: kind, documentation: "`toy-markov: {flip: q, shift: s}`.") { f, _, _ in
            guard var m = try f.sub("toy-markov") else { throw f.error("toy-markov", "expected a mapping") }
            let q = try m.double("flip", where: { $0 > 0 && $0 < 1 }, "in (0, 1)") ?? 0.1
            let s = try m.double("shift", where: { $0 >= 0 }, "non-negative") ?? 1
            try m.rejectUnknown()
            return MarkovPart(flip: q, shift: s)
        }
    }

    /// Projected gradient descent x_{k+1} = P(x_k − γ∇f(x_k)) onto a box.
    struct ProjectedGD<P: Objective>: IterativeMethod {
        let problem: P, step: Double, radius: Double
        var x: [Double], g: [Double]
        mutating func step(_ k: Int, rng: inout RandomStream) {
            problem.gradient(x, into: &g)
            for i in x.indices { x[i] = min(radius, max(-radius, x[i] - step * g[i])) }
        }
        var isFinite: Bool { Vec.isFinite(x) }
        var point: [Double] { x }
    }

    struct BoxedQuadratic: InstanceContext {
        let instance: Instance, box: BoxPart, L: Double, mu: Double
        init?(_ i: Instance) {
            guard let b = i.part(BoxPart.self), let c = StronglyConvexInstance(i),
                  c.xStar.allSatisfy({ abs($0) <= b.radius }) else { return nil }
            instance = i; box = b; L = c.L; mu = c.mu
        }
    }

    static let toyPaper = Paper(key: "toy", reference: "classical", title: "Projected gradient descent (a test family)")

    static func projected(_ c: BoxedQuadratic, step: Double) -> MethodSpec<SGDParameters> {
        MethodSpec(name: "projected GD (γ = \(step.formatted3))", parameters: SGDParameters(step: step, bias: 0)) { inst, cps, rng in
            run(inst.problem, c.box.radius, step, inst, cps, &rng)
        }
    }
    static func run<P: Objective>(_ p: P, _ r: Double, _ step: Double, _ inst: Instance, _ cps: Checkpoints,
                                  _ rng: inout RandomStream) -> Trace {
        var m = ProjectedGD(problem: p, step: step, radius: r, x: inst.start, g: inst.start)
        return record(&m, at: cps, rng: &rng) { Measure.distanceSquared.of(inst, $0.x) }
    }

    /// ‖P(x − γ∇f(x)) − x*‖ ≤ ‖(I − γA)(x − x*)‖ ≤ (1 − μ/L)‖x − x*‖ for γ = 1/L on a quadratic whose
    /// minimizer lies in the box (projections are non-expansive and fix x* − γ∇f(x*) = x*).
    static let boxed = Requirement("a strongly convex quadratic, x* inside a box constraint", understands: [BoxPart.kind]) { BoxedQuadratic($0) }
    static let contracts = Check<BoxedQuadratic, SGDParameters>(.boundAtEveryCheckpoint(Bound(
        "(1 − μ/L)^{2k} ‖x₀ − x*‖²", .classical("projection is non-expansive")
    ) { c, _, k in pow(1 - c.mu / c.L, 2 * Double(k)) * c.instance.initialDistanceSquared }), on: .mean)

    static let contraction = Claim(
        id: "toy.projected-gd-contraction", paper: toyPaper, theorem: "non-expansive projection",
        statement: "Projected GD with γ = 1/L onto a box containing x*: ‖x_k − x*‖² ≤ (1 − μ/L)^{2k} ‖x₀ − x*‖².",
        needs: boxed, assumptions: [.stepAtMost(1, "1/L")], method: { c in projected(c, step: 1 / c.L) },
        measured: "‖x_k − x*‖²", grid: .linear(points: 20), runs: .deterministic, check: contracts,
        controls: .method("toy.projected-gd-contraction.step-2.5-over-L", "γ = 2.5/L: the top direction expands until the box stops it") { c in
            projected(c, step: 2.5 / c.L)
        })

    static let toy = PaperFamily(paper: toyPaper, claims: [contraction], parts: [BoxPart.schema, MarkovPart.schema])

    /// The contraction claim with two restricted controls (`Control.only`): the expanding step only on
    /// boxes of radius ≥ 2, and the claim's own method — which cannot be detected — only on smaller
    /// boxes, so that there a control applies and is missed.
    static let restricted = Claim(
        id: "toy.restricted", paper: toyPaper, theorem: "non-expansive projection",
        statement: "as toy.projected-gd-contraction", needs: boxed, assumptions: [.stepAtMost(1, "1/L")],
        method: { c in projected(c, step: 1 / c.L) },
        measured: "‖x_k − x*‖²", grid: .linear(points: 20), runs: .deterministic, check: contracts,
        controls: Control.method("toy.restricted.step-2.5-over-L", "γ = 2.5/L") { c in projected(c, step: 2.5 / c.L) }
            .only("boxes of radius ≥ 2") { $0.box.radius >= 2 },
        Control.method("toy.restricted.same-step", "the claim's own method: cannot be detected") { c in projected(c, step: 1 / c.L) }
            .only("boxes of radius < 2") { $0.box.radius < 2 })

    // MARK: a temporary catalog

    static let plain = """
        family: quadratic
        dimension: 4
        spectrum: { min: 1.0, max: 4.0 }
        start: { distance: 0.5 }
        budget: { iterations: 60, runs: 8 }
        """

    static func catalog(_ files: [String: String], registry: Registry) throws -> Catalog {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("theorybench-engine-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return try Catalog.load(directory: dir, registry: registry)
    }

    @Test("no claim that ignores a part pairs with an instance that has it (constraint set, Markov noise)")
    func safePairing() throws {
        let files = ["plain.yaml": Self.plain,
                     "boxed.yaml": Self.plain + "\nbox: { box: 2.0 }",
                     "markov.yaml": Self.plain + "\ntoy-markov: { flip: 0.2, shift: 0.5 }"]
        let c = try Self.catalog(files, registry: registry.adding(Self.toy))
        let pairs = try c.pairings().map { ($0.claim.id, $0.instance.id) }
        // The plain quadratic pairs with the Euclidean claims (GD at least) …
        #expect(pairs.contains { $0 == ("baseline.gd-linear-rate", "plain") })
        // … the constrained one only with the claim that understands constraints …
        #expect(pairs.filter { $0.1 == "boxed" }.map(\.0) == ["toy.projected-gd-contraction"])
        // … and the Markov-noise one with none: no claim understands a chain-driven oracle. GD would
        // otherwise read exact gradients past it; SGD claims would treat its noise as i.i.d.
        #expect(!pairs.contains { $0.1 == "markov" })
        for claim in c.claims where !claim.understands.contains("box") {
            #expect(!claim.pairs(with: c.instances.first { $0.id == "boxed" }!), "\(claim.id) pairs with a constrained instance")
        }
    }

    @Test("without the family that registers a part, its key is an unknown key")
    func unregisteredPartIsRejected() throws {
        do { _ = try Self.catalog(["boxed.yaml": Self.plain + "\nbox: { box: 2.0 }"], registry: registry) } catch let e as CatalogError {
            #expect(e.key == "box" && e.reason.contains("unknown key"), "\(e)")
            return
        }
        Issue.record("an unregistered key was accepted")
    }

    @Test("the toy family's claim holds, its control is detected, and its part reports its constant")
    func toyFamilyRuns() async throws {
        let c = try Self.catalog(["boxed.yaml": Self.plain + "\nbox: { box: 2.0 }"], registry: registry.adding(Self.toy))
        let inst = try #require(c.instances.first)
        let r = try await Runner(workers: 2, scale: .oracle).evaluate(Self.contraction, on: inst)
        #expect(r.verdict.outcome == .pass, "\(r.verdict.detail)")
        #expect(r.controlsDetected, "\(r.controls.map(\.verdict.detail))")
        #expect(r.constants["D"] == 8 && r.constants["L"] == 4 && r.constants["mu"] == 1)
        #expect(registry.adding(Self.toy).schemaDocumentation.contains("`box` (part kind `box`)"))
    }

    @Test("a restricted control runs only where its condition holds: elsewhere 'not applicable', neither detected nor missed; where it applies and is not detected, it is missed")
    func restrictedControls() async throws {
        let c = try Self.catalog(["wide.yaml": Self.plain + "\nbox: { box: 2.0 }", "narrow.yaml": Self.plain + "\nbox: { box: 1.5 }"],
                                 registry: registry.adding(Self.toy))
        let wide = try #require(c.instances.first { $0.id == "wide" }), narrow = try #require(c.instances.first { $0.id == "narrow" })
        #expect(Self.restricted.controls.map(\.condition) == ["boxes of radius ≥ 2", "boxes of radius < 2"])
        let prepared = try #require(Self.restricted.prepared(wide))
        #expect(prepared.controls[0].experiment != nil && prepared.controls[1].experiment == nil)

        let onWide = try await Runner(workers: 2, scale: .oracle).evaluate(Self.restricted, on: wide)
        #expect(onWide.verdict.outcome == .pass)
        #expect(onWide.controls[0].applies && onWide.controls[0].detected)
        let absent = onWide.controls[1]
        #expect(!absent.applies && !absent.detected && !absent.missed && absent.verdict.outcome == .notApplicable)
        #expect(absent.verdict.detail == "not applicable here: boxes of radius < 2" && absent.verdict.series == nil)
        #expect(onWide.controlsDetected && onWide.isGreen, "\(onWide.controls.map(\.verdict.detail))")

        // Where the undetectable control applies, the oracle's requirement fails.
        let onNarrow = try await Runner(workers: 2, scale: .oracle).evaluate(Self.restricted, on: narrow)
        #expect(!onNarrow.controls[0].applies && onNarrow.controls[1].applies && onNarrow.controls[1].missed)
        #expect(!onNarrow.controlsDetected && !onNarrow.isGreen && onNarrow.controlSummary == "MISSED: toy.restricted.same-step")

        // The views: the report's cell and block, JUnit's skipped case, the JSON round trip.
        let md = MarkdownReport(results: [onWide, onNarrow], scale: .oracle).markdown()
        #expect(md.contains("| detected; `same-step` not applicable here: boxes of radius < 2 |"), "\(md)")
        #expect(md.contains("| **missed** `same-step` (pass); `step-2.5-over-L` not applicable here: boxes of radius ≥ 2 |"))
        #expect(md.contains("- Control `same-step`: not applicable here: boxes of radius < 2\n"))
        #expect(md.contains("- Control: `toy.restricted.same-step` — the claim's own method: cannot be detected (only on: boxes of radius < 2)"))
        let xml = JUnitReport(results: [onWide, onNarrow]).xml
        #expect(xml.contains("<skipped message=\"not applicable here: boxes of radius &lt; 2\"/>") && xml.contains("failures=\"1\""), "\(xml)")
        let decoded = try ResultsFile.decode(Data(ResultsFile(scale: .oracle, results: [onWide]).encoded().utf8))
        #expect(decoded.pairingResults == [onWide] && decoded.results[0].controls[1].verdict == "not applicable")
    }

    @Test("two oracle parts on one instance are rejected with file, key and reason")
    func twoOracleParts() throws {
        let text = Self.plain + "\nnoise: { law: gaussian }\ntoy-markov: { flip: 0.2 }"
        do {
            _ = try Self.catalog(["two.yaml": text], registry: registry.adding(Self.toy))
            Issue.record("two oracle parts were accepted")
        } catch let e as CatalogError {
            #expect(e.key == "toy-markov" && e.reason.contains("only one of noise, toy-markov"), "\(e)")
        }
    }

    @Test("the runner refuses a pairing the catalog would not make, naming the parts")
    func runnerRefusesUnpairable() async throws {
        let c = try Self.catalog(["boxed.yaml": Self.plain + "\nbox: { box: 2.0 }"], registry: registry.adding(Self.toy))
        do {
            _ = try await Runner(workers: 1, scale: .oracle).evaluate(Baseline.gdLinearRate, on: c.instances[0])
            Issue.record("GD ran on a constrained instance")
        } catch let e as RunnerError {
            #expect("\(e)".contains("box"))
        }
    }

    @Test("reported constants come from the instance's parts: Riemannian pairings report μ, ζ, Lmax, not a Euclidean L or σ² = 0")
    func riemannianConstants() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("problems").path
        let c = try Catalog.load(directory: dir)
        let spd = try #require(c.instances.first { $0.id == "spd-karcher-commuting" })
        let k = spd.reportedConstants
        #expect(k["L"] == nil && k["sigma^2"] == nil)
        #expect(k["mu"] == 1 && k["zeta"] == 1 && k["Lmax"] != nil && k["Lavg"] != nil && k["n"] != nil)
        let q = try #require(c.instances.first { $0.id == "quadratic-d10" })
        #expect(q.reportedConstants["L"] == 10 && q.reportedConstants["sigma^2"] != nil)
    }
}

@Suite("Judge: level at every checkpoint")
struct LevelAtEveryCheckpointTests {
    static func verdict(_ level: Double, _ data: [[Double]]) -> Verdict {
        let b = Bound<Void, Void>("1", .derived("test")) { _, _, _ in 1 }
        let traces = data.map { Trace(values: [0] + $0) }
        return Judge.verdict(Check<Void, Void>(.levelAtEveryCheckpoint(lo: b, hi: b), on: .mean), context: (), parameters: (),
                             resolution: 1e-12, checkpoints: Checkpoints([0, 1, 2, 3]), traces: traces)
    }

    @Test("data at the level pass (an equality check, exempt from the widths rule); data off it fail, far")
    func levels() {
        var rng = RandomStream(seed: 3)
        let at = (0..<200).map { _ in (0..<3).map { _ in 1 + 0.05 * rng.gaussian() } }
        let off = (0..<200).map { _ in (0..<3).map { j in (j == 1 ? 1.2 : 1) + 0.05 * rng.gaussian() } }
        let pass = Self.verdict(1, at), fail = Self.verdict(1, off)
        #expect(pass.outcome == .pass, "\(pass.detail)")
        #expect(fail.outcome == .fail && fail.detail.contains("k = 2"), "\(fail.detail)")
        #expect((fail.widths ?? 0) > 3, "\(fail.widths ?? -1)")
        #expect(Check<Void, Void>(.levelAtEveryCheckpoint(lo: Bound("1", .derived("t")) { _, _, _ in 1 },
                                                          hi: Bound("1", .derived("t")) { _, _, _ in 1 }), on: .mean).isEquality)
    }
}
