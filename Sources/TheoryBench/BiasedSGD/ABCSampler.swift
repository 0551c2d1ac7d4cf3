import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The sample points of a Biased-ABC assumption check: point k (k = 0 … N) is fixed by the instance
/// seed, the inequality and k — never by the run — so every run (every independent draw of the
/// compressor's randomness) sees the same points, and the mean over runs at checkpoint k estimates
/// the expectation E over 𝒞's randomness at v_k. Four kinds of points, by k mod 4:
/// 0 — the compressor's extremal point for the inequality (where the declared constant is attained
///     or approached; this is what makes the check *tight*); 1 — a Gaussian vector scaled by
///     10^U(−1, 1); 2 — a Gaussian vector on a random support (size uniform in 1…d) plus a 10⁻³
///     Gaussian floor; 3 — the extremal point of the other inequality. For a randomized compressor,
///     class 2 is a dense Gaussian vector (class 1) instead: a vector with one or two large coordinates
///     can sit at the compressor's extremum, an expectation exactly at the bound, which no Monte-Carlo
///     mean resolves (its verdict would be a coin flip).
/// A deterministic compressor is evaluated once per point (every run would repeat it).
/// Points with ‖v‖ above the compressor's declared radius G are rescaled to ‖v‖ = G·U(1/2, 1).
public struct ABCSampler: Sendable {
    public let inequality: ABCInequality
    public let points: [[Double]]
    public let normsSquared: [Double]
    /// The left-hand quantities of a deterministic compressor at every point (nil when randomized).
    let fixed: (identity: [Double], inequality: [Double])?

    public init(_ compressor: any Compressor, _ inequality: ABCInequality, dimension d: Int, count n: Int, seed: UInt64) {
        self.inequality = inequality
        let radius = compressor.constants(dimension: d).radius
        let other: ABCInequality = inequality == .alignment ? .secondMoment : .alignment
        var pts = [[Double]]()
        for k in 0...n {
            var rng = RandomStream(name: "abc-points/\(inequality.rawValue)/\(seed)", run: k)
            var x = [Double](repeating: 0, count: d)
            x.withUnsafeMutableBufferPointer { xp in
                switch k % 4 {
                case 0: compressor.extremalPoint(inequality, into: xp, rng: &rng)
                case 3: compressor.extremalPoint(other, into: xp, rng: &rng)
                case 1, _ where compressor.isRandomized:
                    let r = pow(10, 2 * rng.uniform() - 1)
                    for i in xp.indices { xp[i] = r * rng.gaussian() }
                default:
                    let s = 1 + rng.index(below: d)
                    for i in xp.indices { xp[i] = 1e-3 * rng.gaussian() + (rng.index(below: d) < s ? rng.gaussian() : 0) }
                }
            }
            let norm = Vec.norm(x)
            if norm > radius { let f = radius * (0.5 + 0.5 * rng.uniform()) / norm; for i in x.indices { x[i] *= f } }
            pts.append(x)
        }
        points = pts
        normsSquared = pts.map(Vec.normSquared)
        fixed = nil
    }

    init(copying s: ABCSampler, fixed: (identity: [Double], inequality: [Double])) {
        inequality = s.inequality; points = s.points; normsSquared = s.normsSquared; self.fixed = fixed
    }

    /// The sampler with a deterministic compressor's values computed once.
    func evaluatedOnce(_ compressor: any Compressor) -> ABCSampler {
        guard !compressor.isRandomized else { return self }
        var rng = RandomStream(seed: 0)
        let all = Checkpoints(Array(points.indices))
        return ABCSampler(copying: self, fixed: (compute(compressor, identity: true, all, &rng), compute(compressor, identity: false, all, &rng)))
    }

    /// One run: at every checkpoint k, one draw of 𝒞(v_k) from `rng`, and the inequality's left-hand
    /// quantity: ‖v‖² − ⟨v, 𝒞v⟩ (alignment, upper-bound form), ⟨v, 𝒞v⟩ (alignment identity) or
    /// ‖𝒞v‖² (second moment). Buffers are allocated once per run.
    public func run(_ compressor: any Compressor, identity: Bool, at checkpoints: Checkpoints, rng: inout RandomStream) -> Trace {
        if let f = fixed { let v = identity ? f.identity : f.inequality; return Trace(values: checkpoints.iterations.map { v[$0] }) }
        return Trace(values: compute(compressor, identity: identity, checkpoints, &rng))
    }

    func compute(_ compressor: any Compressor, identity: Bool, _ checkpoints: Checkpoints, _ rng: inout RandomStream) -> [Double] {
        let d = points[0].count
        var out = [Double](repeating: 0, count: d)
        var work = [Double](repeating: 0, count: max(1, compressor.workspaceCount(dimension: d)))
        var values = [Double]()
        values.reserveCapacity(checkpoints.count)
        for k in checkpoints.iterations {
            let v = points[k]
            v.withUnsafeBufferPointer { vp in
                out.withUnsafeMutableBufferPointer { op in
                    work.withUnsafeMutableBufferPointer { compressor.compress(vp, into: op, workspace: $0, rng: &rng) }
                }
            }
            switch inequality {
            case .alignment: values.append(identity ? Vec.dot(v, out) : normsSquared[k] - Vec.dot(v, out))
            case .secondMoment: values.append(Vec.normSquared(out))
            }
        }
        return values
    }
}
