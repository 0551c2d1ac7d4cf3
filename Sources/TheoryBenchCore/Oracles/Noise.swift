import Foundation

/// Additive gradient noise ξ = s·r built from a symmetric scalar law, with exact moments.
///
/// - `perCoordinate`: ξ_j = s·r_j, r_j i.i.d. — E‖ξ‖² = d·s²·E r². Gaussian r is drawn by the
///   eight-lane ziggurat (`addGaussianLanes`), Pareto/Lomax by `PowerTailSampler.add`.
/// - `radial`: ξ = s·r·u, u uniform on the unit sphere, r one scalar draw —
///   E‖ξ‖^a = s^a·E|r|^a exactly for every a (classical: r and u are independent and ‖u‖ = 1).
public struct Noise: Sendable, Equatable, CustomStringConvertible {
    public enum Geometry: String, Sendable, Equatable { case perCoordinate = "per-coordinate", radial }

    public let law: ScalarLaw
    public let scale: Double
    public let geometry: Geometry
    public let dimension: Int
    /// Pareto and Lomax laws are drawn by the table sampler (same law as `law.sample`, no `pow`).
    @usableFromInline let powerTail: PowerTailSampler?
    /// `law == .gaussian`, decided once (the per-call enum comparison showed in profiles of `add`).
    @usableFromInline let isGaussian: Bool

    public init(law: ScalarLaw, scale: Double, geometry: Geometry, dimension: Int) {
        self.law = law; self.scale = scale; self.geometry = geometry; self.dimension = dimension
        isGaussian = law == .gaussian
        switch law {
        case .symmetricPareto(let t), .symmetricLomax(let t): powerTail = PowerTailSampler(tail: t)
        default: powerTail = nil
        }
    }

    public static func == (a: Noise, b: Noise) -> Bool {
        a.law == b.law && a.scale == b.scale && a.geometry == b.geometry && a.dimension == b.dimension
    }

    /// One scalar draw of `law` (the table sampler for Pareto/Lomax).
    @inlinable @inline(__always)
    public func scalarDraw(_ rng: inout RandomStream) -> Double {
        if let pt = powerTail {
            if case .symmetricLomax = law { return pt.symmetricLomax(&rng) }
            return pt.symmetricPareto(&rng)
        }
        return law.sample(&rng)
    }

    /// σ² = E‖ξ‖² (∞ for laws with tail index ≤ 2).
    public var variance: Double {
        let m2 = law.absoluteMoment(2)
        return scale * scale * m2 * (geometry == .radial ? 1 : Double(dimension))
    }

    /// E‖ξ‖^a in closed form, or nil where no closed form is used (per-coordinate, a ≠ 2, non-Gaussian).
    public func normMoment(_ a: Double) -> Double? {
        switch geometry {
        case .radial:
            return pow(scale, a) * law.absoluteMoment(a)
        case .perCoordinate where a == 2:
            return variance
        case .perCoordinate where law == .gaussian:
            // ‖ξ‖/s is chi with d degrees of freedom: E χ_d^a = 2^{a/2} Γ((d+a)/2)/Γ(d/2).
            let d = Double(dimension)
            return pow(scale, a) * exp(Double(a / 2) * log(2.0) + lgamma((d + a) / 2) - lgamma(d / 2))
        default:
            return nil
        }
    }

    /// g ← g + ξ (one fresh draw). `scratch` must have `dimension` entries (used by `radial`).
    @inlinable
    public func add(to g: inout [Double], scratch: inout [Double], rng: inout RandomStream) {
        switch geometry {
        case .perCoordinate:
            if isGaussian {
                g.withUnsafeMutableBufferPointer { rng.addGaussianLanes(scale: scale, to: $0) }
            } else if let pt = powerTail {
                let shift: Double
                if case .symmetricLomax = law { shift = 1 } else { shift = 0 }
                g.withUnsafeMutableBufferPointer { pt.add(scale: scale, shift: shift, to: $0, rng: &rng) }
            } else {
                for j in 0..<g.count { g[j] += scale * law.sample(&rng) }
            }
        case .radial:
            rng.unitVector(into: &scratch)
            Vec.axpy(scale * scalarDraw(&rng), scratch, &g)
        }
    }

    public var description: String {
        "\(geometry.rawValue) \(law)" + (scale == 1 ? "" : " × \(scale)")
    }
}
