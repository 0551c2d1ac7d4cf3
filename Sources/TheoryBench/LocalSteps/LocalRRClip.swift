import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// How each client orders its m components within a round.
public enum ClientSampling: String, Sendable, Equatable {
    /// Random reshuffling: a fresh uniform permutation every round (each component once).
    case reshuffle
    /// m indices drawn i.i.d. uniformly with replacement (a plausible slip: `index(below:)` in place
    /// of a permutation).
    case withReplacement
}

/// Where the server's step starts from.
public enum OuterStep: Sendable, Equatable {
    /// x_{t+1} = x_t − θ_t g_t: the round restarts from x_t (the variant of Theorem 3).
    case restart
    /// x_{t+1} = x_t − (γm + θ_t)g_t: the server step is subtracted from the clients' mean end-of-epoch
    /// point x_t − γm·g_t (the form of the paper's public code, which updates the iterate in place).
    /// Covered by Theorem 3′ while ρ_t = γm/θ_t ≤ `maxRatio` (docs/derivations/local-rr-clip.md §5).
    case jump(maxRatio: Double)
}

/// Local steps with random reshuffling and clipping at the server, on n clients of m components.
/// Round t from x_t, every client c: y_0 = x_t, y_{j+1} = y_j − γ∇f_{c,π_c(j)}(y_j) (j < m), and
/// g_t = (1/(nm))Σ_c Σ_j ∇f_{c,π_c(j)}(y_j); the server steps x_{t+1} = x_t − θ_t g_t,
/// θ_t = min(η, λ/G_t), G_t = ‖∇f(x_t)‖ (or θ_t = η without clipping). The restart-from-x_t form
/// (docs/derivations/local-rr-clip.md §2).
///
/// Every round is audited against the descent inequality of the claims (Theorem 3 with Lemma 2):
/// f(x_t) − f(x_{t+1}) ≥ ¼·min(η̄G_t², λ̄G_t) − ¾η̄γ²C_t², C_t = (e − 1)(m − 1)Γ_t(ℓ0 + ℓ1Γ_t),
/// Γ_t = max_i‖∇f_i(x_t)‖, with the claim's η̄, λ̄ (`credit`); the first round where Lemma 2's
/// hypotheses fail ((e − 1)γm(ℓ0 + ℓ1Γ_t) > ½ or γC_t > λ̄/η̄) is recorded in `regionViolation`.
/// In the jump form (`OuterStep.jump`) the step is θ_t + γm, the allowance is (1 + ρ_t)·¾η̄γ²C_t² with
/// ρ_t = γm/θ_t (Theorem 3′), and ρ_t > maxRatio is a region violation too.
public struct LocalRRClip: IterativeMethod {
    public let problem: ShiftedQuarticSum
    public let gamma: Double, eta: Double, level: Double
    public let clipping: Bool
    public let sampling: ClientSampling
    public let outer: OuterStep
    /// s clients per round (s = n: full participation). With s < n the clients are reshuffled and dealt
    /// s per round (each client once every ⌈n/s⌉ rounds), and the audit's error bound is H_t + γC_t with
    /// H_t = ‖∇f_{S_t}(x_t) − ∇f(x_t)‖, exact at the iterate (docs/derivations/local-rr-clip.md §6).
    public let participants: Int
    public let credit: DescentCredit
    public private(set) var x: [Double]
    var y: [Double], g: [Double], full: [Double], gi: [Double]
    var order: [Int], clientOrder: [Int], dealt: Int
    var fx: Double
    public private(set) var audit = OneStepAudit()
    public private(set) var regionViolation: String?
    var calls = 0.0

