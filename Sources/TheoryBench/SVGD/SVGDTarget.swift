import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// How an SVGD run is set up on a target: n particles drawn i.i.d. from μ₀ = N(x₀, s₀²I) (x₀ the
/// instance's `start`), and the bandwidth h of the RBF kernel k(x, y) = exp(−‖x − y‖²/h), used both by
/// the update and by the kernel Stein discrepancy. Read by the `svgd-target` family with the target, so
/// every instance of that family carries it and only the SVGD claims (which understand the part kind
/// `particles`) pair with them.
public struct ParticlesPart: InstancePart, Equatable {
    public static let kind: PartKind = "particles"
    public let count: Int
    public let spread: Double
    public let bandwidth: Double

    public init(count: Int, spread: Double, bandwidth: Double) {
        self.count = count; self.spread = spread; self.bandwidth = bandwidth
    }

    public var description: String { "\(count) particles from N(x₀, \(spread.formatted3)²I), h = \(bandwidth.formatted3)" }

    /// n, s₀, h, and the constants the SVGD claims derive from them and the target (KL(μ₀|π), B², M̄ and
    /// the step-size condition's γ_max with its point (L1, L0(L1), α) on the trade-off curve).
    public func reportedConstants(of instance: Instance) -> [String: Double] {
        var out = ["n (particles)": Double(count), "s0": spread, "h": bandwidth]
        if let c = SVGDL0L1.TargetInstance(instance), c.condition.maxStep > 0 {
            out["KL(mu0|pi)"] = c.kl0; out["B^2"] = c.kernelBoundSquared; out["M-bar"] = c.momentBound
            out["gamma_max"] = c.condition.maxStep; out["L1 at gamma_max"] = c.condition.l1
            out["L0 at gamma_max"] = c.condition.l0; out["alpha at gamma_max"] = c.condition.alpha
        }
        return out
    }

    /// `particles: {count: n ≥ 2, spread: s₀ > 0, bandwidth: h > 0}` (required).
    static func read(_ f: inout Fields) throws -> ParticlesPart {
        guard var p = try f.sub("particles") else { throw f.error("particles", "missing (required): {count, spread, bandwidth}") }
        guard let n = try p.positiveInt("count") else { throw p.error("count", "missing (required)") }
        guard n >= 2 else { throw p.error("count", "\(n) is invalid: must be at least 2 (a kernel needs pairs)") }
        try ResourceLimits.check(p, "count", Double(n), 20_000, "the particle count n (O(n²) per step)")
        guard let s = try p.double("spread", where: { $0 > 0 }, "positive") else { throw p.error("spread", "missing (required)") }
        guard let h = try p.double("bandwidth", where: { $0 > 0 }, "positive") else { throw p.error("bandwidth", "missing (required)") }
        try p.rejectUnknown()
        return ParticlesPart(count: n, spread: s, bandwidth: h)
    }
}

extension ProblemFamily {
    /// `svgd-target`: π ∝ e^{−V} with V = a‖x‖⁴/4 + b‖x‖²/2, and the particle set-up.
    public static let svgdTarget = ProblemFamily(
        name: "svgd-target",
        documentation: """
        a target π ∝ e^{−V} for SVGD (SVGD family): `kind: gaussian` (V = b‖x‖²/2, L-smooth, L = b) or \
        `kind: radial-quartic` (V = a‖x‖⁴/4 + b‖x‖²/2, a > 0: (L0, L1)-smooth, not L-smooth); `dimension` d, \
        `quadratic` b > 0 (default 1), `quartic` a > 0 (radial-quartic only, required); and `particles: {count: \
        n ≥ 2, spread: s₀ > 0, bandwidth: h > 0}` (required; part kind `particles`): n particles from \
        N(x₀, s₀²I), x₀ the `start`, RBF kernel exp(−‖x − y‖²/h). Constants, exact: the curve \
        L0(L1) = sup_r(3ar² + b − L1 r(ar² + b)) in closed form, ln Z (closed form for the Gaussian, radial \
        Simpson quadrature otherwise), KL(μ₀|π) and E_{μ₀}‖∇V‖² from non-central χ² moments.
        """,
        space: svgdTargetSpace
    ) { f, _, _ in
        let kind = try f.requiredString("kind")
        guard kind == "gaussian" || kind == "radial-quartic" else {
            throw f.error("kind", "'\(kind)' is invalid: must be 'gaussian' or 'radial-quartic'")
        }
        guard let d = try f.positiveInt("dimension") else { throw f.error("dimension", "missing (required)") }
        try ResourceLimits.check(f, "dimension", Double(d), 1000, "the dimension d of an SVGD target")
        let b = try f.double("quadratic", where: { $0 > 0 }, "positive") ?? 1
        var a = 0.0
        if kind == "radial-quartic" {
            guard let q = try f.double("quartic", where: { $0 > 0 }, "positive") else { throw f.error("quartic", "missing (required for radial-quartic)") }
            a = q
        } else if f.has("quartic") {
            throw f.error("quartic", "only for kind radial-quartic (a Gaussian target has a = 0)")
        }
        let particles = try ParticlesPart.read(&f)
        return ProblemReading(RadialPotential(dimension: d, quartic: a, quadratic: b), parts: [particles])
    }
}
