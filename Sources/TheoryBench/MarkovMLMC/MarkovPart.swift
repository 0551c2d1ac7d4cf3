import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// Markov noise (`markov:` in an instance file; part kind `markov`): the oracle g(x) = ∇f(x) + b_{Z_k}
/// with Z a finite reversible chain and a state-dependent shift b (Σ_s π_s b_s = 0), consecutive
/// samples correlated (`MarkovShiftOracle`). Claims that treat noise as i.i.d. do not understand this
/// part, so they never pair with these instances. The exact constants it brings: σ² = Σ_s π_s‖b_s‖²,
/// λ_*, t_* = (1 + λ_*)/(1 − λ_*) and τ (docs/derivations/markov-mlmc.md §1).
public struct MarkovNoisePart: OraclePart {
    public static let kind: PartKind = "markov"
    public let chain: FiniteMarkovChain
    /// b, row-major S×d.
    public let shifts: [Double]
    /// Z_0, nil for a draw from π.
    public let start: Int?
    /// `.markov` in every instance file; the other modes are made only by negative controls.
    public let sampling: MarkovShiftOracle<Quadratic>.Sampling

    public init(chain: FiniteMarkovChain, shifts: [Double], start: Int?, sampling: MarkovShiftOracle<Quadratic>.Sampling = .markov) {
        self.chain = chain; self.shifts = shifts; self.start = start; self.sampling = sampling
    }

    public var description: String {
        let s = start.map { "Z₀ = \($0)" } ?? "Z₀ ~ π"
        switch sampling {
        case .markov: return "\(chain), \(s)"
        case .independent: return "i.i.d. states from π (same marginal as the \(chain))"
        case .frozen: return "\(chain) never advanced (state frozen at Z₀)"
        }
    }

    /// The same part with another sampling mode (negative controls).
    public func sampled(_ mode: MarkovShiftOracle<Quadratic>.Sampling) -> MarkovNoisePart {
        MarkovNoisePart(chain: chain, shifts: shifts, start: start, sampling: mode)
    }

    /// The same shifts' pattern on another chain with the same number of states.
    public func on(_ other: FiniteMarkovChain) -> MarkovNoisePart {
        MarkovNoisePart(chain: other, shifts: shifts, start: start, sampling: sampling)
    }

    /// The law of Z_0.
    public var initialLaw: [Double] {
        guard let z = start else { return chain.stationary }
        return (0..<chain.states).map { $0 == z ? 1 : 0 }
    }

    public var dimension: Int { shifts.count / chain.states }

    public func makeOracle<P: Objective>(for problem: P) -> any GradientOracle {
        MarkovShiftOracle(problem, chain: chain, shifts: shifts, start: start, sampling: sampling)
    }

    /// σ² = E_π‖b_Z‖² (the variance of one sample under the stationary law).
    public func variance(of problem: any Objective) -> Double? {
        let d = dimension
        return (0..<chain.states).reduce(0) { acc, s in
            acc + chain.stationary[s] * (0..<d).reduce(0) { $0 + shifts[s * d + $1] * shifts[s * d + $1] }
        }
    }

    public func reportedConstants(of instance: Instance) -> [String: Double] {
        var out = ["sigma^2": variance(of: instance.problem) ?? .nan, "lambda*": chain.lambdaStar,
                   "t*": chain.integratedTime, "tau": Double(chain.tau), "states": Double(chain.states)]
        out["Z0"] = start.map(Double.init)
        return out
    }

    public static let schema = PartSchema(
        key: "markov", kind: kind,
        documentation: """
        `markov: {kind: two-state, flip: q}` (P = [[1−q, q], [q, 1−q]], 0 < q < 1), `{kind: lazy-cycle, states: K}` \
        (K ≥ 3; P = ½I + ¼(shift + shift⁻¹)) or `{kind: matrix, transition: [[…], …]}` (rows probability vectors; \
        irreducible, aperiodic and reversible, else rejected). Shifts: `shift: s > 0` (two-state: b = ±s·1/√d; \
        lazy-cycle: b_j = s√2·cos(2πj/K)·1/√d, so σ² = s²) or `shifts: [[…], …]` (one row of d numbers per state, \
        required for `matrix`; Σ_s π_s b_s = 0 within 1e-12, else rejected). `start: stationary` (default; Z₀ ~ π) \
        or a state index. The oracle is g = ∇f(x) + b_{Z_k}, the chain advanced after each sample from the run's \
        stream. Exact π and λ_* (closed forms; GSL for a matrix), t_* and τ (docs/derivations/markov-mlmc.md §1).
        """,
        space: { part in (part as? MarkovNoisePart).map(MarkovSpace.space) }
    ) { f, problem, _ in
        guard var m = try f.sub("markov") else { throw f.error("markov", "expected a mapping {kind: …}") }
        let chain = try readChain(&m)
        let d = problem.dimension
        let shifts = try readShifts(&m, chain, d)
        var start: Int?
        if let n = m.node("start"), n.scalar?.string != "stationary" {
            guard let s = n.scalar?.string, let z = Int(s), z >= 0, z < chain.states else {
                throw m.error("start", "must be 'stationary' or a state index in 0…\(chain.states - 1), got \(Fields.show(n))")
            }
            start = z
        }
        try m.rejectUnknown()
        return MarkovNoisePart(chain: chain, shifts: shifts, start: start)
    }

