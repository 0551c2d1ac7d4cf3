import Foundation

/// A compact convex set X ⊂ ℝ^d with what projection-free methods need: a linear minimization oracle,
/// its exact support value and the exact Euclidean diameter (docs/derivations/frank-wolfe.md §1).
public protocol ConstraintSet: Sendable, CustomStringConvertible {
    var dimension: Int { get }
    /// Writes a minimizer s ∈ argmin_{s∈X} ⟨g, s⟩ into `s` (an extreme point of X; no allocation).
    func lmo(_ g: [Double], into s: inout [Double])
    /// σ(g) = min_{s∈X} ⟨g, s⟩, in closed form.
    func support(_ g: [Double]) -> Double
    /// D = max_{x,y∈X} ‖x − y‖₂.
    var diameter: Double { get }
    /// Two points of X at distance D.
    var diameterPair: ([Double], [Double]) { get }
    /// True when x ∈ X up to `tolerance` (in each defining inequality).
    func contains(_ x: [Double], tolerance: Double) -> Bool
    /// The Euclidean projection onto X, where it is exact (nil otherwise).
    func project(_ x: [Double]) -> [Double]?
    /// The vertices, when X is a polytope with at most `limit` of them (for brute-force tests).
    func vertices(limit: Int) -> [[Double]]?
}

extension ConstraintSet {
    /// LMO(g) as a new vector (outside hot loops).
    public func lmo(_ g: [Double]) -> [Double] {
        var s = [Double](repeating: 0, count: dimension)
        lmo(g, into: &s)
        return s
    }

    /// The Frank-Wolfe gap max_{s∈X} ⟨g, x − s⟩ = ⟨g, x⟩ − σ(g) (≥ 0 for x ∈ X; with g = ∇f(x), zero
    /// exactly at first-order stationary points, and ≥ f(x) − f* for convex f).
    public func gap(_ g: [Double], at x: [Double]) -> Double { Vec.dot(g, x) - support(g) }
}

/// The ℓ1 ball {‖x‖₁ ≤ r}.
public struct L1Ball: ConstraintSet {
    public let dimension: Int, radius: Double
    public init(dimension: Int, radius: Double) {
        precondition(dimension >= 1 && radius > 0)
        self.dimension = dimension; self.radius = radius
    }
    public var description: String { "ℓ1 ball of radius \(radius.formatted3)" }

    @inlinable
    public func lmo(_ g: [Double], into s: inout [Double]) {
        var j = 0, best = -1.0
        for i in 0..<dimension { let a = abs(g[i]); if a > best { best = a; j = i } }
        for i in 0..<dimension { s[i] = 0 }
        s[j] = g[j] > 0 ? -radius : radius
    }
    public func support(_ g: [Double]) -> Double { -radius * g.map(abs).max()! }
    public var diameter: Double { 2 * radius }
    public var diameterPair: ([Double], [Double]) {
        var a = [Double](repeating: 0, count: dimension), b = a
        a[0] = radius; b[0] = -radius
        return (a, b)
    }
    public func contains(_ x: [Double], tolerance: Double) -> Bool { x.reduce(0) { $0 + abs($1) } <= radius + tolerance }
    public func project(_ x: [Double]) -> [Double]? {
        if contains(x, tolerance: 0) { return x }
        // Projection onto the ℓ1 ball: soft-threshold at the θ that projects |x| onto the r-simplex.
        let t = Simplex.thresholdForSimplex(x.map(abs), total: radius)
        return x.map { $0 >= 0 ? max($0 - t, 0) : -max(-$0 - t, 0) }
    }
    public func vertices(limit: Int) -> [[Double]]? {
        guard 2 * dimension <= limit else { return nil }
        return (0..<dimension).flatMap { i in [radius, -radius].map { v in
            var e = [Double](repeating: 0, count: dimension); e[i] = v; return e } }
    }
}

/// The probability simplex {x ≥ 0, Σx = 1}.
public struct Simplex: ConstraintSet {
    public let dimension: Int
    public init(dimension: Int) { precondition(dimension >= 2); self.dimension = dimension }
    public var description: String { "probability simplex in ℝ^\(dimension)" }

