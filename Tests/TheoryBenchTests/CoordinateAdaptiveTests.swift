import Foundation
import Testing
import TheoryBench

/// Unit tests of the coordinate-wise (Clip-)AdaGrad/Adam with delayed stepsizes (arXiv 2406.04443 v3;
/// this project's reading, `CoordinateAdaptiveRule`).
@Suite("CoordinateAdaptive")
struct CoordinateAdaptiveTests {
    /// f = ½‖x‖² on ℝ^d with g_k = x_k + ξ_k, ξ_k from a fixed list of vectors.
    struct Scripted: GradientOracle {
        let problem: Quadratic
        let noise: [[Double]]
        var k = 0
        init(noise: [[Double]]) {
            self.noise = noise
            problem = Quadratic(spectrum: [Double](repeating: 1, count: noise[0].count), rotationSeed: nil,
                                xStar: [Double](repeating: 0, count: noise[0].count))
        }
        mutating func sample(at x: [Double], into g: inout [Double], rng: inout RandomStream) {
            for j in x.indices { g[j] = x[j] + noise[k][j] }
            k += 1
        }
    }

    static func method(_ rule: CoordinateAdaptiveRule, _ noise: [[Double]], x0: [Double]) -> CoordinateAdaptive<Scripted> {
        CoordinateAdaptive(oracle: Scripted(noise: noise), rule: rule, start: x0)
    }

    @Test("hand-computed 2-step trajectory of coordinate-wise Clip-AdaGradD")
    func handComputed() {
        // x0 = (2, −1), γ = 0.5, b0 = 2, λ = 5.
        // k = 0: ξ = (1, 0), g0 = (3, −1), ‖g0‖ = √10 < 5 (not clipped);
        //        x1 = x0 − 0.5·g0/2 = (1.25, −0.75); then v1 = (4 + 9, 4 + 1) = (13, 5).
        // k = 1: ξ = (4.75, −3.25), g1 = (6, −4), ‖g1‖ = √52 > 5: ĝ1 = c·g1 with c = 5/√52;
        //        x2 = (1.25 − 0.5·6c/√13, −0.75 + 0.5·4c/√5); v2 = (13 + 36c², 5 + 16c²).
        var m = Self.method(.adaGrad(clip: 5, gamma: 0.5, b0: 2), [[1, 0], [4.75, -3.25]], x0: [2, -1])
        var rng = RandomStream(seed: 1)
        m.step(0, rng: &rng)
        #expect(abs(m.x[0] - 1.25) < 1e-15 && abs(m.x[1] + 0.75) < 1e-15)
        #expect(m.v == [13, 5] && m.clippedCount == 0)
        m.step(1, rng: &rng)
        let c = 5 / 52.0.squareRoot()
        #expect(abs(m.x[0] - (1.25 - 3 * c / 13.0.squareRoot())) < 1e-14)
        #expect(abs(m.x[1] - (-0.75 + 2 * c / 5.0.squareRoot())) < 1e-14)
        #expect(abs(m.v[0] - (13 + 36 * c * c)) < 1e-12 && abs(m.v[1] - (5 + 16 * c * c)) < 1e-12)
        #expect(m.clippedCount == 1)
    }

    @Test("delayed: the first step uses b₀ only; the non-delayed form includes the current gradient")
    func delayed() {
        // A huge first gradient: delayed x1 = x0 − γ g0/b0 in every coordinate (v does not yet see g0).
        let noise: [[Double]] = [[1e4, -3e3, 0]]
        let x0 = [1.0, 2.0, -3.0]
        var rng = RandomStream(seed: 2)
        var d = Self.method(.adaGrad(delayed: true, clip: nil, gamma: 0.5, b0: 2), noise, x0: x0)
        d.step(0, rng: &rng)
        for j in 0..<3 {
            let g = x0[j] + noise[0][j]
            #expect(d.x[j] == x0[j] - 0.5 * g / 2)
            #expect(d.v[j] == 4 + g * g)
        }
        var n = Self.method(.adaGrad(delayed: false, clip: nil, gamma: 0.5, b0: 2), noise, x0: x0)
        n.step(0, rng: &rng)
        for j in 0..<3 {
            let g = x0[j] + noise[0][j]
            #expect(abs(n.x[j] - (x0[j] - 0.5 * g / (4 + g * g).squareRoot())) < 1e-15)
        }
        // Adam, delayed: m0 = (1 − β1)g0, x1 = x0 − γ m0/b0, then v1 = β2 b0² + (1 − β2) g0².
        var a = Self.method(.adam(clip: nil, gamma: 0.5, b0: 2, beta1: 0.9, beta2: 0.99), noise, x0: x0)
        a.step(0, rng: &rng)
        for j in 0..<3 {
            let g = x0[j] + noise[0][j]
            #expect(abs(a.x[j] - (x0[j] - 0.5 * (0.1 * g) / 2)) <= 1e-12 * max(1, abs(g)))
            #expect(abs(a.v[j] - (0.99 * 4 + 0.01 * g * g)) <= 1e-12 * max(1, g * g))
        }
    }

    @Test("clipping bounds every step: ‖x_{k+1} − x_k‖ ≤ γλ/b₀ and Σ_j Δv_j ≤ λ²")
    func clippingBound() {
        var rng = RandomStream(seed: 3)
        let d = 7, lam = 0.8, gamma = 0.5, b0 = 1.5
        let law = ScalarLaw.symmetricLomax(tail: 1.2)
        let noise = (0..<2000).map { _ in (0..<d).map { _ in 100 * law.sample(&rng) } }
        for rule in [CoordinateAdaptiveRule.adaGrad(clip: lam, gamma: gamma, b0: b0),
                     .adaGrad(delayed: false, clip: lam, gamma: gamma, b0: b0)] {
            var m = Self.method(rule, noise, x0: [Double](repeating: 1, count: d))
            var worstStep = 0.0, worstDv = 0.0
            for k in 0..<noise.count {
                let x = m.x, v = m.v
                m.step(k, rng: &rng)
                worstStep = max(worstStep, Vec.norm(zip(m.x, x).map { $0 - $1 }))
                worstDv = max(worstDv, zip(m.v, v).map { $0 - $1 }.reduce(0, +))
                #expect(m.v.allSatisfy { $0 >= b0 * b0 })
            }
            #expect(worstStep <= gamma * lam / b0 * (1 + 1e-12), "\(rule.name)")
            #expect(worstDv <= lam * lam * (1 + 1e-12), "\(rule.name)")
            #expect(m.clippedCount > noise.count / 2)
        }
    }
}
