import Foundation
import Testing
import TheoryBench

/// Unit tests of the clipped AdaGrad/Adam-Norm methods (arXiv 2406.04443) and the Lomax noise.
@Suite("ClippedAdaGrad")
struct ClippedAdaGradTests {
    /// A scripted oracle on f = x²/2 in 1-D: g_k = x_k + ξ_k with ξ_k from a fixed list.
    struct Scripted: GradientOracle {
        let problem = Quadratic(spectrum: [1], rotationSeed: nil, xStar: [0])
        let noise: [Double]
        var k = 0
        mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
            g[0] = x[0] + noise[k]; k += 1
        }
    }

    static func run(_ rule: NormAdaptiveRule, _ noise: [Double], x0: Double = 2) -> [Double] {
        var m = NormAdaptive(oracle: Scripted(noise: noise), rule: rule, start: [x0])
        var rng = RandomStream(seed: 1)
        var xs = [x0]
        for k in 0..<noise.count { m.step(k, rng: &rng); xs.append(m.x[0]) }
        return xs
    }

    @Test("hand-computed trajectories of the four AdaGrad-Norm variants")
    func handComputed() {
        // x0 = 2, ξ = (2, −10), γ = 0.5, b0 = 3, λ = 0.5.
        // AdaGradD: g0 = 4, x1 = 2 − 0.5·4/3 = 4/3, b1² = 9 + 16 = 25; g1 = 4/3 − 10 = −26/3,
        //           x2 = 4/3 + 0.5·(26/3)/5 = 4/3 + 13/15 = 33/15.
        let d = Self.run(.adaGradNorm(delayed: true, clip: nil, gamma: 0.5, b0: 3), [2, -10])
        #expect(abs(d[1] - 4.0 / 3) < 1e-14 && abs(d[2] - 33.0 / 15) < 1e-14)
        // AdaGrad: b1² = 9 + 16 = 25, x1 = 2 − 0.5·4/5 = 1.6; g1 = −8.4, b2² = 25 + 70.56 = 95.56,
        //          x2 = 1.6 + 0.5·8.4/√95.56.
        let a = Self.run(.adaGradNorm(delayed: false, clip: nil, gamma: 0.5, b0: 3), [2, -10])
        #expect(abs(a[1] - 1.6) < 1e-14 && abs(a[2] - (1.6 + 4.2 / 95.56.squareRoot())) < 1e-14)
        // Clip-AdaGradD: ĝ0 = 0.5, x1 = 2 − 0.25/3, b1² = 9.25; ĝ1 = −0.5, x2 = x1 + 0.25/√9.25.
        let c = Self.run(.adaGradNorm(delayed: true, clip: 0.5, gamma: 0.5, b0: 3), [2, -10])
        let x1 = 2 - 0.25 / 3
        #expect(abs(c[1] - x1) < 1e-14 && abs(c[2] - (x1 + 0.25 / 9.25.squareRoot())) < 1e-14)
        // Clip-RAdaGradD (w = γ² = 0.25): x1 = x1 above, b1² = 9 + 0.25·0.25 = 9.0625.
        let r = Self.run(.clipRAdaGradD(gamma: 0.5, b0: 3, clip: 0.5), [2, -10])
        #expect(abs(r[1] - x1) < 1e-14 && abs(r[2] - (x1 + 0.25 / 9.0625.squareRoot())) < 1e-14)
    }

    @Test("reweighting by w = γ² equals step 1 with b₀/γ (docs/derivations/clip-adagrad.md §1)")
    func reweightedEqualsRescaled() {
        var rng = RandomStream(seed: 7)
        let noise = (0..<500).map { _ in ScalarLaw.symmetricLomax(tail: 1.5).sample(&rng) }
        for (gamma, b0) in [(0.5, 3.0), (0.1, 1.0), (2.0, 0.7)] {
            let r = Self.run(.clipRAdaGradD(gamma: gamma, b0: b0, clip: 0.5), noise)
            let s = Self.run(.adaGradNorm(delayed: true, clip: 0.5, gamma: 1, b0: b0 / gamma), noise)
            for k in r.indices { #expect(abs(r[k] - s[k]) <= 1e-12 * max(1, abs(r[k]))) }
        }
    }

    @Test("clipping: ‖clip(g, λ)‖ = min(‖g‖, λ), direction kept")
    func clipping() {
        var rng = RandomStream(seed: 3)
        for _ in 0..<1000 {
            var g = (0..<5).map { _ in 10 * ScalarLaw.symmetricLomax(tail: 1.5).sample(&rng) }
            let before = g, n = Vec.norm(g), lam = 0.1 + rng.uniform()
            clipInPlace(&g, level: lam)
            #expect(abs(Vec.norm(g) - min(n, lam)) <= 1e-12 * max(1, n))
            #expect(Vec.dot(g, before) >= 0)
        }
        // Inside the method the accumulator sees the clipped norm: b² grows by at most w·λ² per step.
        var m = NormAdaptive(oracle: Scripted(noise: [1e6, -1e6, 3e5]), rule: .adaGradNorm(delayed: true, clip: 0.5, gamma: 0.5, b0: 3), start: [2])
        for k in 0..<3 { m.step(k, rng: &rng) }
        #expect(abs(m.b2 - (9 + 3 * 0.25)) < 1e-12 && m.clippedCount == 3)
    }

    @Test("Adam-Norm (derived form): first steps by hand")
    func adamNorm() {
        // β1 = 0.9, β2 = 0.99, γ = 0.5, b0 = 3, no clipping, x0 = 2, ξ = (0, 0): g0 = 2.
        // Non-delayed: m0 = 0.2, b0² ← 0.99·9 + 0.01·4 = 8.95, x1 = 2 − 0.5·0.2/√8.95.
        let a = Self.run(.adamNorm(delayed: false, clip: nil, gamma: 0.5, b0: 3, beta1: 0.9, beta2: 0.99), [0])
        #expect(abs(a[1] - (2 - 0.1 / 8.95.squareRoot())) < 1e-14)
        // Delayed: x1 = 2 − 0.5·0.2/3.
        let d = Self.run(.adamNorm(delayed: true, clip: nil, gamma: 0.5, b0: 3, beta1: 0.9, beta2: 0.99), [0])
        #expect(abs(d[1] - (2 - 0.1 / 3)) < 1e-14)
    }

    @Test("symmetric Lomax(1.5): tail P(|ξ| > t) = (1+t)^−1.5 and E|ξ|^a = Γ(a+1)Γ(1.5−a)/Γ(1.5)")
    func lomaxLaw() {
        let law = ScalarLaw.symmetricLomax(tail: 1.5)
        #expect(abs(law.absoluteMoment(0.5) - 1) < 1e-12)
        #expect(abs(law.absoluteMoment(1) - 2) < 1e-12)
        var rng = RandomStream(seed: 11)
        let n = 400_000
        var s05 = 0.0, s05sq = 0.0, beyond = [0, 0, 0], pos = 0
        let ts = [1.0, 10.0, 100.0]
        for _ in 0..<n {
            let x = law.sample(&rng)
            let a = abs(x).squareRoot()
            s05 += a; s05sq += a * a
            for j in 0..<3 where abs(x) > ts[j] { beyond[j] += 1 }
            if x > 0 { pos += 1 }
        }
        // E|ξ|^0.5 = 1 with finite variance E|ξ| − 1 = 1: a 5-sigma Monte Carlo check.
        let mean = s05 / Double(n), se = ((s05sq / Double(n) - mean * mean) / Double(n)).squareRoot()
        #expect(abs(mean - 1) < 5 * se)
        for j in 0..<3 {
            let p = pow(1 + ts[j], -1.5), sd = (p * (1 - p) / Double(n)).squareRoot()
            #expect(abs(Double(beyond[j]) / Double(n) - p) < 5 * sd, "tail at \(ts[j])")
        }
        #expect(abs(Double(pos) / Double(n) - 0.5) < 5 * 0.5 / Double(n).squareRoot())
    }

    @Test("confidence-growth check: polylog data pass, polynomial data fail (and vice versa)")
    func growthCheck() {
        // Q(δ) of |Lomax(α)| is (δ^{−1/α} − 1): polynomial with elasticity → 1/α;
        // of an exponential it is ln(1/δ): polylog of degree 1.
        var rng = RandomStream(seed: 5)
        let n = 20_000
        let poly = (0..<n).map { _ in pow(rng.uniformPositive(), -1 / 0.8) }       // elasticity 1.25
        let logd = (0..<n).map { _ in -log(rng.uniformPositive()) }                  // ln(1/δ)
        let traces = { (xs: [Double]) in xs.map { Trace(values: [0, $0]) } }
        let cps = Checkpoints([0, 1])
        func verdict(_ law: ConfidenceGrowth<Void>.Law, _ xs: [Double]) -> Outcome {
            let g = ConfidenceGrowth<Void>(law, deltas: [0.1, 0.03, 0.01, 0.003], quantity: "x", provenance: .orderOnly("test"))
            return Judge.verdict(Check<Void, Void>(.confidenceGrowth(g), on: .quantile(0.99)), context: (), parameters: (),
                                 resolution: 1e-12, checkpoints: cps, traces: traces(xs)).outcome
        }
        #expect(verdict(.polylogAtMost(degree: 1.2), logd) == .pass)
        #expect(verdict(.polylogAtMost(degree: 2), poly) == .fail)
        #expect(verdict(.polynomialAtLeast(exponent: .constant(0.6)), poly) == .pass)
        #expect(verdict(.polynomialAtLeast(exponent: .constant(0.6)), logd) == .fail)
        // too few runs for two δ levels
        #expect(verdict(.polylogAtMost(degree: 2), Array(logd.prefix(500))) == .fail)
    }

    @Test("confidence-growth check: hitting times censored at the horizon (+∞) count as Q > K, conservatively")
    func censoredGrowth() {
        // τ = 10·Exp(1), censored at K = 50: Q(0.1) ≈ 23, Q(0.003) ≈ 58 > K. Read as Q ≥ K the
        // ln-ln exponent is ≥ ln(50/23)/ln(ln 333/ln 10) ≈ 0.84 < 1.2, so degree 1.2 passes; as +∞
        // it would fail. For a polynomial law (τ = U^{−1.25}, K = 1000) censoring cannot refute growth.
        var rng = RandomStream(seed: 6)
        let n = 40_000, deltas = [0.1, 0.03, 0.01, 0.003]
        let tau = RunScalar("tau")
        func verdict(_ law: ConfidenceGrowth<Void>.Law, _ taus: [Double], horizon K: Int) -> Verdict {
            let traces = taus.map { t in Trace(values: [0, 0], scalars: [tau: t <= Double(K) ? t : .infinity]) }
            let g = ConfidenceGrowth<Void>(law, deltas: deltas, scalar: tau, quantity: "τ", provenance: .orderOnly("test"))
            return Judge.verdict(Check<Void, Void>(.confidenceGrowth(g), on: .quantile(0.99)), context: (), parameters: (),
                                 resolution: 1e-12, checkpoints: Checkpoints([0, K]), traces: traces)
        }
        let exp = (0..<n).map { _ in -10 * log(rng.uniformPositive()) }
        let poly = (0..<n).map { _ in pow(rng.uniformPositive(), -1.25) }
        let light = verdict(.polylogAtMost(degree: 1.2), exp, horizon: 50)
        #expect(light.outcome == .pass, "\(light.detail)")
        #expect(light.detail.contains("> K = 50"))
        let heavy = verdict(.polynomialAtLeast(exponent: .constant(0.6)), poly, horizon: 1000)
        #expect(heavy.outcome == .pass, "\(heavy.detail)")
        #expect(heavy.detail.contains("elasticity ≥ "))
    }
}

