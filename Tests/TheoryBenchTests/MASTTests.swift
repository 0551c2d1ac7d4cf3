import Foundation
import Testing
import TheoryBench

/// The MAST family: the closed forms of the sketched quadratic (E[S], E[SAS], x_S, 𝓛, σ*²) against
/// exact enumeration of every mask at small d, the exact mean-square recursion against enumeration
/// of two steps, the samplers, the method's update, the `sketch` part's validation (one test per kind
/// of bad input, each a `file: key: reason` error) and safe pairing.
@Suite("MAST")
struct MASTTests {
    /// A random SPD matrix with spectrum in [1, 4], a planted x*, a centre v.
    static func problem(_ d: Int, seed: UInt64 = 3) -> (Matrix, [Double], [Double]) {
        let q = Quadratic(spectrum: Quadratic.linearSpectrum(dimension: d, min: 1, max: 4), rotationSeed: seed,
                          xStar: (0..<d).map { Double($0 % 3) - 0.7 })
        guard case .dense(let a) = q.storage else { fatalError("rotated quadratic is dense") }
        return (a, q.xStar, (0..<d).map { 0.3 * Double($0 % 2) })
    }

    static let sketches: [any Sketch] = [
        BernoulliSketch(keep: [0.3, 0.5, 0.9, 0.7, 1.0, 0.4]),
        RandKSketch(dimension: 6, k: 2),
    ]

