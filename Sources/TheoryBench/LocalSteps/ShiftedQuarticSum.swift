import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// A federated finite sum of shifted separable quartics: N = n·m components (n clients of m each,
/// client j holding components j·m ..< (j+1)·m),
///   f_i(x) = Σ_k [c_k (x_k − a_ik)⁴ + (q_k/2)(x_k − a_ik)²],  f = (1/N)Σ_i f_i.
/// Every f_i is a shift of P(y) = Σ_k c_k y_k⁴ + (q_k/2) y_k², so it is (ℓ0, ℓ1)-smooth on P's exact
/// curve. With shifts symmetric per coordinate (mean and third moment 0, checked when read) the odd
/// terms of the mean vanish: f = Σ_k [c_k x_k⁴ + ((q_k + 12 c_k m2_k)/2) x_k²] + f*, an even polynomial
/// with x* = 0, f* = Σ_k [c_k m4_k + (q_k/2) m2_k] (m_r,k = (1/N)Σ_i a_ik^r), whose curve is exact too
/// (docs/derivations/local-rr-clip.md §1).
public struct ShiftedQuarticSum: FiniteSumObjective {
    public let coefficients: [Double], quadratics: [Double]
    /// a_ik, component-major (component i's d coordinates consecutive).
    public let shifts: [Double]
    public let clients: Int, perClient: Int
    public let dimension: Int
    /// P at the components' curve point ℓ1 (its L0 is ℓ0).
    public let component: EvenPolynomial
    /// f − f* as an even polynomial at the server's curve point L1 (its L0 is L0).
    public let mean: EvenPolynomial
    public let fStar: Double
    public let constants: ProblemConstants

    public init(coefficients c: [Double], quadratics q: [Double], shifts a: [Double], clients n: Int, perClient m: Int,
                l1: Double, componentL1: Double) {
        let d = c.count, N = n * m
        coefficients = c; quadratics = q; shifts = a; clients = n; perClient = m; dimension = d
        let moment = { (k: Int, r: Double) -> Double in
            var s = 0.0
            for i in 0..<N { s += pow(a[i * d + k], r) }
            return s / Double(N)
        }
        let m2 = (0..<d).map { moment($0, 2) }, m4 = (0..<d).map { moment($0, 4) }
        component = EvenPolynomial(shape: .separable, power: 2, coefficients: c, quadratics: q, dimension: d, l1: componentL1)
        mean = EvenPolynomial(shape: .separable, power: 2, coefficients: c,
                              quadratics: (0..<d).map { q[$0] + 12 * c[$0] * m2[$0] }, dimension: d, l1: l1)
        var fs = 0.0
        for k in 0..<d { fs += c[k] * m4[k] + 0.5 * q[k] * m2[k] }
        fStar = fs
        constants = ProblemConstants(L: .infinity, mu: nil, convex: true, xStar: nil, fStar: nil,
                                     optimumSource: "closed form: x* = 0, f* from the shifts' moments (read by the local-steps claims)")
    }

    public var componentCount: Int { clients * perClient }

    public func componentValue(_ i: Int, _ x: [Double]) -> Double {
        var s = 0.0
        for k in 0..<dimension {
            let y = x[k] - shifts[i * dimension + k], y2 = y * y
            s += coefficients[k] * y2 * y2 + 0.5 * quadratics[k] * y2
        }
        return s
    }

    public func value(_ x: [Double]) -> Double {
        (0..<componentCount).reduce(0.0) { $0 + componentValue($1, x) } / Double(componentCount)
    }

    public func addComponentGradient(_ i: Int, at x: [Double], weight: Double, into g: inout [Double]) {
        for k in 0..<dimension {
            let y = x[k] - shifts[i * dimension + k]
            g[k] += weight * (4 * coefficients[k] * y * y * y + quadratics[k] * y)
        }
    }

    /// ‖∇f_i(x)‖ without storing the gradient.
    public func componentGradientNorm(_ i: Int, _ x: [Double]) -> Double {
        var s = 0.0
        for k in 0..<dimension {
            let y = x[k] - shifts[i * dimension + k], gk = 4 * coefficients[k] * y * y * y + quadratics[k] * y
            s += gk * gk
        }
        return s.squareRoot()
    }

    /// Γ(x) = max_i ‖∇f_i(x)‖.
    public func maxComponentGradientNorm(_ x: [Double]) -> Double {
        (0..<componentCount).reduce(0.0) { max($0, componentGradientNorm($1, x)) }
    }

    public func gradient(_ x: [Double], into g: inout [Double]) {
        for k in 0..<dimension { g[k] = 0 }
        let w = 1 / Double(componentCount)
        for i in 0..<componentCount { addComponentGradient(i, at: x, weight: w, into: &g) }
    }

