import Foundation
import Testing
import TheoryBench

/// Unit tests of the exact one-step level of clipped AdaGrad-Norm (docs/derivations/clip-adagrad.md
/// §12) and of the convergence requirement of the confidence-growth check (§8).
@Suite("OneStepLevel")
struct OneStepLevelTests {
    static let rule = NormAdaptiveRule(delayed: false, clip: 1, gamma: 0.5, b0: 0.5, weight: 0.25)

    /// E[H(clip(he + ξ))] by an independent route: the Lomax quantile transform ξ = ±s((1−v)^{−1/α} − 1),
    /// v uniform on (0, 1), no density and no closed-form tail; composite 20-point Gauss–Legendre on
    /// 400 panels between the kinks (the v where he ± q(v) = ±λ).
    static func reference(_ r: NormAdaptiveRule, h: Double, s: Double, alpha: Double, e: Double, b2: Double) -> Double {
        let lam = r.clip!, c = h * e
        func loss(_ xi: Double) -> Double {
            let u = min(max(c + xi, -lam), lam)
            let d = e - r.gamma * u / (b2 + r.weight * u * u).squareRoot()
            return 0.5 * h * d * d
        }
        func q(_ v: Double) -> Double { s * (pow(1 - v, -1 / alpha) - 1) }
        func vOf(_ t: Double) -> Double { 1 - pow(1 + t / s, -alpha) }     // q(v) = t, t ≥ 0
        let (nodes, weights) = GaussLegendre.rule(20)
        var total = 0.0
        for sign in [1.0, -1.0] {
            // kinks of ξ ↦ loss at ξ = ±λ − c; in v (for this sign) where sign·q(v) equals them
            let kinks = [lam - c, -lam - c].map { sign * $0 }.filter { $0 > 0 }.map(vOf)
            let cuts = [0.0] + kinks.sorted() + [1.0]
            for (a, b) in zip(cuts, cuts.dropFirst()) where b > a {
                let panels = 400, w = (b - a) / Double(panels)
                for p in 0..<panels {
                    let mid = a + (Double(p) + 0.5) * w
                    for i in nodes.indices { total += 0.5 * (w / 2) * weights[i] * loss(sign * q(mid + (w / 2) * nodes[i])) }
                }
            }
        }
        return total
    }

    @Test("Φ (closed-form tails + Gauss–Legendre) equals an independent quantile-transform quadrature to 1e-10",
          arguments: [(2.0, 0.25), (0.3, 1.0), (-0.7, 4.0), (0.0, 0.25), (1.5, 30.0), (-3.0, 0.3)])
    func conditionalLevel(e: Double, b2: Double) {
        for (h, s, alpha) in [(1.0, 1.0, 1.5), (2.5, 0.4, 1.2), (0.5, 3.0, 2.0)] {
            let level = OneStepLevel(rule: Self.rule, curvature: h, scale: s, tail: alpha)
            let phi = level.conditionalLevel(error: e, b2: b2)
            let ref = Self.reference(Self.rule, h: h, s: s, alpha: alpha, e: e, b2: b2)
            #expect(abs(phi - ref) <= 1e-10 * ref, "e = \(e), b² = \(b2), h = \(h), s = \(s), α = \(alpha): \(phi) vs \(ref)")
        }
    }

    @Test("Φ matches a Monte Carlo mean of f(x') over exact Lomax draws (10⁶ draws, 5 standard errors)")
    func monteCarlo() {
        let level = OneStepLevel(rule: Self.rule, curvature: 1, scale: 1, tail: 1.5)
        let noise = Noise(law: .symmetricLomax(tail: 1.5), scale: 1, geometry: .perCoordinate, dimension: 1)
        var rng = RandomStream(seed: 11)
        let n = 1_000_000
        var sum = 0.0, sum2 = 0.0
        for _ in 0..<n {
            var m = ScalarNormAdaptive(rule: Self.rule, start: 0.8)
            m.b2 = 2
            m.update(gradient: 0.8 + noise.scalarDraw(&rng))
            let f = 0.5 * m.x * m.x
            sum += f; sum2 += f * f
        }
        let mean = sum / Double(n), se = ((sum2 / Double(n) - mean * mean) / Double(n)).squareRoot()
        let phi = level.conditionalLevel(error: 0.8, b2: 2)
        #expect(abs(mean - phi) < 5 * se, "MC \(mean) ± \(se) vs Φ = \(phi)")
    }

