import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// Claims on clipped and normalized gradient descent under (L0, L1)-smoothness,
/// ‖∇²f(x)‖ ≤ L0 + L1‖∇f(x)‖ (Zhang, He, Sra, Jadbabaie, "Why gradient clipping accelerates
/// training", arXiv:1905.11881), checked on even polynomials whose whole (L0, L1) curve is exact.
///
/// What is checked on what authority: the paper's theorem text (its constants, remembered as about
/// 1/(10L0) and 1/(10L1)) was out of reach, so **no constant of the paper is checked**. The bounds are
/// derived here from the (L0, L1) descent lemma with explicit constants, for the parameters
/// η = a/L0, λ = b/L1 with κ(b)(a + b) ≤ ½, b ≤ 1, κ(b) = (e^b − 1 − b)/b²
/// (docs/derivations/l0l1-clipped-gd.md §2–§4).
public enum L0L1Smooth {
    public static let paper = Paper(
        key: "l0l1-clipped-gd", reference: "arXiv:1905.11881",
        title: "Zhang, He, Sra, Jadbabaie, Why Gradient Clipping Accelerates Training: A Theoretical Justification for Adaptivity")

    public static let family = PaperFamily(
        paper: paper,
        claims: [complexity(.clipped), complexity(.normalized), descent(.clipped), descent(.normalized), plRate(.clipped), plRate(.normalized),
                 stochasticDescent(.clipped), stochasticDescent(.normalized), stochasticComplexity(.clipped), stochasticComplexity(.normalized)],
        problemFamilies: [.l0l1Polynomial], tables: [curveTable], figures: [curveFigure, tightnessFigure])

    /// Each polynomial's exact (L0, L1) curve, with the points the instances use.
    static let curveFigure = OverviewFigure(
        "curves", title: "The exact (L0, L1) trade-off curves",
        note: "Each line is one polynomial's certified curve L0(L1) = sup ‖∇²f‖ − L1‖∇f‖ (docs/derivations/l0l1-clipped-gd.md §1): the polynomial is (L0, L1)-smooth exactly on and above it. The markers are the points (L1, L0(L1)) the instances use; the step sizes follow from them.",
        x: "L1", xLabel: "L1", yLabel: "L0", logX: true,
        series: [.illustration("l0-l1-curve"), .constant("L0", label: "instances' points (L1, L0(L1))")])

    /// The complexity claims' tightness along the curves.
    static let tightnessFigure = OverviewFigure(
        "tightness", title: "Iteration-complexity tightness against L1",
        note: "Measured ÷ derived bound of the iterations to reach ‖∇f‖ ≤ ε (the worst checkpoint), per instance, against the curve point L1 it uses: ≤ 1 within the bound; the level near 0.2 is the structural factor φ(1 − 1/2p)^{2p−1} of docs/derivations/l0l1-clipped-gd.md.",
        x: "L1", xLabel: "L1", yLabel: "measured ÷ bound", logX: true, logY: false,
        series: [.tightness(claim: "l0l1-clipped-gd.complexity", label: "clipped GD"),
                 .tightness(claim: "l0l1-clipped-gd.normalized-complexity", label: "normalized GD")])

    /// The points of the exact (L0, L1) curves the instances use, with the complexity claims'
    /// tightness at each: the same polynomial at several points of its curve.
    static let curveTable = OverviewTable(
        "Points of the (L0, L1) trade-off curves",
        note: "Each polynomial is (L0, L1)-smooth exactly for L0 ≥ L0(L1), the certified curve of docs/derivations/l0l1-clipped-gd.md; every instance picks one point (L1 given, L0 = L0(L1)) and the step sizes follow from it. Tightness: measured ÷ bound of the iteration-complexity claims (each checkpoint k is one accuracy ε(k)).",
        columns: [.problem(header: "polynomial and start"), .constant("L1", header: "L1"), .constant("L0", header: "L0(L1)"),
                  .constant("f(x0)-f*", header: "Δ0"),
                  .tightness(claim: "l0l1-clipped-gd.complexity", header: "clipped GD"),
                  .tightness(claim: "l0l1-clipped-gd.normalized-complexity", header: "normalized GD"),
                  .tightness(claim: "l0l1-clipped-gd.pl-rate", header: "PL rate (near start)")],
        sortedBy: "L1")

