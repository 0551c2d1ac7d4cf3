import Foundation
import Yams

/// Reads one instance file (`problems/*.yaml`); the schema is documented in `problems/README.md`.
public enum InstanceFile {
    /// Parses `text` (the contents of `file`). CSV files named inside are read relative to `file`.
    public static func parse(_ text: String, file: String) throws -> Instance {
        let node: Node
        do {
            guard let n = try Yams.compose(yaml: text) else {
                throw CatalogError(file: file, key: "(top level)", reason: "the file is empty")
            }
            node = n
        } catch let e as CatalogError { throw e } catch {
            throw CatalogError(file: file, key: "(syntax)", reason: "not valid YAML: \(error)")
        }
        var f = try Fields(file: file, path: "", node: node)
        let dir = (file as NSString).deletingLastPathComponent
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let id = try f.string("id") ?? stem
        guard id.range(of: "^[a-z0-9][a-z0-9.-]*$", options: .regularExpression) != nil else {
            throw f.error("id", "'\(id)' is invalid: use lowercase letters, digits, '-' and '.'")
        }
        let summary = try f.string("description") ?? ""
        // Read as an integer, not a Double: a Double loses seeds above 2^53 and `UInt64(1e20)` traps.
        var seed: UInt64 = 1
        if let n = f.node("seed") {
            guard let s = n.scalar?.string, let v = UInt64(s) else {
                throw f.error("seed", "expected a non-negative whole number below 2^64, got \(Fields.show(n))")
            }
            seed = v
        }
        let family = try f.requiredString("family")
        let problem = try Families.problem(family, &f, dir: dir, seed: seed)
        let d = problem.dimension
        let start = try startPoint(&f, problem, dir: dir, seed: seed)
        let noise = try noiseSpec(&f, dimension: d)
        let batch = try f.positiveInt("batch")
        if batch != nil && !(problem is any FiniteSumObjective) {
            throw f.error("batch", "minibatch sampling needs a finite-sum family (least-squares, logistic)")
        }
        if batch != nil && noise != nil { throw f.error("batch", "give either noise or batch, not both") }
        let budget = try budgetSpec(&f)
        try f.rejectUnknown()
        let text = summary.isEmpty ? "\(family), d = \(d)" : summary
        return Instance(id: id, source: file, family: family, summary: text, problem: problem,
                        noise: noise, batchSize: batch, start: start, budget: budget, seed: seed)
    }

    static func startPoint(_ f: inout Fields, _ problem: any Objective, dir: String, seed: UInt64) throws -> [Double] {
        let d = problem.dimension
        guard let node = f.node("start") else { throw f.error("start", "missing (required): a list, {csv: …} or {distance: r}") }
        if node.sequence == nil, var sub = try f.sub("start"), sub.has("distance") {
            let r = try sub.double("distance", where: { $0 > 0 }, "positive")!
            try sub.rejectUnknown()
            if let view = problem as? RiemannianObjectiveView {   // geodesic distance from x*
                do { return try view.setting.problem.start(distance: r, seed: seed) } catch let e as CatalogError {
                    throw f.error("start.distance", e.reason)
                }
            }
            guard let xs = problem.constants.xStar else {
                throw f.error("start.distance", "needs a known minimizer x*; give the start point explicitly")
            }
            var rng = RandomStream(seed: StableHash.mix(seed ^ 0x5747_4152_5400))
            var u = [Double](repeating: 0, count: d)
            rng.unitVector(into: &u)
            return zip(xs, u).map { $0 + r * $1 }
        }
        let x = try f.vector("start", relativeTo: dir)!
        guard x.count == d else { throw f.error("start", "has \(x.count) entries, the problem has dimension \(d)") }
        return x
    }

    static func noiseSpec(_ f: inout Fields, dimension d: Int) throws -> Noise? {
        guard var n = try f.sub("noise") else { return nil }
        let lawName = try n.requiredString("law")
        let law: ScalarLaw
        let heavy = { (v: Double) in v > 1 && v <= 2 }
        switch lawName {
        case "gaussian": law = .gaussian
        case "rademacher": law = .rademacher
        case "student-t":
            guard let nu = try n.double("dof", where: { $0 > 1 }, "> 1 (a finite mean)") else { throw n.error("dof", "missing (required for student-t)") }
            law = .studentT(dof: nu)
        case "symmetric-pareto", "symmetric-lomax":
            guard let t = try n.double("tail", where: heavy, "a tail index in (1, 2]") else { throw n.error("tail", "missing (required for \(lawName))") }
            law = lawName == "symmetric-pareto" ? .symmetricPareto(tail: t) : .symmetricLomax(tail: t)
        case "stable":
            guard let a = try n.double("alpha", where: heavy, "in (1, 2]") else { throw n.error("alpha", "missing (required for stable)") }
            law = .stable(alpha: a)
        default:
            throw n.error("law", "unknown law '\(lawName)' (known: gaussian, student-t, symmetric-pareto, symmetric-lomax, stable, rademacher)")
        }
        let scale = try n.double("scale", where: { $0 >= 0 }, "non-negative") ?? 1
        let geometryName = try n.string("geometry") ?? "per-coordinate"
        guard let geometry = Noise.Geometry(rawValue: geometryName) else {
            throw n.error("geometry", "unknown geometry '\(geometryName)' (known: per-coordinate, radial)")
        }
        try n.rejectUnknown()
        return Noise(law: law, scale: scale, geometry: geometry, dimension: d)
    }

    static func budgetSpec(_ f: inout Fields) throws -> Instance.Budget {
        guard var b = try f.sub("budget") else { throw f.error("budget", "missing (required): {iterations: K, runs: R}") }
        guard let k = try b.positiveInt("iterations") else { throw b.error("iterations", "missing (required)") }
        let r = try b.positiveInt("runs") ?? 100
        try b.rejectUnknown()
        return Instance.Budget(iterations: k, runs: r)
    }
}
