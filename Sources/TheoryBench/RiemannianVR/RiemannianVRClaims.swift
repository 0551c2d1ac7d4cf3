import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// Claims for Demidovich, Malinovsky & Richtárik, "Streamlining in the Riemannian Realm: Efficient
/// Riemannian Optimization with Loopless Variance Reduction" (arXiv:2403.06677).
///
/// The paper's theorems (statements, step sizes, Lyapunov weights) were out of reach: only its abstract
/// could be read. Every bound below is therefore `derived`: proved in `docs/derivations/riemannian-vr.md`
/// (§3 R-PAGE, §4 R-MARINA, §6 R-LSVRG, §7 complexity, §8 controls) and summarized in each doc comment;
/// the paper's theorem is named only as what the derived bound stands in for. Constants are exact for
/// the instance (`RiemannianConstants`, §5): on the flat of commuting SPD matrices (and its Euclidean
/// image) Lᵢ = wᵢ, μ = μ_PL = w̄, ζ = 1; on the certified SPD ball (curved) Lᵢ = wᵢζ(−½, ρ + R),
/// ζ = ζ(−½, 2ρ) > 1, μ = w̄, every iterate checked to stay in the ball; on the certified sphere cap
/// (curved, κ = +1) Lᵢ = wᵢ, μ = μ_PL = w̄·D cot D < w̄, ζ = 1, every iterate checked to stay in the cap
/// (§5.6); on sphere-PCA Lᵢ = ‖aᵢ‖², f* = −λ₁/2. Every pairing reports `flat` (1 or 0), `kappa_min`,
/// `kappa_max` and `zeta`.
public enum RiemannianVR {
    public static let paper = Paper(key: "riemannian-vr", reference: "arXiv:2403.06677",
                                    title: "Streamlining in the Riemannian Realm: Efficient Riemannian Optimization with Loopless Variance Reduction")

    /// The family as registered: its claims and the Riemannian problem families (spd-karcher,
    /// sphere-pca, sphere-karcher, weighted-centers), whose instances carry the `manifold` part.
    public static let family = PaperFamily(
        paper: paper, claims: [rlsvrgLyapunov, rlsvrgRate, rpagePL, rpageNonconvex, rpageComplexity, rpageCost, rmarinaNonconvex],
        problemFamilies: [.spdKarcher, .spherePCA, .sphereKarcher, .weightedCenters])

    // MARK: contexts: what each claim reads of a Riemannian instance, exact and non-optional

    /// μ-strongly g-convex with exact Lmax = max Lᵢ, ζ and x* on a region containing the iterates.
    public struct GConvexInstance: InstanceContext {
        public let instance: Instance
        public let setting: RiemannianSetting
        public let mu: Double, zeta: Double, Lmax: Double
        public let xStar: [Double]
        init?(_ i: Instance) {
            guard let s = i.riemannian, let mu = s.constants.mu, let z = s.constants.zeta,
                  let xs = s.constants.xStar, s.constants.Lmax.isFinite else { return nil }
            instance = i; setting = s; self.mu = mu; zeta = z; Lmax = s.constants.Lmax; xStar = xs
        }
        var n: Int { setting.problem.componentCount }
    }

    /// Exact Lavg and f* (and, when asked, the Riemannian PL modulus μ).
    public struct SmoothInstance: InstanceContext {
        public let instance: Instance
        public let setting: RiemannianSetting
        public let Lavg: Double, fStar: Double
        /// f(x₀) − f*.
        public let initialGap: Double
        init?(_ i: Instance) {
            guard let s = i.riemannian, let fs = s.constants.fStar, s.constants.Lavg.isFinite else { return nil }
            instance = i; setting = s; Lavg = s.constants.Lavg; fStar = fs; initialGap = s.problem.value(i.start) - fs
        }
        var n: Int { setting.problem.componentCount }
        var constants: RiemannianConstants { setting.constants }
    }

    /// `SmoothInstance` with the Riemannian PL inequality ‖grad f‖² ≥ 2μ(f − f*) exact.
    public struct PLInstance: InstanceContext {
        public let base: SmoothInstance
        public let muPL: Double
        public var instance: Instance { base.instance }
        init?(_ i: Instance) {
            guard let b = SmoothInstance(i), let mu = b.constants.muPL else { return nil }
            base = b; muPL = mu
        }
    }

    /// The typed parameters of every method here: the step η and the probability p of a full
    /// gradient (R-LSVRG: of refreshing the reference; R-SGD: 0).
    public struct Parameters: StepParameters {
        public let step: Double
        public let p: Double
    }

    // MARK: parameters prescribed by the derived theorems (functions of the instance only)

    /// R-LSVRG (§6): η = μ/(36ζL²) with L = max Lᵢ, p = 1/n.
    static func lsvrgStep(_ c: GConvexInstance) -> Double { c.mu / (36 * c.zeta * c.Lmax * c.Lmax) }
    static func lsvrgProbability(_ c: GConvexInstance) -> Double { 1 / Double(c.n) }
    /// ρ = 1 − min{ημ/2, p/2}.
    static func lsvrgFactor(_ c: GConvexInstance) -> Double {
        1 - min(lsvrgStep(c) * c.mu / 2, lsvrgProbability(c) / 2)
    }
    /// The weight 16ζη²L²/p of d²(w, x*) in Ψ.
    static func lsvrgWeight(_ c: GConvexInstance) -> Double {
        let eta = lsvrgStep(c)
        return 16 * c.zeta * eta * eta * c.Lmax * c.Lmax / lsvrgProbability(c)
    }