    @Test("the one-step-level claim ships the four wrong implementations as controls")
    func controls() {
        let ids = ClipAdaGrad.oneStepLevelClipRAdaGrad.controls.map(\.id)
        for suffix in ["wrong-lambda", "no-reweighting", "unclipped-accumulator", "noise-free"] {
            #expect(ids.contains { $0.hasSuffix("." + suffix) }, "\(suffix) in \(ids)")
        }
    }

    @Test("the Gauss–Legendre rule: weights sum to 2, exact for x³⁸")
    func gaussLegendre() {
        let (x, w) = GaussLegendre.rule(20)
        #expect(abs(w.reduce(0, +) - 2) < 1e-14)
        #expect(abs(zip(x, w).reduce(0) { $0 + $1.1 * pow($1.0, 38) } - 2.0 / 39) < 1e-14)
    }

    @Test("the unclipped-accumulator variant adds g², not ĝ², in both layouts (bitwise equal)")
    func unclippedAccumulator() {
        var r = Self.rule
        r.accumulatesUnclipped = true
        var m = ScalarNormAdaptive(rule: r, start: 2)
        m.update(gradient: 3)                           // ĝ = 1, accumulator += w·9
        #expect(m.b2 == 0.25 + 0.25 * 9)
        #expect(m.x == 2 - 0.5 * 1 / (0.25 + 0.25 * 9).squareRoot())
        var right = ScalarNormAdaptive(rule: Self.rule, start: 2)
        right.update(gradient: 3)
        #expect(right.b2 == 0.25 + 0.25 * 1)
    }

    @Test("confidence growth with a convergence requirement: decreasing quantiles pass, a frozen or plateaued quantity fails")
    func convergence() {
        var rng = RandomStream(seed: 7)
        let n = 20_000, cps = Checkpoints([0, 10, 100])
        let g = ConfidenceGrowth<Void>(.polylogAtMost(degree: 2), deltas: [0.1, 0.01], quantity: "x",
                                       provenance: .orderOnly("test"), decreasingFrom: 0.1)
        func verdict(_ traces: [Trace]) -> Verdict {
            Judge.verdict(Check<Void, Void>(.confidenceGrowth(g), on: .quantile(0.99)), context: (), parameters: (),
                          resolution: 1e-12, checkpoints: cps, traces: traces)
        }
        let draws = (0..<n).map { _ in -log(rng.uniformPositive()) }        // polylog tail: ln(1/δ)
        let decreasing = verdict(draws.map { Trace(values: [5, 3 * $0, $0]) })
        #expect(decreasing.outcome == .pass, "\(decreasing.detail)")
        #expect(decreasing.detail.contains("convergence"))
        let frozen = verdict(draws.map { _ in Trace(values: [5, 5, 5]) })   // the growth law alone passes it
        #expect(frozen.outcome == .fail, "\(frozen.detail)")
        let plateau = verdict(draws.map { Trace(values: [5, $0, $0 * 1.001]) })
        #expect(plateau.outcome == .fail, "\(plateau.detail)")
        let without = ConfidenceGrowth<Void>(.polylogAtMost(degree: 2), deltas: [0.1, 0.01], quantity: "x", provenance: .orderOnly("test"))
        let frozenOld = Judge.verdict(Check<Void, Void>(.confidenceGrowth(without), on: .quantile(0.99)), context: (), parameters: (),
                                      resolution: 1e-12, checkpoints: cps, traces: draws.map { _ in Trace(values: [5, 5, 5]) })
        #expect(frozenOld.outcome == .pass, "without the requirement a constant quantity passes (growth exponent 0)")
    }
}
