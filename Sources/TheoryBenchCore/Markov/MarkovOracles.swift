import Foundation

/// g(x) = ∇f(x) + b_{Z}: a gradient oracle driven by a finite Markov chain Z with a state-dependent
/// shift b_s (Σ_s π_s b_s = 0), so consecutive samples are correlated (docs/derivations/markov-mlmc.md §3).
///
/// Each call reads the current state Z_k, then advances it: Z_{k+1} ~ P(Z_k, ·), one uniform of the
/// run's own stream (so run r's chain is the same whatever the worker count). The first call draws
/// Z_0 (from π, or the given state) from that stream too. `sampling` exists for negative controls:
/// `.independent` draws every state afresh from π (i.i.d. samples with the same marginal), `.frozen`
/// never advances the chain (the slip of an oracle copied by value at every step).
public struct MarkovShiftOracle<Problem: Objective>: GradientOracle {
    public typealias Sampling = MarkovSampling

    public let problem: Problem
    public let chain: FiniteMarkovChain
    /// b, row-major S×d.
    public let shifts: [Double]
    /// The start state, nil for a draw from π.
    public let start: Int?
    public let sampling: Sampling
    @usableFromInline var state = -1
    @usableFromInline var drawn = 0
    /// Chain samples read so far.
    public var samplesDrawn: Int { drawn }

    public init(_ problem: Problem, chain: FiniteMarkovChain, shifts: [Double], start: Int?, sampling: Sampling = .markov) {
        precondition(shifts.count == chain.states * problem.dimension, "shifts must be S×d")
        self.problem = problem; self.chain = chain; self.shifts = shifts; self.start = start; self.sampling = sampling
    }

    /// The chain's current state (−1 before the first call).
    public var currentState: Int { state }

    /// Puts the chain in state `s` (a method that restarts the chain, e.g. to estimate from a fixed start).
    public mutating func restart(at s: Int) { state = s }

    @inlinable
    public mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
        if state < 0 { state = start ?? chain.stationaryDraw(rng: &rng) }
        problem.gradient(x, into: &g)
        let d = g.count, offset = state * d
        shifts.withUnsafeBufferPointer { b in
            g.withUnsafeMutableBufferPointer { gp in for i in 0..<d { gp[i] += b[offset + i] } }
        }
        drawn += 1
        switch sampling {
        case .markov: state = chain.next(state, rng: &rng)
        case .independent: state = chain.stationaryDraw(rng: &rng)
        case .frozen: break
        }
    }
}

/// The randomized multilevel Monte Carlo (MLMC) gradient estimator over consecutive samples of a
/// base oracle (docs/derivations/markov-mlmc.md §2): draw J with P(J = j) = 2^{−j} (j ≥ 1); with
/// g^j the average of the first 2^j·B samples drawn at x (nested: g^{j−1} uses the first half),
///   g = g^0 + 2^J (g^J − g^{J−1})   if 2^J ≤ M,   else g = g^0.
/// Samples are consumed, never reused: the next call continues the chain. In weights,
/// g = (S_B − 2S_n + S_{2n})/B with n = 2^{J−1}B; E[#samples] = B(m + 2^{−m}), m = ⌊log₂ M⌋, and
/// E[g | start] = E[g^m | start] (the levels telescope).
///
/// `levelWeight` is the factor c_J in g = g^0 + c_J(g^J − g^{J−1}): 2^J is the estimator; 1 (the level
/// weight forgotten) and 0 (the plain batch g^0) exist for negative controls.
public struct MLMCOracle<Base: GradientOracle>: GradientOracle {
    public typealias LevelWeight = MLMCLevelWeight

    public var base: Base
    public let schedule: MLMCSchedule
    @usableFromInline var scratch: [Double]
    @usableFromInline var drawn = 0
    /// Base-oracle samples drawn so far.
    public var samplesDrawn: Int { drawn }

    /// `batchLimit` is M (≥ 2): levels with 2^J > M fall back to g^0.
    public init(_ base: Base, batch B: Int, batchLimit M: Int, levelWeight: LevelWeight = .telescoping) {
        self.base = base
        schedule = MLMCSchedule(batch: B, limit: M, levelWeight: levelWeight)
        scratch = [Double](repeating: 0, count: base.problem.dimension)
    }

    public var problem: Base.Problem { base.problem }

