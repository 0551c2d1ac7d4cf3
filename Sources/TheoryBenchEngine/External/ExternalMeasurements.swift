import Foundation
import TheoryBenchCore

/// A measurement file that cannot be judged: the file, the line (0: the file as a whole) and why.
public struct MeasurementError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let reason: String
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}

/// Measurements of a claim's experiment made outside theorybench, read into the traces the claim's
/// judge takes (`theorybench judge`). Two layouts (documented in `docs/export-judge.md`):
/// - `run,iteration,value`: one row per run and checkpoint, runs numbered 0…R−1; a claim whose check
///   reads per-run scalars (a hitting time) takes one more column per scalar, named as the scalar
///   (`run,iteration,value,hitting time`), its value given on at least one row of the run (the same
///   on every row that gives it; `inf` for a censored time);
/// - the `theorybench trace` layout `k,value[,x1,…]`: one file per run (its run index is its place
///   among the files given).
/// Every run must have a finite value or `inf` (a diverged run: every later checkpoint must be `inf`
/// too) at every checkpoint of the claim and nothing else; NaN, unknown iterations, duplicates,
/// missing runs or checkpoints and too few runs are errors naming the file and line.
public struct ExternalMeasurements {
    public let checkpoints: Checkpoints
    /// The fewest runs the claim's check is sized for (its oracle count).
    public let minimumRuns: Int
    /// The per-run scalars the claim's check reads (extra columns of the `run,iteration,value` layout).
    public let scalars: [String]

    public init(checkpoints: Checkpoints, minimumRuns: Int, scalars: [String] = []) {
        self.checkpoints = checkpoints; self.minimumRuns = minimumRuns; self.scalars = scalars
    }

    /// The long layout's extra columns are the claim's scalars, by name.
    enum Layout { case long(scalars: [String]), trace(run: Int) }

    /// What has been read so far: per run, one slot per checkpoint and per scalar (NaN: not given;
    /// NaN is never a valid value, so it can mark an empty slot).
    struct Table {
        var values = [Int: [Double]]()
        var scalars = [Int: [Double]]()
        var file = [Int: String]()
    }

    /// Reads the files (`name` for messages, `text` its content) into one trace per run.
    public func traces(_ files: [(name: String, text: String)]) throws -> [Trace] {
        let column = Dictionary(uniqueKeysWithValues: checkpoints.iterations.enumerated().map { ($1, $0) })
        var table = Table()
        for (index, f) in files.enumerated() {
            var layout: Layout?
            var n = 0
            for raw in f.text.split(separator: "\n", omittingEmptySubsequences: false) {
                n += 1
                let line = Self.trimmed(raw)
                guard let l = layout else {
                    layout = try self.layout(line, index: index, file: f.name)
                    if case .long = layout!, files.count > 1 {
                        throw MeasurementError(file: f.name, line: 0, reason: "a `run,iteration,value` file holds every run: give it alone")
                    }
                    continue
                }
                if line.isEmpty { continue }
                try read(line, l, column, &table, file: f.name, line: n)
            }
            if layout == nil { throw MeasurementError(file: f.name, line: 1, reason: "empty file: expected a header `run,iteration,value` or `k,value`") }
        }
        return try assemble(table, anyFile: files.first?.name ?? "measurements")
    }

    func layout(_ header: Substring, index: Int, file: String) throws -> Layout {
        if header.isEmpty { throw MeasurementError(file: file, line: 1, reason: "empty file: expected a header `run,iteration,value` or `k,value`") }
        let columns = header.split(separator: ",").map { Self.trimmed($0).lowercased() }
        if columns.count >= 3, Array(columns.prefix(3)) == ["run", "iteration", "value"] {
            let extra = Array(columns.dropFirst(3))
            guard Set(extra) == Set(scalars.map { $0.lowercased() }), extra.count == scalars.count else {
                let want = scalars.isEmpty ? "no further columns" : "one column per scalar the check reads: \(scalars.joined(separator: ", "))"
                throw MeasurementError(file: file, line: 1, reason: "header '\(header)': after run,iteration,value the claim needs \(want)")
            }
            return .long(scalars: extra.map { e in scalars.first { $0.lowercased() == e }! })
        }
        if columns.count >= 2, columns[0] == "k", columns[1] == "value" {
            guard scalars.isEmpty else {
                throw MeasurementError(file: file, line: 1, reason: "the trace layout cannot give the scalars the check reads (\(scalars.joined(separator: ", "))): use run,iteration,value,…")
            }
            return .trace(run: index)
        }
        throw MeasurementError(file: file, line: 1, reason: "header '\(header)': expected `run,iteration,value` or the trace layout `k,value,…`")
    }