    /// R-PAGE (§3) on n components: b = ⌈√n⌉, p = b/(n + b).
    static func pageBatch(n: Int) -> Int { Int(Double(n).squareRoot().rounded(.up)) }
    static func pageProbability(n: Int) -> Double { let b = Double(pageBatch(n: n)); return b / (Double(n) + b) }
    /// Non-convex: η = 1/(L(1 + √((1−p)/(pb)))) at size n (= 1/(2L) when b² = n).
    static func pageStep(n: Int, L: Double) -> Double {
        let p = pageProbability(n: n), b = Double(pageBatch(n: n))
        return 1 / (L * (1 + ((1 - p) / (p * b)).squareRoot()))
    }
    /// `pageStep(n:L:)` with the instance's n and L = Lavg.
    static func pageStep(_ c: SmoothInstance) -> Double { pageStep(n: c.n, L: c.Lavg) }
    /// PL: η = min{1/(L(1 + √(2(1−p)/(pb)))), p/(2μ)}.
    static func pagePLStep(_ c: PLInstance) -> Double {
        let n = c.base.n, p = pageProbability(n: n), b = Double(pageBatch(n: n))
        return min(1 / (c.base.Lavg * (1 + (2 * (1 - p) / (p * b)).squareRoot())), p / (2 * c.muPL))
    }

    // MARK: requirements: a Riemannian claim understands the manifold part and nothing else

    static let gConvexExact = Requirement("Riemannian finite sum, μ-strongly g-convex, exact Lᵢ, ζ and x*",
                                          understands: [.manifold]) { GConvexInstance($0) }
    /// g-convex instances on which the rate bound falls by two decades within the horizon,
    /// ρ^K ≤ 10⁻²: only there can a fitted factor separate a contracting method from a stalled one.
    /// (On the curved SPD ball ρ = 0.999 and ρ^K ≈ 0.22 at K = 1500: the stalled control's factor,
    /// 1.000, is then within 0.09 CI widths of the bound's — a coin flip; that instance is covered by
    /// the Lyapunov bound, whose control stays far from it. On the curved sphere cap ρ = 0.99745 and
    /// ρ^K ≈ 0.0017 at K = 2500: the rate claim runs there.)
    static let rateSeparable = gConvexExact.and("the bound's factor ρ = 1 − min{ημ/2, p/2} falls to ρ^K ≤ 10⁻² within the horizon K") {
        pow(lsvrgFactor($0), Double($0.instance.budget.iterations)) <= 1e-2
    }
    static let plExact = Requirement("Riemannian finite sum, Riemannian PL with exact μ, exact Lavg and f*",
                                     understands: [.manifold]) { PLInstance($0) }
    static let smoothExact = Requirement("Riemannian finite sum with exact Lavg and f*",
                                         understands: [.manifold]) { SmoothInstance($0) }

    static func stepAtMost<C>(_ label: String, _ cap: @escaping @Sendable (C) -> Double) -> Assumption<C, Parameters> {
        Assumption("η ≤ \(label)") { c, m in
            let eta = m.step, limit = cap(c)
            return eta <= limit * (1 + 1e-12) ? nil : "η = \(eta.formatted3) > \(label) = \(limit.formatted3)"
        }
    }
    static func probabilityPositive<C>() -> Assumption<C, Parameters> {
        Assumption("refresh probability p ∈ (0, 1]") { _, m in m.p > 0 && m.p <= 1 ? nil : "p = \(m.p.formatted3)" }
    }
    static func varianceReduced<C>() -> Assumption<C, Parameters> {
        Assumption("variance-reduced estimator (R-PAGE)") { _, m in m.p > 0 ? nil : "no variance reduction: p = \(m.p.formatted3)" }
    }

    // MARK: claims

    static let D = "docs/derivations/riemannian-vr.md"

    /// Problem: f = (1/n)Σfᵢ on a manifold of curvature ≥ κ, each fᵢ geodesically Lᵢ-smooth
    /// (‖grad fᵢ(y) − Γ_x^y grad fᵢ(x)‖ ≤ Lᵢ d(x, y)), f μ-strongly g-convex; iterates, references
    /// and x* in a region of diameter D; ζ = ζ(κ, D); L = max Lᵢ.
    /// Algorithm: R-LSVRG, g_k = grad fᵢ(x_k) − Γ_{w_k}^{x_k}(grad fᵢ(w_k) − grad f(w_k)),
    /// x_{k+1} = Exp_{x_k}(−ηg_k), w_{k+1} = x_k w.p. p; η = μ/(36ζL²), p = 1/n.
    /// Guarantee [derived, docs/derivations/riemannian-vr.md §6, Theorem 6.1; stands in for the paper's
    /// strongly g-convex R-LSVRG theorem]: with Ψ_k = d²(x_k, x*) + (16ζη²L²/p) d²(w_k, x*),
    ///   E Ψ_k ≤ (1 − min{ημ/2, p/2})^k Ψ₀.
    /// Proof (§6): the trigonometric inequality (§1.3, Lemma 1.4), unbiasedness and strong g-convexity,
    /// ‖g‖² ≤ 2L²d_x² + 8L²d_w², E d²(w⁺, x*) = p d_x² + (1−p)d_w²; the step makes both coefficients
    /// contract by 1 − min{ημ/2, p/2}. Flat instances: ζ = 1, Lᵢ = wᵢ; the curved SPD ball: ζ ≈ 2.2
    /// enters η and the rate; the curved sphere cap: ζ = 1 but μ = w̄·D cot D ≈ 0.642 < w̄ enters them
    /// (§5.6); a run leaving the ball or cap is "assumption violated" (§5.3).
    /// Control (§8.2): w refreshed without recomputing grad f(w): the estimator is biased and the
    /// iterates drift away from x*. (p = 0, a stale reference, is not caught on the ball within K: its
    /// residual (16ζη²L²/p)d²(w₀, x*) ≈ 2e-3 (from the constants) stays under the slowly decaying bound; skipping Γ has no
    /// power against this bound, §8.5.)
    public static let rlsvrgLyapunov = Claim(
        id: "riemannian-vr.rlsvrg-lyapunov", paper: paper,
        theorem: "derived (\(D) §6, Theorem 6.1), for the paper's strongly g-convex R-LSVRG theorem",
        statement: "R-LSVRG with η = μ/(36ζL²), p = 1/n on a μ-strongly g-convex finite sum with geodesically Lᵢ-smooth components: E[d²(x_k,x*) + (16ζη²L²/p) d²(w_k,x*)] ≤ (1 − min{ημ/2, p/2})^k Ψ₀.",
        needs: gConvexExact,
        assumptions: [stepAtMost("μ/(36ζL²)") { lsvrgStep($0) }, probabilityPositive()],
        method: { c in lsvrgSpec(c, step: lsvrgStep(c), p: lsvrgProbability(c), measure: .lyapunov(weight: lsvrgWeight(c))) },
        measured: "E Ψ_k, Ψ = d²(x_k, x*) + (16ζη²L²/p) d²(w_k, x*)",
        grid: .linear(points: 30), runs: RunPlan(oracle: 60),
        check: Check(.boundAtEveryCheckpoint(Bound(
            "(1 − min{ημ/2, p/2})^k Ψ₀, η = μ/(36ζL²), p = 1/n",
            .derived("\(D) §6 (Theorem 6.1): trigonometric inequality with ζ + unbiasedness + ‖g‖² ≤ 2L²d_x² + 8L²d_w²")
        ) { c, _, k in
            let psi0 = (1 + lsvrgWeight(c)) * pow(c.setting.problem.manifold.distance(c.instance.start, c.xStar), 2)
            return pow(lsvrgFactor(c), Double(k)) * psi0
        }), on: .mean),
        controls: .method("riemannian-vr.rlsvrg-lyapunov.reference-gradient-not-recomputed",
                "w ← x w.p. p but grad f(w) kept from the old reference (a biased estimator): the iterates settle away from x*") { c in
            lsvrgSpec(c, step: lsvrgStep(c), p: lsvrgProbability(c), measure: .lyapunov(weight: lsvrgWeight(c)), recompute: false)
        })

