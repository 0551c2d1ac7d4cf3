import Foundation
import Testing
import TheoryBench

/// The Frank-Wolfe family: the `constraint` part (kind `constraint`)'s validation (one test per kind of bad input, each a
/// `file: key: reason` error), the planted optimum's exactness (∇f(x*) = g*, f(x*) = f*, and an
/// independent projected-gradient run reaching f* and x*), the exact line search, and the stochastic
/// estimators (SARAH with p = 1 is deterministic FW; one SARAH update is unbiased).
@Suite("Frank-Wolfe")
struct FrankWolfeTests {
    static let d = 6
    static func base(constraint: String = "constraint: { set: simplex }",
                     x: String = "[0.5, 0.3, 0.2, 0, 0, 0]",
                     gradient: String = "[-0.1, -0.1, -0.1, 0.1, 0.2, 0.3]",
                     start: String = "[0, 0, 0, 0, 0, 1]") -> String {
        """
        family: planted-least-squares
        data: { rows: 40, dimension: 6 }
        optimum: { x: \(x), gradient: \(gradient) }
        \(constraint)
        start: \(start)
        budget: { iterations: 200, runs: 4 }
        seed: 7
        """
    }

    static func parse(_ text: String) throws -> Instance { try InstanceFile.parse(text, file: "/tmp/problems/fw.yaml") }

    static func error(_ text: String) -> CatalogError? {
        TestCatalog.parseError(text, file: "/tmp/problems/fw.yaml")
    }

