import TheoryBenchCore
import Foundation

/// Stein variational gradient descent (Liu & Wang 2016) with n particles in ℝ^d and the RBF kernel
/// k(x, y) = exp(−‖x − y‖²/h): with the score s = ∇log π = −∇V,
///   x_i ← x_i + γ·(1/n)Σ_j [k(x_j, x_i) s(x_j) + ρ·∇_{x_j}k(x_j, x_i)],  ∇_{x_j}k(x_j, x_i) = (2/h)(x_i − x_j)k,
/// ρ = 1 (ρ = 0: drift without the repulsive term, a control; ρ = ½: the repulsion with the gradient
/// factor 1/h of the other bandwidth convention, a plausible slip). The state is the particle set.
///
/// Each step also measures, at the particles it moves, the kernel Stein discrepancy as a
/// **V-statistic**, KSD²_V = (1/n²)Σ_{i,j} u(x_i, x_j) = ‖h_μ̂‖²_H (the squared RKHS norm of the
/// direction used; docs/derivations/svgd-l0l1.md §3), and the moment (1/n)Σ‖∇V(x_i)‖. One pass over
/// the n(n−1)/2 pairs does both (O(n²d) per step), on preallocated buffers (no allocation per step).
public struct SVGD: IterativeMethod, Sendable {
    public let potential: RadialPotential
    public let count: Int
    public let stepSize: Double
    public let bandwidth: Double
    /// ρ, the factor of the repulsive term (1 for SVGD).
    public let repulsion: Double
    public private(set) var particles: [Double]
    @usableFromInline var scores: [Double]
    @usableFromInline var direction: [Double]
    /// Scratch for one row of kernel values (n + 3 entries: the last block of four may overrun n).
    @usableFromInline var row: [Double]
    /// Σ_{t<k} KSD²_V(μ̂_t) after k steps.
    public private(set) var discrepancySum = 0.0
    public private(set) var steps = 0
    /// KSD²_V(μ̂₀).
    public let initialDiscrepancy: Double
    /// max_{t<k} (1/n)Σ_i ‖∇V(x_i^t)‖ (t = 0 included from the start).
    public private(set) var largestMeanGradientNorm: Double
    @usableFromInline var finite = true

    /// `particles`: n·d coordinates, particle i at [i·d, (i+1)·d).
    public init(potential: RadialPotential, particles: [Double], stepSize: Double, bandwidth: Double, repulsion: Double = 1) {
        let d = potential.dimension
        precondition(particles.count % d == 0 && particles.count >= 2 * d, "need at least two particles of dimension d")
        self.potential = potential; self.particles = particles; self.stepSize = stepSize
        self.bandwidth = bandwidth; self.repulsion = repulsion; count = particles.count / d
        scores = [Double](repeating: 0, count: particles.count)
        direction = scores
        row = [Double](repeating: 0, count: particles.count / d + 3)
        largestMeanGradientNorm = Self.fillScores(potential, particles, &scores)
        initialDiscrepancy = Self.steinDiscrepancy(particles, potential: potential, bandwidth: bandwidth).v
        finite = initialDiscrepancy.isFinite
    }

    /// n particles drawn i.i.d. from N(mean, spread²I) with `rng`.
    public static func gaussianCloud(mean: [Double], spread: Double, count n: Int, rng: inout RandomStream) -> [Double] {
        var x = [Double](repeating: 0, count: n * mean.count)
        for i in 0..<n { for a in 0..<mean.count { x[i * mean.count + a] = mean[a] + spread * rng.gaussian() } }
        return x
    }

    /// (1/k)Σ_{t<k} KSD²_V(μ̂_t) after k ≥ 1 steps; KSD²_V(μ̂₀) before the first.
    public var averageDiscrepancy: Double { steps == 0 ? initialDiscrepancy : discrepancySum / Double(steps) }

