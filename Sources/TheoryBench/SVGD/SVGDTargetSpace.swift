import TheoryBenchEngine
import Foundation

extension ProblemFamily {
    /// SVGD targets for falsification: Gaussian or radial-quartic (half the cube each), d ∈ {1…4},
    /// b ∈ [0.25, 4], a ∈ [0.1, 4] (log-uniform), n ∈ {16…100} particles (log-uniform; a step costs
    /// O(n²d), so the seed's 100 is the top), spread s₀ ∈ [0.1, 2], bandwidth h ∈ [0.25, 4], the
    /// particles' centre x₀ in any direction at ‖x₀‖ ∈ [0, 4].
    static let svgdTargetSpace = InstanceSpace(
        "SVGD targets, Gaussian or radial quartic, d ∈ {1…4}, b ∈ [0.25, 4], a ∈ [0.1, 4], n ∈ {16…100} particles, s₀ ∈ [0.1, 2], h ∈ [0.25, 4], ‖x₀‖ ∈ [0, 4]",
        coordinates: 12, dimension: { svgdDimension($0) }
    ) { u in
        let d = svgdDimension(u), e = InstanceSpace.exact
        let kind: [(key: String, value: String)] = u[0] < 0.5
            ? [("kind", "gaussian")] : [("kind", "radial-quartic"), ("quartic", e(InstanceSpace.logUniform(u[3], 0.1, 4)))]
        let particles = "{ count: \(InstanceSpace.logInteger(u[4], 16, 100)), spread: \(e(InstanceSpace.logUniform(u[5], 0.1, 2))), bandwidth: \(e(InstanceSpace.logUniform(u[6], 0.25, 4))) }"
        let start = InstanceSpace.direction(u[7..<(7 + d)], length: 4 * u[11])
        return kind + [("dimension", "\(d)"), ("quadratic", e(InstanceSpace.logUniform(u[2], 0.25, 4))),
                       ("particles", particles), ("start", InstanceSpace.list(start))]
    }

    static func svgdDimension(_ u: [Double]) -> Int { InstanceSpace.integer(u[1], 1, 4) }
}