    /// Same problem, algorithm and derived theorem as `rlsvrgLyapunov`. Since d²(x_k, x*) ≤ Ψ_k,
    /// E d²(x_k, x*) ≤ ρ^k Ψ₀ with ρ = 1 − min{ημ/2, p/2} (§6, Corollary 6.2): the per-iteration
    /// contraction factor of the mean squared distance, fitted over the horizon, is at most ρ. The
    /// fit's interval is the OLS one and a bootstrap over runs; the check fails only when both put the
    /// factor above ρ. Instances: the flats and the curved sphere cap (§5.6; μ = w̄·D cot D enters η and
    /// ρ); not the SPD ball (`rateSeparable`).
    /// Control (§8.2): w refreshed without recomputing grad f(w) (biased): E d² grows or stalls, the
    /// fitted factor is ≥ 1 > ρ (on the cap the drift stays inside the cap over K, §5.6). (R-SGD with the same η, R-LSVRG without its variance-reduction term,
    /// is caught on the flats but not on the ball: at η ≈ 1.4e-3 its runs are still in the linear phase at
    /// K = 1500, above their noise floor (∝ η), so its fitted factor is below ρ.)
    public static let rlsvrgRate = Claim(
        id: "riemannian-vr.rlsvrg-linear-rate", paper: paper,
        theorem: "derived (\(D) §6, Corollary 6.2), for the paper's strongly g-convex R-LSVRG theorem",
        statement: "R-LSVRG with η = μ/(36ζL²), p = 1/n: E d²(x_k, x*) contracts linearly with factor ≤ 1 − min{ημ/2, p/2}.",
        needs: rateSeparable,
        assumptions: [stepAtMost("μ/(36ζL²)") { lsvrgStep($0) }, probabilityPositive()],
        method: { c in lsvrgSpec(c, step: lsvrgStep(c), p: lsvrgProbability(c), measure: .distanceSquared) },
        measured: "E d²(x_k, x*)",
        grid: .linear(points: 30), runs: RunPlan(oracle: 60),
        check: Check(.linearRateAtMost(factor: Bound(
            "1 − min{ημ/2, p/2}, η = μ/(36ζL²), p = 1/n",
            .derived("\(D) §6 (Corollary 6.2: E d² ≤ E Ψ_k ≤ ρ^k Ψ₀)")
        ) { c, _, _ in lsvrgFactor(c) }), on: .mean),
        controls: .method("riemannian-vr.rlsvrg-linear-rate.reference-gradient-not-recomputed",
                "w ← x w.p. p but grad f(w) kept from the old reference (biased): E d² stalls away from 0") { c in
            lsvrgSpec(c, step: lsvrgStep(c), p: lsvrgProbability(c), measure: .distanceSquared, recompute: false)
        })

