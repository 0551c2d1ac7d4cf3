import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The one-variable profile φ(t) = q + A t^m − L1(q t + B t^{m+1}) on t ≥ 0, with m = 2p − 2 ≥ 2,
/// A = 2p(2p−1)c, B = 2pc: the largest Hessian eigenvalue minus L1 times the gradient norm of
/// c·t^{2p} + (q/2)t² (separable coordinate) or c‖x‖^{2p} + (q/2)‖x‖² at radius t (radial).
/// Its supremum over t ≥ 0 is the exact L0 of the (L0, L1) trade-off curve
/// (docs/derivations/l0l1-clipped-gd.md §1).
public struct EvenProfile: Sendable, Equatable {
    public let power: Int, coefficient: Double, quadratic: Double

    public init(power p: Int, coefficient c: Double, quadratic q: Double) {
        power = p; coefficient = c; quadratic = q
    }

    var m: Double { Double(2 * power - 2) }
    var A: Double { Double(2 * power * (2 * power - 1)) * coefficient }
    var B: Double { Double(2 * power) * coefficient }

    /// f''(t) = q + A t^m (the radial / coordinate second derivative).
    public func curvature(_ t: Double) -> Double { quadratic + A * pow(t, m) }
    /// f'(t) = q t + B t^{m+1} (t ≥ 0).
    public func slope(_ t: Double) -> Double { quadratic * t + B * pow(t, m + 1) }
    public func phi(_ t: Double, l1: Double) -> Double { curvature(t) - l1 * slope(t) }

    /// The maximizer t₂ ≥ 0 of φ and sup φ (= L0 at this L1), certified: φ'(t) = ψ(t) − L1 q with
    /// ψ(t) = A m t^{m−1} − L1 B (m+1) t^m, and ψ'(t) = t^{m−2}(A m(m−1) − L1 B (m+1) m t) has one sign
    /// change at t_peak = A(m−1)/(L1 B(m+1)); so φ' has at most two roots t₁ < t₂, φ decreases on
    /// [0, t₁], increases on [t₁, t₂] and decreases after, and sup φ = max(φ(0), φ(t₂)). t₂ lies on
    /// [t_peak, t_zero] (t_zero = A m/(L1 B(m+1)), where ψ = 0 ≤ L1 q) and is found by bisection to
    /// the last bit. L1 ≤ 0 gives +∞ (the polynomial is not L-smooth).
    public func supremum(l1: Double) -> (t: Double, value: Double) {
        guard l1 > 0 else { return (.infinity, .infinity) }
        let psi = { (t: Double) in self.A * self.m * pow(t, self.m - 1) - l1 * self.B * (self.m + 1) * pow(t, self.m) }
        let tPeak = A * (m - 1) / (l1 * B * (m + 1)), tZero = A * m / (l1 * B * (m + 1))
        guard psi(tPeak) > l1 * quadratic else { return (0, quadratic) }
        var lo = tPeak, hi = tZero
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            guard mid > lo && mid < hi else { break }
            if psi(mid) > l1 * quadratic { lo = mid } else { hi = mid }
        }
        let t = 0.5 * (lo + hi), v = phi(t, l1: l1)
        return v > quadratic ? (t, v) : (0, quadratic)
    }
}

/// An even polynomial with x* = 0 and f* = 0 exactly, (L0, L1)-smooth on a whole curve of pairs and
/// not L-smooth (degree 2p ≥ 4):
/// - separable: f(x) = Σᵢ [cᵢ xᵢ^{2p} + (qᵢ/2) xᵢ²], cᵢ > 0, qᵢ ≥ 0;
/// - radial: f(x) = c‖x‖^{2p} + (q/2)‖x‖².
/// The exact curve: L0(L1) = maxᵢ sup_{t≥0} φᵢ(t) (separable; the Hessian is diagonal and
/// ‖∇f‖ ≥ |∂ᵢf| with equality on the axes) or sup_t φ(t) (radial; the largest Hessian eigenvalue is
/// the radial one), with φ the `EvenProfile` (docs/derivations/l0l1-clipped-gd.md §1). The instance
/// fixes one point L1 of the curve; its L0 is computed there. μ = minᵢ qᵢ (strong convexity, PL).
public struct EvenPolynomial: Objective {
    public enum Shape: String, Sendable { case separable, radial }
    public let shape: Shape
    public let power: Int
    /// cᵢ (separable: one per coordinate; radial: one entry).
    public let coefficients: [Double]
    /// qᵢ (separable: one per coordinate; radial: one entry).
    public let quadratics: [Double]
    public let dimension: Int
    /// The instance's point of the curve: L1 and its exact L0 = L0(L1).
    public let L1: Double, L0: Double
    public let constants: ProblemConstants

