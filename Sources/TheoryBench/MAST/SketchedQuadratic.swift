import TheoryBenchCore
import Foundation

/// MAST's sketched objective of a quadratic, in closed form (docs/derivations/mast.md §1–§3).
///
/// Problem: f(x) = ½(x − x*)ᵀA(x − x*) + f*, a random diagonal sketch S with known moments, a centre v;
/// f_S(x) = f(v + S(x − v)), f_D = E_S f_S. With h = x − v and g_v = ∇f(v) = A(v − x*):
///   f_D(x) = ½ hᵀ E[SAS] h + g_vᵀ E[S] h + f(v),   so   x_S = v − E[SAS]⁻¹ E[S] g_v (exact, §1).
/// Constants of SGD on f_D with one sketch per step, gradient ∇f_S(x) = S∇f(v + S(x − v)) = H_S h + S g_v,
/// H_S = SAS: μ_D = λ_min(E[H_S]), L_D = λ_max(E[H_S]), the expected smoothness 𝓛 = λ_max of E[H_S²]
/// relative to E[H_S] (§2), and σ*² = E‖∇f_S(x_S)‖² (§2). The exact mean-square recursion of SGD (§3)
/// gives E‖x_k − x_S‖² and E‖x_k − x*‖² at every k.
public struct SketchedQuadratic: Sendable {
    public let a: Matrix
    public let xStar: [Double]
    public let center: [Double]
    public let sketch: any Sketch
    /// E[S] (the diagonal) and E[SAS].
    public let meanSketch: [Double]
    public let expectedHessian: Matrix
    /// The minimizer of f_D.
    public let xS: [Double]
    public let muD: Double, LD: Double
    /// 𝓛: E‖∇f_S(x) − ∇f_S(x_S)‖² ≤ 2𝓛(f_D(x) − f_D(x_S)), tight.
    public let expectedSmoothness: Double
    /// σ*² = E‖∇f_S(x_S)‖².
    public let sigma2: Double
    /// The exact moments of (H_S, ∇f_S(x_S)) that drive the mean-square recursion (§3).
    public let recursion: MeanSquareRecursion

    public var dimension: Int { xStar.count }
    /// ‖x_S − x*‖².
    public var shiftSquared: Double { Vec.distanceSquared(xS, xStar) }
    /// ∇f(v) = A(v − x*).
    public var centerGradient: [Double] { a.times(zip(center, xStar).map { $0 - $1 }) }

    /// nil when E[SAS] is not positive definite (λ_min ≤ 10⁻¹⁰·λ_max): f_D then has no unique minimizer.
    public init?(a: Matrix, xStar: [Double], center: [Double], sketch: any Sketch) {
        let d = xStar.count
        precondition(a.rows == d && a.cols == d && center.count == d && sketch.dimension == d, "dimensions differ")
        self.a = a; self.xStar = xStar; self.center = center; self.sketch = sketch
        let m = Moments(sketch)
        let mean = m.m1
        var eh = Matrix(zeros: d, d)
        for i in 0..<d { for j in 0..<d { eh[i, j] = a[i, j] * m.m2[i * d + j] } }
        let eig = LinearAlgebra.symmetricEigenvalues(eh)
        guard eig.first! > 1e-10 * eig.last! else { return nil }
        let gv = a.times(zip(center, xStar).map { $0 - $1 })
        let h = LinearAlgebra.solveSPD(eh, (0..<d).map { mean[$0] * gv[$0] })
        let xs = (0..<d).map { center[$0] - h[$0] }
        let hStar = (0..<d).map { xs[$0] - center[$0] }
        meanSketch = mean; expectedHessian = eh; xS = xs
        muD = eig.first!; LD = eig.last!
        recursion = MeanSquareRecursion(expectedHessian: eh, hh: Self.hessianPairs(a, m), hw: Self.hessianNoise(a, m, gv, hStar),
                                        ww: Self.noiseCovariance(a, m, gv, hStar), xS: xs, xStar: xStar)
        sigma2 = recursion.sigma2
        expectedSmoothness = recursion.expectedSmoothness
    }

