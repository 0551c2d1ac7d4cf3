import TheoryBenchCore
import Foundation

/// `results.json`: the verdicts for machines. Each record has the flat summary fields (id, paper,
/// theorem, provenance, method, problem, verdict, margin, controls [{id, verdict: detected | missed}],
/// runs, seconds) and, under `full`, everything the report needs (so shards can be merged).
public struct ResultsFile: Codable, Sendable {
    public struct Record: Codable, Sendable {
        public struct ControlSummary: Codable, Sendable {
            public var id: String
            public var verdict: String
            public var outcome: String
            public var detail: String
        }
        public var id: String
        public var claim: String
        public var instance: String
        public var paper: String
        public var theorem: String
        public var provenance: String
        public var method: String
        public var problem: String
        public var verdict: String
        public var margin: Double?
        public var detail: String
        public var controls: [ControlSummary]
        public var runs: Int
        public var seconds: Double
        public var full: PairingResult

        public init(_ r: PairingResult) {
            id = r.pairing; claim = r.claim; instance = r.instance; paper = r.paper.reference
            theorem = r.theorem; provenance = r.provenance; method = r.method; problem = r.problem
            verdict = r.verdict.outcome.rawValue; margin = r.verdict.margin.flatMap { $0.isFinite ? $0 : nil }
            detail = r.verdict.detail
            controls = r.controls.map { c in
                ControlSummary(id: c.id, verdict: c.detected ? "detected" : c.applies ? "missed" : "not applicable",
                               outcome: c.verdict.outcome.rawValue, detail: c.verdict.detail)
            }
            runs = r.runs; seconds = (r.seconds * 1000).rounded() / 1000; full = r
        }
    }

    public var scale: Scale
    public var shard: String?
    /// The catalog and code the results were computed from (nil in files of older versions).
    public var origin: ResultsOrigin?
    public var results: [Record]

    public init(scale: Scale, shard: String? = nil, origin: ResultsOrigin? = nil, results: [PairingResult]) {
        self.scale = scale; self.shard = shard; self.origin = origin; self.results = results.map(Record.init)
    }

    public var pairingResults: [PairingResult] { results.map(\.full) }

    public func encoded() throws -> String { try JSONFile.encode(self) }

    public static func decode(_ data: Data) throws -> ResultsFile { try JSONFile.decode(ResultsFile.self, data) }
}

/// The JSON of theorybench's output files: sorted keys, pretty-printed, non-finite numbers as the
/// strings "inf", "-inf", "nan" (a diverged run's +∞ must survive a round trip).
public enum JSONFile {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(value), as: UTF8.self) + "\n"
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try d.decode(type, from: data)
    }
}
