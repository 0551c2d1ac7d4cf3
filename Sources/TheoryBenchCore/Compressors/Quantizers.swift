import Foundation

/// Scaled sign: 𝒞(v) = (‖v‖₁/d)·sign(v) (sign 0 = 0; deterministic).
/// Biased-ABC: ⟨v, 𝒞(v)⟩ = ‖v‖₁²/d ≥ ‖v‖²/d (b = 1/d, attained at 1-sparse v) and
/// ‖𝒞(v)‖² ≤ ‖v‖₁²/d ≤ ‖v‖² (B = 1 by Cauchy–Schwarz, attained at equal magnitudes)
/// (docs/derivations/biased-sgd.md §2.4).
public struct ScaledSign: Compressor, Equatable {
    public init() {}
    public var description: String { "scaled sign (‖v‖₁/d)·sign(v)" }

    @inlinable
    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        var l1 = 0.0
        for v in x { l1 += abs(v) }
        let s = l1 / Double(x.count)
        for i in 0..<x.count { out[i] = x[i] > 0 ? s : (x[i] < 0 ? -s : 0) }
    }

    public func constants(dimension d: Int) -> BiasedABC {
        BiasedABC(B: 1, b: 1 / Double(d), source: "derived: ‖v‖₂ ≤ ‖v‖₁ ≤ √d‖v‖₂ (§2.4)")
    }

    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        Extremal.signs(x, count: q == .alignment ? 1 : x.count, rng: &rng)
    }
}

/// Deterministic rounding of every coordinate to the nearest power of two (in linear distance;
/// |t| ∈ [2^e, 2^{e+1}) goes to 2^{e+1} from 1.5·2^e on), sign kept, 0 ↦ 0: a biased natural compression.
/// Biased-ABC: 𝒞(t)/t ∈ (2/3, 4/3], so ⟨v, 𝒞(v)⟩ ≥ (2/3)‖v‖² and ‖𝒞(v)‖² ≤ (16/9)‖v‖² (b = 2/3,
/// B = 16/9; approached just below 1.5·2^e, attained at 1.5·2^e) (docs/derivations/biased-sgd.md §2.5).
public struct PowerOfTwoRounding: Compressor, Equatable {
    public init() {}
    public var description: String { "deterministic rounding to the nearest power of 2" }

    @inlinable
    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        for i in 0..<x.count {
            let t = x[i], a = abs(t)
            guard a > 0 else { out[i] = 0; continue }
            let low = PowerOfTwo.floor(a)
            let r = a >= 1.5 * low ? 2 * low : low
            out[i] = t < 0 ? -r : r
        }
    }

    public func constants(dimension d: Int) -> BiasedABC {
        BiasedABC(B: 16.0 / 9.0, b: 2.0 / 3.0, source: "derived: 𝒞(t)/t ∈ (2/3, 4/3] (§2.5)")
    }

    /// Every coordinate ±(1.5 + 10⁻⁹)·2^e (second moment) or ±(1.5 − 10⁻⁹)·2^e (alignment), e random in
    /// −3…3: both constants approached to 10⁻⁹, strictly from inside.
    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        let m = q == .secondMoment ? 1.5 + 1e-9 : 1.5 - 1e-9
        for i in x.indices {
            let e = Double(rng.index(below: 7)) - 3
            x[i] = (rng.next() & 1 == 0 ? m : -m) * pow(2, e)
        }
    }
}

/// Natural compression (Horváth et al. 2019): |t| ∈ [2^e, 2^{e+1}] is rounded to 2^e with probability
/// (2^{e+1} − |t|)/2^e and to 2^{e+1} otherwise, sign kept: unbiased.
/// Biased-ABC: b = 1 (exact: E𝒞(v) = v) and E𝒞(t)² = t² + (|t| − 2^e)(2^{e+1} − |t|) ≤ (9/8)t²
/// (B = 9/8, attained at |t| = (4/3)·2^e) (docs/derivations/biased-sgd.md §2.6).
public struct NaturalCompression: Compressor, Equatable {
    public init() {}
    public var description: String { "natural compression (unbiased random rounding to powers of 2)" }
    public var isRandomized: Bool { true }

    @inlinable
    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        for i in 0..<x.count {
            let t = x[i], a = abs(t)
            guard a > 0 else { out[i] = 0; continue }
            let low = PowerOfTwo.floor(a)
            let r = rng.uniform() * low < (a - low) ? 2 * low : low
            out[i] = t < 0 ? -r : r
        }
    }

    public func constants(dimension d: Int) -> BiasedABC {
        BiasedABC(B: 9.0 / 8.0, b: 1, alignmentExact: true, unbiased: true,
                  source: "derived: E𝒞(t) = t, Var 𝒞(t) = (|t| − 2^e)(2^{e+1} − |t|) (§2.6)")
    }

    /// Every coordinate ±1.6·2^e, one e random in −3…3 for the point: E𝒞(t)²/t² = (3s − 2)/s² = 1.094
    /// at s = 1.6, 2.8 % inside B = 9/8 (attained at s = 4/3) — strictly inside by more than a
    /// Monte-Carlo mean's resolution (an expectation *at* the bound is a coin flip for any test).
    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        let scale = 1.6 * pow(2, Double(rng.index(below: 7)) - 3)
        for i in x.indices { x[i] = Extremal.randomSign(&rng) * scale }
    }
}

/// Powers of two of positive finite doubles.
public enum PowerOfTwo {
    /// 2^⌊log₂ a⌋ for a > 0 finite (exact: the exponent field).
    @inlinable @inline(__always)
    public static func floor(_ a: Double) -> Double {
        Double(sign: .plus, exponent: a.exponent, significand: 1)
    }
}
