/// A differentiable objective f: ℝ^d → ℝ with the exact constants the theorems need.
///
/// Methods see only `value` and `gradient`; claims see `constants`. Every constant is computed
/// from the instance's definition (closed forms, eigenvalues), never estimated from a run.
public protocol Objective: Sendable {
    var dimension: Int { get }
    var constants: ProblemConstants { get }
    func value(_ x: [Double]) -> Double
    /// Writes ∇f(x) into `g` (which has `dimension` entries).
    func gradient(_ x: [Double], into g: inout [Double])
    /// The exact constants a report shows for runs started at `start`, by name. The default gives the
    /// Euclidean ones (L, μ, f*, f(x₀) − f*, ‖x₀ − x*‖², and σ² = 0 for the exact gradient, which an
    /// instance's oracle part overrides); a problem observed differently (a Riemannian finite sum)
    /// reports its own.
    func reportedConstants(start: [Double]) -> [String: Double]
}

/// f(x) = (1/n) Σᵢ fᵢ(x): an objective that an oracle can sample component-wise.
public protocol FiniteSumObjective: Objective {
    /// n, the number of components.
    var componentCount: Int { get }
    /// g ← g + weight·∇fᵢ(x).
    func addComponentGradient(_ i: Int, at x: [Double], weight: Double, into g: inout [Double])
}

/// The exact constants of an instance. `nil` means "not available for this instance" (a claim that
/// needs it does not pair with the instance).
public struct ProblemConstants: Sendable, Equatable {
    /// Smoothness: ‖∇f(x) − ∇f(y)‖ ≤ L‖x − y‖.
    public var L: Double
    /// Strong convexity modulus (nil when not strongly convex).
    public var mu: Double?
    /// True when f is convex.
    public var convex: Bool
    /// The minimizer, when known exactly (closed form or solved to machine precision).
    public var xStar: [Double]?
    /// The minimum value f* = f(x*) (or inf f), when known exactly.
    public var fStar: Double?
    /// How `xStar`/`fStar` were obtained ("closed form", "Newton to machine precision", …).
    public var optimumSource: String
    /// λ_max(∇²f(x*)), the curvature that decides local stability of GD at x* (γ < 2/λ); equals L
    /// for quadratics. nil when unknown.
    public var curvatureAtOptimum: Double?

    public init(L: Double, mu: Double? = nil, convex: Bool, xStar: [Double]? = nil, fStar: Double? = nil,
                optimumSource: String = "closed form") {
        self.L = L; self.mu = mu; self.convex = convex
        self.xStar = xStar; self.fStar = fStar; self.optimumSource = optimumSource
        curvatureAtOptimum = L
    }

    /// κ = L/μ.
    public var conditionNumber: Double? { mu.map { L / $0 } }
}

extension Objective {
    public func reportedConstants(start: [Double]) -> [String: Double] {
        let c = constants
        var out: [String: Double] = ["L": c.L, "sigma^2": 0]
        if let mu = c.mu { out["mu"] = mu }
        if let f = c.fStar { out["f*"] = f; out["f(x0)-f*"] = value(start) - f }
        if let xs = c.xStar { out["|x0-x*|^2"] = Vec.distanceSquared(start, xs) }
        return out
    }

    /// ∇f(x) as a new vector (convenience outside hot loops).
    public func gradient(_ x: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: dimension)
        gradient(x, into: &g)
        return g
    }
}
