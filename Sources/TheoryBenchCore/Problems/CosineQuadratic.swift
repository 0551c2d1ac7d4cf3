import Foundation

/// A smooth non-convex separable objective (a Rastrigin-type ripple on a quadratic):
///
///   f(x) = Σᵢ ( xᵢ²/2 + c·cos(ω xᵢ) ),   c > 0, ω > 0.
///
/// ∇f(x)ᵢ = xᵢ − cω sin(ω xᵢ);  ∇²f(x) = diag(1 − cω² cos(ω xᵢ)).
///
/// Exact constants (derived here, elementary):
/// - L = 1 + cω²: the Hessian is diagonal with entries in [1 − cω², 1 + cω²], so
///   ‖∇²f(x)‖ ≤ max(|1 − cω²|, 1 + cω²) = 1 + cω² everywhere (∇f is L-Lipschitz), with equality at
///   xᵢ = π/ω (cos = −1): L is the largest Hessian eigenvalue, attained.
/// - Non-convex iff cω² > 1 (the entry 1 − cω² at xᵢ = 0 is negative; λ_min = 1 − cω²).
/// - f* = d·m with m = min_t φ(t), φ(t) = t²/2 + c cos(ωt). Every stationary point of φ satisfies
///   t = cω sin(ωt), hence |t| ≤ cω, and φ is increasing in |t| beyond cω (|φ'(t)| ≥ |t| − cω > 0).
///   So m is found on [0, cω] (φ is even): a grid of max(2000, 200 per period 2π/ω) cells; every
///   cell [a, b] with φ'(a) ≤ 0 ≤ φ'(b) brackets a local minimizer, which safeguarded Newton on φ'
///   (bisection fallback) polishes to machine precision; the smallest φ wins. x* = t*·(1, …, 1) is one
///   of the 2^d global minimizers (any sign pattern), so `constants.xStar` is left nil (not unique)
///   and the minimizer is exposed as `minimizer`. Unit tests check φ(t*) ≤ φ on an independent
///   10⁶-point grid, φ'(t*) = 0 and L against finite-difference Hessians.
///   `optimumSource` says "1-D grid + Newton to machine precision".
public struct CosineQuadratic: Objective {
    public let dimension: Int
    /// c, the ripple amplitude.
    public let amplitude: Double
    /// ω, the ripple frequency.
    public let frequency: Double
    /// t* > 0 with φ(t*) = m (one coordinate of a global minimizer).
    public let minimizingCoordinate: Double
    public let constants: ProblemConstants

    public init(dimension d: Int, amplitude c: Double, frequency w: Double) {
        precondition(d >= 1 && c > 0 && w > 0, "need d ≥ 1, c > 0, ω > 0")
        dimension = d; amplitude = c; frequency = w
        let t = Self.minimizeCoordinate(c: c, w: w)
        minimizingCoordinate = t
        let m = Self.phi(t, c: c, w: w)
        var k = ProblemConstants(L: 1 + c * w * w, mu: nil, convex: c * w * w <= 1, xStar: nil, fStar: Double(d) * m,
                                 optimumSource: "1-D grid over [−cω, cω] + Newton on φ' to machine precision")
        k.curvatureAtOptimum = 1 - c * w * w * cos(w * t)
        constants = k
    }

    /// A global minimizer: t*·(1, …, 1).
    public var minimizer: [Double] { [Double](repeating: minimizingCoordinate, count: dimension) }

    /// The smallest Hessian eigenvalue over ℝ^d: 1 − cω².
    public var minimalCurvature: Double { 1 - amplitude * frequency * frequency }

    static func phi(_ t: Double, c: Double, w: Double) -> Double { 0.5 * t * t + c * cos(w * t) }

    /// argmin_t t²/2 + c cos(ωt) (the non-negative one), to machine precision.
    static func minimizeCoordinate(c: Double, w: Double) -> Double {
        let r = c * w                                   // all stationary points lie in [−r, r]
        let period = 2 * Double.pi / w
        let n = max(2000, Int((2 * r / period * 200).rounded(.up)))
        let d1 = { (t: Double) in t - c * w * sin(w * t) }
        let d2 = { (t: Double) in 1 - c * w * w * cos(w * t) }
        var best = 0.0, bestValue = Double.infinity
        // φ is even: search [0, r]; a local minimizer t has φ'(t⁻) ≤ 0 ≤ φ'(t⁺).
        var a = 0.0, fa = d1(0)
        for i in 1...n {
            let b = r * Double(i) / Double(n), fb = d1(b)
            if fa <= 0 && fb >= 0 {
                // safeguarded Newton in [a, b] on φ'
                var lo = a, hi = b, t = 0.5 * (a + b)
                for _ in 0..<200 {
                    let g = d1(t)
                    if g < 0 { lo = t } else { hi = t }
                    let h = d2(t)
                    var next = h > 0 ? t - g / h : 0.5 * (lo + hi)
                    if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
                    if abs(next - t) <= 1e-16 * max(1, abs(t)) || hi - lo <= 4e-16 * max(1, abs(t)) { t = next; break }
                    t = next
                }
                let v = phi(t, c: c, w: w)
                if v < bestValue { bestValue = v; best = t }
            }
            a = b; fa = fb
        }
        // also the end point r (φ' > 0 beyond it) and 0
        for t in [0.0, r] where phi(t, c: c, w: w) < bestValue { bestValue = phi(t, c: c, w: w); best = t }
        return best
    }

    public func value(_ x: [Double]) -> Double {
        var s = 0.0
        for v in x { s += 0.5 * v * v + amplitude * cos(frequency * v) }
        return s
    }

    @inlinable
    public func gradient(_ x: [Double], into g: inout [Double]) {
        let cw = amplitude * frequency, w = frequency
        x.withUnsafeBufferPointer { xp in
            g.withUnsafeMutableBufferPointer { gp in
                for i in 0..<xp.count { gp[i] = xp[i] - cw * sin(w * xp[i]) }
            }
        }
    }

    /// ‖∇f(x)‖² without allocating (for per-iteration measurement).
    @inlinable
    public func gradientNormSquared(_ x: [Double]) -> Double {
        let cw = amplitude * frequency, w = frequency
        return x.withUnsafeBufferPointer { xp in
            var s = 0.0
            for i in 0..<xp.count { let gi = xp[i] - cw * sin(w * xp[i]); s += gi * gi }
            return s
        }
    }
}
