import Foundation
import Testing
import TheoryBench

/// A run that leaves the finite range gives the verdict `diverged` with the iteration, in every
/// family: the measurement layer stops the run (`record`), the judge reports it whatever the check.
@Suite("Divergence")
struct DivergenceTests {
    static func instance(_ id: String) -> Instance { TestCatalog.instance(id) }

    /// Judges `traces` with a slope check (any check: divergence is decided first).
    static func verdict(_ traces: [Trace], _ cps: Checkpoints) -> Verdict {
        Judge.verdict(Check<Void, Void>(.slopeAtMost(exponent: .constant(-1), provenance: .orderOnly("test"), from: 0.1), on: .mean),
                      context: (), parameters: (), resolution: 1e-12, checkpoints: cps, traces: traces)
    }

    static func expectDiverged(_ traces: [Trace], _ cps: Checkpoints, _ family: String) {
        let v = verdict(traces, cps)
        #expect(v.outcome == .diverged, "\(family): \(v.outcome.rawValue) — \(v.detail)")
        #expect(v.divergedAt != nil && v.detail.contains("first by iteration"), "\(family): \(v.detail)")
        #expect(traces.allSatisfy { $0.values.last == .infinity }, "\(family): the rest of a diverged run is +∞")
    }

    @Test("baseline: SGD with γ = 10/L on a quadratic")
    func baseline() throws {
        let inst = Self.instance("quadratic-d10"), cps = Checkpoints.logarithmic(horizon: 2000, points: 20)
        let spec = Experiments.sgd("SGD", .constant(10 / inst.L), measure: .distanceSquared)
        let traces = try (0..<4).map { r -> Trace in var rng = RandomStream(name: "diverge", run: r); return try spec.run(inst, cps, &rng) }
        Self.expectDiverged(traces, cps, "baseline")
    }

    @Test("clip-adagrad: unclipped AdaGrad-Norm with γ = 1e200, vector and 1-D paths")
    func clipAdaGrad() throws {
        let rule = NormAdaptiveRule(delayed: false, clip: nil, gamma: 1e200, b0: 1)
        for id in ["lomax-coord-d10", "lomax-1d"] {
            let inst = Self.instance(id), cps = Checkpoints.logarithmic(horizon: 500, points: 12)
            let spec = ClipAdaGrad.normAdaptive(rule, measure: .suboptimality)
            let traces = try (0..<4).map { r -> Trace in var rng = RandomStream(name: "diverge", run: r); return try spec.run(inst, cps, &rng) }
            Self.expectDiverged(traces, cps, "clip-adagrad on \(id)")
        }
    }

    @Test("riemannian-vr: R-SGD with η = 10³ on the weighted centres")
    func riemannian() throws {
        let inst = Self.instance("weighted-centers-d5"), cps = Checkpoints.logarithmic(horizon: 500, points: 12)
        let setting = try #require(inst.riemannian)
        let problem = try #require(setting.problem as? WeightedCenters)
        let traces = (0..<4).map { r -> Trace in
            var rng = RandomStream(name: "diverge", run: r)
            var m = RSGD(problem: problem, stepSize: 1e3, start: inst.start)
            return record(&m, at: cps, rng: &rng) { Vec.distanceSquared($0.x, problem.constants.xStar!) }
        }
        Self.expectDiverged(traces, cps, "riemannian-vr")
    }
}
