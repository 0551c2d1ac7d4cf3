import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The instance spaces of the Frank-Wolfe problem families, for falsification searches
/// (`theorybench falsify`; docs/derivations/frank-wolfe.md §6). The feasible set, the planted
/// optimum and the start are one joint choice — x* must be first-order optimal on the set and the
/// start feasible — so each family's space renders the `constraint` key with them, and the
/// `constraint` part's own space is empty (`constraintSpace`).
extension FrankWolfe {
    /// The largest dimension the planted space draws (the catalog's largest is 30).
    static let spaceDimension = 30

    /// The constraint part varies with its family's space: no coordinates of its own.
    static let constraintSpace = InstanceSpace("the constraint set: drawn with the objective by the family's space (set, x*, start)", coordinates: 0) { _ in [] }

    /// planted-least-squares: the set a simplex, an ℓ1 ball, an ℓ2 ball (radius r ∈ [0.5, 5]) or a
    /// box [−a, b]^d (a, b ∈ [0.1, 2]); d ∈ {2…30}, n ∈ [d + 1, 1000] (log-uniform); x* on a face
    /// with s ∈ {1…d} free coordinates and the KKT conditions exact by construction (§6: multiplier
    /// c ∈ [0, 1], the off-face slacks anywhere in [0, 1] including ties; x* interior with g* = 0 for
    /// a quarter of the balls' points); the start x₀ = (1 − t)v + t x*, v a vertex (ℓ2: a boundary
    /// point, box: a corner) and t ∈ [0, 1], feasible as a convex combination.
    static let plantedSpace = InstanceSpace(
        "planted least squares on a simplex, ℓ1/ℓ2 ball (r ∈ [0.5, 5]) or box [−a, b]^d (a, b ∈ [0.1, 2]); d ∈ {2…30}, n ∈ [d+1, 1000]; x* anywhere on a face (KKT exact: multiplier ∈ [0, 1], slacks ∈ [0, 1], ties allowed; interior for a quarter of the balls); x₀ = (1 − t)·vertex + t·x*, t ∈ [0, 1]",
        coordinates: 10 + 3 * spaceDimension
    ) { u in PlantedPoint(u).keys }

    /// One point of `plantedSpace`: u[0] the set, u[1] d, u[2] n, u[3…4] the set's size, u[5] the
    /// face's size s, u[6] the multiplier c, u[7] interior, u[8] the start's vertex, u[9] t;
    /// u[10…] the face's weights and signs, then the slacks, then the start's direction.
    struct PlantedPoint {
        enum Kind: CaseIterable { case simplex, l1, l2, box }
        let kind: Kind, d: Int, n: Int, r: Double, lower: Double, upper: Double
        var x = [Double](), g = [Double](), start = [Double]()

        init(_ u: [Double]) {
            kind = Kind.allCases[InstanceSpace.integer(u[0], 0, 3)]
            d = InstanceSpace.integer(u[1], 2, spaceDimension)
            n = Int(InstanceSpace.logUniform(u[2], Double(d + 1), 1000).rounded())
            r = InstanceSpace.logUniform(u[3], 0.5, 5)
            lower = -InstanceSpace.logUniform(u[3], 0.1, 2); upper = InstanceSpace.logUniform(u[4], 0.1, 2)
            let s = InstanceSpace.integer(u[5], 1, d), c = u[6]
            let w = Array(u[10..<(10 + d)]), slack = Array(u[(10 + spaceDimension)..<(10 + spaceDimension + d)])
            let dir = Array(u[(10 + 2 * spaceDimension)..<(10 + 2 * spaceDimension + d)])
            let interior = u[7] < 0.25 ? 0.2 + 3.2 * u[7] : nil
            (x, g) = optimum(face: s, multiplier: c, weights: w, slacks: slack, interior: interior)
            let v = vertex(InstanceSpace.integer(u[8], 0, d - 1), dir)
            start = (0..<d).map { (1 - u[9]) * v[$0] + u[9] * x[$0] }
        }

