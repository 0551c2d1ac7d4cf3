import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// First-order methods with Markovian noise and MLMC batching: Beznosikov, Samsonov, Sheshukova,
/// Gasnikov, Naumov, Moulines, "First Order Methods with Markovian Noise: from Acceleration to
/// Variational Inequalities" (NeurIPS 2023, arXiv 2305.15938). Only the paper's opening was readable,
/// so no constant of the paper is checked: every bound here is derived in
/// docs/derivations/markov-mlmc.md (§ numbers below) on an exactly solvable instance, a quadratic
/// with a state-dependent shift driven by a chain with exactly known mixing.
public enum MarkovMLMC {
    static let paper = Paper(key: "markov-mlmc", reference: "arXiv:2305.15938",
                             title: "First Order Methods with Markovian Noise: from Acceleration to Variational Inequalities")

    public static let family = PaperFamily(paper: paper, claims: [sgdExactLevel, targetAccuracy, tauScaling, mlmcMean, mlmcSGDExactLevel, acceleratedExactLevel],
                                           parts: [MarkovNoisePart.schema])

    static let understands: Set<PartKind> = [MarkovNoisePart.kind]

    /// The instance with its chain's sampling replaced (a negative control).
    static func resampled(_ mode: MarkovShiftOracle<Quadratic>.Sampling, _ suffix: String) -> @Sendable (Instance) -> Instance {
        { i in i.markovNoise.map { i.replacing($0.sampled(mode), id: suffix) } ?? i }
    }

    static let iidDescription = "i.i.d. states drawn from π at every step (same marginal law, no correlation): breaks the Markov dependence the statement is about"
    static let frozenDescription = "the chain never advanced (the state frozen at Z₀, the slip of an oracle copied by value at every step): the noise is no longer zero-mean along the run"

    // MARK: 1. the exact level

    /// Problem: f(x) = ½(x − x*)ᵀA(x − x*), μI ⪯ A ⪯ LI, observed through g_k = ∇f(x_k) + b_{Z_k} with Z a
    /// finite chain (any start law), Σ_s π_s b_s = 0.
    /// Algorithm: SGD with constant γ = 1/(20L) on consecutive samples Z_0, Z_1, ….
    /// Guarantee (exact): E‖x_k − x*‖² = Σ_s tr W_k(s), the closed moment recursion over (p_k, u_k, W_k)
    /// of docs/derivations/markov-mlmc.md §3 (derived; checked there against the stationary closed form).
    /// Checked two-sided at every checkpoint (equality confidence).
    ///
    /// Controls: i.i.d. states with the same marginal (E‖e_k‖² falls to the i.i.d. level: the factor
    /// (1 + λa)/(1 − λa) of §3 disappears), and the chain never advanced (e_k drifts to −A⁻¹b_{Z₀}) —
    /// the plausible implementation bug of this family: an oracle struct copied each step, whose unit
    /// tests on a single call all pass.
    public static let sgdExactLevel = Claim(
        id: "markov-mlmc.sgd-exact-level", paper: paper, theorem: "exact moment recursion (derived, docs/derivations/markov-mlmc.md §3)",
        statement: "SGD with γ = 1/(20L) on a quadratic with Markov state-dependent shift b_{Z_k}: E‖x_k − x*‖² equals Σ_s tr W_k(s) of the exact recursion over (P(Z_k = s), E[e_k 1{Z_k = s}], E[e_k e_kᵀ 1{Z_k = s}]).",
        needs: Requirement("a strongly convex quadratic with Markov noise (any chain, any start)", understands: understands) { MarkovQuadratic($0) },
        assumptions: [.stepAtMost(0.05, "1/(20L)")],
        method: { c in sgd(step: 0.05 / c.L) },
        measured: "E‖x_k − x*‖²",
        grid: .linearCapped(points: 20, cap: 400), runs: RunPlan(oracle: 2000),
        check: Check(.levelAtEveryCheckpoint(lo: exactLevel, hi: exactLevel), on: .mean),
        controls: .instance("markov-mlmc.sgd-exact-level.iid", iidDescription, resampled(.independent, "iid")),
        .instance("markov-mlmc.sgd-exact-level.frozen-chain", frozenDescription, resampled(.frozen, "frozen")))

