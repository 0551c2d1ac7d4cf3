import Foundation
import Testing
import TheoryBench

/// The L0L1Smooth family: the exact (L0, L1) curve of the even polynomials (closed forms, validity on
/// random points, tightness at the certified maximizer), the gradient and Hessian norm against finite
/// differences, the step rules and the one-step audit, and the `l0l1-polynomial` file validation (one
/// test per kind of bad input, each a `file: key: reason` error).
@Suite("L0L1Smooth")
struct L0L1SmoothTests {
    static func separable(_ c: [Double], q: Double, l1: Double, power: Int = 2) -> EvenPolynomial {
        EvenPolynomial(shape: .separable, power: power, coefficients: c, quadratics: c.map { _ in q }, dimension: c.count, l1: l1)
    }

    @Test("closed forms: x⁴ has L0 = 16/L1², |x|⁶ has L0 = 6(4/L1)⁴")
    func closedForms() {
        for l1 in [0.1, 0.5, 1, 2, 8] {
            let quartic = Self.separable([1], q: 0, l1: l1), sextic = Self.separable([1], q: 0, l1: l1, power: 3)
            #expect(abs(quartic.L0 - 16 / (l1 * l1)) <= 1e-12 * quartic.L0)
            #expect(abs(sextic.L0 - 6 * pow(4 / l1, 4)) <= 1e-12 * sextic.L0)
        }
    }

