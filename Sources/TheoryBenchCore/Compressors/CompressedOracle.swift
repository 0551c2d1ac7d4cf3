/// g(x) = 𝒞(g_base(x)): a compressor applied to a base oracle's gradient (with `ExactGradient`, the
/// biased estimator 𝒞(∇f(x)) of biased SGD). Buffers are allocated once per oracle value.
public struct CompressedOracle<Base: GradientOracle, C: Compressor>: GradientOracle {
    public var base: Base
    public let compressor: C
    @usableFromInline var raw: [Double], work: [Double]

    public init(_ base: Base, _ compressor: C) {
        self.base = base; self.compressor = compressor
        let d = base.problem.dimension
        raw = [Double](repeating: 0, count: d)
        work = [Double](repeating: 0, count: max(1, compressor.workspaceCount(dimension: d)))
    }

    public var problem: Base.Problem { base.problem }
    public var costPerSample: Double { base.costPerSample }

    @inlinable
    public mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
        base.sample(at: x, into: &raw, rng: &rng)
        let c = compressor
        raw.withUnsafeBufferPointer { r in
            g.withUnsafeMutableBufferPointer { out in
                work.withUnsafeMutableBufferPointer { w in c.compress(r, into: out, workspace: w, rng: &rng) }
            }
        }
    }
}