/// Prints every clip-adagrad pairing's verdict and control at oracle scale (or the scale in
/// THEORYBENCH_SCALE) when THEORYBENCH_PRINT_CLIP_ADAGRAD is set; a no-op otherwise.
@Suite("ClippedAdaGradReport")
struct ClippedAdaGradReport {
    @Test("print clip-adagrad verdicts (opt-in)")
    func printVerdicts() async throws {
        let env = ProcessInfo.processInfo.environment
        guard env["THEORYBENCH_PRINT_CLIP_ADAGRAD"] != nil else { return }
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("problems").path
        let catalog = try Catalog.load(directory: dir)
        let scale = Scale(rawValue: env["THEORYBENCH_SCALE"] ?? "oracle") ?? .oracle
        for (c, i) in try catalog.pairings(matching: env["THEORYBENCH_PRINT_CLIP_ADAGRAD"].flatMap { $0.isEmpty ? nil : $0 } ?? "^clip-adagrad") {
            let r = try await Runner(workers: 2, scale: scale).evaluate(c, on: i)
            print("== \(r.pairing) [\(r.runs) runs, \(String(format: "%.1f", r.seconds)) s]")
            print("   claim:   \(r.verdict.outcome.rawValue) — \(r.verdict.detail)")
            for c in r.controls {
                print("   control \(c.id): \(c.detected ? "detected" : c.applies ? "MISSED" : "n/a") (\(c.verdict.outcome.rawValue)) — \(c.verdict.detail)")
            }
        }
    }
}

