import TheoryBenchEngine
import Foundation

extension ProblemFamily {
    /// (L0, L1)-smooth even polynomials for falsification: separable or radial, degree 2p ∈ {4, 6, 8},
    /// d ∈ {1…4}, coefficients cᵢ ∈ [0.01, 1] and q ∈ [0.1, 2] (log-uniform; μ = q > 0), the curve point
    /// L1 ∈ [0.25, 5], the start in any direction at ‖x₀‖ ∈ [1, 200] (log-uniform: far starts, where the
    /// clipped phase lasts beyond the horizon, and near ones both occur; the claims' requirements pick).
    static let evenPolynomialSpace = InstanceSpace(
        "even polynomials, separable or radial, 2p ∈ {4, 6, 8}, d ∈ {1…4}, cᵢ ∈ [0.01, 1], q ∈ [0.1, 2], L1 ∈ [0.25, 5], any start at ‖x₀‖ ∈ [1, 200]",
        coordinates: 14, dimension: { evenPolynomialDimension($0) }
    ) { u in
        let d = evenPolynomialDimension(u), e = InstanceSpace.exact
        let c = (0..<d).map { InstanceSpace.logUniform(u[3 + $0], 0.01, 1) }
        let start = InstanceSpace.direction(u[9..<(9 + d)], length: InstanceSpace.logUniform(u[13], 1, 200))
        let shape: [(key: String, value: String)] = u[0] < 0.5
            ? [("shape", "separable"), ("coefficients", InstanceSpace.list(c))]
            : [("shape", "radial"), ("dimension", "\(d)"), ("coefficient", e(c[0]))]
        return shape + [("degree", "\(2 * InstanceSpace.integer(u[1], 2, 4))"), ("quadratic", e(InstanceSpace.logUniform(u[7], 0.1, 2))),
                        ("l1", e(InstanceSpace.logUniform(u[8], 0.25, 5))), ("start", InstanceSpace.list(start))]
    }

    static func evenPolynomialDimension(_ u: [Double]) -> Int { InstanceSpace.integer(u[2], 1, 4) }
}
