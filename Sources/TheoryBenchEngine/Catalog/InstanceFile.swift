import TheoryBenchCore
import Foundation
import Yams

/// Reads one instance file (`problems/*.yaml`); the schema is documented in `problems/README.md`.
public enum InstanceFile {
    /// Parses `text` (the contents of `file`) with the vocabulary of `registry`. CSV files named
    /// inside are read relative to `file`.
    public static func parse(_ text: String, file: String, registry: Registry) throws -> Instance {
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
        guard let kind = registry.problemFamilies.first(where: { $0.name == family }) else {
            throw f.error("family", "unknown family '\(family)' (known: \(registry.problemFamilies.map(\.name).joined(separator: ", ")))")
        }
        let reading = try kind.read(&f, dir, seed)
        let problem = reading.problem
        let d = problem.dimension
        let start = try startPoint(&f, reading, dir: dir, seed: seed)
        var parts = reading.parts
        for schema in registry.parts where f.has(schema.key) {
            parts.append(try schema.read(&f, problem, dir))
        }
        let oracleKeys = registry.parts.filter { s in parts.contains { $0.kind == s.kind && $0 is any OraclePart } }.map(\.key)
        if oracleKeys.count > 1 {
            throw f.error(oracleKeys[1], "give only one of \(oracleKeys.joined(separator: ", ")): each decides how gradients are observed")
        }
        let budget = try budgetSpec(&f)
        try ResourceLimits.check(f, "budget", Double(budget.runs) * Double(budget.iterations) * Double(d), ResourceLimits.maxWork,
                                 "the work runs × iterations × dimension of one full-scale pairing")
        try f.rejectUnknown()
        let text = summary.isEmpty ? "\(family), d = \(d)" : summary
        return Instance(id: id, source: file, family: family, summary: text, problem: problem,
                        parts: parts, start: start, budget: budget, seed: seed)
    }

    static func startPoint(_ f: inout Fields, _ reading: ProblemReading, dir: String, seed: UInt64) throws -> [Double] {
        let problem = reading.problem, d = problem.dimension
        guard let node = f.node("start") else { throw f.error("start", "missing (required): a list, {csv: …} or {distance: r}") }
        if node.sequence == nil, var sub = try f.sub("start"), sub.has("distance") {
            let r = try sub.double("distance", where: { $0 > 0 }, "positive")!
            try sub.rejectUnknown()
            if let place = reading.startAtDistance {   // the family's rule (a geodesic distance on a manifold)
                do { return try place(r) } catch let e as InvalidProblem {
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

    static func budgetSpec(_ f: inout Fields) throws -> Instance.Budget {
        guard var b = try f.sub("budget") else { throw f.error("budget", "missing (required): {iterations: K, runs: R}") }
        guard let k = try b.positiveInt("iterations") else { throw b.error("iterations", "missing (required)") }
        let r = try b.positiveInt("runs") ?? 100
        try b.rejectUnknown()
        return Instance.Budget(iterations: k, runs: r)
    }
}
