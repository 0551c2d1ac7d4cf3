import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// Claims for Modoranu, Safaryan, Malinovsky, Kurtic, Robert, Richtárik, Alistarh, "MicroAdam:
/// Accurate Adaptive Optimization with Low Space Overhead and Provable Convergence" (NeurIPS 2024,
/// arXiv 2405.15593).
///
/// What is checked on what authority: only the paper's abstract and introduction were readable, so
/// **no theorem text or constant of the paper is checked**. The memory formula is read off the
/// reference implementation's buffer allocation; the trap of Top-K without error feedback, its escape
/// with error feedback, and the error-feedback bound of the analysed algorithm are derived in
/// docs/derivations/microadam.md (§ numbers in the doc comments).
public enum MicroAdam {
    public static let paper = Paper(
        key: "microadam", reference: "arXiv:2405.15593",
        title: "Modoranu et al., MicroAdam: Accurate Adaptive Optimization with Low Space Overhead and Provable Convergence")

    public static let family = PaperFamily(
        paper: paper, claims: [stateMemory, noErrorFeedbackTrap, errorFeedbackEscape, theoryErrorBound, theoryConvergence, productionConvergence, stepBound],
        problemFamilies: [.cyclicOffsetQuadratic, .gemanMcClure], tables: [memoryTable])

    /// A configured MicroAdam run: the configuration and the step rule.
    public struct Parameters: Sendable {
        public let config: MicroAdamConfig
        public let schedule: StepSchedule
    }

    /// What a claim measures on a MicroAdam run at a checkpoint.
    enum Probe: Sendable {
        /// state bytes / d.
        case bytesPerParameter
        /// ½Σ_{j≥2} x_j².
        case starvedEnergy
        /// f(x) − f* (f* = 0 on the families used).
        case objective
        /// max_{s≤k} ‖e_s‖.
        case maxErrorNorm
        /// (1/k) Σ_{j<k} ‖∇f(x_j)‖².
        case averageGradientNormSquared
        /// max_{s≤k} max_i |u_{s,i}|.
        case maxStep
    }

    static func spec(_ config: MicroAdamConfig, _ schedule: StepSchedule, _ probe: Probe,
                     region: (@Sendable (Double) -> String?)? = nil) -> MethodSpec<Parameters> {
        MethodSpec(name: "\(config), \(schedule)", parameters: Parameters(config: config, schedule: schedule)) { inst, cps, rng in
            if let p = inst.problem as? CyclicOffsetQuadratic {
                return run(CyclicOffsetOracle(p), config, schedule, probe, region, inst, cps, &rng)
            }
            return run(inst.makeOracle(), config, schedule, probe, region, inst, cps, &rng)
        }
    }

    static func run<O: GradientOracle>(_ oracle: O, _ config: MicroAdamConfig, _ schedule: StepSchedule, _ probe: Probe,
                                       _ region: (@Sendable (Double) -> String?)?, _ inst: Instance,
                                       _ cps: Checkpoints, _ rng: inout RandomStream) -> Trace {
        let problem = inst.problem
        var m = Watched(MicroAdamMethod(oracle: oracle, config: config, schedule: schedule, start: inst.start),
                        objective: probe == .averageGradientNormSquared ? problem : nil)
        var trace = record(&m, at: cps, rng: &rng) { w in
            switch probe {
            case .bytesPerParameter: return Double(w.method.stateBytes) / Double(w.method.x.count)
            case .starvedEnergy: return 0.5 * w.method.x.dropFirst().reduce(0) { $0 + $1 * $1 }
            case .objective: return problem.value(w.method.x)
            case .maxErrorNorm: return w.method.maxErrorNorm
            case .averageGradientNormSquared: return w.averageGradientNormSquared
            case .maxStep: return w.method.maxStep
            }
        }
        trace.regionViolation = region?(m.maxAbsFirst)
        return trace
    }

    // MARK: 1. Memory