    static let exactLevel = Bound<MarkovQuadratic, StepParameters>(
        "Σ_s tr W_k(s) (exact recursion)", .derived("docs/derivations/markov-mlmc.md §3")
    ) { c, m, k in
        var r = c.recursion(step: m.step)
        return r.meanSquaredErrors(at: [k])[0]
    }

    // MARK: 2. the bound with τ, and a τ-free step that fails it

    /// Problem: as above, reversible chain, Z₀ ~ π, σ² = E_π‖b_Z‖², t_* = (1 + λ_*)/(1 − λ_*) ≤ 1 + τ/ln 2.
    /// Algorithm: SGD with γ = min(1/L, εμ/(σ² t_*)) for the target ε = σ²/(50μ).
    /// Guarantee: E‖x_k − x*‖² ≤ (1 − γμ)^{2k}‖x₀ − x*‖² + γσ²t_*/(μ(2 − γμ)) for every k and 0 < γ ≤ 1/L
    /// [derived, docs/derivations/markov-mlmc.md §4: the linear-in-τ floor the paper's analysis states
    /// (order only in the reachable text)], hence ≤ (1 − γμ)^{2k}‖x₀ − x*‖² + ε at this γ.
    ///
    /// Control: the i.i.d. rule γ = min(1/L, εμ/σ²), which ignores τ, on these slowly mixing chains
    /// (t_* ≥ 20): the floor is ≈ t_*/2 times ε (§5c). And the frozen chain (floor ‖A⁻¹b_{Z₀}‖² ≫ ε).
    public static let targetAccuracy = Claim(
        id: "markov-mlmc.sgd-target-accuracy", paper: paper, theorem: "stationary-start SGD bound (derived, docs/derivations/markov-mlmc.md §4)",
        statement: "SGD with γ = min(1/L, εμ/(σ²t_*)) from Z₀ ~ π on a reversible chain: E‖x_k − x*‖² ≤ (1 − γμ)^{2k}‖x₀ − x*‖² + ε, from the bound (1 − γμ)^{2k}‖x₀ − x*‖² + γσ²t_*/(μ(2 − γμ)), t_* ≤ 1 + τ/ln 2.",
        needs: Requirement("a strongly convex quadratic with Markov noise, Z₀ ~ π", understands: understands) { MarkovQuadratic($0) }
            .and("a slowly mixing chain (t_* ≥ 20), where a τ-free step overshoots ε") { $0.noise.start == nil && $0.tStar >= 20 },
        assumptions: [.stepAtMost(1, "1/L"),
                      Assumption("γ ≤ εμ/(σ²t_*) (the step accounts for the mixing time)") { c, m in
                          let limit = m.target * c.mu / (c.sigma2 * c.tStar)
                          return m.step <= limit * (1 + 1e-12) ? nil : "γ = \(m.step.formatted3) > εμ/(σ²t_*) = \(limit.formatted3)"
                      }],
        method: { c in sgd(step: min(1 / c.L, target(c) * c.mu / (c.sigma2 * c.tStar)), target: target(c)) },
        measured: "E‖x_k − x*‖²",
        grid: .logarithmic(points: 30), runs: RunPlan(oracle: 400),
        check: Check(.boundAtEveryCheckpoint(Bound(
            "(1 − γμ)^{2k}‖x₀ − x*‖² + ε", .derived("docs/derivations/markov-mlmc.md §4")
        ) { c, m, k in pow(1 - m.step * c.mu, 2 * Double(k)) * c.instance.initialDistanceSquared + m.target }), on: .mean),
        controls: .method("markov-mlmc.sgd-target-accuracy.tau-free-step",
                          "γ = min(1/L, εμ/σ²), the i.i.d. rule: violates γ ≤ εμ/(σ²t_*) on a chain with t_* ≥ 20") { c in
            sgd(step: min(1 / c.L, target(c) * c.mu / c.sigma2), target: target(c))
        },
        .instance("markov-mlmc.sgd-target-accuracy.frozen-chain", frozenDescription, resampled(.frozen, "frozen")))

    /// ε = σ²/(50μ).
    static func target(_ c: MarkovQuadratic) -> Double { c.sigma2 / (50 * c.mu) }

    // MARK: 3. the τ-scaling

