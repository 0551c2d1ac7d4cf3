import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// Claims on local steps with random reshuffling and server-side clipping under (L0, L1)-smoothness,
/// for Demidovich, Ostroukhov, Malinovsky, Horváth, Takáč, Richtárik, Gorbunov, "Methods with Local
/// Steps and Random Reshuffling for Generally Smooth Non-Convex Federated Optimization"
/// (arXiv:2412.02781).
///
/// What is checked on what authority: the paper's theorem texts were out of reach (its abstract only),
/// so **no constant of the paper is checked**. The claim is the one-round descent inequality derived
/// here for the restart-from-x_t variant of clipped local RR (Theorem 3 with the RR drift Lemma 2 of
/// docs/derivations/local-rr-clip.md), every constant read from the instance (ℓ0, ℓ1 of the
/// components, L0, L1 of f) and every run-time hypothesis checked in every round.
public enum LocalSteps {
    public static let paper = Paper(
        key: "local-rr-clip", reference: "arXiv:2412.02781",
        title: "Demidovich et al., Methods with Local Steps and Random Reshuffling for Generally Smooth Non-Convex Federated Optimization")

    public static let family = PaperFamily(paper: paper, claims: [descent, jumpDescent, partialDescent], problemFamilies: [.l0l1ShiftedSum])

    /// A federated shifted-quartic sum with its exact constants: ℓ0, ℓ1 (components), L0, L1 (f),
    /// Δ0 = f(x₀) − f*, Γ₀ = max_i‖∇f_i(x₀)‖, λ_max(∇²f(x*)).
    public struct FederatedInstance: InstanceContext {
        public let instance: Instance
        public let problem: ShiftedQuarticSum
        public let L0: Double, L1: Double, l0: Double, l1: Double
        public let delta0: Double, gamma0: Double, curvatureAtOptimum: Double

        init?(_ i: Instance) {
            guard let p = i.problem as? ShiftedQuarticSum, p.perClient >= 2 else { return nil }
            instance = i; problem = p
            L0 = p.mean.L0; L1 = p.mean.L1; l0 = p.component.L0; l1 = p.component.L1
            delta0 = p.value(i.start) - p.fStar; gamma0 = p.maxComponentGradientNorm(i.start)
            curvatureAtOptimum = p.mean.quadratics.max()!
        }

        /// The inner-step limit at the start: Lemma 2's ½/((e − 1)m(ℓ0 + ℓ1Γ₀)), and γC₀ ≤ λ/η (Theorem 3's
        /// ‖e_t‖ ≤ λ/η through Lemma 2's bound), C₀ = (e − 1)(m − 1)Γ₀(ℓ0 + ℓ1Γ₀), with the claim's a, b.
        var innerStepLimit: Double {
            let m = Double(problem.perClient), ell = l0 + l1 * gamma0
            let drift = 0.5 / ((exp(1) - 1) * m * ell), c0 = (exp(1) - 1) * (m - 1) * gamma0 * ell
            return min(drift, ((b / L1) / (a / L0)) / c0)
        }
    }

    public struct Parameters: Sendable {
        public let a: Double, b: Double, gamma: Double, eta: Double, level: Double
        public let clipping: Bool
        public let sampling: ClientSampling
        public let outer: OuterStep
        public let participants: Int
    }

    /// a = b = 0.1: 8κ(0.2)(0.2) = 0.856 ≤ 1.
    static let a = 0.1, b = 0.1

    /// ρ̄: the largest ρ with 8κ(2b(1 + ρ))(1 + ρ)(a + b) ≤ 1 (bisection; the left side increases in ρ),
    /// the jump form's limit on ρ_t = γm/θ_t (Theorem 3′, docs/derivations/local-rr-clip.md §5).
    static let jumpRatioLimit: Double = {
        let ok = { (r: Double) in 8 * L0L1Smooth.kappa(2 * b * (1 + r)) * (1 + r) * (a + b) <= 1 }
        var lo = 0.0, hi = 1.0
        for _ in 0..<60 { let mid = 0.5 * (lo + hi); if ok(mid) { lo = mid } else { hi = mid } }
        return lo
    }()

    /// The outer step forms the claims are stated for.
    public enum Form: Sendable { case restart, jump }

    static func outer(_ form: Form) -> OuterStep { form == .restart ? .restart : .jump(maxRatio: jumpRatioLimit) }

