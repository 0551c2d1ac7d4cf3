import Foundation

/// A symmetric scalar law used to build noise, with its absolute moments in closed form so that every
/// noise constant a bound uses is exact.
///
/// | law | sampler | E|X|^a |
/// |---|---|---|
/// | `gaussian` | ziggurat | 2^{a/2} Γ((a+1)/2)/√π |
/// | `studentT(ν)` | Z/√(χ²_ν/ν) | ν^{a/2} Γ((a+1)/2) Γ((ν−a)/2) / (√π Γ(ν/2)), a < ν |
/// | `symmetricPareto(β)` | ±U^{−1/β} | β/(β−a), a < β |
/// | `symmetricLomax(α)` | ±(U^{−1/α} − 1) | Γ(a+1)Γ(α−a)/Γ(α), a < α |
/// | `stable(α)` | Chambers–Mallows–Stuck | 2^a Γ((1+a)/2) Γ(1−a/α) / (√π Γ(1−a/2)), a < α (α < 2) |
/// | `rademacher` | ±1 | 1 |
///
/// Sources: classical (Student-t and Pareto moments: Johnson, Kotz & Balakrishnan, *Continuous
/// Univariate Distributions*; Lomax: E|X|^a = ∫₀^∞ a t^{a−1}(1+t)^{−α} dt = a·B(a, α−a) = Γ(a+1)Γ(α−a)/Γ(α), a Beta integral;
/// CMS sampler: Chambers, Mallows & Stuck 1976, as in GSL's `gsl_ran_levy`; stable moments for the
/// characteristic function exp(−|t|^α): Shanbhag & Sreehari 1977, Samorodnitsky & Taqqu 1994,
/// Property 1.2.17 — at α = 2, N(0, 2), it reduces to 2^a Γ((a+1)/2)/√π).
public enum ScalarLaw: Sendable, Equatable, CustomStringConvertible {
    case gaussian
    case studentT(dof: Double)
    case symmetricPareto(tail: Double)
    case symmetricLomax(tail: Double)
    case stable(alpha: Double)
    case rademacher

    /// E|X|^a in closed form; `.infinity` where the moment does not exist.
    public func absoluteMoment(_ a: Double) -> Double {
        switch self {
        case .gaussian:
            return pow(2, a / 2) * tgamma((a + 1) / 2) / Double.pi.squareRoot()
        case .studentT(let nu):
            guard a < nu else { return .infinity }
            return pow(nu, a / 2) * tgamma((a + 1) / 2) * tgamma((nu - a) / 2)
                / (Double.pi.squareRoot() * tgamma(nu / 2))
        case .symmetricPareto(let beta):
            return a < beta ? beta / (beta - a) : .infinity
        case .symmetricLomax(let alpha):
            return a < alpha ? tgamma(a + 1) * tgamma(alpha - a) / tgamma(alpha) : .infinity
        case .stable(let alpha):
            // α = 2 is N(0, 2): the general formula's Γ(1 − a/α)/Γ(1 − a/2) is 1, but 0/0-prone at a ∈ 2ℕ.
            if alpha >= 2 { return pow(2, a / 2) * ScalarLaw.gaussian.absoluteMoment(a) }
            guard a < alpha else { return .infinity }
            return pow(2, a) * tgamma((1 + a) / 2) * tgamma(1 - a / alpha)
                / (Double.pi.squareRoot() * tgamma(1 - a / 2))
        case .rademacher:
            return 1
        }
    }

    /// The supremum of the orders a for which E|X|^a is finite (∞ for light tails).
    public var tailIndex: Double {
        switch self {
        case .gaussian, .rademacher: return .infinity
        case .studentT(let nu): return nu
        case .symmetricPareto(let t), .symmetricLomax(let t): return t
        case .stable(let alpha): return alpha >= 2 ? .infinity : alpha
        }
    }

    /// One draw.
    @inlinable
    public func sample(_ rng: inout RandomStream) -> Double {
        switch self {
        case .gaussian: return rng.gaussian()
        case .studentT(let nu): return rng.studentT(dof: nu)
        case .symmetricPareto(let beta): return rng.sign() * pow(rng.uniformPositive(), -1 / beta)
        case .symmetricLomax(let alpha): return rng.sign() * (pow(rng.uniformPositive(), -1 / alpha) - 1)
        case .stable(let alpha): return rng.symmetricStable(alpha: alpha)
        case .rademacher: return rng.sign()
        }
    }

    public var description: String {
        switch self {
        case .gaussian: return "N(0,1)"
        case .studentT(let nu): return "Student-t(ν=\(nu))"
        case .symmetricPareto(let t): return "symmetric Pareto(tail \(t))"
        case .symmetricLomax(let t): return "symmetric Lomax(tail \(t))"
        case .stable(let a): return "symmetric α-stable(α=\(a))"
        case .rademacher: return "Rademacher"
        }
    }
}

extension RandomStream {
    /// ±1 with probability ½ each.
    @inlinable @inline(__always)
    public mutating func sign() -> Double {
        Double(bitPattern: 0x3FF0_0000_0000_0000 | ((next() >> 63) << 63))
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 by the boost U^{1/shape}.
    public mutating func gamma(shape: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1) * pow(uniformPositive(), 1 / shape) }
        let d = shape - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat { x = gaussian(); v = 1 + c * x } while v <= 0
            v = v * v * v
            let u = uniformPositive()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }

    /// Student-t with ν degrees of freedom: Z / √(χ²_ν / ν), χ²_ν = 2·Gamma(ν/2).
    public mutating func studentT(dof nu: Double) -> Double {
        gaussian() / (2 * gamma(shape: nu / 2) / nu).squareRoot()
    }

    /// Symmetric α-stable with unit scale (characteristic function exp(−|t|^α)), by
    /// Chambers–Mallows–Stuck; α = 2 gives N(0, 2), α = 1 Cauchy. Same law as `gsl_ran_levy(r, 1, α)`.
    public mutating func symmetricStable(alpha: Double) -> Double {
        let v = Double.pi * (uniformPositive() - 0.5)
        let w = -log(uniformPositive())
        if alpha == 1 { return tan(v) }
        let t = sin(alpha * v) / pow(cos(v), 1 / alpha)
        return t * pow(cos((1 - alpha) * v) / w, (1 - alpha) / alpha)
    }

    /// A point uniform on the unit sphere S^{d−1}, written into `u` (normalized Gaussian).
    public mutating func unitVector(into u: inout [Double]) {
        var s = 0.0
        for i in u.indices { let z = gaussian(); u[i] = z; s += z * z }
        let inv = 1 / s.squareRoot()
        for i in u.indices { u[i] *= inv }
    }
}
