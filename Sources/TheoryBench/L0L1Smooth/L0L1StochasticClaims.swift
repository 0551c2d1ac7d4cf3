import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// Stochastic clipped and normalized GD under (L0, L1)-smoothness with bounded additive noise:
/// g = ∇f(x) + ξ, ‖ξ‖ ≤ σ̄ almost surely, the step rule applied to the observed ‖g‖
/// (docs/derivations/l0l1-clipped-gd.md §7). Every bound is almost sure (pathwise), so the check on the
/// mean over runs is implied by the statement; the runs differ only by the noise draws.
extension L0L1Smooth {
    /// A point of an even polynomial's exact curve whose gradients carry additive noise of bounded
    /// norm ‖ξ‖ ≤ σ̄ (Rademacher: σ̄ = s√d per coordinate, s radial, exactly).
    public struct NoisyCurvePoint: InstanceContext {
        public let base: CurvePoint
        /// σ̄: ‖ξ‖ ≤ σ̄ almost surely.
        public let noiseBound: Double
        public var instance: Instance { base.instance }

        init?(_ i: Instance) {
            guard let b = CurvePoint(i), let s = i.noise?.normBound else { return nil }
            base = b; noiseBound = s
        }

        /// η = a/L0, λ = b/L1 with the stochastic claims' a, b.
        var eta: Double { stochasticA / base.L0 }
        var level: Double { stochasticB / base.L1 }
        /// The per-step allowance ¾ησ̄² (§7).
        var allowance: Double { 0.75 * eta * noiseBound * noiseBound }
    }

    /// a = 0.04, b = 0.1: 8κ(b)(a + 2b) = 8·0.5171·0.24 = 0.993 ≤ 1 (§7).
    static let stochasticA = 0.04, stochasticB = 0.1

    /// The stochastic descent factor: ⅛ (clipped), 1/16 (normalized), a quarter of the exact one (§7).
    static func stochasticFactor(_ v: Variant) -> Double { v.factor / 4 }

    /// Noisy instances whose start is far: the clipped-phase bound Δ0η/(φλ²) exceeds the horizon
    /// (where GD with the step η and no clipping diverges, §5.1).
    static func noisyFarStart(_ v: Variant) -> Requirement<NoisyCurvePoint> {
        Requirement("an (L0, L1)-smooth even polynomial at a point of its exact curve, with a quadratic part, and additive noise of bounded norm; a far start: Δ0η/(φλ²) exceeds the horizon K",
                    understands: [.noise]) { i in
            NoisyCurvePoint(i).flatMap { c in
                c.base.delta0 * c.eta / (stochasticFactor(v) * c.level * c.level) > Double(i.budget.iterations) ? c : nil
            }
        }
    }

    static func stochasticAssumptions(_ v: Variant) -> [Assumption<NoisyCurvePoint, Parameters>] {
        [Assumption("8κ(b)(a + 2b) ≤ 1 and b ≤ 1 (κ(b) = (e^b − 1 − b)/b²)") { _, p in
            8 * kappa(p.b) * (p.a + 2 * p.b) <= 1 && p.b <= 1 ? nil : "8κ(b)(a + 2b) = \((8 * kappa(p.b) * (p.a + 2 * p.b)).formatted3)"
        }, Assumption("the step rule is \(v.label) on the observed ‖g‖ with η = a/L0, λ = b/L1") { c, p in
            p.rule == v.rule(c.base, a: p.a, b: p.b) ? nil : "the rule is \(p.rule)"
        }, .onInstance("the noise is bounded: ‖ξ‖ ≤ σ̄ ≤ λ/η almost surely") { i, p in
            guard let n = i.noise, let s = n.normBound else { return "the noise (\(i.noise?.description ?? "none")) has unbounded support" }
            guard let f = i.problem as? EvenPolynomial else { return "not an even polynomial" }
            let ratio = (p.b / f.L1) / (p.a / f.L0)
            return s <= ratio ? nil : "σ̄ = \(s.formatted3) > λ/η = \(ratio.formatted3)"
        }]
    }

