/// Top-k: keeps the k largest magnitudes, zeroes the rest (deterministic; ties in index order).
/// Biased-ABC: ⟨v, Top_k(v)⟩ = ‖Top_k(v)‖² ≥ (k/d)‖v‖² (the k largest squares hold at least their
/// share k/d of the total) and ‖Top_k(v)‖² ≤ ‖v‖²: b = k/d, B = 1, A = C = c = 0; b is attained at
/// equal magnitudes, B at k-sparse v (docs/derivations/biased-sgd.md §2.1).
public struct TopK: Compressor, Equatable {
    public let k: Int
    public init(k: Int) { precondition(k >= 1, "k ≥ 1"); self.k = k }
    public var description: String { "Top-\(k)" }
    public func workspaceCount(dimension d: Int) -> Int { d }

    @inlinable
    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        TopKSelection.keepLargest(x, k: min(k, x.count), into: out, workspace: workspace)
    }

    public func constants(dimension d: Int) -> BiasedABC {
        BiasedABC(B: 1, b: Double(min(k, d)) / Double(d), source: "derived: ‖Top_k v‖² ≥ (k/d)‖v‖², ≤ ‖v‖² (§2.1)")
    }

    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        Extremal.signs(x, count: q == .alignment ? x.count : k, rng: &rng)
    }
}

/// Rand-k: keeps a uniformly random k-subset of the coordinates (selection sampling, exactly k
/// distinct), scaled by d/k (unbiased) or not (biased, E𝒞(v) = (k/d)v).
/// Biased-ABC, exact forms: unscaled E⟨v, 𝒞(v)⟩ = (k/d)‖v‖², E‖𝒞(v)‖² = (k/d)‖v‖² (b = B = k/d);
/// scaled E𝒞(v) = v, E‖𝒞(v)‖² = (d/k)‖v‖² (b = 1, B = d/k) (docs/derivations/biased-sgd.md §2.2).
public struct RandK: Compressor, Equatable {
    public let k: Int
    public let scaled: Bool
    public init(k: Int, scaled: Bool) { precondition(k >= 1, "k ≥ 1"); self.k = k; self.scaled = scaled }
    public var description: String { "Rand-\(k) (\(scaled ? "scaled by d/k, unbiased" : "unscaled, biased"))" }
    public var isRandomized: Bool { true }

    @inlinable
    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        let d = x.count, kk = min(k, d)
        let s = scaled ? Double(d) / Double(kk) : 1
        var need = kk
        // Knuth's selection sampling: coordinate i is taken with probability need/(d − i).
        for i in 0..<d {
            if need > 0 && rng.index(below: d - i) < need { out[i] = s * x[i]; need -= 1 } else { out[i] = 0 }
        }
    }

    public func constants(dimension d: Int) -> BiasedABC {
        let q = Double(min(k, d)) / Double(d)
        return scaled
            ? BiasedABC(B: 1 / q, b: 1, alignmentExact: true, secondMomentExact: true, unbiased: true,
                        source: "derived: P(i kept) = k/d, scale d/k (§2.2)")
            : BiasedABC(B: q, b: q, alignmentExact: true, secondMomentExact: true,
                        source: "derived: P(i kept) = k/d (§2.2)")
    }

    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        Extremal.signs(x, count: x.count, rng: &rng)
    }
}

/// Independent (Bernoulli) sparsification: coordinate i kept with probability pᵢ, independently,
/// unscaled (biased, E𝒞(v) = diag(p)v) or scaled by 1/pᵢ (unbiased).
/// Biased-ABC: unscaled E⟨v, 𝒞(v)⟩ = Σpᵢvᵢ² ≥ p_min‖v‖², E‖𝒞(v)‖² = Σpᵢvᵢ² ≤ p_max‖v‖² (b = p_min,
/// B = p_max; exact when all pᵢ are equal); scaled b = 1 (exact), E‖𝒞(v)‖² = Σvᵢ²/pᵢ ≤ ‖v‖²/p_min
/// (docs/derivations/biased-sgd.md §2.3).
public struct Bernoulli: Compressor, Equatable {
    public let probabilities: [Double]
    public let scaled: Bool
    public init(probabilities: [Double], scaled: Bool) {
        precondition(probabilities.allSatisfy { $0 > 0 && $0 <= 1 }, "probabilities in (0, 1]")
        self.probabilities = probabilities; self.scaled = scaled
    }
    public var description: String {
        "Bernoulli sparsification, p ∈ [\(pMin), \(pMax)] (\(scaled ? "scaled by 1/pᵢ, unbiased" : "unscaled, biased"))"
    }
    public var isRandomized: Bool { true }
    var pMin: Double { probabilities.min()! }
    var pMax: Double { probabilities.max()! }
    var uniform: Bool { pMin == pMax }

    @inlinable
    public func compress(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                         workspace: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        probabilities.withUnsafeBufferPointer { p in
            for i in 0..<x.count {
                out[i] = rng.uniform() < p[i] ? (scaled ? x[i] / p[i] : x[i]) : 0
            }
        }
    }

    public func constants(dimension d: Int) -> BiasedABC {
        precondition(probabilities.count == d, "one probability per coordinate")
        return scaled
            ? BiasedABC(B: 1 / pMin, b: 1, alignmentExact: true, secondMomentExact: uniform, unbiased: true,
                        source: "derived: E‖𝒞v‖² = Σvᵢ²/pᵢ (§2.3)")
            : BiasedABC(B: pMax, b: pMin, alignmentExact: uniform, secondMomentExact: uniform,
                        source: "derived: E⟨v, 𝒞v⟩ = E‖𝒞v‖² = Σpᵢvᵢ² (§2.3)")
    }

    /// Magnitude 1 (random signs) on the coordinates with the extreme probability that attains the
    /// constant — p_min for the alignment (unscaled) and for the scaled second moment, p_max for the
    /// unscaled second moment — and 1/4 elsewhere: a few per cent inside the constant when the pᵢ
    /// differ (a Monte-Carlo mean cannot resolve an expectation exactly at the bound).
    public func extremalPoint(_ q: ABCInequality, into x: UnsafeMutableBufferPointer<Double>, rng: inout RandomStream) {
        let target = (q == .secondMoment && !scaled) ? pMax : pMin
        for i in x.indices { x[i] = Extremal.randomSign(&rng) * (probabilities[i] == target ? 1 : 0.25) }
    }
}
