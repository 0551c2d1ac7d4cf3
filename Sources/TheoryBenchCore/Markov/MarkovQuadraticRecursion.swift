/// The exact first and second moments of SGD on a quadratic with a Markov state-dependent shift
/// (docs/derivations/markov-mlmc.md §3): f(x) = ½(x − x*)ᵀA(x − x*), g_k = A e_k + b_{Z_k} with
/// e_k = x_k − x*, so e_{k+1} = G e_k − γ b_{Z_k}, G = I − γA, then Z_{k+1} ~ P(Z_k, ·).
///
/// With p_k(s) = P(Z_k = s), u_k(s) = E[e_k 1{Z_k = s}], W_k(s) = E[e_k e_kᵀ 1{Z_k = s}]:
///   p_{k+1}(t) = Σ_s P(s,t) p_k(s)
///   u_{k+1}(t) = Σ_s P(s,t) [G u_k(s) − γ p_k(s) b_s]
///   W_{k+1}(t) = Σ_s P(s,t) [G W_k(s) Gᵀ − γ(G u_k(s) b_sᵀ + b_s (G u_k(s))ᵀ) + γ² p_k(s) b_s b_sᵀ]
/// and E‖e_k‖² = Σ_s tr W_k(s). Exact (no sampling): the oracle a Monte Carlo run is compared with.
/// With a step that reads a segment of the chain (MLMC), P(s,t), P(s,t)b_s and P(s,t)b_s b_sᵀ become the
/// segment's K(s,t), F(s,t), Γ(s,t) (`SegmentKernel`, §6).
///
/// In general form the state is any linear iteration ẽ_{k+1} = M ẽ_k − γ E η_k on ℝ^D (E embeds the noise
/// of ℝ^d into the first d coordinates), with E‖·‖² measured on the first `measured` coordinates: SGD is
/// D = d, M = G; Nesterov's method is D = 2d, ẽ_k = (e_k, e_{k−1}), M = [[(1+β)G, −βG], [I, 0]] (§7).
public struct MarkovQuadraticRecursion: Sendable {
    public let step: Double
    public let chain: FiniteMarkovChain
    public let kernel: SegmentKernel
    /// The coordinates E‖·‖² is measured on (the first `measured` of ℝ^D).
    public let measured: Int
    var p: [Double], u: [Double], w: [Double]
    let g: Matrix
    /// Iterations done.
    public private(set) var iteration = 0

    /// SGD: `initialLaw` is the law of Z_0 (S entries), `e0` = x₀ − x*, b row-major S×d.
    /// `kernel`: what one step consumes of the chain (default: one sample, `SegmentKernel.singleSample`;
    /// `SegmentKernel.mlmc` for SGD with MLMC batches, §6).
    public init(a: Matrix, step: Double, chain: FiniteMarkovChain, shifts: [Double], initialLaw: [Double], e0: [Double],
                kernel: SegmentKernel? = nil) {
        let d = e0.count
        precondition(a.rows == d && a.cols == d && shifts.count == chain.states * d, "dimensions disagree")
        var gm = Matrix.identity(d)
        for i in 0..<d { for j in 0..<d { gm[i, j] -= step * a[i, j] } }
        self.init(iteration: gm, step: step, chain: chain, initialLaw: initialLaw, e0: e0,
                  kernel: kernel ?? .singleSample(chain, shifts: shifts), measured: d)
    }

    /// The general linear iteration ẽ_{k+1} = M ẽ_k − γ η̃_k on ℝ^D, the kernel's noise in ℝ^D (shifts
    /// padded with zeros beyond the first d coordinates).
    public init(iteration m: Matrix, step: Double, chain: FiniteMarkovChain, initialLaw: [Double], e0: [Double],
                kernel: SegmentKernel, measured: Int) {
        let d = e0.count, S = chain.states
        precondition(m.rows == d && m.cols == d && kernel.dimension == d && initialLaw.count == S && measured <= d, "dimensions disagree")
        self.step = step; self.chain = chain; self.kernel = kernel; self.measured = measured
        g = m
        p = initialLaw
        u = (0..<S).flatMap { s in e0.map { initialLaw[s] * $0 } }
        w = (0..<S).flatMap { s in (0..<(d * d)).map { initialLaw[s] * e0[$0 / d] * e0[$0 % d] } }
    }

    var dimension: Int { g.rows }

    /// E‖e_k‖² (on the measured coordinates) at the current iteration.
    public var meanSquaredError: Double {
        let d = dimension
        var t = 0.0
        for s in 0..<chain.states { for i in 0..<measured { t += w[s * d * d + i * d + i] } }
        return t
    }