    static func stochasticMethod(_ c: NoisyCurvePoint, _ v: Variant, _ rule: L0L1Rule, _ what: Measured) -> MethodSpec<Parameters> {
        let credit = DescentCredit(factor: stochasticFactor(v), eta: c.eta, level: c.level)
        return spec(c.base.problem, rule, Parameters(rule: rule, a: stochasticA, b: stochasticB), credit: credit,
                    allowance: c.allowance, noisy: true, what)
    }

    static func stochasticRule(_ c: NoisyCurvePoint, _ v: Variant) -> L0L1Rule {
        v.rule(c.base, a: stochasticA, b: stochasticB)
    }

    static func stochasticId(_ v: Variant, _ suffix: String) -> String { far(v, "stochastic-\(suffix)") }

    /// Control: SGD with the constant step η = a/L0 (clipping removed) from the far start (§5.1, §7).
    static func noisyNoClipping(_ v: Variant, _ claim: String, _ what: Measured) -> Control<NoisyCurvePoint, Parameters> {
        .method(stochasticId(v, "\(claim).sgd-constant-step"), "SGD with the constant step η = a/L0 (no clipping) from the far start") { c in
            stochasticMethod(c, v, .constant(c.eta), what)
        }
    }

    /// Control: clipping by λ/‖g‖² in place of λ/‖g‖ (an implementation slip, §5.2).
    static func noisySquaredNormSlip(_ v: Variant, _ claim: String, _ what: Measured) -> Control<NoisyCurvePoint, Parameters> {
        .method(stochasticId(v, "\(claim).squared-norm-clip"), "clipping by λ/‖g‖² in place of λ/‖g‖ (implementation slip): steps far too short") { c in
            stochasticMethod(c, v, .clippedBySquaredNorm(eta: c.eta, level: c.level), what)
        }
    }

    /// Problem: f (L0, L1)-smooth, bounded below; oracle g = ∇f(x) + ξ with ‖ξ‖ ≤ σ̄ almost surely
    /// (bounded noise; here Rademacher, σ̄ exact) and σ̄ ≤ λ/η.
    /// Algorithm: stochastic clipped GD x⁺ = x − min(η, λ/‖g‖)·g (or normalized, h = 1/(c0 + c1‖g‖),
    /// c0 = L0/a, c1 = L1/b), η = a/L0, λ = b/L1, a = 0.04, b = 0.1 (8κ(b)(a + 2b) ≤ 1).
    /// Guarantee (derived, docs/derivations/l0l1-clipped-gd.md §7, Theorem 4): almost surely, every step
    /// satisfies f(x_k) − f(x_{k+1}) ≥ φ·min(ηG_k², λG_k) − ¾ησ̄², G_k = ‖∇f(x_k)‖, φ = ⅛ (clipped) or
    /// 1/16 (normalized). Measured: the worst one-step slack max_{i<k} 1 + tanh(s_i), ≤ 1 iff every step
    /// meets the inequality; on the mean over runs (each run's value is ≤ 1 almost surely).
    ///
    /// Controls, judged with the claim's credit and allowance: (i) SGD with η = a/L0 (no clipping) from
    /// the far start: diverges; (ii) clipping by λ/‖g‖²: steps too short for the credit; (iii) the same
    /// scale of noise with an unbounded law (symmetric Pareto, tail 1.5): a draw with ‖ξ‖ ≫ G turns a
    /// step of length λ away from the descent direction, and f rises by about λG, far above the allowance
    /// (§7.3); (iv) the step η = 2.5/λ_max(∇²f(x*)): unstable at x* (§5.3).
    static func stochasticDescent(_ v: Variant) -> Claim {
        let phi = stochasticFactor(v)
        return Claim(
            id: stochasticId(v, "descent"), paper: paper, theorem: "(L0, L1) descent lemma for stochastic \(v.label) with bounded noise (derived)",
            statement: "Stochastic \(v.label) (rule on the observed ‖g‖, g = ∇f + ξ, ‖ξ‖ ≤ σ̄ ≤ λ/η) with a = 0.04, b = 0.1 on an (L0, L1)-smooth f: almost surely f(x_k) − f(x_{k+1}) ≥ \(phi.formatted3)·min(ηG_k², λG_k) − ¾ησ̄² at every step, η = a/L0, λ = b/L1.",
            needs: noisyFarStart(v), assumptions: stochasticAssumptions(v),
            method: { c in stochasticMethod(c, v, stochasticRule(c, v), .oneStepSlack) },
            measured: "max_{i<k} 1 + tanh(s_i), s_i = (φ·min(ηG_i², λG_i) − ¾ησ̄² − (f(x_i) − f(x_{i+1})))/(φ·min(ηG_i², λG_i) + ¾ησ̄²)",
            grid: grid, runs: RunPlan(oracle: 20, full: 100),
            check: Check(.boundAtEveryCheckpoint(Bound("1 (every step meets the stochastic descent inequality)",
                                                       .derived("(L0, L1) descent lemma with bounded noise, docs/derivations/l0l1-clipped-gd.md §7")) { _, _, _ in 1 }),
                         on: .mean),
            controls: noisyNoClipping(v, "descent", .oneStepSlack), noisySquaredNormSlip(v, "descent", .oneStepSlack),
            .instance(stochasticId(v, "descent.unbounded-noise"), "the same noise scale with an unbounded law (symmetric Pareto, tail 1.5): ‖ξ‖ ≤ σ̄ fails") { i in
                let n = i.noise!
                return i.replacing(NoisePart(Noise(law: .symmetricPareto(tail: 1.5), scale: n.scale, geometry: n.geometry, dimension: n.dimension)),
                                   id: "pareto-1.5")
            },
            .method(stochasticId(v, "descent.unstable-step"), "stochastic \(v.label) with η = 2.5/λ_max(∇²f(x*)), outside 8κ(b)(a + 2b) ≤ 1: unstable at x*") { c in
                stochasticMethod(c, v, .clipped(eta: 2.5 / c.base.curvatureAtOptimum, level: c.level), .oneStepSlack)
            })
    }

