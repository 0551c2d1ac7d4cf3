import CGSL
import Foundation
import Testing
import TheoryBench

/// Kolmogorov–Smirnov statistics and the level-α critical values used below.
///
/// One sample: by the Dvoretzky–Kiefer–Wolfowitz inequality with Massart's constant (1990),
/// P(sup|Fₙ − F| > ε) ≤ 2 exp(−2nε²) for every n, so ε = √(−ln(α/2)/2)/√n is a valid
/// (slightly conservative) level-α critical value; it is also the first term of the asymptotic
/// Kolmogorov law. At α = 1e-4 and n = 20 000: √(ln(2·10⁴)/2)/√20000 = 2.2252/141.42 ≈ 0.01573.
///
/// Two samples of sizes n, m: asymptotically P(√(nm/(n+m))·D > t) → 2Σ(−1)^{k−1}e^{−2k²t²}
/// ≤ 2e^{−2t²}, so the critical value is √(−ln(α/2)/2)·√((n+m)/(nm)) ≈ 0.02225 for n = m = 20 000.
enum KS {
    static let level = 1e-4

    static func oneSampleCritical(n: Int, level a: Double = level) -> Double {
        (-log(a / 2) / 2).squareRoot() / Double(n).squareRoot()
    }

    static func twoSampleCritical(n: Int, m: Int, level a: Double = level) -> Double {
        (-log(a / 2) / 2).squareRoot() * (Double(n + m) / Double(n * m)).squareRoot()
    }

    /// sup_x |Fₙ(x) − F(x)| for a continuous F.
    static func oneSample(_ xs: [Double], cdf: (Double) -> Double) -> Double {
        let s = xs.sorted(), n = Double(xs.count)
        var d = 0.0
        for (i, x) in s.enumerated() {
            let f = cdf(x)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    /// sup_x |Fₙ(x) − Gₘ(x)|.
    static func twoSample(_ xs: [Double], _ ys: [Double]) -> Double {
        let a = xs.sorted(), b = ys.sorted()
        let n = Double(a.count), m = Double(b.count)
        var i = 0, j = 0, d = 0.0
        while i < a.count && j < b.count {
            let v = min(a[i], b[j])
            while i < a.count && a[i] <= v { i += 1 }
            while j < b.count && b[j] <= v { j += 1 }
            d = max(d, abs(Double(i) / n - Double(j) / m))
        }
        return d
    }
}

/// A Monte-Carlo mean with its CLT standard error s/√n.
struct MonteCarloMean {
    let mean: Double, standardError: Double
    init(_ xs: [Double]) {
        let n = Double(xs.count)
        mean = xs.reduce(0, +) / n
        let m = mean
        standardError = (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) / n).squareRoot()
    }
    /// |mean − target| ≤ z standard errors (z = 5: two-sided level 5.7e-7 under the normal limit).
    func agrees(with target: Double, z: Double = 5) -> Bool { abs(mean - target) <= z * standardError }
}

/// The scalar laws of `Random/ScalarLaw.swift` against GSL's CDFs and samplers, and their closed-form
/// absolute moments against Monte Carlo.
@Suite("Distributions")
struct DistributionTests {
    static let n = 20_000

    static func draws(_ law: ScalarLaw, _ n: Int = n, seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed)
        return (0..<n).map { _ in law.sample(&rng) }
    }

    @Test("the KS critical value is the one stated")
    func criticalValue() {
        #expect(abs(KS.oneSampleCritical(n: 20_000) - 0.015733) < 1e-5)
        #expect(abs(KS.twoSampleCritical(n: 20_000, m: 20_000) - 0.022250) < 1e-5)
    }

    @Test("ziggurat Gaussian vs gsl_cdf_ugaussian_P (KS, level 1e-4)", arguments: [UInt64(1), 2, 3])
    func gaussianKS(_ seed: UInt64) {
        let d = KS.oneSample(Self.draws(.gaussian, seed: seed)) { gsl_cdf_ugaussian_P($0) }
        #expect(d < KS.oneSampleCritical(n: Self.n), "D = \(d)")
    }

    /// The ziggurat's rare paths (wedges and the tail beyond r ≈ 3.44) hold ~1.2 % of the mass; a KS
    /// test conditional on |x| > 3 checks the tail sampler itself: n = 20 000 tail draws, same level.
    @Test("ziggurat tail beyond |x| > 3 vs the conditional normal CDF")
    func gaussianTail() {
        var rng = RandomStream(seed: 77)
        var tail = [Double]()
        while tail.count < Self.n { let z = rng.gaussian(); if z > 3 { tail.append(z) } else if z < -3 { tail.append(-z) } }
        let q3 = gsl_cdf_ugaussian_Q(3)
        let d = KS.oneSample(tail) { 1 - gsl_cdf_ugaussian_Q($0) / q3 }
        #expect(d < KS.oneSampleCritical(n: Self.n), "D = \(d)")
    }