    /// One data row into the table.
    func read(_ line: Substring, _ layout: Layout, _ column: [Int: Int], _ t: inout Table, file: String, line n: Int) throws {
        let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(Self.trimmed)
        func fail(_ why: String) -> MeasurementError { MeasurementError(file: file, line: n, reason: why) }
        let run: Int, k: Int, v: Double
        var names = [String]()
        switch layout {
        case .long(let s):
            names = s
            guard cells.count == 3 + s.count else { throw fail("expected \(3 + s.count) cells, found \(cells.count)") }
            guard let r = Int(cells[0]), r >= 0 else { throw fail("run '\(cells[0])' is not a whole number ≥ 0") }
            run = r
            guard let i = Int(cells[1]), i >= 0 else { throw fail("iteration '\(cells[1])' is not a whole number ≥ 0") }
            k = i; v = try value(cells[2], fail)
        case .trace(let r):
            guard cells.count >= 2 else { throw fail("expected k,value,…, found \(cells.count) cell(s)") }
            guard let i = Int(cells[0]), i >= 0 else { throw fail("iteration '\(cells[0])' is not a whole number ≥ 0") }
            run = r; k = i; v = try value(cells[1], fail)
        }
        guard let j = column[k] else { throw fail("iteration \(k) is not a checkpoint of the claim (see the export's checkpoints)") }
        if t.values[run] == nil {
            t.values[run] = [Double](repeating: .nan, count: checkpoints.count)
            t.scalars[run] = [Double](repeating: .nan, count: scalars.count)
            t.file[run] = file
        }
        guard t.values[run]![j].isNaN else { throw fail("run \(run) has iteration \(k) twice") }
        t.values[run]![j] = v
        for (c, name) in names.enumerated() where !cells[3 + c].isEmpty {
            let x = try value(cells[3 + c], fail)
            let slot = scalars.firstIndex(of: name)!
            let old = t.scalars[run]![slot]
            if !old.isNaN, old != x { throw fail("run \(run): \(name) is \(x) here but \(old) on an earlier row") }
            t.scalars[run]![slot] = x
        }
    }

    func value(_ cell: Substring, _ fail: (String) -> MeasurementError) throws -> Double {
        if let v = Double(cell) {
            guard !v.isNaN else { throw fail("value is NaN: a measured quantity must be a number or inf (a diverged run)") }
            guard v != -.infinity else { throw fail("value '\(cell)': only +inf (a diverged run) is allowed beside finite numbers") }
            return v
        }
        switch cell.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "nan": throw fail("value is NaN: a measured quantity must be a number or inf (a diverged run)")
        case "-inf", "-infinity": throw fail("value '\(cell)': only +inf (a diverged run) is allowed beside finite numbers")
        default: throw fail("value '\(cell)' is not a number")
        }
    }

    func assemble(_ t: Table, anyFile: String) throws -> [Trace] {
        let runs = t.values.keys.sorted()
        guard !runs.isEmpty else { throw MeasurementError(file: anyFile, line: 0, reason: "no measurements") }
        if let gap = (0..<runs.count).first(where: { runs[$0] != $0 }) {
            throw MeasurementError(file: anyFile, line: 0, reason: "runs must be numbered 0…R−1: run \(gap) is missing")
        }
        guard runs.count >= minimumRuns else {
            throw MeasurementError(file: anyFile, line: 0, reason: "\(runs.count) runs given; the claim's check is sized for at least \(minimumRuns) (its oracle count)")
        }
        return try runs.map { r in
            let values = t.values[r]!, file = t.file[r] ?? anyFile
            let missing = checkpoints.iterations.indices.filter { values[$0].isNaN }.map { checkpoints.iterations[$0] }
            guard missing.isEmpty else {
                let shown = missing.prefix(5).map(String.init).joined(separator: ", ") + (missing.count > 5 ? ", …" : "")
                throw MeasurementError(file: file, line: 0, reason: "run \(r) lacks \(missing.count) checkpoint(s): \(shown)")
            }
            var trace = Trace(values: values)
            for (slot, name) in scalars.enumerated() {
                let x = t.scalars[r]![slot]
                guard !x.isNaN else { throw MeasurementError(file: file, line: 0, reason: "run \(r) gives no \(name)") }
                trace.scalars[RunScalar(name)] = x
            }
            guard let j = values.firstIndex(where: { !$0.isFinite }) else { return trace }
            guard values[j...].allSatisfy({ $0 == .infinity }) else {
                throw MeasurementError(file: file, line: 0, reason: "run \(r) is inf at iteration \(checkpoints.iterations[j]) but finite later: a diverged run stays inf")
            }
            trace.divergedAt = checkpoints.iterations[j]
            return trace
        }
    }

    /// `s` without leading and trailing spaces, tabs and carriage returns.
    static func trimmed(_ s: Substring) -> Substring {
        var a = s.startIndex, b = s.endIndex
        while a < b, s[a] == " " || s[a] == "\t" || s[a] == "\r" { a = s.index(after: a) }
        while b > a, case let c = s[s.index(before: b)], c == " " || c == "\t" || c == "\r" { b = s.index(before: b) }
        return s[a..<b]
    }
}
