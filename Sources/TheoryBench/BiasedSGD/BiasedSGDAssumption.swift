import TheoryBenchCore
import TheoryBenchEngine
import Foundation

extension BiasedSGD {
    /// An instance whose oracle is a compressor of the exact gradient, with the sample points of one
    /// Biased-ABC inequality (`ABCSampler`) and the compressor's declared constants.
    public struct ZooInstance: InstanceContext {
        public let instance: Instance
        public let compressor: any Compressor
        public let declared: BiasedABC
        public let sampler: ABCSampler

        init?(_ i: Instance, _ q: ABCInequality, identity: Bool) {
            // The assumption is a property of 𝒞 alone: it is checked on the quadratic zoo instances
            // (d = 20), not again on every instance that uses a compressor.
            guard i.family == "quadratic", let c = i.compressor, i.part(CompressorPart.self)?.frozenStream == false else { return nil }
            let k = c.constants(dimension: i.dimension)
            let exact = q == .alignment ? k.alignmentExact : k.secondMomentExact
            guard k.isSatisfiable, exact == identity else { return nil }
            instance = i; compressor = c; declared = k
            sampler = ABCSampler(c, q, dimension: i.dimension, count: pointCount, seed: i.seed).evaluatedOnce(c)
        }
    }

    /// The constants a check of the assumption reads: the compressor's declaration, or (a negative
    /// control) a mis-declared one.
    public struct Declaration: Sendable {
        public let constants: BiasedABC
    }

    static let pointCount = 200
    /// Draws of the compressor per point: enough for the Monte-Carlo interval to resolve about 1 %
    /// (natural compression's second moment sits 2.8 % inside B at its extremal points, and random
    /// points come within about 1.3 %).
    static let assumptionRuns = RunPlan(oracle: 8000, full: 16000)
    static let misdeclaredFactor = 0.9

    static func sampling(_ q: ABCInequality, identity: Bool, _ c: ZooInstance, _ k: BiasedABC) -> MethodSpec<Declaration> {
        MethodSpec(name: "\(c.compressor) at \(pointCount) sample points (\(k))", parameters: Declaration(constants: k)) { _, cps, rng in
            c.sampler.run(c.compressor, identity: identity, at: cps, rng: &rng)
        }
    }

    /// Problem: a compressor 𝒞 on ℝ^d declaring Biased-ABC constants (b, c) or B, C for g = 𝒞(∇f)
    /// [Demidovich et al. 2023, Assumption (Biased ABC); constants docs/derivations/biased-sgd.md §2].
    /// Algorithm: none — N = 200 fixed sample points v_k (`ABCSampler`), one independent draw of 𝒞(v_k)
    /// per run. Guarantee: the declared inequality at every v_k, in expectation over 𝒞's randomness.
    /// Inequality form: the mean over runs of the left side must not exceed the right side beyond the
    /// 99 % Student-t interval (deterministic 𝒞: exactly). Identity form (declared exact): equality,
    /// judged at confidence 1 − 10⁻⁶ per point (200 points: 2·10⁻⁴ per pairing).
    /// Tightness: the extremal points sit at or within 1.2 % of the declared constants, so the control
    /// with the right-hand sides × 0.9 (a mis-declared, too-small constant) must fail; the margin is
    /// the tightest measured ratio (the empirical constant ÷ the declared one).
    static func assumptionClaim(_ q: ABCInequality, identity: Bool) -> Claim {
        let id = "biased-sgd.abc-\(q.rawValue)" + (identity ? "-identity" : "")
        let formula: String, measured: String
        switch (q, identity) {
        case (.alignment, false): formula = "(1 − b)‖v_k‖² + c"; measured = "E[‖v_k‖² − ⟨v_k, 𝒞(v_k)⟩]"
        case (.alignment, true): formula = "b‖v_k‖²"; measured = "E⟨v_k, 𝒞(v_k)⟩"
        case (.secondMoment, false): formula = "B‖v_k‖² + C"; measured = "E‖𝒞(v_k)‖²"
        case (.secondMoment, true): formula = "B‖v_k‖²"; measured = "E‖𝒞(v_k)‖²"
        }
        let bound = Bound<ZooInstance, Declaration>(formula, .derived("docs/derivations/biased-sgd.md §2 (per compressor)")) { c, m, k in
            let n2 = c.sampler.normsSquared[k], a = m.constants
            switch q {
            case .alignment: return identity ? a.b * n2 : (1 - a.b) * n2 + a.c
            case .secondMoment: return a.B * n2 + a.C
            }
        }
        let inequality = q == .alignment ? "⟨v, E𝒞(v)⟩ ≥ b‖v‖² − c" : "E‖𝒞(v)‖² ≤ B‖v‖² + C"
        let exactText = q == .alignment ? "E⟨v, 𝒞(v)⟩ = b‖v‖²" : "E‖𝒞(v)‖² = B‖v‖²"
        let check = identity
            ? Check<ZooInstance, Declaration>(.levelAtEveryCheckpoint(lo: bound, hi: bound), on: .mean, confidence: 1 - 1e-6)
            : Check<ZooInstance, Declaration>(.boundAtEveryCheckpoint(bound), on: .mean)
        return Claim(
            id: id, paper: paper, theorem: "Biased-ABC assumption, \(q == .alignment ? "(i) alignment" : "(ii) second moment")" + (identity ? " (exact form)" : ""),
            statement: identity
                ? "The compressor's declared exact form \(exactText) holds at every sampled v (docs/derivations/biased-sgd.md §2)."
                : "The compressor satisfies \(inequality) with its declared constants at every sampled v, and the constants are tight (docs/derivations/biased-sgd.md §2).",
            needs: Requirement("a quadratic-family instance with a compressor part declaring satisfiable Biased-ABC constants, \(identity ? "" : "not ")in exact form for \(q.rawValue)",
                               understands: [CompressorPart.kind]) { ZooInstance($0, q, identity: identity) },
            assumptions: [Assumption("the declared constants are the compressor's own") { c, m in
                m.constants == c.declared ? nil : "declared \(m.constants), derived \(c.declared)"
            }],
            method: { c in sampling(q, identity: identity, c, c.declared) },
            measured: measured, grid: Grid(.linear, points: pointCount) { _ in pointCount }, runs: assumptionRuns,
            check: check,
            controls: .method("\(id).misdeclared-0.9", "the right-hand side declared 10 % too small (B, C, c and 1 − b × 0.9; exact b × 0.9): must be caught at the extremal points") { c in
                sampling(q, identity: identity, c, c.declared.misdeclared(by: misdeclaredFactor))
            })
    }
}
