import TheoryBenchCore
import TheoryBenchEngine

/// The `sketch` part for outside implementations (`theorybench export`): the sketch's law, the centre v
/// and the exact minimizer x_S, and how the gradient of one step is drawn.
extension SketchPart: ExportablePart {
    public var exportFields: [String: ExportValue] {
        var out: [String: ExportValue] = [
            "center": .array(sketched.center.map { .number($0) }),
            "x_S": .array(sketched.xS.map { .number($0) }),
            "dimension": .integer(sketched.dimension),
        ]
        switch sketched.sketch {
        case let b as BernoulliSketch:
            out["family"] = .string("bernoulli"); out["keep"] = .array(b.keep.map { .number($0) })
        case let r as RandKSketch:
            out["family"] = .string("rand-k"); out["k"] = .integer(r.k)
        default:
            out["family"] = .string(sketched.sketch.description)
        }
        return out
    }

    public var exportDefinition: String {
        "g(x) = S∇f(v + S(x − v)), S = Diag(s) drawn afresh at every step (v = center): bernoulli sᵢ = ξᵢ/keepᵢ with ξᵢ ~ Bernoulli(keepᵢ) independent; rand-k sᵢ = (d/k)·1[i ∈ T], T a uniform k-subset"
    }
}
