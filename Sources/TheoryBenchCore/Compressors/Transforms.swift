import Foundation

/// Clipping 𝒞(v) = min(1, λ/‖v‖)·v (deterministic), declared on the ball ‖v‖ ≤ G of gradients the
/// instance can produce.
/// Biased-ABC on ‖v‖ ≤ G: ⟨v, 𝒞(v)⟩ = min(‖v‖², λ‖v‖) ≥ min(1, λ/G)‖v‖² and ‖𝒞(v)‖² ≤ ‖v‖²:
/// b = min(1, λ/G), B = 1, c = C = 0 (b attained at ‖v‖ = G, B at ‖v‖ ≤ λ). No finite (b, c) holds on all
/// of ℝ^d: λt ≥ bt² − c fails for large t = ‖v‖ (docs/derivations/biased-sgd.md §2.7).
public struct Clipping: Compressor, Equatable {
    public let lambda: Double
    /// G: the constants hold for ‖v‖ ≤ G.
    public let radius: Double
    public init(lambda: Double, radius: Double) {
        precondition(lambda > 0 && radius > 0, "λ, G > 0")
        self.lambda = lambda; self.radius = radius
    }
    public var description: String { "clipping at λ = \(lambda) (declared on ‖v‖ ≤ \(radius))" }

    @inlinable
    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        var s = 0.0
        for v in x { s += v * v }
        let n = s.squareRoot(), f = n > lambda ? lambda / n : 1
        for i in 0..<x.count { out[i] = f * x[i] }
    }

    public func constants(dimension d: Int) -> BiasedABC {
        BiasedABC(B: 1, b: min(1, lambda / radius), radius: radius, source: "derived on ‖v‖ ≤ G: min(t², λt) ≥ min(1, λ/G)t² (§2.7)")
    }

    /// A random direction scaled to ‖v‖ = (1 − 10⁻³)G (alignment, approached) or ‖v‖ = λ (second
    /// moment, attained; for ‖v‖ ≤ λ the map is the identity).
    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        Extremal.direction(x, norm: q == .alignment ? (1 - 1e-3) * radius : min(lambda, radius), rng: &rng)
    }
}

/// A constant shift 𝒞(v) = v + e with e = ε·(1, …, 1)/√d: the model of a systematic bias.
/// Biased-ABC: ⟨v, v + e⟩ ≥ ‖v‖² − ε‖v‖ ≥ ½‖v‖² − ε²/2 and ‖v + e‖² ≤ 2‖v‖² + 2ε²: b = 1/2, c = ε²/2,
/// B = 2, C = 2ε² (attained at v = −e and v = e) (docs/derivations/biased-sgd.md §2.8).
public struct Shift: Compressor, Equatable {
    public let norm: Double
    public init(norm: Double) { precondition(norm >= 0, "ε ≥ 0"); self.norm = norm }
    public var description: String { "shift by ε = \(norm) along (1, …, 1)/√d" }

    @inlinable
    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        let e = norm / Double(x.count).squareRoot()
        for i in 0..<x.count { out[i] = x[i] + e }
    }

    public func constants(dimension d: Int) -> BiasedABC {
        BiasedABC(B: 2, C: 2 * norm * norm, b: 0.5, c: norm * norm / 2, source: "derived: Young's inequality (§2.8)")
    }

    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        // v = ∓(1 + 10⁻³)e: the bounds are approached to second order, strictly from inside.
        let e = (q == .alignment ? -norm : norm) * (1 + 1e-3) / Double(x.count).squareRoot()
        for i in x.indices { x[i] = e }
    }
}

/// A rotation by θ in each coordinate pair (x₁, x₂), (x₃, x₄), … (an odd last coordinate is kept):
/// ⟨v, 𝒞(v)⟩ = cos θ·‖v‖² (d even), ‖𝒞(v)‖ = ‖v‖. For θ ≥ 90° no b > 0 satisfies the alignment
/// condition: a compressor that breaks Biased ABC, for negative controls (§2.9).
public struct Rotation: Compressor, Equatable {
    public let degrees: Double
    public init(degrees: Double) { self.degrees = degrees }
    public var description: String { "rotation by \(degrees)° in coordinate pairs" }

