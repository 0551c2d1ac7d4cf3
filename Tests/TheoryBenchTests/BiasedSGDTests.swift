import Foundation
import Testing
import TheoryBench

/// The biased-SGD family and the compressors of `TheoryBenchCore/Compressors`: Top-k selection against
/// a sort (including the sampled pre-filter path and ties), Rand-k keeps exactly k, the exact
/// expectations of Rand-k, Bernoulli and natural compression (enumerated or closed form), the
/// declared constants at their extremal points, the composition rule, the clipping finding, the
/// `compressor` part's validation (one test per kind of bad input), and determinism of the sampler.
@Suite("Biased SGD and compressors")
struct BiasedSGDTests {
    static func gaussian(_ d: Int, seed: UInt64) -> [Double] {
        var r = RandomStream(seed: seed)
        return (0..<d).map { _ in r.gaussian() }
    }

    @Test("Top-k keeps exactly the k largest magnitudes (sort reference), on both selection paths and with ties", arguments: [(20, 5), (1000, 7), (40_000, 400), (40_000, 2_600)])
    func topKAgainstSort(_ d: Int, _ k: Int) {
        var x = Self.gaussian(d, seed: UInt64(d + k))
        for i in stride(from: 0, to: d, by: 3) { x[i] = x[i].rounded() }   // many exact ties
        var rng = RandomStream(seed: 1)
        let out = TopK(k: k).compressed(x, rng: &rng)
        let t = x.map(abs).sorted(by: >)[k - 1]
        #expect(out.filter { $0 != 0 }.count == k)
        #expect(zip(x, out).allSatisfy { $1 == 0 || $1 == $0 })
        #expect(zip(x, out).allSatisfy { abs($0.0) <= t || $0.1 == $0.0 })       // everything above t kept
        #expect(zip(x, out).allSatisfy { $0.1 == 0 || abs($0.0) >= t })          // nothing below t kept
    }

    @Test("Rand-k keeps exactly k distinct coordinates, each with probability k/d (chi-square over 40 000 draws)")
    func randKUniform() {
        let d = 10, k = 3, n = 40_000
        var counts = [Double](repeating: 0, count: d), rng = RandomStream(seed: 3)
        let x = [Double](repeating: 1, count: d)
        for _ in 0..<n {
            let out = RandK(k: k, scaled: true).compressed(x, rng: &rng)
            #expect(out.filter { $0 != 0 }.count == k && out.allSatisfy { $0 == 0 || $0 == Double(d) / Double(k) })
            for i in 0..<d where out[i] != 0 { counts[i] += 1 }
        }
        let e = Double(n * k) / Double(d)
        let chi2 = counts.reduce(0) { $0 + ($1 - e) * ($1 - e) / e }
        #expect(chi2 < 27.9)   // χ²₉ 99.9 % quantile
    }

    @Test("natural compression: E𝒞(t) = t and E𝒞(t)² = t² + (|t| − 2^e)(2^{e+1} − |t|) ≤ (9/8)t², attained at 4/3·2^e")
    func naturalMoments() {
        for t in [0.3, 1.0, 1.2, 4.0 / 3.0, 1.5, 1.99, -5.5] {
            let a = abs(t), lo = PowerOfTwo.floor(a), p = (a - lo) / lo
            let mean = (1 - p) * lo + p * 2 * lo, second = (1 - p) * lo * lo + p * 4 * lo * lo
            #expect(abs(mean - a) < 1e-15 * a)
            #expect(abs(second - (a * a + (a - lo) * (2 * lo - a))) < 1e-14 * a * a)
            #expect(second <= 9.0 / 8.0 * a * a * (1 + 1e-15))
        }
        let s = 4.0 / 3.0
        #expect(abs((3 * s - 2) / (s * s) - 9.0 / 8.0) < 1e-15)
    }

    @Test("deterministic compressors meet their declared constants at their extremal points and never exceed them on random points")
    func deterministicConstants() {
        let d = 12
        let zoo: [any Compressor] = [TopK(k: 4), ScaledSign(), PowerOfTwoRounding(), Clipping(lambda: 1, radius: 5), Shift(norm: 0.7)]
        var rng = RandomStream(seed: 9)
        for c in zoo {
            let k = c.constants(dimension: d)
            for trial in 0..<400 {
                var x = Self.gaussian(d, seed: UInt64(trial)).map { $0 * pow(10, Double(trial % 5) - 2) }
                if Vec.norm(x) > k.radius { Vec.scale(k.radius / Vec.norm(x), &x) }
                let y = c.compressed(x, rng: &rng), n2 = Vec.normSquared(x)
                #expect(Vec.dot(x, y) >= k.b * n2 - k.c - 1e-12 * n2, "\(c) alignment")
                #expect(Vec.normSquared(y) <= k.B * n2 + k.C + 1e-12 * n2, "\(c) second moment")
            }
            for q in ABCInequality.allCases {
                var x = [Double](repeating: 0, count: d)
                x.withUnsafeMutableBufferPointer { c.extremalPoint(q, into: $0, rng: &rng) }
                let y = c.compressed(x, rng: &rng), n2 = Vec.normSquared(x)
                let ratio = q == .alignment ? (n2 - Vec.dot(x, y)) / ((1 - k.b) * n2 + k.c) : Vec.normSquared(y) / (k.B * n2 + k.C)
                #expect(ratio > 0.99 && ratio <= 1 + 1e-12, "\(c) \(q): ratio \(ratio)")
            }
        }
    }

