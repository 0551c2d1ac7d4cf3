import Foundation
import Testing
import TheoryBench

/// The SVGD family: the `svgd-target` family's validation (one test per kind of bad input, each a
/// `file: key: reason` error), the exact constants of V = a‖x‖⁴/4 + b‖x‖²/2 (the L0(L1) curve valid and
/// tight, ln Z, non-central χ² moments, KL), the kernel Stein discrepancy against a closed form on a
/// Gaussian target, and the SVGD step against a direct transcription of the update.
@Suite("SVGD")
struct SVGDTests {
    static func base(kind: String = "kind: radial-quartic", shape: String = "quartic: 1\nquadratic: 1",
                     particles: String = "particles: {count: 20, spread: 0.5, bandwidth: 1}") -> String {
        """
        family: svgd-target
        \(kind)
        dimension: 2
        \(shape)
        \(particles)
        start: [2, 0]
        budget: {iterations: 100, runs: 4}
        seed: 3
        """
    }

    static func parse(_ text: String) throws -> Instance { try InstanceFile.parse(text, file: "/tmp/problems/svgd.yaml") }

    static func error(_ text: String) -> CatalogError? {
        TestCatalog.parseError(text, file: "/tmp/problems/svgd.yaml")
    }

    @Test("good files parse, carry the particles part and pair only with the SVGD claims")
    func goodFiles() throws {
        let quartic = try Self.parse(Self.base())
        let gauss = try Self.parse(Self.base(kind: "kind: gaussian", shape: "quadratic: 1"))
        #expect(quartic.partKinds == ["particles"] && gauss.partKinds == ["particles"])
        #expect(quartic.part(ParticlesPart.self) == ParticlesPart(count: 20, spread: 0.5, bandwidth: 1))
        #expect(SVGDL0L1.quarticAveragedKSD.pairs(with: quartic) && !SVGDL0L1.quarticAveragedKSD.pairs(with: gauss))
        #expect(SVGDL0L1.gaussianAveragedKSD.pairs(with: gauss) && !SVGDL0L1.gaussianAveragedKSD.pairs(with: quartic))
        for c in registry.claims where c.paper.key != "svgd-l0l1" {
            #expect(!c.pairs(with: quartic) && !c.pairs(with: gauss), "\(c.id)")
        }
    }

    /// (text, key, words in the reason)
    static let bad: [(String, String, String)] = [
        (base(kind: ""), "kind", "missing"),
        (base(kind: "kind: laplace"), "kind", "must be 'gaussian' or 'radial-quartic'"),
        (base().replacingOccurrences(of: "dimension: 2\n", with: ""), "dimension", "missing"),
        (base(shape: "quartic: 1\nquadratic: -1"), "quadratic", "positive"),
        (base(shape: "quadratic: 1"), "quartic", "missing"),
        (base(shape: "quartic: 0\nquadratic: 1"), "quartic", "positive"),
        (base(kind: "kind: gaussian"), "quartic", "only for kind radial-quartic"),
        (base(particles: ""), "particles", "missing"),
        (base(particles: "particles: {count: 1, spread: 0.5, bandwidth: 1}"), "particles.count", "at least 2"),
        (base(particles: "particles: {count: 50000, spread: 0.5, bandwidth: 1}"), "particles.count", "too large"),
        (base(particles: "particles: {count: 20, spread: 0, bandwidth: 1}"), "particles.spread", "positive"),
        (base(particles: "particles: {count: 20, spread: 0.5}"), "particles.bandwidth", "missing"),
        (base(particles: "particles: {count: 20, spread: 0.5, bandwidth: 1, kernel: rbf}"), "particles.kernel", "unknown key"),
    ]

    @Test("bad input gives one file: key: reason error", arguments: 0..<bad.count)
    func badInput(_ i: Int) throws {
        let (text, key, words) = Self.bad[i]
        let e = try #require(Self.error(text), "case \(i) parsed")
        #expect(e.file == "/tmp/problems/svgd.yaml" && e.key == key && e.reason.contains(words), "case \(i): \(e)")
    }

    @Test("the L0(L1) curve is valid (no sampled point violates it) and tight (a point attains it)",
          arguments: [(1.0, 1.0), (1.0, 0.01), (0.25, 2.0)])
    func l0Curve(_ ab: (Double, Double)) {
        let v = RadialPotential(dimension: 2, quartic: ab.0, quadratic: ab.1)
        for l1 in [0.05, 0.3, 1, 2, 5, 40] {
            let l0 = v.l0(forL1: l1)
            var worst = -Double.infinity
            for i in 0...200_000 {
                let r = Double(i) * 1e-4 * 10 / max(l1, 0.1)
                let hess = 3 * ab.0 * r * r + ab.1, grad = (ab.0 * r * r + ab.1) * r
                worst = max(worst, hess - l1 * grad)
            }
            #expect(worst <= l0 * (1 + 1e-12), "L1 = \(l1): sampled excess \(worst) > L0 = \(l0)")
            #expect(worst >= l0 * (1 - 1e-6), "L1 = \(l1): L0 = \(l0) not attained (best \(worst))")
        }
        // x⁴/4-type limit: with b → 0, L0 → 4a/L1² (sup of 3ar² − L1 a r³ at r = 2/L1).
        let thin = RadialPotential(dimension: 1, quartic: 1, quadratic: 1e-12)
        #expect(abs(thin.l0(forL1: 2) - 1) < 1e-6)
        #expect(RadialPotential(dimension: 2, quartic: 0, quadratic: 3).l0(forL1: 0) == 3)
        #expect(v.l0(forL1: 0) == .infinity)
    }

