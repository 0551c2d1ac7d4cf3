import TheoryBenchEngine
import Foundation

extension ProblemFamily {
    /// Federated sums of shifted quartics for falsification: d ∈ {1…3}, c_k ∈ [0.05, 1], q ∈ [0.25, 2]
    /// (log-uniform), n ∈ {2…6} clients × m ∈ {2…8} components each, and per coordinate N = n·m shifts
    /// ±w_j with w_j = s_k((j + ½)/⌊N/2⌋)^γ (0 in the middle when N is odd), s_k ∈ [0.2, 4], γ ∈ [0.5, 2],
    /// sorted so that each client holds a contiguous block (the most heterogeneous assignment); the
    /// set is symmetric, as the reader requires (x* = 0 exact). Curve points L1, ℓ1 ∈ [0.5, 4], the
    /// start in any direction at ‖x₀‖ ∈ [0.5, 10].
    static let shiftedSumSpace = InstanceSpace(
        "federated shifted quartics, d ∈ {1…3}, c ∈ [0.05, 1], q ∈ [0.25, 2], n ∈ {2…6} clients × m ∈ {2…8}, symmetric shifts of spread [0.2, 4], L1, ℓ1 ∈ [0.5, 4], any start at ‖x₀‖ ∈ [0.5, 10]",
        coordinates: 17, dimension: { shiftedSumDimension($0) }
    ) { u in
        let d = shiftedSumDimension(u), e = InstanceSpace.exact
        let n = InstanceSpace.integer(u[5], 2, 6), m = InstanceSpace.integer(u[6], 2, 8), gamma = InstanceSpace.uniform(u[10], 0.5, 2)
        let columns = (0..<d).map { symmetricShifts(count: n * m, spread: InstanceSpace.logUniform(u[7 + $0], 0.2, 4), exponent: gamma) }
        let shifts = (0..<(n * m)).flatMap { i in columns.map { $0[i] } }
        let start = InstanceSpace.direction(u[13..<(13 + d)], length: InstanceSpace.logUniform(u[16], 0.5, 10))
        return [("coefficients", InstanceSpace.list((0..<d).map { InstanceSpace.logUniform(u[1 + $0], 0.05, 1) })),
                ("quadratic", e(InstanceSpace.logUniform(u[4], 0.25, 2))), ("clients", "\(n)"), ("components", "\(m)"),
                ("shifts", InstanceSpace.list(shifts)), ("l1", e(InstanceSpace.logUniform(u[11], 0.5, 4))),
                ("component-l1", e(InstanceSpace.logUniform(u[12], 0.5, 4))), ("start", InstanceSpace.list(start))]
    }

    static func shiftedSumDimension(_ u: [Double]) -> Int { InstanceSpace.integer(u[0], 1, 3) }

    /// N values in ascending order, symmetric about 0 (each w_j with its negative; a 0 when N is odd).
    static func symmetricShifts(count N: Int, spread s: Double, exponent g: Double) -> [Double] {
        let h = N / 2
        let w = (0..<h).map { s * pow((Double($0) + 0.5) / Double(h), g) }
        return w.reversed().map { -$0 } + (N % 2 == 1 ? [0] : []) + w
    }
}
