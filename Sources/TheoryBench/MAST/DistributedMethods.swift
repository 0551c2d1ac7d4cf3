import TheoryBenchCore
import Foundation

/// How the workers of `DistributedSketchedSGD` draw their sketches: each its own (the algorithm), or one
/// sketch reused by every worker (a plausible bug: one RNG draw hoisted out of the worker loop).
public enum DistributedSketchDraw: Sendable, Equatable { case independent, shared }

/// Distributed MAST with independent sketches (arXiv 2311.16086; docs/derivations/mast.md §7): n workers,
/// fᵢ(x) = f(x) − ⟨Aδᵢ, x⟩ + const (∇fᵢ(y) = A(y − x*) − Aδᵢ); at every step worker i draws Sᵢ and sends
/// Sᵢ∇fᵢ(v + Sᵢ(x − v)), the server averages: x_{k+1} = x_k − (γ/n)Σᵢ Sᵢ∇fᵢ(v + Sᵢ(x_k − v)).
/// SGD on f_D = (1/n)Σᵢ f_{i,D} with an unbiased estimator (§7.1). `modelSketched: false` is the slip
/// g = (1/n)Σᵢ Sᵢ∇fᵢ(x) (unbiased for ∇f: it converges to x*).
public struct DistributedSketchedSGD<Sk: Sketch>: IterativeMethod, Sendable {
    public let problem: Quadratic
    public let sketch: Sk
    public let center: [Double]
    /// Aδᵢ of the n workers, worker after worker (n·d entries).
    public let offsetGradients: [Double]
    public let workers: Int
    public let step: Double
    public let draw: DistributedSketchDraw
    public let modelSketched: Bool
    public var x: [Double]
    var y: [Double], g: [Double], s: [Double], sum: [Double], scratch: [Int]

    public init(problem: Quadratic, sketch: Sk, center: [Double], offsetGradients: [[Double]], step: Double,
                draw: DistributedSketchDraw = .independent, modelSketched: Bool = true, start: [Double]) {
        self.problem = problem; self.sketch = sketch; self.center = center; self.step = step
        self.offsetGradients = Array(offsetGradients.joined()); workers = offsetGradients.count
        self.draw = draw; self.modelSketched = modelSketched
        x = start; y = start; g = start; s = start; sum = start
        scratch = [Int](repeating: 0, count: start.count)
    }

    public mutating func step(_ k: Int, rng: inout RandomStream) {
        let d = x.count
        for i in 0..<d { sum[i] = 0 }
        if !modelSketched { problem.gradient(x, into: &g) }
        for w in 0..<workers {
            if w == 0 || draw == .independent { sketch.sample(into: &s, scratch: &scratch, rng: &rng) }
            if modelSketched {
                for i in 0..<d { y[i] = center[i] + s[i] * (x[i] - center[i]) }
                problem.gradient(y, into: &g)
            }
            let base = w * d
            for i in 0..<d { sum[i] += s[i] * (g[i] - offsetGradients[base + i]) }
        }
        let scale = step / Double(workers)
        for i in 0..<d { x[i] -= scale * sum[i] }
    }

    public var isFinite: Bool { Vec.isFinite(x) }
    public var point: [Double] { x }
}