    /// Problem: fᵢ geodesically Lᵢ-smooth, L² = (1/n)ΣLᵢ² (and L ≥ L_f), f satisfies the Riemannian
    /// PL inequality ‖grad f‖² ≥ 2μ(f − f*) on a region containing the iterates, steps inside the
    /// injectivity radius.
    /// Algorithm: R-PAGE with b = ⌈√n⌉ (uniform, with replacement), p = b/(n + b), g₀ = grad f(x₀),
    /// η = min{1/(L(1 + √(2(1−p)/(pb)))), p/(2μ)}.
    /// Guarantee [derived, §3, Theorem 3.3; stands in for the paper's R-PAGE PL theorem]:
    ///   E f(x_k) − f* ≤ E Φ_k ≤ (1 − μη)^k (f(x₀) − f*),  Φ = f − f* + (η/p)‖g − grad f‖².
    /// Proof (§3): the descent lemma, the transported-variance recursion (transport is an isometry),
    /// PL. No ζ enters the proof; on the curved SPD ball ζ enters through Lᵢ = wᵢζ(−½, ρ + R) (§5.2).
    /// Instances: the flats, and the curved certified regions (the SPD ball, κ ∈ [−½, 0]; the sphere cap,
    /// κ = +1), where every iterate is checked to stay in the region (§5.3).
    /// Control (§8.3): R-SGD with the claim's η (R-PAGE without its recursive estimator): f − f* stalls
    /// at a noise floor ∝ η (the component gradients at x* do not vanish, the weights being unequal)
    /// while the bound decays like (1 − μη)^k. It stays inside the certified regions, unlike the former
    /// step control (η = 3·Lmax/(μ·L_f), diverging): on a region a diverging control can only leave it,
    /// which is the verdict "assumption violated", not a detection (§8.5). Findings (§8.5): p = 0 (the
    /// full-gradient branch never fires) blows up in a few runs only, so the mean's interval is so
    /// wide that its detection sat 0.25–0.83 CI widths from a flip — a coin flip under the oracle's
    /// margin rule; a step 3× the cap converges faster than the claim's bound (worst ratio
    /// 0.012–0.019); skipping Γ changes nothing measurable (and cannot, §8.6).
    /// Control (§8.7), only on the Karcher means off ℝ^d (`Control.only`; on ℝ^d the chord is the
    /// logarithm): the component gradients with the chordal logarithm P_x(aᵢ − x) in place of Log_x aᵢ.
    /// The wrong method is a correct R-PAGE on another function, whose minimiser x̃ (the extrinsic
    /// mean, in closed form) is not x*: f − f* settles at f(x̃) − f* ≥ (μ/2)d²(x̃, x*) > 0 while the bound
    /// decays geometrically. Detected on the sphere cap (κ = +1), the SPD ball and the SPD flat.
    /// (Without power, §8.7–8.8: the chordal logarithm against the R-LSVRG and non-convex bounds on the
    /// curved instances, the first-order retraction in place of Exp, the step cap with ζ = 1.)
    public static let rpagePL = Claim(
        id: "riemannian-vr.rpage-pl", paper: paper,
        theorem: "derived (\(D) §3, Theorem 3.3), for the paper's R-PAGE PL theorem",
        statement: "R-PAGE with b = ⌈√n⌉, p = b/(n+b), η = min{1/(L(1+√(2(1−p)/(pb)))), p/(2μ)} under Riemannian PL: E f(x_k) − f* ≤ (1 − μη)^k (f(x₀) − f*).",
        needs: plExact,
        assumptions: [stepAtMost("min{1/(L(1+√(2(1−p)/(pb)))), p/(2μ)}") { pagePLStep($0) }, varianceReduced()],
        method: { c in pageSpec(c.base.setting, step: pagePLStep(c), measure: .suboptimality) },
        measured: "E f(x_k) − f*",
        // 1 − μη = 0.857 on the flat instances: the bound reaches 1e-10·Δ₀ at k = 150, below which
        // f − f* is not resolved in double precision (|f*| ≈ 1): the check stops there.
        // 150 runs: the R-SGD control sat 1.7–2.4 CI widths from a flip with 60 (its f − f* varies by
        // about half its mean from run to run); the widths grow like √runs.
        grid: .linearCapped(points: 30, cap: 150), runs: RunPlan(oracle: 150),
        check: Check(.boundAtEveryCheckpoint(Bound(
            "(1 − μη)^k (f(x₀) − f*), η = min{1/(L(1+√(2(1−p)/(pb)))), p/(2μ)}",
            .derived("\(D) §3 (Theorem 3.3): descent lemma + transported-variance recursion + PL; ζ only through Lᵢ")
        ) { c, _, k in pow(1 - c.muPL * pagePLStep(c), Double(k)) * c.base.initialGap }), on: .mean),
        controls: .method("riemannian-vr.rpage-pl.rsgd-noise-floor",
                         "R-SGD with the claim's η (no recursive estimator, violates the variance-reduced estimator): f − f* stalls at a noise floor") { c in
            sgdSpec(c.base.setting, step: pagePLStep(c), measure: .suboptimality)
        },
        chordalControl("riemannian-vr.rpage-pl", setting: { $0.base.setting }) { c, v in
            pageSpec(c.base.setting, step: pagePLStep(c), measure: .suboptimality, wrong: v)
        })

    /// Problem: fᵢ geodesically Lᵢ-smooth (no convexity), L² = (1/n)ΣLᵢ² ≥ L_f², f* > −∞, steps
    /// inside the injectivity radius.
    /// Algorithm: R-PAGE with b = ⌈√n⌉, p = b/(n + b), η = 1/(L(1 + √((1−p)/(pb)))), g₀ = grad f(x₀).
    /// Guarantee [derived, §3, Theorem 3.2; stands in for the paper's non-convex R-PAGE theorem]:
    ///   (1/T) Σ_{t<T} E‖grad f(x_t)‖² ≤ 2(f(x₀) − f*)/(ηT).
    /// Proof (§3): with Φ = f − f* + (η/(2p))σ, E Φ_{t+1} ≤ Φ_t − (η/2)E‖grad f(x_t)‖² when
    /// 1 − ηL − η²L²(1−p)/(pb) ≥ 0, which the step ensures; telescoping, Φ_T ≥ 0, Φ₀ = f(x₀) − f*.
    /// Measured: the running average of ‖grad f(x_t)‖² (exact full gradients, measurement only).
    /// Control (§8.3): R-SGD with the same constant η (R-PAGE without its recursive estimator): ‖grad f‖²
    /// stalls at the noise floor while the bound decays like 1/T. (Skipping Γ: no power, §8.5.)
    public static let rpageNonconvex = Claim(
        id: "riemannian-vr.rpage-nonconvex", paper: paper,
        theorem: "derived (\(D) §3, Theorem 3.2), for the paper's non-convex R-PAGE theorem",
        statement: "R-PAGE with b = ⌈√n⌉, p = b/(n+b), η = 1/(L(1+√((1−p)/(pb)))), L² = (1/n)ΣLᵢ²: (1/T)Σ_{t<T} E‖grad f(x_t)‖² ≤ 2(f(x₀) − f*)/(ηT).",
        needs: smoothExact,
        assumptions: [stepAtMost("1/(L(1+√((1−p)/(pb))))") { pageStep($0) }, varianceReduced()],
        method: { c in pageSpec(c.setting, step: pageStep(c), measure: .averageGradientNormSquared) },
        measured: "(1/T) Σ_{t<T} E‖grad f(x_t)‖²",
        // T ≤ 1000: the measured average needs a full gradient per step (on SPD the costliest
        // pairings of the family); the bound and its controls are decided well before.
        grid: Grid(.logarithmic, points: 25) { min($0.budget.iterations, 1000) }, runs: RunPlan(oracle: 60),
        check: Check(.boundAtEveryCheckpoint(Bound(
            "2(f(x₀) − f*)/(ηT), η = 1/(L(1+√((1−p)/(pb))))",
            .derived("\(D) §3 (Theorem 3.2): Lyapunov f − f* + (η/(2p))‖g − grad f‖², telescoped; ζ only through Lᵢ")
        ) { c, _, k in 2 * c.initialGap / (pageStep(c) * Double(k)) }), on: .mean),
        controls: .method("riemannian-vr.rpage-nonconvex.rsgd-noise-floor",
                         "R-SGD with the same constant η (no recursive estimator): ‖grad f‖² stalls at a noise floor") { c in
            sgdSpec(c.setting, step: pageStep(c), measure: .averageGradientNormSquared)
        })

