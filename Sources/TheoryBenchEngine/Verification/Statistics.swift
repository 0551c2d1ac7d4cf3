import TheoryBenchCore
import CGSL
import Foundation

/// A point estimate with a two-sided confidence interval [lower, upper].
public struct Estimate: Sendable, Equatable, Codable {
    public var value: Double
    public var lower: Double
    public var upper: Double
    public init(value: Double, lower: Double, upper: Double) {
        self.value = value; self.lower = lower; self.upper = upper
    }
}

/// The statistics theorybench's checks rest on, each with a confidence statement.
public enum Statistics {
    /// The sample mean with the Student-t interval x̄ ± t_{(1+c)/2, n−1}·s/√n (CLT-based; valid when
    /// the measured quantity has finite variance, which the claim's assumptions must ensure).
    public static func mean(_ xs: [Double], confidence c: Double) -> Estimate {
        let n = Double(xs.count)
        // A constant sample (a deterministic method run many times) has that constant as its exact
        // mean; summing n copies would round it by a few ulps.
        if let first = xs.first, xs.allSatisfy({ $0 == first }) { return Estimate(value: first, lower: first, upper: first) }
        let m = xs.reduce(0, +) / n
        guard xs.count > 1, m.isFinite else { return Estimate(value: m, lower: m, upper: m) }
        let s2 = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)
        let h = gsl_cdf_tdist_Pinv((1 + c) / 2, n - 1) * (s2 / n).squareRoot()
        return Estimate(value: m, lower: m - h, upper: m + h)
    }

    /// The p-quantile (type-1: the ⌈np⌉-th order statistic) with a distribution-free interval from
    /// order statistics: lower = x_(r), upper = x_(s) with P(Bin(n,p) ≥ r) ≥ (1+c)/2 and
    /// P(Bin(n,p) ≤ s−1) ≥ (1+c)/2 (each side holds with probability ≥ (1+c)/2 for any continuous
    /// law; David & Nagaraja, *Order Statistics*, §7.1). An index beyond the sample gives ±∞.
    public static func quantile(_ xs: [Double], level p: Double, confidence c: Double) -> Estimate {
        let sorted = xs.sorted()
        let n = sorted.count
        let a = (1 - c) / 2
        func at(_ rank: Int) -> Double {   // 1-based rank
            rank < 1 ? -.infinity : (rank > n ? .infinity : sorted[rank - 1])
        }
        // ⌈np⌉ of the decimal p the caller means: n·p in floating point can land just above an integer
        // (100 × 0.07 = 7.000000000000001), which would pick the next order statistic. The relative
        // error of p's representation is ≤ 2^-53, so shrinking by 1e-12 removes it and nothing else.
        let point = at(max(1, Int((Double(n) * p * (1 - 1e-12)).rounded(.up))))
        // largest r with P(Bin ≥ r) = 1 − P(Bin ≤ r−1) ≥ 1 − a
        var r = Int(Double(n) * p)
        while r >= 1 && 1 - binomialCDF(r - 1, p, n) < 1 - a { r -= 1 }
        // smallest s with P(Bin ≤ s−1) ≥ 1 − a
        var s = max(1, Int(Double(n) * p))
        while s <= n && binomialCDF(s - 1, p, n) < 1 - a { s += 1 }
        return Estimate(value: point, lower: at(r), upper: at(s))
    }

    static func binomialCDF(_ k: Int, _ p: Double, _ n: Int) -> Double {
        k < 0 ? 0 : gsl_cdf_binomial_P(UInt32(k), p, UInt32(n))
    }

    /// The ordinary least-squares fit y ≈ a + b·x by `gsl_fit_linear`.
    public struct LinearFit: Sendable, Equatable, Codable {
        public var intercept: Double
        public var slope: Double
        /// Standard error of the slope, from the scatter about the line.
        public var slopeStandardError: Double
        public var points: Int

        /// The two-sided interval for the slope at confidence c: b ± t_{(1+c)/2, n−2}·se.
        public func slopeInterval(confidence c: Double) -> Estimate {
            let h = points > 2 ? gsl_cdf_tdist_Pinv((1 + c) / 2, Double(points - 2)) * slopeStandardError : .infinity
            return Estimate(value: slope, lower: slope - h, upper: slope + h)
        }
    }

    public static func linearFit(x: [Double], y: [Double]) -> LinearFit {
        precondition(x.count == y.count && x.count >= 2, "a linear fit needs two or more points")
        var c0 = 0.0, c1 = 0.0, cov00 = 0.0, cov01 = 0.0, cov11 = 0.0, sumsq = 0.0
        gsl_fit_linear(x, 1, y, 1, x.count, &c0, &c1, &cov00, &cov01, &cov11, &sumsq)
        return LinearFit(intercept: c0, slope: c1, slopeStandardError: cov11.squareRoot(), points: x.count)
    }

    /// A percentile bootstrap interval of `statistic` over resamples of `xs` (with replacement),
    /// with `resamples` draws from a stream seeded by `seed` (deterministic).
    public static func bootstrap(_ xs: [Double], resamples: Int = 1000, confidence c: Double, seed: UInt64,
                                 statistic: ([Double]) -> Double) -> Estimate {
        var rng = RandomStream(seed: seed)
        var sample = xs
        var stats = [Double]()
        stats.reserveCapacity(resamples)
        for _ in 0..<resamples {
            for i in sample.indices { sample[i] = xs[rng.index(below: xs.count)] }
            stats.append(statistic(sample))
        }
        stats.sort()
        let a = (1 - c) / 2
        let lo = stats[max(0, Int(Double(resamples) * a))]
        let hi = stats[min(resamples - 1, Int(Double(resamples) * (1 - a)))]
        return Estimate(value: statistic(xs), lower: lo, upper: hi)
    }
}
