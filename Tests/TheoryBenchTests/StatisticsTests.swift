import CGSL
import Foundation
import Testing
import TheoryBench

/// `Verification/Statistics.swift`: quantiles with order-statistic intervals, linear fits, the mean's
/// Student-t interval, the bootstrap.
@Suite("Statistics")
struct StatisticsTests {
    /// The interval ranks, recomputed here by a full scan over all ranks (not the implementation's
    /// search from ⌊np⌋): r = max{r : P(Bin(n,p) ≥ r) ≥ (1+c)/2}, s = min{s : P(Bin(n,p) ≤ s−1) ≥ (1+c)/2};
    /// r = 0 means −∞ and s = n + 1 means +∞.
    static func expectedRanks(n: Int, p: Double, c: Double) -> (r: Int, s: Int) {
        let target = (1 + c) / 2
        let cdf = { (k: Int) -> Double in k < 0 ? 0 : gsl_cdf_binomial_P(UInt32(k), p, UInt32(n)) }
        let r = (0...n).last { 1 - cdf($0 - 1) >= target } ?? 0
        let s = (1...(n + 1)).first { cdf($0 - 1) >= target } ?? (n + 1)
        return (r, s)
    }

    static let quantileCases: [(n: Int, p: Double, c: Double, rank: Int)] = [
        (100, 0.5, 0.95, 50), (100, 0.9, 0.95, 90), (100, 0.99, 0.9, 99), (100, 0.07, 0.95, 7),
        (100, 0.29, 0.95, 29), (20, 0.5, 0.99, 10), (1000, 0.95, 0.99, 950), (1000, 0.999, 0.95, 999),
        (37, 0.8, 0.9, 30),
    ]

    @Test("quantile of 1…n: the ⌈np⌉-th order statistic and binomial interval ranks", arguments: quantileCases.indices)
    func quantileRanks(_ i: Int) {
        let (n, p, c, rank) = Self.quantileCases[i]
        // A shuffled 1…n, so value = rank.
        var rng = RandomStream(seed: UInt64(i))
        var xs = (1...n).map(Double.init)
        for k in stride(from: n - 1, to: 0, by: -1) { xs.swapAt(k, rng.index(below: k + 1)) }
        let e = Statistics.quantile(xs, level: p, confidence: c)
        #expect(e.value == Double(rank), "n = \(n), p = \(p)")
        let (r, s) = Self.expectedRanks(n: n, p: p, c: c)
        #expect(e.lower == (r == 0 ? -.infinity : Double(r)), "n = \(n), p = \(p), c = \(c): lower rank \(r)")
        #expect(e.upper == (s == n + 1 ? .infinity : Double(s)), "n = \(n), p = \(p), c = \(c): upper rank \(s)")
        #expect(e.lower <= e.value && e.value <= e.upper)
    }

    @Test("known interval ranks: median of 100 at 95 % is [x(40), x(61)]")
    func knownMedianInterval() {
        // Classical table value (e.g. Conover, Practical Nonparametric Statistics, Table A3):
        // P(Bin(100, ½) ≤ 39) = 0.0176 ≤ 0.025 < P(Bin ≤ 40) = 0.0284.
        let e = Statistics.quantile((1...100).map(Double.init), level: 0.5, confidence: 0.95)
        #expect(e.lower == 40 && e.upper == 61 && e.value == 50)
    }

    /// Coverage: each side of the interval fails with probability ≤ (1−c)/2 for any continuous law, so
    /// the interval covers the true quantile with probability ≥ c. Over M = 2000 seeded uniform
    /// samples, the number of covering intervals is then stochastically ≥ Bin(M, c); reject when
    /// P(Bin(M, c) ≤ observed) < 1e-4.
    @Test("quantile intervals cover the true quantile at ≥ the nominal rate", arguments: [(50, 0.9, 0.9), (200, 0.99, 0.95), (30, 0.5, 0.8)])
    func quantileCoverage(_ n: Int, _ p: Double, _ c: Double) {
        let m = 2000
        var covered = 0, lowerOK = 0, upperOK = 0
        for rep in 0..<m {
            var rng = RandomStream(name: "quantile-coverage-\(n)-\(p)", run: rep)
            let xs = (0..<n).map { _ in rng.uniform() }
            let e = Statistics.quantile(xs, level: p, confidence: c)
            if e.lower <= p { lowerOK += 1 }
            if e.upper >= p { upperOK += 1 }
            if e.lower <= p && p <= e.upper { covered += 1 }
        }
        let level = 1e-4
        #expect(gsl_cdf_binomial_P(UInt32(covered), c, UInt32(m)) >= level, "covered \(covered)/\(m), nominal \(c)")
        let side = (1 + c) / 2
        #expect(gsl_cdf_binomial_P(UInt32(lowerOK), side, UInt32(m)) >= level, "lower side \(lowerOK)/\(m)")
        #expect(gsl_cdf_binomial_P(UInt32(upperOK), side, UInt32(m)) >= level, "upper side \(upperOK)/\(m)")
    }

