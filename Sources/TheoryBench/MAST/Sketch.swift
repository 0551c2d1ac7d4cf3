import TheoryBenchCore
import Foundation

/// A random diagonal sketch S = Diag(s₁, …, s_d) of MAST's sketched objective f_S(x) = f(v + S(x − v))
/// (Demidovich, Malinovsky, Shulgin, Richtárik, arXiv 2311.16086): a value type that draws one S and
/// knows every mixed moment E[s_{i₁}⋯s_{i_m}] exactly, so that E[S], E[SAS] and the higher moments the
/// theory needs are closed forms (docs/derivations/mast.md §1). Both families here are unbiased,
/// E[S] = I.
public protocol Sketch: Sendable, CustomStringConvertible {
    var dimension: Int { get }
    /// The expected fraction of coordinates kept.
    var density: Double { get }
    /// E[∏ₜ s_{indices[t]}] (indices may repeat), exact.
    func moment(_ indices: [Int]) -> Double
    /// Writes the diagonal of one draw of S into `s` (`dimension` entries); `scratch` is a buffer of
    /// `dimension` indices the draw may use (no allocation).
    func sample(into s: inout [Double], scratch: inout [Int], rng: inout RandomStream)
    /// Every realization of the diagonal with its probability (for exact enumeration at small d).
    func realizations() -> [(probability: Double, diagonal: [Double])]
    /// The same family at a higher density (a control that draws the wrong sketch).
    var denser: Self { get }
}

/// Independent Bernoulli sparsification with inverted scaling ("dropout"): sᵢ = ξᵢ/pᵢ, ξᵢ ~ Bernoulli(pᵢ)
/// independent. Moments: E[∏ᵤ sᵤ^{mᵤ}] = ∏ᵤ pᵤ^{1 − mᵤ} over the distinct indices u.
public struct BernoulliSketch: Sketch {
    public let keep: [Double]
    public init(keep: [Double]) {
        precondition(keep.allSatisfy { $0 > 0 && $0 <= 1 }, "keep probabilities must lie in (0, 1]")
        self.keep = keep
    }

    public var dimension: Int { keep.count }
    public var density: Double { keep.reduce(0, +) / Double(keep.count) }
    public var description: String {
        let p = keep.allSatisfy { $0 == keep[0] } ? keep[0].formatted3 : "[\(keep.map(\.formatted3).joined(separator: ", "))]"
        return "Bernoulli sketch, keep p = \(p), sᵢ = ξᵢ/pᵢ"
    }

    public func moment(_ indices: [Int]) -> Double {
        var counts = [Int: Int]()
        for i in indices { counts[i, default: 0] += 1 }
        return counts.reduce(1.0) { $0 * pow(keep[$1.key], Double(1 - $1.value)) }
    }

    @inlinable
    public func sample(into s: inout [Double], scratch: inout [Int], rng: inout RandomStream) {
        for i in 0..<keep.count { s[i] = rng.uniform() < keep[i] ? 1 / keep[i] : 0 }
    }

    public func realizations() -> [(probability: Double, diagonal: [Double])] {
        let d = dimension
        return (0..<(1 << d)).map { mask in
            var p = 1.0, s = [Double](repeating: 0, count: d)
            for i in 0..<d {
                if mask & (1 << i) != 0 { p *= keep[i]; s[i] = 1 / keep[i] } else { p *= 1 - keep[i] }
            }
            return (p, s)
        }
    }

    /// pᵢ → (1 + pᵢ)/2.
    public var denser: BernoulliSketch { BernoulliSketch(keep: keep.map { (1 + $0) / 2 }) }
}

/// Random-k sparsification: S = (d/k) Σ_{i∈T} eᵢeᵢᵀ with T a uniform k-subset. Moments: with r distinct
/// indices among m, E[∏ s] = (d/k)^m · k(k−1)⋯(k−r+1) / (d(d−1)⋯(d−r+1)).
public struct RandKSketch: Sketch {
    public let dimension: Int
    public let k: Int
    public init(dimension: Int, k: Int) {
        precondition(k >= 1 && k <= dimension, "need 1 ≤ k ≤ d")
        self.dimension = dimension; self.k = k
    }

    public var density: Double { Double(k) / Double(dimension) }
    public var description: String { "rand-k sketch, k = \(k) of d = \(dimension), scaled by d/k" }

    public func moment(_ indices: [Int]) -> Double {
        let r = Set(indices).count
        var p = 1.0
        for t in 0..<r { p *= Double(k - t) / Double(dimension - t) }
        return pow(Double(dimension) / Double(k), Double(indices.count)) * p
    }

    /// A partial Fisher–Yates shuffle of `scratch` picks T.
    @inlinable
    public func sample(into s: inout [Double], scratch: inout [Int], rng: inout RandomStream) {
        let d = dimension, c = Double(d) / Double(k)
        for i in 0..<d { scratch[i] = i; s[i] = 0 }
        for t in 0..<k {
            let j = t + rng.index(below: d - t)
            scratch.swapAt(t, j)
            s[scratch[t]] = c
        }
    }

    public func realizations() -> [(probability: Double, diagonal: [Double])] {
        let d = dimension, c = Double(d) / Double(k)
        let subsets = (0..<(1 << d)).filter { $0.nonzeroBitCount == k }
        let p = 1 / Double(subsets.count)
        return subsets.map { mask in (p, (0..<d).map { mask & (1 << $0) != 0 ? c : 0 }) }
    }

    /// k → min(d, 2k).
    public var denser: RandKSketch { RandKSketch(dimension: dimension, k: min(dimension, 2 * k)) }
}
