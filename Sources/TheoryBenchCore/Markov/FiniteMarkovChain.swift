import Foundation

/// A reversible Markov chain on the finite state space {0, …, S−1} with exactly known mixing: its
/// transition matrix P, stationary law π and λ_* = the largest |eigenvalue| of P other than the
/// eigenvalue 1 (docs/derivations/markov-mlmc.md §1).
///
/// Three ways to build one: the two-state chain flipping with probability q (λ_* = |1 − 2q|, closed
/// form), the lazy random walk on a K-cycle (λ_* = ½ + ½cos(2π/K), closed form), and a given
/// transition matrix (π from (Pᵀ − I)π = 0, Σπ = 1 by GSL's LU solver; λ_* from GSL's symmetric
/// eigensolver on D^{1/2} P D^{−1/2}, D = diag(π), which is symmetric exactly when P is reversible).
/// Rows are stored sparsely (targets with cumulative probabilities), so a step costs one uniform and
/// a scan of the non-zero entries of one row, with no allocation.
public struct FiniteMarkovChain: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case twoState(flip: Double)
        case lazyCycle(states: Int)
        case matrix
    }

    public let kind: Kind
    public let states: Int
    /// P, row-major S×S.
    public let transition: [Double]
    public let stationary: [Double]
    /// The largest |eigenvalue| ≠ 1 (the second largest absolute eigenvalue).
    public let lambdaStar: Double
    @usableFromInline let rowStart: [Int]
    @usableFromInline let targets: [Int]
    @usableFromInline let cumulative: [Double]
    @usableFromInline let stationaryCumulative: [Double]

    /// The reasons a transition matrix is rejected.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    init(kind: Kind, states: Int, transition: [Double], stationary: [Double], lambdaStar: Double) {
        self.kind = kind; self.states = states; self.transition = transition
        self.stationary = stationary; self.lambdaStar = lambdaStar
        var start = [0], tg = [Int](), cum = [Double]()
        for s in 0..<states {
            var acc = 0.0
            for t in 0..<states where transition[s * states + t] > 0 {
                acc += transition[s * states + t]; tg.append(t); cum.append(acc)
            }
            cum[cum.count - 1] = .infinity   // the last target takes the rounding remainder
            start.append(tg.count)
        }
        rowStart = start; targets = tg; cumulative = cum
        var acc = 0.0
        var sc = stationary.map { p -> Double in acc += p; return acc }
        sc[states - 1] = .infinity
        stationaryCumulative = sc
    }

    /// P = [[1−q, q], [q, 1−q]], π = (½, ½), λ_* = |1 − 2q|.
    public static func twoState(flip q: Double) -> FiniteMarkovChain {
        precondition(q > 0 && q < 1, "flip probability must be in (0, 1)")
        return FiniteMarkovChain(kind: .twoState(flip: q), states: 2, transition: [1 - q, q, q, 1 - q],
                                 stationary: [0.5, 0.5], lambdaStar: abs(1 - 2 * q))
    }

    /// P = ½I + ¼(shift + shift⁻¹) on Z_K (K ≥ 3), π uniform, eigenvalues ½ + ½cos(2πj/K) ∈ [0, 1],
    /// so λ_* = ½ + ½cos(2π/K) = 1 − sin²(π/K).
    public static func lazyCycle(states K: Int) -> FiniteMarkovChain {
        precondition(K >= 3, "a cycle needs at least 3 states")
        var p = [Double](repeating: 0, count: K * K)
        for s in 0..<K {
            p[s * K + s] = 0.5
            p[s * K + (s + 1) % K] += 0.25
            p[s * K + (s + K - 1) % K] += 0.25
        }
        let lam = 0.5 + 0.5 * cos(2 * Double.pi / Double(K))
        return FiniteMarkovChain(kind: .lazyCycle(states: K), states: K, transition: p,
                                 stationary: [Double](repeating: 1 / Double(K), count: K), lambdaStar: lam)
    }

    /// A chain from its row-major S×S transition matrix: rows must be probability vectors (within
    /// 1e-12), the chain irreducible (π > 0 and λ_* < 1) and reversible (π_s P_st = π_t P_ts within 1e-10).
    public init(transition p: [Double], states S: Int) throws {
        guard S >= 2, p.count == S * S else { throw Invalid(description: "expected a square matrix with at least 2 states, got \(p.count) entries") }
        for s in 0..<S {
            let row = p[(s * S)..<(s * S + S)]
            if let bad = row.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
                throw Invalid(description: "entry (\(s), \(bad - s * S)) = \(p[bad]) is not a probability")
            }
            let sum = row.reduce(0, +)
            guard abs(sum - 1) <= 1e-12 else { throw Invalid(description: "row \(s) sums to \(sum), not 1") }
        }
        let pi = try Self.stationaryLaw(p, S)
        for s in 0..<S { for t in 0..<s where abs(pi[s] * p[s * S + t] - pi[t] * p[t * S + s]) > 1e-10 {
            throw Invalid(description: "not reversible: π_\(s)P(\(s),\(t)) ≠ π_\(t)P(\(t),\(s)) (the bounds need a reversible chain)")
        } }
        var sym = Matrix(zeros: S, S)
        for s in 0..<S { for t in 0..<S { sym[s, t] = (pi[s] / pi[t]).squareRoot() * p[s * S + t] } }
        for s in 0..<S { for t in 0..<s { let m = 0.5 * (sym[s, t] + sym[t, s]); sym[s, t] = m; sym[t, s] = m } }
        let ev = LinearAlgebra.symmetricEigenvalues(sym)   // ascending; the last is 1
        let lam = max(abs(ev[0]), abs(ev[S - 2]))
        guard lam < 1 - 1e-12 else { throw Invalid(description: "λ_* = \(lam): the chain is not irreducible and aperiodic (no spectral gap)") }
        self.init(kind: .matrix, states: S, transition: p, stationary: pi, lambdaStar: lam)
    }

    /// π solving (Pᵀ − I)π = 0 with the last equation replaced by Σπ = 1 (`LinearAlgebra.solveLU`).
    static func stationaryLaw(_ p: [Double], _ S: Int) throws -> [Double] {
        var a = Matrix(zeros: S, S), b = [Double](repeating: 0, count: S)
        for i in 0..<(S - 1) { for j in 0..<S { a[i, j] = p[j * S + i] - (i == j ? 1 : 0) } }
        for j in 0..<S { a[S - 1, j] = 1 }
        b[S - 1] = 1
        guard let x = LinearAlgebra.solveLU(a, b), x.allSatisfy({ $0.isFinite && $0 > 1e-300 }) else {
            throw Invalid(description: "no stationary law with every state positive (the chain is reducible)")
        }
        return x
    }

    /// t_* = (1 + λ_*)/(1 − λ_*): the bound on the integrated autocorrelation time of a stationary
    /// reversible chain (Var Σ_{i≤n} h(Z_i) ≤ n·t_*·Var_π h; §1).
    public var integratedTime: Double { (1 + lambdaStar) / (1 - lambdaStar) }

    /// ⌈ln 4 / (−ln λ_*)⌉ (1 when λ_* = 0). For the two-state chain it is exactly τ, the smallest τ with
    /// max_z TV(P^t(z,·), π) ≤ (1/4)^⌊t/τ⌋ for all t; for any chain it is a lower bound on that τ (§1).
    public var tau: Int {
        lambdaStar == 0 ? 1 : max(1, Int((log(4) / -log(lambdaStar)).rounded(.up)))
    }

    /// True when `tau` is the exact mixing time τ of the uniform-ergodicity assumption (two-state chain).
    public var tauIsExact: Bool { if case .twoState = kind { return true } else { return false } }

    /// The state after one step from `s`, from one uniform of `rng`.
    @inlinable @inline(__always)
    public func next(_ s: Int, rng: inout RandomStream) -> Int {
        let u = rng.uniform()
        var i = rowStart[s]
        while u >= cumulative[i] { i += 1 }
        return targets[i]
    }

    /// A state drawn from π.
    @inlinable @inline(__always)
    public func stationaryDraw(rng: inout RandomStream) -> Int {
        let u = rng.uniform()
        var i = 0
        while u >= stationaryCumulative[i] { i += 1 }
        return i
    }

    public var description: String {
        switch kind {
        case .twoState(let q): return "two-state chain, flip \(q.formatted3)"
        case .lazyCycle(let k): return "lazy walk on a \(k)-cycle"
        case .matrix: return "\(states)-state reversible chain"
        }
    }
}
