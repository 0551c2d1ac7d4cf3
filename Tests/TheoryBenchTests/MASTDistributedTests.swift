import Foundation
import Testing
import TheoryBench

/// Distributed MAST with independent sketches: the averaged estimator's closed forms (x_D, E[H], 𝓛, σ*²)
/// against enumeration of every tuple of the workers' masks, the exact recursion against two enumerated
/// steps, one worker reducing to the single-sketch constants, the method's update, the
/// `distributed-sketch` part's validation and safe pairing.
@Suite("MAST, distributed")
struct MASTDistributedTests {
    static let offsets: [[Double]] = [[0.5, -0.3, 0.2, 0], [-0.4, 0.1, 0, 0.3], [-0.1, 0.2, -0.2, -0.3]]
    static let sketch = BernoulliSketch(keep: [0.4, 0.7, 0.5, 0.9])

    /// Two workers, for the enumeration of two steps (16² mask tuples per step).
    static let twoOffsets: [[Double]] = [[0.5, -0.3, 0.2, 0], [-0.5, 0.3, -0.2, 0]]

    static func setup(_ offsets: [[Double]] = offsets) -> (Matrix, [Double], [Double], DistributedSketchedQuadratic) {
        let (a, xs, v) = MASTTests.problem(4, seed: 5)
        return (a, xs, v, DistributedSketchedQuadratic(a: a, xStar: xs, center: v, sketch: sketch, offsets: offsets)!)
    }

