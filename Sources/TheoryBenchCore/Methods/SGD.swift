/// Stochastic gradient descent x_{k+1} = x_k − γ_k g(x_k), optionally with the running average
/// x̄_k = (1/(k+1)) Σ_{j≤k} x_j (Polyak–Ruppert). With `ExactGradient` it is gradient descent.
public struct SGD<Oracle: GradientOracle>: IterativeMethod, Sendable {
    public var oracle: Oracle
    public let schedule: StepSchedule
    public var x: [Double]
    public var average: [Double]?
    @usableFromInline var g: [Double]

    public init(oracle: Oracle, schedule: StepSchedule, start: [Double], averaging: Bool = false) {
        self.oracle = oracle; self.schedule = schedule
        x = start; g = start
        average = averaging ? start : nil
    }

    /// The point the method outputs: x̄_k when averaging, else x_k.
    public var output: [Double] { average ?? x }
    public var point: [Double] { output }

    @inlinable
    public mutating func step(_ k: Int, rng: inout RandomStream) {
        oracle.sample(at: x, into: &g, rng: &rng)
        Vec.axpy(-schedule.step(k), g, &x)
        if average != nil {
            // x̄_{k+1} = x̄_k + (x_{k+1} − x̄_k)/(k+2)
            let w = 1 / Double(k + 2)
            x.withUnsafeBufferPointer { xp in
                average!.withUnsafeMutableBufferPointer { ap in
                    for i in 0..<xp.count { ap[i] += w * (xp[i] - ap[i]) }
                }
            }
        }
    }

    public var isFinite: Bool { Vec.isFinite(x) }
}