    /// Problem: as above, two-state chains with flip q ∈ {0.2, 0.1, 0.04, 0.02, 0.01} (τ = 3, 7, 17, 34, 69
    /// exactly, τ = ⌈ln 4/(−ln|1 − 2q|)⌉), Z₀ ~ π.
    /// Algorithm: SGD with γ = q_min/(10μ) on each chain; measured: the window mean of ‖x_k − x*‖² over
    /// [K/3, K) of each run.
    /// Guarantee: the floor grows linearly in τ [the paper's optimal linear dependence on the mixing time,
    /// order only; derived here: floor = γσ²/(μ(2 − γμ))·(1 + λa)/(1 − λa) ≈ γσ²τ/(2μ ln 2) when γμ ≪ q,
    /// docs/derivations/markov-mlmc.md §3–4]. Checked exactly: the endpoint slope of log(window mean) vs
    /// log τ must equal the exact slope of the expected window means (≈ 1), two-sided at equality confidence.
    ///
    /// Controls: i.i.d. states (no τ left: slope 0) and the frozen chain (floor σ²/μ² at every τ).
    public static let tauScaling = Claim(
        id: "markov-mlmc.tau-scaling", paper: paper, theorem: "linear dependence on the mixing time (order; exact slope derived, docs/derivations/markov-mlmc.md §4)",
        statement: "SGD with γ = q_min/(10μ) on two-state chains with τ = 3 … 69: the stationary error floor grows like τ; the fitted exponent of τ equals the exact one (≈ 1).",
        needs: Requirement("a strongly convex quadratic with two-state Markov noise, Z₀ ~ π", understands: understands) { TauSweep($0) },
        assumptions: [Assumption("q ≥ 10γμ at every flip probability (the linear-in-τ regime)") { c, m in
            TauSweep.flips.last! >= 10 * m.step * c.base.mu * (1 - 1e-12) ? nil : "γμ = \((m.step * c.base.mu).formatted3) > q_min/10"
        }],
        method: { c in sweep(c) },
        measured: "window mean of ‖x_k − x*‖² over [K/3, K)",
        grid: .logarithmic(points: 20), runs: RunPlan(oracle: 400),
        check: Check(.sizeScaling(SizeScaling(
            sizes: TauSweep.taus, scalars: TauSweep.scalars, exponent: exactSlope,
            quantity: "the window mean of ‖x_k − x*‖²", provenance: .derived("docs/derivations/markov-mlmc.md §4"),
            label: "τ", atLeast: exactSlope)), on: .mean),
        controls: .instance("markov-mlmc.tau-scaling.iid", iidDescription, resampled(.independent, "iid")),
        .instance("markov-mlmc.tau-scaling.frozen-chain", frozenDescription, resampled(.frozen, "frozen")))

    static let exactSlope = Exponent<TauSweep>("exact slope of E[window mean] (recursion)") { $0.exactSlope }

    // MARK: 4. the MLMC estimator's mean

    /// Problem: the Markov noise of the instance from a fixed state z (Z₀ = z), at x = x* (g = noise).
    /// Algorithm: the randomized MLMC estimator with base batch B = 2 and limit M = 64:
    /// J ~ Geometric(½), g = g⁰ + 2^J(g^J − g^{J−1}) if 2^J ≤ M else g⁰, g^j the mean of 2^jB consecutive samples.
    /// Guarantee: E[g | z] = E[g^m | z], m = ⌊log₂M⌋ (the levels telescope; derived, docs/derivations/markov-mlmc.md
    /// §2): the estimator costs B(m + 2^{−m}) samples on average yet has the bias of a batch of 2^mB.
    /// Checked: the mean of ⟨g, u⟩, u = b_z/‖b_z‖, equals ⟨E[g^m | z], u⟩ at every checkpoint (equality confidence).
    ///
    /// Controls: the level weight 2^J forgotten (g = g⁰ + (g^J − g^{J−1}): no telescoping, most of the
    /// batch-B bias stays, §5b — a slip seen in a public MLMC implementation), and the plain batch g⁰.
    public static let mlmcMean = Claim(
        id: "markov-mlmc.mlmc-mean", paper: paper, theorem: "MLMC telescoping (derived, docs/derivations/markov-mlmc.md §2)",
        statement: "The randomized MLMC estimator (B = 2, M = 64) from a fixed chain state z has mean E[g^m | z], the mean of a batch of 2^m·B consecutive samples, m = ⌊log₂M⌋.",
        needs: Requirement("a quadratic with Markov noise from a fixed start state", understands: understands) { FixedStart($0) },
        assumptions: [Assumption("the level weight is 2^J (telescoping)") { _, p in p.levelWeight == .telescoping ? nil : "level weight \(p.levelWeight)" }],
        method: { c in estimatorDraws(c, MLMCParameters(batch: 2, limit: 64, levelWeight: .telescoping)) },
        measured: "mean of ⟨g − ∇f(x*), b_z/‖b_z‖⟩ over draws",
        grid: Grid(.linear, points: 10) { _ in 200 }, runs: RunPlan(oracle: 400),
        check: Check(.levelAtEveryCheckpoint(lo: mlmcLevel, hi: mlmcLevel), on: .mean),
        controls: .method("markov-mlmc.mlmc-mean.no-level-weight", "g = g⁰ + (g^J − g^{J−1}) without the 2^J factor: the levels no longer telescope") { c in
            estimatorDraws(c, MLMCParameters(batch: 2, limit: 64, levelWeight: .unweighted))
        },
        .method("markov-mlmc.mlmc-mean.plain-batch", "the plain batch g⁰ of B samples (no MLMC levels)") { c in
            estimatorDraws(c, MLMCParameters(batch: 2, limit: 64, levelWeight: .none))
        })

