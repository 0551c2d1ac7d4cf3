import Foundation
import Testing
import TheoryBench

/// `CosineQuadratic` f(x) = Σᵢ(xᵢ²/2 + c cos ωxᵢ): gradient vs finite differences, L = 1 + cω² is the
/// largest Hessian eigenvalue (attained at xᵢ = π/ω, never exceeded), non-convexity, and f* attained
/// and not beaten on an independent dense grid.
@Suite("CosineQuadratic")
struct CosineQuadraticTests {
    /// (c, ω): the catalog instance's (1, 3), a mild non-convex (0.5, 2), a convex one (0.05, 2).
    static let cases: [(Double, Double)] = [(1, 3), (0.5, 2), (0.05, 2), (2, 1.5)]

    @Test("gradient vs central differences", arguments: cases)
    func gradient(_ c: Double, _ w: Double) {
        let p = CosineQuadratic(dimension: 7, amplitude: c, frequency: w)
        for seed in UInt64(40)..<46 {
            let x = ProblemTests.randomPoint(7, seed: seed, scale: 2)
            let e = ProblemTests.relativeError(ProblemTests.finiteDifferenceGradient(p, at: x), p.gradient(x))
            #expect(e < 1e-6, "c = \(c), ω = \(w): relative error \(e)")
            #expect(abs(p.gradientNormSquared(x) - Vec.normSquared(p.gradient(x))) <= 1e-12 * max(1, p.gradientNormSquared(x)))
        }
    }

    /// Finite-difference Hessians: error ~1e-9, far below the 1e-6·L tolerance.
    @Test("L = 1 + cω² is the largest Hessian eigenvalue (attained at π/ω); λ_min = 1 − cω²", arguments: cases)
    func smoothness(_ c: Double, _ w: Double) {
        let p = CosineQuadratic(dimension: 5, amplitude: c, frequency: w)
        let L = p.constants.L
        #expect(L == 1 + c * w * w)
        for seed in UInt64(50)..<60 {
            let x = ProblemTests.randomPoint(5, seed: seed, scale: 3)
            let eig = LinearAlgebra.symmetricEigenvalues(ProblemTests.numericalHessian(p, at: x))
            #expect(eig.last! <= L * (1 + 1e-6) && eig.first! >= p.minimalCurvature - 1e-6 * L)
        }
        let top = LinearAlgebra.symmetricEigenvalues(ProblemTests.numericalHessian(p, at: [Double](repeating: .pi / w, count: 5)))
        #expect(abs(top.last! - L) < 1e-6 * L)
        let atZero = LinearAlgebra.symmetricEigenvalues(ProblemTests.numericalHessian(p, at: [Double](repeating: 0, count: 5)))
        #expect(abs(atZero.first! - (1 - c * w * w)) < 1e-6 * L)
        #expect(p.constants.convex == (c * w * w <= 1))
    }

    @Test("f* = d·min φ is attained (∇f = 0 at t*·1) and no point of a 10⁶-point grid of φ is lower", arguments: cases)
    func optimum(_ c: Double, _ w: Double) throws {
        let d = 6
        let p = CosineQuadratic(dimension: d, amplitude: c, frequency: w)
        let fStar = try #require(p.constants.fStar)
        let xs = p.minimizer
        #expect(abs(p.value(xs) - fStar) <= 1e-14 * max(1, abs(fStar)))
        #expect(Vec.norm(p.gradient(xs)) <= 1e-13)
        // independent check of m = min φ on [−(cω + 1), cω + 1] (φ' ≠ 0 beyond cω)
        let r = c * w + 1, n = 1_000_000
        var m = Double.infinity
        for i in 0...n {
            let t = -r + 2 * r * Double(i) / Double(n)
            m = min(m, 0.5 * t * t + c * cos(w * t))
        }
        let mStar = fStar / Double(d)
        #expect(mStar <= m + 1e-15 * max(1, abs(m)), "grid found φ = \(m) below m = \(mStar)")
        // the grid's resolution (2r/n) bounds how far above m its minimum can be: φ'' ≤ L ⇒ ≤ L·h²/2
        let h = 2 * r / Double(n)
        #expect(m - mStar <= p.constants.L * h * h / 2 + 1e-15)
        // random points never go below f*
        for seed in UInt64(60)..<80 {
            #expect(p.value(ProblemTests.randomPoint(d, seed: seed, scale: 3)) >= fStar)
        }
    }

    @Test("the catalog reads cosine-quadratic and rejects a bad amplitude")
    func catalog() throws {
        let ok = """
        family: cosine-quadratic
        dimension: 3
        amplitude: 1.0
        frequency: 3.0
        start: [1, -1, 1]
        budget: { iterations: 10 }
        """
        let inst = try InstanceFile.parse(ok, file: "c.yaml")
        #expect(inst.L == 10 && !inst.constants.convex && inst.constants.fStar != nil)
        #expect(throws: CatalogError.self) {
            try InstanceFile.parse(ok.replacingOccurrences(of: "amplitude: 1.0", with: "amplitude: -1"), file: "c.yaml")
        }
    }
}