    /// An even polynomial at one point (L0, L1) of its exact curve, with a quadratic part
    /// (λ_max(∇²f(x*)) = max qᵢ > 0): x* = 0, f* = 0, Δ0 = f(x₀).
    public struct CurvePoint: InstanceContext {
        public let instance: Instance
        public let problem: EvenPolynomial
        public let L0: Double, L1: Double
        /// Δ0 = f(x₀) − f*.
        public let delta0: Double
        /// λ_max(∇²f(x*)) = max qᵢ.
        public let curvatureAtOptimum: Double

        init?(_ i: Instance) {
            guard let p = i.problem as? EvenPolynomial, let q = p.quadratics.max(), q > 0 else { return nil }
            instance = i; problem = p; L0 = p.L0; L1 = p.L1; delta0 = p.value(i.start); curvatureAtOptimum = q
        }
    }

    static let needs = Requirement("an (L0, L1)-smooth even polynomial at a point of its exact curve, with a quadratic part") {
        CurvePoint($0)
    }

    /// K_c = Δ0η/(φλ²): at most this many steps have G > λ/η (each removes more than φλ²/η), §4.
    static func clippedPhaseBound(_ c: CurvePoint, _ v: Variant) -> Double {
        c.delta0 * (a / c.L0) / (v.factor * (b / c.L1) * (b / c.L1))
    }

    /// A far start: the clipped-phase bound K_c exceeds the horizon (where GD without clipping diverges).
    static func farStart(_ v: Variant) -> Requirement<CurvePoint> {
        needs.and("a far start: the clipped-phase bound Δ0η/(φλ²) exceeds the horizon K") {
            clippedPhaseBound($0, v) > Double($0.instance.budget.iterations)
        }
    }

    /// A near start: the clipped-phase bound K_c is at most K/4, so the linear phase is observed.
    static func nearStart(_ v: Variant) -> Requirement<CurvePoint> {
        needs.and("a near start: the clipped-phase bound Δ0η/(φλ²) is at most K/4") {
            clippedPhaseBound($0, v) <= Double($0.instance.budget.iterations) / 4
        }
    }

    /// The two (L0, L1) step rules the claims are stated for.
    public enum Variant: String, Sendable {
        /// h = min(η, λ/G), η = a/L0, λ = b/L1; descent factor ½.
        case clipped
        /// h = 1/(c0 + c1G), c0 = L0/a, c1 = L1/b; descent factor ¼.
        case normalized

        var factor: Double { self == .clipped ? 0.5 : 0.25 }
        var label: String { self == .clipped ? "clipped GD" : "normalized GD" }
        var idPrefix: String { self == .clipped ? "" : "normalized-" }

        func rule(_ c: CurvePoint, a: Double, b: Double) -> L0L1Rule {
            self == .clipped ? .clipped(eta: a / c.L0, level: b / c.L1) : .normalized(c0: c.L0 / a, c1: c.L1 / b)
        }
    }

    /// The typed parameters: the rule run, and a, b of the claim's step choice.
    public struct Parameters: Sendable {
        public let rule: L0L1Rule
        public let a: Double, b: Double
    }

    /// a = b = 1/3: κ(1/3)·(2/3) = 0.374 ≤ ½.
    static let a = 1.0 / 3, b = 1.0 / 3

    /// κ(b) = (e^b − 1 − b)/b², the constant of the (L0, L1) descent lemma on steps of length ≤ b/L1.
    public static func kappa(_ b: Double) -> Double { (exp(b) - 1 - b) / (b * b) }

    /// The descent credit of the claim (its own η, λ and factor), applied to whatever method runs.
    static func credit(_ c: CurvePoint, _ v: Variant) -> DescentCredit {
        DescentCredit(factor: v.factor, eta: a / c.L0, level: b / c.L1)
    }

    enum Measured { case minGradientNorm, oneStepSlack, suboptimality }

    static func method(_ c: CurvePoint, _ v: Variant, _ rule: L0L1Rule, _ what: Measured) -> MethodSpec<Parameters> {
        spec(c.problem, rule, Parameters(rule: rule, a: a, b: b), credit: credit(c, v), what)
    }

