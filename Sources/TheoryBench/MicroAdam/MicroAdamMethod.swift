import TheoryBenchCore
import Foundation

/// How MicroAdam keeps what Top-K did not send.
public enum ErrorFeedback: String, Sendable, Equatable, CustomStringConvertible {
    /// 4-bit bucketed min–max quantization (the paper's algorithm; production mode).
    case quantized4bit = "4-bit EF"
    /// The error kept in float64 (the idealized case the derived bounds are stated for).
    case exact = "exact EF"
    /// No error feedback: a = g (the control of the counterexample).
    case none = "no EF"
    /// A slip: the sent coordinates are not removed from the error (e ← a instead of a − C(a)).
    case keepsSent = "EF keeping the sent coordinates"
    public var description: String { rawValue }
}

/// Which algorithm the state runs (docs/derivations/microadam.md §1).
public enum MicroAdamMode: String, Sendable, Equatable {
    /// The algorithm as implemented: a ring buffer of the last m compressed gradients, moments rebuilt
    /// with β powers by age, bias correction, u = c₁S₁/(√(c₂S₂) + ε).
    case production
    /// The analysed algorithm: full EMAs of the compressed gradients, the AMSGrad max, no bias
    /// correction, u = m/√(v̂ + ε).
    case theory
}

/// MicroAdam's configuration.
public struct MicroAdamConfig: Sendable, Equatable, CustomStringConvertible {
    public var mode: MicroAdamMode
    public var density: Double
    public var window: Int
    public var blockSize: Int
    public var bucketSize: Int
    public var errorFeedback: ErrorFeedback
    public var beta1: Double, beta2: Double, epsilon: Double
    /// Window values in float32 instead of bfloat16 (a memory control).
    public var fullPrecisionValues: Bool
    /// Production mode's c₁ = (1 − β₁)/(1 − β₁ᵗ), c₂ = (1 − β₂)/(1 − β₂ᵗ); false: the slip c₁ = 1 − β₁,
    /// c₂ = 1 − β₂ (a control).
    public var biasCorrection = true

    public init(mode: MicroAdamMode = .production, density: Double, window: Int = 10, blockSize: Int = 65_536,
                bucketSize: Int = 64, errorFeedback: ErrorFeedback = .quantized4bit,
                beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, fullPrecisionValues: Bool = false) {
        self.mode = mode; self.density = density; self.window = window; self.blockSize = blockSize
        self.bucketSize = bucketSize; self.errorFeedback = errorFeedback
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.fullPrecisionValues = fullPrecisionValues
    }

    public var description: String {
        let w = mode == .production ? "m = \(window), " : "full EMAs + AMSGrad max, "
        let slip = biasCorrection ? "" : ", no bias correction"
        return "MicroAdam (\(mode.rawValue): k/d = \(density.formatted3), \(w)\(errorFeedback), β = (\(beta1.formatted3), \(beta2.formatted3)), ε = \(epsilon.formatted3)\(slip))"
    }
}

/// MicroAdam (Modoranu et al. 2024, arXiv 2405.15593, Algorithm 1) on a gradient oracle, its state
/// in its compact form in production mode: the window of m sparse gradients (16-bit local indices,
/// bfloat16 values), the error as packed 4-bit codes with bfloat16 bucket statistics. Step t ≥ 1:
///   a = g_t + Q⁻¹(e);  I = block-wise Top-K of |a|;  row (t − 1) mod m ← (I, a_I);
///   a_I ← 0;  e ← Q(a);  S₁ = Σ_rows β₁^age V,  S₂ = Σ_rows β₂^age V²  (age = (t − 1 − row) mod m);
///   θ ← θ − η_t c₁S₁/(√(c₂S₂) + ε),  c₁ = (1 − β₁)/(1 − β₁ᵗ),  c₂ = (1 − β₂)/(1 − β₂ᵗ).
/// Theory mode runs the analysed recursion instead (`MicroAdamMode.theory`). `stateBytes` counts the
/// optimizer state's buffers; the gradient buffer and the dense scratch S₁, S₂ (rebuilt every step)
/// are not state.
public struct MicroAdamMethod<O: GradientOracle>: IterativeMethod {
    public var oracle: O
    public let config: MicroAdamConfig
    public let schedule: StepSchedule
    public var x: [Double]
    public private(set) var t = 0
    public var topK: BlockTopK
    public var window: SparseWindow
    public var quantizer: BucketQuantizer?
    /// The error in float64 (exact EF, and the keeps-sent slip).
    public var error: [Double]
    /// Theory mode: the EMAs m, v and the running max v̂.
    public var m1: [Double], m2: [Double], vmax: [Double]
    /// max_{s ≤ t} ‖e_s‖ (exact error buffers only; 0 otherwise).
    public private(set) var maxErrorNorm = 0.0
    /// max_{s ≤ t} max_i |u_{s,i}|, the largest per-coordinate update before η (production mode).
    public private(set) var maxStep = 0.0
    var g: [Double], s1: [Double], s2: [Double]
    var local: [UInt16]