    static func spec(_ c: FederatedInstance, _ form: Form, eta: Double? = nil, sampling: ClientSampling = .reshuffle,
                     participants: Int? = nil) -> MethodSpec<Parameters> {
        let s = participants ?? c.problem.clients
        let gamma = 0.5 * c.innerStepLimit, e = eta ?? a / c.L0, level = b / c.L1
        let credit = DescentCredit(factor: 0.25, eta: a / c.L0, level: level)
        let p = Parameters(a: a, b: b, gamma: gamma, eta: e, level: level, clipping: true, sampling: sampling, outer: outer(form), participants: s)
        let name = "local RR + server clipping\(form == .jump ? ", jump form" : "")\(s < c.problem.clients ? ", \(s) of \(c.problem.clients) clients per round (reshuffled)" : "") (\(c.problem.clients) clients × \(c.problem.perClient), γ = \(gamma.formatted3), θ = min(\(e.formatted3), \(level.formatted3)/G)\(sampling == .reshuffle ? "" : ", with-replacement sampling"))"
        return MethodSpec(name: name, parameters: p) { inst, cps, rng in
            var m = LocalRRClip(problem: c.problem, gamma: gamma, eta: e, level: level, clipping: true,
                                sampling: sampling, outer: outer(form), participants: s, credit: credit, start: inst.start)
            var trace = record(&m, at: cps, rng: &rng) { $0.audit.worst }
            trace.regionViolation = m.regionViolation
            return trace
        }
    }

    static let assumptions: [Assumption<FederatedInstance, Parameters>] = [
        Assumption("8κ(2b)(a + b) ≤ 1 and 2b ≤ 1, η = a/L0, λ = b/L1") { c, p in
            8 * L0L1Smooth.kappa(2 * p.b) * (p.a + p.b) <= 1 && 2 * p.b <= 1 && abs(p.eta - p.a / c.L0) <= 1e-12 * p.eta
                ? nil : "η = \(p.eta.formatted3) is not a/L0 = \((p.a / c.L0).formatted3) with the condition on a, b"
        },
        Assumption("random reshuffling within every client") { _, p in p.sampling == .reshuffle ? nil : "sampling \(p.sampling.rawValue)" },
        Assumption("γ ≤ min(½/((e − 1)m(ℓ0 + ℓ1Γ₀)), (λ/η)/C₀) (Lemma 2 and ‖e_t‖ ≤ λ/η at the start; checked in every round)") { c, p in
            p.gamma <= c.innerStepLimit ? nil : "γ = \(p.gamma.formatted3) > \(c.innerStepLimit.formatted3)"
        },
    ]

    /// Problem: f = (1/N)Σf_i with f (L0, L1)-smooth and every f_i (ℓ0, ℓ1)-smooth, N = n·m
    /// components on n clients. Algorithm: `LocalRRClip` — every client runs m local steps of size γ
    /// over a fresh permutation of its components from x_t; the server steps
    /// x_{t+1} = x_t − θ_t g_t, θ_t = min(η, λ/‖∇f(x_t)‖), η = a/L0, λ = b/L1, a = b = 0.1,
    /// γ = half of min(½/((e − 1)m(ℓ0 + ℓ1Γ₀)), (λ/η)/C₀) (both hypotheses at the start, Γ₀ = max_i‖∇f_i(x₀)‖).
    /// Guarantee (derived; stands in for the paper's theorems, whose constants were out of reach):
    /// while (e − 1)γm(ℓ0 + ℓ1Γ_t) ≤ ½ and γC_t ≤ λ/η, every round satisfies
    /// f(x_t) − f(x_{t+1}) ≥ ¼·min(ηG_t², λG_t) − ¾ηγ²C_t², C_t = (e − 1)(m − 1)Γ_t(ℓ0 + ℓ1Γ_t),
    /// Γ_t = max_i‖∇f_i(x_t)‖ [docs/derivations/local-rr-clip.md, Lemma 2 and Theorem 3]. Measured: the
    /// worst one-round slack max_t 1 + tanh(s_t) (≤ 1 iff every s_t ≤ 0); the hypotheses are checked in
    /// every round (a run that leaves them is "assumption violated", not a pass). On the mean over runs.
    ///
    /// Controls: (i) the server step η = 2.5/λ_max(∇²f(x*)), far above a/L0: unstable at x*, f rises in
    /// rounds near the optimum (§4.1); (ii) with-replacement sampling in place of reshuffling — a
    /// plausible slip (`index(below:)` for a permutation) that no unit test catches: a round's
    /// gradients no longer cover every component once, the error g_t − ∇f(x_t) keeps a γ-independent
    /// variance and the O(γ) drift bound of Lemma 2 fails (§4.2).
    public static let descent = descentClaim(.restart)

