import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// Claims on SGD for MAST's sketched objective, for Demidovich, Malinovsky, Shulgin, Richtárik,
/// "MAST: Model-Agnostic Sparsified Training" (ICLR 2025, arXiv 2311.16086).
///
/// What is checked on what authority: only the paper's opening (the problem f_D(x) = E f(v + S(x − v))
/// and the names of its algorithms) was readable, so **no theorem of the paper is quoted and no constant
/// of the paper is checked**. The paper's point — SGD with one sketch per step is SGD on f_D, unbiased
/// for ∇f_D, so the classical SGD theory applies to f_D and its minimizer x_S, not to f and x* — is
/// checked with the classical bound of Gower et al. 2019 (Theorem 3.1) applied to f_D with constants
/// derived exactly for quadratics (docs/derivations/mast.md §1–§2), and with an exact mean-square
/// recursion derived here (§3) that predicts E‖x_k − x*‖² — the plateau at ‖x_S − x*‖² — at every k.
public enum MAST {
    public static let paper = Paper(
        key: "mast", reference: "arXiv:2311.16086",
        title: "Demidovich, Malinovsky, Shulgin, Richtárik, MAST: Model-Agnostic Sparsified Training")

    public static let family = PaperFamily(paper: paper, claims: [convergenceToXS, exactPlateau, distributedToXD, distributedExact],
                                           parts: [SketchPart.schema, DistributedSketchPart.schema],
                                           tables: [densityTable], figures: [densityFigure, densityTightnessFigure])


    /// ‖x_S − x*‖² against the sketch density (the picture the paper draws in words).
    static let densityFigure = OverviewFigure(
        "distance", title: "x_S against the sketch density",
        note: "The exact squared distance between the sketched minimizer x_S and x* (docs/derivations/mast.md §1, §5), per instance: the sparser the sketch, the farther x_S from x*.",
        x: "density", xLabel: "sketch density p (kept fraction)", yLabel: "squared distance",
        series: [.constant("|x_S-x*|^2", label: "‖x_S − x*‖² (exact)")])

    /// Both claims' tightness against the density.
    static let densityTightnessFigure = OverviewFigure(
        "tightness", title: "MAST claims' tightness against the sketch density",
        note: "Measured ÷ allowed per instance: SGD to x_S against Gower et al.'s bound (≤ 1), and the exact plateau (≈ 1: the measured E‖x_K − x*‖² equals the exact recursion).",
        x: "density", xLabel: "sketch density p (kept fraction)", yLabel: "measured ÷ allowed", logY: false,
        series: [.tightness(claim: "mast.sgd-to-x-s", label: "SGD to x_S (bound)"),
                 .tightness(claim: "mast.exact-plateau", label: "exact plateau (level)")])

    /// The sketched minimizer against the sketch density: how far x_S is from x* (exact), the
    /// sketched objective's constants, and the two claims' tightness, one row per instance.
    static let densityTable = OverviewTable(
        "x_S against the sketch density",
        note: "‖x_S − x*‖² is exact (docs/derivations/mast.md §1, §5): the denser the sketch, the closer the sketched minimizer to x*. Tightness of `mast.exact-plateau` ≈ 1 means the measured plateau E‖x_K − x*‖² equals the exact recursion.",
        columns: [.constant("density", header: "density p"), .constant("|x_S-x*|^2", header: "‖x_S − x*‖²"),
                  .constant("mu_D", header: "μ_D"), .constant("L_D", header: "L_D"), .constant("Lcal", header: "expected smoothness 𝓛"),
                  .tightness(claim: "mast.sgd-to-x-s", header: "tightness, SGD to x_S"),
                  .tightness(claim: "mast.exact-plateau", header: "tightness, exact plateau")],
        sortedBy: "density")