    // MARK: R-PAGE oracle complexity in n

    /// The replication factors k of the complexity claim: n = k·N for the instance's N components.
    static let complexityCopies = [1, 4, 16, 64]
    /// The expected component-gradient calls of one R-PAGE step at size n: c(n) = p·n + (1 − p)·2b.
    static func pageCostPerStep(n: Int) -> Double {
        let p = pageProbability(n: n), b = Double(pageBatch(n: n))
        return p * Double(n) + (1 - p) * 2 * b
    }
    static func complexitySizes(_ c: SmoothInstance) -> [Int] { complexityCopies.map { $0 * c.n } }
    static let nonconvexNonflat = smoothExact.and("not g-convex and off a flat (a non-convex instance)") {
        !$0.setting.flat && $0.constants.mu == nil
    }
    /// The n-free iteration count T₀ of the complexity claim; ε = 4LΔ₀/T₀ (§7).
    static let complexityIterations = 500
    static func complexityLevel(_ c: SmoothInstance) -> Double {
        4 * c.Lavg * c.initialGap / Double(complexityIterations)
    }

    /// Problem: as for `rpageNonconvex` (fᵢ geodesically Lᵢ-smooth, L² = (1/n)ΣLᵢ², f* > −∞).
    /// Algorithm: R-PAGE with b = ⌈√n⌉, p = b/(n + b), η(n) = 1/(L(1 + √((1−p)/(pb)))) ≥ 1/(2L).
    /// Guarantee [derived, §7, Corollary 7.1; stands in for the paper's O(n + √n/ε²) gradient
    /// complexity]: at accuracy ε = 4LΔ₀/T₀ and the n-free T = ⌈4LΔ₀/ε⌉ = T₀, for every n,
    /// (i) (1/T)Σ_{t<T} E‖grad f(x_t)‖² ≤ 2Δ₀/(η(n)T) ≤ ε (Theorem 3.2 with η(n) ≥ 1/(2L), since b² ≥ n);
    /// (ii) the expected component-gradient calls per step are c(n) = pn + (1−p)2b = 3bn/(n+b) ≤ 3√n + 3;
    /// so the total is n + c(n)T = O(n + √n/ε) (ε here bounds the squared norm). This claim checks (i);
    /// `rpageCost` checks (ii), an exact expectation (a two-sided level, not a bound: its mean sits on
    /// c(n) by construction, so as a one-sided bound it would be a coin flip).
    /// Experiment: n varies at fixed f (the instance's N components replicated k ∈ {1, 4, 16, 64}
    /// times, `Replicated`: the same f, x*, f*, Lᵢ, L and start). Each run runs R-PAGE for T₀ = 500
    /// steps at each n; checkpoint j = 1…4 carries (1/T₀)Σ‖grad f‖²/ε at n = k_jN (an index, not an
    /// iteration; j = 0 is unused and not judged). No slope is fitted.
    /// Check: the mean ratio ≤ 1 at every n (Student-t 99 %; fails when the lower end is above 1).
    /// Control: R-SGD with the same η(n) (no variance reduction): ‖grad f‖² stalls at a noise floor.
    public static let rpageComplexity = Claim(
        id: "riemannian-vr.rpage-complexity", paper: paper,
        theorem: "derived (\(D) §7, Corollary 7.1), for the paper's R-PAGE gradient complexity O(n + √n/ε²)",
        statement: "R-PAGE with b = ⌈√n⌉, p = b/(n+b), η = 1/(L(1+√((1−p)/(pb)))): at the n-free T = 4LΔ₀/ε, for every n, (1/T)Σ_{t<T} E‖grad f(x_t)‖² ≤ ε (with the expected calls per step c(n) = Θ(√n) of `rpage-cost`, n + c(n)T calls reach ε).",
        needs: nonconvexNonflat,
        assumptions: [varianceReduced()],
        method: { c in complexitySpec(c, .accuracy, method: .page) },
        measured: "j = 1…4: E[(1/T)Σ_{t<T}‖grad f(x_t)‖²]/ε at n = k_jN",
        grid: Grid(.linear, points: complexityCopies.count) { _ in complexityCopies.count }, runs: RunPlan(oracle: 60),
        check: Check(.boundAtEveryCheckpoint(Bound(
            "1 (average ‖grad f‖² ≤ ε = 4LΔ₀/T at T = \(complexityIterations))",
            .derived("\(D) §7 (Corollary 7.1): Theorem 3.2 at η(n) ≥ 1/(2L)")
        ) { _, _, _ in 1 }), on: .mean),
        controls: .method("riemannian-vr.rpage-complexity.rsgd-noise-floor",
                         "R-SGD with the same η(n) (no variance reduction): ‖grad f‖² stalls at a noise floor above ε") { c in
            complexitySpec(c, .accuracy, method: .sgd)
        })