    /// Problem, algorithm: as `stochasticDescent`.
    /// Guarantee (derived, §7 Corollary): summing Theorem 4, almost surely min_{i≤k} G_i ≤ ε(k), the
    /// smallest ε with k·φ·min(ηε², λε) ≥ Δ0 + ¾kησ̄²: with D = (Δ0/k + ¾ησ̄²)/φ, ε(k) = √(D/η) if
    /// D ≤ λ²/η, else D/λ. The noise floor is ε(∞) = √(¾σ̄²/φ) (√6·σ̄ for clipped GD).
    /// Checked at every checkpoint on the mean over runs.
    ///
    /// Controls: SGD with η = a/L0 (no clipping) from the far start: diverges; clipping by λ/‖g‖²: the
    /// steps crawl and min G stays above ε(k) (§5.2).
    static func stochasticComplexity(_ v: Variant) -> Claim {
        let phi = stochasticFactor(v)
        return Claim(
            id: stochasticId(v, "complexity"), paper: paper, theorem: "Zhang et al. 2019, stochastic clipped GD (bounded noise; constants derived)",
            statement: "Stochastic \(v.label) with a = 0.04, b = 0.1 and noise ‖ξ‖ ≤ σ̄ ≤ λ/η on an (L0, L1)-smooth f: almost surely min_{i≤k} ‖∇f(x_i)‖ ≤ ε(k), where k·\(phi.formatted3)·min(ηε², λε) = Δ0 + ¾kησ̄².",
            needs: noisyFarStart(v), assumptions: stochasticAssumptions(v),
            method: { c in stochasticMethod(c, v, stochasticRule(c, v), .minGradientNorm) },
            measured: "min_{i≤k} ‖∇f(x_i)‖", grid: grid, runs: RunPlan(oracle: 20, full: 100),
            check: Check(.boundAtEveryCheckpoint(Bound("ε(k): D = (Δ0/k + ¾ησ̄²)/φ, √(D/η) if D ≤ λ²/η, else D/λ",
                                                       .derived("stochastic descent lemma summed, docs/derivations/l0l1-clipped-gd.md §7")) { c, _, k in
                epsilon(afterSteps: k, delta0: c.base.delta0 + Double(max(k, 1)) * c.allowance, factor: phi, eta: c.eta, level: c.level)
            }), on: .mean),
            controls: noisyNoClipping(v, "complexity", .minGradientNorm), noisySquaredNormSlip(v, "complexity", .minGradientNorm))
    }
}