    public func reportedConstants(start: [Double]) -> [String: Double] {
        ["L0": mean.L0, "L1": mean.L1, "l0": component.L0, "l1": component.L1, "mu": mean.mu, "f*": fStar,
         "f(x0)-f*": value(start) - fStar, "|x0-x*|^2": Vec.normSquared(start), "n": Double(clients), "m": Double(perClient),
         "Gamma0": maxComponentGradientNorm(start)]
    }
}

extension ProblemFamily {
    /// `l0l1-shifted-sum`: n clients × m shifted quartics, exact (ℓ0, ℓ1) and (L0, L1) curves.
    public static let l0l1ShiftedSum = ProblemFamily(
        name: "l0l1-shifted-sum",
        documentation: """
        A federated finite sum of shifted separable quartics (LocalSteps family): \
        f_i(x) = Σ_k c_k(x_k − a_ik)⁴ + (q_k/2)(x_k − a_ik)², f = (1/N)Σ f_i, N = clients × components. \
        `coefficients: [c_k]` (> 0, one per coordinate), `quadratic: q` or `[q_k]` (≥ 0), `clients: n`, \
        `components: m` (per client; client j holds components j·m…(j+1)·m − 1), `shifts: […]` \
        (N·d numbers, component-major, or {csv}; symmetric per coordinate: mean and third moment 0, so that \
        x* = 0 and f* are exact), `l1: L1` (f's curve point) and `component-l1: ℓ1` (the components'). \
        Constants: ℓ0 = ℓ0(ℓ1) of the component polynomial, L0 = L0(L1) of f = Σ c_k x_k⁴ + ((q_k + \
        12c_k m2_k)/2)x_k² + f*, μ = min_k(q_k + 12c_k m2_k), all exact; not L-smooth (L = ∞).
        """,
        space: shiftedSumSpace
    ) { f, dir, _ in ProblemReading(try readShiftedSum(&f, dir: dir)) }

    static func readShiftedSum(_ f: inout Fields, dir: String) throws -> ShiftedQuarticSum {
        guard let c = try f.vector("coefficients", relativeTo: dir) else { throw f.error("coefficients", "missing (required)") }
        guard !c.isEmpty, c.allSatisfy({ $0 > 0 }) else { throw f.error("coefficients", "must be a non-empty list of positive cᵢ") }
        try ResourceLimits.check(f, "coefficients", Double(c.count), ResourceLimits.maxVectorLength, "the dimension d")
        let q = try readQuadratics(&f, count: c.count, dir: dir)
        guard let n = try f.positiveInt("clients") else { throw f.error("clients", "missing (required)") }
        guard let m = try f.positiveInt("components") else { throw f.error("components", "missing (required: per client)") }
        try ResourceLimits.check(f, "components", Double(n * m * c.count), ResourceLimits.maxStoredEntries, "the shifts' entries clients × components × d")
        guard let a = try f.vector("shifts", relativeTo: dir) else { throw f.error("shifts", "missing (required)") }
        guard a.count == n * m * c.count else {
            throw f.error("shifts", "has \(a.count) entries, clients × components × d is \(n * m * c.count)")
        }
        try checkSymmetric(f, a, d: c.count)
        guard let l1 = try f.double("l1", where: { $0 > 0 }, "positive") else { throw f.error("l1", "missing (required: f's curve point L1 > 0)") }
        guard let cl1 = try f.double("component-l1", where: { $0 > 0 }, "positive") else {
            throw f.error("component-l1", "missing (required: the components' curve point ℓ1 > 0)")
        }
        return ShiftedQuarticSum(coefficients: c, quadratics: q, shifts: a, clients: n, perClient: m, l1: l1, componentL1: cl1)
    }

    /// Mean and third moment of every coordinate's shifts vanish (to 1e-12 relative): then the odd
    /// terms of f cancel and x* = 0 exactly.
    static func checkSymmetric(_ f: Fields, _ a: [Double], d: Int) throws {
        let N = a.count / d
        for k in 0..<d {
            let col = (0..<N).map { a[$0 * d + k] }
            let scale = 1 + col.map { abs($0) }.max()!
            let m1 = col.reduce(0, +) / Double(N), m3 = col.reduce(0) { $0 + $1 * $1 * $1 } / Double(N)
            guard abs(m1) <= 1e-12 * scale, abs(m3) <= 1e-12 * pow(scale, 3) else {
                throw f.error("shifts", "coordinate \(k + 1) is not symmetric (mean \(m1.formatted3), third moment \(m3.formatted3)): x* = 0 needs both to vanish")
            }
        }
    }
}