    /// Part (ii) of `rpageComplexity`: E[calls per step after g₀] = c(n) = pn + (1 − p)·2b exactly, at
    /// every n (a step is a full gradient, n calls, with probability p, else 2b). Checked as an exact
    /// level at every n (two-sided, confidence 1 − 10⁻⁴: `docs/reliability.md`), so an implementation
    /// that miscounts, draws the coin with the wrong probability or evaluates more components fails.
    /// Control: p = 1 (a full gradient every step, Riemannian GD): n calls per step, n/c(n) ≫ 1.
    public static let rpageCost = Claim(
        id: "riemannian-vr.rpage-cost", paper: paper,
        theorem: "derived (\(D) §7, Corollary 7.1 (ii)): the expected per-step cost of R-PAGE",
        statement: "R-PAGE with b = ⌈√n⌉, p = b/(n+b): the expected component-gradient calls per step after g₀ equal c(n) = pn + (1−p)2b = Θ(√n) at every n.",
        needs: nonconvexNonflat,
        assumptions: [varianceReduced()],
        method: { c in complexitySpec(c, .cost, method: .page) },
        measured: "j = 1…4: E[calls per step after g₀]/c(n) at n = k_jN",
        grid: Grid(.linear, points: complexityCopies.count) { _ in complexityCopies.count }, runs: RunPlan(oracle: 60),
        check: Check(.levelAtEveryCheckpoint(lo: costLevel, hi: costLevel), on: .mean),
        controls: .method("riemannian-vr.rpage-cost.full-gradient",
                         "p = 1: a full gradient every step (Riemannian GD, same η): each step costs n > c(n)") { c in
            complexitySpec(c, .cost, method: .fullGradient)
        })

    static let costLevel = Bound<SmoothInstance, Parameters>(
        "1 (calls per step = c(n) = pn + (1−p)2b in expectation)",
        .derived("\(D) §7 (Corollary 7.1 (ii)): the per-step cost of R-PAGE")) { _, _, _ in 1 }

    /// What a complexity run reports per n, and which method it runs.
    enum ComplexityQuantity { case accuracy, cost }
    enum ComplexityMethod { case page, fullGradient, sgd }

    static func complexitySpec(_ c: SmoothInstance, _ q: ComplexityQuantity, method: ComplexityMethod) -> MethodSpec<Parameters> {
        let sizes = complexitySizes(c).map(String.init).joined(separator: ", ")
        let name: String, p: Double
        switch method {
        case .page: name = "R-PAGE (b = ⌈√n⌉, p = b/(n+b), η = 1/(L(1+√((1−p)/(pb)))); T = \(complexityIterations); n = \(sizes))"; p = pageProbability(n: c.n)
        case .fullGradient: name = "R-GD (R-PAGE with p = 1; n = \(sizes))"; p = 1
        case .sgd: name = "R-SGD (η = η(n); T = \(complexityIterations); n = \(sizes))"; p = 0
        }
        return MethodSpec(name: name, parameters: Parameters(step: pageStep(c), p: p)) { inst, _, rng in
            runComplexity(c.setting.problem, c, inst, q, method, &rng)
        }
    }

    /// One run of a complexity experiment: for each replication factor k (n = kN), the method from the
    /// instance's start for T₀ steps. Values: [0, the quantity at each n].
    static func runComplexity<P: RiemannianFiniteSum>(_ base: P, _ c: SmoothInstance, _ inst: Instance,
                                                      _ q: ComplexityQuantity, _ method: ComplexityMethod,
                                                      _ rng: inout RandomStream) -> Trace {
        let eps = complexityLevel(c), T = complexityIterations
        var values = [0.0]
        var grad = inst.start
        var violation: String?
        for k in complexityCopies {
            let prob = Replicated(base, copies: k), n = prob.componentCount, step = pageStep(n: n, L: base.constants.Lavg)
            var sum = 0.0, calls = 0, finite = true
            func observe(_ x: [Double], _ t: Int) {
                if violation == nil, let v = base.regionViolation(x) { violation = "n = \(n), iterate \(t): \(v)" }
                base.gradient(x, into: &grad)
                sum += base.manifold.inner(x, grad, grad)
            }
            if method == .sgd {
                var m = RSGD(problem: prob, stepSize: step, start: inst.start)
                for t in 0..<T { if t > 0 { m.step(t - 1, rng: &rng) }; observe(m.x, t) }
                finite = m.isFinite; calls = m.gradientCalls
            } else {
                let p = method == .fullGradient ? 1 : pageProbability(n: n)
                var m = RPAGE(problem: prob, stepSize: step, probability: p, batch: pageBatch(n: n), start: inst.start)
                for t in 0..<T { if t > 0 { m.step(t - 1, rng: &rng) }; observe(m.x, t) }
                finite = m.isFinite; calls = m.gradientCalls - n   // after g₀
            }
            switch q {
            case .accuracy: values.append(finite ? sum / Double(T) / eps : .infinity)
            case .cost: values.append(Double(calls) / Double(T - 1) / pageCostPerStep(n: n))
            }
        }
        return Trace(values: values, regionViolation: violation)
    }

    /// R-MARINA (§4) with Rand-K, K = ⌈d/10⌉ (d the ambient dimension), p = K/d, ω = d/K − 1:
    /// γ = 1/(L_f + L√((1−p)ω/(pn))), L² = (1/n)ΣLᵢ², L_f the smoothness of f.
    static func marinaKept(_ c: SmoothInstance) -> Int { Int((Double(c.setting.problem.manifold.storageCount) / 10).rounded(.up)) }
    static func marinaProbability(_ c: SmoothInstance) -> Double { Double(marinaKept(c)) / Double(c.setting.problem.manifold.storageCount) }
    static func marinaStep(_ c: SmoothInstance) -> Double {
        let d = Double(c.setting.problem.manifold.storageCount), K = Double(marinaKept(c)), p = marinaProbability(c)
        let omega = d / K - 1, n = Double(c.n)
        return 1 / (c.constants.Lf + c.Lavg * ((1 - p) * omega / (p * n)).squareRoot())
    }
    /// `ambientMetric` without the sphere cap: there the bound is ≈ 85 % tight (tightness 0.847) and its
    /// 200-run interval sat 0.78–0.93 CI widths from it under 3 of 10 seed salts (`theorybench
    /// calibrate`), under the oracle's margin rule; the widths grow like √runs, and 4× the runs (≈ 50 s)
    /// is beyond the family's budget. R-MARINA runs on the curved sphere-PCA instance instead (§8.5).
    static let marinaInstances = ambientMetric.and("not the sphere cap (its bound is 85 % tight: too few CI widths at 200 runs)") {
        $0.setting.kind != "sphere-karcher"
    }
    static let ambientMetric = Requirement("Riemannian finite sum with exact L_f, Lavg, f*, on a manifold with the ambient Euclidean metric (ℝ^d, sphere)",
                                           understands: [.manifold]) { i in
        SmoothInstance(i).flatMap { !($0.setting.problem.manifold is SPD) && $0.constants.Lf.isFinite ? $0 : nil }
    }