    /// ν = 1.5 exercises Gamma(ν/2 < 1) (the boost path), ν = 3 and 10 the direct path.
    @Test("Student-t vs gsl_cdf_tdist_P (KS, level 1e-4)", arguments: [1.5, 3.0, 10.0])
    func studentTKS(_ nu: Double) {
        let d = KS.oneSample(Self.draws(.studentT(dof: nu), seed: 11)) { gsl_cdf_tdist_P($0, nu) }
        #expect(d < KS.oneSampleCritical(n: Self.n), "D = \(d)")
    }

    /// Symmetric Pareto(β): |X| = U^{−1/β} ≥ 1, so F(x) = ½|x|^{−β} for x ≤ −1, ½ on (−1, 1),
    /// 1 − ½x^{−β} for x ≥ 1.
    @Test("symmetric Pareto vs its closed-form CDF (KS, level 1e-4)", arguments: [1.1, 1.5, 2.0, 3.0])
    func paretoKS(_ beta: Double) {
        let cdf = { (x: Double) -> Double in
            x <= -1 ? 0.5 * pow(-x, -beta) : (x < 1 ? 0.5 : 1 - 0.5 * pow(x, -beta))
        }
        let d = KS.oneSample(Self.draws(.symmetricPareto(tail: beta), seed: 12), cdf: cdf)
        #expect(d < KS.oneSampleCritical(n: Self.n), "D = \(d)")
    }

    /// Symmetric Lomax(α): P(|X| > t) = (1 + t)^{−α}, so F(x) = ½(1 + |x|)^{−α} for x < 0 and
    /// 1 − ½(1 + x)^{−α} for x ≥ 0.
    @Test("symmetric Lomax vs its closed-form CDF (KS, level 1e-4)", arguments: [1.1, 1.5, 2.0, 3.0])
    func lomaxKS(_ alpha: Double) {
        let cdf = { (x: Double) -> Double in
            x < 0 ? 0.5 * pow(1 - x, -alpha) : 1 - 0.5 * pow(1 + x, -alpha)
        }
        let d = KS.oneSample(Self.draws(.symmetricLomax(tail: alpha), seed: 13), cdf: cdf)
        #expect(d < KS.oneSampleCritical(n: Self.n), "D = \(d)")
    }

    /// No closed-form CDF: two-sample KS against `gsl_ran_levy(r, 1, α)` (MT19937, fixed seed).
    @Test("symmetric α-stable vs gsl_ran_levy (two-sample KS, level 1e-4)", arguments: [1.0, 1.2, 1.5, 1.8, 2.0])
    func stableKS(_ alpha: Double) throws {
        let ours = Self.draws(.stable(alpha: alpha), seed: 14)
        let gsl = try GSLSampler(seed: 2024).draws(Self.n) { gsl_ran_levy($0, 1, alpha) }
        let d = KS.twoSample(ours, gsl)
        #expect(d < KS.twoSampleCritical(n: Self.n, m: Self.n), "D = \(d)")
    }