    @Test("Rand-k and Bernoulli: the exact expectations equal the declared identities (enumeration over masks)")
    func exactForms() {
        let d = 6, x = Self.gaussian(d, seed: 5), n2 = Vec.normSquared(x)
        // Bernoulli with unequal p: E⟨x, 𝒞x⟩ = Σpᵢxᵢ² ∈ [p_min, p_max]‖x‖², enumerating all 2^d masks.
        let p = [0.2, 0.6, 0.3, 0.9, 0.5, 0.4]
        var align = 0.0, second = 0.0
        for mask in 0..<(1 << d) {
            var w = 1.0, y = [Double](repeating: 0, count: d)
            for i in 0..<d { if mask >> i & 1 == 1 { w *= p[i]; y[i] = x[i] } else { w *= 1 - p[i] } }
            align += w * Vec.dot(x, y); second += w * Vec.normSquared(y)
        }
        let k = Bernoulli(probabilities: p, scaled: false).constants(dimension: d)
        #expect(align >= k.b * n2 && second <= k.B * n2 && !k.alignmentExact)
        #expect(abs(align - zip(p, x).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }) < 1e-12)
        let r = RandK(k: 2, scaled: true).constants(dimension: d)
        #expect(r.unbiased && r.alignmentExact && r.secondMomentExact && r.B == 3)
    }

    @Test("composition: alignment of the inner, second moment × ω of the outer; refused for a biased outer")
    func compositionRule() {
        let d = 20
        let k = Composition(TopK(k: 5), then: NaturalCompression()).constants(dimension: d)
        #expect(k.b == 0.25 && k.B == 9.0 / 8.0 && !k.secondMomentExact)
        #expect(Composition.constants(inner: TopK(k: 5).constants(dimension: d), outer: TopK(k: 5).constants(dimension: d)) == nil)
    }

    @Test("finding: clipping has no Biased-ABC constants on all of ℝ^d (λ‖v‖ < b‖v‖² − c for large ‖v‖); declared on ‖v‖ ≤ G it holds")
    func clippingFinding() {
        let lambda = 1.0, b = 0.5, c = lambda * lambda / (4 * b)    // the (b, c = λ²/(4b)) pair one might guess
        let t = 10.0                                                  // ‖v‖ = 10
        #expect(min(t * t, lambda * t) < b * t * t - c)               // the guess fails
        let k = Clipping(lambda: lambda, radius: t).constants(dimension: 3)
        #expect(k.b == 0.1 && k.radius == t && min(t * t, lambda * t) >= k.b * t * t)
    }

    @Test("a control's mis-declaration shrinks every right-hand side by the factor")
    func misdeclared() {
        let k = Shift(norm: 1).constants(dimension: 4), m = k.misdeclared(by: 0.9)
        #expect(m.B == 1.8 && abs(m.C - 1.8) < 1e-15 && abs(m.c - 0.45) < 1e-15 && abs((1 - m.b) - 0.45) < 1e-15)
        let r = RandK(k: 1, scaled: false).constants(dimension: 4).misdeclared(by: 0.9)
        #expect(abs(r.b - 0.225) < 1e-15)
    }

    @Test("the frozen-stream oracle repeats one mask; the correct one does not")
    func frozenStream() throws {
        let inst = try Self.parse(Self.base())
        let bug = inst.replacing(CompressorPart(RandK(k: 2, scaled: false), frozenStream: true), id: "bug")
        func masks(_ i: Instance) -> Set<[Bool]> {
            var o = i.makeOracle(), rng = RandomStream(seed: 4)
            return Set((0..<20).map { _ in sample(&o, i.start, &rng).map { $0 != 0 } })
        }
        #expect(masks(bug).count == 1)
        #expect(masks(inst.replacing(CompressorPart(RandK(k: 2, scaled: false)), id: "ok")).count > 5)
    }

    func sample(_ o: inout any GradientOracle, _ x: [Double], _ rng: inout RandomStream) -> [Double] {
        var g = x
        o.sample(at: x, into: &g, rng: &rng)
        return g
    }

    // MARK: the `compressor` part

