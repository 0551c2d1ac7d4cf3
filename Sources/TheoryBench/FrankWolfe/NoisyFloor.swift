import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// f(x) = ⟨c, x⟩: a linear cost (L = 0), for the exact stochastic-FW floor of
/// docs/derivations/frank-wolfe.md §3.4 on the simplex Δ₂ (f* = min_j c_j there; the objective's
/// constants carry no x* or f*, which depend on the set).
public struct LinearCost: Objective {
    public let cost: [Double]
    public let constants: ProblemConstants
    public init(cost: [Double]) {
        self.cost = cost
        constants = ProblemConstants(L: 0, convex: true, optimumSource: "on its constraint set")
    }
    public var dimension: Int { cost.count }
    public func value(_ x: [Double]) -> Double { Vec.dot(cost, x) }
    public func gradient(_ x: [Double], into g: inout [Double]) { for i in cost.indices { g[i] = cost[i] } }
    public func reportedConstants(start: [Double]) -> [String: Double] { ["L": 0] }
}

extension ProblemFamily {
    public static let linearCost = ProblemFamily(
        name: "linear-cost",
        documentation: """
        f(x) = ⟨c, x⟩ (Frank-Wolfe family; L = 0): `cost: […]` (d ≥ 1 entries). Meant with a \
        `constraint` and additive `noise` (the exact stochastic-FW floor on the simplex Δ₂).
        """,
        space: FrankWolfe.linearCostSpace
    ) { f, dir, _ in
        guard let c = try f.vector("cost", relativeTo: dir) else { throw f.error("cost", "missing (required)") }
        guard !c.isEmpty else { throw f.error("cost", "must have at least one entry") }
        return ProblemReading(LinearCost(cost: c))
    }
}

/// Frank-Wolfe with γ_k = 2/(k+2) on the instance's stochastic oracle: v_k is the mean of `batch`
/// oracle samples at x_k, s_k = LMO(v_k).
public struct NoisyFrankWolfe<O: GradientOracle>: IterativeMethod {
    public var oracle: O
    public let set: any ConstraintSet
    public let batch: Int
    public var x: [Double]
    var v: [Double], g: [Double], s: [Double]

    public init(oracle: O, set: any ConstraintSet, batch: Int, start: [Double]) {
        self.oracle = oracle; self.set = set; self.batch = batch
        x = start; v = start; g = start; s = start
    }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        for i in v.indices { v[i] = 0 }
        for _ in 0..<batch {
            oracle.sample(at: x, into: &g, rng: &rng)
            Vec.axpy(1 / Double(batch), g, &v)
        }
        set.lmo(v, into: &s)
        let gamma = 2 / Double(k + 2)
        for i in x.indices { x[i] += gamma * (s[i] - x[i]) }
    }

    public var isFinite: Bool { Vec.isFinite(x) }
    public var point: [Double] { x }
}

extension FrankWolfe {
    /// A linear cost c on the simplex Δ₂ with c₂ − c₁ = δ ≠ 0 and per-coordinate Gaussian noise of
    /// scale s: the exact floor qδ, q = Φ̄(|δ|/(s√2)).
    public struct NoisyLinearSimplex: InstanceContext {
        public let instance: Instance
        public let delta: Double, scale: Double, fStar: Double
        /// q = P(the LMO of one noisy gradient picks the wrong vertex) = Φ̄(|δ|/(s√2)) = erfc(|δ|/(2s))/2.
        public var wrongVertexProbability: Double { erfc(abs(delta) / (2 * scale)) / 2 }

        public init?(_ i: Instance) {
            guard let set = i.constraintSet, set is Simplex, set.dimension == 2, set.contains(i.start, tolerance: 1e-12),
                  let p = i.problem as? LinearCost, let n = i.noise, n.law == .gaussian, n.geometry == .perCoordinate,
                  n.scale > 0, p.cost[0] != p.cost[1] else { return nil }
            instance = i; delta = p.cost[1] - p.cost[0]; scale = n.scale; fStar = p.cost.min()!
        }
    }

    public struct FloorParameters: Sendable { public let batch: Int; public let exact: Bool }