/// The table sampler of U^{−1/α} against `pow`, and its law.
@Suite("PowerTailSampler")
struct PowerTailSamplerTests {
    @Test("the map (z, f) ↦ 2^{(z+1)/α}(1+f)^{−1/α} matches pow to 1e-14", arguments: [1.1, 1.5, 1.8, 2.0])
    func matchesPow(_ alpha: Double) {
        let s = PowerTailSampler(tail: alpha)
        var rng = RandomStream(seed: 17)
        var worst = 0.0
        for n in 0..<200_000 {
            let z = n % 90
            let m = n < 4096 ? UInt64(n) << 40 : rng.next() & 0x000F_FFFF_FFFF_FFFF   // interval edges too
            let u = (1 + Double(m) * 0x1.0p-52) * exp2(-Double(z + 1))
            let exact = pow(u, -1 / alpha)
            worst = max(worst, abs(s.magnitude(z: z, mantissaBits: m) / exact - 1))
        }
        #expect(worst < 1e-14, "worst relative error \(worst)")
    }

    @Test("draws follow P(|ξ| > t) = (1+t)^−α (Lomax) with balanced signs")
    func law() {
        let s = PowerTailSampler(tail: 1.5)
        var rng = RandomStream(seed: 23)
        let n = 1_000_000
        let ts = [0.1, 0.587, 1.0, 10.0, 100.0, 1000.0]
        var beyond = [Int](repeating: 0, count: ts.count), pos = 0
        for _ in 0..<n {
            let x = s.symmetricLomax(&rng)
            for j in ts.indices where abs(x) > ts[j] { beyond[j] += 1 }
            if x > 0 { pos += 1 }
        }
        for j in ts.indices {
            let p = pow(1 + ts[j], -1.5), sd = (p * (1 - p) / Double(n)).squareRoot()
            #expect(abs(Double(beyond[j]) / Double(n) - p) < 5 * sd, "P(|ξ| > \(ts[j]))")
        }
        #expect(abs(Double(pos) / Double(n) - 0.5) < 5 * 0.5 / Double(n).squareRoot())
    }

