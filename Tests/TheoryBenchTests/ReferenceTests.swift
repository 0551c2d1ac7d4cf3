import Foundation
import Testing
import TheoryBench

/// `Claims/Claim.swift` (`Reference`) and `Verification/Runner.swift`: reference methods are run on the
/// pairing's streams and measured by the claim's statistic at full scale only, never judged.
@Suite struct ReferenceTests {
    /// The toy contraction claim with a reference: projected GD at half the step.
    static let withReference = Claim(
        id: "toy.projected-gd-contraction", paper: EngineTests.toyPaper, theorem: "non-expansive projection",
        statement: "as EngineTests.contraction",
        needs: Requirement("a strongly convex quadratic, x* inside a box constraint", understands: [EngineTests.BoxPart.kind]) { EngineTests.BoxedQuadratic($0) },
        assumptions: [.stepAtMost(1, "1/L")],
        method: { c in EngineTests.projected(c, step: 1 / c.L) },
        measured: "‖x_k − x*‖²", grid: .linear(points: 20), runs: .deterministic,
        check: Check(.boundAtEveryCheckpoint(Bound("(1 − μ/L)^{2k} ‖x₀ − x*‖²", .classical("projection is non-expansive")) { c, _, k in
            pow(1 - c.mu / c.L, 2 * Double(k)) * c.instance.initialDistanceSquared
        }), on: .mean),
        references: [Reference("half step") { c in EngineTests.projected(c, step: 0.5 / c.L) }],
        controls: .method("toy.projected-gd-contraction.step-2.5-over-L", "γ = 2.5/L") { c in EngineTests.projected(c, step: 2.5 / c.L) })

    @Test("a reference is drawn at full scale with the claim's statistic, skipped at oracle scale, and changes no verdict")
    func fullScaleOnly() async throws {
        let c = try EngineTests.catalog(["boxed.yaml": EngineTests.plain + "\nbox: { box: 2.0 }"], registry: registry.adding(EngineTests.toy))
        let inst = try #require(c.instances.first)
        let oracle = try await Runner(workers: 2, scale: .oracle).evaluate(Self.withReference, on: inst)
        #expect(oracle.references == nil)
        let full = try await Runner(workers: 2, scale: .full).evaluate(Self.withReference, on: inst)
        let plain = try await Runner(workers: 2, scale: .full).evaluate(EngineTests.contraction, on: inst)
        #expect(full.verdict == plain.verdict && full.controls.map(\.verdict) == plain.controls.map(\.verdict))
        let ref = try #require(full.references?.first)
        #expect(ref.label == "half step" && Self.withReference.references == ["half step"])
        let s = try #require(ref.series), main = try #require(full.verdict.series)
        // Same checkpoints and start; the half step contracts more slowly than the claim's 1/L.
        #expect(s.iterations == main.iterations && s.estimate[0] == main.estimate[0])
        #expect(s.estimate.last! > main.estimate.last!)
        let svg = MarkdownReport(results: [full], scale: .full).figure(full).render()
        #expect(svg.contains("reference: half step"))
    }
}