    /// The moments E[s_i], E[s_i s_j], E[s_i s_j s_k], E[s_i s_j s_k s_l] as dense tables.
    struct Moments {
        let d: Int
        let m1: [Double], m2: [Double], m3: [Double], m4: [Double]
        init(_ s: any Sketch) {
            let d = s.dimension
            self.d = d
            m1 = (0..<d).map { s.moment([$0]) }
            m2 = (0..<(d * d)).map { s.moment([$0 / d, $0 % d]) }
            m3 = (0..<(d * d * d)).map { s.moment([$0 / (d * d), ($0 / d) % d, $0 % d]) }
            m4 = (0..<(d * d * d * d)).map { s.moment([$0 / (d * d * d), ($0 / (d * d)) % d, ($0 / d) % d, $0 % d]) }
        }
        func m3(_ i: Int, _ j: Int, _ k: Int) -> Double { m3[(i * d + j) * d + k] }
        func m4(_ i: Int, _ j: Int, _ k: Int, _ l: Int) -> Double { m4[((i * d + j) * d + k) * d + l] }
    }

    /// Q[a, j, k, b] = A_aj A_kb E[s_a s_j s_k s_b].
    static func hessianPairs(_ a: Matrix, _ m: Moments) -> [Double] {
        let d = m.d
        var q = [Double](repeating: 0, count: d * d * d * d)
        for i in 0..<d { for j in 0..<d { for k in 0..<d { for l in 0..<d {
            q[((i * d + j) * d + k) * d + l] = a[i, j] * a[k, l] * m.m4(i, j, k, l)
        } } } }
        return q
    }

    /// C[a, j, b] = E[(H_S)_aj w_b], w_b = s_b (g_b + Σ_m A_bm s_m h_m).
    static func hessianNoise(_ a: Matrix, _ m: Moments, _ g: [Double], _ h: [Double]) -> [Double] {
        let d = m.d
        var c = [Double](repeating: 0, count: d * d * d)
        for i in 0..<d { for j in 0..<d { for b in 0..<d {
            var s = g[b] * m.m3(i, j, b)
            for q in 0..<d { s += a[b, q] * h[q] * m.m4(i, j, b, q) }
            c[(i * d + j) * d + b] = a[i, j] * s
        } } }
        return c
    }

    /// E[w_a w_b] for w = ∇f_S(x_S).
    static func noiseCovariance(_ a: Matrix, _ m: Moments, _ g: [Double], _ h: [Double]) -> [Double] {
        let d = m.d
        var w = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0..<d {
            var s = g[i] * g[j] * m.m2[i * d + j]
            for q in 0..<d {
                s += (g[i] * a[j, q] + g[j] * a[i, q]) * h[q] * m.m3(i, j, q)
                for r in 0..<d { s += a[i, q] * a[j, r] * h[q] * h[r] * m.m4(i, j, q, r) }
            }
            w[i * d + j] = s
        } }
        return w
    }

    /// The exact E‖x_k − x_S‖² and E‖x_k − x*‖², k = 0 … horizon, of SGD with step γ from `start` (§3).
    public func meanSquareDistances(step g: Double, start: [Double], horizon: Int) -> (toXS: [Double], toXStar: [Double]) {
        recursion.meanSquareDistances(step: g, start: start, horizon: horizon)
    }
}

/// The exact mean-square recursion of SGD e_{k+1} = e_k − γ(H e_k + w) on a quadratic, e = x − x_S, with
/// (H, w) drawn afresh at every step, H symmetric, E w = 0, from the exact moments of (H, w)
/// (docs/derivations/mast.md §3): one sketch per step (`SketchedQuadratic`) or the average of the workers'
/// independent sketches (`DistributedSketchedQuadratic`, §7).
public struct MeanSquareRecursion: Sendable {
    /// E[H]; Q[a, j, k, b] = E[H_aj H_kb]; C[a, j, b] = E[H_aj w_b]; E[w_a w_b].
    public let expectedHessian: Matrix
    let hh: [Double], hw: [Double], ww: [Double]
    /// The minimizer the errors are measured from and the point x* the second series is measured to.
    let xS: [Double], xStar: [Double]