    /// E e_k at the current iteration.
    public var meanError: [Double] {
        let d = dimension
        return (0..<d).map { i in (0..<chain.states).reduce(0) { $0 + u[$1 * d + i] } }
    }

    /// One iteration of the recursion.
    public mutating func advance() {
        let d = dimension, S = chain.states, gamma = step
        var tp = [Double](repeating: 0, count: S), tu = [Double](repeating: 0, count: S * d)
        var tw = [Double](repeating: 0, count: S * d * d)
        var gu = [Double](repeating: 0, count: d), gw = [Double](repeating: 0, count: d * d)
        for s in 0..<S {
            for i in 0..<d { var x = 0.0; for j in 0..<d { x += g[i, j] * u[s * d + j] }; gu[i] = x }
            for i in 0..<d { for j in 0..<d {   // (G W Gᵀ)_{ij} = Σ_{kl} G_ik W_kl G_jl
                var x = 0.0
                for k in 0..<d { for l in 0..<d { x += g[i, k] * w[s * d * d + k * d + l] * g[j, l] } }
                gw[i * d + j] = x
            } }
            for t in 0..<S {
                let kst = kernel.k[s * S + t]
                guard kst > 0 else { continue }
                let fo = (s * S + t) * d
                tp[t] += kst * p[s]
                for i in 0..<d { tu[t * d + i] += kst * gu[i] - gamma * p[s] * kernel.f[fo + i] }
                for i in 0..<d { for j in 0..<d {
                    let cross = gu[i] * kernel.f[fo + j] + kernel.f[fo + i] * gu[j]
                    tw[t * d * d + i * d + j] += kst * gw[i * d + j] - gamma * cross
                        + gamma * gamma * p[s] * kernel.gamma[fo * d + i * d + j]
                } }
            }
        }
        p = tp; u = tu; w = tw
        iteration += 1
    }

    /// E‖e_k‖² at each of `iterations` (sorted, from the current iteration on).
    public mutating func meanSquaredErrors(at iterations: [Int]) -> [Double] {
        iterations.map { k in
            while iteration < k { advance() }
            return meanSquaredError
        }
    }

    /// (1/(k1 − k0)) Σ_{k0 ≤ k < k1} E‖e_k‖², the exact mean of a window average (k0 ≥ the current iteration).
    public mutating func windowMean(from k0: Int, to k1: Int) -> Double {
        while iteration < k0 { advance() }
        var total = 0.0
        while iteration < k1 { total += meanSquaredError; advance() }
        return total / Double(k1 - k0)
    }
}

extension FiniteMarkovChain {
    /// (1/N) Σ_{i<N} E[b(Z_i) | Z_0 = z] = (1/N) Σ_{i<N} (P^i b)(z): the exact mean of a batch average
    /// of N consecutive samples from state z (b row-major S×d).
    public func batchMean(of b: [Double], from z: Int, count N: Int) -> [Double] {
        let S = states, d = b.count / S
        var row = [Double](repeating: 0, count: S), next = row
        row[z] = 1
        var acc = [Double](repeating: 0, count: d)
        for _ in 0..<N {
            for s in 0..<S where row[s] != 0 { for i in 0..<d { acc[i] += row[s] * b[s * d + i] } }
            for t in 0..<S { next[t] = 0 }
            for s in 0..<S where row[s] != 0 { for t in 0..<S { next[t] += row[s] * transition[s * S + t] } }
            swap(&row, &next)
        }
        return acc.map { $0 / Double(N) }
    }

    /// The exact mean of the MLMC estimator's noise from state z (b row-major S×d), for level factors
    /// c_j: E g^0 + Σ_{j=1}^{m} 2^{−j} c_j (E g^j − E g^{j−1}), E g^j the batch mean of 2^j·B samples
    /// (docs/derivations/markov-mlmc.md §2). With c_j = 2^j it telescopes to E g^m.
    public func mlmcMean(of b: [Double], from z: Int, batch B: Int, maxLevel m: Int, factor: (Int) -> Double) -> [Double] {
        let levels = (0...m).map { batchMean(of: b, from: z, count: B << $0) }
        var out = levels[0]
        for j in stride(from: 1, through: m, by: 1) {
            let c = factor(j) / Double(1 << j)
            for i in out.indices { out[i] += c * (levels[j][i] - levels[j - 1][i]) }
        }
        return out
    }
}