    /// A quadratic with a MAST sketch: every constant of f_D exact (x_S, μ_D, L_D, 𝓛, σ*², x*).
    public struct SketchedInstance: InstanceContext {
        public let instance: Instance
        public let part: SketchPart
        public let problem: Quadratic
        public var sketched: SketchedQuadratic { part.sketched }
        public var muD: Double { sketched.muD }
        public var expectedSmoothness: Double { sketched.expectedSmoothness }
        /// The theorem's largest step, γ = 1/(2𝓛).
        public var theoremStep: Double { 0.5 / expectedSmoothness }

        public init?(_ i: Instance) {
            guard let p = i.sketchPart, let q = i.problem as? Quadratic else { return nil }
            instance = i; part = p; problem = q
        }

        /// The exact E‖x_k − x_S‖² and E‖x_k − x*‖² of SGD with step γ from the instance's start.
        func series(_ step: Double) -> (toXS: [Double], toXStar: [Double]) {
            part.series(step: step, start: instance.start, horizon: instance.budget.iterations)
        }
    }

    static let needs = Requirement("a quadratic with a MAST sketch (f_D strongly convex)", understands: [SketchPart.kind]) {
        SketchedInstance($0)
    }

    /// The parameters of a run of SGD on f_D: the step, the variant, whether the sketch drawn is the
    /// instance's, and the point distances are measured to.
    public struct Parameters: StepParameters, Equatable {
        public let step: Double
        public let variant: SketchedSGDVariant
        public let instanceSketch: Bool
        public let target: Target
    }

    public enum Target: String, Sendable { case xS = "x_S", xStar = "x*" }

    static func sgd(_ c: SketchedInstance, step: Double, variant: SketchedSGDVariant = .sketched,
                    denser: Bool = false, target: Target) -> MethodSpec<Parameters> {
        let slip = variant == .gradientOnly ? ", model not sketched" : variant == .independentMasks ? ", independent masks" : ""
        let name = "MAST SGD (γ = \(step.formatted3)\(slip)\(denser ? ", denser sketch" : "")), distance to \(target.rawValue)"
        let goal = target == .xS ? c.sketched.xS : c.sketched.xStar
        return MethodSpec(name: name, parameters: Parameters(step: step, variant: variant, instanceSketch: !denser, target: target)) { inst, cps, rng in
            // The concrete sketch types, so that the method's step is specialized (no witness calls per step).
            switch c.sketched.sketch {
            case let b as BernoulliSketch: return run(b, c, step, variant, denser, goal, inst, cps, &rng)
            case let r as RandKSketch: return run(r, c, step, variant, denser, goal, inst, cps, &rng)
            default: return run(c.sketched.sketch, c, step, variant, denser, goal, inst, cps, &rng)
            }
        }
    }

    static func run<Sk: Sketch>(_ sketch: Sk, _ c: SketchedInstance, _ step: Double, _ variant: SketchedSGDVariant,
                                _ denser: Bool, _ goal: [Double], _ inst: Instance, _ cps: Checkpoints, _ rng: inout RandomStream) -> Trace {
        var m = SketchedSGD(problem: c.problem, sketch: denser ? sketch.denser : sketch, center: c.sketched.center,
                            step: step, variant: variant, start: inst.start)
        return record(&m, at: cps, rng: &rng) { Vec.distanceSquared($0.x, goal) }
    }

    static let stepBound = Assumption<SketchedInstance, Parameters>("γ ≤ 1/(2𝓛)") { c, m in
        m.step <= c.theoremStep * (1 + 1e-12) ? nil : "γ = \(m.step.formatted3) > 1/(2𝓛) = \(c.theoremStep.formatted3)"
    }
    static let sketchedGradient = Assumption<SketchedInstance, Parameters>("g_k = S_k∇f(v + S_k(x_k − v)), S_k the instance's sketch") { _, m in
        switch (m.variant, m.instanceSketch) {
        case (.gradientOnly, _): return "g_k = S_k∇f(x_k): the model is not sketched"
        case (.independentMasks, _): return "the gradient's mask is drawn independently of the model's"
        case (_, false): return "the sketch drawn is denser than the instance's"
        default: return nil
        }
    }
    static let distanceToXS = Assumption<SketchedInstance, Parameters>("the distance is measured to x_S = argmin f_D") { _, m in
        m.target == .xS ? nil : "measured to x*, the minimizer of f"
    }

