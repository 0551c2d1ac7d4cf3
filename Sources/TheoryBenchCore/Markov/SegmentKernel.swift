import Foundation

/// What one SGD step consumes of a chain, in closed form (docs/derivations/markov-mlmc.md §3, §6): for a
/// step that starts in state s and reads a segment Z_0 = s, Z_1, …, Z_{N−1} (ending in Z_N) with noise
/// η = Σ_i w_i b_{Z_i},
///   K(s,t) = P(Z_N = t | s),  F(s,t) = E[η 1{Z_N = t} | s],  Γ(s,t) = E[ηηᵀ 1{Z_N = t} | s].
/// One sample (N = 1, w = 1) gives K = P, F(s,t) = P(s,t)b_s, Γ(s,t) = P(s,t)b_s b_sᵀ; an MLMC step is the
/// mixture over its level J of the segments of its weights.
public struct SegmentKernel: Sendable {
    public let states: Int, dimension: Int
    /// K, row-major S×S.
    public private(set) var k: [Double]
    /// F, [s][t][i] flattened.
    public private(set) var f: [Double]
    /// Γ, [s][t][i][j] flattened.
    public private(set) var gamma: [Double]

    init(states S: Int, dimension d: Int) {
        states = S; dimension = d
        k = [Double](repeating: 0, count: S * S)
        f = [Double](repeating: 0, count: S * S * d)
        gamma = [Double](repeating: 0, count: S * S * d * d)
    }

    /// The segment of weights w (N = w.count samples) on `chain` with shifts b (row-major S×d), by
    /// scanning it: with R_i(s,·) the law of Z_i, F_i, Γ_i the moments of η_{<i} = Σ_{j<i} w_j b_{Z_j} on {Z_i = t},
    ///   F_{i+1}(s,·) = Σ_t [F_i(s,t) + w_i R_i(s,t) b_t] P(t,·),
    ///   Γ_{i+1}(s,·) = Σ_t [Γ_i(s,t) + w_i(F_i(s,t)b_tᵀ + b_t F_i(s,t)ᵀ) + w_i² R_i(s,t) b_t b_tᵀ] P(t,·).
    public static func segment(_ chain: FiniteMarkovChain, shifts b: [Double], weights w: [Double]) -> SegmentKernel {
        let S = chain.states, d = b.count / S, P = chain.transition
        var cur = SegmentKernel(states: S, dimension: d)
        for s in 0..<S { cur.k[s * S + s] = 1 }
        for wi in w {
            var next = SegmentKernel(states: S, dimension: d)
            for s in 0..<S { for t in 0..<S {
                let r = cur.k[s * S + t]
                let ft = (0..<d).map { cur.f[(s * S + t) * d + $0] }
                var fo = ft, go = [Double](repeating: 0, count: d * d)
                for i in 0..<d { fo[i] += wi * r * b[t * d + i] }
                for i in 0..<d { for j in 0..<d {
                    go[i * d + j] = cur.gamma[(s * S + t) * d * d + i * d + j]
                        + wi * (ft[i] * b[t * d + j] + b[t * d + i] * ft[j]) + wi * wi * r * b[t * d + i] * b[t * d + j]
                } }
                for u in 0..<S where P[t * S + u] > 0 {
                    let p = P[t * S + u]
                    next.k[s * S + u] += r * p
                    for i in 0..<d { next.f[(s * S + u) * d + i] += fo[i] * p }
                    for ij in 0..<(d * d) { next.gamma[(s * S + u) * d * d + ij] += go[ij] * p }
                }
            } }
            cur = next
        }
        return cur
    }

    /// One sample per step: K = P, F(s,t) = P(s,t)b_s, Γ(s,t) = P(s,t)b_s b_sᵀ.
    public static func singleSample(_ chain: FiniteMarkovChain, shifts b: [Double]) -> SegmentKernel {
        segment(chain, shifts: b, weights: [1])
    }

    /// The MLMC step with base batch B, limit M and level factors c_J (`MLMCOracle`): the mixture over
    /// J ≥ 1 (P(J = j) = 2^{−j}) of the segments of its weights; levels with 2^J > M (and c_J = 0) read the
    /// plain batch of B samples.
    public static func mlmc(_ chain: FiniteMarkovChain, shifts b: [Double], schedule: MLMCSchedule) -> SegmentKernel {
        var out = SegmentKernel(states: chain.states, dimension: b.count / chain.states)
        var plainMass = pow(2, -Double(schedule.maxLevel))   // P(J > m)
        for j in stride(from: 1, through: schedule.maxLevel, by: 1) {
            let p = pow(2, -Double(j))
            guard schedule.sampleCount(level: j) != schedule.batch else { plainMass += p; continue }
            out.add(segment(chain, shifts: b, weights: schedule.weights(level: j)), p)
        }
        out.add(segment(chain, shifts: b, weights: schedule.weights(level: schedule.maxLevel + 1)), plainMass)
        return out
    }

    mutating func add(_ o: SegmentKernel, _ p: Double) {
        for i in k.indices { k[i] += p * o.k[i] }
        for i in f.indices { f[i] += p * o.f[i] }
        for i in gamma.indices { gamma[i] += p * o.gamma[i] }
    }
}

