import TheoryBenchCore
import TheoryBenchEngine
import Foundation

extension MicroAdam {
    // MARK: 4. The analysed algorithm: the error-feedback buffer is bounded

    /// A Geman–McClure objective with bounded additive noise (Rademacher per coordinate, scale s), so
    /// ‖g‖ ≤ G := √d(9/(8√3) + s) almost surely (§4).
    public struct BoundedGradientInstance: InstanceContext {
        public let instance: Instance
        public let problem: GemanMcClure
        /// G, the almost-sure bound on ‖g_t‖.
        public let G: Double

        public init?(_ i: Instance) {
            guard let p = i.problem as? GemanMcClure, let n = i.noise, n.law == .rademacher,
                  n.geometry == .perCoordinate else { return nil }
            instance = i; problem = p
            G = p.gradientBound + n.scale * Double(p.dimension).squareRoot()
        }
    }

    static let boundedNeeds = Requirement("Geman–McClure objective with per-coordinate Rademacher noise (‖g‖ ≤ G a.s.)",
                                          understands: [.noise]) { BoundedGradientInstance($0) }

    /// The hypothesis that the run uses the claim's configuration (of the instance's dimension).
    static func configuration(_ statement: String, _ expected: @escaping @Sendable (Int) -> MicroAdamConfig)
        -> Assumption<BoundedGradientInstance, Parameters> {
        Assumption(statement) { c, p in p.config == expected(c.problem.dimension) ? nil : "the configuration is \(p.config)" }
    }

    /// The analysed algorithm's configuration: theory mode, k/d = ½ in one block, exact error
    /// feedback, β = (0.9, 0.999), ε = 1.
    static func theoryConfig(_ d: Int, density: Double = 0.5, _ ef: ErrorFeedback = .exact) -> MicroAdamConfig {
        MicroAdamConfig(mode: .theory, density: density, window: 1, blockSize: d, errorFeedback: ef, epsilon: 1)
    }

    /// q = √(max_b(1 − k_b/d_b)), the Top-K contraction of the claim's configuration (§2).
    static func contraction(_ c: BoundedGradientInstance) -> Double {
        BlockTopK(dimension: c.problem.dimension, blockSize: c.problem.dimension, density: 0.5).contractionSquared.squareRoot()
    }

    /// E = qG/(1 − q) (§3).
    static func errorBound(_ c: BoundedGradientInstance) -> Double {
        let q = contraction(c); return q * c.G / (1 - q)
    }

    static let theoryStep = StepSchedule.constant(0.005)

    static func theorySpec(_ config: MicroAdamConfig) -> MethodSpec<Parameters> {
        spec(config, theoryStep, .maxErrorNorm)
    }

    /// Problem: any objective with stochastic gradients bounded a.s., ‖g_t‖ ≤ G (here Geman–McClure
    /// with Rademacher noise, G = √d(9/(8√3) + s) exactly).
    /// Algorithm: MicroAdam's analysed form (theory mode: c_t = TopK(g_t + e_t), e_{t+1} = g_t + e_t − c_t
    /// exactly, full EMAs, AMSGrad max), k/d = ½.
    /// Guarantee (derived): ‖e_t‖ ≤ E := qG/(1 − q) for every t, q = √(1 − k/d) (by induction from
    /// ‖e_{t+1}‖ ≤ q‖g_t + e_t‖ ≤ q(G + ‖e_t‖), e₁ = 0; §3). Every constant the recalled convergence
    /// theorem of the paper uses (C₀, W) is built on E. Checked on max_{s≤k}‖e_s‖ (mean over runs; the
    /// bound holds for every run).
    ///
    /// Controls: (i) a plausible slip no unit test of the pieces catches: the error keeps the sent
    /// coordinates (e ← a, not a − C(a)), so e sums all past gradients and grows like √k;
    /// (ii) k/d = 1/16 (q = √(15/16): the claim's E no longer applies).
    public static let theoryErrorBound = Claim(
        id: "microadam.theory-error-bound", paper: paper, theorem: "error-feedback bound of the analysed algorithm (derived)",
        statement: "MicroAdam as analysed (Top-K with exact error feedback, AMSGrad max, full EMAs), with ‖g_t‖ ≤ G a.s.: ‖e_t‖ ≤ qG/(1 − q) at every step, q = √(1 − k/d).",
        needs: boundedNeeds,
        assumptions: [configuration("theory mode, exact error feedback, k/d = ½") { theoryConfig($0) }],
        method: { c in theorySpec(theoryConfig(c.problem.dimension)) },
        measured: "max_{s≤k} ‖e_s‖", grid: .logarithmic(points: 20), runs: RunPlan(oracle: 40, full: 200),
        check: Check(.boundAtEveryCheckpoint(Bound("qG/(1 − q), q = √(1 − k/d)", .derived("induction on ‖e_{t+1}‖ ≤ q(G + ‖e_t‖), docs/derivations/microadam.md §3")) { c, _, _ in
            errorBound(c)
        }), on: .mean),
        controls: .method("microadam.theory-error-bound.keeps-sent", "the error keeps the sent coordinates (e ← a): breaks e = a − C(a)") { c in
            theorySpec(theoryConfig(c.problem.dimension, .keepsSent))
        }, .method("microadam.theory-error-bound.density-1-16", "k/d = 1/16: a weaker contraction than the claim's q") { c in
            theorySpec(theoryConfig(c.problem.dimension, density: 1.0 / 16))
        })
}