    var dimension: Int { xS.count }
    /// σ*² = E‖w‖².
    public var sigma2: Double { (0..<dimension).reduce(0) { $0 + ww[$1 * dimension + $1] } }
    /// 𝓛 = max_e eᵀE[H²]e / eᵀE[H]e: E‖H e‖² ≤ 2𝓛 · ½eᵀE[H]e, tight (§2).
    public var expectedSmoothness: Double { Self.relativeMax(Self.contract(hh, identity: dimension), expectedHessian) }

    /// E[H P H] for P = I: E[H²]_ab = Σ_j Q[a, j, j, b].
    static func contract(_ q: [Double], identity d: Int) -> Matrix {
        var out = Matrix(zeros: d, d)
        for i in 0..<d { for l in 0..<d { for j in 0..<d { out[i, l] += q[((i * d + j) * d + j) * d + l] } } }
        return out
    }

    /// λ_max(B^{-1/2} M B^{-1/2}) for B ≻ 0: the largest ratio uᵀMu / uᵀBu.
    static func relativeMax(_ m: Matrix, _ b: Matrix) -> Double {
        let (vals, vecs) = LinearAlgebra.symmetricEigen(b)
        let d = b.rows
        var r = Matrix(zeros: d, d)   // B^{-1/2} = V Λ^{-1/2} Vᵀ
        for i in 0..<d { for j in 0..<d { for t in 0..<d { r[i, j] += vecs[i, t] * vecs[j, t] / vals[t].squareRoot() } } }
        var s = r.times(m).times(r)
        for i in 0..<d { for j in 0..<i { let x = 0.5 * (s[i, j] + s[j, i]); s[i, j] = x; s[j, i] = x } }
        return LinearAlgebra.symmetricEigenvalues(s).last!
    }

    /// The exact E‖x_k − x_S‖² and E‖x_k − x*‖², k = 0 … horizon, of SGD x_{k+1} = x_k − γ(H_k(x_k − x_S) + w_k)
    /// from `start` (docs/derivations/mast.md §3): with e = x − x_S, m_k = E e_k, P_k = E e_k e_kᵀ,
    ///   m_{k+1} = (I − γE[H])m_k,
    ///   P_{k+1} = P_k − γ(E[H]P_k + P_kE[H]) + γ²E[H P_k H] + γ²(E[H m_k wᵀ] + E[w m_kᵀ H]) + γ²E[wwᵀ].
    public func meanSquareDistances(step g: Double, start: [Double], horizon: Int) -> (toXS: [Double], toXStar: [Double]) {
        let d = dimension, shift = (0..<d).map { xS[$0] - xStar[$0] }
        var m = (0..<d).map { start[$0] - xS[$0] }
        var p = [Double](repeating: 0, count: d * d), next = p
        for i in 0..<d { for j in 0..<d { p[i * d + j] = m[i] * m[j] } }
        var toXS = [Double](), toXStar = [Double]()
        toXS.reserveCapacity(horizon + 1); toXStar.reserveCapacity(horizon + 1)
        let eh = expectedHessian.data
        for k in 0...horizon {
            let tr = (0..<d).reduce(0) { $0 + p[$1 * d + $1] }
            toXS.append(tr)
            toXStar.append(tr + 2 * Vec.dot(shift, m) + Vec.normSquared(shift))
            if k == horizon { break }
            step(g, eh, m, p, into: &next)
            swap(&p, &next)
            let em = expectedHessian.times(m)
            for i in 0..<d { m[i] -= g * em[i] }
        }
        return (toXS, toXStar)
    }

    private func step(_ g: Double, _ eh: [Double], _ m: [Double], _ p: [Double], into out: inout [Double]) {
        let d = dimension, g2 = g * g
        for i in 0..<d {
            for l in 0..<d {
                var hp = 0.0, hph = 0.0, cross = 0.0
                for j in 0..<d {
                    hp += eh[i * d + j] * p[j * d + l] + p[i * d + j] * eh[j * d + l]
                    cross += m[j] * (hw[(i * d + j) * d + l] + hw[(l * d + j) * d + i])
                    let base = (i * d + j) * d * d
                    for k in 0..<d { hph += hh[base + k * d + l] * p[j * d + k] }
                }
                out[i * d + l] = p[i * d + l] - g * hp + g2 * (hph + cross + ww[i * d + l])
            }
        }
    }
}