    @Test("an index beyond the sample gives ±∞")
    func quantileInfiniteEnds() {
        let e = Statistics.quantile((1...10).map(Double.init), level: 0.99, confidence: 0.99)
        #expect(e.value == 10)
        #expect(e.upper == .infinity)
    }

    // MARK: linear fit

    @Test("linearFit recovers an exact line with zero standard error")
    func exactLine() {
        let x = (0..<20).map { Double($0) * 0.5 }
        let y = x.map { 2 - 3 * $0 }
        let f = Statistics.linearFit(x: x, y: y)
        #expect(abs(f.slope + 3) < 1e-12)
        #expect(abs(f.intercept - 2) < 1e-12)
        #expect(f.slopeStandardError < 1e-12)
        #expect(f.points == 20)
        let ci = f.slopeInterval(confidence: 0.99)
        #expect(ci.upper - ci.lower < 1e-10)
    }

    /// x = 0…4, y = 1, 3, 2, 5, 4 by hand: x̄ = 2, ȳ = 3, Sxy = 8, Sxx = 10 ⇒ b = 0.8, a = 1.4;
    /// residuals −0.4, 0.8, −1, 1.2, −0.6, SSR = 3.6, s² = 3.6/3 = 1.2, se(b) = √(1.2/10) = √0.12;
    /// 95 % interval half-width t_{0.975,3}·se = 3.182446305284263·0.3464101615 (t from tables).
    @Test("linearFit on a small noisy case computed by hand")
    func noisyLine() {
        let f = Statistics.linearFit(x: [0, 1, 2, 3, 4], y: [1, 3, 2, 5, 4])
        #expect(abs(f.slope - 0.8) < 1e-14)
        #expect(abs(f.intercept - 1.4) < 1e-14)
        #expect(abs(f.slopeStandardError - 0.12.squareRoot()) < 1e-14)
        let ci = f.slopeInterval(confidence: 0.95)
        let h = 3.182446305284263 * 0.12.squareRoot()
        #expect(abs(ci.lower - (0.8 - h)) < 1e-9 && abs(ci.upper - (0.8 + h)) < 1e-9)
        #expect(Statistics.linearFit(x: [0, 1], y: [0, 1]).slopeInterval(confidence: 0.9).upper == .infinity)
    }

    // MARK: mean

    /// 1…5: mean 3, s² = 2.5, s/√n = √0.5; t_{0.975,4} = 2.7764451051977987 (tables).
    @Test("mean interval on a known sample")
    func meanKnown() {
        let e = Statistics.mean([1, 2, 3, 4, 5], confidence: 0.95)
        let h = 2.7764451051977987 * 0.5.squareRoot()
        #expect(e.value == 3)
        #expect(abs(e.lower - (3 - h)) < 1e-9 && abs(e.upper - (3 + h)) < 1e-9)
        let constant = Statistics.mean([2, 2, 2], confidence: 0.99)
        #expect(constant.lower == 2 && constant.upper == 2)
        let single = Statistics.mean([7], confidence: 0.99)
        #expect(single.value == 7 && single.lower == 7 && single.upper == 7)
    }

    /// For Gaussian data the t interval is exact: coverage ~ Bin(M, c); two-sided test at level 1e-4.
    @Test("mean interval has its nominal coverage on Gaussian data")
    func meanCoverage() {
        let m = 2000, c = 0.9
        var covered = 0
        for rep in 0..<m {
            var rng = RandomStream(name: "mean-coverage", run: rep)
            let xs = (0..<8).map { _ in 5 + 2 * rng.gaussian() }
            let e = Statistics.mean(xs, confidence: c)
            if e.lower <= 5 && 5 <= e.upper { covered += 1 }
        }
        let below = gsl_cdf_binomial_P(UInt32(covered), c, UInt32(m))
        let above = covered == 0 ? 1 : gsl_cdf_binomial_Q(UInt32(covered - 1), c, UInt32(m))
        #expect(min(below, above) >= 0.5e-4, "covered \(covered)/\(m)")
    }

    // MARK: bootstrap

    @Test("bootstrap is deterministic for a seed and brackets the statistic")
    func bootstrapDeterministic() {
        var rng = RandomStream(seed: 3)
        let xs = (0..<200).map { _ in rng.gaussian() }
        let median = { (s: [Double]) -> Double in s.sorted()[s.count / 2] }
        let a = Statistics.bootstrap(xs, resamples: 500, confidence: 0.9, seed: 42, statistic: median)
        let b = Statistics.bootstrap(xs, resamples: 500, confidence: 0.9, seed: 42, statistic: median)
        #expect(a == b)
        #expect(a.lower.bitPattern == b.lower.bitPattern && a.upper.bitPattern == b.upper.bitPattern)
        let c = Statistics.bootstrap(xs, resamples: 500, confidence: 0.9, seed: 43, statistic: median)
        #expect(c != a)
        #expect(a.value == median(xs))
        #expect(a.lower <= a.value && a.value <= a.upper)
        #expect(a.lower < a.upper)
    }
}
