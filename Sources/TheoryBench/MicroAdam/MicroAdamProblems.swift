import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// f(x) = ½‖x‖² observed through the cyclic pair f_± = ½‖x‖² ± M x₁: the t-th gradient call
/// (t = 0, 1, …) returns x + (−1)^t M e₁, unbiased over each period of two calls
/// (docs/derivations/microadam.md §5). L = μ = 1, x* = 0, f* = 0 exactly. With Top-1 and no error
/// feedback the offset M on coordinate 1 starves every other coordinate.
public struct CyclicOffsetQuadratic: Objective {
    public let dimension: Int
    /// M, the offset of the two components on coordinate 1.
    public let offset: Double
    public let constants: ProblemConstants

    public init(dimension d: Int, offset: Double) {
        dimension = d; self.offset = offset
        constants = ProblemConstants(L: 1, mu: 1, convex: true, xStar: [Double](repeating: 0, count: d), fStar: 0)
    }

    public func value(_ x: [Double]) -> Double { 0.5 * Vec.normSquared(x) }
    public func gradient(_ x: [Double], into g: inout [Double]) { for i in x.indices { g[i] = x[i] } }
}

/// The cyclic oracle of `CyclicOffsetQuadratic`: call t returns x + (−1)^t M e₁. Deterministic.
public struct CyclicOffsetOracle: GradientOracle {
    public let problem: CyclicOffsetQuadratic
    var calls = 0
    public init(_ problem: CyclicOffsetQuadratic) { self.problem = problem }

    public mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
        problem.gradient(x, into: &g)
        g[0] += calls % 2 == 0 ? problem.offset : -problem.offset
        calls += 1
    }
}

/// f(x) = Σᵢ ψ(xᵢ − sᵢ) with ψ(u) = u²/(1 + u²) (the Geman–McClure loss): smooth, non-convex,
/// bounded, with bounded gradient. Exact constants (docs/derivations/microadam.md §4):
/// ψ'(u) = 2u/(1 + u²)², |ψ'| ≤ 9/(8√3) (at u = ±1/√3); ψ''(u) = (2 − 6u²)/(1 + u²)³ ∈ [−1/2, 2], so
/// L = 2 (attained at u = 0); f* = 0 at the unique minimizer x* = s; ‖∇f‖ ≤ √d·9/(8√3).
public struct GemanMcClure: Objective {
    public let shift: [Double]
    public let constants: ProblemConstants
    /// sup |ψ'| = 9/(8√3).
    public static let slopeBound = 9 / (8 * 3.0.squareRoot())

    public init(shift: [Double]) {
        self.shift = shift
        constants = ProblemConstants(L: 2, mu: nil, convex: false, xStar: shift, fStar: 0)
    }

    public var dimension: Int { shift.count }
    /// sup_x ‖∇f(x)‖ = √d·9/(8√3).
    public var gradientBound: Double { Double(dimension).squareRoot() * Self.slopeBound }

    public func value(_ x: [Double]) -> Double {
        var s = 0.0
        for i in x.indices { let u = x[i] - shift[i]; s += u * u / (1 + u * u) }
        return s
    }

    public func gradient(_ x: [Double], into g: inout [Double]) {
        for i in x.indices { let u = x[i] - shift[i], w = 1 + u * u; g[i] = 2 * u / (w * w) }
    }

    public func gradientNormSquared(_ x: [Double]) -> Double {
        var s = 0.0
        for i in x.indices { let u = x[i] - shift[i], w = 1 + u * u, gi = 2 * u / (w * w); s += gi * gi }
        return s
    }
}

extension ProblemFamily {
    /// `cyclic-offset-quadratic` (MicroAdam family): `dimension` d ≥ 2, `offset` M > 0.
    public static let cyclicOffsetQuadratic = ProblemFamily(
        name: "cyclic-offset-quadratic",
        documentation: """
        f(x) = ½‖x‖² seen through the cyclic pair f_± = ½‖x‖² ± M x₁ (MicroAdam family): gradient call t \
        returns x + (−1)^t M e₁, deterministic, unbiased over a period. `dimension` d ≥ 2, `offset` M > 0. \
        L = μ = 1, x* = 0, f* = 0. With Top-1 and no error feedback, coordinates 2..d never move while \
        |x₁ ± M| exceeds them (docs/derivations/microadam.md §5).
        """,
        space: cyclicOffsetSpace
    ) { f, _, _ in
        guard let d = try f.positiveInt("dimension") else { throw f.error("dimension", "missing (required)") }
        guard d >= 2 else { throw f.error("dimension", "must be at least 2 (coordinate 1 carries the offset)") }
        try ResourceLimits.check(f, "dimension", Double(d), ResourceLimits.maxVectorLength, "the dimension d")
        guard let m = try f.double("offset", where: { $0 > 0 && $0.isFinite }, "positive") else {
            throw f.error("offset", "missing (required, M > 0)")
        }
        return ProblemReading(CyclicOffsetQuadratic(dimension: d, offset: m))
    }

    /// `geman-mcclure` (MicroAdam family): `shift` s (d entries).
    public static let gemanMcClure = ProblemFamily(
        name: "geman-mcclure",
        documentation: """
        f(x) = Σᵢ ψ(xᵢ − sᵢ), ψ(u) = u²/(1 + u²) (MicroAdam family): smooth, non-convex, bounded gradient. \
        `shift: […]` (s, d ≥ 1 finite entries, or {csv}). L = 2 exactly (ψ'' ∈ [−1/2, 2], attained at u = 0), \
        ‖∇f‖ ≤ √d·9/(8√3), x* = s, f* = 0 (docs/derivations/microadam.md §4).
        """,
        space: gemanMcClureSpace
    ) { f, dir, _ in
        guard let s = try f.vector("shift", relativeTo: dir) else { throw f.error("shift", "missing (required)") }
        guard !s.isEmpty else { throw f.error("shift", "must have at least one entry") }
        guard s.allSatisfy(\.isFinite) else { throw f.error("shift", "entries must be finite") }
        return ProblemReading(GemanMcClure(shift: s))
    }
}