    /// Problem: f(x) = ½(x − x*)ᵀA(x − x*) + f*, a random diagonal sketch S with E[S] = I, a centre v;
    /// f_D(x) = E f(v + S(x − v)), μ_D-strongly convex with minimizer x_S (exact, docs/derivations/mast.md §1).
    /// Algorithm: SGD on f_D with one sketch per step, x_{k+1} = x_k − γ S_k∇f(v + S_k(x_k − v)), γ = 1/(2𝓛).
    /// Guarantee: E‖x_k − x_S‖² ≤ (1 − γμ_D)^k ‖x₀ − x_S‖² + 2γσ*²/μ_D for γ ≤ 1/(2𝓛)
    /// [Gower et al. 2019, "SGD: General Analysis and Improved Rates", Theorem 3.1, applied to f_D: the
    /// estimator is unbiased for ∇f_D, (f_S) is 𝓛-expected-smooth with 𝓛 = λ_max(E[H_S]^{-1/2}E[H_S²]E[H_S]^{-1/2}),
    /// σ*² = E‖∇f_S(x_S)‖², all exact (§2)]. Checked on the mean (Student-t 99 %).
    ///
    /// Controls: (i) γ = 2.5/L_D, above γ ≤ 1/(2𝓛): E x_k − x_S = (I − γE[H_S])^k(x₀ − x_S) grows like 1.5^k
    /// along the top eigenvector, so the runs diverge (§4); (ii) the distance measured to x* instead of
    /// x_S — "SGD converges to x*" fails: it plateaus at ‖x_S − x*‖², above the neighbourhood (§4);
    /// (iii) the model not sketched, g = S_k∇f(x_k) (a plausible slip: it is unbiased for ∇f and
    /// converges to x*, so E‖x_k − x_S‖² → ‖x* − x_S‖²).
    public static let convergenceToXS = Claim(
        id: "mast.sgd-to-x-s", paper: paper, theorem: "Gower et al. 2019, Theorem 3.1, applied to f_D (derived constants)",
        statement: "SGD with one sketch per step on f_D(x) = E f(v + S(x − v)) and γ ≤ 1/(2𝓛) satisfies E‖x_k − x_S‖² ≤ (1 − γμ_D)^k ‖x₀ − x_S‖² + 2γσ*²/μ_D, x_S = argmin f_D, σ*² = E‖∇f_S(x_S)‖².",
        needs: needs, assumptions: [stepBound, sketchedGradient, distanceToXS],
        method: { c in sgd(c, step: c.theoremStep, target: .xS) },
        measured: "E‖x_k − x_S‖²", grid: .logarithmic(points: 30), runs: RunPlan(oracle: 2000, full: 4000),
        check: Check(.boundAtEveryCheckpoint(Bound(
            "(1 − γμ_D)^k ‖x₀ − x_S‖² + 2γσ*²/μ_D",
            .classical("Gower et al. 2019, Theorem 3.1 on f_D; x_S, μ_D, 𝓛, σ*² exact (docs/derivations/mast.md §1–§2)")
        ) { c, m, k in
            let s = c.sketched
            return pow(1 - m.step * s.muD, Double(k)) * Vec.distanceSquared(c.instance.start, s.xS) + 2 * m.step * s.sigma2 / s.muD
        }), on: .mean),
        controls: .method("mast.sgd-to-x-s.step-2.5-over-L_D", "γ = 2.5/L_D breaks γ ≤ 1/(2𝓛): the mean iterate diverges") { c in
            sgd(c, step: 2.5 / c.sketched.LD, target: .xS)
        }, .method("mast.sgd-to-x-s.measured-to-x-star", "the distance measured to x*: \"SGD converges to x*\" fails at the plateau ‖x_S − x*‖²") { c in
            sgd(c, step: c.theoremStep, target: .xStar)
        }, .method("mast.sgd-to-x-s.model-not-sketched", "g = S_k∇f(x_k) (the model not sketched) breaks the sketched gradient: it converges to x*") { c in
            sgd(c, step: c.theoremStep, variant: .gradientOnly, target: .xS)
        })

