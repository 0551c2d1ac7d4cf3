import TheoryBenchCore
import Foundation

/// The dense references MicroAdam is compared with, each exactly as its paper states it (float64
/// state, so 16 bytes per parameter here; the float32 figure is 8):
/// - Adam [Kingma & Ba 2015, Algorithm 1]: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
///   m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), θ ← θ − α m̂/(√v̂ + ε).
/// - AdamW [Loshchilov & Hutter 2019, Algorithm 2, schedule multiplier η_t = 1]:
///   θ ← θ − (α m̂/(√v̂ + ε) + λθ) (decoupled weight decay, not scaled by α).
/// - AMSGrad [Reddi, Kale & Kumar 2018, Algorithm 2]: m, v as Adam without bias correction,
///   v̂ ← max(v̂, v), θ ← θ − α m/(√v̂ + ε) (ε added for division by zero, as implementations do).
public struct DenseAdam<O: GradientOracle>: IterativeMethod {
    public enum Variant: Sendable, Equatable, CustomStringConvertible {
        case adam, adamW(decay: Double), amsgrad
        public var description: String {
            switch self {
            case .adam: return "Adam"
            case .adamW(let l): return "AdamW (λ = \(l.formatted3))"
            case .amsgrad: return "AMSGrad"
            }
        }
    }

    public var oracle: O
    public let variant: Variant
    public let schedule: StepSchedule
    public let beta1: Double, beta2: Double, epsilon: Double
    public var x: [Double], m: [Double], v: [Double], vmax: [Double]
    public private(set) var t = 0
    var g: [Double]

    public init(oracle: O, variant: Variant, schedule: StepSchedule, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, start: [Double]) {
        self.oracle = oracle; self.variant = variant; self.schedule = schedule
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        x = start; m = [Double](repeating: 0, count: start.count); v = m; g = m
        vmax = variant == .amsgrad ? m : []
    }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        t += 1
        oracle.sample(at: x, into: &g, rng: &rng)
        let a = schedule.step(k), (b1, b2, eps) = (beta1, beta2, epsilon)
        let c1 = 1 - pow(b1, Double(t)), c2 = 1 - pow(b2, Double(t))
        for i in x.indices {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            switch variant {
            case .adam: x[i] -= a * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
            case .adamW(let l): x[i] -= a * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps) + l * x[i]
            case .amsgrad:
                vmax[i] = max(vmax[i], v[i])
                x[i] -= a * m[i] / (vmax[i].squareRoot() + eps)
            }
        }
    }

    /// Bytes of optimizer state, counted from the allocated buffers.
    public var stateBytes: Int { (m.count + v.count + vmax.count) * MemoryLayout<Double>.stride }

    public var isFinite: Bool { Vec.isFinite(x) }
    public var point: [Double] { x }
}
