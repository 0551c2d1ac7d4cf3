import Foundation
import Testing
import TheoryBench

/// Identities of the manifolds and the Riemannian problems, on random points.
@Suite("Manifolds")
struct ManifoldTests {
    // MARK: random points and tangent vectors

    static func randomSPD(_ n: Int, _ rng: inout RandomStream, spread: Double = 0.7) -> [Double] {
        let m = SPD(size: n)
        return m.function(m.symmetrized((0..<(n * n)).map { _ in spread * rng.gaussian() }), Foundation.exp)
    }
    static func randomSymmetric(_ n: Int, _ rng: inout RandomStream, scale: Double = 1) -> [Double] {
        SPD(size: n).symmetrized((0..<(n * n)).map { _ in scale * rng.gaussian() })
    }
    static func randomSpherePoint(_ d: Int, _ rng: inout RandomStream) -> [Double] {
        var u = [Double](repeating: 0, count: d); rng.unitVector(into: &u); return u
    }
    static func randomTangent<M: Manifold>(_ m: M, _ x: [Double], _ rng: inout RandomStream, norm r: Double) -> [Double] {
        var g = [Double](repeating: 0, count: m.storageCount)
        if m is SPD { g = randomSymmetric(Int(Double(m.storageCount).squareRoot()), &rng) } else { for i in g.indices { g[i] = rng.gaussian() } }
        var v = g
        if m is SPD { v = g } else { m.riemannianGradient(x, euclidean: g, into: &v) }   // project (sphere), identity (ℝ^d)
        let s = r / m.norm(x, v)
        return v.map { $0 * s }
    }

    /// A manifold with a point sampler, for the shared identity checks.
    static func cases() -> [(String, any Manifold, (inout RandomStream) -> [Double])] {
        [("euclidean", EuclideanSpace(dimension: 5), { rng in (0..<5).map { _ in rng.gaussian() } }),
         ("sphere", Sphere(ambientDimension: 6), { rng in randomSpherePoint(6, &rng) }),
         ("spd", SPD(size: 4), { rng in randomSPD(4, &rng) })]
    }

