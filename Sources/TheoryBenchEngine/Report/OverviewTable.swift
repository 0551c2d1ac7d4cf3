import TheoryBenchCore

/// A table across a paper's instances that the report shows at the top of the paper's section
/// (`PaperFamily.tables`): one row per instance on which any of the table's claims ran, one column
/// per instance constant, claim tightness or method — e.g. the sketched minimizer's distance to x*
/// against the sketch density, or each compressor's declared constants beside how tight they were.
/// Built from the pairing results alone, so `merge` renders it the same way.
public struct OverviewTable: Sendable {
    public enum Column: Sendable {
        /// A reported constant of the instance, by key.
        case constant(String, header: String)
        /// The tightness (measured ÷ allowed) of a claim on the instance, with its verdict.
        case tightness(claim: String, header: String)
        /// The method a claim ran on the instance (its name states the parameters).
        case method(claim: String, header: String)
        /// The instance's summary.
        case problem(header: String)
        /// A claim's measured statistic at the last checkpoint.
        case measured(claim: String, header: String)
        /// A reference method's measured statistic at the last checkpoint (`Claim(references:)`; full scale).
        case reference(claim: String, label: String, header: String)

        var header: String {
            switch self {
            case .constant(_, let h), .tightness(_, let h), .method(_, let h), .problem(let h), .measured(_, let h),
                 .reference(_, _, let h): return h
            }
        }
    }

    public let title: String
    public let note: String
    public let columns: [Column]
    /// Rows sorted by this reported constant (nil: by instance id).
    public let sortedBy: String?

    public init(_ title: String, note: String, columns: [Column], sortedBy: String? = nil) {
        self.title = title; self.note = note; self.columns = columns; self.sortedBy = sortedBy
    }

    var claims: Set<String> {
        Set(columns.compactMap { c -> String? in
            switch c {
            case .tightness(let id, _), .method(let id, _), .measured(let id, _), .reference(let id, _, _): return id
            default: return nil
            }
        })
    }

    /// The table as markdown; empty when none of its claims ran.
    public func markdown(_ results: [PairingResult]) -> String {
        let mine = results.filter { claims.contains($0.claim) && $0.external == nil }
        guard !mine.isEmpty else { return "" }
        var rows = Dictionary(grouping: mine, by: \.instance).map { ($0.key, $0.value) }
        rows.sort { a, b in
            guard let k = sortedBy, let x = a.1[0].constants[k], let y = b.1[0].constants[k], x != y else { return a.0 < b.0 }
            return x < y
        }
        var s = "**\(title).** \(note)\n\n| instance | " + columns.map(\.header).joined(separator: " | ") + " |\n"
        s += "|---|" + String(repeating: "---|", count: columns.count) + "\n"
        for (instance, rs) in rows {
            let cells = columns.map { c -> String in
                switch c {
                case .constant(let key, _): return rs[0].constants[key].map(\.formatted3) ?? "—"
                case .problem: return rs[0].problem
                case .method(let id, _): return rs.first { $0.claim == id }?.method ?? "—"
                case .measured(let id, _):
                    return rs.first { $0.claim == id }?.verdict.series?.estimate.last.map(\.formatted3) ?? "—"
                case .reference(let id, let label, _):
                    let ref = rs.first { $0.claim == id }?.references?.first { $0.label == label }
                    return ref?.series?.estimate.last.map(\.formatted3) ?? "—"
                case .tightness(let id, _):
                    guard let r = rs.first(where: { $0.claim == id }) else { return "—" }
                    return (r.verdict.margin.map(\.formatted3) ?? "—") + (r.verdict.outcome == .pass ? "" : " (\(r.verdict.outcome.rawValue))")
                }
            }
            s += "| `\(instance)` | " + cells.joined(separator: " | ") + " |\n"
        }
        return s + "\n"
    }
}
