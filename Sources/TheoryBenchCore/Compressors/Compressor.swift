import Foundation

/// The Biased-ABC constants of a gradient estimator g(x) of ∇f(x) (Demidovich, Malinovsky, Sokolov,
/// Richtárik 2023, arXiv 2305.16296; docs/derivations/biased-sgd.md §1): for every x,
///   (i)  ⟨∇f(x), E g(x)⟩ ≥ b‖∇f(x)‖² − c                       (alignment),
///   (ii) E‖g(x)‖² ≤ 2A(f(x) − f^inf) + B‖∇f(x)‖² + C           (second moment).
/// For a compressor applied to the exact gradient, g = 𝒞(∇f(x)), these are statements about 𝒞 on
/// vectors v = ∇f(x): ⟨v, E𝒞(v)⟩ ≥ b‖v‖² − c and E‖𝒞(v)‖² ≤ B‖v‖² + C, with A = 0.
///
/// `alignmentExact` / `secondMomentExact` declare the *exact form*: E⟨v, 𝒞(v)⟩ = b‖v‖² (c = 0) or
/// E‖𝒞(v)‖² = B‖v‖² (C = 0) for every v — an identity, checked as an equality rather than a bound.
/// `source` says where the constants come from.
public struct BiasedABC: Sendable, Equatable, CustomStringConvertible {
    public var A: Double, B: Double, C: Double, b: Double, c: Double
    public var alignmentExact: Bool
    public var secondMomentExact: Bool
    /// E𝒞(v) = v for every v.
    public var unbiased: Bool
    /// G: the constants are declared for ‖v‖ ≤ G only (∞: everywhere).
    public var radius: Double
    public var source: String

    public init(A: Double = 0, B: Double, C: Double = 0, b: Double, c: Double = 0, alignmentExact: Bool = false,
                secondMomentExact: Bool = false, unbiased: Bool = false, radius: Double = .infinity, source: String) {
        precondition(!alignmentExact || c == 0, "an exact alignment identity has c = 0")
        precondition(!secondMomentExact || C == 0, "an exact second-moment identity has C = 0")
        self.A = A; self.B = B; self.C = C; self.b = b; self.c = c
        self.alignmentExact = alignmentExact; self.secondMomentExact = secondMomentExact
        self.unbiased = unbiased; self.radius = radius; self.source = source
    }

    /// True when the assumption holds with these constants (b > 0; A, B, C, c ≥ 0).
    public var isSatisfiable: Bool { b > 0 && A >= 0 && B >= 0 && C >= 0 && c >= 0 }

    /// The same declaration with the right-hand sides multiplied by `factor`: for (ii) B, C → factor·B,
    /// factor·C; for (i), in the upper-bound form ‖v‖² − ⟨v, 𝒞(v)⟩ ≤ (1 − b)‖v‖² + c, (1 − b) and c
    /// scale by `factor` (b exact: b → factor·b). Negative controls use factor < 1 (a mis-declared,
    /// too-small constant).
    public func misdeclared(by factor: Double) -> BiasedABC {
        var out = self
        out.B *= factor; out.C *= factor; out.c *= factor
        out.b = alignmentExact ? b * factor : 1 - factor * (1 - b)
        out.source = "mis-declared: right-hand sides × \(factor) of (\(source))"
        return out
    }

    public var description: String {
        "b = \(Self.show(b)), c = \(Self.show(c)), A = \(Self.show(A)), B = \(Self.show(B)), C = \(Self.show(C))"
    }

    static func show(_ x: Double) -> String { String(format: "%.4g", x) }
}

/// The two inequalities of the Biased-ABC assumption.
public enum ABCInequality: String, Sendable, CaseIterable {
    /// (i) ⟨v, E𝒞(v)⟩ ≥ b‖v‖² − c.
    case alignment
    /// (ii) E‖𝒞(v)‖² ≤ B‖v‖² + C.
    case secondMoment = "second-moment"
}

/// A (possibly random, possibly biased) compression operator 𝒞: ℝ^d → ℝ^d, the one home of
/// compressors for every family (biased SGD, error feedback, distributed methods).
///
/// Calls are allocation-free: the caller owns the input, the output and a workspace of
/// `workspaceCount(dimension:)` doubles, and supplies the random stream (a deterministic compressor
/// draws nothing). `out` may not alias `x`.
public protocol Compressor: Sendable, CustomStringConvertible {
    /// Writes 𝒞(x) into `out` (same count as `x`).
    func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                  workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream)
    /// Scratch doubles `compress` needs in dimension d.
    func workspaceCount(dimension d: Int) -> Int
    /// The Biased-ABC constants 𝒞 satisfies in dimension d (A = 0: 𝒞 sees only the vector).
    func constants(dimension d: Int) -> BiasedABC
    /// True when 𝒞 draws from the stream (its output is random).
    var isRandomized: Bool { get }
    /// Writes a vector at which `inequality` holds with equality (or is approached) for the declared
    /// constants; used, perturbed, to show that the declared constants are tight.
    func extremalPoint(_ inequality: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream)
}

extension Compressor {
    public func workspaceCount(dimension d: Int) -> Int { 0 }
    public var isRandomized: Bool { false }

    /// 𝒞(x) into `out` for arrays (allocates the workspace: tests and set-up, not hot loops).
    public func compress(_ x: [Double], into out: inout [Double], rng: inout RandomStream) {
        var work = [Double](repeating: 0, count: workspaceCount(dimension: x.count))
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { op in
                work.withUnsafeMutableBufferPointer { compress(xp, into: op, workspace: $0, rng: &rng) }
            }
        }
    }

    /// 𝒞(x) as a new array (convenience outside hot loops).
    public func compressed(_ x: [Double], rng: inout RandomStream) -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        compress(x, into: &out, rng: &rng)
        return out
    }
}

/// Helpers shared by the compressors' extremal points.
enum Extremal {
    /// Random signs times magnitudes 1 + 10⁻³uᵢ (uᵢ uniform) on `count` random coordinates and
    /// ±10⁻³ elsewhere: near (never exactly at) equal magnitudes or `count`-sparsity, so a bound attained
    /// there is approached strictly from inside.
    static func signs(_ x: UnsafeMutableBufferPointer<Double>, count: Int, rng: inout RandomStream) {
        for i in x.indices { x[i] = 0 }
        var placed = 0
        while placed < min(count, x.count) {
            let i = rng.index(below: x.count)
            if x[i] == 0 { x[i] = randomSign(&rng) * (1 + 1e-3 * rng.uniform()); placed += 1 }
        }
        for i in x.indices where x[i] == 0 { x[i] = randomSign(&rng) * 1e-3 }
    }

    static func randomSign(_ rng: inout RandomStream) -> Double { rng.next() & 1 == 0 ? 1 : -1 }
}