    /// Problem: n workers, worker i holds fᵢ, geodesically Lᵢ-smooth, L² = (1/n)ΣLᵢ², f L_f-smooth,
    /// f* > −∞; a manifold embedded with the ambient metric (compression in ambient coordinates).
    /// Algorithm: R-MARINA with Rand-K (K = ⌈d/10⌉, ω = d/K − 1, projected to the tangent space),
    /// p = K/d, γ = 1/(L_f + L√((1−p)ω/(pn))), g₀ = grad f(x₀).
    /// Guarantee [derived, §4, Theorem 4.1; stands in for the paper's non-convex R-MARINA theorem]:
    ///   (1/T) Σ_{t<T} E‖grad f(x_t)‖² ≤ 2(f(x₀) − f*)/(γT).
    /// Proof (§4): as for R-PAGE with Φ = f − f* + (γ/(2p))σ, the descent lemma for f (constant L_f),
    /// and E σ⁺ ≤ (1−p)σ + (1−p)(ωL²/n)r (independent unbiased compressors, P∘Q has variance ≤ ω‖Δᵢ‖²).
    /// Control (§8.1): p = 0 (never a full-gradient round: compression errors accumulate). Rand-K
    /// without its d/K scale is caught on ℝ⁵ but not on the sphere (ratio 0.77), and the missing
    /// projection changes nothing measurable (§8.5); both are unit-tested instead. Instances: ℝ⁵ and the
    /// curved sphere-PCA; not the sphere cap (`marinaInstances`: too few CI widths there at 200 runs).
    public static let rmarinaNonconvex = Claim(
        id: "riemannian-vr.rmarina-nonconvex", paper: paper,
        theorem: "derived (\(D) §4, Theorem 4.1), for the paper's non-convex R-MARINA theorem",
        statement: "R-MARINA with Rand-K (ω = d/K − 1), p = K/d, γ = 1/(L_f + L√((1−p)ω/(pn))): (1/T)Σ_{t<T} E‖grad f(x_t)‖² ≤ 2(f(x₀) − f*)/(γT).",
        needs: marinaInstances,
        assumptions: [stepAtMost("1/(L_f + L√((1−p)ω/(pn)))") { marinaStep($0) }, probabilityPositive()],
        method: { c in marinaSpec(c.setting, step: marinaStep(c), p: marinaProbability(c), kept: marinaKept(c)) },
        measured: "(1/T) Σ_{t<T} E‖grad f(x_t)‖²",
        // 400 runs: with 60 the verdict on weighted-centers-d5 (tightness 0.887) sat 0.89 CI widths
        // from its bound, with 200 1.54 (salt 0) and 1.14 at least over 10 seed salts; the widths grow
        // like √runs.
        grid: .logarithmic(points: 25), runs: RunPlan(oracle: 400),
        check: Check(.boundAtEveryCheckpoint(Bound(
            "2(f(x₀) − f*)/(γT), γ = 1/(L_f + L√((1−p)ω/(pn)))",
            .derived("\(D) §4 (Theorem 4.1): Lyapunov f − f* + (γ/(2p))‖g − grad f‖² with compressed differences; ζ-free")
        ) { c, _, k in 2 * c.initialGap / (marinaStep(c) * Double(k)) }), on: .mean),
        controls: .method("riemannian-vr.rmarina-nonconvex.never-sync",
                         "p = 0: never a full-gradient round (violates p > 0); compression errors accumulate") { c in
            marinaSpec(c.setting, step: marinaStep(c), p: 0, kept: marinaKept(c))
        })

    // MARK: experiments

    static func lsvrgSpec(_ c: GConvexInstance, step: Double, p: Double, measure: Measure,
                          recompute: Bool = true) -> MethodSpec<Parameters> {
        let problem = c.setting.problem
        let variant = recompute ? "" : ", grad f(w) not recomputed"
        return MethodSpec(name: "R-LSVRG (η = \(step.formatted3), p = \(p.formatted3)\(variant))", parameters: Parameters(step: step, p: p)) { inst, cps, rng in
            runLSVRG(problem, inst.start, step, p, measure, recompute, cps, &rng)
        }
    }
    /// R-PAGE with step η and the §3 choices b = ⌈√n⌉, p = b/(n + b) for the setting's n components
    /// (on `wrong`, a variant with wrong gradients, for a control; measured on the true problem).
    static func pageSpec(_ s: RiemannianSetting, step: Double, measure: Measure, wrong: Variant? = nil) -> MethodSpec<Parameters> {
        let truth = s.problem, problem = wrong?.problem ?? truth, n = problem.componentCount
        let p = pageProbability(n: n), batch = pageBatch(n: n)
        return MethodSpec(name: "R-PAGE (η = \(step.formatted3), p = \(p.formatted3), b = \(batch)\(wrong.map { ", \($0.name)" } ?? ""))",
                          parameters: Parameters(step: step, p: p)) { inst, cps, rng in
            runPAGE(problem, truth, inst.start, step, p, batch, measure, cps, &rng)
        }
    }

    /// A problem with deliberately wrong component gradients standing in for the instance's (a
    /// control's method runs on it; the judge measures the instance's true problem).
    struct Variant: Sendable {
        let name: String
        let problem: any RiemannianFiniteSum
    }

    /// The instance's Karcher mean with the chordal logarithm P_x(aᵢ − x) in place of Log_x aᵢ in its
    /// gradients (`ChordalLogKarcher`, §8.7); nil where the chord is the logarithm (ℝ^d) or the
    /// problem is not a Karcher mean.
    static func chordalLogarithm(_ s: RiemannianSetting) -> Variant? {
        let name = "grad fᵢ = −wᵢP_x(aᵢ − x)"
        switch s.problem {
        case let k as KarcherMean: return Variant(name: name, problem: ChordalLogKarcher(k))
        case let k as SphereKarcher: return Variant(name: name, problem: ChordalLogKarcher(k))
        default: return nil
        }
    }
    static let chordalCondition = "Karcher means off ℝ^d (SPD, the sphere cap), where the chord P_x(a − x) is not Log_x a"