    @inlinable
    public func lmo(_ g: [Double], into s: inout [Double]) {
        var j = 0, best = Double.infinity
        for i in 0..<dimension { if g[i] < best { best = g[i]; j = i } }
        for i in 0..<dimension { s[i] = 0 }
        s[j] = 1
    }
    public func support(_ g: [Double]) -> Double { g.min()! }
    public var diameter: Double { 2.0.squareRoot() }
    public var diameterPair: ([Double], [Double]) {
        var a = [Double](repeating: 0, count: dimension), b = a
        a[0] = 1; b[1] = 1
        return (a, b)
    }
    public func contains(_ x: [Double], tolerance: Double) -> Bool {
        x.allSatisfy { $0 >= -tolerance } && abs(x.reduce(0, +) - 1) <= tolerance * Double(dimension)
    }
    public func project(_ x: [Double]) -> [Double]? {
        let t = Simplex.thresholdForSimplex(x, total: 1)
        return x.map { max($0 - t, 0) }
    }
    /// θ with Σ max(vᵢ − θ, 0) = total (sort-based; Held–Wolfe–Crowder 1974, Duchi et al. 2008).
    static func thresholdForSimplex(_ v: [Double], total: Double) -> Double {
        let u = v.sorted(by: >)
        var cumulative = 0.0, theta = 0.0
        for (i, ui) in u.enumerated() {
            cumulative += ui
            let t = (cumulative - total) / Double(i + 1)
            if ui - t > 0 { theta = t }
        }
        return theta
    }
    public func vertices(limit: Int) -> [[Double]]? {
        guard dimension <= limit else { return nil }
        return (0..<dimension).map { i in var e = [Double](repeating: 0, count: dimension); e[i] = 1; return e }
    }
}

/// The Euclidean ball {‖x‖₂ ≤ r}.
public struct L2Ball: ConstraintSet {
    public let dimension: Int, radius: Double
    public init(dimension: Int, radius: Double) {
        precondition(dimension >= 1 && radius > 0)
        self.dimension = dimension; self.radius = radius
    }
    public var description: String { "ℓ2 ball of radius \(radius.formatted3)" }

    @inlinable
    public func lmo(_ g: [Double], into s: inout [Double]) {
        let n = Vec.norm(g)
        if n == 0 {
            for i in 0..<dimension { s[i] = 0 }
            s[0] = radius
            return
        }
        let c = -radius / n
        for i in 0..<dimension { s[i] = c * g[i] }
    }
    public func support(_ g: [Double]) -> Double { -radius * Vec.norm(g) }
    public var diameter: Double { 2 * radius }
    public var diameterPair: ([Double], [Double]) {
        var a = [Double](repeating: 0, count: dimension), b = a
        a[0] = radius; b[0] = -radius
        return (a, b)
    }
    public func contains(_ x: [Double], tolerance: Double) -> Bool { Vec.norm(x) <= radius + tolerance }
    public func project(_ x: [Double]) -> [Double]? {
        let n = Vec.norm(x)
        return n <= radius ? x : x.map { $0 * radius / n }
    }
    public func vertices(limit: Int) -> [[Double]]? { nil }
}

/// The box [l, u] = {lᵢ ≤ xᵢ ≤ uᵢ}, lᵢ < uᵢ.
public struct Box: ConstraintSet {
    public let lower: [Double], upper: [Double]
    public init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count && !lower.isEmpty && zip(lower, upper).allSatisfy { $0 < $1 })
        self.lower = lower; self.upper = upper
    }
    public var dimension: Int { lower.count }
    public var description: String { "box in ℝ^\(dimension)" }

    @inlinable
    public func lmo(_ g: [Double], into s: inout [Double]) {
        for i in 0..<dimension { s[i] = g[i] > 0 ? lower[i] : upper[i] }
    }
    public func support(_ g: [Double]) -> Double {
        (0..<dimension).reduce(0) { $0 + min(g[$1] * lower[$1], g[$1] * upper[$1]) }
    }
    public var diameter: Double { Vec.distanceSquared(lower, upper).squareRoot() }
    public var diameterPair: ([Double], [Double]) { (lower, upper) }
    public func contains(_ x: [Double], tolerance: Double) -> Bool {
        (0..<dimension).allSatisfy { x[$0] >= lower[$0] - tolerance && x[$0] <= upper[$0] + tolerance }
    }
    public func project(_ x: [Double]) -> [Double]? { (0..<dimension).map { min(upper[$0], max(lower[$0], x[$0])) } }
    public func vertices(limit: Int) -> [[Double]]? {
        guard dimension < 30, 1 << dimension <= limit else { return nil }
        return (0..<(1 << dimension)).map { m in (0..<dimension).map { (m >> $0) & 1 == 1 ? upper[$0] : lower[$0] } }
    }
}
