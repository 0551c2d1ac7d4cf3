import CGSL
import Foundation
import Testing
import TheoryBench

/// The eight-lane Gaussian bulk fill (`RandomStream.addGaussianLanes`, `LaneZiggurat`): its tables,
/// bitwise agreement with its scalar map, its law (KS against GSL's normal CDF, moments), pairwise
/// independence of the lanes, determinism, and its use by `Noise.add`.
@Suite("Gaussian lanes")
struct GaussianLanesTests {
    /// n standard normal draws by the bulk fill, eight lanes per step (d = 64: no scalar tail).
    static func draws(_ n: Int, seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed)
        var out = [Double](), y = [Double](repeating: 0, count: 64)
        out.reserveCapacity(n + 64)
        while out.count < n {
            for j in y.indices { y[j] = 0 }
            y.withUnsafeMutableBufferPointer { rng.addGaussianLanes(scale: 1, to: $0) }
            out.append(contentsOf: y)
        }
        return Array(out.prefix(n))
    }

    /// The inequalities that make the sampler exact, checked in 80-bit arithmetic (so a double
    /// rounding cannot hide a violation): each layer's width covers the curve in its band, each
    /// fast-path code stays inside the part of the band under the curve, the top layer crosses 1.
    @Test("the layers cover the area under e^{−x²/2} with equal areas v; codes stay under the curve; the tail strip (GSL)")
    func tables() {
        let t = LaneZiggurat.tables, n = LaneZiggurat.layers
        func inverse(_ y: Double) -> Float80 { (-2 * Foundation.log(Float80(y))).squareRoot() }
        func fastWidth(_ i: Int) -> Float80 { Float80(t.code(i)) * 0x1p-20 * Float80(t.width(i)) }
        #expect(t.f[0] == 0 && t.f[1] == exp(-0.5 * t.r * t.r))
        #expect(abs(t.width(0) * t.f[1] - t.v) <= 1e-15 * t.v)
        #expect(fastWidth(0) <= Float80(t.r))
        for i in 1..<n {
            #expect(abs(t.width(i) * (t.f[i + 1] - t.f[i]) - t.v) <= 1e-12 * t.v, "area of layer \(i)")
            #expect(t.width(i) < t.width(i - 1), "widths decrease")
            #expect(Float80(t.width(i)) >= inverse(t.f[i]), "layer \(i) covers the curve in its band")
            if i < n - 1 { #expect(fastWidth(i) <= inverse(t.f[i + 1]), "layer \(i)'s fast region is under the curve") }
        }
        #expect(t.code(n - 1) == 0, "the top layer has no fast path")
        #expect(t.f[n - 1] < 1 && t.f[n] >= 1 && t.f[n] - 1 < 1e-12, "the top layer crosses 1: F_n − 1 = \(t.f[n] - 1)")
        let tailMass = (2 * Double.pi).squareRoot() * gsl_cdf_ugaussian_Q(t.r)
        #expect(abs(t.tailMass - tailMass) <= 1e-13 * tailMass)
        #expect(t.strip >= t.tailMass && 1 - t.tailMass / t.strip < 1e-8, "T/A = \(t.tailMass / t.strip)")
        var fast = 0.0
        for i in 0..<n { fast += Double(t.code(i)) * 0x1p-20 / Double(n) }
        #expect(fast > 0.998, "fast-path fraction \(fast)")
    }

    /// d = 8005: more than `LaneZiggurat.pending` steps with a rejected lane in one fill (mid-loop finish).
    @Test("a bulk fill is bitwise the scalar map of the lane words (the first d mod 8 of one more step); d < 8 is scalar gaussian()", arguments: [5, 8, 21, 100, 8005])
    func lanesMatchScalar(_ d: Int) {
        var rng = RandomStream(seed: 41), ref = rng
        let t = LaneZiggurat.tables
        var y = [Double](repeating: 0.25, count: d)
        var slow = 0, tail = 0, mostPending = 0
        for _ in 0..<(d > 1000 ? 200 : 4000) {
            for j in 0..<d { y[j] = 0.25 }
            y.withUnsafeMutableBufferPointer { rng.addGaussianLanes(scale: 0.5, to: $0) }
            var expected = [Double](repeating: 0.25, count: d)
            var pending = 0
            for block in stride(from: 0, to: d - 7, by: 8) {
                let w = ref.nextLanes()
                let before = slow
                for l in 0..<8 {
                    let i = Int(w[l] >> 52)
                    let x = (Double(bitPattern: ((w[l] << 1) & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000) - 1) * t.width(i)
                    if !((w[l] >> 31) & LaneZiggurat.codeMask < t.code(i)) { slow += 1; if i == 0 && x >= t.r { tail += 1 } }
                    expected[block + l] += LaneZiggurat.standard(word: w[l], &ref) * 0.5
                }
                if slow > before { pending += 1 }
            }
            if d < 8 {                                          // the scalar ziggurat
                for j in 0..<d { expected[j] += 0.5 * ref.gaussian() }
            } else if d % 8 > 0 {                               // the first lanes of one more step
                let w = ref.nextLanes()
                for l in 0..<(d % 8) { expected[d - d % 8 + l] += LaneZiggurat.standard(word: w[l], &ref) * 0.5 }
            }
            #expect(y.map(\.bitPattern) == expected.map(\.bitPattern))
            mostPending = max(mostPending, pending)
        }
        #expect(d < 8000 || mostPending > LaneZiggurat.pending, "the pending buffer filled up")
        #expect(d < 8 || slow > 0, "the slow path was exercised")
        #expect(d < 1000 || tail > 0, "the tail beyond r was exercised")
        #expect(rng.next() == ref.next())
    }

    @Test("bulk fill vs gsl_cdf_ugaussian_P (KS, level 1e-4)", arguments: [UInt64(1), 2, 3])
    func ks(_ seed: UInt64) {
        let n = DistributionTests.n
        let d = KS.oneSample(Self.draws(n, seed: seed)) { gsl_cdf_ugaussian_P($0) }
        #expect(d < KS.oneSampleCritical(n: n), "D = \(d)")
    }

    /// The slow paths: beyond |x| > 3 (fast path, wedges and the tail) n = 20 000 draws, and beyond
    /// r ≈ 4.39 (the tail sampler alone) n = 2 000, against the conditional normal CDFs, same level.
    @Test("the fill's tails beyond 3 and beyond r vs the conditional normal CDF (KS)")
    func tails() {
        let r = LaneZiggurat.tables.r
        var beyond3 = [Double](), beyondR = [Double]()
        var rng = RandomStream(seed: 43)
        var y = [Double](repeating: 0, count: 64)
        while beyond3.count < 20_000 || beyondR.count < 2_000 {
            for j in y.indices { y[j] = 0 }
            y.withUnsafeMutableBufferPointer { rng.addGaussianLanes(scale: 1, to: $0) }
            for z in y where abs(z) > 3 {
                if beyond3.count < 20_000 { beyond3.append(abs(z)) }
                if abs(z) > r && beyondR.count < 2_000 { beyondR.append(abs(z)) }
            }
        }
        let q3 = gsl_cdf_ugaussian_Q(3), qr = gsl_cdf_ugaussian_Q(r)
        let d3 = KS.oneSample(beyond3) { 1 - gsl_cdf_ugaussian_Q($0) / q3 }
        let dr = KS.oneSample(beyondR) { 1 - gsl_cdf_ugaussian_Q($0) / qr }
        #expect(d3 < KS.oneSampleCritical(n: 20_000), "D = \(d3)")
        #expect(dr < KS.oneSampleCritical(n: 2_000), "D = \(dr)")
    }

    /// n = 4·10⁶ draws. Under N(0, 1) the sample moments of x, x², x³, x⁴ have standard deviations
    /// √(1/n), √(2/n), √(15/n), √(96/n) (Var x^k = E x^{2k} − (E x^k)²: 1, 3 − 1, 15, 105 − 9);
    /// each must be within 5 of them (two-sided level 5.7e-7 each under the normal limit).
    @Test("moments: mean 0, variance 1, third 0, fourth 3 within 5 Monte-Carlo standard deviations")
    func moments() {
        let n = 4_000_000
        let xs = Self.draws(n, seed: 47)
        var m = [Double](repeating: 0, count: 5)
        for x in xs { let x2 = x * x; m[1] += x; m[2] += x2; m[3] += x2 * x; m[4] += x2 * x2 }
        let nn = Double(n)
        let sd = [0, 1, 2, 15, 96].map { ($0 / nn).squareRoot() }
        #expect(abs(m[1] / nn) < 5 * sd[1], "mean \(m[1] / nn)")
        #expect(abs(m[2] / nn - 1) < 5 * sd[2], "variance \(m[2] / nn)")
        #expect(abs(m[3] / nn) < 5 * sd[3], "third moment \(m[3] / nn)")
        #expect(abs(m[4] / nn - 3) < 5 * sd[4], "fourth moment \(m[4] / nn)")
    }

    /// Per lane: P(|z| > 1) = 2Q(1); for lane pairs (l, l + 1) and (l, l + 4): the joint frequency
    /// p² and the product moment E z_l z_k = 0 (standard deviation 1/√n for independent lanes).
    @Test("bulk-fill lanes each follow N(0, 1) and are pairwise independent")
    func lanesIndependent() {
        var rng = RandomStream(seed: 53)
        let n = 200_000, p = 2 * gsl_cdf_ugaussian_Q(1)
        var y = [Double](repeating: 0, count: 8)
        var beyond = [Int](repeating: 0, count: 8)
        var joint = [[Int]](repeating: [0, 0], count: 8), product = [[Double]](repeating: [0, 0], count: 8)
        for _ in 0..<n {
            for j in 0..<8 { y[j] = 0 }
            y.withUnsafeMutableBufferPointer { rng.addGaussianLanes(scale: 1, to: $0) }
            for l in 0..<8 {
                for (s, k) in [(l + 1) % 8, (l + 4) % 8].enumerated() {
                    product[l][s] += y[l] * y[k]
                    if abs(y[l]) > 1 && abs(y[k]) > 1 { joint[l][s] += 1 }
                }
                if abs(y[l]) > 1 { beyond[l] += 1 }
            }
        }
        let nn = Double(n)
        let sd = (p * (1 - p) / nn).squareRoot(), sdJoint = (p * p * (1 - p * p) / nn).squareRoot()
        for l in 0..<8 {
            #expect(abs(Double(beyond[l]) / nn - p) < 5 * sd, "lane \(l)")
            for s in 0..<2 {
                #expect(abs(Double(joint[l][s]) / nn - p * p) < 5 * sdJoint, "lanes \(l), \(s == 0 ? l + 1 : l + 4)")
                #expect(abs(product[l][s] / nn) < 5 / nn.squareRoot(), "E z_\(l) z_k = \(product[l][s] / nn)")
            }
        }
    }

    /// Pinned once: an FNV-1a-style hash of the bit patterns of 1000 fills (d = 100, seed 2024, scale
    /// 0.7, onto 0.1). The same on every x86-64 level and a baseline build (`THEORYBENCH_MARCH=baseline`).
    @Test("determinism: same seed, same bits (pinned across builds); another seed differs")
    func determinism() {
        func fills(_ seed: UInt64) -> (hash: UInt64, after: UInt64) {
            var rng = RandomStream(seed: seed)
            var y = [Double](repeating: 0.1, count: 100)
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for _ in 0..<1000 {
                for j in y.indices { y[j] = 0.1 }
                y.withUnsafeMutableBufferPointer { rng.addGaussianLanes(scale: 0.7, to: $0) }
                for v in y { h = (h ^ v.bitPattern) &* 0x0000_0100_0000_01b3 }
            }
            return (h, rng.next())
        }
        let a = fills(2024), b = fills(2024), c = fills(2025)
        #expect(a.hash == b.hash && a.after == b.after)
        #expect(a.hash != c.hash)
        #expect(a.hash == Self.pinned, "hash \(String(a.hash, radix: 16))")
    }
    static let pinned: UInt64 = 0x8995_2015_cb0f_f220

    @Test("Noise.add: per-coordinate Gaussian is the bulk fill; d < 8 is s·gaussian() per entry", arguments: [4, 21])
    func noise(_ d: Int) {
        let noise = Noise(law: .gaussian, scale: 0.3, geometry: .perCoordinate, dimension: d)
        var rng = RandomStream(seed: 59), ref = rng
        var g = [Double](repeating: 1, count: d), scratch = g
        for _ in 0..<500 {
            noise.add(to: &g, scratch: &scratch, rng: &rng)
            var expected = [Double](repeating: 1, count: d)
            if d < 8 {
                for j in 0..<d { expected[j] = 1 + 0.3 * ref.gaussian() }
            } else {
                expected.withUnsafeMutableBufferPointer { ref.addGaussianLanes(scale: 0.3, to: $0) }
            }
            #expect(g.map(\.bitPattern) == expected.map(\.bitPattern))
            for j in 0..<d { g[j] = 1 }
        }
        #expect(rng.next() == ref.next())
    }
}
