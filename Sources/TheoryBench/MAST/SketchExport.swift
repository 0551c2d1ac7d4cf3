import TheoryBenchCore
import TheoryBenchEngine

/// The `sketch` part for outside implementations (`theorybench export`): the sketch's law, the centre v
/// and the exact minimizer x_S, and how the gradient of one step is drawn.
extension SketchPart: ExportablePart {
    public var exportFields: [String: ExportValue] {
        Self.exportFields(sketched.sketch, center: sketched.center, minimizer: sketched.xS)
    }

    public var exportDefinition: String {
        "g(x) = S∇f(v + S(x − v)), S = Diag(s) drawn afresh at every step (v = center): " + Self.lawDefinition
    }

    /// How one diagonal s is drawn, per family.
    static let lawDefinition = "bernoulli sᵢ = ξᵢ/keepᵢ with ξᵢ ~ Bernoulli(keepᵢ) independent; rand-k sᵢ = (d/k)·1[i ∈ T], T a uniform k-subset"

    /// The sketch's law, the centre and the exact minimizer of f_D (shared with the distributed part).
    static func exportFields(_ sketch: any Sketch, center: [Double], minimizer: [Double]) -> [String: ExportValue] {
        var out: [String: ExportValue] = [
            "center": .array(center.map { .number($0) }),
            "x_S": .array(minimizer.map { .number($0) }),
            "dimension": .integer(sketch.dimension),
        ]
        switch sketch {
        case let b as BernoulliSketch:
            out["family"] = .string("bernoulli"); out["keep"] = .array(b.keep.map { .number($0) })
        case let r as RandKSketch:
            out["family"] = .string("rand-k"); out["k"] = .integer(r.k)
        default:
            out["family"] = .string(sketch.description)
        }
        return out
    }
}

/// The `distributed-sketch` part for outside implementations: the sketch law, the centre, x_S (= x_D),
/// the workers' offsets δᵢ, and how the averaged gradient of one step is drawn.
extension DistributedSketchPart: ExportablePart {
    public var exportFields: [String: ExportValue] {
        let s = distributed
        var out = SketchPart.exportFields(s.single.sketch, center: s.single.center, minimizer: s.xD)
        out["workers"] = .integer(s.workers)
        out["offsets"] = .array(s.offsets.map { .array($0.map { .number($0) }) })
        return out
    }

    public var exportDefinition: String {
        "g(x) = (1/n) Σᵢ Sᵢ(A(v + Sᵢ(x − v) − x_star) − A offsets[i]), n = workers, each Sᵢ = Diag(s) drawn afresh for every worker and step, independently (v = center): "
            + SketchPart.lawDefinition
    }
}