    @inlinable
    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        let t = degrees * Double.pi / 180, c = cos(t), s = sin(t)
        var i = 0
        while i + 1 < x.count {
            out[i] = c * x[i] - s * x[i + 1]; out[i + 1] = s * x[i] + c * x[i + 1]
            i += 2
        }
        if i < x.count { out[i] = x[i] }
    }

    public func constants(dimension d: Int) -> BiasedABC {
        let c = cos(degrees * Double.pi / 180)
        return BiasedABC(B: 1, b: min(c, 1), alignmentExact: d % 2 == 0 && c <= 1, secondMomentExact: true,
                         source: "derived: a rotation in each pair (§2.9)")
    }

    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        Extremal.direction(x, norm: 1, rng: &rng)
    }
}

/// 𝒰 ∘ 𝒞: an inner compressor followed by an unbiased outer one with E‖𝒰(y)‖² ≤ ω‖y‖² (ω = the
/// outer's B, its C = 0). Biased-ABC: E[𝒰(𝒞v) | 𝒞v] = 𝒞v, so the alignment (b, c, exactness) is the
/// inner's, and E‖𝒰(𝒞v)‖² ≤ ω·E‖𝒞v‖² ≤ ωB‖v‖² + ωC (exact when both are) (docs/derivations/biased-sgd.md §2.10).
public struct Composition: Compressor {
    public let inner: any Compressor
    public let outer: any Compressor
    public init(_ inner: any Compressor, then outer: any Compressor) { self.inner = inner; self.outer = outer }
    public var description: String { "\(inner), then \(outer)" }
    public var isRandomized: Bool { inner.isRandomized || outer.isRandomized }
    public func workspaceCount(dimension d: Int) -> Int { d + max(inner.workspaceCount(dimension: d), outer.workspaceCount(dimension: d)) }

    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        let d = x.count
        let mid = UnsafeMutableBufferPointer(rebasing: workspace[0..<d])
        let rest = UnsafeMutableBufferPointer(rebasing: workspace[d...])
        inner.compress(x, into: mid, workspace: rest, rng: &rng)
        outer.compress(UnsafeBufferPointer(mid), into: out, workspace: rest, rng: &rng)
    }

    /// nil when the outer compressor is not unbiased with C = 0 (the rule above does not apply).
    public static func constants(inner a: BiasedABC, outer u: BiasedABC) -> BiasedABC? {
        guard u.unbiased, u.C == 0, u.radius == .infinity else { return nil }
        return BiasedABC(A: u.B * a.A, B: u.B * a.B, C: u.B * a.C, b: a.b, c: a.c, alignmentExact: a.alignmentExact,
                         secondMomentExact: a.secondMomentExact && u.secondMomentExact, unbiased: a.unbiased, radius: a.radius,
                         source: "composition rule (§2.10) of (\(a.source)) and (\(u.source))")
    }

    public func constants(dimension d: Int) -> BiasedABC {
        guard let k = Self.constants(inner: inner.constants(dimension: d), outer: outer.constants(dimension: d)) else {
            preconditionFailure("composition: the outer compressor must be unbiased with C = 0")
        }
        return k
    }

    /// The inner's extremal point; for the second moment its magnitudes multiplied by those of the
    /// outer's (so that, e.g., a k-sparse point also sits where natural compression's second moment is
    /// approached). For the alignment with a randomized outer, the magnitudes are spread by factors
    /// 1 + U/4: the inner's near-equality would otherwise be an expectation at the bound under the
    /// outer's noise, which no Monte-Carlo mean resolves.
    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        inner.extremalPoint(q, into: x, rng: &rng)
        guard q == .secondMoment else {
            if outer.isRandomized { for i in x.indices { x[i] *= 1 + 0.25 * rng.uniform() } }
            return
        }
        var y = [Double](repeating: 0, count: x.count)
        y.withUnsafeMutableBufferPointer { outer.extremalPoint(q, into: $0, rng: &rng) }
        for i in x.indices { x[i] *= abs(y[i]) }
    }
}

extension Extremal {
    /// A uniformly random direction scaled to `norm`.
    static func direction(_ x: UnsafeMutableBufferPointer<Double>, norm: Double, rng: inout RandomStream) {
        var s = 0.0
        for i in x.indices { x[i] = rng.gaussian(); s += x[i] * x[i] }
        let f = norm / s.squareRoot()
        for i in x.indices { x[i] *= f }
    }
}
