import Foundation
import Testing
import TheoryBench

/// The positively curved Riemannian instance, the Karcher mean on a sphere cap
/// (docs/derivations/riemannian-vr.md §5.6): the Hessian of ½d²(·, a) (Lemma 5.1), the certified
/// constants on random pairs of the cap (Lᵢ = wᵢ, μ = w̄·D cot D, with the curvature felt), x*'s
/// certificate, the region check, and the `sphere-karcher` YAML family's validation (one test per kind
/// of bad input, each a `file: key: reason` error).
@Suite("RiemannianVR sphere cap")
struct RiemannianVRCapTests {
    static let cap = try! SphereKarcher.cap(dimension: 6, count: 8, anchorRadius: 0.3, radius: 0.7,
                                            weights: KarcherMean.evenWeights(8, 0.5, 1.5), seed: 9)

    /// A random point of B(e₁, ρ): Exp_{e₁} of a tangent direction of length ≤ ρ.
    static func capPoint(_ rng: inout RandomStream, _ rho: Double) -> [Double] {
        let p = cap, d = p.manifold.ambientDimension
        var u = [Double](repeating: 0, count: d)
        for j in 1..<d { u[j] = rng.gaussian() }
        Vec.scale(rho * rng.uniform() / Vec.norm(u), &u)
        return p.manifold.exp(p.centre, u)
    }

    /// A unit tangent vector at x drawn from rng, orthogonal to x and to `also` (when given).
    static func tangent(_ x: [Double], orthogonalTo also: [Double]? = nil, _ rng: inout RandomStream) -> [Double] {
        var u = (0..<x.count).map { _ in rng.gaussian() }
        Vec.axpy(-Vec.dot(u, x), x, &u)
        if let a = also { let n = Vec.norm(a); Vec.axpy(-Vec.dot(u, a) / (n * n), a, &u) }
        Vec.scale(1 / Vec.norm(u), &u)
        return u
    }

    /// Lemma 5.1: along the geodesic towards a, t ↦ ½d²(Exp_x(tu), a) has second derivative 1 at t = 0;
    /// across it, r·cot r (r = d(x, a)). Central differences, h = 1e-4.
    @Test("Hessian of ½d²(·, a) on the sphere: 1 along the geodesic to a, r·cot r across it")
    func hessianOfSquaredDistance() {
        let m = Sphere(ambientDimension: 5)
        var rng = RandomStream(seed: 21)
        for _ in 0..<20 {
            let x = Self.tangent([0, 0, 0, 0, 0], &rng)            // a random unit vector of ℝ⁵
            let r = 0.1 + 1.3 * rng.uniform()
            let a = m.exp(x, Self.tangent(x, &rng).map { $0 * r })
            let radial = m.log(x, a).map { $0 / r }
            let across = Self.tangent(x, orthogonalTo: radial, &rng)
            func second(_ u: [Double]) -> Double {
                let h = 1e-4
                func phi(_ t: Double) -> Double { let y = m.exp(x, u.map { $0 * t }); return 0.5 * pow(m.distance(y, a), 2) }
                return (phi(h) - 2 * phi(0) + phi(-h)) / (h * h)
            }
            #expect(abs(second(radial) - 1) < 1e-5, "radial: \(second(radial))")
            #expect(abs(second(across) - r / tan(r)) < 1e-5, "across: \(second(across)) vs r cot r = \(r / tan(r))")
        }
    }

    @Test("cap constants: anchors within R, x* certified inside B(e₁, R), Lᵢ = wᵢ, μ = w̄·cot 1, ζ = 1")
    func capConstants() throws {
        let p = Self.cap, c = p.constants
        let xs = try #require(c.xStar), acc = try #require(c.xStarAccuracy), mu = try #require(c.mu)
        for i in 0..<p.count {
            let a = Array(p.anchors[(i * 6)..<(i * 6 + 6)])
            #expect(p.distanceToCentre(a) <= 0.3 + 1e-12)
        }
        #expect(p.distanceToCentre(xs) <= 0.3 + acc)
        #expect(acc < 1e-11 && p.gradientNormSquared(xs).squareRoot() / mu <= acc * (1 + 1e-9))
        #expect(c.Lmax == 1.5 && c.Lf == 1 && c.zeta == 1 && c.muPL == mu)
        #expect(abs(mu - 1 / tan(1.0)) < 1e-15)
        #expect(c.fStar == p.value(xs))
    }