    @Test("the KS test has power: N(0,1) samples are rejected against Student-t(3) and vice versa")
    func ksHasPower() {
        let z = Self.draws(.gaussian, seed: 1)
        #expect(KS.oneSample(z) { gsl_cdf_tdist_P($0, 3) } > KS.oneSampleCritical(n: Self.n))
        // Pareto tail 1.5 against the tail-2 CDF: sup |F₁.₅ − F₂| = ½ max (x^{−1.5} − x^{−2}) ≈ 0.074.
        let p = Self.draws(.symmetricPareto(tail: 1.5), seed: 12)
        #expect(KS.oneSample(p) { x in x <= -1 ? 0.5 * pow(-x, -2) : (x < 1 ? 0.5 : 1 - 0.5 * pow(x, -2)) }
                > KS.oneSampleCritical(n: Self.n))
        // Stable α = 1.5 against Cauchy (α = 1) reference draws from GSL.
        let s15 = Self.draws(.stable(alpha: 1.5), seed: 14)
        let cauchy = (try? GSLSampler(seed: 2024).draws(Self.n) { gsl_ran_levy($0, 1, 1) }) ?? []
        #expect(KS.twoSample(s15, cauchy) > KS.twoSampleCritical(n: Self.n, m: Self.n))
    }

    // MARK: absolute moments

    /// (law, a) with a < tail/2, so |X|^a has finite variance and the CLT standard error applies.
    static let momentCases: [(ScalarLaw, Double)] = [
        (.gaussian, 1), (.gaussian, 2), (.gaussian, 3), (.gaussian, 0.5),
        (.studentT(dof: 6), 1), (.studentT(dof: 6), 2), (.studentT(dof: 3), 1),
        (.symmetricPareto(tail: 1.5), 0.5), (.symmetricPareto(tail: 2), 0.9), (.symmetricPareto(tail: 4), 1.5),
        (.symmetricLomax(tail: 1.5), 0.5), (.symmetricLomax(tail: 2), 0.9), (.symmetricLomax(tail: 4), 1.5),
        (.stable(alpha: 2), 1), (.stable(alpha: 2), 2), (.stable(alpha: 1.5), 0.5), (.stable(alpha: 1.2), 0.4), (.stable(alpha: 1.8), 0.8),
        (.rademacher, 1.7),
    ]
    static let momentSamples = 100_000

    static func powers(_ law: ScalarLaw, _ a: Double, seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed)
        return (0..<momentSamples).map { _ in pow(abs(law.sample(&rng)), a) }
    }

    @Test("absoluteMoment(a) matches Monte Carlo within 5 standard errors", arguments: momentCases.indices)
    func absoluteMoment(_ c: Int) {
        let (law, a) = Self.momentCases[c]
        #expect(a < law.tailIndex / 2)
        let exact = law.absoluteMoment(a)
        let mc = MonteCarloMean(Self.powers(law, a, seed: 100 + UInt64(c)))
        #expect(exact.isFinite)
        #expect(mc.agrees(with: exact), "\(law), a = \(a): exact \(exact), MC \(mc.mean) ± \(mc.standardError)")
    }

    /// The same tolerance is sharp enough to catch a formula off by 10 %.
    @Test("a moment formula off by 10 % is caught by the same tolerance", arguments: momentCases.indices)
    func wrongMomentCaught(_ c: Int) {
        let (law, a) = Self.momentCases[c]
        let mc = MonteCarloMean(Self.powers(law, a, seed: 100 + UInt64(c)))
        #expect(!mc.agrees(with: 1.1 * law.absoluteMoment(a)))
        #expect(!mc.agrees(with: 0.9 * law.absoluteMoment(a)))
    }

    @Test("moments beyond the tail index are infinite; tail indices are right")
    func infiniteMoments() {
        #expect(ScalarLaw.symmetricPareto(tail: 1.5).absoluteMoment(1.5) == .infinity)
        #expect(ScalarLaw.symmetricLomax(tail: 1.5).absoluteMoment(2) == .infinity)
        #expect(ScalarLaw.studentT(dof: 3).absoluteMoment(3) == .infinity)
        #expect(ScalarLaw.stable(alpha: 1.5).absoluteMoment(2) == .infinity)
        #expect(ScalarLaw.gaussian.tailIndex == .infinity)
        #expect(ScalarLaw.stable(alpha: 1.5).tailIndex == 1.5)
        #expect(ScalarLaw.stable(alpha: 2).tailIndex == .infinity)
        // Known values: E Z² = 1, E|Z| = √(2/π), E t_ν² = ν/(ν−2), Pareto E|X| = β/(β−1).
        #expect(abs(ScalarLaw.gaussian.absoluteMoment(2) - 1) < 1e-14)
        #expect(abs(ScalarLaw.gaussian.absoluteMoment(1) - (2 / Double.pi).squareRoot()) < 1e-14)
        #expect(abs(ScalarLaw.studentT(dof: 5).absoluteMoment(2) - 5.0 / 3.0) < 1e-13)
        #expect(abs(ScalarLaw.symmetricPareto(tail: 1.5).absoluteMoment(1) - 3) < 1e-14)
        // Lomax(α): E|X| = 1/(α−1), E X² = 2/((α−1)(α−2)).
        #expect(abs(ScalarLaw.symmetricLomax(tail: 3).absoluteMoment(1) - 0.5) < 1e-13)
        #expect(abs(ScalarLaw.symmetricLomax(tail: 3).absoluteMoment(2) - 1) < 1e-13)
    }

    // MARK: noise vectors

    static func normPowers(_ noise: Noise, _ a: Double, samples: Int, seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed)
        var g = [Double](repeating: 0, count: noise.dimension), scratch = g
        return (0..<samples).map { _ in
            for j in g.indices { g[j] = 0 }
            noise.add(to: &g, scratch: &scratch, rng: &rng)
            return pow(Vec.norm(g), a)
        }
    }

    /// Radial noise ξ = s·r·u: E‖ξ‖^a = s^a·E|r|^a (a < tail/2 for a finite-variance CLT).
    @Test("radial noise: E‖ξ‖^a = s^a·E|r|^a", arguments: [
        (ScalarLaw.symmetricPareto(tail: 1.5), 2.0, 0.5), (.symmetricLomax(tail: 2), 0.5, 0.8),
        (.gaussian, 0.3, 2.0), (.studentT(dof: 6), 1.5, 2.0),
    ])
    func radialNoise(_ law: ScalarLaw, _ s: Double, _ a: Double) throws {
        let noise = Noise(law: law, scale: s, geometry: .radial, dimension: 7)
        let exact = try #require(noise.normMoment(a))
        #expect(abs(exact - pow(s, a) * law.absoluteMoment(a)) <= 1e-14 * exact)
        let mc = MonteCarloMean(Self.normPowers(noise, a, samples: 40_000, seed: 21))
        #expect(mc.agrees(with: exact), "MC \(mc.mean) ± \(mc.standardError), exact \(exact)")
        #expect(!mc.agrees(with: 1.1 * exact))
        if a == 2 { #expect(abs(noise.variance - exact) <= 1e-14 * exact) }
    }

    @Test("radial noise has direction uniform on the sphere: E ξ = 0 and E ξξᵀ = (E‖ξ‖²/d) I")
    func radialIsotropic() {
        let d = 4, n = 40_000
        let noise = Noise(law: .gaussian, scale: 1, geometry: .radial, dimension: d)
        var rng = RandomStream(seed: 31)
        var g = [Double](repeating: 0, count: d), scratch = g
        var firstCoord = [Double](), firstSquared = [Double]()
        for _ in 0..<n {
            for j in g.indices { g[j] = 0 }
            noise.add(to: &g, scratch: &scratch, rng: &rng)
            firstCoord.append(g[0]); firstSquared.append(g[0] * g[0])
        }
        #expect(MonteCarloMean(firstCoord).agrees(with: 0))
        #expect(MonteCarloMean(firstSquared).agrees(with: noise.variance / Double(d)))
    }

    @Test("per-coordinate Gaussian noise: E‖ξ‖² = d·s², and the chi moment E‖ξ‖ matches")
    func perCoordinateGaussian() throws {
        let d = 10, s = 0.316227766016838
        let noise = Noise(law: .gaussian, scale: s, geometry: .perCoordinate, dimension: d)
        #expect(abs(noise.variance - Double(d) * s * s) < 1e-14)
        #expect(try #require(noise.normMoment(2)) == noise.variance)
        let mc2 = MonteCarloMean(Self.normPowers(noise, 2, samples: 40_000, seed: 41))
        #expect(mc2.agrees(with: Double(d) * s * s), "MC \(mc2.mean) ± \(mc2.standardError)")
        // E χ_d = √2 Γ((d+1)/2)/Γ(d/2).
        let chi = s * 2.0.squareRoot() * exp(lgamma(Double(d + 1) / 2) - lgamma(Double(d) / 2))
        let m1 = try #require(noise.normMoment(1))
        #expect(abs(m1 - chi) < 1e-13)
        #expect(MonteCarloMean(Self.normPowers(noise, 1, samples: 40_000, seed: 42)).agrees(with: chi))
        // Per-coordinate heavy-tailed noise: E‖ξ‖² = d·s²·E r².
        let t = Noise(law: .studentT(dof: 6), scale: 2, geometry: .perCoordinate, dimension: 3)
        #expect(abs(t.variance - 3 * 4 * 1.5) < 1e-12)
        #expect(Noise(law: .symmetricPareto(tail: 1.5), scale: 1, geometry: .perCoordinate, dimension: 3).variance == .infinity)
    }
}

/// A GSL generator (MT19937) for reference samples.
final class GSLSampler {
    let rng: UnsafeMutablePointer<gsl_rng>
    init(seed: UInt) throws {
        guard let types = gsl_rng_types_setup() else { throw CancellationError() }
        var mt: UnsafePointer<gsl_rng_type>?
        var i = 0
        while let t = types[i] {
            if String(cString: t.pointee.name) == "mt19937" { mt = t; break }
            i += 1
        }
        guard let type = mt, let r = gsl_rng_alloc(type) else { throw CancellationError() }
        gsl_rng_set(r, seed)
        rng = r
    }
    deinit { gsl_rng_free(rng) }
    func draws(_ n: Int, _ f: (UnsafeMutablePointer<gsl_rng>) -> Double) -> [Double] { (0..<n).map { _ in f(rng) } }
}