    @Test("a bulk fill is bitwise the scalar map of the lane words, then scalar draws for d mod 8", arguments: [5, 8, 21, 100])
    func lanesMatchScalar(_ d: Int) {
        let s = PowerTailSampler(tail: 1.5)
        var rng = RandomStream(seed: 31), ref = rng
        var y = [Double](repeating: 0.25, count: d)
        var long = 0
        for _ in 0..<4000 {
            for j in 0..<d { y[j] = 0.25 }
            y.withUnsafeMutableBufferPointer { s.add(scale: 0.5, shift: 1, to: $0, rng: &rng) }
            var expected = [Double](repeating: 0.25, count: d)
            for block in stride(from: 0, to: d - 7, by: 8) {
                let w = ref.nextLanes()
                for l in 0..<8 {
                    let e = (w[l] >> 52) & 0x7FF
                    var z = e == 0 ? 11 : e.leadingZeroBitCount - 53
                    if e == 0 {
                        long += 1
                        while true { let v = ref.next(); if v != 0 { z += v.leadingZeroBitCount; break }; z += 64 }
                    }
                    let m = s.magnitude(z: z, mantissaBits: w[l] & 0x000F_FFFF_FFFF_FFFF)
                    let v = Double(bitPattern: ((m - 1) * 0.5).bitPattern ^ (w[l] & 0x8000_0000_0000_0000))
                    expected[block + l] += v
                }
            }
            for j in (d - d % 8)..<d { expected[j] += 0.5 * s.symmetricLomax(&ref) }   // the tail: scalar draws
            #expect(y.map(\.bitPattern) == expected.map(\.bitPattern))
        }
        #expect(d < 8 || long > 0, "the long-exponent path was exercised")
        #expect(rng.next() == ref.next())
    }