    public init(shape: Shape, power: Int, coefficients: [Double], quadratics: [Double], dimension: Int, l1: Double) {
        self.shape = shape; self.power = power; self.coefficients = coefficients; self.quadratics = quadratics
        self.dimension = dimension; L1 = l1
        L0 = zip(coefficients, quadratics).map { EvenProfile(power: power, coefficient: $0, quadratic: $1).supremum(l1: l1).value }.max()!
        // Not L-smooth: L = ∞ and no x*, f* here, so that no claim written for L-smooth objectives
        // pairs; the (L0, L1) contexts read x* = 0, f* = 0 from this type.
        constants = ProblemConstants(L: .infinity, mu: nil, convex: true, xStar: nil, fStar: nil,
                                     optimumSource: "closed form: x* = 0, f* = 0 (read by the (L0, L1) claims)")
    }

    /// The profiles φᵢ whose suprema give L0(L1).
    public var profiles: [EvenProfile] {
        zip(coefficients, quadratics).map { EvenProfile(power: power, coefficient: $0, quadratic: $1) }
    }
    /// L0(l1) at any point of the exact curve.
    public func l0(at l1: Double) -> Double { profiles.map { $0.supremum(l1: l1).value }.max()! }
    /// μ = minᵢ qᵢ: ∇²f ⪰ diag(q), so f is μ-strongly convex (PL with μ).
    public var mu: Double { quadratics.min()! }
    public var xStar: [Double] { [Double](repeating: 0, count: dimension) }
    public var fStar: Double { 0 }

    public func value(_ x: [Double]) -> Double {
        let e = Double(2 * power)
        switch shape {
        case .radial:
            let r2 = Vec.normSquared(x)
            return coefficients[0] * pow(r2, Double(power)) + 0.5 * quadratics[0] * r2
        case .separable:
            var s = 0.0
            for i in 0..<dimension { s += coefficients[i] * pow(abs(x[i]), e) + 0.5 * quadratics[i] * x[i] * x[i] }
            return s
        }
    }

    public func gradient(_ x: [Double], into g: inout [Double]) {
        let e = Double(2 * power - 2), p2 = Double(2 * power)
        switch shape {
        case .radial:
            let r2 = Vec.normSquared(x)
            let w = p2 * coefficients[0] * pow(r2, Double(power - 1)) + quadratics[0]
            for i in 0..<dimension { g[i] = w * x[i] }
        case .separable:
            for i in 0..<dimension { g[i] = (p2 * coefficients[i] * pow(abs(x[i]), e) + quadratics[i]) * x[i] }
        }
    }

    /// ‖∇²f(x)‖ (spectral norm), exact: the largest diagonal entry (separable) or the radial
    /// eigenvalue q + 2p(2p−1)c r^{2p−2} (radial; the tangential ones q + 2pc r^{2p−2} are smaller).
    public func hessianNorm(_ x: [Double]) -> Double {
        switch shape {
        case .radial: return profiles[0].curvature(Vec.norm(x))
        case .separable: return (0..<dimension).map { profiles[$0].curvature(abs(x[$0])) }.max()!
        }
    }

    public func reportedConstants(start: [Double]) -> [String: Double] {
        ["L0": L0, "L1": L1, "mu": mu, "2p": Double(2 * power), "f*": 0, "f(x0)-f*": value(start),
         "|x0-x*|^2": Vec.normSquared(start)]
    }
}

extension ProblemFamily {
    /// `l0l1-polynomial`: separable or radial even polynomials with the exact (L0, L1) curve.
    public static let l0l1Polynomial = ProblemFamily(
        name: "l0l1-polynomial",
        documentation: """
        (L0, L1)-smooth even polynomials, x* = 0, f* = 0 (L0L1Smooth family): `shape: separable` with \
        `coefficients: [c₁, …]` (cᵢ > 0, one per coordinate) and `quadratic: q` or `[q₁, …]` (qᵢ ≥ 0, \
        default 0): f = Σᵢ cᵢxᵢ^{2p} + (qᵢ/2)xᵢ²; or `shape: radial` with `dimension`, `coefficient: c > 0`, \
        `quadratic: q ≥ 0`: f = c‖x‖^{2p} + (q/2)‖x‖². `degree: 2p` (even, 4 to 12); `l1: L1 > 0` picks the \
        point of the curve the claims use. Constants: L0 = L0(L1) = sup of ‖∇²f‖ − L1‖∇f‖, exact (a 1-D \
        maximization certified by the sign pattern of its derivative, bisection to the last bit), \
        μ = min qᵢ; the objective is not L-smooth (L = ∞).
        """,
        space: evenPolynomialSpace
    ) { f, dir, _ in ProblemReading(try readEvenPolynomial(&f, dir: dir)) }