    /// For c t⁴ + t²/2: φ' = 0 at t₊ = (1 + √(1 − L1²/(12c)))/L1 when L1² ≤ 12c, and L0 = 1 exactly
    /// iff L1 ≥ 3√c (AM–GM: (1 + 4ct²)/t ≥ 4√c).
    @Test("quartic plus quadratic: the closed form t₊, the knee L1 = 3√c_max, and the tabulated values")
    func quarticPlusQuadratic() {
        let c = [1.0, 0.1, 0.01]
        for l1 in [0.25, 0.5, 1, 2, 2.9] {
            let value = c.map { ci -> Double in
                guard l1 * l1 <= 12 * ci else { return 1 }
                let t = (1 + (1 - l1 * l1 / (12 * ci)).squareRoot()) / l1
                return max(1, 1 + 12 * ci * t * t - l1 * (t + 4 * ci * t * t * t))
            }.max()!
            let p = Self.separable(c, q: 1, l1: l1)
            #expect(abs(p.L0 - value) <= 1e-12 * value, "L1 = \(l1): \(p.L0) vs \(value)")
            #expect(p.L0 > 1)
        }
        #expect(Self.separable(c, q: 1, l1: 3).L0 == 1)
        #expect(Self.separable(c, q: 1, l1: 2.99).L0 > 1)
        let table: [(Double, Double)] = [(0.25, 255.001), (0.5, 63.005), (1, 15.021), (2, 3.0887)]
        for (l1, l0) in table { #expect(abs(Self.separable(c, q: 1, l1: l1).L0 - l0) <= 1e-3 * l0) }
    }

    static let shapes: [EvenPolynomial] = [
        separable([1, 0.1, 0.01], q: 1, l1: 0.5), separable([2, 0.3], q: 0.5, l1: 2, power: 3),
        EvenPolynomial(shape: .radial, power: 3, coefficients: [1], quadratics: [1], dimension: 2, l1: 2),
        EvenPolynomial(shape: .radial, power: 2, coefficients: [0.5], quadratics: [0], dimension: 3, l1: 1),
    ]

    @Test("the curve is valid: no random point violates ‖∇²f‖ ≤ L0 + L1‖∇f‖", arguments: shapes.indices)
    func valid(_ j: Int) {
        let p = Self.shapes[j]
        var rng = RandomStream(seed: 5 + UInt64(j))
        var worst = -Double.infinity
        for n in 0..<20000 {
            let scale = pow(10, Double(n % 5) - 2)   // radii from 0.01 to 100
            let x = (0..<p.dimension).map { _ in scale * (2 * rng.uniform() - 1) }
            let lhs = p.hessianNorm(x), rhs = p.L0 + p.L1 * Vec.norm(p.gradient(x))
            worst = max(worst, (lhs - rhs) / rhs)
        }
        #expect(worst <= 1e-12, "worst relative excess \(worst)")
    }

    @Test("the curve is tight: the certified maximizer attains L0", arguments: shapes.indices)
    func tight(_ j: Int) throws {
        let p = Self.shapes[j]
        let (k, best) = try #require(p.profiles.enumerated().map { ($0, $1.supremum(l1: p.L1)) }.max { $0.1.value < $1.1.value })
        var x = [Double](repeating: 0, count: p.dimension)
        x[p.shape == .radial ? 0 : k] = best.t
        let slack = p.L0 + p.L1 * Vec.norm(p.gradient(x)) - p.hessianNorm(x)
        #expect(abs(slack) <= 1e-9 * p.L0, "slack \(slack) at t = \(best.t)")
        // and a neighbour on either side does no better
        for s in [0.999, 1.001] {
            var y = x; y[p.shape == .radial ? 0 : k] = best.t * s
            #expect(p.hessianNorm(y) - p.L1 * Vec.norm(p.gradient(y)) <= p.L0 * (1 + 1e-12))
        }
    }

    @Test("gradient and Hessian norm agree with central differences", arguments: shapes.indices)
    func derivatives(_ j: Int) {
        let p = Self.shapes[j], d = p.dimension
        let x = (0..<d).map { 0.3 + 0.2 * Double($0) }, h = 1e-5
        let g = p.gradient(x)
        var hess = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for i in 0..<d {
            var a = x, b = x; a[i] += h; b[i] -= h
            #expect(abs((p.value(a) - p.value(b)) / (2 * h) - g[i]) <= 1e-6 * (1 + abs(g[i])))
            let ga = p.gradient(a), gb = p.gradient(b)
            for r in 0..<d { hess[r][i] = (ga[r] - gb[r]) / (2 * h) }
        }
        // spectral norm of the symmetric finite-difference Hessian by power iteration
        var v = [Double](repeating: 1, count: d), lambda = 0.0
        for _ in 0..<500 {
            let w = (0..<d).map { r in (0..<d).reduce(0.0) { $0 + hess[r][$1] * v[$1] } }
            lambda = Vec.norm(w); v = w.map { $0 / lambda }
        }
        #expect(abs(lambda - p.hessianNorm(x)) <= 1e-5 * lambda, "\(lambda) vs \(p.hessianNorm(x))")
    }

    @Test("step rules and the one-step audit")
    func rulesAndAudit() {
        #expect(L0L1Rule.clipped(eta: 0.1, level: 2).step(100) == 0.02)
        #expect(L0L1Rule.clipped(eta: 0.1, level: 2).step(1) == 0.1)
        #expect(L0L1Rule.normalized(c0: 3, c1: 2).step(5) == 1.0 / 13)
        #expect(L0L1Rule.clippedBySquaredNorm(eta: 0.1, level: 2).step(100) == 2e-4)
        var a = OneStepAudit()
        #expect(a.worst == 0)
        a.record(decrease: 1.5, credit: 1)
        #expect(a.worst < 1 && abs(a.worst - (1 + tanh(-0.5))) < 1e-15)
        a.record(decrease: 1, credit: 1)
        #expect(a.worst == 1)
        a.record(decrease: 0.5, credit: 0.4, allowance: 0.1)   // 0.3 − 0.5 < 0: holds
        #expect(a.worst == 1)
        a.record(decrease: -1, credit: 1)
        #expect(a.worst > 1.9)
    }

    @Test("the clipped GD run keeps the descent inequality and reaches x*")
    func clippedRun() {
        let p = Self.separable([1, 0.1, 0.01], q: 1, l1: 1)
        let eta = (1.0 / 3) / p.L0, level = (1.0 / 3) / p.L1
        var m = L0L1GradientMethod(problem: p, rule: .clipped(eta: eta, level: level),
                                   credit: DescentCredit(factor: 0.5, eta: eta, level: level), start: [100, 100, 100])
        var rng = RandomStream(seed: 1)
        for k in 0..<3000 { m.step(k, rng: &rng) }
        #expect(m.audit.worst <= 1 && m.audit.worst > 0)
        #expect(Vec.norm(m.x) < 1e-8 && m.minGradientNorm < 1e-8)
    }

    @Test("GD without clipping from a far start diverges: a failed check with its iteration, not a crash")
    func noClippingDiverges() throws {
        let text = "family: l0l1-polynomial\ndegree: 4\ncoefficients: [1, 0.1]\nquadratic: 1\nl1: 1\nstart: [100, 100]\nbudget: { iterations: 4000, runs: 1 }"
        let inst = try InstanceFile.parse(text, file: "/tmp/p/l0l1.yaml")
        let pairing = try #require(L0L1Smooth.family.claims[0].prepared(inst))
        let control = try #require(pairing.controls.first { $0.id.hasSuffix("gd-constant-step") })
        let cps = Checkpoints.logarithmic(horizon: 100, points: 10)
        var rng = RandomStream(seed: 1)
        let experiment = try #require(control.experiment)
        let trace = try experiment.run(inst, cps, &rng)
        let verdict = experiment.judge(cps, [trace])
        #expect(verdict.outcome == .diverged && trace.divergedAt != nil && trace.values.last == .infinity)
    }

    @Test("bounded noise: Rademacher has ‖ξ‖ = s√d (per coordinate) or s (radial) exactly; unbounded laws have no bound")
    func noiseBound() {
        var rng = RandomStream(seed: 3)
        for geometry in [Noise.Geometry.perCoordinate, .radial] {
            let n = Noise(law: .rademacher, scale: 0.5, geometry: geometry, dimension: 4)
            let bound = geometry == .radial ? 0.5 : 1.0
            #expect(n.normBound == bound)
            var g = [Double](repeating: 0, count: 4), scratch = g
            for _ in 0..<100 {
                for i in g.indices { g[i] = 0 }
                n.add(to: &g, scratch: &scratch, rng: &rng)
                #expect(abs(Vec.norm(g) - bound) <= 1e-15)
            }
        }
        #expect(Noise(law: .gaussian, scale: 1, geometry: .perCoordinate, dimension: 2).normBound == nil)
        #expect(Noise(law: .symmetricPareto(tail: 1.5), scale: 1, geometry: .radial, dimension: 2).normBound == nil)
    }

    /// At x* the exact gradient is 0, so the step is decided by the observed ‖g‖ = ‖ξ‖ alone: clipped
    /// GD moves by min(η‖ξ‖, λ), normalized GD by ‖ξ‖/(c0 + c1‖ξ‖). A rule reading the exact G = 0
    /// would move by η‖ξ‖ (clipped) or ‖ξ‖/c0 (normalized).
    @Test("stochastic steps read the observed norm ‖∇f + ξ‖", arguments: [L0L1Rule.clipped(eta: 0.5, level: 0.1), .normalized(c0: 2, c1: 10)])
    func observedNorm(_ rule: L0L1Rule) {
        let p = Self.separable([1, 0.1], q: 1, l1: 1)
        let noise = Noise(law: .rademacher, scale: 1, geometry: .radial, dimension: 2)
        var m = L0L1GradientMethod(problem: p, rule: rule, credit: DescentCredit(factor: 0.125, eta: 0.5, level: 0.1),
                                   start: [0, 0], noise: noise, allowance: 0)
        var rng = RandomStream(seed: 2)
        m.step(0, rng: &rng)
        #expect(abs(Vec.norm(m.x) - rule.step(1)) <= 1e-15)
    }

    @Test("stochastic clipped GD with bounded noise keeps the stochastic descent inequality (§7) in every step")
    func stochasticRun() {
        let p = Self.separable([1, 0.1, 0.01], q: 1, l1: 1)
        let eta = 0.04 / p.L0, level = 0.1 / p.L1, sigma = 3.0.squareRoot()
        let noise = Noise(law: .rademacher, scale: 1, geometry: .perCoordinate, dimension: 3)
        for (rule, factor) in [(L0L1Rule.clipped(eta: eta, level: level), 0.125), (.normalized(c0: 1 / eta, c1: 1 / level), 0.0625)] {
            var m = L0L1GradientMethod(problem: p, rule: rule, credit: DescentCredit(factor: factor, eta: eta, level: level),
                                       start: [30, 30, 30], noise: noise, allowance: 0.75 * eta * sigma * sigma)
            var rng = RandomStream(seed: 5)
            for k in 0..<2000 { m.step(k, rng: &rng) }
            #expect(m.audit.worst <= 1 && m.audit.worst > 0 && m.minGradientNorm < 1, "\(rule)")
        }
    }

    /// Bounded noise pairs with the stochastic claims only (the exact-gradient claims do not understand
    /// `noise`); unbounded noise pairs with none of them.
    @Test("noisy instances pair with the stochastic claims when the noise is bounded", arguments: ["rademacher", "gaussian"])
    func noisyPairing(_ law: String) throws {
        let text = "family: l0l1-polynomial\ndegree: 4\ncoefficients: [1, 0.1]\nquadratic: 1\nl1: 1\nstart: [30, 30]\nnoise: { law: \(law) }\nbudget: { iterations: 2000, runs: 1 }"
        let inst = try InstanceFile.parse(text, file: "/tmp/p/l0l1.yaml")
        let paired = Set(registry.claims.filter { $0.pairs(with: inst) }.map(\.id))
        let expected: Set<String> = law == "gaussian" ? [] : Set(["", "normalized-"].flatMap { v in
            ["descent", "complexity"].map { "l0l1-clipped-gd.\(v)stochastic-\($0)" } })
        #expect(paired == expected)
    }

    static func yaml(_ body: String) -> String {
        "family: l0l1-polynomial\n\(body)\nstart: [1, 1]\nbudget: { iterations: 10, runs: 1 }"
    }

    @Test("a good file parses and pairs only with the (L0, L1) claims")
    func goodFile() throws {
        let inst = try InstanceFile.parse(Self.yaml("shape: separable\ndegree: 4\ncoefficients: [1, 0.1]\nquadratic: [1, 2]\nl1: 1"), file: "/tmp/p/l0l1.yaml")
        let p = try #require(inst.problem as? EvenPolynomial)
        #expect(p.quadratics == [1, 2] && p.mu == 1 && inst.reportedConstants["L0"] == p.L0)
        for c in registry.claims where !c.id.hasPrefix("l0l1-clipped-gd.") { #expect(!c.pairs(with: inst), "\(c.id)") }
    }

    /// Far starts (the clipped-phase bound Δ0η/(φλ²) above K) pair with `complexity` and `descent`, near
    /// starts (at most K/4) with `pl-rate`; in between, neither.
    @Test("far and near starts pair with their claims", arguments: [("[100, 100]", 4000, "complexity"), ("[0.5, 0.5]", 2000, "pl-rate"), ("[4, 4]", 300, "none")])
    func farAndNear(_ start: String, _ K: Int, _ kind: String) throws {
        let text = "family: l0l1-polynomial\ndegree: 4\ncoefficients: [1, 0.1]\nquadratic: 1\nl1: 1\nstart: \(start)\nbudget: { iterations: \(K), runs: 1 }"
        let inst = try InstanceFile.parse(text, file: "/tmp/p/l0l1.yaml")
        let paired = Set(L0L1Smooth.family.claims.filter { $0.pairs(with: inst) }.map(\.id))
        let expected: Set<String> = kind == "complexity"
            ? ["l0l1-clipped-gd.complexity", "l0l1-clipped-gd.normalized-complexity", "l0l1-clipped-gd.descent", "l0l1-clipped-gd.normalized-descent"]
            : kind == "pl-rate" ? ["l0l1-clipped-gd.pl-rate", "l0l1-clipped-gd.normalized-pl-rate"] : []
        #expect(paired == expected)
    }

    static let bad: [(String, String, String)] = [
        ("shape: cubic\ndegree: 4\ncoefficients: [1, 1]\nl1: 1", "shape", "separable"),
        ("coefficients: [1, 1]\nl1: 1", "degree", "missing"),
        ("degree: 5\ncoefficients: [1, 1]\nl1: 1", "degree", "even"),
        ("degree: 2\ncoefficients: [1, 1]\nl1: 1", "degree", "between 4 and 12"),
        ("degree: 4\ncoefficients: [1, 1]", "l1", "missing"),
        ("degree: 4\ncoefficients: [1, 1]\nl1: 0", "l1", "positive"),
        ("degree: 4\nl1: 1", "coefficients", "missing"),
        ("degree: 4\ncoefficients: [1, -1]\nl1: 1", "coefficients", "positive"),
        ("degree: 4\ncoefficients: [1, 1]\nquadratic: [1]\nl1: 1", "quadratic", "has 1 entries"),
        ("degree: 4\ncoefficients: [1, 1]\nquadratic: -1\nl1: 1", "quadratic", "non-negative"),
        ("shape: radial\ndegree: 4\ncoefficient: 1\nl1: 1", "dimension", "missing"),
        ("shape: radial\ndegree: 4\ndimension: 2\nl1: 1", "coefficient", "missing"),
        ("shape: radial\ndegree: 4\ndimension: 2\ncoefficient: 1\nl1: 1\ncoefficients: [1]", "coefficients", "unknown key"),
    ]

    @Test("bad files give one file: key: reason error", arguments: bad.indices)
    func badFile(_ j: Int) {
        let (body, key, words) = Self.bad[j]
        Self.expectError(Self.yaml(body), key: key, words: words)
    }

    /// Parsing `text` fails with one CatalogError naming the file, `key`, and a reason containing `words`.
    static func expectError(_ text: String, key: String, words: String, file: String = "/tmp/p/l0l1.yaml") {
        do {
            _ = try InstanceFile.parse(text, file: file)
            Issue.record("accepted: \(text)")
        } catch let e as CatalogError {
            #expect(e.file == file && e.key == key && e.reason.contains(words), "\(e)")
        } catch { Issue.record("\(error)") }
    }
}
