import TheoryBenchCore
import TheoryBenchEngine
import Foundation

extension MarkovMLMC {
    /// SGD's parameters: the constant step γ and the accuracy ε it targets (0 when none).
    public struct StepParameters: TheoryBenchEngine.StepParameters, Equatable {
        public let step: Double
        public let target: Double
    }

    /// The MLMC estimator's parameters: base batch B, batch limit M, level factor.
    public struct MLMCParameters: Sendable, Equatable {
        public let batch: Int
        public let limit: Int
        public let levelWeight: MLMCOracle<MarkovShiftOracle<Quadratic>>.LevelWeight
        public var factor: @Sendable (Int) -> Double {
            switch levelWeight {
            case .telescoping: return { Double(1 << $0) }
            case .unweighted: return { _ in 1 }
            case .none: return { _ in 0 }
            }
        }
    }

    struct NotMarkov: Error, CustomStringConvertible {
        let description = "the instance is not a quadratic with Markov noise"
    }

    /// The Markov-shift oracle of `inst` (its part as it stands: a control may have changed the
    /// sampling), on `chain` when given.
    static func oracle(_ inst: Instance, on chain: FiniteMarkovChain? = nil) throws -> MarkovShiftOracle<Quadratic> {
        guard let q = inst.problem as? Quadratic, let n = inst.markovNoise else { throw NotMarkov() }
        return MarkovShiftOracle(q, chain: chain ?? n.chain, shifts: n.shifts, start: n.start, sampling: n.sampling)
    }

    /// SGD x_{k+1} = x_k − γ(∇f(x_k) + b_{Z_k}) on consecutive Markov samples, measured by ‖x_k − x*‖²
    /// and counting samples.
    static func sgd(step: Double, target: Double = 0) -> MethodSpec<StepParameters> {
        MethodSpec(name: "SGD on consecutive Markov samples (γ = \(step.formatted3))",
                   parameters: StepParameters(step: step, target: target)) { inst, cps, rng in
            var m = SampleCountedSGD(SGD(oracle: try oracle(inst), schedule: .constant(step), start: inst.start))
            return record(&m, at: cps, rng: &rng) { Measure.distanceSquared.of(inst, $0.sgd.x) }
        }
    }

    /// SGD with the MLMC estimator (batch B, limit M) at step γ: one estimator call per iteration.
    static func mlmcSGD(step: Double, batch: Int, limit: Int, levelWeight: MLMCLevelWeight = .telescoping) -> MethodSpec<StepParameters> {
        let label = levelWeight == .telescoping ? "SGD with MLMC batches" : "SGD with MLMC batches, level weight \(levelWeight)"
        return MethodSpec(name: "\(label) (B = \(batch), M = \(limit), γ = \(step.formatted3))",
                          parameters: StepParameters(step: step, target: 0)) { inst, cps, rng in
            let g = MLMCOracle(try oracle(inst), batch: batch, batchLimit: limit, levelWeight: levelWeight)
            var m = SampleCountedSGD(SGD(oracle: g, schedule: .constant(step), start: inst.start))
            return record(&m, at: cps, rng: &rng) { Measure.distanceSquared.of(inst, $0.sgd.x) }
        }
    }

    /// Nesterov's accelerated SGD with MLMC batches (B, M) at step γ and momentum β: one estimator call
    /// per iteration, at the extrapolated point.
    static func nesterovMLMC(step: Double, momentum: Double, batch: Int, limit: Int,
                             levelWeight: MLMCLevelWeight = .telescoping) -> MethodSpec<StepParameters> {
        let label = levelWeight == .telescoping ? "" : ", level weight \(levelWeight)"
        return MethodSpec(name: "accelerated SGD with MLMC batches (B = \(batch), M = \(limit)\(label), γ = \(step.formatted3), β = \(momentum.formatted3))",
                          parameters: StepParameters(step: step, target: 0)) { inst, cps, rng in
            let g = MLMCOracle(try oracle(inst), batch: batch, batchLimit: limit, levelWeight: levelWeight)
            var m = NesterovSGD(oracle: g, step: step, momentum: momentum, start: inst.start)
            return record(&m, at: cps, rng: &rng) { Measure.distanceSquared.of(inst, $0.x) }
        }
    }

    /// SGD at the sweep's step on each chain of `c` (the instance part's shifts and sampling), from
    /// the instance's start: per chain the run's window mean (1/|W|)Σ_{k∈W}‖e_k‖² as a scalar; the
    /// per-checkpoint series is ‖e_k‖² on the slowest chain.
    static func sweep(_ c: TauSweep) -> MethodSpec<StepParameters> {
        MethodSpec(name: "SGD on consecutive Markov samples at \(TauSweep.chains.count) flip probabilities (γ = \(c.step.formatted3))",
                   parameters: StepParameters(step: c.step, target: 0)) { inst, cps, rng in
            var trace = Trace(values: [])
            for (j, chain) in TauSweep.chains.enumerated() {
                let m = SGD(oracle: try oracle(inst, on: chain), schedule: .constant(c.step), start: inst.start)
                var observed = Observed(m, WindowMean(window: c.window, xStar: c.base.problem.xStar))
                let t = record(&observed, at: cps, rng: &rng) { Measure.distanceSquared.of(inst, $0.method.x) }
                if t.divergedAt != nil { return t }
                trace.scalars[TauSweep.scalars[j]] = observed.observer.mean
                if j == TauSweep.chains.count - 1 { trace.values = t.values }
            }
            return trace
        }
    }

