import TheoryBenchCore
import Foundation

/// Distributed MAST with independent sketches, in closed form (docs/derivations/mast.md §7).
///
/// Problem: n workers, fᵢ(x) = ½(x − x* − δᵢ)ᵀA(x − x* − δᵢ) with Σᵢ δᵢ = 0, so that f = (1/n)Σᵢ fᵢ is the
/// instance's quadratic up to a constant; a sketch law D on diagonal S, a centre v. Worker i draws its
/// own Sᵢ ∼ D (independent across workers and steps) and the server averages
/// g(x) = (1/n)Σᵢ Sᵢ∇fᵢ(v + Sᵢ(x − v)). Since f ↦ f_D is linear, (1/n)Σᵢ f_{i,D} = f_D, so g is unbiased
/// for ∇f_D and its minimizer x_D is the single-sketch x_S of f (§7.1). With H = (1/n)Σᵢ SᵢASᵢ and
/// w = g(x_D), g(x) = H(x − x_D) + w, and (§7.2), with wᵢ = Sᵢ∇fᵢ(v + Sᵢ(x_D − v)) and μᵢ = E wᵢ,
///   E[H_aj H_kb] = (1/n)E[(SAS)_aj (SAS)_kb] + (1 − 1/n)E[SAS]_aj E[SAS]_kb,
///   E[H_aj w_b] = (1/n²)Σᵢ (E[(SᵢASᵢ)_aj (wᵢ)_b] − E[SAS]_aj μᵢ_b),   E[w wᵀ] = (1/n²)Σᵢ (E[wᵢwᵢᵀ] − μᵢμᵢᵀ):
/// the expected smoothness 𝓛 of the averaged estimator, σ*² = E‖w‖² and the exact mean-square recursion
/// follow as for one worker (§2, §3).
public struct DistributedSketchedQuadratic: Sendable {
    /// The same sketch on f = (1/n)Σ fᵢ: x_D = single.xS, E[SAS], μ_D, L_D (§7.1).
    public let single: SketchedQuadratic
    /// δᵢ, the shift of worker i's minimizer from x* (Σᵢ δᵢ = 0).
    public let offsets: [[Double]]
    /// The exact moments of (H, w) of the averaged estimator.
    public let recursion: MeanSquareRecursion
    /// 𝓛 of the averaged estimator: E‖g(x) − g(x_D)‖² ≤ 2𝓛(f_D(x) − f_D(x_D)), tight.
    public let expectedSmoothness: Double
    /// σ*² = E‖g(x_D)‖².
    public let sigma2: Double

    public var workers: Int { offsets.count }
    public var xD: [Double] { single.xS }
    public var muD: Double { single.muD }
    public var LD: Double { single.LD }
    public var dimension: Int { single.dimension }
    /// Aδᵢ, so that ∇fᵢ(y) = A(y − x*) − Aδᵢ.
    public var offsetGradients: [[Double]] { offsets.map { single.a.times($0) } }

    /// nil when E[SAS] is singular (as `SketchedQuadratic`).
    public init?(a: Matrix, xStar: [Double], center: [Double], sketch: any Sketch, offsets: [[Double]]) {
        guard let s = SketchedQuadratic(a: a, xStar: xStar, center: center, sketch: sketch) else { return nil }
        let d = xStar.count, n = offsets.count
        precondition(n >= 1 && offsets.allSatisfy { $0.count == d }, "one offset of d entries per worker")
        single = s; self.offsets = offsets
        let m = SketchedQuadratic.Moments(sketch), eh = s.expectedHessian.data
        let hStar = (0..<d).map { s.xS[$0] - center[$0] }, gv = s.centerGradient
        let inv2 = 1 / Double(n * n)
        var ww = [Double](repeating: 0, count: d * d), hw = [Double](repeating: 0, count: d * d * d)
        for delta in offsets {
            let ad = a.times(delta)
            let gi = (0..<d).map { gv[$0] - ad[$0] }
            let wi = SketchedQuadratic.noiseCovariance(a, m, gi, hStar), ci = SketchedQuadratic.hessianNoise(a, m, gi, hStar)
            let mu = Self.meanNoise(a, m, gi, hStar)
            for i in 0..<d { for b in 0..<d { ww[i * d + b] += inv2 * (wi[i * d + b] - mu[i] * mu[b]) } }
            for i in 0..<(d * d) { for b in 0..<d { hw[i * d + b] += inv2 * (ci[i * d + b] - eh[i] * mu[b]) } }
        }
        let share = 1 / Double(n)
        var hh = s.recursion.hh
        for ij in 0..<(d * d) { for kb in 0..<(d * d) { hh[ij * d * d + kb] = share * hh[ij * d * d + kb] + (1 - share) * eh[ij] * eh[kb] } }
        recursion = MeanSquareRecursion(expectedHessian: s.expectedHessian, hh: hh, hw: hw, ww: ww, xS: s.xS, xStar: xStar)
        expectedSmoothness = recursion.expectedSmoothness
        sigma2 = recursion.sigma2
    }

    /// μ = E[S(g + ASh)]: μ_b = E[s_b]g_b + Σ_q A_bq h_q E[s_b s_q].
    static func meanNoise(_ a: Matrix, _ m: SketchedQuadratic.Moments, _ g: [Double], _ h: [Double]) -> [Double] {
        let d = m.d
        return (0..<d).map { b in (0..<d).reduce(m.m1[b] * g[b]) { $0 + a[b, $1] * h[$1] * m.m2[b * d + $1] } }
    }
}