    @Test("bulk-fill lanes each follow the Lomax tail and are pairwise independent")
    func lanesLaw() {
        let s = PowerTailSampler(tail: 1.5)
        var rng = RandomStream(seed: 37)
        let n = 100_000, t = 3.0, p = pow(1 + t, -1.5)
        var y = [Double](repeating: 0, count: 8)
        var beyond = [Int](repeating: 0, count: 8), joint = [Int](repeating: 0, count: 8), pos = 0
        for _ in 0..<n {
            for j in 0..<8 { y[j] = 0 }
            y.withUnsafeMutableBufferPointer { s.add(scale: 1, shift: 1, to: $0, rng: &rng) }
            for l in 0..<8 where abs(y[l]) > t {
                beyond[l] += 1
                if abs(y[(l + 1) % 8]) > t { joint[l] += 1 }
            }
            if y[0] > 0 { pos += 1 }
        }
        let sd = (p * (1 - p) / Double(n)).squareRoot(), sdJoint = (p * p * (1 - p * p) / Double(n)).squareRoot()
        for l in 0..<8 {
            #expect(abs(Double(beyond[l]) / Double(n) - p) < 5 * sd, "lane \(l)")
            #expect(abs(Double(joint[l]) / Double(n) - p * p) < 5 * sdJoint, "lanes \(l), \(l + 1)")
        }
        #expect(abs(Double(pos) / Double(n) - 0.5) < 5 * 0.5 / Double(n).squareRoot())
    }

    @Test("Noise uses it: per-coordinate and radial Lomax draws have the right tail")
    func noise() {
        let noise = Noise(law: .symmetricLomax(tail: 1.5), scale: 1, geometry: .perCoordinate, dimension: 4)
        var rng = RandomStream(seed: 29)
        var g = [Double](repeating: 0, count: 4), scratch = g
        var beyond = 0
        let n = 200_000
        for _ in 0..<n {
            for j in 0..<4 { g[j] = 0 }
            noise.add(to: &g, scratch: &scratch, rng: &rng)
            for j in 0..<4 where abs(g[j]) > 3 { beyond += 1 }
        }
        let p = pow(4.0, -1.5), sd = (p * (1 - p) / Double(4 * n)).squareRoot()
        #expect(abs(Double(beyond) / Double(4 * n) - p) < 5 * sd)
    }
}

@Suite("ScalarNormAdaptive")
struct ScalarNormAdaptiveTests {
    @Test("the 1-D fast path is bitwise identical to the vector method (and traces the same rows)", arguments: [0, 1, 2, 3, 4, 5])
    func bitwise(_ variant: Int) throws {
        let rules: [NormAdaptiveRule] = [
            .adaGradNorm(delayed: false, clip: nil, gamma: 0.5, b0: 3), .adaGradNorm(delayed: true, clip: 0.5, gamma: 0.5, b0: 3),
            .clipRAdaGradD(gamma: 0.5, b0: 3, clip: 0.5), .adaGradNorm(delayed: true, clip: nil, gamma: 0.5, b0: 3),
            .adamNorm(delayed: true, clip: 0.5, gamma: 0.05, b0: 3, beta1: 0.9, beta2: 0.99),
            .adamNorm(delayed: false, clip: nil, gamma: 0.05, b0: 3, beta1: 0.9, beta2: 0.99)]
        let rule = rules[variant]
        for law in [ScalarLaw.symmetricLomax(tail: 1.5), .gaussian, .studentT(dof: 1.5)] {
            let inst = Instance(id: "t", source: "t", family: "quadratic", summary: "",
                                problem: Quadratic(spectrum: [1.3], rotationSeed: nil, xStar: [0.25]),
                                parts: [NoisePart(Noise(law: law, scale: 0.7, geometry: .perCoordinate, dimension: 1))],
                                start: [2], budget: .init(iterations: 3000, runs: 1), seed: 1)
            let cps = Checkpoints.logarithmic(horizon: 3000, points: 15)
            var r1 = RandomStream(seed: 99), r2 = r1
            let sinks = (fast: IterateSink(), slow: IterateSink())     // what `theorybench trace` records
            let fast = try IterateCapture.$sink.withValue(sinks.fast) {
                try ClipAdaGrad.normAdaptive(rule, measure: .suboptimality, hitRadiusSquared: 0.04).run(inst, cps, &r1)
            }
            let slow = try IterateCapture.$sink.withValue(sinks.slow) {
                try ClipAdaGrad.normAdaptive(rule, measure: .suboptimality, hitRadiusSquared: 0.04, scalarFastPath: false).run(inst, cps, &r2)
            }
            #expect(fast.values == slow.values, "\(rule.name) \(law)")
            #expect(fast.scalars == slow.scalars)
            #expect(r1.next() == r2.next())
            #expect(sinks.fast.rows.count == cps.count && sinks.fast.csv() == sinks.slow.csv())
        }
    }
}

