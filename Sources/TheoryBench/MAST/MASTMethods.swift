import TheoryBenchCore
import Foundation

/// SGD on MAST's sketched objective with one sketch per step (arXiv 2311.16086, "SGD with general
/// sampling of sketches"): x_{k+1} = x_k − γ S_k ∇f(v + S_k(x_k − v)), S_k i.i.d., on a quadratic f.
/// The gradient is ∇f_{S_k}(x_k), an unbiased estimate of ∇f_D(x_k) (not of ∇f).
///
/// `variant` holds the two implementation slips the controls run: `.gradientOnly` sketches the
/// gradient but not the model (x_{k+1} = x_k − γ S_k ∇f(x_k), unbiased for ∇f: it converges to x*), and
/// `.independentMasks` draws the gradient's mask independently of the model's.
/// What the gradient step sketches (see `SketchedSGD`).
public enum SketchedSGDVariant: Sendable, Equatable { case sketched, gradientOnly, independentMasks }

public struct SketchedSGD<Sk: Sketch>: IterativeMethod, Sendable {
    public let problem: Quadratic
    public let sketch: Sk
    public let center: [Double]
    public let step: Double
    public let variant: SketchedSGDVariant
    public var x: [Double]
    var y: [Double], g: [Double], s: [Double], t: [Double], scratch: [Int]

    public init(problem: Quadratic, sketch: Sk, center: [Double], step: Double, variant: SketchedSGDVariant = .sketched, start: [Double]) {
        self.problem = problem; self.sketch = sketch; self.center = center; self.step = step; self.variant = variant
        x = start; y = start; g = start; s = start; t = start
        scratch = [Int](repeating: 0, count: start.count)
    }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        let d = x.count
        sketch.sample(into: &s, scratch: &scratch, rng: &rng)
        if variant == .gradientOnly {
            problem.gradient(x, into: &g)
        } else {
            for i in 0..<d { y[i] = center[i] + s[i] * (x[i] - center[i]) }
            problem.gradient(y, into: &g)
        }
        if variant == .independentMasks {
            sketch.sample(into: &t, scratch: &scratch, rng: &rng)
            for i in 0..<d { x[i] -= step * t[i] * g[i] }
        } else {
            for i in 0..<d { x[i] -= step * s[i] * g[i] }
        }
    }

    public var isFinite: Bool { Vec.isFinite(x) }
    public var point: [Double] { x }
}