    /// The control "chordal logarithm" (§8.7) of claim `id`: `spec` runs the claim's method on the
    /// variant; restricted to the instances where the variant differs from the problem.
    static func chordalControl<C: Sendable>(_ id: String, setting: @escaping @Sendable (C) -> RiemannianSetting,
                                  _ spec: @escaping @Sendable (C, Variant) -> MethodSpec<Parameters>) -> Control<C, Parameters> {
        Control.method("\(id).chordal-logarithm",
                       "grad fᵢ(x) = −wᵢP_x(aᵢ − x): the chordal logarithm (first order) in place of Log_x aᵢ — a wrong gradient field whose zero is the extrinsic mean, not x*") { c in
            guard let v = chordalLogarithm(setting(c)) else { preconditionFailure("\(id).chordal-logarithm built where it does not apply") }
            return spec(c, v)
        }.only(chordalCondition) { chordalLogarithm(setting($0)) != nil }
    }
    static func sgdSpec(_ s: RiemannianSetting, step: Double, measure: Measure) -> MethodSpec<Parameters> {
        let problem = s.problem
        return MethodSpec(name: "R-SGD (η = \(step.formatted3))", parameters: Parameters(step: step, p: 0)) { inst, cps, rng in
            runSGD(problem, inst.start, step, measure, cps, &rng)
        }
    }

    static func marinaSpec(_ s: RiemannianSetting, step: Double, p: Double, kept: Int) -> MethodSpec<Parameters> {
        let problem = s.problem
        return MethodSpec(name: "R-MARINA (Rand-\(kept), γ = \(step.formatted3), p = \(p.formatted3))",
                          parameters: Parameters(step: step, p: p)) { inst, cps, rng in
            runMARINA(problem, inst.start, step, p, kept, cps, &rng)
        }
    }
    static func runMARINA<P: RiemannianFiniteSum>(_ p: P, _ x0: [Double], _ step: Double, _ prob: Double, _ kept: Int,
                                                  _ cps: Checkpoints, _ rng: inout RandomStream) -> Trace {
        var m = RMARINA(problem: p, stepSize: step, probability: prob, kept: kept, start: x0)
        return drive(&m, .averageGradientNormSquared, cps, &rng, truth: p) { $0.x }
    }

    static func runLSVRG<P: RiemannianFiniteSum>(_ p: P, _ x0: [Double], _ step: Double, _ prob: Double, _ measure: Measure,
                                                 _ recompute: Bool, _ cps: Checkpoints, _ rng: inout RandomStream) -> Trace {
        var m = RLSVRG(problem: p, stepSize: step, probability: prob, start: x0, recomputesReference: recompute)
        return drive(&m, measure, cps, &rng, truth: p) { $0.w }
    }
    /// R-PAGE on `p`, measured on `truth` (the same problem, or the true one a wrong variant `p`
    /// stands in for).
    static func runPAGE<P: RiemannianFiniteSum, T: RiemannianFiniteSum>(_ p: P, _ truth: T, _ x0: [Double], _ step: Double, _ prob: Double,
                                                                       _ batch: Int, _ measure: Measure, _ cps: Checkpoints,
                                                                       _ rng: inout RandomStream) -> Trace {
        var m = RPAGE(problem: p, stepSize: step, probability: prob, batch: batch, start: x0)
        return drive(&m, measure, cps, &rng, truth: truth) { $0.x }
    }
    static func runSGD<P: RiemannianFiniteSum>(_ p: P, _ x0: [Double], _ step: Double, _ measure: Measure,
                                               _ cps: Checkpoints, _ rng: inout RandomStream) -> Trace {
        var m = RSGD(problem: p, stepSize: step, start: x0)
        return drive(&m, measure, cps, &rng, truth: p) { $0.x }
    }

    /// Runs `m` to the last checkpoint and measures it there in the geometry of `truth` (the problem
    /// `m` runs on, or the true one a wrong variant stands in for; `reference`: the method's reference
    /// point, for the Lyapunov measure). Every iterate is checked against the problem's region
    /// (`regionViolation`): a run that leaves it is marked, and the judge's verdict is then
    /// "assumption violated" (docs/derivations/riemannian-vr.md §5.3).
    static func drive<M: RiemannianIterate, T: RiemannianFiniteSum>(_ m: inout M, _ measure: Measure, _ cps: Checkpoints,
                                                                    _ rng: inout RandomStream, truth: T,
                                                                    reference: @escaping (M) -> [Double]) -> Trace {
        let geometry = RiemannianGeometry(truth)
        var watched = Observed(m, Watch(geometry, storage: m.problem.manifold.storageCount, averages: measure.needsPathAverage))
        var trace = record(&watched, at: cps, rng: &rng) { w in
            w.observer.averages ? w.observer.average : measure.of(geometry, w.method.x, reference: reference(w.method))
        }
        trace.regionViolation = watched.observer.violation
        m = watched.method
        return trace
    }
}

/// Watches a Riemannian run: the region check on every iterate, and (when `averages`) the path
/// average (1/k)Σ_{j<k}‖grad f(x_j)‖² of exact gradient norms (measurement only).
struct Watch<M: RiemannianIterate, T: RiemannianFiniteSum>: RunObserver {
    typealias Method = M
    let geometry: RiemannianGeometry<T>
    let averages: Bool
    var scratch: [Double]
    var sum = 0.0, latest = 0.0, steps = 0
    var violation: String?

    init(_ geometry: RiemannianGeometry<T>, storage: Int, averages: Bool) {
        self.geometry = geometry; self.averages = averages; scratch = [Double](repeating: 0, count: storage)
    }

    mutating func observe(_ method: M, iterations k: Int) {
        if violation == nil, let v = method.problem.regionViolation(method.x) { violation = "iterate \(k): \(v)" }
        guard averages else { return }
        if k > 0 { sum += latest; steps = k }
        latest = geometry.gradientNormSquared(method.x, scratch: &scratch)
    }

    var average: Double { steps == 0 ? latest : sum / Double(steps) }
    var isFinite: Bool { sum.isFinite }
}