    /// A run of `L0L1GradientMethod` with the claim's credit and allowance; `noisy`: the gradients carry
    /// the additive noise of the instance the experiment runs on (its `noise:` part).
    static func spec(_ problem: EvenPolynomial, _ rule: L0L1Rule, _ parameters: Parameters, credit: DescentCredit,
                     allowance: Double = 0, noisy: Bool = false, _ what: Measured) -> MethodSpec<Parameters> {
        MethodSpec(name: rule.description + (noisy ? " on noisy gradients g = ∇f + ξ (the rule reads ‖g‖)" : ""), parameters: parameters) { inst, cps, rng in
            var m = L0L1GradientMethod(problem: problem, rule: rule, credit: credit, start: inst.start,
                                       noise: noisy ? inst.noise : nil, allowance: allowance)
            return record(&m, at: cps, rng: &rng) { m in
                switch what {
                case .minGradientNorm: return m.minGradientNorm
                case .oneStepSlack: return m.audit.worst
                case .suboptimality: return m.fx
                }
            }
        }
    }

    static func assumptions(_ v: Variant) -> [Assumption<CurvePoint, Parameters>] {
        [Assumption("κ(b)(a + b) ≤ ½ and b ≤ 1 (κ(b) = (e^b − 1 − b)/b²)") { _, p in
            kappa(p.b) * (p.a + p.b) <= 0.5 && p.b <= 1 ? nil : "κ(b)(a + b) = \((kappa(p.b) * (p.a + p.b)).formatted3)"
        }, Assumption("the step rule is \(v.label) with η = a/L0, λ = b/L1") { c, p in
            p.rule == v.rule(c, a: p.a, b: p.b) ? nil : "the rule is \(p.rule)"
        }]
    }

    /// ε(k): the smallest ε with k·φ·min(ηε², λε) ≥ Δ0 (φ the descent factor), i.e. with D = Δ0/(kφ),
    /// ε = √(D/η) when D ≤ λ²/η and ε = D/λ otherwise (docs/derivations/l0l1-clipped-gd.md §3).
    public static func epsilon(afterSteps k: Int, delta0: Double, factor: Double, eta: Double, level: Double) -> Double {
        let D = delta0 / (Double(max(k, 1)) * factor)
        return D <= level * level / eta ? (D / eta).squareRoot() : D / level
    }

    /// T(ε) ≤ Δ0/(φ·min(ηε², λε)): the iteration count bound the claim's ε(k) inverts.
    public static func iterationBound(epsilon e: Double, delta0: Double, factor: Double, eta: Double, level: Double) -> Double {
        delta0 / (factor * min(eta * e * e, level * e))
    }

    /// Control: GD with the constant step η = a/L0 (clipping removed) from the instance's far start.
    static func noClipping(_ v: Variant, _ claim: String, _ what: Measured) -> Control<CurvePoint, Parameters> {
        .method(far(v, "\(claim).gd-constant-step"), "GD with the constant step η = a/L0 (no clipping) from the far start") { c in
            method(c, v, .constant(a / c.L0), what)
        }
    }

    /// Control: clipping by λ/‖∇f‖² in place of λ/‖∇f‖ (an implementation slip): far too short steps.
    static func squaredNormSlip(_ v: Variant, _ claim: String, _ what: Measured) -> Control<CurvePoint, Parameters> {
        .method(far(v, "\(claim).squared-norm-clip"), "clipping by λ/‖∇f‖² in place of λ/‖∇f‖ (implementation slip): steps far too short") { c in
            method(c, v, .clippedBySquaredNorm(eta: a / c.L0, level: b / c.L1), what)
        }
    }

    static let grid = Grid(.logarithmic, points: 30) { min($0.budget.iterations, 20000) }

    static func far(_ v: Variant, _ suffix: String) -> String {
        "l0l1-clipped-gd.\(v.idPrefix)\(suffix)"
    }

