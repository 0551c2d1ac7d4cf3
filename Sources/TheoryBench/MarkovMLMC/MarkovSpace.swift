import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The falsification space around a Markov-noise part (`InstanceSpace`), rendered in the problem's
/// dimension d: the same kind of chain and start rule (Z₀ ~ π or the seed's state), with
/// - two-state: the flip q free in [0.005, 0.5] (log-uniform) on 4/5 of its coordinate and the seed's
///   own q on the rest (the τ-sweep claim sweeps q itself and is stated from q = 0.2), the shift
///   scale s ∈ [s/10, 10s];
/// - lazy cycle: K ∈ {3…64} states (log-uniform), s ∈ [s/10, 10s];
/// - a given matrix: the same number of states S, P_ij = W_ij / Σ_j W_ij from symmetric weights
///   W_ij ∈ [0.05, 1] (reversible for π ∝ row sums, aperiodic since P_ii > 0), and shifts b_s drawn in
///   [−1, 1]^d, centred under that π and scaled to σ ∈ [σ/10, 10σ] (σ the seed's).
/// The reader checks irreducibility, reversibility and Σ_s π_s b_s = 0 as for any file.
enum MarkovSpace {
    /// Coordinates per state's shift (dimensions above reuse them cyclically).
    static let shiftCoordinates = 12

    static func space(_ p: MarkovNoisePart) -> InstanceSpace {
        let d = p.dimension
        let sigma = (0..<p.chain.states).reduce(0) { acc, s in
            acc + p.chain.stationary[s] * (0..<d).reduce(0) { $0 + p.shifts[s * d + $1] * p.shifts[s * d + $1] }
        }.squareRoot()
        let start = p.start.map { "\($0)" } ?? "stationary"
        switch p.chain.kind {
        case .twoState(let q):
            return InstanceSpace("two-state chain, q ∈ [0.005, 0.5] (or the seed's \(q)), shift s ∈ [s/10, 10s]", coordinates: 2) { u in
                let flip = u[0] < 0.2 ? q : InstanceSpace.logUniform((u[0] - 0.2) / 0.8, 0.005, 0.5)
                return [("markov", "{ kind: two-state, flip: \(InstanceSpace.exact(flip)), shift: \(scale(u[1], sigma)), start: \(start) }")]
            }
        case .lazyCycle:
            return InstanceSpace("lazy cycle, K ∈ {3…64} states, shift s ∈ [s/10, 10s]", coordinates: 2) { u in
                [("markov", "{ kind: lazy-cycle, states: \(InstanceSpace.logInteger(u[0], 3, 64)), shift: \(scale(u[1], sigma)), start: \(start) }")]
            }
        case .matrix:
            let S = p.chain.states, weights = S * (S + 1) / 2
            return InstanceSpace("reversible \(S)-state chains (symmetric weights in [0.05, 1]), centred shifts with σ ∈ [σ/10, 10σ]",
                                 coordinates: weights + S * shiftCoordinates + 1) { u, d in
                let (rows, pi) = reversibleChain(u[0..<weights], S)
                let b = centredShifts(u[weights..<(weights + S * shiftCoordinates)], pi, d, sigma: InstanceSpace.logUniform(u[u.count - 1], sigma / 10, 10 * sigma))
                let list = { (m: [[Double]]) in "[" + m.map(InstanceSpace.list).joined(separator: ", ") + "]" }
                return [("markov", "{ kind: matrix, transition: \(list(rows)), shifts: \(list(b)), start: \(start) }")]
            }
        }
    }

    /// A shift scale in [σ/10, 10σ], log-uniform, written exactly.
    static func scale(_ u: Double, _ sigma: Double) -> String { InstanceSpace.exact(InstanceSpace.logUniform(u, sigma / 10, 10 * sigma)) }

    /// P_ij = W_ij / r_i with W symmetric (upper triangle from `u`) and r_i = Σ_j W_ij; π = r / Σr.
    static func reversibleChain(_ u: ArraySlice<Double>, _ S: Int) -> (rows: [[Double]], pi: [Double]) {
        var w = [[Double]](repeating: [Double](repeating: 0, count: S), count: S), k = u.startIndex
        for i in 0..<S { for j in i..<S { w[i][j] = 0.05 + 0.95 * u[k]; w[j][i] = w[i][j]; k += 1 } }
        let r = w.map { $0.reduce(0, +) }, total = r.reduce(0, +)
        return (w.indices.map { i in w[i].map { $0 / r[i] } }, r.map { $0 / total })
    }

    /// Rows b_s ∈ [−1, 1]^d with Σ_s π_s b_s = 0, scaled so that Σ_s π_s‖b_s‖² = σ².
    static func centredShifts(_ u: ArraySlice<Double>, _ pi: [Double], _ d: Int, sigma: Double) -> [[Double]] {
        let S = pi.count
        var b = (0..<S).map { s in (0..<d).map { j in 2 * u[u.startIndex + s * shiftCoordinates + j % shiftCoordinates] - 1 } }
        for j in 0..<d {
            let mean = (0..<S).reduce(0) { $0 + pi[$1] * b[$1][j] }
            for s in 0..<S { b[s][j] -= mean }
        }
        let norm = (0..<S).reduce(0) { acc, s in acc + pi[s] * b[s].reduce(0) { $0 + $1 * $1 } }.squareRoot()
        return norm > 0 ? b.map { $0.map { $0 * sigma / norm } } : b
    }
}