    static func readChain(_ m: inout Fields) throws -> FiniteMarkovChain {
        let kind = try m.requiredString("kind")
        switch kind {
        case "two-state":
            guard let q = try m.double("flip", where: { $0 > 0 && $0 < 1 }, "in (0, 1)") else { throw m.error("flip", "missing (required for two-state)") }
            return .twoState(flip: q)
        case "lazy-cycle":
            guard let k = try m.positiveInt("states") else { throw m.error("states", "missing (required for lazy-cycle)") }
            guard k >= 3 && k <= 4096 else { throw m.error("states", "\(k) is invalid: must be in 3…4096") }
            return .lazyCycle(states: k)
        case "matrix":
            guard let rows = try rows(&m, "transition") else { throw m.error("transition", "missing (required for matrix)") }
            guard rows.count <= 256 else { throw m.error("transition", "\(rows.count) states: at most 256") }
            guard rows.allSatisfy({ $0.count == rows.count }) else { throw m.error("transition", "must be square (\(rows.count) rows)") }
            do { return try FiniteMarkovChain(transition: rows.flatMap { $0 }, states: rows.count) }
            catch let e as FiniteMarkovChain.Invalid { throw m.error("transition", e.description) }
        default:
            throw m.error("kind", "unknown chain '\(kind)' (known: two-state, lazy-cycle, matrix)")
        }
    }

    static func readShifts(_ m: inout Fields, _ chain: FiniteMarkovChain, _ d: Int) throws -> [Double] {
        let S = chain.states
        if let given = try rows(&m, "shifts") {
            guard !m.has("shift") else { throw m.error("shift", "give shift or shifts, not both") }
            guard given.count == S else { throw m.error("shifts", "has \(given.count) rows, the chain has \(S) states") }
            if let i = given.firstIndex(where: { $0.count != d }) { throw m.error("shifts[\(i)]", "has \(given[i].count) entries, dimension is \(d)") }
            let b = given.flatMap { $0 }
            let scale = b.reduce(0) { max($0, abs($1)) }
            for i in 0..<d {
                let mean = (0..<S).reduce(0) { $0 + chain.stationary[$1] * b[$1 * d + i] }
                guard abs(mean) <= 1e-12 * max(scale, 1e-300) else {
                    throw m.error("shifts", "Σ_s π_s b_s = \(mean) in coordinate \(i), must be 0 (a zero-mean shift under the stationary law)")
                }
            }
            return b
        }
        guard let s = try m.double("shift", where: { $0 > 0 }, "positive") else { throw m.error("shift", "missing: give shift (two-state, lazy-cycle) or shifts") }
        let u = s / Double(d).squareRoot()
        switch chain.kind {
        case .twoState: return [Double](repeating: u, count: d) + [Double](repeating: -u, count: d)
        case .lazyCycle(let k): return (0..<k).flatMap { j in [Double](repeating: u * 2.squareRoot() * cos(2 * Double.pi * Double(j) / Double(k)), count: d) }
        case .matrix: throw m.error("shift", "a matrix chain needs explicit shifts: [[…], …]")
        }
    }

    /// A list of lists of finite numbers.
    static func rows(_ m: inout Fields, _ key: String) throws -> [[Double]]? {
        guard let n = m.node(key) else { return nil }
        guard let seq = n.sequence, !seq.isEmpty else { throw m.error(key, "expected a list of rows [[…], …], got \(Fields.show(n))") }
        return try seq.enumerated().map { i, row in
            guard let items = row.sequence else { throw m.error("\(key)[\(i)]", "expected a list of numbers, got \(Fields.show(row))") }
            return try items.enumerated().map { j, item in
                guard let s = item.scalar?.string, let v = Double(s), v.isFinite else {
                    throw m.error("\(key)[\(i)][\(j)]", "expected a finite number, got \(Fields.show(item))")
                }
                return v
            }
        }
    }
}

extension Instance {
    /// The instance's Markov noise, if any.
    public var markovNoise: MarkovNoisePart? { part(MarkovNoisePart.self) }
}