    /// Problem: as `descent`. Algorithm: the jump form of the paper's public code — the server step is
    /// subtracted from the clients' mean end-of-epoch point, x_{t+1} = x_t − (γm + θ_t)g_t, i.e. the
    /// restart step scaled by 1 + ρ_t, ρ_t = γm/θ_t. Guarantee (derived, Theorem 3′ of
    /// docs/derivations/local-rr-clip.md §5): while moreover ρ_t ≤ ρ̄ (8κ(2b(1 + ρ̄))(1 + ρ̄)(a + b) ≤ 1,
    /// ρ̄ ≈ 0.156 for a = b = 0.1), every round satisfies
    /// f(x_t) − f(x_{t+1}) ≥ ¼·min(ηG_t², λG_t) − (1 + ρ_t)·¾ηγ²C_t². Checked as `descent`; the same controls.
    public static let jumpDescent = descentClaim(.jump)

    static func descentClaim(_ form: Form) -> Claim {
        let jump = form == .jump
        return Claim(
        id: prefix(form), paper: paper,
        theorem: jump ? "Lemma 2 + Theorem 3′ (derived, jump form of the public code)" : "Lemma 2 + Theorem 3 (derived, restart variant)",
        statement: jump
            ? "Local RR with server clipping in the jump form x_{t+1} = x_t − (γm + θ_t)g_t (η = a/L0, λ = b/L1, a = b = 0.1, γ within Lemma 2's limit, ρ_t = γm/θ_t ≤ \(jumpRatioLimit.formatted3)): f(x_t) − f(x_{t+1}) ≥ ¼·min(ηG_t², λG_t) − (1 + ρ_t)·¾ηγ²C_t² in every round."
            : "Local RR with server clipping (η = a/L0, λ = b/L1, a = b = 0.1, γ within Lemma 2's limit): f(x_t) − f(x_{t+1}) ≥ ¼·min(ηG_t², λG_t) − ¾ηγ²C_t² in every round, C_t = (e − 1)(m − 1)Γ_t(ℓ0 + ℓ1Γ_t).",
        needs: Requirement("a federated sum of (ℓ0, ℓ1)-smooth components with (L0, L1)-smooth mean, m ≥ 2 per client") { FederatedInstance($0) },
        assumptions: jump ? assumptions + [jumpAssumption] : assumptions,
        method: { c in spec(c, form) },
        measured: jump
            ? "max_{t<k} 1 + tanh(s_t), s_t = (¼min(ηG_t², λG_t) − (1 + ρ_t)¾ηγ²C_t² − (f(x_t) − f(x_{t+1})))/(¼min(ηG_t², λG_t) + (1 + ρ_t)¾ηγ²C_t²)"
            : "max_{t<k} 1 + tanh(s_t), s_t = (¼min(ηG_t², λG_t) − ¾ηγ²C_t² − (f(x_t) − f(x_{t+1})))/(¼min(ηG_t², λG_t) + ¾ηγ²C_t²)",
        grid: .logarithmic(points: 30), runs: RunPlan(oracle: 20),
        check: Check(.boundAtEveryCheckpoint(Bound("1 (every round meets the descent inequality)",
                                                   .derived(jump ? "Lemma 2 + Theorem 3′, docs/derivations/local-rr-clip.md §2, §5" : "Lemma 2 + Theorem 3, docs/derivations/local-rr-clip.md §2–§3")) { _, _, _ in 1 }),
                     on: .mean),
        controls: .method("\(prefix(form)).unstable-server-step", "server step η = 2.5/λ_max(∇²f(x*)), outside 8κ(2b)(a + b) ≤ 1: unstable at x*") { c in
            spec(c, form, eta: 2.5 / c.curvatureAtOptimum)
        }, .method("\(prefix(form)).with-replacement", "with-replacement sampling in place of random reshuffling (implementation slip)") { c in
            spec(c, form, sampling: .withReplacement)
        })
    }

    static func prefix(_ form: Form) -> String { form == .jump ? "local-rr-clip.jump-descent" : "local-rr-clip.descent" }

    static let jumpAssumption = Assumption<FederatedInstance, Parameters>("ρ_t = γm/θ_t ≤ ρ̄ (Theorem 3′; checked in every round)") { c, p in
        var g = c.instance.start
        c.problem.gradient(c.instance.start, into: &g)
        let theta0 = min(p.eta, p.level / Vec.norm(g))
        let rho0 = p.gamma * Double(c.problem.perClient) / theta0
        return rho0 <= jumpRatioLimit ? nil : "ρ_0 = \(rho0.formatted3) > \(jumpRatioLimit.formatted3)"
    }

    /// D(x) = max_c ‖∇f_c(x) − ∇f(x)‖ over the clients (∇f_c the client's mean gradient): every subset S has
    /// ‖∇f_S(x) − ∇f(x)‖ ≤ D(x), since ∇f_S − ∇f is the mean of the chosen clients' deviations.
    static func clientDeviation(_ p: ShiftedQuarticSum, at x: [Double]) -> Double {
        var full = x, gc = x
        p.gradient(x, into: &full)
        var worst = 0.0
        for c in 0..<p.clients {
            for i in gc.indices { gc[i] = -full[i] }
            for j in 0..<p.perClient { p.addComponentGradient(c * p.perClient + j, at: x, weight: 1 / Double(p.perClient), into: &gc) }
            worst = max(worst, Vec.norm(gc))
        }
        return worst
    }