    /// Lemmas 5.1 and 1.1 on the cap: ‖grad fᵢ(y) − Γ_x^y grad fᵢ(x)‖ ≤ wᵢ d(x, y) and
    /// f(y) ≥ f(x) + ⟨grad f(x), Log_x y⟩ + (μ/2)d²(x, y) on random pairs; and the curvature is felt: the
    /// smallest observed convexity ratio is below w̄, the value the flat would give.
    @Test("cap: smoothness Lᵢ = wᵢ and μ = w̄·D cot D hold on random pairs; curvature lowers μ below w̄")
    func capSmoothnessAndConvexity() {
        let p = Self.cap, m = p.manifold, mu = p.constants.mu!
        var rng = RandomStream(seed: 12)
        var worstSmooth = 0.0, worstConvex = Double.infinity
        for _ in 0..<400 {
            let x = Self.capPoint(&rng, 0.7), y = Self.capPoint(&rng, 0.7)
            let dxy = m.distance(x, y)
            guard dxy > 1e-4 else { continue }
            for i in 0..<p.componentCount {
                let t = m.transport(from: x, to: y, p.componentGradient(i, at: x))
                let diff = zip(p.componentGradient(i, at: y), t).map { $0 - $1 }
                worstSmooth = max(worstSmooth, m.norm(y, diff) / (p.weights[i] * dxy))
            }
            let g = p.gradient(x)
            let excess = p.value(y) - p.value(x) - m.inner(x, g, m.log(x, y))
            worstConvex = min(worstConvex, excess / (0.5 * dxy * dxy))
        }
        #expect(worstSmooth <= 1 + 1e-9, "smoothness ratio to wᵢ: \(worstSmooth)")
        #expect(worstConvex >= mu - 1e-9, "convexity ratio \(worstConvex) < μ = \(mu)")
        #expect(worstConvex < 0.99, "the curvature is not felt: the convexity ratio stays at \(worstConvex) ≥ w̄ = 1")
    }

    @Test("cap: grad f matches finite differences of f along geodesics")
    func gradientFiniteDifferences() {
        let p = Self.cap, m = p.manifold
        var rng = RandomStream(seed: 4)
        for _ in 0..<10 {
            let x = Self.capPoint(&rng, 0.6), u = Self.tangent(x, &rng), h = 1e-6
            let fd = (p.value(m.exp(x, u.map { $0 * h })) - p.value(m.exp(x, u.map { -$0 * h }))) / (2 * h)
            #expect(abs(fd - m.inner(x, p.gradient(x), u)) < 1e-8)
        }
    }

    @Test("chordal-logarithm variant (a control's wrong gradient): on the sphere −wᵢ(sin θ/θ)Log_x aᵢ, on SPD −wᵢ(Aᵢ − X); its zero is not x*")
    func chordalLogarithm() {
        let p = Self.cap, m = p.manifold, wrong = ChordalLogKarcher(p)
        var rng = RandomStream(seed: 5)
        for _ in 0..<5 {
            let x = Self.capPoint(&rng, 0.6)
            for i in [0, 3] {
                let a = Array(p.anchors[i * 6..<(i + 1) * 6]), theta = m.distance(x, a)
                let expected = p.componentGradient(i, at: x).map { $0 * Foundation.sin(theta) / theta }
                #expect(Vec.distanceSquared(wrong.componentGradient(i, at: x), expected).squareRoot() < 1e-12)
            }
        }
        // x* is not a zero of the wrong field (the extrinsic mean is), while the true gradient vanishes there.
        let xs = p.constants.xStar!
        #expect(p.gradientNormSquared(xs) < 1e-24 && wrong.gradientNormSquared(xs) > 1e-10)
        let spd = KarcherMean.ball(size: 3, count: 4, anchorRadius: 0.5, radius: 1, weights: KarcherMean.evenWeights(4, 0.5, 1.5), seed: 2)
        let chord = ChordalLogKarcher(spd), x = spd.constants.xStar!
        let expected = (0..<9).map { -spd.weights[1] * (spd.anchors[1][$0] - x[$0]) }
        #expect(Vec.distanceSquared(chord.componentGradient(1, at: x), expected) < 1e-24)
        #expect(chord.gradientNormSquared(x) > 1e-8)
    }