    static func maxAbsDiff(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    // MARK: identities

    @Test("Exp_x(Log_x y) = y and Log_x(Exp_x v) = v", arguments: 0..<3)
    func expLogInverse(_ c: Int) {
        let (name, m, sample) = Self.cases()[c]
        check(m, name, sample)
        func check<M: Manifold>(_ m: M, _ name: String, _ sample: (inout RandomStream) -> [Double]) {
            var rng = RandomStream(seed: 1)
            for _ in 0..<20 {
                let x = sample(&rng), y = sample(&rng)
                let back = m.exp(x, m.log(x, y))
                #expect(Self.maxAbsDiff(back, y) < 1e-9 * (1 + Vec.norm(y)), "\(name): Exp∘Log")
                let v = Self.randomTangent(m, x, &rng, norm: 0.9 * min(m.injectivityRadius, 2.5))
                let w = m.log(x, m.exp(x, v))
                #expect(Self.maxAbsDiff(w, v) < 1e-9 * (1 + Vec.norm(v)), "\(name): Log∘Exp")
            }
        }
    }

    @Test("d(x, Exp_x v) = ‖v‖_x inside the injectivity radius; d(x, y) = ‖Log_x y‖", arguments: 0..<3)
    func distanceOfExp(_ c: Int) {
        let (name, m, sample) = Self.cases()[c]
        check(m, name, sample)
        func check<M: Manifold>(_ m: M, _ name: String, _ sample: (inout RandomStream) -> [Double]) {
            var rng = RandomStream(seed: 2)
            for r in [0.01, 0.5, 1.5, 3.0] where r < m.injectivityRadius {
                let x = sample(&rng)
                let v = Self.randomTangent(m, x, &rng, norm: r)
                #expect(abs(m.distance(x, m.exp(x, v)) - r) < 1e-10 * (1 + r), "\(name): d(x, Exp v) at ‖v‖ = \(r)")
                let y = sample(&rng)
                #expect(abs(m.distance(x, y) - m.norm(x, m.log(x, y))) < 1e-10, "\(name): d = ‖Log‖")
                #expect(abs(m.distance(x, y) - m.distance(y, x)) < 1e-10, "\(name): symmetry")
            }
        }
    }

    @Test("parallel transport preserves inner products, is tangent, and maps Log_x y to −Log_y x", arguments: 0..<3)
    func transportIsometry(_ c: Int) {
        let (name, m, sample) = Self.cases()[c]
        check(m, name, sample)
        func check<M: Manifold>(_ m: M, _ name: String, _ sample: (inout RandomStream) -> [Double]) {
            var rng = RandomStream(seed: 3)
            for _ in 0..<20 {
                let x = sample(&rng), y = sample(&rng)
                let u = Self.randomTangent(m, x, &rng, norm: 1.3), v = Self.randomTangent(m, x, &rng, norm: 0.7)
                let tu = m.transport(from: x, to: y, u), tv = m.transport(from: x, to: y, v)
                #expect(abs(m.inner(y, tu, tv) - m.inner(x, u, v)) < 1e-9, "\(name): ⟨Γu, Γv⟩ = ⟨u, v⟩")
                #expect(abs(m.norm(y, tu) - 1.3) < 1e-9, "\(name): ‖Γu‖ = ‖u‖")
                if m is Sphere { #expect(abs(Vec.dot(y, tu)) < 1e-12, "\(name): Γu ⊥ y") }
                // the geodesic's velocity is parallel: Γ(Log_x y) = −Log_y x
                let a = m.transport(from: x, to: y, m.log(x, y)), b = m.log(y, x)
                #expect(Self.maxAbsDiff(a, b.map { -$0 }) < 1e-8 * (1 + Vec.norm(b)), "\(name): Γ Log_x y = −Log_y x")
                // back and forth is the identity
                #expect(Self.maxAbsDiff(m.transport(from: y, to: x, tu), u) < 1e-9, "\(name): Γ_y^x Γ_x^y = id")
            }
        }
    }

    @Test("SPD: the metric is affine-invariant and Exp at I is expm")
    func spdBasics() {
        var rng = RandomStream(seed: 4)
        let m = SPD(size: 3)
        let x = Self.randomSPD(3, &rng), y = Self.randomSPD(3, &rng)
        let g = Self.randomSPD(3, &rng)   // any invertible G: d(GXGᵀ, GYGᵀ) = d(X, Y)
        let gx = m.product(m.product(g, x), g), gy = m.product(m.product(g, y), g)
        #expect(abs(m.distance(gx, gy) - m.distance(x, y)) < 1e-9)
        let id = [1.0, 0, 0, 0, 1, 0, 0, 0, 1]
        let v = Self.randomSymmetric(3, &rng)
        #expect(Self.maxAbsDiff(m.exp(id, v), m.function(v, Foundation.exp)) < 1e-10)
        #expect(abs(m.distance(id, x) - Vec.norm(m.function(x, Foundation.log))) < 1e-10)
    }

    /// Zhang & Sra (2016), Lemma 5: for a geodesic triangle with sides a, b, c and angle A between b
    /// and c, in curvature ≥ κ: a² ≤ ζ(κ, c) b² + c² − 2bc cos A; and, in curvature ≤ 0 (CAT(0)),
    /// a² ≥ b² + c² − 2bc cos A. SPD(n): κ = −1/2.
    @Test("SPD: curvature comparison with ζ(−1/2, c) on random triangles")
    func comparisonInequality() {
        var rng = RandomStream(seed: 5)
        let m = SPD(size: 4)
        var tightest = 0.0
        for trial in 0..<200 {
            let spread = [0.3, 1.0, 2.0][trial % 3]
            let x = Self.randomSPD(4, &rng, spread: spread)
            let y = Self.randomSPD(4, &rng, spread: spread), z = Self.randomSPD(4, &rng, spread: spread)
            let u = m.log(x, y), v = m.log(x, z)
            let b = m.norm(x, u), c = m.norm(x, v), a = m.distance(y, z)
            let cosA = m.inner(x, u, v) / (b * c)
            let zeta = Curvature.zeta(kappa: m.curvatureBounds.lower, diameter: c)
            let upper = zeta * b * b + c * c - 2 * b * c * cosA
            let lower = b * b + c * c - 2 * b * c * cosA
            #expect(a * a <= upper * (1 + 1e-10) + 1e-12, "trial \(trial): a² = \(a * a) > ζb² + c² − 2bc cos A = \(upper)")
            #expect(a * a >= lower * (1 - 1e-10) - 1e-12, "trial \(trial): a² below the CAT(0) law of cosines")
            tightest = max(tightest, (a * a - lower) / max(upper - lower, 1e-300))
        }
        // the inequality has content: some triangles use a visible part of the ζ slack
        #expect(tightest > 0.01, "curvature slack never used: \(tightest)")
    }

    /// Toponogov with curvature ≥ 0 (ζ = 1): on the sphere a² ≤ b² + c² − 2bc cos A (sides < π/2).
    @Test("Sphere: comparison inequality with ζ = 1 on random triangles")
    func sphereComparison() {
        var rng = RandomStream(seed: 12)
        let m = Sphere(ambientDimension: 5)
        for trial in 0..<200 {
            let x = Self.randomSpherePoint(5, &rng)
            let y = m.exp(x, Self.randomTangent(m, x, &rng, norm: 1.4 * rng.uniform() + 0.01))
            let z = m.exp(x, Self.randomTangent(m, x, &rng, norm: 1.4 * rng.uniform() + 0.01))
            let u = m.log(x, y), v = m.log(x, z)
            let b = m.norm(x, u), c = m.norm(x, v), a = m.distance(y, z)
            let cosA = m.inner(x, u, v) / (b * c)
            #expect(a * a <= (b * b + c * c - 2 * b * c * cosA) * (1 + 1e-10) + 1e-12, "trial \(trial)")
        }
    }

    @Test("ζ(κ, D): 1 for κ ≥ 0, increasing, ≈ 1 + |κ|D²/3 for small D")
    func zetaValues() {
        #expect(Curvature.zeta(kappa: 1, diameter: 3) == 1)
        #expect(abs(Curvature.zeta(kappa: -0.5, diameter: 0.01) - (1 + 0.5 * 1e-4 / 3)) < 1e-9)
        #expect(Curvature.zeta(kappa: -0.5, diameter: 2) < Curvature.zeta(kappa: -0.5, diameter: 3))
    }

    // MARK: problems

    /// d/dt f(Exp_x(t v)) at t = 0 equals ⟨grad f(x), v⟩ (central differences along the geodesic).
    static func gradientMatchesGeodesicDifference<P: RiemannianFiniteSum>(_ p: P, _ x: [Double], _ v: [Double]) -> (Double, Double) {
        let m = p.manifold, h = 1e-5
        let fd = (p.value(m.exp(x, v.map { h * $0 })) - p.value(m.exp(x, v.map { -h * $0 }))) / (2 * h)
        return (fd, m.inner(x, p.gradient(x), v))
    }

    @Test("Karcher mean (commuting and general anchors): grad f vs finite differences along geodesics")
    func karcherGradient() {
        var rng = RandomStream(seed: 6)
        for p in [KarcherMean.commuting(size: 3, count: 5, spread: 1, weights: KarcherMean.evenWeights(5, 0.5, 1.5), seed: 7),
                  KarcherMean.general(size: 3, count: 5, spread: 0.5, weights: KarcherMean.evenWeights(5, 0.5, 1.5), seed: 8)] {
            for _ in 0..<5 {
                let x = Self.randomSPD(3, &rng), v = Self.randomTangent(p.manifold, x, &rng, norm: 1)
                let (fd, an) = Self.gradientMatchesGeodesicDifference(p, x, v)
                #expect(abs(fd - an) < 1e-6 * (1 + abs(an)), "Karcher: \(fd) vs \(an)")
                // the ambient view: Euclidean gradient projects to the Riemannian one
                var e = [Double](repeating: 0, count: 9), r = e
                p.euclideanGradient(x, into: &e)
                p.manifold.riemannianGradient(x, euclidean: e, into: &r)
                #expect(Self.maxAbsDiff(r, p.gradient(x)) < 1e-9 * (1 + Vec.norm(r)))
            }
        }
    }

    @Test("Karcher mean, commuting: x* is stationary, f(x*) = f*, the flat maps isometrically")
    func karcherExact() throws {
        let p = KarcherMean.commuting(size: 4, count: 6, spread: 1, weights: KarcherMean.evenWeights(6, 0.25, 1.75), seed: 9)
        let xs = try #require(p.constants.xStar)
        #expect(p.gradientNormSquared(xs).squareRoot() < 1e-10)
        #expect(abs(p.value(xs) - p.constants.fStar!) < 1e-12)
        let flat = try #require(p.flatCounterpart)
        let x0 = try p.start(distance: 1.5, seed: 3)
        #expect(abs(p.manifold.distance(x0, xs) - 1.5) < 1e-10)
        let y0 = try #require(p.flatCoordinates(x0))
        #expect(abs(p.value(x0) - flat.value(y0)) < 1e-10)
        // gradients correspond: grad f(X) = Q diag(e^y ⊙ ∇f(y)) Qᵀ has norm ‖∇f(y)‖
        #expect(abs(p.gradientNormSquared(x0) - flat.gradientNormSquared(y0)) < 1e-9)
    }

    @Test("Sphere PCA: grad f vs finite differences, x* = v₁ stationary with f(v₁) = −λ₁/2")
    func spherePCA() {
        let p = SpherePCA.generated(dimension: 8, count: 30, top: 4, restMin: 0.5, restMax: 1, seed: 10)
        var rng = RandomStream(seed: 11)
        for _ in 0..<5 {
            let x = Self.randomSpherePoint(8, &rng), v = Self.randomTangent(p.manifold, x, &rng, norm: 1)
            let (fd, an) = Self.gradientMatchesGeodesicDifference(p, x, v)
            #expect(abs(fd - an) < 1e-7 * (1 + abs(an)))
        }
        let v1 = p.constants.xStar!
        #expect(p.gradientNormSquared(v1) < 1e-20)
        #expect(abs(p.value(v1) - p.constants.fStar!) < 1e-12)
        #expect(p.eigengap > 0)
        // Lᵢ = ‖aᵢ‖²: the transported-gradient Lipschitz bound on random pairs
        for _ in 0..<50 {
            let x = Self.randomSpherePoint(8, &rng), y = Self.randomSpherePoint(8, &rng)
            let i = rng.index(below: 30)
            let gi = p.componentGradient(i, at: x), gy = p.componentGradient(i, at: y)
            let t = p.manifold.transport(from: x, to: y, gi)
            let li = Vec.dot(Array(p.data[(i * 8)..<(i * 8 + 8)]), Array(p.data[(i * 8)..<(i * 8 + 8)]))
            #expect(Vec.distanceSquared(gy, t).squareRoot() <= li * p.manifold.distance(x, y) * (1 + 1e-10))
        }
    }
}