    /// g(x) = (1/n)Σᵢ Sᵢ(A(v + Sᵢ(x − v) − x*) − Aδᵢ) for the workers' diagonals.
    static func averaged(_ a: Matrix, _ xs: [Double], _ v: [Double], _ s: [[Double]], at x: [Double],
                         offsets: [[Double]] = offsets) -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        for (i, si) in s.enumerated() {
            var g = MASTTests.sketchedGradient(a, xs, v, si, at: x)
            let ad = a.times(offsets[i])
            for j in 0..<x.count { g[j] -= si[j] * ad[j] }
            Vec.axpy(1 / Double(s.count), g, &out)
        }
        return out
    }

    /// Every tuple of the n workers' masks with its probability.
    static func tuples(workers: Int = offsets.count) -> [(Double, [[Double]])] {
        let all = sketch.realizations()
        var out: [(Double, [[Double]])] = [(1, [])]
        for _ in 0..<workers { out = out.flatMap { t in all.map { (t.0 * $0.probability, t.1 + [$0.diagonal]) } } }
        return out
    }

    @Test("x_D = x_S of f, E g(x_D) = 0, σ*² and E[H²] ≤ 𝓛E[H] (tight) agree with enumeration of every mask tuple")
    func enumeration() {
        let (a, xs, v, dq) = Self.setup()
        let d = 4
        var eh = Matrix(zeros: d, d), eh2 = Matrix(zeros: d, d), mean = [Double](repeating: 0, count: d), sigma2 = 0.0
        for (p, s) in Self.tuples() {
            var h = Matrix(zeros: d, d)
            for si in s { for i in 0..<d { for j in 0..<d { h[i, j] += si[i] * a[i, j] * si[j] / Double(s.count) } } }
            let h2 = h.times(h)
            for i in 0..<(d * d) { eh.data[i] += p * h.data[i]; eh2.data[i] += p * h2.data[i] }
            let g = Self.averaged(a, xs, v, s, at: dq.xD)
            Vec.axpy(p, g, &mean); sigma2 += p * Vec.normSquared(g)
        }
        #expect(zip(eh.data, dq.single.expectedHessian.data).allSatisfy { MASTTests.close($0, $1) })
        #expect(Vec.norm(mean) < 1e-10, "E g(x_D) = \(mean)")
        #expect(MASTTests.close(sigma2, dq.sigma2), "\(sigma2) vs \(dq.sigma2)")
        var gap = eh2
        for i in 0..<(d * d) { gap.data[i] -= dq.expectedSmoothness * eh.data[i] }
        let top = LinearAlgebra.symmetricEigenvalues(gap).last!
        #expect(abs(top) < 1e-9 * dq.expectedSmoothness, "λ_max(E[H²] − 𝓛E[H]) = \(top)")
        // Averaging n sketches lowers the expected smoothness below the single sketch's.
        #expect(dq.expectedSmoothness < dq.single.expectedSmoothness)
    }

    @Test("the exact recursion gives E‖x_k − x_D‖² and E‖x_k − x*‖² of two averaged steps (two workers) enumerated over all mask tuples")
    func recursion() {
        let (a, xs, v, dq) = Self.setup(Self.twoOffsets)
        let x0 = [1.0, -2, 0.5, 3], gamma = 0.5 / dq.expectedSmoothness
        let all = Self.tuples(workers: 2)
        var toXD = [0.0, 0.0], toXStar = [0.0, 0.0]
        for (p1, s1) in all {
            var x1 = x0
            Vec.axpy(-gamma, Self.averaged(a, xs, v, s1, at: x0, offsets: Self.twoOffsets), &x1)
            toXD[0] += p1 * Vec.distanceSquared(x1, dq.xD); toXStar[0] += p1 * Vec.distanceSquared(x1, xs)
            for (p2, s2) in all {
                var x2 = x1
                Vec.axpy(-gamma, Self.averaged(a, xs, v, s2, at: x1, offsets: Self.twoOffsets), &x2)
                toXD[1] += p1 * p2 * Vec.distanceSquared(x2, dq.xD); toXStar[1] += p1 * p2 * Vec.distanceSquared(x2, xs)
            }
        }
        let exact = dq.recursion.meanSquareDistances(step: gamma, start: x0, horizon: 2)
        for k in 0..<2 {
            #expect(MASTTests.close(exact.toXS[k + 1], toXD[k]), "k = \(k + 1): \(exact.toXS[k + 1]) vs \(toXD[k])")
            #expect(MASTTests.close(exact.toXStar[k + 1], toXStar[k]), "k = \(k + 1): \(exact.toXStar[k + 1]) vs \(toXStar[k])")
        }
    }

    @Test("one worker with no offset has the single-sketch constants and recursion")
    func oneWorker() {
        let (a, xs, v) = MASTTests.problem(5, seed: 2)
        let sk = RandKSketch(dimension: 5, k: 2)
        let one = DistributedSketchedQuadratic(a: a, xStar: xs, center: v, sketch: sk, offsets: [[0, 0, 0, 0, 0]])!
        let single = SketchedQuadratic(a: a, xStar: xs, center: v, sketch: sk)!
        #expect(MASTTests.close(one.expectedSmoothness, single.expectedSmoothness) && MASTTests.close(one.sigma2, single.sigma2))
        let x0 = [1.0, 0, -1, 2, 0.5], g = 0.5 / single.expectedSmoothness
        let s1 = one.recursion.meanSquareDistances(step: g, start: x0, horizon: 20), s2 = single.meanSquareDistances(step: g, start: x0, horizon: 20)
        #expect(zip(s1.toXS, s2.toXS).allSatisfy { MASTTests.close($0, $1) })
    }

    @Test("one step is x − (γ/n)Σ Sᵢ∇fᵢ(v + Sᵢ(x − v)) with the workers' draws in order; a shared sketch differs")
    func methodStep() {
        let (a, xs, v, dq) = Self.setup()
        let q = Quadratic(matrix: a, xStar: xs)
        let x0 = [0.5, -1, 2, 0], gamma = 0.05
        var m = DistributedSketchedSGD(problem: q, sketch: Self.sketch, center: v, offsetGradients: dq.offsetGradients, step: gamma, start: x0)
        var rng = RandomStream(seed: 8), copy = rng
        m.step(0, rng: &rng)
        var s = [[Double]](repeating: [0, 0, 0, 0], count: 3), scratch = [0, 0, 0, 0]
        for i in 0..<3 { Self.sketch.sample(into: &s[i], scratch: &scratch, rng: &copy) }
        var expected = x0
        Vec.axpy(-gamma, Self.averaged(a, xs, v, s, at: x0), &expected)
        #expect(zip(m.x, expected).allSatisfy { MASTTests.close($0, $1, 1e-14) })
        var shared = DistributedSketchedSGD(problem: q, sketch: Self.sketch, center: v, offsetGradients: dq.offsetGradients,
                                            step: gamma, draw: .shared, start: x0)
        var rng2 = RandomStream(seed: 8)
        shared.step(0, rng: &rng2)
        var expectedShared = x0
        Vec.axpy(-gamma, Self.averaged(a, xs, v, [s[0], s[0], s[0]], at: x0), &expectedShared)
        #expect(zip(shared.x, expectedShared).allSatisfy { MASTTests.close($0, $1, 1e-14) })
    }

    static func base(_ part: String = "distributed-sketch: { family: bernoulli, keep: 0.5, offsets: [[1, 0, 0, 0], [-1, 0, 0, 0]] }") -> String {
        MASTTests.base(part)
    }

    @Test("the good file parses, reports the workers' constants, and pairs only with the distributed MAST claims")
    func goodFile() throws {
        let inst = try MASTTests.parse(Self.base())
        let part = try #require(inst.distributedSketchPart)
        #expect(inst.partKinds == ["distributed-sketch"] && part.distributed.workers == 2)
        #expect(inst.reportedConstants["Lcal"] == part.distributed.expectedSmoothness)
        let exported = part.exportFields
        if case .array(let rows)? = exported["offsets"], case .integer(let n)? = exported["workers"], case .string(let family)? = exported["family"] {
            #expect(rows.count == 2 && n == 2 && family == "bernoulli")
        } else { Issue.record("distributed export lacks offsets, workers or family: \(exported)") }
        for c in registry.claims { #expect(c.pairs(with: inst) == c.id.hasPrefix("mast.distributed"), "\(c.id)") }
        // The distributed claims need the workers.
        let single = try MASTTests.parse(MASTTests.base())
        for c in registry.claims where c.id.hasPrefix("mast.distributed") { #expect(!c.pairs(with: single)) }
    }

    /// (text, key, words in the reason)
    static let bad: [(String, String, String)] = [
        (base("distributed-sketch: bernoulli"), "distributed-sketch", "expected a mapping"),
        (base("distributed-sketch: { family: bernoulli, keep: 0.5 }"), "distributed-sketch.offsets", "missing"),
        (base("distributed-sketch: { family: bernoulli, keep: 0.5, offsets: [[0, 0, 0, 0]] }"), "distributed-sketch.offsets", "at least 2 rows"),
        (base("distributed-sketch: { family: bernoulli, keep: 0.5, offsets: [1, 2] }"), "distributed-sketch.offsets[0]", "expected a list"),
        (base("distributed-sketch: { family: bernoulli, keep: 0.5, offsets: [[1, 0, 0], [-1, 0, 0]] }"), "distributed-sketch.offsets[0]", "has 3 entries"),
        (base("distributed-sketch: { family: bernoulli, keep: 0.5, offsets: [[1, 0, 0, a], [-1, 0, 0, 0]] }"), "distributed-sketch.offsets[0]", "finite numbers"),
        (base("distributed-sketch: { family: bernoulli, keep: 0.5, offsets: [[1, 0, 0, 0], [-0.5, 0, 0, 0]] }"), "distributed-sketch.offsets", "sum to 0"),
        (base("distributed-sketch: { family: gaussian, offsets: [[1, 0, 0, 0], [-1, 0, 0, 0]] }"), "distributed-sketch.family", "unknown sketch family"),
        (base("distributed-sketch: { family: rand-k, k: 2, workers: 3, offsets: [[1, 0, 0, 0], [-1, 0, 0, 0]] }"), "distributed-sketch.workers", "unknown key"),
        (base("distributed-sketch: { family: rand-k, k: 2, center: [1], offsets: [[1, 0, 0, 0], [-1, 0, 0, 0]] }"), "distributed-sketch.center", "has 1 entries"),
    ]

    @Test("every kind of bad distributed sketch is rejected naming file, key and reason", arguments: 0..<10)
    func badInput(_ i: Int) throws {
        let (text, key, words) = Self.bad[i]
        let e = try #require(MASTTests.error(text), "case \(i) was accepted")
        #expect(e.file == "/tmp/problems/mast.yaml" && e.key == key && e.reason.contains(words), "case \(i): \(e)")
    }
}