    static let mlmcLevel = Bound<FixedStart, MLMCParameters>(
        "⟨E[g^m | z], u⟩ (telescoped)", .derived("docs/derivations/markov-mlmc.md §2")
    ) { c, p, _ in c.exactMean(batch: p.batch, limit: p.limit) { Double(1 << $0) } }

    // MARK: 5. SGD with MLMC batches: the exact level

    static let sgdBatch = 4, sgdLimit = 16

    /// A strongly convex quadratic with Markov noise whose chain starts in a fixed state.
    static let fixedStart = Requirement("a strongly convex quadratic with Markov noise from a fixed start state", understands: understands) {
        MarkovQuadratic($0)
    }.and("Z₀ fixed") { $0.noise.start != nil }

    /// Problem: as in claim 1, from a fixed chain state (where the MLMC estimator's bias reduction matters).
    /// Algorithm: SGD with γ = 1/(20L), each step one MLMC estimate (B = 4, M = 16; E[#samples] = B(m + 2^{−m})
    /// = 16.25 per step), the chain continuing across steps. (The paper's own step and batch rules were not
    /// reachable; these are fixed choices.)
    /// Guarantee (exact): E‖x_k − x*‖² follows the §3 recursion with the one-sample transition replaced by
    /// the MLMC step's segment kernel K, F, Γ (docs/derivations/markov-mlmc.md §6, derived). Checked two-sided at
    /// every checkpoint (equality confidence); the report also plots it against samples drawn.
    ///
    /// Controls: the level weight 2^J forgotten (a different — smaller — level: an SGD floor alone would
    /// not flag it as an error, the exact level does) and the frozen chain.
    public static let mlmcSGDExactLevel = Claim(
        id: "markov-mlmc.mlmc-sgd-exact-level", paper: paper, theorem: "exact moment recursion with MLMC segments (derived, docs/derivations/markov-mlmc.md §6)",
        statement: "SGD with γ = 1/(20L) and MLMC batches (B = 4, M = 16) on a quadratic with Markov shift from a fixed state: E‖x_k − x*‖² equals the exact recursion whose transition is the MLMC step's segment kernel (K, F, Γ).",
        needs: fixedStart, assumptions: [.stepAtMost(0.05, "1/(20L)")],
        method: { c in mlmcSGD(step: 0.05 / c.L, batch: sgdBatch, limit: sgdLimit) },
        measured: "E‖x_k − x*‖²",
        grid: .linearCapped(points: 20, cap: 200), runs: RunPlan(oracle: 2000),
        check: Check(.levelAtEveryCheckpoint(lo: mlmcSGDLevel, hi: mlmcSGDLevel), on: .mean),
        controls: .method("markov-mlmc.mlmc-sgd-exact-level.no-level-weight", "MLMC without the 2^J level weight: the levels no longer telescope") { c in
            mlmcSGD(step: 0.05 / c.L, batch: sgdBatch, limit: sgdLimit, levelWeight: .unweighted)
        },
        .instance("markov-mlmc.mlmc-sgd-exact-level.frozen-chain", frozenDescription, resampled(.frozen, "frozen")))

