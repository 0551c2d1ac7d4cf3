import Foundation
import TheoryBenchCore

/// The oracle under several seed salts: per pairing, how often the claim held, how often every
/// control was detected, and the smallest margin (in CI widths) seen — the empirical side of the
/// false-alarm budget (`docs/reliability.md`). Stored as `calibration.json`, rendered as
/// `CALIBRATION.md`; a run on a subset of pairings replaces only those rows.
public struct Calibration: Codable, Sendable {
    public struct Row: Codable, Sendable, Equatable {
        public var pairing: String
        public var salts: [UInt64]
        /// Salts under which the claim passed.
        public var passed: Int
        /// Salts under which every control was detected.
        public var controlsDetected: Int
        /// Salts under which no verdict was within `Reliability.minimumWidths` of flipping.
        public var marginsHeld: Int
        /// The smallest widths over salts of the claim (nil: no interval or an equality check) and of
        /// the controls.
        public var claimWidths: Double?
        public var controlWidths: Double?
        /// The salts whose claim failed or whose control was missed.
        public var failures: [String]

        public var allGreen: Bool { passed == salts.count && controlsDetected == salts.count && marginsHeld == salts.count }
    }

    public var scale: Scale
    public var rows: [Row]

    public init(scale: Scale, rows: [Row] = []) { self.scale = scale; self.rows = rows }

    /// The row of one pairing from its results under each salt.
    public static func row(_ pairing: String, _ results: [(salt: UInt64, result: PairingResult)]) -> Row {
        func least(_ xs: [Double?]) -> Double? { xs.compactMap { $0 }.min() }
        var failures = [String]()
        for (salt, r) in results {
            if r.verdict.outcome != .pass { failures.append("salt \(salt): claim \(r.verdict.outcome.rawValue)") }
            for c in r.controls where c.missed { failures.append("salt \(salt): control \(c.id) missed") }
            for c in r.closeCalls { failures.append("salt \(salt): \(c)") }
        }
        return Row(pairing: pairing, salts: results.map(\.salt),
                   passed: results.filter { $0.result.verdict.outcome == .pass }.count,
                   controlsDetected: results.filter { $0.result.controlsDetected }.count,
                   marginsHeld: results.filter { $0.result.closeCalls.isEmpty }.count,
                   claimWidths: least(results.map { $0.result.equalityCheck == true ? nil : $0.result.verdict.widths }),
                   controlWidths: least(results.flatMap { $0.result.controls.map(\.verdict.widths) }),
                   failures: failures)
    }

    /// This calibration with `newRows` in place of the rows of the same pairings, in the order of
    /// `order` (the catalog's pairings); rows of pairings no longer in the catalog are dropped.
    public func merging(_ newRows: [Row], order: [String]) -> Calibration {
        var byID = Dictionary(rows.map { ($0.pairing, $0) }, uniquingKeysWith: { $1 })
        for r in newRows { byID[r.pairing] = r }
        return Calibration(scale: scale, rows: order.compactMap { byID[$0] })
    }

    public func markdown() -> String {
        let green = rows.filter(\.allGreen).count
        var s = "# theorybench calibration: the oracle under other seeds\n\n"
        let counts = Set(rows.map(\.salts.count))
        let each = counts.count > 1 ? " (a pairing's own salts are counted in its row: \(counts.sorted().map(String.init).joined(separator: " or ")))" : ""
        s += "Each pairing at **\(scale.rawValue)** scale under seed salts \(saltRange)\(each) (salt 0, the reference streams, is `REPORT.md`). "
        s += "\(green) of \(rows.count) pairings held under every salt with every control detected and every verdict ≥ "
        s += "\(Reliability.minimumWidths.formatted3) CI widths from flipping. Why that margin meets the oracle's "
        s += "\((Reliability.falseAlarmBudget * 100).formatted3) % false-alarm budget: `docs/reliability.md`. "
        s += "Regenerate with `theorybench calibrate --salts 20`.\n\n"
        s += "| pairing | salts | claim held | controls detected | margins held | least widths (claim / controls) | failures |\n|---|---|---|---|---|---|---|\n"
        func w(_ x: Double?) -> String { x.map { $0.isInfinite ? "∞" : $0.formatted3 } ?? "—" }
        for r in rows {
            let fails = r.failures.isEmpty ? "" : r.failures.prefix(3).joined(separator: "; ") + (r.failures.count > 3 ? " (+\(r.failures.count - 3))" : "")
            s += "| `\(r.pairing)` | \(r.salts.count) | \(r.passed) | \(r.controlsDetected) | \(r.marginsHeld) | \(w(r.claimWidths)) / \(w(r.controlWidths)) | \(fails) |\n"
        }
        return s
    }

    var saltRange: String {
        let all = Set(rows.flatMap(\.salts)).sorted()
        guard let a = all.first, let b = all.last else { return "(none)" }
        return all.count == Int(b - a) + 1 ? "\(a)…\(b)" : all.map(String.init).joined(separator: ", ")
    }

    public func encoded() throws -> String { try JSONFile.encode(self) }

    public static func decode(_ data: Data) throws -> Calibration { try JSONFile.decode(Calibration.self, data) }
}
