import Foundation
import Testing
import TheoryBench

/// `Verification/Runner.swift`: run r of pairing `c@i` always uses `RandomStream(name: "c@i", run: r)`,
/// so verdicts and their series are bitwise identical whatever the worker count.
@Suite("Determinism")
struct DeterminismTests {
    /// A rotated quadratic, d = 10, spectrum [1, 10], per-coordinate Gaussian noise with σ² = 1.
    static func instance() -> Instance {
        let d = 10
        let q = Quadratic(spectrum: Quadratic.linearSpectrum(dimension: d, min: 1, max: 10), rotationSeed: 11,
                          xStar: [Double](repeating: 0.5, count: d))
        var rng = RandomStream(seed: 5)
        var u = [Double](repeating: 0, count: d)
        rng.unitVector(into: &u)
        return Instance(id: "determinism-quadratic", source: "DeterminismTests.swift", family: "quadratic",
                        summary: "quadratic d = 10", problem: q,
                        parts: [NoisePart(Noise(law: .gaussian, scale: 0.1.squareRoot(), geometry: .perCoordinate, dimension: d))],
                        start: zip(q.xStar, u).map { $0 + 3 * $1 }, budget: .init(iterations: 300, runs: 24), seed: 5)
    }

    static func bits(_ s: Series?) -> [[UInt64]] {
        guard let s else { return [] }
        return [s.iterations.map { UInt64($0) }, s.estimate.map(\.bitPattern), s.lower.map(\.bitPattern),
                s.upper.map(\.bitPattern), (s.reference ?? []).map(\.bitPattern)]
    }

    @Test("Runner: workers 1 and 3 give bitwise-identical verdict series", arguments: [0, 1])
    func workersDoNotMatter(_ c: Int) async throws {
        let claim = [Baseline.sgdNoiseFloor, Baseline.gdLinearRate][c]
        let inst = Self.instance()
        #expect(claim.pairs(with: inst))
        let one = try await Runner(workers: 1, scale: .oracle, runsOverride: 24).evaluate(claim, on: inst)
        let three = try await Runner(workers: 3, scale: .oracle, runsOverride: 24).evaluate(claim, on: inst)
        #expect(one.runs == 24 && three.runs == 24)
        let s1 = try #require(one.verdict.series)
        #expect(!s1.estimate.isEmpty)
        #expect(Self.bits(one.verdict.series) == Self.bits(three.verdict.series))
        #expect(one.controls.map { Self.bits($0.verdict.series) } == three.controls.map { Self.bits($0.verdict.series) })
        #expect(one.verdict.outcome == three.verdict.outcome)
        #expect(one.verdict.margin?.bitPattern == three.verdict.margin?.bitPattern)
        #expect(one.controls.map(\.detected) == three.controls.map(\.detected))
        #expect(one.constants == three.constants)
    }

    @Test("different pairing names give different runs (the seed name matters)")
    func seedNameMatters() async throws {
        let claim = Baseline.sgdNoiseFloor
        let a = Self.instance()
        let b = Instance(id: "determinism-quadratic-2", source: a.source, family: a.family, summary: a.summary,
                         problem: a.problem, parts: a.parts, start: a.start, budget: a.budget, seed: a.seed)
        let ra = try await Runner(workers: 2, scale: .oracle, runsOverride: 24).evaluate(claim, on: a)
        let rb = try await Runner(workers: 2, scale: .oracle, runsOverride: 24).evaluate(claim, on: b)
        #expect(Self.bits(ra.verdict.series) != Self.bits(rb.verdict.series))
    }

    @Test("a seed salt keeps the determinism rule: salt 0 is the reference, another salt is other streams, workers do not matter")
    func saltedStreams() async throws {
        let claim = Baseline.sgdNoiseFloor, inst = Self.instance()
        let reference = try await Runner(workers: 2, scale: .oracle, runsOverride: 24).evaluate(claim, on: inst)
        let zero = try await Runner(workers: 2, scale: .oracle, runsOverride: 24, salt: 0).evaluate(claim, on: inst)
        let one = try await Runner(workers: 1, scale: .oracle, runsOverride: 24, salt: 7).evaluate(claim, on: inst)
        let three = try await Runner(workers: 3, scale: .oracle, runsOverride: 24, salt: 7).evaluate(claim, on: inst)
        #expect(Self.bits(reference.verdict.series) == Self.bits(zero.verdict.series))
        #expect(Self.bits(one.verdict.series) == Self.bits(three.verdict.series))
        #expect(Self.bits(one.verdict.series) != Self.bits(zero.verdict.series))
        var a = RandomStream(name: "x@y", run: 3), b = RandomStream(name: "x@y", run: 3, salt: 0)
        #expect(a.next() == b.next())
    }
}