    /// Problem: f (L0, L1)-smooth (‖∇²f‖ ≤ L0 + L1‖∇f‖), bounded below, Δ0 = f(x₀) − inf f.
    /// Algorithm: clipped GD h = min(η, λ/‖∇f‖) with η = a/L0, λ = b/L1 (or normalized GD
    /// h = 1/(c0 + c1‖∇f‖), c0 = L0/a, c1 = L1/b), a = b = 1/3.
    /// Guarantee (derived; stands in for [Zhang et al. 2019, Theorem 3], whose constants were out of
    /// reach): the first k with ‖∇f(x_k)‖ ≤ ε satisfies k ≤ T(ε) = Δ0/(φ·min(ηε², λε)), φ = ½ (clipped)
    /// or ¼ (normalized) — equivalently min_{i≤k}‖∇f(x_i)‖ ≤ ε(k), the inverse of T, at every k; for
    /// ε ≤ λ/η, T(ε) = Δ0/(φηε²) = 2Δ0L0/(aε²) (clipped), the Zhang et al. shape L0Δ0/ε²
    /// (docs/derivations/l0l1-clipped-gd.md §3). Checked at every checkpoint k (each k is one ε = ε(k)),
    /// for the point (L0, L1) of the curve the instance fixes (the catalog holds several). Deterministic.
    ///
    /// Controls: (i) GD with the constant step η = a/L0 (clipping removed; η < 2/λ_max(∇²f(x*)), so it
    /// is stable near x*) from the instance's far start: f grows like x⁴ and the step overshoots, the
    /// run diverges (§5.1); (ii) clipping by λ/‖∇f‖² in place of λ/‖∇f‖ (a plausible slip): far from
    /// x* the steps shrink to λ/‖∇f‖ and ‖∇f‖ stays above ε(k) (§5.2).
    static func complexity(_ v: Variant) -> Claim {
        Claim(
            id: far(v, "complexity"), paper: paper, theorem: "Zhang et al. 2019, Theorem 3 (constants derived)",
            statement: "\(v.label) with a = b = 1/3 on an (L0, L1)-smooth f reaches ‖∇f‖ ≤ ε within T(ε) = Δ0/(\(v.factor.formatted3)·min(ηε², λε)) iterations, η = a/L0, λ = b/L1 (for ε ≤ λ/η: \(v == .clipped ? 2 : 4)Δ0L0/(aε²)).",
            needs: farStart(v), assumptions: assumptions(v),
            method: { c in method(c, v, v.rule(c, a: a, b: b), .minGradientNorm) },
            measured: "min_{i≤k} ‖∇f(x_i)‖", grid: grid, runs: .deterministic,
            check: Check(.boundAtEveryCheckpoint(Bound("ε(k) = T⁻¹(k): √(Δ0/(kφη)) if Δ0/(kφ) ≤ λ²/η, else Δ0/(kφλ)",
                                                       .derived("(L0, L1) descent lemma summed, docs/derivations/l0l1-clipped-gd.md §3")) { c, _, k in
                epsilon(afterSteps: k, delta0: c.delta0, factor: v.factor, eta: a / c.L0, level: b / c.L1)
            }), on: .mean),
            controls: noClipping(v, "complexity", .minGradientNorm), squaredNormSlip(v, "complexity", .minGradientNorm))
    }