    /// The zero x̃ of the chordal field, in closed form (§8.7): the normalised Σwᵢaᵢ on the sphere, the
    /// arithmetic mean Σwᵢaᵢ/Σwᵢ on SPD; f(x̃) − f* ≥ (μ/2)d²(x̃, x*) > 0 is what the controls' runs settle at.
    @Test("chordal logarithm: its field vanishes at the extrinsic mean x̃ ≠ x*, and f(x̃) − f* > 0 on every Karcher instance off ℝ^d")
    func chordalZero() throws {
        for id in ["sphere-karcher-cap", "spd-karcher-ball", "spd-karcher-commuting"] {
            let setting = try #require(TestCatalog.instance(id).riemannian)
            let anchors: [[Double]], weights: [Double], wrong: any RiemannianFiniteSum
            switch setting.problem {
            case let k as SphereKarcher:
                let d = k.manifold.ambientDimension
                anchors = (0..<k.count).map { Array(k.anchors[$0 * d..<($0 + 1) * d]) }; weights = k.weights; wrong = ChordalLogKarcher(k)
            case let k as KarcherMean: anchors = k.anchors; weights = k.weights; wrong = ChordalLogKarcher(k)
            default: Issue.record("\(id) is not a Karcher mean"); continue
            }
            var xt = [Double](repeating: 0, count: anchors[0].count)
            for (a, w) in zip(anchors, weights) { Vec.axpy(w / weights.reduce(0, +), a, &xt) }
            if setting.problem.manifold is Sphere { Vec.scale(1 / Vec.norm(xt), &xt) }
            let c = setting.constants, m = setting.problem.manifold
            let dist = m.distance(xt, c.xStar!), gap = setting.problem.value(xt) - c.fStar!
            print("chordal zero on \(id): d(x̃, x*) = \(dist), f(x̃) − f* = \(gap), ‖wrong grad(x̃)‖² = \(wrong.gradientNormSquared(xt)), f(x₀) − f* = \(TestCatalog.instance(id).reportedConstants["f(x0)-f*"]!)")
            #expect(wrong.gradientNormSquared(xt) < 1e-20, "\(id)")
            #expect(dist > 1e-4 && gap >= 0.5 * c.mu! * dist * dist * (1 - 1e-9), "\(id)")
        }
    }