    /// Any instance of dimension d ≥ 10⁴ (the regime the memory formula is about); the memory claim
    /// reads only d.
    public struct LargeInstance: InstanceContext {
        public let instance: Instance
        public init?(_ i: Instance) {
            guard i.dimension >= 10_000, i.problem is CyclicOffsetQuadratic else { return nil }
            instance = i
        }
    }

    /// The shipped configuration the memory claim is about: k/d = 1 %, m = 10, blocks of 25 000, buckets of 64.
    static let memoryConfig = MicroAdamConfig(density: 0.01, window: 10, blockSize: 25_000, bucketSize: 64)

    /// M(d) = 4mk + ⌈d/2⌉ + 4(⌊d/B⌋ + 1) bytes, k = ⌈d_b·k/d⌉⌊d/d_b⌋ + ⌈(d mod d_b)·k/d⌉ (§6).
    public static func memoryFormula(dimension d: Int, _ c: MicroAdamConfig) -> Int {
        let db = min(c.blockSize, d)
        let k = Int((Double(db) * c.density).rounded(.up)) * (d / db) + Int((Double(d % db) * c.density).rounded(.up))
        return 4 * c.window * k + (d + 1) / 2 + 4 * (d / c.bucketSize + 1)
    }

    static func memorySpec(_ c: MicroAdamConfig) -> MethodSpec<Parameters> {
        spec(c, .constant(1e-3), .bytesPerParameter)
    }

    /// Problem: any d (here f = ½‖x‖² at d = 10⁶; the state does not depend on f).
    /// Algorithm: MicroAdam, production mode, k/d = 1 %, m = 10, d_b = 25 000, B = 64.
    /// Guarantee: the optimizer state, counted from its allocated buffers (16-bit indices and
    /// bfloat16 values of the m × k window, ⌈d/2⌉ bytes of packed 4-bit error codes, 2(⌊d/B⌋ + 1)
    /// bfloat16 bucket statistics), is M = 4mk + ⌈d/2⌉ + 4(⌊d/B⌋ + 1) bytes at every step: 0.9625
    /// bytes per parameter at d = 10⁶, against 8 for Adam in float32 and 2 for 8-bit Adam (§6; the
    /// allocation of the reference implementation `ista-daslab-optimizers`, micro_adam.py).
    /// Deterministic, exact.
    ///
    /// Controls: a dense window (k = d, as if Top-K were off: 4md bytes more than 8 B/param once m ≥ 2),
    /// and float32 window values (6mk in place of 4mk).
    public static let stateMemory = Claim(
        id: "microadam.state-memory", paper: paper, theorem: "memory formula (reference implementation's allocation)",
        statement: "MicroAdam's state with k/d = 1 %, m = 10, 4-bit error in buckets of B = 64 occupies exactly 4mk + ⌈d/2⌉ + 4(⌊d/B⌋ + 1) bytes (0.9625 B/param at d = 10⁶; Adam in float32: 8).",
        needs: Requirement("dimension ≥ 10⁴ (cyclic-offset quadratic)") { LargeInstance($0) },
        assumptions: [Assumption("k/d = 1 %, m = 10, bfloat16 values") { _, p in
            p.config == memoryConfig ? nil : "the configuration is \(p.config)"
        }],
        method: { _ in memorySpec(memoryConfig) },
        measured: "state bytes / d", grid: .linear(points: 3), runs: .deterministic,
        check: Check(.levelAtEveryCheckpoint(
            lo: Bound("(4mk + ⌈d/2⌉ + 4(⌊d/B⌋ + 1))/d", .derived("buffer sizes of the reference implementation, docs/derivations/microadam.md §6")) { c, _, _ in
                Double(memoryFormula(dimension: c.instance.dimension, memoryConfig)) / Double(c.instance.dimension) },
            hi: Bound("(4mk + ⌈d/2⌉ + 4(⌊d/B⌋ + 1))/d", .derived("buffer sizes of the reference implementation, docs/derivations/microadam.md §6")) { c, _, _ in
                Double(memoryFormula(dimension: c.instance.dimension, memoryConfig)) / Double(c.instance.dimension) }), on: .mean),
        references: [Reference("Adam") { _ in denseMemorySpec(amsgrad: false) }, Reference("AMSGrad") { _ in denseMemorySpec(amsgrad: true) }],
        controls: .method("microadam.state-memory.dense-window", "k = d (no sparsification): the window holds m dense gradients") { _ in
            var c = memoryConfig; c.density = 1; return memorySpec(c)
        }, .method("microadam.state-memory.float32-values", "window values in float32 instead of bfloat16") { _ in
            var c = memoryConfig; c.fullPrecisionValues = true; return memorySpec(c)
        })
}

