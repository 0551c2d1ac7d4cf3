import Foundation
import TheoryBenchCore

/// The falsification spaces of the engine's finite-sum and non-convex families and of the minibatch
/// part (`InstanceSpace`; the quadratic's is beside its family). Sizes stay small enough for a search
/// at oracle scale: d ≤ 20, n ≤ 400 rows.
extension ProblemFamily {
    /// Generated least squares: d ∈ {2…20}, n ∈ [2d, 20d] rows (log-uniform; MᵀM is then invertible),
    /// label noise in [0, 2], the start at distance r ∈ [0.5, 10] from x* (log-uniform), and the seed of
    /// the data and of the start's direction free (so both vary).
    static let leastSquaresSpace = InstanceSpace(
        "generated least squares with d ∈ {2…20}, n ∈ [2d, 20d] rows, label noise in [0, 2], ‖x₀ − x*‖ ∈ [0.5, 10], data and start direction from a free seed",
        coordinates: 5, dimension: { finiteSumDimension($0) }
    ) { u in
        let d = finiteSumDimension(u), n = InstanceSpace.logInteger(u[1], 2 * d, 20 * d)
        let data: [(key: String, value: String)] = [("data", "{ rows: \(n), dimension: \(d), noise: \(InstanceSpace.exact(2 * u[2])) }")]
        return data + startAndSeed(u[3], u[4])
    }

    /// Generated ℓ2-regularized logistic regression: d ∈ {2…20}, n ∈ [d, 20d] rows, ρ ∈ [0.01, 1]
    /// (log-uniform), the start at distance r ∈ [0.5, 10] from x*, the seed free.
    static let logisticSpace = InstanceSpace(
        "generated logistic regression with d ∈ {2…20}, n ∈ [d, 20d] rows, ρ ∈ [0.01, 1], ‖x₀ − x*‖ ∈ [0.5, 10], data and start direction from a free seed",
        coordinates: 5, dimension: { finiteSumDimension($0) }
    ) { u in
        let d = finiteSumDimension(u), n = InstanceSpace.logInteger(u[1], d, 20 * d)
        let data: [(key: String, value: String)] = [("data", "{ rows: \(n), dimension: \(d) }"),
                                                    ("regularization", InstanceSpace.exact(InstanceSpace.logUniform(u[2], 0.01, 1)))]
        return data + startAndSeed(u[3], u[4])
    }

    static func finiteSumDimension(_ u: [Double]) -> Int { InstanceSpace.integer(u[0], 2, 20) }

    /// `start: {distance: r}`, r ∈ [0.5, 10] log-uniform, and `seed` in 1…10⁶.
    static func startAndSeed(_ r: Double, _ s: Double) -> [(key: String, value: String)] {
        [("start", "{ distance: \(InstanceSpace.exact(InstanceSpace.logUniform(r, 0.5, 10))) }"),
         ("seed", "\(InstanceSpace.integer(s, 1, 1_000_000))")]
    }

    /// Cosine-perturbed quadratics: d ∈ {2…12}, amplitude c ∈ [0.25, 2] and frequency ω ∈ [1, 5]
    /// (log-uniform; cω² ∈ [0.25, 50], non-convex once cω² > 1), the start anywhere at distance
    /// r ∈ [0.5, 5] from 0 (the family gives no unique x*, so the start is written out).
    static let cosineQuadraticSpace = InstanceSpace(
        "cosine-quadratics with d ∈ {2…12}, c ∈ [0.25, 2], ω ∈ [1, 5] (cω² ∈ [0.25, 50]), any start at ‖x₀‖ ∈ [0.5, 5]",
        coordinates: 3 + 12 + 1, dimension: { cosineDimension($0) }
    ) { u in
        let d = cosineDimension(u)
        let start = InstanceSpace.direction(u[3..<(3 + d)], length: InstanceSpace.logUniform(u[15], 0.5, 5))
        return [("dimension", "\(d)"), ("amplitude", InstanceSpace.exact(InstanceSpace.logUniform(u[1], 0.25, 2))),
                ("frequency", InstanceSpace.exact(InstanceSpace.logUniform(u[2], 1, 5))), ("start", InstanceSpace.list(start))]
    }

    static func cosineDimension(_ u: [Double]) -> Int { InstanceSpace.integer(u[0], 2, 12) }
}

extension MinibatchPart {
    /// The batch size anywhere in 1…max(16, 4b) (log-uniform), b the seed's.
    static func space(_ p: MinibatchPart) -> InstanceSpace {
        let top = max(16, 4 * p.batchSize)
        return InstanceSpace("minibatch size b ∈ {1…\(top)}", coordinates: 1) { u in
            [("batch", "\(InstanceSpace.logInteger(u[0], 1, top))")]
        }
    }
}
