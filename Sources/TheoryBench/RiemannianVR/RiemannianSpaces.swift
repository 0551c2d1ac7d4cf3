import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The instance spaces of the Riemannian problem families, for falsification searches
/// (`theorybench falsify`; docs/derivations/riemannian-vr.md §11). Each covers what the families'
/// keys allow within the claims' hypotheses and oracle-scale budgets; what a space cannot vary is
/// what the instance seed draws (the anchors, the data, the start's direction), which the search
/// keeps from its seed instance. A point is rendered as keys and read by the family's own reader,
/// so an invalid point (a start outside the certified region, say) is rejected like a bad file; a
/// run that leaves the region is "assumption violated" and not a candidate.
extension ProblemFamily {
    /// `weights: {min, max}` with min ∈ [0.1, 2] and max/min ∈ [1, 10] (both log-uniform).
    static func weightsKey(_ umin: Double, _ uratio: Double) -> (key: String, value: String) {
        let wmin = InstanceSpace.logUniform(umin, 0.1, 2), wmax = wmin * InstanceSpace.logUniform(uratio, 1, 10)
        return ("weights", "{ min: \(InstanceSpace.exact(wmin)), max: \(InstanceSpace.exact(wmax)) }")
    }
    static func distanceKey(_ r: Double) -> (key: String, value: String) { ("start", "{ distance: \(InstanceSpace.exact(r)) }") }

    /// spd-karcher: commuting anchors (a flat) or the certified ball, n ∈ {2…5}, N ∈ {2…20}; on the
    /// flat the spread ∈ [0.1, 2] and the start's distance ∈ [0.05, 4] (log-uniform); on the ball the
    /// anchors' radius R ∈ [0.1, 0.75], the region's radius ρ = R + g, g ∈ [0.1, 1], and the start at
    /// distance r ∈ [0.05, 0.95]·g from x*, so that d(I, x₀) ≤ R + r < ρ (x* lies in the anchors' ball,
    /// which is geodesically convex). `general` anchors are left out: no claim pairs with them (only μ
    /// is exact there).
    static let spdKarcherSpace = InstanceSpace(
        "spd-karcher: commuting (flat) or certified-ball anchors, n ∈ {2…5}, N ∈ {2…20}, weights min ∈ [0.1, 2], max/min ∈ [1, 10], flat: spread ∈ [0.1, 2], ‖x₀ − x*‖ ∈ [0.05, 4]; ball: R ∈ [0.1, 0.75], ρ − R ∈ [0.1, 1], ‖x₀ − x*‖ ∈ [0.05, 0.95]·(ρ − R)",
        coordinates: 9
    ) { u in
        let ball = u[0] >= 0.5
        var keys: [(key: String, value: String)] = [
            ("size", "\(InstanceSpace.integer(u[1], 2, 5))"), ("components", "\(InstanceSpace.integer(u[2], 2, 20))"),
            weightsKey(u[3], u[4])]
        if ball {
            let R = 0.1 + 0.65 * u[5], gap = 0.1 + 0.9 * u[6]
            keys += [("anchors", "ball"), ("ball", "{ anchors: \(InstanceSpace.exact(R)), radius: \(InstanceSpace.exact(R + gap)) }"),
                     distanceKey(gap * (0.05 + 0.9 * u[8]))]
        } else {
            keys += [("anchors", "commuting"), ("spread", InstanceSpace.exact(InstanceSpace.logUniform(u[7], 0.1, 2))),
                     distanceKey(InstanceSpace.logUniform(u[8], 0.05, 4))]
        }
        return keys
    }

    /// weighted-centers (ℝⁿ): n ∈ {1…20}, N ∈ {2…30}, spread ∈ [0.1, 3], weights as for spd-karcher,
    /// ‖x₀ − x*‖ ∈ [0.05, 5] (log-uniform).
    static let weightedCentersSpace = InstanceSpace(
        "weighted-centers: n ∈ {1…20}, N ∈ {2…30}, spread ∈ [0.1, 3], weights min ∈ [0.1, 2], max/min ∈ [1, 10], ‖x₀ − x*‖ ∈ [0.05, 5]",
        coordinates: 6
    ) { u in
        [("size", "\(InstanceSpace.integer(u[0], 1, 20))"), ("components", "\(InstanceSpace.integer(u[1], 2, 30))"),
         ("spread", InstanceSpace.exact(InstanceSpace.logUniform(u[2], 0.1, 3))), weightsKey(u[3], u[4]),
         distanceKey(InstanceSpace.logUniform(u[5], 0.05, 5))]
    }

    /// sphere-pca: d ∈ {2…30}, N ∈ {2…128}, the data covariance's rest of the spectrum in [min, max]
    /// with max ∈ [0.1, 2], min/max ∈ [0.05, 1], the top s₁ = max·(1 + g), g ∈ [0.1, 10] (an eigengap,
    /// log-uniform), the start at an angle ∈ [0.05, 1.5] from v₁ (below π/2: a start orthogonal to v₁
    /// is a critical point).
    static let spherePCASpace = InstanceSpace(
        "sphere-pca: d ∈ {2…30}, N ∈ {2…128}, spectrum max ∈ [0.1, 2], min/max ∈ [0.05, 1], top/max − 1 ∈ [0.1, 10], angle(x₀, v₁) ∈ [0.05, 1.5]",
        coordinates: 6
    ) { u in
        let hi = InstanceSpace.logUniform(u[2], 0.1, 2), lo = hi * InstanceSpace.logUniform(u[3], 0.05, 1)
        let top = hi * (1 + InstanceSpace.logUniform(u[4], 0.1, 10))
        return [("dimension", "\(InstanceSpace.integer(u[0], 2, 30))"), ("components", "\(InstanceSpace.integer(u[1], 2, 128))"),
                ("spectrum", "{ top: \(InstanceSpace.exact(top)), min: \(InstanceSpace.exact(lo)), max: \(InstanceSpace.exact(hi)) }"),
                distanceKey(0.05 + 1.45 * u[5])]
    }

    /// sphere-karcher: d ∈ {3…12}, N ∈ {2…20}, weights as for spd-karcher, the anchors' radius
    /// R ∈ [0.05, 0.5], the cap's radius ρ = R + s(π/2 − 2R), s ∈ [0.05, 0.95] (so R < ρ and
    /// ρ + R < π/2, the reader's conditions), the start at r = (ρ − R)·t from x*, t ∈ [0.01, 0.95]
    /// (log-uniform), inside the cap since d(e₁, x*) ≤ R.
    static let sphereKarcherSpace = InstanceSpace(
        "sphere-karcher: d ∈ {3…12}, N ∈ {2…20}, weights min ∈ [0.1, 2], max/min ∈ [1, 10], R ∈ [0.05, 0.5], ρ = R + s(π/2 − 2R), s ∈ [0.05, 0.95], ‖x₀ − x*‖ ∈ [0.01, 0.95]·(ρ − R)",
        coordinates: 7
    ) { u in
        let R = 0.05 + 0.45 * u[4], rho = R + (0.05 + 0.9 * u[5]) * (Double.pi / 2 - 2 * R)
        return [("dimension", "\(InstanceSpace.integer(u[0], 3, 12))"), ("components", "\(InstanceSpace.integer(u[1], 2, 20))"),
                weightsKey(u[2], u[3]),
                ("cap", "{ anchors: \(InstanceSpace.exact(R)), radius: \(InstanceSpace.exact(rho)) }"),
                distanceKey((rho - R) * InstanceSpace.logUniform(u[6], 0.01, 0.95))]
    }
}
