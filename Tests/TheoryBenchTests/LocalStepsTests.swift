import Foundation
import Testing
import TheoryBench

/// The LocalSteps family: the shifted-quartic sum's exact mean polynomial (f − f* equals it, x* = 0),
/// the local RR round (γ = 0 gives exactly a clipped GD step on f; reshuffling visits every component
/// once), and the `l0l1-shifted-sum` file validation (one test per kind of bad input).
@Suite("LocalSteps")
struct LocalStepsTests {
    static let shifts: [Double] = [-1.5, -2, 1.5, 2, -0.5, 0.25, 0.5, -0.25]   // 4 components in d = 2, symmetric per coordinate

    static func problem() -> ShiftedQuarticSum {
        ShiftedQuarticSum(coefficients: [0.25, 1], quadratics: [1, 0.5], shifts: shifts, clients: 2, perClient: 2,
                          l1: 1.5, componentL1: 1.5)
    }

    @Test("f − f* is the even polynomial `mean` (same value and gradient), so x* = 0")
    func meanPolynomial() {
        let p = Self.problem()
        var rng = RandomStream(seed: 3)
        for _ in 0..<200 {
            let x = [4 * rng.uniform() - 2, 4 * rng.uniform() - 2]
            #expect(abs(p.value(x) - p.fStar - p.mean.value(x)) <= 1e-12 * (1 + p.value(x)))
            let g = p.gradient(x), h = p.mean.gradient(x)
            #expect(abs(g[0] - h[0]) + abs(g[1] - h[1]) <= 1e-12 * (1 + Vec.norm(g)))
        }
        #expect(Vec.norm(p.gradient([0, 0])) <= 1e-15)
        // component curve: a shift of 0.25y⁴ + y²/2 (coordinate 1) and y⁴ + y²/4 (coordinate 2)
        #expect(p.component.L0 == p.component.l0(at: 1.5))
    }

    static func method(_ p: ShiftedQuarticSum, gamma: Double, sampling: ClientSampling) -> LocalRRClip {
        LocalRRClip(problem: p, gamma: gamma, eta: 0.01, level: 0.05, clipping: true, sampling: sampling,
                    credit: DescentCredit(factor: 0.25, eta: 0.01, level: 0.05), start: [3, -2])
    }

    @Test("with γ = 0 a reshuffled round is one clipped GD step on f; with replacement it is not")
    func zeroInnerStep() {
        let p = Self.problem()
        var rng = RandomStream(seed: 9)
        var m = Self.method(p, gamma: 0, sampling: .reshuffle)
        let g = p.gradient([3, -2]), G = Vec.norm(g), theta = min(0.01, 0.05 / G)
        m.step(0, rng: &rng)
        #expect(abs(m.x[0] - (3 - theta * g[0])) <= 1e-13 && abs(m.x[1] - (-2 - theta * g[1])) <= 1e-13)
        var differs = false
        for k in 0..<20 {
            var w = Self.method(p, gamma: 0, sampling: .withReplacement)
            w.step(k, rng: &rng)
            differs = differs || abs(w.x[0] - m.x[0]) > 1e-9
        }
        #expect(differs)
    }

    @Test("local steps move the clients (γ > 0 changes the round) and the run is deterministic per stream")
    func determinism() {
        let p = Self.problem()
        var r1 = RandomStream(seed: 4), r2 = RandomStream(seed: 4), r3 = RandomStream(seed: 4)
        var a = Self.method(p, gamma: 1e-3, sampling: .reshuffle), b = Self.method(p, gamma: 1e-3, sampling: .reshuffle)
        var c = Self.method(p, gamma: 0, sampling: .reshuffle)
        for k in 0..<50 { a.step(k, rng: &r1); b.step(k, rng: &r2); c.step(k, rng: &r3) }
        #expect(a.x == b.x && a.x != c.x)
        #expect(a.audit.worst <= 1)
    }

