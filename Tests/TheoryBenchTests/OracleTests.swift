import Foundation
import Testing
import TheoryBench

/// Stochastic gradient oracles (`Oracles/`): unbiasedness and exact variances, by Monte Carlo with
/// CLT tolerances of 5 standard errors (two-sided level 5.7e-7 per comparison under the normal limit).
@Suite("Oracles")
struct OracleTests {
    static let quadratic = Quadratic(spectrum: Quadratic.linearSpectrum(dimension: 5, min: 1, max: 10),
                                     rotationSeed: 3, xStar: [1, -2, 0.5, 0, 3])
    static let x: [Double] = [0.3, -1, 2, 1.5, -0.7]
    static let samples = 20_000

    /// Samples of g(x) from a fresh oracle and stream.
    static func sample<O: GradientOracle>(_ oracle: O, at x: [Double], n: Int = samples, seed: UInt64) -> [[Double]] {
        var o = oracle
        var rng = RandomStream(seed: seed)
        var g = [Double](repeating: 0, count: x.count)
        return (0..<n).map { _ in o.sample(at: x, into: &g, rng: &rng); return g }
    }

    /// Per coordinate j: |mean_j − target_j| ≤ 5 s_j/√n.
    static func meanAgrees(_ gs: [[Double]], _ target: [Double]) -> [Bool] {
        target.indices.map { j in MonteCarloMean(gs.map { $0[j] }).agrees(with: target[j]) }
    }

    static let noises: [Noise] = [
        Noise(law: .gaussian, scale: 0.5, geometry: .perCoordinate, dimension: 5),
        Noise(law: .studentT(dof: 5), scale: 1, geometry: .perCoordinate, dimension: 5),
        Noise(law: .symmetricLomax(tail: 5), scale: 2, geometry: .radial, dimension: 5),   // E r⁴ < ∞: CLT for ‖ξ‖²
        Noise(law: .rademacher, scale: 1, geometry: .perCoordinate, dimension: 5),
    ]

    @Test("AdditiveNoiseOracle is unbiased: mean of g(x) = ∇f(x)", arguments: noises.indices)
    func additiveUnbiased(_ i: Int) {
        let noise = Self.noises[i]
        let gs = Self.sample(AdditiveNoiseOracle(Self.quadratic, noise: noise), at: Self.x, seed: 100 + UInt64(i))
        let truth = Self.quadratic.gradient(Self.x)
        #expect(Self.meanAgrees(gs, truth).allSatisfy { $0 }, "\(noise)")
        // Power: a bias of 0.1 in one coordinate (≥ 10 standard errors here) is caught.
        var biased = truth
        biased[0] += 0.1
        #expect(!Self.meanAgrees(gs, biased)[0])
    }

    @Test("AdditiveNoiseOracle: E‖g(x) − ∇f(x)‖² = σ² (the noise's exact variance)", arguments: noises.indices)
    func additiveVariance(_ i: Int) {
        let noise = Self.noises[i]
        let gs = Self.sample(AdditiveNoiseOracle(Self.quadratic, noise: noise), at: Self.x, seed: 200 + UInt64(i))
        let truth = Self.quadratic.gradient(Self.x)
        let mc = MonteCarloMean(gs.map { Vec.distanceSquared($0, truth) })
        #expect(mc.agrees(with: noise.variance), "\(noise): MC \(mc.mean) ± \(mc.standardError), σ² = \(noise.variance)")
    }

    static let leastSquares = LeastSquares.generated(rows: 40, dimension: 4, noise: 1, seed: 8)
    static let logistic = Logistic.generated(rows: 50, dimension: 4, regularization: 0.1, seed: 9)

    static func minibatchVariance<P: FiniteSumObjective>(_ p: P, batch b: Int, seed: UInt64) throws -> (MonteCarloMean, Double) {
        let oracle = MinibatchOracle(p, batchSize: b)
        let xs = try #require(p.constants.xStar)
        let exact = try #require(oracle.varianceAtOptimum())
        let full = p.gradient(xs)   // ≈ 0 (x* to machine precision); subtracted all the same
        let gs = sample(oracle, at: xs, seed: seed)
        return (MonteCarloMean(gs.map { Vec.distanceSquared($0, full) }), exact)
    }

    @Test("MinibatchOracle variance at x* matches varianceAtOptimum()", arguments: [1, 4, 16])
    func minibatchVarianceAtOptimum(_ b: Int) throws {
        for (k, p) in [Self.leastSquares as any FiniteSumObjective, Self.logistic].enumerated() {
            let (mc, exact) = try Self.minibatchVariance(p, batch: b, seed: 300 + UInt64(10 * b + k))
            #expect(mc.agrees(with: exact), "b = \(b): MC \(mc.mean) ± \(mc.standardError), exact \(exact)")
            // Power: the same tolerance rejects the formula without the 1/b (b > 1) or off by 10 %.
            #expect(!mc.agrees(with: 1.1 * exact))
            if b > 1 { #expect(!mc.agrees(with: exact * Double(b))) }
        }
    }

    @Test("MinibatchOracle is unbiased away from x*, and Instance.oracleVariance uses the exact formula")
    func minibatchUnbiased() throws {
        let p = Self.leastSquares
        let x = [1.0, -1, 0.5, 2]
        let gs = Self.sample(MinibatchOracle(p, batchSize: 3), at: x, seed: 400)
        #expect(Self.meanAgrees(gs, p.gradient(x)).allSatisfy { $0 })
        let inst = Instance(id: "ls", source: "", family: "least-squares", summary: "", problem: p,
                            parts: [MinibatchPart(batchSize: 3)], start: x, budget: .init(iterations: 1, runs: 1), seed: 1)
        #expect(inst.oracleVariance == MinibatchOracle(p, batchSize: 3).varianceAtOptimum())
        #expect(MinibatchOracle(p, batchSize: 3).costPerSample == 3)
    }

    @Test("ExactGradient returns ∇f(x) exactly")
    func exactGradient() {
        let gs = Self.sample(ExactGradient(Self.quadratic), at: Self.x, n: 3, seed: 1)
        #expect(gs.allSatisfy { $0 == Self.quadratic.gradient(Self.x) })
    }
}