    @Test("ln Z: quadrature against the closed forms (d = 2 quartic via erfc; Gaussian)")
    func normalizer() {
        let q = RadialPotential(dimension: 2, quartic: 1, quadratic: 1)
        // Z = π ∫₀^∞ e^{−u²/4 − u/2} du = π^{3/2} e^{1/4} erfc(1/2).
        let exact = log(pow(Double.pi, 1.5) * exp(0.25) * erfc(0.5))
        #expect(abs(q.logNormalizer() - exact) < 1e-11)
        let g = RadialPotential(dimension: 3, quartic: 0, quadratic: 2)
        #expect(abs(g.logNormalizer() - 1.5 * log(Double.pi)) < 1e-14)
        // Scaling: a‖x‖⁴/4 with x = t y: Z(a, b) = t^d Z(a t⁴, b t²).
        let scaled = RadialPotential(dimension: 2, quartic: 16, quadratic: 4)
        #expect(abs(q.logNormalizer() - (2 * log(2) + scaled.logNormalizer())) < 1e-10)
    }

    @Test("non-central χ² moments and KL(N(m, s²I) | π) in closed form")
    func moments() {
        let (m, s) = (0.7, 1.3)
        let (r2, r4, r6) = RadialPotential.gaussianRadialMoments(mean: [m], spread: s)
        #expect(abs(r2 - (m * m + s * s)) < 1e-12)
        #expect(abs(r4 - (pow(m, 4) + 6 * m * m * s * s + 3 * pow(s, 4))) < 1e-11)
        #expect(abs(r6 - (pow(m, 6) + 15 * pow(m, 4) * s * s + 45 * m * m * pow(s, 4) + 15 * pow(s, 6))) < 1e-10)
        let (c2, c4, c6) = RadialPotential.gaussianRadialMoments(mean: [0, 0, 0], spread: s)
        #expect(abs(c2 - 3 * s * s) < 1e-12 && abs(c4 - 15 * pow(s, 4)) < 1e-11 && abs(c6 - 105 * pow(s, 6)) < 1e-10)
        let g = RadialPotential(dimension: 2, quartic: 0, quadratic: 1)
        let kl = g.klFromGaussian(mean: [2, 0], spread: 0.5)
        #expect(abs(kl - 0.5 * (2 * 0.25 + 4 - 2 - 2 * log(0.25))) < 1e-12)
        #expect(abs(g.klFromGaussian(mean: [0, 0], spread: 1)) < 1e-14)
    }

    /// E_{x,y ~ N(m, s²I)} u(x, y) for π = N(0, I), k = exp(−‖x − y‖²/h), c = 2/h (docs/derivations/svgd-l0l1.md §3.2):
    /// q^{−d/2}(‖m‖² + ds²/2 + cd) − (c + c² + ¼)·d·2s²·q^{−d/2−1}, q = 1 + 4s²/h.
    static func populationKSD(mean m: [Double], spread s: Double, h: Double) -> Double {
        let d = Double(m.count), c = 2 / h, q = 1 + 4 * s * s / h
        return pow(q, -d / 2) * (Vec.normSquared(m) + d * s * s / 2 + c * d) - (c + c * c + 0.25) * d * 2 * s * s * pow(q, -d / 2 - 1)
    }

    @Test("KSD²: U-statistic on i.i.d. draws matches the Gaussian closed form; V − U is the diagonal; a wrong mean is rejected")
    func steinDiscrepancy() {
        let g = RadialPotential(dimension: 2, quartic: 0, quadratic: 1)
        #expect(abs(Self.populationKSD(mean: [0, 0], spread: 1, h: 1)) < 1e-15)   // KSD(π|π) = 0
        let mean = [0.8, -0.3], s = 0.7, h = 1.5, n = 300, reps = 40
        var rng = RandomStream(seed: 11)
        var us = [Double](), gap = 0.0
        for _ in 0..<reps {
            let x = SVGD.gaussianCloud(mean: mean, spread: s, count: n, rng: &rng)
            let k = SVGD.steinDiscrepancy(x, potential: g, bandwidth: h)
            us.append(k.u)
            // V = (Σ_i u_ii + n(n−1)U)/n², u_ii = ‖x_i‖² + 2d/h.
            let diag = (0..<n).reduce(0.0) { $0 + x[2 * $1] * x[2 * $1] + x[2 * $1 + 1] * x[2 * $1 + 1] + 4 / h }
            gap = max(gap, abs(k.v - (diag + Double(n * (n - 1)) * k.u) / Double(n * n)))
        }
        #expect(gap < 1e-12)
        let avg = us.reduce(0, +) / Double(reps)
        let se = (us.map { ($0 - avg) * ($0 - avg) }.reduce(0, +) / Double(reps - 1) / Double(reps)).squareRoot()
        let exact = Self.populationKSD(mean: mean, spread: s, h: h)
        #expect(abs(avg - exact) < 4 * se, "U mean \(avg) ± \(se) vs closed form \(exact)")
        let wrong = Self.populationKSD(mean: [1.3, -0.3], spread: s, h: h)
        #expect(abs(avg - wrong) > 10 * se, "a closed form at another mean must be rejected")
        // A point mass: KSD² = u(x, x) = ‖s(x)‖² + 2d/h.
        let point = SVGD.steinDiscrepancy([1, 2, 1, 2], potential: g, bandwidth: h)
        #expect(abs(point.v - (5 + 4 / h)) < 1e-12 && abs(point.u - (5 + 4 / h)) < 1e-12)
    }