    /// The Bonferroni share of the equality checks: 12 checkpoints at 1 − 10⁻⁵ each keep the pairing's
    /// false-alarm probability near 10⁻⁴ (docs/reliability.md).
    static let equalityConfidence = 1 - 1e-5

    /// Problem, algorithm: as `convergenceToXS`, γ = 1/(2𝓛).
    /// Guarantee (derived, exact): E‖x_k − x*‖² = tr P_k + 2⟨x_S − x*, m_k⟩ + ‖x_S − x*‖², where
    /// m_k = E[x_k − x_S] and P_k = E[(x_k − x_S)(x_k − x_S)ᵀ] follow the exact linear recursion of
    /// docs/derivations/mast.md §3 (built from the sketch's exact moments up to order 4). As k → ∞ it
    /// tends to ‖x_S − x*‖² + tr P_∞: SGD on f_D plateaus away from x*, by the shift x_S − x* that grows
    /// as the sketch gets sparser (§5). Checked at every checkpoint as an exact level (confidence 1 − 10⁻⁵
    /// per checkpoint).
    ///
    /// Controls: the model not sketched (converges to x*: the level tends to 0); the gradient's mask drawn
    /// independently of the model's (then E g = ∇f(x): it too converges towards x*); a denser sketch than
    /// the instance's (pᵢ → (1 + pᵢ)/2, or k → 2k: a smaller shift).
    public static let exactPlateau = Claim(
        id: "mast.exact-plateau", paper: paper, theorem: "exact mean-square recursion of SGD on f_D (derived)",
        statement: "SGD with one sketch per step on f_D and γ = 1/(2𝓛) has E‖x_k − x*‖² = tr P_k + 2⟨x_S − x*, m_k⟩ + ‖x_S − x*‖² at every k (m_k, P_k from the exact recursion): it plateaus near ‖x_S − x*‖², not at 0.",
        needs: needs, assumptions: [sketchedGradient],
        method: { c in sgd(c, step: c.theoremStep, target: .xStar) },
        measured: "E‖x_k − x*‖²", grid: .logarithmic(points: 12), runs: RunPlan(oracle: 2000, full: 4000),
        check: Check(.levelAtEveryCheckpoint(lo: plateau, hi: plateau), on: .mean, confidence: equalityConfidence),
        controls: .method("mast.exact-plateau.model-not-sketched", "g = S_k∇f(x_k) breaks the sketched gradient: it converges to x*") { c in
            sgd(c, step: c.theoremStep, variant: .gradientOnly, target: .xStar)
        }, .method("mast.exact-plateau.independent-masks", "the gradient's mask independent of the model's breaks the sketched gradient: E g = ∇f(x)") { c in
            sgd(c, step: c.theoremStep, variant: .independentMasks, target: .xStar)
        }, .method("mast.exact-plateau.denser-sketch", "a denser sketch than the instance's: a smaller shift x_S − x*") { c in
            sgd(c, step: c.theoremStep, denser: true, target: .xStar)
        })

    static let plateau = Bound<SketchedInstance, Parameters>(
        "tr P_k + 2⟨x_S − x*, m_k⟩ + ‖x_S − x*‖²", .derived("exact mean-square recursion, docs/derivations/mast.md §3")
    ) { c, m, k in c.series(m.step).toXStar[k] }
}
