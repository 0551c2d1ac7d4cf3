import TheoryBenchEngine
import Foundation

extension ProblemFamily {
    /// Cyclic-offset quadratics for falsification, offset M ∈ [1, 50] (log-uniform): on 9/10 of the
    /// first coordinate d ∈ {2…32} (log-uniform) with the start written out, x_{1,0} ∈ [−M, M] and the
    /// other coordinates in any direction with max_{j≥2}|x_{j,0}| = r ∈ [0.02M, 0.98M] (inside the
    /// Top-1 trap's hypothesis 0 < max_{j≥2}|x_{j,0}| < M); on the rest d ∈ [10⁴, 10⁶] with
    /// `start: {distance: r}`, r ∈ [0.1, 10] (the memory claim's regime).
    static let cyclicOffsetSpace = InstanceSpace(
        "cyclic-offset quadratics, M ∈ [1, 50]; d ∈ {2…32} with x₁ ∈ [−M, M], max_{j≥2}|x_j| ∈ [0.02M, 0.98M] in any direction, or d ∈ [10⁴, 10⁶] at ‖x₀‖ ∈ [0.1, 10]",
        coordinates: 4 + 31, dimension: { cyclicDimension($0) }
    ) { u in
        let d = cyclicDimension(u), offset = InstanceSpace.logUniform(u[1], 1, 50), e = InstanceSpace.exact
        let head: [(key: String, value: String)] = [("dimension", "\(d)"), ("offset", e(offset))]
        guard d <= 32 else { return head + [("start", "{ distance: \(e(InstanceSpace.logUniform(u[3], 0.1, 10))) }")] }
        let z = u[4..<(4 + d - 1)].map { 2 * $0 - 1 }, top = z.map(abs).max()!
        let r = offset * InstanceSpace.uniform(u[3], 0.02, 0.98)
        let rest = top > 1e-12 ? z.map { $0 * r / top } : [r] + [Double](repeating: 0, count: d - 2)
        return head + [("start", InstanceSpace.list([offset * (2 * u[2] - 1)] + rest))]
    }

    static func cyclicDimension(_ u: [Double]) -> Int {
        u[0] < 0.9 ? InstanceSpace.logInteger(u[0] / 0.9, 2, 32) : InstanceSpace.logInteger((u[0] - 0.9) / 0.1, 10_000, 1_000_000)
    }

    /// Geman–McClure sums for falsification: d ∈ {1…16}, shifts sᵢ ∈ [−3, 3], the start in any
    /// direction at ‖x₀ − s‖ ∈ [0.25, 5] (log-uniform; f is non-convex beyond |xᵢ − sᵢ| = 1/√3).
    static let gemanMcClureSpace = InstanceSpace(
        "Geman–McClure sums, d ∈ {1…16}, shifts in [−3, 3], any start at ‖x₀ − x*‖ ∈ [0.25, 5]",
        coordinates: 1 + 16 + 16 + 1, dimension: { gemanMcClureDimension($0) }
    ) { u in
        let d = gemanMcClureDimension(u)
        let shift = (0..<d).map { InstanceSpace.uniform(u[1 + $0], -3, 3) }
        let offset = InstanceSpace.direction(u[17..<(17 + d)], length: InstanceSpace.logUniform(u[33], 0.25, 5))
        return [("shift", InstanceSpace.list(shift)), ("start", InstanceSpace.list(zip(shift, offset).map { $0 + $1 }))]
    }

    static func gemanMcClureDimension(_ u: [Double]) -> Int { InstanceSpace.integer(u[0], 1, 16) }
}