    @Test("every Riemannian claim pairs with at least one curved instance of problems/ (flat = 0, κ ≠ 0)")
    func everyClaimOnACurvedInstance() {
        let curved = ["spd-karcher-ball", "sphere-karcher-cap", "sphere-pca-d20"].map(TestCatalog.instance)
        for i in curved { #expect(i.reportedConstants["flat"] == 0 && (i.reportedConstants["kappa_min"] != 0 || i.reportedConstants["kappa_max"] != 0)) }
        for claim in RiemannianVR.family.claims {
            #expect(curved.contains { claim.pairs(with: $0) }, "\(claim.id) runs on no curved instance")
        }
    }

    @Test("the chordal-logarithm controls apply on the SPD and sphere Karcher instances, not on ℝ⁵ or sphere-PCA")
    func chordalControlApplies() throws {
        let claims = RiemannianVR.family.claims
        for (id, applies) in [("spd-karcher-ball", true), ("sphere-karcher-cap", true), ("spd-karcher-commuting", true),
                              ("weighted-centers-d5", false), ("sphere-pca-d20", false)] {
            let inst = TestCatalog.instance(id)
            for claim in claims {
                guard let k = claim.controls.firstIndex(where: { $0.id.hasSuffix(".chordal-logarithm") }),
                      let prepared = claim.prepared(inst) else { continue }
                #expect((prepared.controls[k].experiment != nil) == applies, "\(claim.id) on \(id)")
            }
        }
    }

    @Test("cap: a point outside B(e₁, ρ) is a region violation; the catalog instance reports it curved")
    func regionAndReport() throws {
        let p = Self.cap
        var rng = RandomStream(seed: 3)
        #expect(p.regionViolation(p.constants.xStar!) == nil)
        var u = Self.tangent(p.centre, &rng); Vec.scale(0.75, &u)
        #expect(p.regionViolation(p.manifold.exp(p.centre, u)) != nil)
        let k = TestCatalog.instance("sphere-karcher-cap").reportedConstants
        #expect(k["flat"] == 0 && k["kappa_min"] == 1 && k["kappa_max"] == 1 && k["zeta"] == 1)
        #expect(k["mu"]! < k["L_f"]!)
        for id in ["spd-karcher-commuting", "weighted-centers-d5"] {
            let f = TestCatalog.instance(id).reportedConstants
            #expect(f["flat"] == 1 && f["kappa_min"] == 0 && f["kappa_max"] == 0, "\(id)")
        }
        let ball = TestCatalog.instance("spd-karcher-ball").reportedConstants
        #expect(ball["flat"] == 0 && ball["kappa_min"] == -0.5)
    }

    // MARK: the YAML family

    static func base(dimension: String = "dimension: 6", cap: String = "cap: { anchors: 0.3, radius: 0.7 }",
                     start: String = "start: { distance: 0.1 }", weights: String = "weights: { min: 0.5, max: 1.5 }") -> String {
        """
        family: sphere-karcher
        \(dimension)
        components: 8
        \(weights)
        \(cap)
        \(start)
        budget: { iterations: 100, runs: 4 }
        seed: 9
        """
    }
    static func parse(_ text: String) throws -> Instance { try InstanceFile.parse(text, file: "/tmp/problems/cap.yaml") }
    static func error(_ text: String) -> CatalogError? {
        TestCatalog.parseError(text, file: "/tmp/problems/cap.yaml")
    }

    @Test("the good file parses into the sphere-karcher problem with its certified constants")
    func goodFile() throws {
        let inst = try Self.parse(Self.base())
        #expect(inst.partKinds == ["manifold"])
        let k = inst.reportedConstants
        #expect(k["Lmax"] == 1.5 && k["mu"] == 1 / tan(1.0) && k["flat"] == 0)
        #expect(RiemannianVR.rlsvrgLyapunov.pairs(with: inst) && RiemannianVR.rpagePL.pairs(with: inst))
    }

    /// (text, key, words in the reason)
    static let bad: [(String, String, String)] = [
        (base(cap: ""), "cap", "missing"),
        (base(cap: "cap: 0.3"), "cap", "expected a mapping"),
        (base(cap: "cap: { radius: 0.7 }"), "cap.anchors", "missing"),
        (base(cap: "cap: { anchors: 0.3 }"), "cap.radius", "missing"),
        (base(cap: "cap: { anchors: -0.3, radius: 0.7 }"), "cap.anchors", "positive"),
        (base(cap: "cap: { anchors: 0.5, radius: 0.4 }"), "cap.radius", "must contain the anchors"),
        (base(cap: "cap: { anchors: 0.5, radius: 1.1 }"), "cap.radius", "π/2"),
        (base(cap: "cap: { anchors: 0.3, radius: 0.7, centre: 1 }"), "cap.centre", "unknown key"),
        (base(dimension: "dimension: 2"), "dimension", "< 3"),
        (base(dimension: ""), "dimension", "missing"),
        (base(start: "start: { distance: 0.9 }"), "start.distance", "outside the certified cap"),
        (base(weights: "weights: { min: 2, max: 1 }"), "weights.min", "exceeds max"),
    ]

    @Test("every kind of bad sphere-karcher input is rejected naming file, key and reason", arguments: 0..<12)
    func badInput(_ i: Int) throws {
        let (text, key, words) = Self.bad[i]
        let e = try #require(Self.error(text), "case \(i) was accepted")
        #expect(e.file == "/tmp/problems/cap.yaml" && e.key == key && e.reason.contains(words), "case \(i): \(e)")
    }
}
