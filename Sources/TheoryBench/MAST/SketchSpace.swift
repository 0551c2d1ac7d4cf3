import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The MAST sketch's instance space, for falsification searches (`theorybench falsify`;
/// docs/derivations/mast.md §8): the sketch family (Bernoulli or rand-k), its density, and the centre
/// v. It renders in the quadratic's dimension d (`InstanceSpace(_:coordinates:inDimension:)`), since the
/// per-coordinate keep probabilities, k ≤ d and the centre all depend on it.
extension SketchPart {
    /// Bernoulli with one keep probability p ∈ [0.1, 1] for every coordinate (half the points) or
    /// one pⱼ ∈ [0.1, 1] per coordinate, or rand-k with k ∈ {1…d} (the family as a coordinate: both
    /// are in the claims' class); the centre v at distance ‖v‖ ∈ [0, 5] in any direction. The
    /// keep probabilities stay ≥ 0.1 so that 𝓛 (∝ 1/p) keeps the claim's step γ = 1/(2𝓛) and its
    /// horizon within the oracle's budget.
    static func space(_ p: SketchPart) -> InstanceSpace { sketchSpace() }

    /// The space itself (it depends on no instance: the sketch's law and centre are drawn whole).
    static func sketchSpace() -> InstanceSpace {
        InstanceSpace(
            "MAST sketch: Bernoulli (one keep p ∈ [0.1, 1], or one per coordinate) or rand-k (k ∈ {1…d}); centre v with ‖v‖ ∈ [0, 5] in any direction",
            coordinates: 4 + 2 * maxDimension,
            inDimension: { u, d in
                guard d >= 1, d <= maxDimension else { return [] }
                let keep = Array(u[4..<(4 + d)]).map { 0.1 + 0.9 * $0 }
                let z = Array(u[(4 + maxDimension)..<(4 + maxDimension + d)]).map { 2 * $0 - 1 }
                let norm = Vec.norm(z), radius = 5 * u[3]
                let center = z.map { norm > 1e-12 ? radius * $0 / norm : 0 }
                let sketch: String
                if u[0] < 0.5 {
                    let p = u[1] < 0.5 ? InstanceSpace.exact(0.1 + 0.9 * u[2]) : InstanceSpace.list(keep)
                    sketch = "family: bernoulli, keep: \(p)"
                } else {
                    sketch = "family: rand-k, k: \(InstanceSpace.integer(u[2], 1, d))"
                }
                return [("sketch", "{ \(sketch), center: \(InstanceSpace.list(center)) }")]
            })
    }
}

extension DistributedSketchPart {
    static let maxWorkers = 6

    /// The distributed part's space (docs/derivations/mast.md §7–§8): the single sketch's law and centre
    /// (`SketchPart.sketchSpace`), n ∈ {2…6} workers, offsets δ₁ … δ_{n−1} of norm r ∈ [0, 3] in any
    /// directions and δ_n = −Σᵢ δᵢ, so that they sum to 0 as the reader requires.
    static func space(_ p: DistributedSketchPart) -> InstanceSpace {
        let sketch = SketchPart.sketchSpace(), m = SketchPart.maxDimension
        return InstanceSpace(
            "distributed MAST: \(sketch.description); n ∈ {2…\(maxWorkers)} workers with offsets of norm ≤ 3 in any direction, summing to 0",
            coordinates: sketch.coordinates + 2 + (maxWorkers - 1) * m,
            inDimension: { u, d in
                guard let law = sketch.render(Array(u[0..<sketch.coordinates]), dimension: d).first else { return [] }
                let rest = Array(u[sketch.coordinates...])
                let n = InstanceSpace.integer(rest[0], 2, maxWorkers), r = 3 * rest[1]
                var offsets = (0..<(n - 1)).map { i in InstanceSpace.direction(rest[(2 + i * m)..<(2 + i * m + d)], length: r) }
                offsets.append((0..<d).map { j in -offsets.reduce(0) { $0 + $1[j] } })
                let rows = offsets.map(InstanceSpace.list).joined(separator: ", ")
                return [("distributed-sketch", String(law.value.dropLast(2)) + ", offsets: [\(rows)] }")]
            })
    }
}