    public init(problem: ShiftedQuarticSum, gamma: Double, eta: Double, level: Double, clipping: Bool,
                sampling: ClientSampling, outer: OuterStep = .restart, participants: Int? = nil, credit: DescentCredit, start: [Double]) {
        self.problem = problem; self.gamma = gamma; self.eta = eta; self.level = level
        self.clipping = clipping; self.sampling = sampling; self.outer = outer; self.credit = credit
        self.participants = min(participants ?? problem.clients, problem.clients)
        clientOrder = Array(0..<problem.clients); dealt = problem.clients
        x = start; y = start; g = start; full = start; gi = start
        order = Array(0..<problem.perClient)
        fx = problem.value(start)
    }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        let p = problem, m = p.perClient, N = Double(p.componentCount)
        p.gradient(x, into: &full)
        let G = Vec.norm(full), Gamma = p.maxComponentGradientNorm(x)
        let partial = participants < p.clients
        if partial { dealClients(&rng) }
        let H = partial ? subsetGradientError() : 0
        let w = Double(p.clients) / Double(participants)
        for i in g.indices { g[i] = 0 }
        for slot in 0..<participants {
            let c = partial ? clientOrder[dealt - participants + slot] : slot
            drawOrder(&rng)
            for i in y.indices { y[i] = x[i] }
            for j in 0..<m {
                let idx = c * m + order[j]
                for i in gi.indices { gi[i] = 0 }
                p.addComponentGradient(idx, at: y, weight: 1, into: &gi)
                for i in gi.indices { g[i] += (partial ? w * gi[i] : gi[i]) / N; y[i] -= gamma * gi[i] }
            }
        }
        calls += 3 * N + (partial ? N : 0)
        let theta = clipping && G > 0 ? min(eta, level / G) : eta
        let rho = outer == .restart ? 0 : gamma * Double(m) / theta
        Vec.axpy(-theta * (1 + rho), g, &x)
        let f1 = p.value(x)
        let ell = p.component.L0 + p.component.L1 * Gamma
        let C = (exp(1) - 1) * Double(m - 1) * Gamma * ell
        let error2 = partial ? (H + gamma * C) * (H + gamma * C) : gamma * gamma * C * C
        audit.record(decrease: fx - f1, credit: credit.value(G), allowance: (1 + rho) * 0.75 * credit.eta * error2)
        if regionViolation == nil {
            let drift = (exp(1) - 1) * gamma * Double(m) * ell
            if drift > 0.5 { regionViolation = "round \(k): (e − 1)γm(ℓ0 + ℓ1Γ_t) = \(drift.formatted3) > ½" }
            else if H + gamma * C > credit.level / credit.eta { regionViolation = "round \(k): \(partial ? "H_t + " : "")γC_t = \((H + gamma * C).formatted3) > λ/η" }
            else if case .jump(let maxRatio) = outer, rho > maxRatio { regionViolation = "round \(k): ρ_t = γm/θ_t = \(rho.formatted3) > \(maxRatio.formatted3)" }
        }
        fx = f1
    }

    /// Deals the next s clients of a reshuffled order, reshuffling (Fisher–Yates) when fewer than s are left.
    mutating func dealClients(_ rng: inout RandomStream) {
        if dealt + participants > clientOrder.count {
            for j in stride(from: clientOrder.count - 1, to: 0, by: -1) { clientOrder.swapAt(j, rng.index(below: j + 1)) }
            dealt = 0
        }
        dealt += participants
    }

    /// H_t = ‖∇f_S(x_t) − ∇f(x_t)‖ for the clients just dealt (`full` holds ∇f(x_t)); uses `y` as scratch.
    mutating func subsetGradientError() -> Double {
        let p = problem, m = p.perClient
        for i in y.indices { y[i] = -full[i] }
        for slot in 0..<participants {
            let c = clientOrder[dealt - participants + slot]
            for j in 0..<m { p.addComponentGradient(c * m + j, at: x, weight: 1 / Double(participants * m), into: &y) }
        }
        return Vec.norm(y)
    }

    /// A fresh permutation of 0..<m (Fisher–Yates), or m i.i.d. indices.
    mutating func drawOrder(_ rng: inout RandomStream) {
        let m = order.count
        switch sampling {
        case .reshuffle:
            for j in 0..<m { order[j] = j }
            for j in stride(from: m - 1, to: 0, by: -1) { order.swapAt(j, rng.index(below: j + 1)) }
        case .withReplacement:
            for j in 0..<m { order[j] = rng.index(below: m) }
        }
    }

    public var isFinite: Bool { Vec.isFinite(x) && fx.isFinite }
    public var point: [Double] { x }
    public var oracleCalls: Double? { calls }
}
