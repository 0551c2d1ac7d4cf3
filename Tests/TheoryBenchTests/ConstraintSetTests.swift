import Foundation
import Testing
import TheoryBench

/// `Constraints/`: every LMO returns a feasible minimizer of ⟨g, s⟩ (against brute force over the
/// vertices of the polytopes, and against a fine search over the ℓ2 sphere), the closed-form support
/// value agrees, the diameter is attained and not exceeded, and projections are feasible fixed points.
@Suite("Constraint sets")
struct ConstraintSetTests {
    static let d = 6
    static let sets: [any ConstraintSet] = [
        L1Ball(dimension: d, radius: 1.7), Simplex(dimension: d), L2Ball(dimension: d, radius: 0.8),
        Box(lower: [-1, 0, 0.5, -2, -0.1, 3], upper: [1, 2, 0.7, -1, 0.1, 4]),
    ]

    static func randomGradients(_ count: Int, seed: UInt64) -> [[Double]] {
        var rng = RandomStream(seed: seed)
        return (0..<count).map { _ in (0..<d).map { _ in rng.gaussian() } }
    }

    @Test("the LMO is feasible and attains the minimum over the vertices (brute force), equal to the support value",
          arguments: 0..<4)
    func lmoAgainstVertices(_ which: Int) throws {
        let c = Self.sets[which]
        guard let verts = c.vertices(limit: 1000) else { return }   // ℓ2: see lmoOnTheSphere
        for g in Self.randomGradients(200, seed: 11 + UInt64(which)) {
            let s = c.lmo(g)
            #expect(c.contains(s, tolerance: 1e-12), "\(c): LMO left the set")
            let brute = verts.map { Vec.dot(g, $0) }.min()!
            #expect(abs(Vec.dot(g, s) - brute) <= 1e-12 * max(1, abs(brute)), "\(c): ⟨g, LMO(g)⟩ = \(Vec.dot(g, s)) vs \(brute)")
            #expect(abs(c.support(g) - brute) <= 1e-12 * max(1, abs(brute)))
            #expect(verts.contains { Vec.distanceSquared($0, s) < 1e-24 }, "\(c): LMO(g) is not a vertex")
        }
    }

    @Test("ℓ2 ball: ⟨g, LMO(g)⟩ = −r‖g‖ and no point of a fine search over the sphere does better")
    func lmoOnTheSphere() {
        let c = L2Ball(dimension: 2, radius: 0.8)
        for g in [[1.0, -2.0], [0.3, 0.1], [-5, 4]] {
            let s = c.lmo(g)
            let best = (0..<100_000).map { t -> Double in
                let a = 2 * Double.pi * Double(t) / 100_000
                return 0.8 * (g[0] * cos(a) + g[1] * sin(a))
            }.min()!
            #expect(Vec.dot(g, s) <= best + 1e-12)
            #expect(best - Vec.dot(g, s) < 1e-8 * Vec.norm(g))   // the grid's resolution (2π/1e5)²/2
            #expect(abs(Vec.norm(s) - 0.8) < 1e-14 && abs(c.support(g) + 0.8 * Vec.norm(g)) < 1e-14)
        }
        #expect(Vec.norm(c.lmo([0, 0])) == 0.8)   // g = 0: any point of the sphere, still feasible
    }

    @Test("simplex LMO is invariant under adding a constant to g (no sign factor; all-positive gradients stay feasible)")
    func simplexMetamorphic() {
        let c = Simplex(dimension: Self.d)
        for g in Self.randomGradients(100, seed: 5) {
            let shifted = g.map { $0 + 10 }
            #expect(c.lmo(g) == c.lmo(shifted))
            #expect(c.contains(c.lmo(shifted), tolerance: 0))
        }
    }

    @Test("the diameter is attained by diameterPair and not exceeded by any pair of vertices or sampled points", arguments: 0..<4)
    func diameter(_ which: Int) {
        let c = Self.sets[which]
        let (a, b) = c.diameterPair
        #expect(c.contains(a, tolerance: 1e-14) && c.contains(b, tolerance: 1e-14))
        #expect(abs(Vec.distanceSquared(a, b).squareRoot() - c.diameter) <= 1e-14 * c.diameter)
        // Points of X: LMO outputs (extreme points) for random directions.
        let pts = c.vertices(limit: 1000) ?? Self.randomGradients(400, seed: 3).map { c.lmo($0) }
        var far = 0.0
        for p in pts { for q in pts { far = max(far, Vec.distanceSquared(p, q).squareRoot()) } }
        #expect(far <= c.diameter * (1 + 1e-14))
        if c.vertices(limit: 1000) != nil { #expect(abs(far - c.diameter) <= 1e-14 * c.diameter) }
    }

    @Test("projections are feasible, fix points of the set, and satisfy the obtuse-angle condition", arguments: 0..<4)
    func projection(_ which: Int) throws {
        let c = Self.sets[which]
        var rng = RandomStream(seed: 9)
        for g in Self.randomGradients(100, seed: 21) {
            let x = g.map { 3 * $0 }
            let p = try #require(c.project(x))
            #expect(c.contains(p, tolerance: 1e-12), "\(c): projection infeasible")
            #expect(Vec.distanceSquared(try #require(c.project(p)), p) < 1e-24)
            // ⟨x − P(x), y − P(x)⟩ ≤ 0 for every y ∈ X (here: extreme points).
            for _ in 0..<5 {
                let y = c.lmo((0..<Self.d).map { _ in rng.gaussian() })
                let inner = zip(zip(x, p), y).reduce(0.0) { $0 + ($1.0.0 - $1.0.1) * ($1.1 - $1.0.1) }
                #expect(inner <= 1e-10, "\(c): projection violates the variational inequality (\(inner))")
            }
        }
    }

    @Test("the Frank-Wolfe gap is non-negative on the set and zero where the set's first-order condition holds")
    func gapProperties() {
        let c = Simplex(dimension: 3)
        #expect(abs(c.gap([-1, 0, 0.5], at: [1, 0, 0])) < 1e-15)     // e₁ minimizes ⟨g, ·⟩
        #expect(abs(c.gap([2, 1, 1], at: [0, 0.5, 0.5]) - 0) < 1e-15)  // constant on the face
        #expect(c.gap([2, 1, 1], at: [1, 0, 0]) == 1)
        for g in Self.randomGradients(50, seed: 2) {
            let x = Simplex(dimension: Self.d).project(g)!
            #expect(Simplex(dimension: Self.d).gap(g, at: x) >= -1e-15)
        }
    }
}