    static let mlmcSGDLevel = Bound<MarkovQuadratic, StepParameters>(
        "Σ_s tr W_k(s) (exact recursion, MLMC segment kernel)", .derived("docs/derivations/markov-mlmc.md §6")
    ) { c, m, k in
        let schedule = MLMCSchedule(batch: sgdBatch, limit: sgdLimit, levelWeight: .telescoping)
        var r = c.recursion(step: m.step, kernel: .mlmc(c.chain, shifts: c.noise.shifts, schedule: schedule))
        return r.meanSquaredErrors(at: [k])[0]
    }

    // MARK: 6. accelerated SGD with MLMC batches: the exact level

    /// β = (1 − √(γμ))/(1 + √(γμ)), Nesterov's momentum for step γ on a μ-strongly convex quadratic.
    static func momentum(_ c: MarkovQuadratic, _ step: Double) -> Double {
        let r = (step * c.mu).squareRoot()
        return (1 - r) / (1 + r)
    }

    /// Problem: as in claim 5 (a fixed chain state).
    /// Algorithm: Nesterov's accelerated SGD y_k = x_k + β(x_k − x_{k−1}), x_{k+1} = y_k − γ g(y_k) with γ = 1/(20L),
    /// β = (1 − √(γμ))/(1 + √(γμ)) and g one MLMC estimate (B = 4, M = 16) at y_k, the chain continuing across
    /// steps — the method the paper accelerates with MLMC batches (its step and batch rules were not reachable;
    /// these are fixed choices).
    /// Guarantee (exact): with ẽ_k = (e_k, e_{k−1}), ẽ_{k+1} = M ẽ_k − γ(η_k, 0) is linear with
    /// M = [[(1+β)G, −βG], [I, 0]], so E‖x_k − x*‖² follows the §6 recursion on ℝ^{2d} (derived,
    /// docs/derivations/markov-mlmc.md §7). Checked two-sided at every checkpoint (equality confidence).
    ///
    /// Controls: the level weight 2^J forgotten, and the frozen chain.
    public static let acceleratedExactLevel = Claim(
        id: "markov-mlmc.accelerated-mlmc-exact-level", paper: paper, theorem: "exact moment recursion, accelerated (derived, docs/derivations/markov-mlmc.md §7)",
        statement: "Nesterov's accelerated SGD (γ = 1/(20L), β = (1 − √(γμ))/(1 + √(γμ))) with MLMC batches (B = 4, M = 16) on a quadratic with Markov shift from a fixed state: E‖x_k − x*‖² equals the exact recursion of the linear iteration on (e_k, e_{k−1}) with the MLMC segment kernel.",
        needs: fixedStart, assumptions: [.stepAtMost(0.05, "1/(20L)")],
        method: { c in nesterovMLMC(step: 0.05 / c.L, momentum: momentum(c, 0.05 / c.L), batch: sgdBatch, limit: sgdLimit) },
        measured: "E‖x_k − x*‖²",
        grid: .linearCapped(points: 20, cap: 200), runs: RunPlan(oracle: 2000),
        check: Check(.levelAtEveryCheckpoint(lo: acceleratedLevel, hi: acceleratedLevel), on: .mean),
        controls: .method("markov-mlmc.accelerated-mlmc-exact-level.no-level-weight", "MLMC without the 2^J level weight: the levels no longer telescope") { c in
            nesterovMLMC(step: 0.05 / c.L, momentum: momentum(c, 0.05 / c.L), batch: sgdBatch, limit: sgdLimit, levelWeight: .unweighted)
        },
        .instance("markov-mlmc.accelerated-mlmc-exact-level.frozen-chain", frozenDescription, resampled(.frozen, "frozen")))

    static let acceleratedLevel = Bound<MarkovQuadratic, StepParameters>(
        "E‖e_k‖² of the exact recursion on (e_k, e_{k−1}) (MLMC segment kernel)", .derived("docs/derivations/markov-mlmc.md §7")
    ) { c, m, k in
        var r = nesterovRecursion(c, step: m.step, momentum: momentum(c, m.step),
                                  schedule: MLMCSchedule(batch: sgdBatch, limit: sgdLimit, levelWeight: .telescoping))
        return r.meanSquaredErrors(at: [k])[0]
    }
}
