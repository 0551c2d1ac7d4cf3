import TheoryBenchCore
import TheoryBenchEngine
import Foundation

/// The falsification space around a compressor part (`InstanceSpace`): the same kind of compressor
/// with its parameters free, rendered in the problem's dimension d (the family's space may vary it):
/// k ∈ {1…d} for Top-k and Rand-k (scaling kept), p ∈ [0.05, 1] for Bernoulli (one p, or one per
/// coordinate when the seed's differ), λ ∈ [λ/10, 10λ] for clipping (the declared radius kept: the
/// claims' requirement ‖∇f(x₀)‖ ≤ L‖x₀ − x*‖ ≤ radius cuts the rest), ε ∈ [ε/10, 10ε] for a shift; the
/// parameter-free compressors (sign, rounding, natural) and a rotation are kept as they are; a
/// composition varies its first compressor and keeps the unbiased one after it.
enum CompressorSpace {
    /// A compressor's free parameters: how many coordinates, and its YAML mapping at a point in
    /// dimension d. Nil for a compressor no instance file can name.
    struct Template: Sendable {
        let coordinates: Int
        let description: String
        let render: @Sendable (_ u: ArraySlice<Double>, _ d: Int) -> String
    }

    /// Coordinates of a per-coordinate Bernoulli p (dimensions above reuse them cyclically).
    static let perCoordinate = 32

    static func space(_ part: CompressorPart) -> InstanceSpace? {
        guard let t = template(part.compressor) else { return nil }
        return InstanceSpace("compressor: \(t.description)", coordinates: t.coordinates) { u, d in
            [("compressor", t.render(u[...], d))]
        }
    }

    static func template(_ c: any Compressor) -> Template? {
        switch c {
        case is TopK:
            return Template(coordinates: 1, description: "Top-k, k ∈ {1…d}") { u, d in "{ kind: top-k, k: \(InstanceSpace.integer(u.first!, 1, d)) }" }
        case let r as RandK:
            let scaled = r.scaled
            return Template(coordinates: 1, description: "Rand-k (scaled: \(scaled)), k ∈ {1…d}") { u, d in
                "{ kind: rand-k, k: \(InstanceSpace.integer(u.first!, 1, d)), scaled: \(scaled) }"
            }
        case let b as Bernoulli:
            let scaled = b.scaled, each = Set(b.probabilities).count > 1
            return Template(coordinates: each ? perCoordinate : 1, description: "Bernoulli (scaled: \(scaled)), p\(each ? "ᵢ" : "") ∈ [0.05, 1]") { u, d in
                let ps = each ? InstanceSpace.list((0..<d).map { probability(u[u.startIndex + $0 % perCoordinate]) })
                    : InstanceSpace.exact(probability(u.first!))
                return "{ kind: bernoulli, p: \(ps), scaled: \(scaled) }"
            }
        case let k as Clipping:
            let lambda = k.lambda, radius = k.radius
            return Template(coordinates: 1, description: "clipping, λ ∈ [λ/10, 10λ], radius \(radius)") { u, _ in
                "{ kind: clip, lambda: \(InstanceSpace.exact(InstanceSpace.logUniform(u.first!, lambda / 10, 10 * lambda))), radius: \(InstanceSpace.exact(radius)) }"
            }
        case let s as Shift:
            let eps = s.norm
            return Template(coordinates: 1, description: "shift, ε ∈ [ε/10, 10ε]") { u, _ in
                let norm = eps > 0 ? InstanceSpace.logUniform(u.first!, eps / 10, 10 * eps) : u.first!
                return "{ kind: shift, norm: \(InstanceSpace.exact(norm)) }"
            }
        case let r as Rotation: return fixed("{ kind: rotation, degrees: \(InstanceSpace.exact(r.degrees)) }")
        case is ScaledSign: return fixed("{ kind: scaled-sign }")
        case is PowerOfTwoRounding: return fixed("{ kind: round-pow2 }")
        case is NaturalCompression: return fixed("{ kind: natural }")
        case let c as Composition:
            guard let inner = template(c.inner), literal(c.outer, 1) != nil else { return nil }
            let outer = c.outer
            return Template(coordinates: inner.coordinates, description: "\(inner.description), then \(outer) (kept)") { u, d in
                String(inner.render(u, d).dropLast(2)) + ", then: \(literal(outer, d)!) }"
            }
        default: return nil
        }
    }

    /// The unbiased compressor after a composition's first, with its own parameters in dimension d
    /// (k capped at d; a per-coordinate p of another length replaced by its mean).
    static func literal(_ c: any Compressor, _ d: Int) -> String? {
        switch c {
        case is NaturalCompression: return "{ kind: natural }"
        case let r as RandK: return "{ kind: rand-k, k: \(min(r.k, d)), scaled: \(r.scaled) }"
        case let b as Bernoulli:
            let ps = b.probabilities.count == d ? InstanceSpace.list(b.probabilities)
                : InstanceSpace.exact(b.probabilities.reduce(0, +) / Double(b.probabilities.count))
            return "{ kind: bernoulli, p: \(ps), scaled: \(b.scaled) }"
        default: return nil
        }
    }

    /// A Bernoulli keep-probability in [0.05, 1], log-uniform.
    static func probability(_ u: Double) -> Double { InstanceSpace.logUniform(u, 0.05, 1) }

    /// A compressor without free parameters.
    static func fixed(_ yaml: String) -> Template { Template(coordinates: 0, description: yaml) { _, _ in yaml } }
}
