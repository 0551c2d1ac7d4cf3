import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// How gradients are observed in biased SGD: g(x) = 𝒞(∇f(x)), a compressor applied to the exact
/// gradient (`compressor:` in an instance file; part kind `compressor`; `CompressedOracle`).
/// The part carries the compressor's declared Biased-ABC constants.
public struct CompressorPart: OraclePart {
    public static let kind: PartKind = "compressor"
    public let compressor: any Compressor
    /// A negative control only (never read from a file): the oracle hands the compressor the same
    /// copy of the stream at every call, so a randomized compressor repeats its first draw forever —
    /// the bug of copying an `inout` stream into a local to satisfy the exclusivity checker.
    public let frozenStream: Bool

    public init(_ compressor: any Compressor, frozenStream: Bool = false) {
        self.compressor = compressor; self.frozenStream = frozenStream
    }

    public var description: String { compressor.description + (frozenStream ? " (bug: frozen stream)" : "") }

    public func makeOracle<P: Objective>(for problem: P) -> any GradientOracle {
        frozenStream ? frozen(problem, compressor) : compressed(problem, compressor)
    }
    private func compressed<P: Objective, C: Compressor>(_ p: P, _ c: C) -> any GradientOracle {
        CompressedOracle(ExactGradient(p), c)
    }
    private func frozen<P: Objective, C: Compressor>(_ p: P, _ c: C) -> any GradientOracle {
        FrozenStreamOracle(inner: CompressedOracle(ExactGradient(p), c))
    }

    /// Not an additive-noise oracle: σ² is not the quantity its theorems use (nil).
    public func variance(of problem: any Objective) -> Double? { nil }

    public func reportedConstants(of instance: Instance) -> [String: Double] {
        let k = compressor.constants(dimension: instance.dimension)
        var out = ["ABC b": k.b, "ABC c": k.c, "ABC A": k.A, "ABC B": k.B, "ABC C": k.C]
        if k.radius.isFinite { out["ABC radius G"] = k.radius }
        return out
    }

    public static let schema = PartSchema(
        key: "compressor", kind: kind,
        documentation: """
        biased SGD's estimator g(x) = 𝒞(∇f(x)), a compressor of the exact gradient (Biased-ABC constants \
        declared by each compressor, docs/derivations/biased-sgd.md §2): `{kind: top-k, k}`, \
        `{kind: rand-k, k, scaled: true|false}` (scaled by d/k: unbiased), \
        `{kind: bernoulli, p, scaled: true|false}` (`p` one probability in (0, 1] or a list of d), \
        `{kind: scaled-sign}`, `{kind: round-pow2}` (deterministic nearest power of 2), `{kind: natural}` \
        (unbiased random rounding to powers of 2), `{kind: clip, lambda, radius}` (declared on ‖∇f‖ ≤ radius), \
        `{kind: shift, norm}` (adds ε(1, …, 1)/√d), `{kind: rotation, degrees}` (breaks the assumption), \
        and any of these with `then: {…}`, an unbiased compressor applied after it (`natural`, scaled \
        `rand-k` or scaled `bernoulli`). `scaled` defaults to false. Not with `noise` or `batch`.
        """,
        space: { part in (part as? CompressorPart).flatMap(CompressorSpace.space) }
    ) { f, problem, _ in
        guard var c = try f.sub("compressor") else { throw f.error("compressor", "expected a mapping {kind: …}") }
        return CompressorPart(try read(&c, dimension: problem.dimension))
    }

    static let kinds = "top-k, rand-k, bernoulli, scaled-sign, round-pow2, natural, clip, shift, rotation"

    /// Reads one compressor mapping (and its `then:`), validating every value.
    static func read(_ c: inout Fields, dimension d: Int) throws -> any Compressor {
        let kind = try c.requiredString("kind")
        let base = try readBase(kind, &c, dimension: d)
        var result: any Compressor = base
        if var then = try c.sub("then") {
            let outer = try read(&then, dimension: d)
            guard Composition.constants(inner: base.constants(dimension: d), outer: outer.constants(dimension: d)) != nil else {
                throw c.error("then", "'\(outer)' is not unbiased with C = 0 on all of ℝ^d, so the composition rule does not apply")
            }
            result = Composition(base, then: outer)
        }
        try c.rejectUnknown()
        return result
    }

    static func readBase(_ kind: String, _ c: inout Fields, dimension d: Int) throws -> any Compressor {
        switch kind {
        case "top-k", "rand-k":
            guard let k = try c.positiveInt("k") else { throw c.error("k", "missing (required for \(kind))") }
            guard k <= d else { throw c.error("k", "\(k) exceeds the dimension \(d)") }
            return kind == "top-k" ? TopK(k: k) : RandK(k: k, scaled: try bool(&c, "scaled"))
        case "bernoulli":
            return Bernoulli(probabilities: try probabilities(&c, d), scaled: try bool(&c, "scaled"))
        case "scaled-sign": return ScaledSign()
        case "round-pow2": return PowerOfTwoRounding()
        case "natural": return NaturalCompression()
        case "clip":
            guard let l = try c.double("lambda", where: { $0 > 0 }, "positive") else { throw c.error("lambda", "missing (required for clip)") }
            guard let g = try c.double("radius", where: { $0 > 0 }, "positive") else { throw c.error("radius", "missing (required for clip: the constants hold on ‖∇f‖ ≤ radius only)") }
            return Clipping(lambda: l, radius: g)
        case "shift":
            guard let e = try c.double("norm", where: { $0 >= 0 }, "non-negative") else { throw c.error("norm", "missing (required for shift)") }
            return Shift(norm: e)
        case "rotation":
            guard let t = try c.double("degrees", where: { $0 >= 0 && $0 <= 180 }, "in [0, 180]") else { throw c.error("degrees", "missing (required for rotation)") }
            return Rotation(degrees: t)
        default:
            throw c.error("kind", "unknown compressor '\(kind)' (known: \(kinds))")
        }
    }

    static func bool(_ c: inout Fields, _ key: String) throws -> Bool {
        guard let s = try c.string(key) else { return false }
        guard let v = Bool(s) else { throw c.error(key, "expected true or false, got '\(s)'") }
        return v
    }

    static func probabilities(_ c: inout Fields, _ d: Int) throws -> [Double] {
        guard let n = c.node("p") else { throw c.error("p", "missing (required for bernoulli)") }
        let ps: [Double]
        if n.sequence == nil, let v = try c.double("p") { ps = [Double](repeating: v, count: d) } else { ps = try c.vector("p", relativeTo: "")! }
        guard ps.count == d else { throw c.error("p", "has \(ps.count) entries, dimension is \(d)") }
        if let i = ps.firstIndex(where: { !($0 > 0 && $0 <= 1) }) { throw c.error("p", "entry \(i) is \(ps[i]), not in (0, 1]") }
        return ps
    }
}

/// A compressed oracle with the frozen-stream bug (negative controls only): the compressor always
/// receives a copy of the stream taken at the first call.
struct FrozenStreamOracle<Base: GradientOracle>: GradientOracle {
    var inner: Base
    var saved: RandomStream?
    var problem: Base.Problem { inner.problem }

    mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
        if saved == nil { saved = rng }
        var copy = saved!
        inner.sample(at: x, into: &g, rng: &copy)
    }
}

extension Instance {
    /// The compressor of biased SGD, when the instance has one.
    public var compressor: (any Compressor)? { part(CompressorPart.self)?.compressor }
}