    static func readEvenPolynomial(_ f: inout Fields, dir: String) throws -> EvenPolynomial {
        let (shape, p, l1) = try readEvenHeader(&f)
        switch shape {
        case .radial:
            guard let d = try f.positiveInt("dimension") else { throw f.error("dimension", "missing (required with shape: radial)") }
            try ResourceLimits.check(f, "dimension", Double(d), ResourceLimits.maxVectorLength, "the dimension d")
            guard let c = try f.double("coefficient", where: { $0 > 0 }, "positive") else { throw f.error("coefficient", "missing (required with shape: radial)") }
            let q = try f.double("quadratic", where: { $0 >= 0 }, "non-negative") ?? 0
            return EvenPolynomial(shape: .radial, power: p, coefficients: [c], quadratics: [q], dimension: d, l1: l1)
        case .separable:
            guard let c = try f.vector("coefficients", relativeTo: dir) else { throw f.error("coefficients", "missing (required with shape: separable)") }
            guard !c.isEmpty else { throw f.error("coefficients", "must be a non-empty list") }
            guard c.allSatisfy({ $0 > 0 }) else { throw f.error("coefficients", "every cᵢ must be positive") }
            try ResourceLimits.check(f, "coefficients", Double(c.count), ResourceLimits.maxVectorLength, "the dimension d")
            let q = try readQuadratics(&f, count: c.count, dir: dir)
            return EvenPolynomial(shape: .separable, power: p, coefficients: c, quadratics: q, dimension: c.count, l1: l1)
        }
    }

    /// `shape`, `degree` (even, 4…12) and `l1` (> 0), shared by the (L0, L1) polynomial families.
    static func readEvenHeader(_ f: inout Fields) throws -> (EvenPolynomial.Shape, Int, Double) {
        let name = try f.string("shape") ?? "separable"
        guard let shape = EvenPolynomial.Shape(rawValue: name) else { throw f.error("shape", "must be 'separable' or 'radial', got '\(name)'") }
        guard let degree = try f.positiveInt("degree") else { throw f.error("degree", "missing (required: an even degree 2p ≥ 4)") }
        guard degree % 2 == 0, degree >= 4, degree <= 12 else {
            throw f.error("degree", "\(degree) is invalid: must be even and between 4 and 12 (2p with p ≥ 2: not L-smooth, still (L0, L1)-smooth)")
        }
        guard let l1 = try f.double("l1", where: { $0 > 0 }, "positive (L1 = 0 would need L-smoothness)") else {
            throw f.error("l1", "missing (required: the point L1 > 0 of the (L0, L1) curve)")
        }
        return (shape, degree / 2, l1)
    }

    /// `quadratic`: one q ≥ 0 for every coordinate, or a list of `count` entries (default 0).
    static func readQuadratics(_ f: inout Fields, count: Int, dir: String) throws -> [Double] {
        guard let node = f.node("quadratic") else { return [Double](repeating: 0, count: count) }
        if node.sequence == nil {
            let q = try f.double("quadratic", where: { $0 >= 0 }, "non-negative")!
            return [Double](repeating: q, count: count)
        }
        let q = try f.vector("quadratic", relativeTo: dir)!
        guard q.count == count else { throw f.error("quadratic", "has \(q.count) entries, coefficients has \(count)") }
        guard q.allSatisfy({ $0 >= 0 }) else { throw f.error("quadratic", "every qᵢ must be non-negative") }
        return q
    }
}

extension EvenPolynomial: IllustratedObjective {
    /// The L1 values at which the whole curve is drawn: 48 points spread geometrically over [0.1, 10]
    /// (the same for every polynomial, so curves compare on one grid).
    static let curveGrid: [Double] = (0..<48).map { 0.1 * pow(100, Double($0) / 47) }

    /// The exact (L0, L1) trade-off curve L1 ↦ L0(L1) of the polynomial (the instance uses one point).
    public var illustrations: [Illustration] {
        let form = shape == .radial ? "c‖x‖^\(2 * power) + (q/2)‖x‖², d = \(dimension)" : "Σ cᵢxᵢ^\(2 * power) + (qᵢ/2)xᵢ²"
        let c = coefficients.map(\.formatted3).joined(separator: ", "), q = quadratics.map(\.formatted3).joined(separator: ", ")
        return [Illustration(name: "l0-l1-curve", label: "\(form), c = [\(c)], q = [\(q)]",
                             x: Self.curveGrid, y: Self.curveGrid.map(l0(at:)))]
    }
}
