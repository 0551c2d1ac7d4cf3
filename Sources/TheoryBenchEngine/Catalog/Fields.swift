import TheoryBenchCore
import Foundation
import Yams

/// A YAML mapping being read, which remembers the keys used so that unknown keys are rejected,
/// and turns every problem into a `CatalogError` naming the file and the dotted key path.
public struct Fields {
    public let file: String
    public let path: String
    let entries: [(key: String, value: Node)]
    private var used = Set<String>()

    public init(file: String, path: String, node: Node) throws {
        self.file = file; self.path = path
        guard let mapping = node.mapping else {
            throw CatalogError(file: file, key: path.isEmpty ? "(top level)" : path, reason: "expected a mapping of keys to values")
        }
        var entries = [(key: String, value: Node)]()
        for (k, v) in mapping {
            guard let name = k.string else { throw CatalogError(file: file, key: path, reason: "a key is not a string") }
            entries.append((name, v))
        }
        self.entries = entries
    }

    public func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func error(_ key: String, _ reason: String) -> CatalogError {
        CatalogError(file: file, key: keyPath(key), reason: reason)
    }

    public mutating func node(_ key: String) -> Node? {
        used.insert(key)
        return entries.first { $0.key == key }?.value
    }

    public mutating func has(_ key: String) -> Bool { node(key) != nil }

    public mutating func string(_ key: String) throws -> String? {
        guard let n = node(key) else { return nil }
        guard let s = n.scalar?.string else { throw error(key, "expected a text value") }
        return s
    }

    public mutating func requiredString(_ key: String) throws -> String {
        guard let s = try string(key) else { throw error(key, "missing (required)") }
        return s
    }

    public mutating func double(_ key: String) throws -> Double? {
        guard let n = node(key) else { return nil }
        guard let s = n.scalar?.string, let v = Double(s), v.isFinite else {
            throw error(key, "expected a finite number, got \(Fields.show(n))")
        }
        return v
    }

    public mutating func double(_ key: String, where valid: (Double) -> Bool, _ requirement: String) throws -> Double? {
        guard let v = try double(key) else { return nil }
        guard valid(v) else { throw error(key, "\(v) is invalid: must be \(requirement)") }
        return v
    }

    public mutating func positiveInt(_ key: String) throws -> Int? {
        guard let n = node(key) else { return nil }
        guard let s = n.scalar?.string, let v = Int(s) else { throw error(key, "expected a whole number, got \(Fields.show(n))") }
        guard v >= 1 else { throw error(key, "\(v) is invalid: must be a positive whole number") }
        return v
    }

    public mutating func vector(_ key: String, relativeTo dir: String) throws -> [Double]? {
        guard let n = node(key) else { return nil }
        if let seq = n.sequence {
            return try seq.enumerated().map { i, item in
                guard let s = item.scalar?.string, let v = Double(s), v.isFinite else {
                    throw error("\(key)[\(i)]", "expected a finite number, got \(Fields.show(item))")
                }
                return v
            }
        }
        var sub = try Fields(file: file, path: keyPath(key), node: n)
        let csv = try sub.requiredString("csv")
        try sub.rejectUnknown()
        return try CSV.read(dir: dir, name: csv, file: file, key: keyPath(key) + ".csv").flatMap { $0 }
    }

    public mutating func sub(_ key: String) throws -> Fields? {
        guard let n = node(key) else { return nil }
        return try Fields(file: file, path: keyPath(key), node: n)
    }

    public func rejectUnknown() throws {
        if let extra = entries.first(where: { !used.contains($0.key) }) {
            throw error(extra.key, "unknown key (known here: \(used.sorted().joined(separator: ", ")))")
        }
    }

    public static func show(_ n: Node) -> String {
        if let s = n.scalar?.string { return "'\(s)'" }
        return n.sequence != nil ? "a list" : "a mapping"
    }
}

/// Numeric CSV files beside an instance file (a design matrix, a start point).
public enum CSV {
    public static func read(dir: String, name: String, file: String, key: String) throws -> [[Double]] {
        let path = name.hasPrefix("/") ? name : (dir as NSString).appendingPathComponent(name)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CatalogError(file: file, key: key, reason: "cannot read CSV file \(path)")
        }
        var rows = [[Double]]()
        for (i, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            // Keep empty cells: "1,,3" is a missing value, not [1, 3].
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let values = cells.compactMap { Double($0) }.filter(\.isFinite)
            guard values.count == cells.count else {
                throw CatalogError(file: file, key: key, reason: "\(name) line \(i + 1): expected finite numbers separated by commas")
            }
            rows.append(values)
        }
        guard let width = rows.first?.count, rows.allSatisfy({ $0.count == width }) else {
            throw CatalogError(file: file, key: key, reason: "\(name): empty, or rows of different lengths")
        }
        return rows
    }
}