    @inlinable
    public mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
        let j = 1 + rng.next().trailingZeroBitCount   // P(J = j) = 2^{−j}
        let count = schedule.sampleCount(level: j), d = g.count
        for i in 0..<d { g[i] = 0 }
        for i in 0..<count {
            base.sample(at: x, into: &scratch, rng: &rng)
            let w = count == schedule.batch ? 1 / Double(schedule.batch) : schedule.weight(i, level: j)
            scratch.withUnsafeBufferPointer { s in
                g.withUnsafeMutableBufferPointer { gp in for t in 0..<d { gp[t] += w * s[t] } }
            }
        }
        drawn += count
    }
}

/// The sampling schedule of the MLMC estimator: base batch B, m = ⌊log₂ M⌋, the level factor c_J, and
/// per level J the number of samples drawn and their weights (docs/derivations/markov-mlmc.md §2).
public struct MLMCSchedule: Sendable, Equatable {
    public let batch: Int
    public let maxLevel: Int
    public let levelWeight: MLMCLevelWeight

    public init(batch B: Int, limit M: Int, levelWeight: MLMCLevelWeight) {
        precondition(B >= 1 && M >= 2, "MLMC needs B ≥ 1 and M ≥ 2")
        batch = B; self.levelWeight = levelWeight
        maxLevel = Int.bitWidth - 1 - M.leadingZeroBitCount   // ⌊log₂ M⌋
    }

    /// c_J for level J.
    @inlinable
    public func factor(_ j: Int) -> Double {
        switch levelWeight {
        case .telescoping: return Double(1 << j)
        case .unweighted: return 1
        case .none: return 0
        }
    }

    /// The weight of sample i (0-based) in g at level J (J ≤ m): [i < B]/B + c_J([i < 2n]/(2n) − [i < n]/n).
    @inlinable
    public func weight(_ i: Int, level j: Int) -> Double {
        let n = batch << (j - 1), b = Double(batch)
        return (i < batch ? 1 / b : 0) + factor(j) * ((i < 2 * n ? 1 / Double(2 * n) : 0) - (i < n ? 1 / Double(n) : 0))
    }

    /// The number of samples a call at level J draws (B when it falls back to the plain batch).
    @inlinable
    public func sampleCount(level j: Int) -> Int {
        j <= maxLevel && factor(j) != 0 ? batch << j : batch
    }

    /// The weights of a call at level J.
    public func weights(level j: Int) -> [Double] {
        let n = sampleCount(level: j)
        return n == batch ? [Double](repeating: 1 / Double(batch), count: batch) : (0..<n).map { weight($0, level: j) }
    }

    /// B(m + 2^{−m}) for the estimator, B for the plain batch: the expected samples per call.
    public var expectedSamples: Double {
        levelWeight == .none ? Double(batch) : Double(batch) * (Double(maxLevel) + pow(2, -Double(maxLevel)))
    }
}

/// An oracle that counts the chain samples it has read (a sample-complexity axis for plots).
public protocol SampleCounting {
    var samplesDrawn: Int { get }
}

extension MarkovShiftOracle: SampleCounting {}
extension MLMCOracle: SampleCounting {}

/// SGD whose oracle counts samples: `oracleCalls` is the number of chain samples read so far, so a
/// run can be plotted against samples as well as iterations (MLMC draws a random number per step).
public struct SampleCountedSGD<Oracle: GradientOracle & SampleCounting>: IterativeMethod {
    public var sgd: SGD<Oracle>
    public init(_ sgd: SGD<Oracle>) { self.sgd = sgd }
    @inlinable
    public mutating func step(_ k: Int, rng: inout RandomStream) { sgd.step(k, rng: &rng) }
    public var isFinite: Bool { sgd.isFinite }
    public var point: [Double] { sgd.point }
    public var oracleCalls: Double? { Double(sgd.oracle.samplesDrawn) }
}

/// How a Markov-shift oracle draws its states (`.markov` for the theorem; the others for controls).
public enum MarkovSampling: Sendable, Equatable { case markov, independent, frozen }

/// The factor c_J of an MLMC estimate g = g⁰ + c_J(g^J − g^{J−1}): 2^J, 1 or 0.
public enum MLMCLevelWeight: Sendable, Equatable { case telescoping, unweighted, none }