    static func noisyFW(_ c: NoisyLinearSimplex, batch: Int, exact: Bool = false) -> MethodSpec<FloorParameters> {
        MethodSpec(name: exact ? "Frank-Wolfe, exact gradients" : "stochastic FW, \(batch) oracle sample\(batch == 1 ? "" : "s") per step, γ_k = 2/(k+2)",
                   parameters: FloorParameters(batch: batch, exact: exact)) { inst, cps, rng in
            let set = inst.constraintSet!
            let oracle = exact ? inst.exactOracle() : inst.makeOracle()
            return run(oracle, set, batch, inst, c, cps, &rng)
        }
    }

    static func run<O: GradientOracle>(_ o: O, _ set: any ConstraintSet, _ batch: Int, _ inst: Instance, _ c: NoisyLinearSimplex,
                                       _ cps: Checkpoints, _ rng: inout RandomStream) -> Trace {
        var m = NoisyFrankWolfe(oracle: o, set: set, batch: batch, start: inst.start)
        return record(&m, at: cps, rng: &rng) { o.problem.value($0.x) - c.fStar }
    }

    /// Problem: f(x) = ⟨c, x⟩ on the simplex Δ₂, c₂ − c₁ = δ; oracle v = c + ξ, ξ per-coordinate
    /// N(0, s²) i.i.d. across steps (a fixed small batch folded into s).
    /// Algorithm: stochastic FW, one oracle sample per step, γ_k = 2/(k+2) (γ₀ = 1).
    /// Guarantee (derived, exact): E f(x_k) − f* = qδ for every k ≥ 1, q = Φ̄(|δ|/(s√2)): x_k is a convex
    /// combination of the sampled vertices s₀ … s_{k−1} with weights summing to 1, each the wrong vertex
    /// with probability q independently of x (docs/derivations/frank-wolfe.md §3.4). A floor, not a slow
    /// rate: the reason a fixed batch cannot converge, which SARAH-FW removes (`sarahCertificate`).
    /// Checked as an exact level at K (confidence 1 − 10⁻⁴).
    ///
    /// Controls: 4 samples per step (noise s/2: q drops from Φ̄(δ/(s√2)) to Φ̄(2δ/(s√2))), and exact
    /// gradients (h_k = 0 for k ≥ 1).
    public static let stochasticFloor = Claim(
        id: "frank-wolfe.stochastic-fw-floor", paper: paper, theorem: "stochastic-FW error floor (derived, exact)",
        statement: "Stochastic FW with γ_k = 2/(k+2) and one noisy gradient c + ξ (ξ ~ N(0, s²I)) per step on f = ⟨c, x⟩ over Δ₂ has E f(x_k) − f* = qδ for every k ≥ 1, q = Φ̄(|c₂ − c₁|/(s√2)): it does not converge.",
        needs: Requirement("a linear cost on the simplex Δ₂ with per-coordinate Gaussian noise", understands: [ConstraintPart.kind, .noise]) {
            NoisyLinearSimplex($0)
        },
        assumptions: [Assumption("one oracle sample per step, noisy oracle") { _, m in
            m.exact ? "exact gradients" : (m.batch == 1 ? nil : "\(m.batch) samples per step")
        }],
        method: { c in noisyFW(c, batch: 1) },
        measured: "E f(x_k) − f*", grid: .logarithmic(points: 20), runs: RunPlan(oracle: 2000, full: 8000),
        check: Check(.levelAtHorizon(
            lo: Bound("qδ, q = Φ̄(|δ|/(s√2))", .derived("convex combination of i.i.d. LMO outcomes, docs/derivations/frank-wolfe.md §3.4")) { c, _, _ in
                c.wrongVertexProbability * abs(c.delta) },
            hi: Bound("qδ, q = Φ̄(|δ|/(s√2))", .derived("convex combination of i.i.d. LMO outcomes, docs/derivations/frank-wolfe.md §3.4")) { c, _, _ in
                c.wrongVertexProbability * abs(c.delta) }), on: .mean),
        controls: .method("frank-wolfe.stochastic-fw-floor.batch-4", "4 oracle samples per step (noise s/2) breaks the one-sample hypothesis: a lower floor") { c in
            noisyFW(c, batch: 4)
        }, .method("frank-wolfe.stochastic-fw-floor.exact-gradients", "exact gradients: no floor") { c in
            noisyFW(c, batch: 1, exact: true)
        })
}