    /// The update written out directly from its definition, with fresh arrays (no shared code).
    static func directStep(_ x: [Double], _ v: RadialPotential, step: Double, h: Double, rho: Double) -> [Double] {
        let d = v.dimension, n = x.count / d
        func p(_ i: Int) -> [Double] { Array(x[(i * d)..<((i + 1) * d)]) }
        var out = x
        for i in 0..<n {
            var phi = [Double](repeating: 0, count: d)
            for j in 0..<n {
                let xi = p(i), xj = p(j), diff = zip(xi, xj).map { $0 - $1 }
                let k = exp(-diff.reduce(0) { $0 + $1 * $1 } / h)
                let score = v.gradient(xj).map { -$0 }
                for a in 0..<d { phi[a] += k * score[a] + rho * (2 / h) * diff[a] * k }
            }
            for a in 0..<d { out[i * d + a] += step * phi[a] / Double(n) }
        }
        return out
    }

    @Test("an SVGD step equals the direct transcription of the update (ρ = 1, ½, 0), and KSD² is tracked",
          arguments: [1.0, 0.5, 0.0])
    func stepMatchesDefinition(_ rho: Double) {
        let v = RadialPotential(dimension: 3, quartic: 0.5, quadratic: 1.5)
        var rng = RandomStream(seed: 5)
        let x0 = SVGD.gaussianCloud(mean: [1, -1, 0.5], spread: 0.8, count: 17, rng: &rng)
        var m = SVGD(potential: v, particles: x0, stepSize: 0.01, bandwidth: 0.7, repulsion: rho)
        var expected = x0
        for k in 0..<3 {
            m.step(k, rng: &rng)
            expected = Self.directStep(expected, v, step: 0.01, h: 0.7, rho: rho)
        }
        let err = zip(m.particles, expected).map { abs($0 - $1) }.max()!
        #expect(err < 1e-12, "max deviation \(err)")
        // Σ_{t<3} KSD²_V(μ̂_t): the first term is the initial discrepancy.
        #expect(m.steps == 3 && m.discrepancySum > m.initialDiscrepancy && m.isFinite)
    }

    @Test("the step condition holds at its own (L1, α) and grows as the moment bound shrinks")
    func stepCondition() throws {
        let inst = try Self.parse(Self.base())
        let c = try #require(SVGDL0L1.TargetInstance(inst))
        let s = c.condition, b2 = c.kernelBoundSquared, m = c.momentBound
        #expect(b2 == 4 && s.maxStep > 0 && s.l1 > 0 && s.l0 == c.potential.l0(forL1: s.l1))
        let curvature: Double = s.l0 + s.l1 * m
        let k: Double = b2 * (s.alpha * s.alpha + M_E * curvature)
        #expect(s.maxStep * k <= 1 + 1e-12)
        let reach: Double = min(1 / s.l1, (s.alpha - 1) / s.alpha)
        let travel: Double = s.maxStep * b2 * (m + 1)
        #expect(travel <= reach + 1e-12)
        let tighter = SVGDL0L1.StepCondition.best(c.potential, kernelBoundSquared: b2, momentBound: m / 4)
        #expect(tighter.maxStep > s.maxStep)
    }
}

@Suite("SVGD kernel exp")
struct KernelExpTests {
    @Test("e^{−t} four at a time agrees with libm to 1e-15 relative on [0, 708], and is 0 beyond")
    func agreesWithLibm() {
        var worst = 0.0
        for i in 0..<200_000 {
            let base = Double(i) * 0.00354
            let t = SIMD4(base, base * 0.01, base * 0.5 + 0.25, Double(i) * 1e-9)
            let e = KernelExp.negative(t)
            for l in 0..<4 { worst = max(worst, abs(e[l] - exp(-t[l])) / exp(-t[l])) }
        }
        #expect(worst < 1e-15, "worst relative error \(worst)")
        #expect(KernelExp.negative(SIMD4(709, 1e4, .infinity, 0)) == SIMD4(0, 0, 0, 1))
    }
}