    public var isFinite: Bool { finite }
    public var point: [Double] { particles }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        let n = count, d = potential.dimension
        let moment = Self.fillScores(potential, particles, &scores)
        largestMeanGradientNorm = max(largestMeanGradientNorm, moment)
        let c = 2 / bandwidth, h = bandwidth, rc = repulsion * c
        let sums = particles.withUnsafeBufferPointer { x in
            scores.withUnsafeBufferPointer { s in
                direction.withUnsafeMutableBufferPointer { phi in
                    row.withUnsafeMutableBufferPointer { r in Self.pairPass(x, s, phi, r, n: n, d: d, h: h, repulsion: rc) }
                }
            }
        }
        let ksd = (sums.diagonal + 2 * sums.offDiagonal) / Double(n * n)
        discrepancySum += ksd; steps += 1
        let g = stepSize / Double(n)
        var largest = 0.0
        particles.withUnsafeMutableBufferPointer { x in
            direction.withUnsafeBufferPointer { phi in
                for i in 0..<(n * d) { x[i] += g * phi[i]; largest = max(largest, abs(x[i])) }
            }
        }
        finite = ksd.isFinite && largest.isFinite && largest < 1e150
    }

    /// s_i = −∇V(x_i) into `s`; returns (1/n)Σ‖∇V(x_i)‖.
    @usableFromInline
    static func fillScores(_ v: RadialPotential, _ x: [Double], _ s: inout [Double]) -> Double {
        let d = v.dimension, n = x.count / d, a = v.quartic, b = v.quadratic
        var total = 0.0
        x.withUnsafeBufferPointer { xp in
            s.withUnsafeMutableBufferPointer { sp in
                for i in 0..<n {
                    var r2 = 0.0
                    for j in 0..<d { r2 += xp[i * d + j] * xp[i * d + j] }
                    let w = a * r2 + b
                    for j in 0..<d { sp[i * d + j] = -w * xp[i * d + j] }
                    total += w * r2.squareRoot()
                }
            }
        }
        return total / Double(n)
    }

    /// One pass over the pairs i < j (and the diagonal): returns Σ_i u(x_i, x_i) and Σ_{i<j} u(x_i, x_j)
    /// of the Stein kernel, c = 2/h, δ = x_i − x_j,
    ///   u(x_i, x_j) = k·[s_iᵀs_j + c s_iᵀδ − c s_jᵀδ + c d − c²‖δ‖²],  u(x, x) = ‖s(x)‖² + c d,
    /// and, when `phi` is non-empty, writes φ_i = Σ_j [k_ij s_j + `repulsion`·k_ij(x_i − x_j)]
    /// (`repulsion` = ρ·c). Row by row: the squared distances to j > i go to `row` (n + 3 entries), their
    /// kernel values are taken four at a time (`KernelExp`), then the sums are accumulated.
    @usableFromInline
    static func pairPass(_ x: UnsafeBufferPointer<Double>, _ s: UnsafeBufferPointer<Double>, _ phi: UnsafeMutableBufferPointer<Double>,
                         _ row: UnsafeMutableBufferPointer<Double>,
                         n: Int, d: Int, h: Double, repulsion rc: Double) -> (diagonal: Double, offDiagonal: Double) {
        let c = 2 / h, cd = c * Double(d), c2 = c * c, inverseH = 1 / h, drift = !phi.isEmpty
        var diagonal = 0.0, off = 0.0
        for i in 0..<n {
            let oi = i * d
            var si2 = 0.0
            for a in 0..<d { si2 += s[oi + a] * s[oi + a]; if drift { phi[oi + a] = s[oi + a] } }
            diagonal += si2 + cd
        }
        for i in 0..<n {
            let oi = i * d
            for j in (i + 1)..<n {
                var r2 = 0.0
                for a in 0..<d { let delta = x[oi + a] - x[j * d + a]; r2 += delta * delta }
                row[j] = r2 * inverseH
            }
            var j = i + 1
            while j < n {
                let k = KernelExp.negative(SIMD4(row[j], row[j + 1], row[j + 2], row[j + 3]))
                row[j] = k[0]; row[j + 1] = k[1]; row[j + 2] = k[2]; row[j + 3] = k[3]
                j += 4
            }
            for j in (i + 1)..<n {
                let oj = j * d, k = row[j]
                var r2 = 0.0, ss = 0.0, sd = 0.0
                for a in 0..<d {
                    let delta = x[oi + a] - x[oj + a]
                    r2 += delta * delta; ss += s[oi + a] * s[oj + a]; sd += (s[oi + a] - s[oj + a]) * delta
                    if drift {
                        let rep = rc * delta
                        phi[oi + a] += k * (s[oj + a] + rep)
                        phi[oj + a] += k * (s[oi + a] - rep)
                    }
                }
                off += k * (ss + c * sd + cd - c2 * r2)
            }
        }
        return (diagonal, off)
    }

    /// KSD² of the empirical measure of `particles` (n·d coordinates) against π ∝ e^{−V}, as the
    /// V-statistic (1/n²)Σ_{i,j} u and the U-statistic (1/(n(n−1)))Σ_{i≠j} u (unbiased for i.i.d. points).
    public static func steinDiscrepancy(_ particles: [Double], potential: RadialPotential, bandwidth h: Double) -> (v: Double, u: Double) {
        var s = [Double](repeating: 0, count: particles.count)
        _ = fillScores(potential, particles, &s)
        let n = particles.count / potential.dimension
        var row = [Double](repeating: 0, count: n + 3)
        let sums = particles.withUnsafeBufferPointer { x in
            s.withUnsafeBufferPointer { sp in
                row.withUnsafeMutableBufferPointer { r in
                    pairPass(x, sp, UnsafeMutableBufferPointer(start: nil, count: 0), r, n: n, d: potential.dimension, h: h, repulsion: 0)
                }
            }
        }
        let nn = Double(n)
        return ((sums.diagonal + 2 * sums.offDiagonal) / (nn * nn), 2 * sums.offDiagonal / (nn * (nn - 1)))
    }
}