    /// Draws of the MLMC estimator's noise g − ∇f(x*) at x*, each from the fixed state z (the chain
    /// restarted before every draw), measured by the running mean of ⟨g, u⟩, u = b_z/‖b_z‖.
    static func estimatorDraws(_ c: FixedStart, _ p: MLMCParameters) -> MethodSpec<MLMCParameters> {
        let label: String
        switch p.levelWeight {
        case .telescoping: label = "MLMC estimator"
        case .unweighted: label = "MLMC estimator without the 2^J level weight"
        case .none: label = "plain batch average g⁰"
        }
        return MethodSpec(name: "\(label) (B = \(p.batch), M = \(p.limit)) from Z = \(c.state)", parameters: p) { inst, cps, rng in
            var m = EstimatorDraws(oracle: MLMCOracle(try oracle(inst), batch: p.batch, batchLimit: p.limit, levelWeight: p.levelWeight),
                                   at: c.base.problem.xStar, state: c.state, direction: c.direction)
            return record(&m, at: cps, rng: &rng) { $0.mean }
        }
    }
}

/// Repeated draws of an MLMC estimate at a fixed point, the chain restarted in state z before each
/// draw (one draw per iteration); `mean` is the running mean of ⟨g, u⟩.
struct EstimatorDraws<Problem: Objective>: IterativeMethod {
    var oracle: MLMCOracle<MarkovShiftOracle<Problem>>
    let x: [Double], state: Int, direction: [Double]
    var g: [Double]
    var total = 0.0, draws = 0

    init(oracle: MLMCOracle<MarkovShiftOracle<Problem>>, at x: [Double], state: Int, direction: [Double]) {
        self.oracle = oracle; self.x = x; self.state = state; self.direction = direction; g = x
    }

    mutating func step(_ k: Int, rng: inout RandomStream) {
        oracle.base.restart(at: state)
        oracle.sample(at: x, into: &g, rng: &rng)
        total += Vec.dot(g, direction)
        draws += 1
    }

    var mean: Double { draws == 0 ? 0 : total / Double(draws) }
    var isFinite: Bool { total.isFinite }
    var point: [Double] { [mean] }
    var oracleCalls: Double? { Double(oracle.samplesDrawn) }
}

/// The window mean (1/|W|) Σ_{k∈W} ‖x_k − x*‖² of one SGD run.
struct WindowMean: RunObserver {
    typealias Method = SGD<MarkovShiftOracle<Quadratic>>
    let window: Range<Int>
    let xStar: [Double]
    var total = 0.0

    mutating func observe(_ m: Method, iterations k: Int) {
        guard window.contains(k) else { return }
        var s = 0.0
        m.x.withUnsafeBufferPointer { x in
            xStar.withUnsafeBufferPointer { xs in for i in 0..<x.count { s += (x[i] - xs[i]) * (x[i] - xs[i]) } }
        }
        total += s
    }

    var mean: Double { total / Double(window.count) }
    var isFinite: Bool { total.isFinite }
}

/// Nesterov's accelerated SGD with constant step γ and momentum β:
///   y_k = x_k + β(x_k − x_{k−1}),  x_{k+1} = y_k − γ g(y_k),  x_{−1} = x₀,
/// counting the samples its oracle draws.
struct NesterovSGD<Oracle: GradientOracle & SampleCounting>: IterativeMethod {
    var oracle: Oracle
    let stepSize: Double, momentum: Double
    var x: [Double], previous: [Double], y: [Double], g: [Double]

    init(oracle: Oracle, step: Double, momentum: Double, start: [Double]) {
        self.oracle = oracle; stepSize = step; self.momentum = momentum
        x = start; previous = start; y = start; g = start
    }

    mutating func step(_ k: Int, rng: inout RandomStream) {
        let d = x.count, b = momentum, gam = stepSize
        for i in 0..<d { y[i] = x[i] + b * (x[i] - previous[i]) }
        oracle.sample(at: y, into: &g, rng: &rng)
        for i in 0..<d { previous[i] = x[i]; x[i] = y[i] - gam * g[i] }
    }

    var isFinite: Bool { Vec.isFinite(x) }
    var point: [Double] { x }
    var oracleCalls: Double? { Double(oracle.samplesDrawn) }
}