    /// Half the clients per round (n ≥ 2).
    static func halfParticipation(_ c: FederatedInstance) -> Int { max(1, c.problem.clients / 2) }

    /// Problem: as `descent`, n ≥ 2 clients. Algorithm: `LocalRRClip` with partial participation — the
    /// clients are reshuffled and dealt s = ⌊n/2⌋ per round; only they run their local epochs, and
    /// g_t = (1/(sm))Σ_{c∈S_t}Σ_j∇f_{c,π_c(j)}(y_j). Guarantee (derived, docs/derivations/local-rr-clip.md §6,
    /// Theorem 3 with ‖e_t‖ ≤ H_t + γC_t): while H_t + γC_t ≤ λ/η and Lemma 2's drift condition hold, every
    /// round satisfies f(x_t) − f(x_{t+1}) ≥ ¼·min(ηG_t², λG_t) − ¾η(H_t + γC_t)²,
    /// H_t = ‖∇f_{S_t}(x_t) − ∇f(x_t)‖ (exact at the iterate). Pairs where the client deviation
    /// D = max_c‖∇f_c − ∇f‖ meets D(x₀) + γC₀ ≤ λ/η and D(x*) ≤ λ/η; the hypothesis is re-checked every round.
    /// Controls: the unstable server step and with-replacement sampling within the clients, as `descent`.
    public static let partialDescent = Claim(
        id: "local-rr-clip.partial-descent", paper: paper, theorem: "Lemma 2 + Theorem 3 with partial participation (derived)",
        statement: "Local RR with server clipping, ⌊n/2⌋ reshuffled clients per round (η = a/L0, λ = b/L1, a = b = 0.1, γ within Lemma 2's limit): f(x_t) − f(x_{t+1}) ≥ ¼·min(ηG_t², λG_t) − ¾η(H_t + γC_t)² in every round with H_t + γC_t ≤ λ/η, H_t = ‖∇f_{S_t}(x_t) − ∇f(x_t)‖.",
        needs: Requirement("a federated sum of (ℓ0, ℓ1)-smooth components with (L0, L1)-smooth mean, m ≥ 2 per client, n ≥ 2 clients; client deviation D(x₀) + γC₀ ≤ λ/η and D(x*) ≤ λ/η") { i in
            FederatedInstance(i).flatMap { c in
                let p = c.problem, ratio = (b / c.L1) / (a / c.L0), gamma = 0.5 * c.innerStepLimit
                let ell = c.l0 + c.l1 * c.gamma0, c0 = (exp(1) - 1) * Double(p.perClient - 1) * c.gamma0 * ell
                guard p.clients >= 2, clientDeviation(p, at: i.start) + gamma * c0 <= ratio,
                      clientDeviation(p, at: [Double](repeating: 0, count: p.dimension)) <= ratio else { return nil }
                return c
            }
        },
        assumptions: assumptions + [Assumption("s < n clients per round, reshuffled (H_t + γC_t ≤ λ/η checked in every round)") { c, p in
            p.participants < c.problem.clients ? nil : "full participation"
        }],
        method: { c in spec(c, .restart, participants: halfParticipation(c)) },
        measured: "max_{t<k} 1 + tanh(s_t), s_t = (¼min(ηG_t², λG_t) − ¾η(H_t + γC_t)² − (f(x_t) − f(x_{t+1})))/(¼min(ηG_t², λG_t) + ¾η(H_t + γC_t)²)",
        grid: .logarithmic(points: 30), runs: RunPlan(oracle: 20),
        check: Check(.boundAtEveryCheckpoint(Bound("1 (every round meets the descent inequality)",
                                                   .derived("Lemma 2 + Theorem 3 with partial participation, docs/derivations/local-rr-clip.md §6")) { _, _, _ in 1 }),
                     on: .mean),
        controls: .method("local-rr-clip.partial-descent.unstable-server-step", "server step η = 2.5/λ_max(∇²f(x*)), outside 8κ(2b)(a + b) ≤ 1: unstable at x*") { c in
            spec(c, .restart, eta: 2.5 / c.curvatureAtOptimum, participants: halfParticipation(c))
        }, .method("local-rr-clip.partial-descent.with-replacement", "with-replacement sampling within the clients in place of random reshuffling (implementation slip)") { c in
            spec(c, .restart, sampling: .withReplacement, participants: halfParticipation(c))
        })
}
