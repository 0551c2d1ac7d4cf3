import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The potential V(x) = a‖x‖⁴/4 + b‖x‖²/2 on ℝ^d (a ≥ 0, b > 0) of an SVGD target π ∝ e^{−V}, with its
/// exact constants (docs/derivations/svgd-l0l1.md §1).
///
/// - ∇V(x) = (a‖x‖² + b)x, ∇²V(x) = (a‖x‖² + b)I + 2a xxᵀ, so ‖∇V‖ = (ar² + b)r, ‖∇²V‖ = 3ar² + b (r = ‖x‖).
/// - a = 0: the Gaussian N(0, I/b), L-smooth with L = b (L1 = 0).
/// - a > 0: not L-smooth; (L0, L1)-smooth for every L1 > 0 with the smallest L0 in closed form (`l0`).
/// - ln Z, Z = ∫e^{−V}: closed form for a = 0, otherwise a radial quadrature (`logNormalizer`).
/// - KL(N(m, s²I) | π) and E_{N(m,s²I)}‖∇V‖² exactly, from the moments of the non-central χ².
public struct RadialPotential: Objective, Equatable {
    public let dimension: Int
    /// a ≥ 0.
    public let quartic: Double
    /// b > 0.
    public let quadratic: Double
    public let constants: ProblemConstants

    public init(dimension: Int, quartic: Double, quadratic: Double) {
        precondition(dimension >= 1 && quartic >= 0 && quadratic > 0, "need d ≥ 1, a ≥ 0, b > 0")
        self.dimension = dimension; self.quartic = quartic; self.quadratic = quadratic
        // μ is left unset so that no strongly-convex claim of another family reads this as its instance.
        constants = ProblemConstants(L: quartic == 0 ? quadratic : .infinity, mu: nil, convex: true,
                                     xStar: [Double](repeating: 0, count: dimension), fStar: 0)
    }

    public static func == (l: RadialPotential, r: RadialPotential) -> Bool {
        l.dimension == r.dimension && l.quartic == r.quartic && l.quadratic == r.quadratic
    }

    /// True when V is L-smooth (a = 0, the Gaussian target).
    public var isLSmooth: Bool { quartic == 0 }

    public func value(_ x: [Double]) -> Double {
        let r2 = Vec.normSquared(x)
        return quartic * r2 * r2 / 4 + quadratic * r2 / 2
    }

    public func gradient(_ x: [Double], into g: inout [Double]) {
        let w = quartic * Vec.normSquared(x) + quadratic
        for i in 0..<dimension { g[i] = w * x[i] }
    }

    /// The smallest L0 with ‖∇²V(x)‖ ≤ L0 + L1‖∇V(x)‖ for all x: sup_r (3ar² + b − L1 r(ar² + b)).
    /// The derivative vanishes at r± = (1 ± √(1 − L1²b/(3a)))/L1; r+ is the interior maximum when it
    /// exists, otherwise the supremum is the value b at r = 0. L1 = 0: b if a = 0, else +∞.
    public func l0(forL1 l1: Double) -> Double {
        let a = quartic, b = quadratic
        if l1 == 0 { return a == 0 ? b : .infinity }
        if a == 0 { return b }
        let disc = 1 - l1 * l1 * b / (3 * a)
        guard disc >= 0 else { return b }
        let r = (1 + disc.squareRoot()) / l1
        return max(b, 3 * a * r * r + b - l1 * r * (a * r * r + b))
    }

    /// ln ∫_{ℝ^d} e^{−V}: (d/2) ln(2π/b) for a = 0; otherwise ln(|S^{d−1}| ∫₀^R r^{d−1}e^{−V(r)} dr) by
    /// composite Simpson with 2·10⁴ panels, R the radius where V = 800 (the tail beyond is < e^{−790}).
    public func logNormalizer() -> Double {
        let d = Double(dimension)
        if isLSmooth { return d / 2 * log(2 * Double.pi / quadratic) }
        let a = quartic, b = quadratic
        let u = (-b + (b * b + 4 * a * 800).squareRoot()) / a      // r² where a r⁴/4 + b r²/2 = 800
        let R = u.squareRoot(), panels = 20_000, hstep = R / Double(panels)
        func g(_ r: Double) -> Double { pow(r, d - 1) * exp(-(a * r * r * r * r / 4 + b * r * r / 2)) }
        var s = g(0) + g(R)
        for i in 1..<panels { s += (i % 2 == 1 ? 4 : 2) * g(Double(i) * hstep) }
        let sphere = 2 * pow(Double.pi, d / 2) / tgamma(d / 2)
        return log(sphere * s * hstep / 3)
    }

    /// E‖x‖^{2j}, j = 1, 2, 3, for x ~ N(m, s²I_d): s^{2j} times the raw moments of the non-central χ²
    /// with d degrees of freedom and non-centrality λ = ‖m‖²/s².
    public static func gaussianRadialMoments(mean m: [Double], spread s: Double) -> (Double, Double, Double) {
        let k = Double(m.count), lam = Vec.normSquared(m) / (s * s), s2 = s * s
        let m1 = k + lam
        let m2 = m1 * m1 + 2 * (k + 2 * lam)
        let m3 = m1 * m1 * m1 + 6 * m1 * (k + 2 * lam) + 8 * (k + 3 * lam)
        return (s2 * m1, s2 * s2 * m2, s2 * s2 * s2 * m3)
    }

    /// KL(N(m, s²I) | π) = −(d/2)ln(2πe s²) + E V + ln Z, with E V = aE r⁴/4 + bE r²/2 exact.
    public func klFromGaussian(mean m: [Double], spread s: Double) -> Double {
        let (r2, r4, _) = Self.gaussianRadialMoments(mean: m, spread: s)
        let d = Double(dimension)
        return -d / 2 * log(2 * Double.pi * M_E * s * s) + quartic * r4 / 4 + quadratic * r2 / 2 + logNormalizer()
    }

    /// E‖∇V‖² = a²E r⁶ + 2abE r⁴ + b²E r² under N(m, s²I), exact.
    public func gradientNormSquaredMoment(mean m: [Double], spread s: Double) -> Double {
        let (r2, r4, r6) = Self.gaussianRadialMoments(mean: m, spread: s)
        let a = quartic, b = quadratic
        return a * a * r6 + 2 * a * b * r4 + b * b * r2
    }

    public func reportedConstants(start: [Double]) -> [String: Double] {
        var out: [String: Double] = ["a (quartic)": quartic, "b (quadratic)": quadratic, "f*": 0, "ln Z": logNormalizer()]
        if isLSmooth { out["L"] = quadratic } else { out["L0(L1 = 1)"] = l0(forL1: 1) }
        return out
    }
}