    /// ∇f_S(x) = S A (v + S(x − v) − x*) for the diagonal s.
    static func sketchedGradient(_ a: Matrix, _ xs: [Double], _ v: [Double], _ s: [Double], at x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: x.count)
        for i in 0..<x.count { y[i] = v[i] + s[i] * (x[i] - v[i]) - xs[i] }
        var g = a.times(y)
        for i in 0..<x.count { g[i] *= s[i] }
        return g
    }

    static func close(_ x: Double, _ y: Double, _ tol: Double = 1e-10) -> Bool { abs(x - y) <= tol * max(1, abs(x), abs(y)) }

    @Test("E[S], E[SAS], ∇f_D(x_S) = 0, σ*² and E[H²] ≤ 𝓛 E[H] (tight) agree with enumeration of every mask", arguments: 0..<2)
    func enumeration(_ which: Int) {
        let sketch = Self.sketches[which], d = sketch.dimension
        let (a, xs, v) = Self.problem(d)
        let sq = SketchedQuadratic(a: a, xStar: xs, center: v, sketch: sketch)!
        let all = sketch.realizations()
        #expect(Self.close(all.reduce(0) { $0 + $1.probability }, 1))
        var es = [Double](repeating: 0, count: d), eh = Matrix(zeros: d, d), eh2 = Matrix(zeros: d, d)
        var grad = [Double](repeating: 0, count: d), sigma2 = 0.0
        for (p, s) in all {
            var h = Matrix(zeros: d, d)
            for i in 0..<d { es[i] += p * s[i]; for j in 0..<d { h[i, j] = s[i] * a[i, j] * s[j] } }
            let h2 = h.times(h)
            for i in 0..<d { for j in 0..<d { eh[i, j] += p * h[i, j]; eh2[i, j] += p * h2[i, j] } }
            let g = Self.sketchedGradient(a, xs, v, s, at: sq.xS)
            Vec.axpy(p, g, &grad); sigma2 += p * Vec.normSquared(g)
        }
        #expect((0..<d).allSatisfy { Self.close(es[$0], sq.meanSketch[$0]) && Self.close(es[$0], 1) })
        #expect(zip(eh.data, sq.expectedHessian.data).allSatisfy { Self.close($0, $1) })
        #expect(Vec.norm(grad) < 1e-10, "∇f_D(x_S) = \(grad)")
        #expect(Self.close(sigma2, sq.sigma2))
        // 𝓛 = max uᵀE[H²]u / uᵀE[H]u: E[H²] − 𝓛E[H] is negative semidefinite and singular.
        var gap = eh2
        for i in 0..<(d * d) { gap.data[i] -= sq.expectedSmoothness * eh.data[i] }
        let top = LinearAlgebra.symmetricEigenvalues(gap).last!
        #expect(abs(top) < 1e-9 * sq.expectedSmoothness, "λ_max(E[H²] − 𝓛E[H]) = \(top)")
        #expect(sq.muD == LinearAlgebra.symmetricEigenvalues(sq.expectedHessian).first!)
    }

    @Test("Bernoulli: E[SAS] = A + Diag((1/p − 1)A_ii); p = 1 gives S = I and x_S = x*")
    func bernoulliIdentity() {
        let (a, xs, v) = Self.problem(5)
        let keep = [0.2, 0.5, 0.6, 0.8, 0.95]
        let sq = SketchedQuadratic(a: a, xStar: xs, center: v, sketch: BernoulliSketch(keep: keep))!
        for i in 0..<5 { for j in 0..<5 {
            #expect(Self.close(sq.expectedHessian[i, j], a[i, j] + (i == j ? (1 / keep[i] - 1) * a[i, i] : 0)))
        } }
        let full = SketchedQuadratic(a: a, xStar: xs, center: v, sketch: BernoulliSketch(keep: [1, 1, 1, 1, 1]))!
        #expect(Vec.distanceSquared(full.xS, xs) < 1e-20 && full.sigma2 < 1e-20)
        #expect(sq.shiftSquared > 1e-3)
    }

    @Test("Bernoulli, one p: ‖x_S − x*‖_D² grows as p falls and lies in [(q/(β_max+q))², (q/(β_min+q))²]·‖v − x*‖_D² (docs §5)")
    func densitySandwich() {
        let d = 6
        let (a, xs, _) = Self.problem(d)
        let v = [Double](repeating: 0, count: d)
        let dg = (0..<d).map { a[$0, $0] }
        var b = Matrix(zeros: d, d)
        for i in 0..<d {
            for j in 0..<d {
                let scale: Double = (dg[i] * dg[j]).squareRoot()
                b[i, j] = a[i, j] / scale
            }
        }
        let beta = LinearAlgebra.symmetricEigenvalues(b)
        func dNorm2(_ x: [Double], _ y: [Double]) -> Double {
            var s = 0.0
            for i in 0..<x.count { let e = x[i] - y[i]; s += dg[i] * e * e }
            return s
        }
        let u2 = dNorm2(v, xs)
        var last = 0.0
        for p in stride(from: 0.95, through: 0.05, by: -0.05) {
            let sq = SketchedQuadratic(a: a, xStar: xs, center: v, sketch: BernoulliSketch(keep: [Double](repeating: p, count: d)))!
            let shift = dNorm2(sq.xS, xs)
            let q = 1 / p - 1
            let lo = pow(q / (beta.last! + q), 2) * u2, hi = pow(q / (beta.first! + q), 2) * u2
            #expect(shift > last && shift >= lo * (1 - 1e-12) && shift <= hi * (1 + 1e-12), "p = \(p): \(lo) ≤ \(shift) ≤ \(hi)")
            last = shift
        }
    }

    @Test("the exact recursion gives E‖x_k − x_S‖² and E‖x_k − x*‖² of two SGD steps enumerated over all mask pairs", arguments: 0..<2)
    func recursion(_ which: Int) {
        let sketch: any Sketch = which == 0 ? BernoulliSketch(keep: [0.3, 0.6, 0.8, 0.5, 0.9]) : RandKSketch(dimension: 5, k: 2)
        let (a, xs, v) = Self.problem(5, seed: 9)
        let sq = SketchedQuadratic(a: a, xStar: xs, center: v, sketch: sketch)!
        let x0 = [1.0, -2, 0.5, 0, 3], gamma = 0.5 / sq.expectedSmoothness
        let all = sketch.realizations()
        var toXS = [0.0, 0.0], toXStar = [0.0, 0.0]
        for (p1, s1) in all {
            var x1 = x0
            Vec.axpy(-gamma, Self.sketchedGradient(a, xs, v, s1, at: x0), &x1)
            toXS[0] += p1 * Vec.distanceSquared(x1, sq.xS); toXStar[0] += p1 * Vec.distanceSquared(x1, xs)
            for (p2, s2) in all {
                var x2 = x1
                Vec.axpy(-gamma, Self.sketchedGradient(a, xs, v, s2, at: x1), &x2)
                toXS[1] += p1 * p2 * Vec.distanceSquared(x2, sq.xS); toXStar[1] += p1 * p2 * Vec.distanceSquared(x2, xs)
            }
        }
        let exact = sq.meanSquareDistances(step: gamma, start: x0, horizon: 2)
        #expect(Self.close(exact.toXS[0], Vec.distanceSquared(x0, sq.xS)) && Self.close(exact.toXStar[0], Vec.distanceSquared(x0, xs)))
        for k in 0..<2 {
            #expect(Self.close(exact.toXS[k + 1], toXS[k]), "k = \(k + 1): \(exact.toXS[k + 1]) vs \(toXS[k])")
            #expect(Self.close(exact.toXStar[k + 1], toXStar[k]), "k = \(k + 1): \(exact.toXStar[k + 1]) vs \(toXStar[k])")
        }
    }

    @Test("samplers: Bernoulli draws 0 or 1/pᵢ, rand-k exactly k coordinates equal to d/k; empirical means near 1")
    func samplers() {
        var rng = RandomStream(seed: 5)
        var s = [Double](repeating: 0, count: 6), scratch = [Int](repeating: 0, count: 6)
        var sum = [Double](repeating: 0, count: 6)
        let b = BernoulliSketch(keep: [0.3, 0.5, 0.9, 0.7, 1.0, 0.4]), r = RandKSketch(dimension: 6, k: 2)
        let n = 20000
        for _ in 0..<n {
            b.sample(into: &s, scratch: &scratch, rng: &rng)
            #expect((0..<6).allSatisfy { s[$0] == 0 || s[$0] == 1 / b.keep[$0] })
            Vec.axpy(1 / Double(n), s, &sum)
            r.sample(into: &s, scratch: &scratch, rng: &rng)
            #expect(s.filter { $0 == 3 }.count == 2 && s.filter { $0 == 0 }.count == 4)
        }
        // sd of the mean ≤ √(1/0.3 − 1)/√n ≈ 0.011: 5 sd.
        #expect(sum.allSatisfy { abs($0 - 1) < 0.055 }, "\(sum)")
    }

    @Test("one step of SketchedSGD is x − γ S∇f(v + S(x − v)) with the sketch's draw; the slips differ")
    func methodStep() {
        let (a, xs, v) = Self.problem(6)
        let q = Quadratic(matrix: a, xStar: xs)
        let sketch = RandKSketch(dimension: 6, k: 3), x0 = [0.5, -1, 2, 0, 1, -0.5], gamma = 0.05
        var m = SketchedSGD(problem: q, sketch: sketch, center: v, step: gamma, start: x0)
        var rng = RandomStream(seed: 8), copy = rng
        m.step(0, rng: &rng)
        var s = [Double](repeating: 0, count: 6), scratch = [Int](repeating: 0, count: 6)
        sketch.sample(into: &s, scratch: &scratch, rng: &copy)
        var expected = x0
        Vec.axpy(-gamma, Self.sketchedGradient(a, xs, v, s, at: x0), &expected)
        #expect(zip(m.x, expected).allSatisfy { Self.close($0, $1, 1e-14) })
        var slip = SketchedSGD(problem: q, sketch: sketch, center: v, step: gamma, variant: .gradientOnly, start: x0)
        var rng2 = RandomStream(seed: 8)
        slip.step(0, rng: &rng2)
        #expect(Vec.distanceSquared(slip.x, m.x) > 1e-6)
    }

    static func base(_ sketch: String = "sketch: { family: bernoulli, keep: 0.5 }", family: String = """
        family: quadratic
        dimension: 4
        spectrum: { min: 1.0, max: 4.0 }
        """) -> String {
        """
        \(family)
        optimum: { x: [1.0, -1.0, 0.5, 2.0] }
        \(sketch)
        start: [0, 0, 0, 0]
        budget: { iterations: 100, runs: 4 }
        seed: 1
        """
    }

    static func parse(_ text: String) throws -> Instance { try InstanceFile.parse(text, file: "/tmp/problems/mast.yaml") }

    static func error(_ text: String) -> CatalogError? {
        TestCatalog.parseError(text, file: "/tmp/problems/mast.yaml")
    }

    @Test("the good files parse, report the sketch's constants, and pair only with MAST claims")
    func goodFile() throws {
        for text in [Self.base(), Self.base("sketch: { family: rand-k, k: 2, center: [0.1, 0, 0, 0.2] }"),
                     Self.base("sketch: { family: bernoulli, keep: [0.2, 0.4, 0.6, 1] }")] {
            let inst = try Self.parse(text)
            let k = inst.reportedConstants
            let part = try #require(inst.sketchPart)
            #expect(inst.partKinds == ["sketch"] && k["mu_D"] == part.sketched.muD && k["|x_S-x*|^2"] == part.sketched.shiftSquared)
            for c in registry.claims { #expect(c.pairs(with: inst) == (c.paper.key == "mast" && !c.id.hasPrefix("mast.distributed")), "\(c.id)") }
        }
        let exported = try #require(try Self.parse(Self.base()).sketchPart).exportFields
        if case .string(let family)? = exported["family"], case .array(let keep)? = exported["keep"] {
            #expect(family == "bernoulli" && keep.count == 4)
        } else { Issue.record("sketch export lacks family or keep: \(exported)") }
        // MAST claims need the sketch part.
        let plain = try Self.parse(Self.base("noise: { law: gaussian, scale: 0.1 }"))
        for c in MAST.family.claims { #expect(!c.pairs(with: plain)) }
    }

    /// (text, key, words in the reason)
    static let bad: [(String, String, String)] = [
        (base("sketch: bernoulli"), "sketch", "expected a mapping"),
        (base("sketch: { keep: 0.5 }"), "sketch.family", "missing"),
        (base("sketch: { family: gaussian }"), "sketch.family", "unknown sketch family"),
        (base("sketch: { family: bernoulli }"), "sketch.keep", "missing"),
        (base("sketch: { family: bernoulli, keep: 0 }"), "sketch.keep", "(0, 1]"),
        (base("sketch: { family: bernoulli, keep: [0.5, 1.5, 0.5, 0.5] }"), "sketch.keep", "(0, 1]"),
        (base("sketch: { family: bernoulli, keep: [0.5, 0.5] }"), "sketch.keep", "has 2 entries"),
        (base("sketch: { family: rand-k }"), "sketch.k", "missing"),
        (base("sketch: { family: rand-k, k: 5 }"), "sketch.k", "at most the dimension"),
        (base("sketch: { family: rand-k, k: 0 }"), "sketch.k", "positive"),
        (base("sketch: { family: rand-k, k: 2, center: [1, 2] }"), "sketch.center", "has 2 entries"),
        (base("sketch: { family: rand-k, k: 2, radius: 1 }"), "sketch.radius", "unknown key"),
        (base(family: "family: least-squares\ndata: { rows: 20, dimension: 4 }").replacingOccurrences(of: "optimum: { x: [1.0, -1.0, 0.5, 2.0] }\n", with: ""),
         "sketch", "needs a quadratic"),
        (base(family: "family: quadratic\ndimension: 30\nspectrum: { min: 1.0, max: 4.0 }\nrotation: none")
            .replacingOccurrences(of: "[1.0, -1.0, 0.5, 2.0]", with: "[\(Array(repeating: "0", count: 30).joined(separator: ", "))]")
            .replacingOccurrences(of: "[0, 0, 0, 0]", with: "[\(Array(repeating: "0", count: 30).joined(separator: ", "))]"),
         "sketch", "exceeds 24"),
        (base(family: "family: quadratic\neigenvalues: [0, 1, 2, 3]\nrotation: none"), "sketch", "not strongly convex"),
    ]

    @Test("every kind of bad sketch is rejected naming file, key and reason", arguments: 0..<15)
    func badInput(_ i: Int) throws {
        let (text, key, words) = Self.bad[i]
        let e = try #require(Self.error(text), "case \(i) was accepted")
        #expect(e.file == "/tmp/problems/mast.yaml" && e.key == key && e.reason.contains(words), "case \(i): \(e)")
    }
}
