import Foundation
import Testing
import TheoryBench

/// Objectives (`Problems/`): gradients against central finite differences, and the exact constants
/// (L, μ, x*, f*) against independent computations.
@Suite("Problems")
struct ProblemTests {
    static func randomPoint(_ d: Int, seed: UInt64, scale: Double = 1) -> [Double] {
        var rng = RandomStream(seed: seed)
        return (0..<d).map { _ in scale * rng.gaussian() }
    }

    /// Central differences (f(x + h eᵢ) − f(x − h eᵢ))/(2h) with h = 1e-5·max(1, |xᵢ|): truncation
    /// error O(h²·f''') ≈ 1e-10 and rounding error O(ε|f|/h) ≈ 1e-11·|f| — both far below the
    /// 1e-6 relative tolerance for the smooth objectives here.
    static func finiteDifferenceGradient(_ p: some Objective, at x: [Double]) -> [Double] {
        (0..<p.dimension).map { i in
            let h = 1e-5 * max(1, abs(x[i]))
            var xp = x, xm = x
            xp[i] += h; xm[i] -= h
            return (p.value(xp) - p.value(xm)) / (xp[i] - xm[i])
        }
    }

    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        Vec.distanceSquared(a, b).squareRoot() / max(Vec.norm(b), 1e-300)
    }

    /// The Hessian by central differences of the gradient (symmetrized).
    static func numericalHessian(_ p: some Objective, at x: [Double]) -> Matrix {
        let d = p.dimension
        var h = Matrix(zeros: d, d)
        for j in 0..<d {
            let step = 1e-5 * max(1, abs(x[j]))
            var xp = x, xm = x
            xp[j] += step; xm[j] -= step
            let gp = p.gradient(xp), gm = p.gradient(xm)
            for i in 0..<d { h[i, j] = (gp[i] - gm[i]) / (xp[j] - xm[j]) }
        }
        for i in 0..<d { for j in 0..<i { let s = 0.5 * (h[i, j] + h[j, i]); h[i, j] = s; h[j, i] = s } }
        return h
    }

    static let spectrum = Quadratic.linearSpectrum(dimension: 8, min: 0.5, max: 20)
    static let quadratics: [(String, Quadratic)] = [
        ("diagonal", Quadratic(spectrum: spectrum, rotationSeed: nil, xStar: randomPoint(8, seed: 1), fStar: 3)),
        ("rotated", Quadratic(spectrum: spectrum, rotationSeed: 7, xStar: randomPoint(8, seed: 2), fStar: -1.5)),
    ]
    static let leastSquares = LeastSquares.generated(rows: 60, dimension: 6, noise: 0.5, seed: 3)
    static let logistic = Logistic.generated(rows: 80, dimension: 5, regularization: 0.05, seed: 4)

    // MARK: gradients

    /// ‖∇f(x) − central differences‖ / ‖∇f(x)‖ < 1e-6 at five seeded points of scale `scale`.
    static func expectGradientMatchesDifferences(_ p: any Objective, seeds: Range<UInt64>, scale: Double, _ label: String) {
        for seed in seeds {
            let x = randomPoint(p.dimension, seed: seed, scale: scale)
            let e = relativeError(finiteDifferenceGradient(p, at: x), p.gradient(x))
            #expect(e < 1e-6, "\(label): relative error \(e)")
        }
    }

    @Test("quadratic gradient vs central differences", arguments: [0, 1])
    func quadraticGradient(_ c: Int) {
        Self.expectGradientMatchesDifferences(Self.quadratics[c].1, seeds: 10..<15, scale: 3, Self.quadratics[c].0)
    }

    @Test("least-squares gradient vs central differences")
    func leastSquaresGradient() {
        Self.expectGradientMatchesDifferences(Self.leastSquares, seeds: 20..<25, scale: 2, "least squares")
    }

    @Test("logistic gradient vs central differences")
    func logisticGradient() {
        Self.expectGradientMatchesDifferences(Self.logistic, seeds: 30..<35, scale: 2, "logistic")
    }

    @Test("finite-sum components average to the full gradient", arguments: [false, true])
    func componentsSumToGradient(_ useLogistic: Bool) {
        let p: any FiniteSumObjective = useLogistic ? Self.logistic : Self.leastSquares
        let x = Self.randomPoint(p.dimension, seed: 40)
        var g = [Double](repeating: 0, count: p.dimension)
        for i in 0..<p.componentCount { p.addComponentGradient(i, at: x, weight: 1 / Double(p.componentCount), into: &g) }
        #expect(Self.relativeError(g, p.gradient(x)) < 1e-13)
    }

    @Test("the finite-difference check has power: a gradient off by 1 % is caught")
    func finiteDifferencePower() {
        let q = Self.quadratics[1].1
        let x = Self.randomPoint(q.dimension, seed: 10, scale: 3)
        var wrong = q.gradient(x)
        Vec.scale(1.01, &wrong)
        #expect(Self.relativeError(Self.finiteDifferenceGradient(q, at: x), wrong) > 1e-6)
    }

    // MARK: constants

    @Test("rotated quadratic: the dense matrix has exactly the prescribed spectrum")
    func rotatedSpectrum() throws {
        let q = Self.quadratics[1].1
        guard case .dense(let a) = q.storage else { Issue.record("rotated quadratic is not dense"); return }
        for i in 0..<a.rows { for j in 0..<i { #expect(a[i, j] == a[j, i]) } }
        let eig = LinearAlgebra.symmetricEigenvalues(a)
        for (e, s) in zip(eig, Self.spectrum.sorted()) { #expect(abs(e - s) < 1e-12 * Self.spectrum.max()!) }
        // The Hessian by finite differences is the same matrix.
        let h = Self.numericalHessian(q, at: Self.randomPoint(8, seed: 50))
        for k in 0..<a.data.count { #expect(abs(h.data[k] - a.data[k]) < 1e-7 * Self.spectrum.max()!) }
        // It is a genuine rotation: not diagonal.
        #expect(a.data.enumerated().contains { $0.offset % 9 != 0 && abs($0.element) > 0.1 })
    }

    @Test("quadratic constants: L, μ, x* stationary, f(x*) = f*, μ/2‖δ‖² ≤ f(x*+δ) − f* ≤ L/2‖δ‖²", arguments: [0, 1])
    func quadraticConstants(_ c: Int) throws {
        let q = Self.quadratics[c].1
        let k = q.constants
        #expect(k.L == 20)
        #expect(k.mu == 0.5)
        #expect(k.convex)
        let xs = try #require(k.xStar)
        #expect(Vec.norm(q.gradient(xs)) < 1e-10)
        #expect(abs(q.value(xs) - (k.fStar ?? .nan)) <= 1e-12 * max(1, abs(q.fStar)))
        try Self.checkCurvature(q, xStar: xs, fStar: try #require(k.fStar), mu: 0.5, L: 20)
    }

    /// For an L-smooth μ-strongly convex f with minimizer x*: μ/2‖δ‖² ≤ f(x*+δ) − f* ≤ L/2‖δ‖², with
    /// equality at the extreme eigenvectors for quadratics (so a wrong constant is visible).
    static func checkCurvature(_ p: some Objective, xStar: [Double], fStar: Double, mu: Double, L: Double,
                               sup: Bool = true) throws {
        for seed in UInt64(60)..<80 {
            let delta = randomPoint(p.dimension, seed: seed, scale: 0.7)
            let x = zip(xStar, delta).map { $0 + $1 }
            let gap = p.value(x) - fStar, n2 = Vec.normSquared(delta)
            #expect(gap >= 0.5 * mu * n2 * (1 - 1e-9))
            if sup { #expect(gap <= 0.5 * L * n2 * (1 + 1e-9)) }
        }
    }

    @Test("least squares: L and μ are the extreme Hessian eigenvalues; x* solves ∇f = 0; f(x*) = f*")
    func leastSquaresConstants() throws {
        let p = Self.leastSquares
        let k = p.constants
        // f is quadratic: its Hessian MᵀM/n by differences of gradients (independent of `gram`).
        let eig = LinearAlgebra.symmetricEigenvalues(Self.numericalHessian(p, at: Self.randomPoint(6, seed: 51)))
        let mu = try #require(k.mu)
        #expect(abs(eig.last! - k.L) < 1e-7 * k.L)
        #expect(abs(eig.first! - mu) < 1e-7 * k.L)
        let xs = try #require(k.xStar)
        #expect(Vec.norm(p.gradient(xs)) < 1e-10)
        let fs = try #require(k.fStar)
        #expect(abs(p.value(xs) - fs) <= 1e-12 * max(1, abs(fs)))
        try Self.checkCurvature(p, xStar: xs, fStar: fs, mu: mu, L: k.L)
    }

    @Test("logistic: μ = ρ, x* stationary to 1e-10, f(x*) = f*, f(x*+δ) ≥ f*")
    func logisticConstants() throws {
        let p = Self.logistic
        let k = p.constants
        #expect(k.mu == 0.05)
        let xs = try #require(k.xStar)
        #expect(Vec.norm(p.gradient(xs)) < 1e-10)
        let fs = try #require(k.fStar)
        #expect(abs(p.value(xs) - fs) <= 1e-12 * max(1, abs(fs)))
        try Self.checkCurvature(p, xStar: xs, fStar: fs, mu: 0.05, L: k.L)
    }

    /// x* by Newton's method must be stationary also in hard cases: separable data (n < d) with a tiny ρ,
    /// where the unregularized problem has no minimizer, and a large ρ.
    @Test("logistic x* is stationary across regimes", arguments: [(100, 10, 0.1), (10, 20, 1e-3), (200, 5, 1e-4), (30, 3, 10.0)])
    func logisticOptimumRegimes(_ n: Int, _ d: Int, _ rho: Double) throws {
        let p = Logistic.generated(rows: n, dimension: d, regularization: rho, seed: 6)
        let xs = try #require(p.constants.xStar)
        #expect(Vec.isFinite(xs))
        #expect(Vec.norm(p.gradient(xs)) < 1e-10, "n = \(n), d = \(d), ρ = \(rho): ‖∇f(x*)‖ = \(Vec.norm(p.gradient(xs)))")
    }

    /// L = λ_max(AᵀA)/(4n) + ρ bounds the Hessian (1/n)Σσ'(mᵢ)aᵢaᵢᵀ + ρI everywhere since σ' ≤ ¼,
    /// with equality at x = 0 (every margin 0, σ'(0) = ¼): so L is an upper bound and it is tight.
    /// Finite-difference Hessian error here is ~1e-9 (h² · f'''' plus rounding), far below 1e-6·L.
    @Test("logistic: L ≥ λ_max(∇²f) at random points, with equality at 0; λ_min(∇²f) ≥ μ")
    func logisticSmoothness() throws {
        let p = Self.logistic
        let k = p.constants
        for seed in UInt64(90)..<100 {
            let x = Self.randomPoint(p.dimension, seed: seed, scale: 1.5)
            let eig = LinearAlgebra.symmetricEigenvalues(Self.numericalHessian(p, at: x))
            #expect(eig.last! <= k.L * (1 + 1e-6))
            #expect(eig.first! >= 0.05 * (1 - 1e-6))
        }
        let atZero = LinearAlgebra.symmetricEigenvalues(Self.numericalHessian(p, at: [Double](repeating: 0, count: p.dimension)))
        #expect(abs(atZero.last! - k.L) < 1e-6 * k.L)
    }

    @Test("linearSpectrum is evenly spaced from μ to L")
    func linearSpectrum() {
        #expect(Quadratic.linearSpectrum(dimension: 5, min: 1, max: 9) == [1, 3, 5, 7, 9])
        #expect(Quadratic.linearSpectrum(dimension: 1, min: 1, max: 9) == [9])
    }
}