    /// The jump form x_{t+1} = x_t − (γm + θ_t)g_t moves from x_t along the same g_t (same stream, same
    /// permutations) by (1 + γm/θ_t) times the restart step; ρ_t above its limit is a region violation.
    @Test("the jump form is the restart step scaled by 1 + γm/θ_t")
    func jumpForm() {
        let p = Self.problem(), gamma = 1e-5, start = [3.0, -2]
        let credit = DescentCredit(factor: 0.25, eta: 0.01, level: 0.05)
        var r1 = RandomStream(seed: 6), r2 = RandomStream(seed: 6)
        var restart = Self.method(p, gamma: gamma, sampling: .reshuffle)   // γC₀ ≈ 1.8 < λ/η = 5
        var jump = LocalRRClip(problem: p, gamma: gamma, eta: 0.01, level: 0.05, clipping: true, sampling: .reshuffle,
                               outer: .jump(maxRatio: 1), credit: credit, start: start)
        restart.step(0, rng: &r1); jump.step(0, rng: &r2)
        let theta = min(0.01, 0.05 / Vec.norm(p.gradient(start))), scale = 1 + gamma * 2 / theta
        for i in 0..<2 { #expect(abs((jump.x[i] - start[i]) - scale * (restart.x[i] - start[i])) <= 1e-12) }
        #expect(jump.regionViolation == nil)
        var tight = LocalRRClip(problem: p, gamma: gamma, eta: 0.01, level: 0.05, clipping: true, sampling: .reshuffle,
                                outer: .jump(maxRatio: 1e-6), credit: credit, start: start)
        tight.step(0, rng: &r1)
        #expect(tight.regionViolation?.contains("ρ_t") == true)
    }

    /// With γ = 0 and one of two clients per round, a round is a clipped step along the dealt client's
    /// mean gradient ∇f_c(x_t) (θ_t read from the full ∇f); the reshuffled deal gives each client once in
    /// every two rounds.
    @Test("partial participation: γ = 0 steps along one dealt client's gradient, each client once per two rounds")
    func partialParticipation() {
        let p = Self.problem(), start = [3.0, -2]
        var rng = RandomStream(seed: 8)
        var m = LocalRRClip(problem: p, gamma: 0, eta: 0.01, level: 0.05, clipping: true, sampling: .reshuffle,
                            participants: 1, credit: DescentCredit(factor: 0.25, eta: 0.01, level: 0.05), start: start)
        let client = { (c: Int, x: [Double]) -> [Double] in
            var g = [0.0, 0]
            for j in 0..<2 { p.addComponentGradient(c * 2 + j, at: x, weight: 0.5, into: &g) }
            return g
        }
        for _ in 0..<3 {
            var seen: Set<Int> = []
            for k in 0..<2 {
                let x = m.x, theta = min(0.01, 0.05 / Vec.norm(p.gradient(x)))
                m.step(k, rng: &rng)
                let hit = (0..<2).filter { c in
                    let g = client(c, x)
                    return (0..<2).allSatisfy { abs(m.x[$0] - (x[$0] - theta * g[$0])) <= 1e-13 }
                }
                #expect(hit.count == 1)
                seen.formUnion(hit)
            }
            #expect(seen == [0, 1])
        }
    }

    static func yaml(_ body: String) -> String {
        "family: l0l1-shifted-sum\ncoefficients: [0.25]\nquadratic: 1\n\(body)\nstart: [2]\nbudget: { iterations: 10, runs: 1 }"
    }
    static let good = "clients: 2\ncomponents: 2\nshifts: [-1, -0.5, 0.5, 1]\nl1: 1.5\ncomponent-l1: 1.5"

    @Test("a good file parses and pairs only with the local-steps claims")
    func goodFile() throws {
        let inst = try InstanceFile.parse(Self.yaml(Self.good), file: "/tmp/p/fed.yaml")
        #expect(inst.reportedConstants["n"] == 2 && inst.reportedConstants["m"] == 2)
        // partial participation needs mild heterogeneity (client deviation within λ/η at x₀ and x*): not here
        for c in registry.claims {
            #expect(c.pairs(with: inst) == (c.id.hasPrefix("local-rr-clip.") && c.id != LocalSteps.partialDescent.id), "\(c.id)")
        }
    }

    static let bad: [(String, String, String)] = [
        (good.replacingOccurrences(of: "clients: 2\n", with: ""), "clients", "missing"),
        (good.replacingOccurrences(of: "components: 2\n", with: ""), "components", "missing"),
        (good.replacingOccurrences(of: "[-1, -0.5, 0.5, 1]", with: "[-1, 0.5, 1]"), "shifts", "has 3 entries"),
        (good.replacingOccurrences(of: "[-1, -0.5, 0.5, 1]", with: "[-1, -0.5, 0.5, 2]"), "shifts", "not symmetric"),
        (good.replacingOccurrences(of: "[-1, -0.5, 0.5, 1]", with: "[-1, -1, 0.5, 1.5]"), "shifts", "not symmetric"),
        (good.replacingOccurrences(of: "\ncomponent-l1: 1.5", with: ""), "component-l1", "missing"),
        (good.replacingOccurrences(of: "l1: 1.5\n", with: "l1: -1\n"), "l1", "positive"),
        (good + "\nshape: radial", "shape", "unknown key"),
    ]

    @Test("bad files give one file: key: reason error", arguments: bad.indices)
    func badFile(_ j: Int) {
        let (body, key, words) = Self.bad[j]
        L0L1SmoothTests.expectError(Self.yaml(body), key: key, words: words, file: "/tmp/p/fed.yaml")
    }
}