/// The hitting-time method used by the polylog and stalling claims: stopping at the hit changes
/// neither τ nor the stream's draws up to it, and the trace is the survival indicator 1{τ > k}.
@Suite("NormAdaptiveHitting")
struct NormAdaptiveHittingTests {
    static func instance(_ law: ScalarLaw, dimension d: Int = 1) -> Instance {
        Instance(id: "t", source: "t", family: "quadratic", summary: "",
                 problem: Quadratic(spectrum: [Double](repeating: 1, count: d), rotationSeed: nil, xStar: [Double](repeating: 0, count: d)),
                 parts: [NoisePart(Noise(law: law, scale: 1, geometry: .perCoordinate, dimension: d))],
                 start: [Double](repeating: 2, count: d), budget: .init(iterations: 4000, runs: 1), seed: 1)
    }

    @Test("stop-at-hit τ equals the full run's τ (fast path vs vector method to the horizon)", arguments: [0, 1, 2])
    func sameTau(_ variant: Int) throws {
        let rules: [NormAdaptiveRule] = [.adaGradNorm(delayed: false, clip: 0.5, gamma: 0.5, b0: 3),
                                         .adaGradNorm(delayed: false, clip: nil, gamma: 0.5, b0: 3),
                                         .adamNorm(delayed: true, clip: 0.5, gamma: 0.5, b0: 3, beta1: 0.9, beta2: 1 - 1.0 / 4000)]
        let inst = Self.instance(.symmetricLomax(tail: 1.5))
        let cps = Checkpoints.logarithmic(horizon: 4000, points: 12)
        var hits = 0
        for seed in 0..<200 {
            var r1 = RandomStream(seed: UInt64(seed)), r2 = r1
            let fast = try ClipAdaGrad.normAdaptiveHitting(rules[variant], radiusSquared: 0.04).run(inst, cps, &r1)
            let full = try ClipAdaGrad.normAdaptive(rules[variant], measure: .suboptimality, hitRadiusSquared: 0.04, scalarFastPath: false)
                .run(inst, cps, &r2)
            let tau = try #require(fast.scalars[.hittingTime])
            #expect(tau == full.scalars[.hittingTime])
            #expect(fast.values == cps.iterations.map { Double($0) < tau ? 1 : 0 })
            if tau.isFinite { hits += 1 }
        }
        #expect(hits > 150, "most runs hit the ball within the horizon")
    }

    @Test("the frozen control never hits from outside the ball, and its claim's check fails on it")
    func frozen() throws {
        let claim = ClipAdaGrad.polylogHittingClipAdaGrad
        #expect(claim.controls.contains { $0.id.hasSuffix(".frozen") })
        // The check itself: all runs censored ⇒ Q(δ_max) = +∞ ⇒ fail.
        let traces = (0..<2000).map { _ in Trace(values: [1, 1], scalars: [.hittingTime: .infinity]) }
        let g = ConfidenceGrowth<Void>(.polylogAtMost(degree: 1), deltas: [0.1, 0.01], scalar: .hittingTime, quantity: "τ", provenance: .orderOnly("test"))
        let v = Judge.verdict(Check<Void, Void>(.confidenceGrowth(g), on: .quantile(0.99)), context: (), parameters: (),
                              resolution: 1e-12, checkpoints: Checkpoints([0, 100]), traces: traces)
        #expect(v.outcome == .fail)
    }

    @Test("β₂ = 1 − 1/K prints as such, not as 1.000")
    func betaPrinting() {
        let r = NormAdaptiveRule.adamNorm(delayed: true, clip: 0.5, gamma: 0.5, b0: 3, beta1: 0.9, beta2: 1 - 1.0 / 10_000)
        #expect(r.description.contains("β₂ = 1 − 1/10000"))
        let c = CoordinateAdaptiveRule.adam(clip: nil, gamma: 0.5, b0: 1, beta1: 0.9, beta2: 0.999)
        #expect(c.description.contains("β₂ = 1 − 1/1000"))
        let p = NormAdaptiveRule.adamNorm(delayed: true, clip: nil, gamma: 0.5, b0: 3, beta1: 0.9, beta2: 0.95)
        #expect(p.description.contains("β₂ = 1 − 1/20"))
    }
}
