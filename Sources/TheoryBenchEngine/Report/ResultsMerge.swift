import Foundation
import TheoryBenchCore

/// What a results file was computed from, so that `merge` combines only parts of one computation:
/// the catalog (every instance's id, family, summary, budget, seed, start and exact constants) and
/// the code (every claim's id, statement, check, tolerance, grid and runs, and the source revision
/// when the binary runs inside a git checkout). Each is a 64-bit FNV-1a digest in hexadecimal.
public struct ResultsOrigin: Codable, Sendable, Equatable {
    public var catalog: String
    public var code: String

    public init(catalog: String, code: String) { self.catalog = catalog; self.code = code }

    public init(_ c: Catalog, revision: String?) {
        let instances = c.instances.sorted { $0.id < $1.id }.map { i in
            let constants = i.reportedConstants.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return [i.id, i.family, i.summary, "\(i.budget.iterations)x\(i.budget.runs)", "\(i.seed)",
                    i.start.map { "\($0)" }.joined(separator: ","), constants].joined(separator: "|")
        }
        let claims = c.claims.map { cl in
            [cl.id, cl.statement, cl.check.formula, cl.check.tolerance, "\(cl.grid.points)", "\(cl.runs.oracle)/\(cl.runs.full ?? -1)",
             cl.controls.map(\.id).joined(separator: ",")].joined(separator: "|")
        }
        catalog = Self.hex(instances.joined(separator: "\n"))
        code = Self.hex(claims.joined(separator: "\n") + "\n" + (revision ?? "no revision"))
    }

    static func hex(_ s: String) -> String { String(StableHash.fnv1a(s), radix: 16) }
}

/// Why shard files cannot be merged.
public struct MergeError: Error, CustomStringConvertible, Equatable {
    public let reason: String
    public var description: String { reason }
}

extension ResultsFile {
    /// Combines shards (`name` for messages). Every part must come from the same catalog and code
    /// (`origin`) at the same scale; when the parts are shards i/N, every i of 1…N must be present
    /// exactly once; a pairing present in two parts is an error. Records keep the parts' order.
    public static func merge(_ parts: [(name: String, file: ResultsFile)]) throws -> ResultsFile {
        guard let first = parts.first else { throw MergeError(reason: "no results files to merge") }
        for p in parts.dropFirst() {
            guard p.file.scale == first.file.scale else {
                throw MergeError(reason: "\(p.name) is at \(p.file.scale.rawValue) scale, \(first.name) at \(first.file.scale.rawValue): parts of one report share a scale")
            }
            guard let o = p.file.origin, let f = first.file.origin else {
                throw MergeError(reason: "\(p.file.origin == nil ? p.name : first.name) does not say which catalog and code it was computed from (written by an older theorybench): rerun it")
            }
            if o.catalog != f.catalog { throw MergeError(reason: "\(p.name) and \(first.name) were computed on different catalogs (problems/ differ): rerun every shard on one checkout") }
            if o.code != f.code { throw MergeError(reason: "\(p.name) and \(first.name) were computed by different code versions: rerun every shard on one checkout") }
        }
        try checkShards(parts)
        var seen = [String: String]()
        var all = [PairingResult]()
        for p in parts { for r in p.file.results {
            if let other = seen[r.id] { throw MergeError(reason: "pairing \(r.id) appears in both \(other) and \(p.name)") }
            seen[r.id] = p.name
            all.append(r.full)
        } }
        var merged = ResultsFile(scale: first.file.scale, results: all)
        merged.origin = first.file.origin
        return merged
    }

    static func checkShards(_ parts: [(name: String, file: ResultsFile)]) throws {
        let shards = parts.map { p in (p.name, p.file.shard.flatMap(Self.parseShard)) }
        guard shards.contains(where: { $0.1 != nil }) else { return }
        if let whole = shards.first(where: { $0.1 == nil }) {
            throw MergeError(reason: "\(whole.0) is not a shard while the other parts are: merge the shards of one run only")
        }
        let n = shards[0].1!.count
        if let odd = shards.first(where: { $0.1!.count != n }) {
            throw MergeError(reason: "\(odd.0) is shard \(odd.1!.index)/\(odd.1!.count), \(shards[0].0) is of \(n): shards of one run share N")
        }
        var byIndex = [Int: String]()
        for (name, s) in shards {
            if let other = byIndex[s!.index] { throw MergeError(reason: "shard \(s!.index)/\(n) is given twice: \(other) and \(name)") }
            byIndex[s!.index] = name
        }
        let missing = (1...n).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            throw MergeError(reason: "shard\(missing.count > 1 ? "s" : "") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) missing: every shard 1…\(n) is needed")
        }
    }

    static func parseShard(_ s: String) -> (index: Int, count: Int)? {
        let p = s.split(separator: "/").compactMap { Int($0) }
        return p.count == 2 && p[1] >= 1 && (1...p[1]).contains(p[0]) ? (p[0], p[1]) : nil
    }
}