        /// x* and g* = ∇f(x*) with ⟨g*, x*⟩ = min_{s∈X}⟨g*, s⟩ exactly (§6).
        func optimum(face s: Int, multiplier c: Double, weights w: [Double], slacks: [Double], interior: Double?) -> ([Double], [Double]) {
            var x = [Double](repeating: 0, count: d), g = x
            let sign = w.map { $0 < 0.5 ? -1.0 : 1.0 }, mass = w.map { 0.05 + abs(2 * $0 - 1) }
            switch kind {
            case .simplex:   // x* on the face spanned by e₀…e_{s−1}; g*ⱼ = −c there, −c + δⱼ off it
                let total = mass[0..<s].reduce(0, +)
                for j in 0..<d { x[j] = j < s ? mass[j] / total : 0; g[j] = j < s ? -c : -c + slacks[j] }
            case .l1:        // ‖x*‖₁ = r on the face of the signs; g*ⱼ = −c·sign there, |g*ⱼ| ≤ c off it
                let total = mass[0..<s].reduce(0, +)
                for j in 0..<d {
                    x[j] = j < s ? r * sign[j] * mass[j] / total : 0
                    g[j] = j < s ? -c * sign[j] : c * (2 * slacks[j] - 1)
                }
            case .l2:        // ‖x*‖ = r, g* = −c x*/r
                let z = w.map { 2 * $0 - 1 }, norm = max(Vec.norm(z), 1e-12)
                for j in 0..<d { x[j] = r * z[j] / norm; g[j] = -c * x[j] / r }
            case .box:       // s coordinates at a bound (g*ⱼ of the sign that makes it optimal), the others inside with g*ⱼ = 0
                for j in 0..<d {
                    if j < s { x[j] = sign[j] > 0 ? upper : lower; g[j] = -sign[j] * c * slacks[j] } else {
                        x[j] = lower + (upper - lower) * (0.05 + 0.9 * w[j]); g[j] = 0
                    }
                }
            }
            if let t = interior, kind == .l1 || kind == .l2 {   // strictly inside, unconstrained optimum
                for j in 0..<d { x[j] *= t; g[j] = 0 }
            }
            return (x, g)
        }

        /// A vertex of the set (ℓ2: the boundary point along `dir`; box: the corner of `dir`'s signs).
        func vertex(_ i: Int, _ dir: [Double]) -> [Double] {
            var v = [Double](repeating: 0, count: d)
            switch kind {
            case .simplex: v[i] = 1
            case .l1: v[i] = dir[i] < 0.5 ? -r : r
            case .l2:
                let z = dir.map { 2 * $0 - 1 }, norm = max(Vec.norm(z), 1e-12)
                for j in 0..<d { v[j] = norm > 1e-12 ? r * z[j] / norm : (j == 0 ? r : 0) }
            case .box: for j in 0..<d { v[j] = dir[j] < 0.5 ? lower : upper }
            }
            return v
        }

        var constraint: String {
            switch kind {
            case .simplex: return "{ set: simplex }"
            case .l1: return "{ set: l1-ball, radius: \(InstanceSpace.exact(r)) }"
            case .l2: return "{ set: l2-ball, radius: \(InstanceSpace.exact(r)) }"
            case .box: return "{ set: box, lower: \(InstanceSpace.exact(lower)), upper: \(InstanceSpace.exact(upper)) }"
            }
        }

        var keys: [(key: String, value: String)] {
            [("data", "{ rows: \(n), dimension: \(d) }"),
             ("optimum", "{ x: \(InstanceSpace.list(x)), gradient: \(InstanceSpace.list(g)) }"),
             ("constraint", constraint), ("start", InstanceSpace.list(start))]
        }
    }

    /// linear-cost on Δ₂ (the floor claim's class): c₁ ∈ [−1, 1], c₂ = c₁ ± δ with δ ∈ [0.005, 0.3]
    /// (log-uniform; δ ≠ 0, as the claim needs), the start anywhere in Δ₂.
    static let linearCostSpace = InstanceSpace(
        "linear cost ⟨c, x⟩ on Δ₂: c₁ ∈ [−1, 1], |c₂ − c₁| ∈ [0.005, 0.3] of either sign, x₀ anywhere in Δ₂",
        coordinates: 4
    ) { u in
        let c1 = 2 * u[0] - 1, delta = InstanceSpace.logUniform(u[1], 0.005, 0.3) * (u[2] < 0.5 ? -1 : 1)
        return [("cost", InstanceSpace.list([c1, c1 + delta])), ("constraint", "{ set: simplex }"),
                ("start", InstanceSpace.list([u[3], 1 - u[3]]))]
    }
}