    public init(oracle: O, config c: MicroAdamConfig, schedule: StepSchedule, start: [Double]) {
        let d = start.count
        self.oracle = oracle; config = c; self.schedule = schedule; x = start
        topK = BlockTopK(dimension: d, blockSize: c.blockSize, density: c.density)
        let k = topK.count
        window = SparseWindow(rows: c.mode == .production ? c.window : 0, width: k, fullPrecisionValues: c.fullPrecisionValues)
        quantizer = c.errorFeedback == .quantized4bit ? BucketQuantizer(dimension: d, bucketSize: c.bucketSize) : nil
        let exact = c.errorFeedback == .exact || c.errorFeedback == .keepsSent
        error = [Double](repeating: 0, count: exact ? d : 0)
        let dense = c.mode == .theory ? d : 0
        m1 = [Double](repeating: 0, count: dense); m2 = m1; vmax = m1
        g = [Double](repeating: 0, count: d)
        s1 = [Double](repeating: 0, count: c.mode == .production ? d : 0); s2 = s1
        local = [UInt16](repeating: 0, count: k)
    }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        t += 1
        oracle.sample(at: x, into: &g, rng: &rng)
        addError()
        g.withUnsafeBufferPointer { a in local.withUnsafeMutableBufferPointer { topK.select(a, into: $0) } }
        switch config.mode {
        case .production: pushWindowRow(); storeError(); productionUpdate(schedule.step(k))
        case .theory: theoryMoments(); storeError(); theoryUpdate(schedule.step(k))
        }
    }

    /// a = g + e (in place in `g`).
    mutating func addError() {
        if let q = quantizer { g.withUnsafeMutableBufferPointer { q.addDecoded(to: $0) } }
        if !error.isEmpty { Vec.axpy(1, error, &g) }
    }

    /// Row (t − 1) mod m ← (I, a_I) at the window's precision.
    mutating func pushWindowRow() {
        let r = (t - 1) % config.window
        for j in 0..<topK.count {
            let l = Int(local[j])
            window.set(r, j, local: l, value: g[topK.coordinate(entry: j, local: l)])
        }
        window.markFilled(upTo: t)
    }

    /// e ← Q(a − C(a)) (or the variant's rule); a is destroyed.
    mutating func storeError() {
        if config.errorFeedback != .keepsSent {
            for j in 0..<topK.count { g[topK.coordinate(entry: j, local: Int(local[j]))] = 0 }
        }
        switch config.errorFeedback {
        case .quantized4bit: g.withUnsafeBufferPointer { quantizer!.store($0) }
        case .exact, .keepsSent:
            for i in g.indices { error[i] = g[i] }
            maxErrorNorm = max(maxErrorNorm, Vec.norm(error))
        case .none: break
        }
    }

    /// S₁, S₂ from the window with β powers by age, then θ ← θ − η c₁S₁/(√(c₂S₂) + ε). Only the
    /// window's coordinates are touched: elsewhere S₁ = S₂ = 0 and the update is 0/(0 + ε) = 0 exactly.
    /// S₁, S₂ are all zero between steps (each coordinate is reset when it is updated; a repeated
    /// coordinate then sees zeros and moves by 0), so the result is bitwise that of a dense loop.
    mutating func productionUpdate(_ eta: Double) {
        let (b1, b2, m, width) = (config.beta1, config.beta2, config.window, topK.count)
        let corrected = config.biasCorrection
        let c1 = (1 - b1) / (corrected ? 1 - pow(b1, Double(t)) : 1), c2 = (1 - b2) / (corrected ? 1 - pow(b2, Double(t)) : 1)
        let eps = config.epsilon, rows = window.filled, topK = self.topK
        var largest = maxStep
        window.indices.withUnsafeBufferPointer { idx in
            s1.withUnsafeMutableBufferPointer { p1 in
                s2.withUnsafeMutableBufferPointer { p2 in
                    for r in 0..<rows {
                        let age = ((t - 1 - r) % m + m) % m
                        let w1 = pow(b1, Double(age)), w2 = pow(b2, Double(age))
                        for j in 0..<width {
                            let i = topK.coordinate(entry: j, local: Int(idx[r * width + j])), v = window.value(r, j)
                            p1[i] += w1 * v; p2[i] += w2 * v * v
                        }
                    }
                    x.withUnsafeMutableBufferPointer { xp in
                        for r in 0..<rows {
                            for j in 0..<width {
                                let i = topK.coordinate(entry: j, local: Int(idx[r * width + j]))
                                let u = c1 * p1[i] / ((c2 * p2[i]).squareRoot() + eps)
                                xp[i] -= eta * u
                                largest = max(largest, abs(u))
                                p1[i] = 0; p2[i] = 0
                            }
                        }
                    }
                }
            }
        }
        maxStep = largest
    }

    /// m ← β₁m + (1 − β₁)c, v ← β₂v + (1 − β₂)c², v̂ ← max(v̂, v), c = C(a) (before a_I is cleared).
    mutating func theoryMoments() {
        let (b1, b2) = (config.beta1, config.beta2)
        for i in m1.indices { m1[i] *= b1; m2[i] *= b2 }
        for j in 0..<topK.count {
            let i = topK.coordinate(entry: j, local: Int(local[j])), c = g[i]
            m1[i] += (1 - b1) * c; m2[i] += (1 - b2) * c * c
        }
        for i in vmax.indices { vmax[i] = max(vmax[i], m2[i]) }
    }

    mutating func theoryUpdate(_ eta: Double) {
        let eps = config.epsilon
        for i in x.indices { x[i] -= eta * m1[i] / (vmax[i] + eps).squareRoot() }
    }

    /// Bytes of optimizer state, counted from the allocated buffers.
    public var stateBytes: Int {
        window.bytes + (quantizer?.bytes ?? 0) + (error.count + m1.count + m2.count + vmax.count) * MemoryLayout<Double>.stride
    }

    public var isFinite: Bool { Vec.isFinite(x) }
    public var point: [Double] { x }
}