    /// Problem, algorithm: as `complexity`.
    /// Guarantee (derived, the lemma the complexity rests on): every step satisfies
    /// f(x_k) − f(x_{k+1}) ≥ φ·min(ηG_k², λG_k), G_k = ‖∇f(x_k)‖, φ = ½ (clipped) or ¼ (normalized)
    /// (docs/derivations/l0l1-clipped-gd.md §2). Measured: the worst one-step slack
    /// max_{i<k} 1 + tanh(1 − decrease_i/credit_i), ≤ 1 exactly when every step meets the inequality.
    /// Deterministic. This check is sharp (the decrease exceeds the credit by a factor of about 1.5–2).
    ///
    /// Controls, judged with the claim's credit: (i) GD with η = a/L0 (no clipping) from the far
    /// start: the first step overshoots and f grows; (ii) clipping by λ/‖∇f‖²: the steps are too short
    /// to earn the credit ½λ‖∇f‖; (iii) the step η = 2.5/λ_max(∇²f(x*)), far above a/L0 (κ(b)(a + b) > ½):
    /// unstable at x*, f increases near the optimum (§5.3).
    static func descent(_ v: Variant) -> Claim {
        Claim(
            id: far(v, "descent"), paper: paper, theorem: "(L0, L1) descent lemma for \(v.label) (derived)",
            statement: "\(v.label) with a = b = 1/3 on an (L0, L1)-smooth f: f(x_k) − f(x_{k+1}) ≥ \(v.factor.formatted3)·min(ηG_k², λG_k) at every step, η = a/L0, λ = b/L1.",
            needs: farStart(v), assumptions: assumptions(v),
            method: { c in method(c, v, v.rule(c, a: a, b: b), .oneStepSlack) },
            measured: "max_{i<k} 1 + tanh(1 − (f(x_i) − f(x_{i+1}))/(φ·min(ηG_i², λG_i)))", grid: grid, runs: .deterministic,
            check: Check(.boundAtEveryCheckpoint(Bound("1 (every step meets the descent inequality)",
                                                       .derived("(L0, L1) descent lemma, docs/derivations/l0l1-clipped-gd.md §2")) { _, _, _ in 1 }),
                         on: .mean),
            controls: noClipping(v, "descent", .oneStepSlack), squaredNormSlip(v, "descent", .oneStepSlack), .method(far(v, "descent.unstable-step"), "clipped GD with η = 2.5/λ_max(∇²f(x*)), outside κ(b)(a + b) ≤ ½: unstable at x*") { c in
                method(c, v, .clipped(eta: 2.5 / c.curvatureAtOptimum, level: b / c.L1), .oneStepSlack)
            })
    }

    /// Problem: as `complexity`, and μ-PL (here μ = min qᵢ, strong convexity): ‖∇f‖² ≥ 2μ(f − f*).
    /// Algorithm: as `complexity`, from a near start (the clipped-phase bound K_c ≤ K/4).
    /// Guarantee (derived; the linear phase after clipping, cf. [Zhang et al. 2019]):
    /// f(x_k) − f* ≤ (1 − 2φμη)^{max(0, k − ⌊K_c⌋)}·Δ0 with K_c = Δ0η/(φλ²), φ = ½ (clipped) or ¼
    /// (normalized): a step with G ≤ λ/η removes at least φηG² ≥ 2φμη(f − f*), a step with G > λ/η removes
    /// more than φλ²/η, so at most K_c steps are of the second kind and f never increases
    /// (docs/derivations/l0l1-clipped-gd.md §4). Deterministic.
    ///
    /// Controls: clipping by λ/‖∇f‖² (the steps crawl until G < √(λ/η) and the rate starts late), and
    /// the step η = 2.5/λ_max(∇²f(x*)) (no convergence: the iterates bounce at the clipping level) (§5.3–§5.4).
    static func plRate(_ v: Variant) -> Claim {
        Claim(
            id: far(v, "pl-rate"), paper: paper, theorem: "linear rate under PL after the clipped phase (derived)",
            statement: "\(v.label) with a = b = 1/3 on an (L0, L1)-smooth μ-PL f: f(x_k) − f* ≤ (1 − \(2 * v.factor == 1 ? "" : "½")μη)^{max(0, k − ⌊K_c⌋)}·Δ0, K_c = Δ0η/(\(v.factor.formatted3)λ²), η = a/L0, λ = b/L1.",
            needs: nearStart(v), assumptions: assumptions(v),
            method: { c in method(c, v, v.rule(c, a: a, b: b), .suboptimality) },
            measured: "f(x_k) − f*", grid: grid, runs: .deterministic,
            check: Check(.boundAtEveryCheckpoint(Bound("(1 − 2φμη)^{max(0, k − ⌊Δ0η/(φλ²)⌋)}·Δ0",
                                                       .derived("PL after the clipped phase, docs/derivations/l0l1-clipped-gd.md §4")) { c, _, k in
                let kc = clippedPhaseBound(c, v).rounded(.down)
                return c.delta0 * pow(1 - 2 * v.factor * c.problem.mu * a / c.L0, max(0, Double(k) - kc))
            }), on: .mean),
            controls: squaredNormSlip(v, "pl-rate", .suboptimality), .method(far(v, "pl-rate.unstable-step"), "clipped GD with η = 2.5/λ_max(∇²f(x*)), outside κ(b)(a + b) ≤ ½: no convergence") { c in
                method(c, v, .clipped(eta: 2.5 / c.curvatureAtOptimum, level: b / c.L1), .suboptimality)
            })
    }
}