    static func base(_ compressor: String = "compressor: { kind: rand-k, k: 2 }") -> String {
        """
        family: quadratic
        dimension: 4
        spectrum: { min: 1.0, max: 4.0 }
        start: { distance: 1.0 }
        \(compressor)
        budget: { iterations: 10, runs: 2 }
        seed: 3
        """
    }

    static func parse(_ text: String) throws -> Instance { try InstanceFile.parse(text, file: "/tmp/problems/zoo.yaml") }

    static func error(_ text: String) -> CatalogError? {
        TestCatalog.parseError(text, file: "/tmp/problems/zoo.yaml")
    }

    @Test("good files parse, report their constants and pair only with claims that understand the compressor")
    func goodFile() throws {
        let inst = try Self.parse(Self.base("compressor: { kind: top-k, k: 2, then: { kind: natural } }"))
        #expect(inst.reportedConstants["ABC b"] == 0.5 && inst.reportedConstants["ABC B"] == 9.0 / 8.0)
        #expect(BiasedSGD.plRate.pairs(with: inst))
        for c in registry.claims where !c.understands.contains("compressor") { #expect(!c.pairs(with: inst), "\(c.id)") }
        let b = try Self.parse(Self.base("compressor: { kind: bernoulli, p: [0.1, 0.2, 0.3, 1], scaled: true }"))
        #expect(b.reportedConstants["ABC B"] == 10)
    }

    /// (compressor line, key, words in the reason)
    static let bad: [(String, String, String)] = [
        ("compressor: top-k", "compressor", "expected a mapping"),
        ("compressor: { k: 2 }", "compressor.kind", "missing"),
        ("compressor: { kind: quantum }", "compressor.kind", "unknown compressor"),
        ("compressor: { kind: top-k }", "compressor.k", "missing"),
        ("compressor: { kind: top-k, k: 9 }", "compressor.k", "exceeds the dimension"),
        ("compressor: { kind: rand-k, k: 0 }", "compressor.k", "positive"),
        ("compressor: { kind: rand-k, k: 2, scaled: maybe }", "compressor.scaled", "true or false"),
        ("compressor: { kind: bernoulli, p: 1.5 }", "compressor.p", "not in (0, 1]"),
        ("compressor: { kind: bernoulli, p: [0.5, 0.5] }", "compressor.p", "has 2 entries"),
        ("compressor: { kind: bernoulli }", "compressor.p", "missing"),
        ("compressor: { kind: clip, lambda: 1 }", "compressor.radius", "missing"),
        ("compressor: { kind: clip, lambda: -1, radius: 2 }", "compressor.lambda", "positive"),
        ("compressor: { kind: rotation, degrees: 270 }", "compressor.degrees", "in [0, 180]"),
        ("compressor: { kind: top-k, k: 2, then: { kind: top-k, k: 1 } }", "compressor.then", "not unbiased"),
        ("compressor: { kind: natural, then: { kind: natural, extra: 1 } }", "compressor.then.extra", "unknown key"),
        ("compressor: { kind: natural }\nnoise: { law: gaussian }", "compressor", "give only one"),
    ]

    @Test("every kind of bad compressor is rejected naming file, key and reason", arguments: 0..<16)
    func badInput(_ i: Int) throws {
        let (line, key, words) = Self.bad[i]
        let e = try #require(Self.error(Self.base(line)), "case \(i) was accepted")
        #expect(e.file == "/tmp/problems/zoo.yaml" && e.key == key && e.reason.contains(words), "case \(i): \(e)")
    }

    @Test("the sample points of the assumption check depend on the instance seed only, never on the run")
    func samplerDeterminism() {
        let a = ABCSampler(NaturalCompression(), .secondMoment, dimension: 5, count: 12, seed: 7)
        let b = ABCSampler(NaturalCompression(), .secondMoment, dimension: 5, count: 12, seed: 7)
        let c = ABCSampler(NaturalCompression(), .secondMoment, dimension: 5, count: 12, seed: 8)
        #expect(a.points == b.points && a.points != c.points && a.points.count == 13)
    }
}

/// The engine change this family needed: a constant sample (a deterministic method run many times) has
/// that constant as its exact mean, with a zero-width interval; any spread still gives a positive width.
@Suite("Statistics: constant samples")
struct ConstantSampleTests {
    @Test("the mean of n copies of v is v exactly; one differing value gives a positive width")
    func constantMean() {
        let v = 0.1 + 0.2   // not exactly representable sums: n·v/n would round
        let e = Statistics.mean([Double](repeating: v, count: 4000), confidence: 0.99)
        #expect(e.value == v && e.lower == v && e.upper == v)
        var xs = [Double](repeating: v, count: 4000); xs[17] = v.nextUp
        let f = Statistics.mean(xs, confidence: 0.99)
        #expect(f.upper > f.lower)
    }
}