extension MicroAdam {
    /// Adam or AMSGrad (`DenseAdam`, float64 state) on the memory instance, recording its state bytes per
    /// parameter counted from its buffers: the references of the memory table (never judged).
    static func denseMemorySpec(amsgrad: Bool) -> MethodSpec<Parameters> {
        MethodSpec(name: amsgrad ? "AMSGrad (float64 m, v, v̂)" : "Adam (float64 m, v)", parameters: Parameters(config: memoryConfig, schedule: .constant(1e-3))) { inst, cps, rng in
            denseMemoryRun(inst.makeOracle(), amsgrad: amsgrad, inst, cps, &rng)
        }
    }

    static func denseMemoryRun<O: GradientOracle>(_ oracle: O, amsgrad: Bool, _ inst: Instance, _ cps: Checkpoints,
                                                  _ rng: inout RandomStream) -> Trace {
        var m = DenseAdam(oracle: oracle, variant: amsgrad ? .amsgrad : .adam, schedule: .constant(1e-3), start: inst.start)
        return record(&m, at: cps, rng: &rng) { Double($0.stateBytes) / Double($0.x.count) }
    }

    /// Bytes of optimizer state per parameter, measured from the buffers of each optimizer.
    static let memoryTable = OverviewTable(
        "Optimizer state, bytes per parameter (measured)",
        note: "Counted from the allocated buffers at the horizon of `microadam.state-memory` (MicroAdam at k/d = 1 %, m = 10, 4-bit error; the claim checks it equals the formula of docs/derivations/microadam.md §6). Adam and AMSGrad are this project's float64 references (16 and 24 B/param; in float32 they would be 8 and 12).",
        columns: [.measured(claim: "microadam.state-memory", header: "MicroAdam"),
                  .reference(claim: "microadam.state-memory", label: "Adam", header: "Adam (float64)"),
                  .reference(claim: "microadam.state-memory", label: "AMSGrad", header: "AMSGrad (float64)"),
                  .constant("d", header: "d")])
}

/// Wraps a method and records along its path what its state does not hold: sup_t |x_{1,t}| (the
/// run-time hypothesis of the trap) and, when given the objective, Σ_{j<k} ‖∇f(x_j)‖².
struct Watched<M: IterativeMethod>: IterativeMethod {
    var method: M
    var maxAbsFirst: Double
    let objective: (any Objective)?
    var gradientSum = 0.0, steps = 0
    var scratch: [Double]

    init(_ m: M, objective: (any Objective)? = nil) {
        method = m; maxAbsFirst = abs(m.point.first ?? 0); self.objective = objective
        scratch = [Double](repeating: 0, count: objective == nil ? 0 : m.point.count)
    }

    mutating func step(_ k: Int, rng: inout RandomStream) {
        if let f = objective { f.gradient(method.point, into: &scratch); gradientSum += Vec.normSquared(scratch) }
        method.step(k, rng: &rng)
        steps += 1
        if let v = method.point.first { maxAbsFirst = max(maxAbsFirst, abs(v)) }
    }

    /// (1/k) Σ_{j<k} ‖∇f(x_j)‖² (k ≥ 1).
    var averageGradientNormSquared: Double { gradientSum / Double(max(steps, 1)) }
    var isFinite: Bool { method.isFinite }
    var point: [Double] { method.point }
}