    @Test("the good file parses; constraint D and planted constants are reported")
    func goodFile() throws {
        let inst = try Self.parse(Self.base())
        let k = inst.reportedConstants
        #expect(k["D"] == 2.0.squareRoot() && k["L"] == inst.L && k["n"] == 40 && k["x0 feasible"] == 1)
        #expect(inst.partKinds == ["constraint"])
        #expect(FrankWolfe.openLoopRate.pairs(with: inst))
        // No claim that ignores the constraint pairs with it.
        for c in registry.claims where !c.understands.contains("constraint") { #expect(!c.pairs(with: inst), "\(c.id)") }
    }

    /// (text, key, words in the reason)
    static let bad: [(String, String, String)] = [
        (base(constraint: "constraint: simplex"), "constraint", "expected a mapping"),
        (base(constraint: "constraint: { radius: 1 }"), "constraint.set", "missing"),
        (base(constraint: "constraint: { set: octahedron }"), "constraint.set", "unknown set"),
        (base(constraint: "constraint: { set: l1-ball }"), "constraint.radius", "missing"),
        (base(constraint: "constraint: { set: l2-ball, radius: -1 }"), "constraint.radius", "positive"),
        (base(constraint: "constraint: { set: box, lower: 1, upper: 0 }"), "constraint.lower", "not below upper"),
        (base(constraint: "constraint: { set: box, lower: [0, 0], upper: 1 }"), "constraint.lower", "has 2 entries"),
        (base(constraint: "constraint: { set: box, lower: 0 }"), "constraint.upper", "missing"),
        (base(constraint: "constraint: { set: simplex, radius: 2 }"), "constraint.radius", "unknown key"),
        (base(x: "[0.5, 0.3, 0.3, 0, 0, 0]"), "constraint", "not in the"),
        (base(gradient: "[-0.1, -0.2, -0.1, 0.1, 0.2, 0.3]"), "constraint", "not optimal"),
        (base(constraint: "constraint: { set: l1-ball, radius: 1 }"), "constraint", "not optimal"),
        (base(x: "[0.5, 0.5]"), "optimum.x", "has 2 entries"),
        (base().replacingOccurrences(of: "rows: 40", with: "rows: 3"), "data.rows", "singular"),
    ]

    @Test("every kind of bad constraint or planted optimum is rejected naming file, key and reason", arguments: 0..<14)
    func badInput(_ i: Int) throws {
        let (text, key, words) = Self.bad[i]
        let e = try #require(Self.error(text), "case \(i) was accepted")
        #expect(e.file == "/tmp/problems/fw.yaml" && e.key == key && e.reason.contains(words), "case \(i): \(e)")
    }

    @Test("an infeasible start does not pair with any Frank-Wolfe claim")
    func infeasibleStart() throws {
        let inst = try Self.parse(Self.base(start: "[0, 0, 0, 0, 0, 2]"))
        #expect(inst.reportedConstants["x0 feasible"] == 0)
        for c in FrankWolfe.family.claims { #expect(!c.pairs(with: inst)) }
    }

    static func planted() throws -> (PlantedLeastSquares, any ConstraintSet, Instance) {
        let inst = try parse(base())
        return (inst.problem as! PlantedLeastSquares, try #require(inst.constraintSet), inst)
    }

    @Test("the planted optimum is exact: ∇f(x*) = g*, f(x*) = f*, and projected gradient independently reaches it")
    func plantedIsExact() throws {
        let (p, set, _) = try Self.planted()
        let g = p.gradient(p.plantedX)
        #expect(Vec.distanceSquared(g, p.plantedGradient).squareRoot() < 1e-13)
        #expect(abs(p.value(p.plantedX) - p.plantedValue) < 1e-14 * max(1, p.plantedValue))
        #expect(abs(set.gap(g, at: p.plantedX)) < 1e-14)
        var x = [Double](repeating: 1.0 / 6, count: 6)
        for _ in 0..<20_000 {
            let gx = p.gradient(x)
            x = set.project(zip(x, gx).map { $0 - $1 / p.smoothness })!
        }
        #expect(abs(p.value(x) - p.plantedValue) < 1e-12 && Vec.distanceSquared(x, p.plantedX) < 1e-20)
        // L and ℒ against their definitions: λ_max by power iteration, and ℒ² ≥ the ratio at random pairs.
        var u = [Double](repeating: 1, count: 6)
        for _ in 0..<2000 { u = p.gradient(u).enumerated().map { $1 - p.gradient([Double](repeating: 0, count: 6))[$0] }; Vec.scale(1 / Vec.norm(u), &u) }
        #expect(abs(p.curvature(along: u) - p.smoothness) < 1e-10 * p.smoothness)
        #expect(p.meanSquareSmoothness >= p.smoothness)
    }

    @Test("exact line search lands on the minimizer of f along the segment")
    func lineSearch() throws {
        let (p, set, inst) = try Self.planted()
        var m = FrankWolfeMethod(problem: p, set: set, rule: .lineSearch, start: inst.start)
        var rng = RandomStream(seed: 1)
        for k in 0..<30 {
            let before = m.x
            let s = set.lmo(p.gradient(before))
            m.step(k, rng: &rng)
            let best = (0...2000).map { t -> Double in
                let gam = Double(t) / 2000
                return p.value(zip(before, s).map { $0 + gam * ($1 - $0) })
            }.min()!
            #expect(p.value(m.x) <= best + 1e-14, "step \(k)")
            #expect(set.contains(m.x, tolerance: 1e-12))
        }
    }

    @Test("SARAH-FW with p = 1 takes a full gradient every step: it equals deterministic FW with 2/(k+2)")
    func sarahFullRefresh() throws {
        let (p, set, inst) = try Self.planted()
        var a = StochasticFrankWolfe(problem: p, set: set, estimator: .sarah, probability: 1, batch: 3, start: inst.start)
        var b = FrankWolfeMethod(problem: p, set: set, rule: .openLoop, start: inst.start)
        var r1 = RandomStream(seed: 2), r2 = RandomStream(seed: 2)
        for k in 0..<100 { a.step(k, rng: &r1); b.step(k, rng: &r2) }
        #expect(Vec.distanceSquared(a.x, b.x) < 1e-24)
        #expect(a.oracleCalls == Double(101 * 40))
        // With exact gradients the estimated gap of step 99 is the true gap at x_99, ≥ b's running minimum.
        #expect(a.estimatedGap >= b.minGap - 1e-15 && a.estimatedGap.isFinite)
    }

    @Test("one SARAH update is unbiased, E v₁ = ∇f(x₁) — and so is the independent-draws slip, which only the certificate claim catches")
    func sarahUnbiased() throws {
        let (p, set, inst) = try Self.planted()
        for estimator in [FWEstimator.sarah, .sarahIndependentDraws, .minibatch] {
            var mean = [Double](repeating: 0, count: 6), x1 = inst.start
            let seeds = 20_000
            var sumSq = 0.0
            for s in 0..<seeds {
                var m = StochasticFrankWolfe(problem: p, set: set, estimator: estimator, probability: 0, batch: 2, start: inst.start)
                var rng = RandomStream(seed: UInt64(100 + s))
                m.step(0, rng: &rng)   // x₁ = LMO(∇f(x₀)) is deterministic; v₁ is random
                x1 = m.x
                for j in 0..<6 { mean[j] += m.estimate[j] / Double(seeds) }
                sumSq += Vec.distanceSquared(m.estimate, p.gradient(m.x))
            }
            let g1 = p.gradient(x1)
            // The error's standard deviation per coordinate is at most √(E‖e‖²); 5 standard errors.
            let se = (sumSq / Double(seeds)).squareRoot() / Double(seeds).squareRoot()
            #expect(Vec.distanceSquared(mean, g1).squareRoot() < 5 * se, "\(estimator)")
            #expect(se > 0, "\(estimator): the estimate is not random")
        }
    }

    @Test("the linear-cost family rejects a missing cost; its floor context needs Gaussian per-coordinate noise on Δ₂")
    func linearCost() throws {
        let good = """
            family: linear-cost
            cost: [0, 0.1]
            constraint: { set: simplex }
            noise: { law: gaussian, scale: 0.2 }
            start: [1, 0]
            budget: { iterations: 20, runs: 4 }
            """
        let inst = try Self.parse(good)
        #expect(FrankWolfe.stochasticFloor.pairs(with: inst))
        let c = try #require(FrankWolfe.NoisyLinearSimplex(inst))
        #expect(abs(c.wrongVertexProbability - 0.3618368) < 1e-6)   // Φ̄(0.1/(0.2√2)) = Φ̄(0.35355)
        let e = try #require(Self.error(good.replacingOccurrences(of: "cost: [0, 0.1]", with: "")))
        #expect(e.key == "cost" && e.reason.contains("missing"))
        let radial = try Self.parse(good.replacingOccurrences(of: "scale: 0.2 }", with: "scale: 0.2, geometry: radial }"))
        #expect(!FrankWolfe.stochasticFloor.pairs(with: radial))
    }
}
