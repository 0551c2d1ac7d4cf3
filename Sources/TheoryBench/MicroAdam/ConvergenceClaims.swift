import TheoryBenchCore
import TheoryBenchEngine
import Foundation

extension MicroAdam {
    // MARK: 5. Convergence order of both modes on a smooth non-convex objective

    static let convergenceStep = StepSchedule.inverseSqrt(0.05)
    static let constantControlStep = StepSchedule.constant(0.2)

    static func productionConfig(_ d: Int) -> MicroAdamConfig {
        MicroAdamConfig(density: 0.5, window: 10, blockSize: d, bucketSize: 4, errorFeedback: .quantized4bit, epsilon: 1)
    }

    /// Problem: f L-smooth, non-convex, bounded below, with unbiased stochastic gradients bounded a.s.
    /// (Geman–McClure with Rademacher noise: L = 2, f* = 0, ‖g‖ ≤ G exactly).
    /// Algorithm: MicroAdam in the given mode (theory: the analysed recursion with exact error feedback;
    /// production: the implemented one with 4-bit error feedback), k/d = ½, η_k = 0.05/√(k+1), ε = 1.
    /// Guarantee (order only): (1/k)Σ_{j<k} E‖∇f(x_j)‖² = O(1/√k) — the rate the paper's abstract promises
    /// ("competitive with AMSGrad"; its theorem text was not readable, [Modoranu et al. 2024, convergence
    /// theorem, recalled, unverified]); checked as a log-log slope ≤ −1/2 on [K/10, K], never a constant
    /// (docs/derivations/microadam.md §8).
    ///
    /// Control: a constant step η = 0.2, which breaks η ∝ 1/√k: the average levels off at the noise floor.
    static func convergenceClaim(_ mode: MicroAdamMode) -> Claim {
        let name = mode == .theory ? "theory" : "production"
        let config: @Sendable (BoundedGradientInstance) -> MicroAdamConfig = { c in
            mode == .theory ? theoryConfig(c.problem.dimension) : productionConfig(c.problem.dimension)
        }
        let what = mode == .theory
            ? "MicroAdam as analysed (Top-K with exact error feedback, full EMAs, AMSGrad max, ε = 1 inside the root)"
            : "MicroAdam as implemented (window m = 10, bias correction, 4-bit error feedback in buckets of 4, ε = 1 outside the root)"
        return Claim(
            id: "microadam.\(name)-convergence-order", paper: paper,
            theorem: "O(1/√T) for the average squared gradient norm (order only; the paper's theorem recalled, unverified)",
            statement: "\(what), k/d = ½, η_k = 0.05/√(k+1), on a smooth non-convex f with bounded noisy gradients: (1/k)Σ_{j<k} E‖∇f(x_j)‖² decays at least like k^(−1/2) (log-log slope ≤ −1/2 on [K/10, K]).",
            needs: boundedNeeds,
            assumptions: [Assumption("η_k = η₀/√(k+1)") { _, p in
                if case .inverseSqrt = p.schedule { return nil }
                return "the step is \(p.schedule)"
            }],
            method: { c in spec(config(c), convergenceStep, .averageGradientNormSquared) },
            measured: "(1/k)Σ_{j<k} E‖∇f(x_j)‖²", grid: .logarithmic(points: 30), runs: RunPlan(oracle: 40, full: 200),
            check: Check(.slopeAtMost(exponent: .constant(-0.5), provenance: .orderOnly("O(1/√T) of the analysed algorithm, recalled (unverified); docs/derivations/microadam.md §3, §8"), from: 0.1),
                         on: .mean),
            references: [Reference("Adam") { _ in denseSpec(amsgrad: false) }, Reference("AMSGrad") { _ in denseSpec(amsgrad: true) }],
            controls: .method("microadam.\(name)-convergence-order.constant-step", "a constant step η = 0.2 breaks η ∝ 1/√k: the average levels off at the noise floor") { c in
                spec(config(c), constantControlStep, .averageGradientNormSquared)
            })
    }

    /// Adam or AMSGrad (dense, as their papers state them) at the claims' step η_k = 0.05/√(k+1) and
    /// ε = 1, measured by the same average squared gradient norm: the references drawn beside MicroAdam
    /// in the convergence figures (never judged).
    static func denseSpec(amsgrad: Bool) -> MethodSpec<StepSchedule> {
        MethodSpec(name: "\(amsgrad ? "AMSGrad" : "Adam"), β = (0.9, 0.999), ε = 1, \(convergenceStep)", parameters: convergenceStep) { inst, cps, rng in
            denseRun(inst.makeOracle(), amsgrad: amsgrad, inst, cps, &rng)
        }
    }

    static func denseRun<O: GradientOracle>(_ oracle: O, amsgrad: Bool, _ inst: Instance, _ cps: Checkpoints,
                                            _ rng: inout RandomStream) -> Trace {
        let adam = DenseAdam(oracle: oracle, variant: amsgrad ? .amsgrad : .adam, schedule: convergenceStep, epsilon: 1, start: inst.start)
        var m = Watched(adam, objective: inst.problem)
        return record(&m, at: cps, rng: &rng) { $0.averageGradientNormSquared }
    }

    /// The order check of `convergenceClaim` on the analysed algorithm (theory mode).
    public static let theoryConvergence = convergenceClaim(.theory)
    /// The same check on the algorithm as implemented (production mode): both converge; how far apart
    /// they are is a finding (docs/derivations/microadam.md §8).
    public static let productionConvergence = convergenceClaim(.production)
}
