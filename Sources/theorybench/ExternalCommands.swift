import ArgumentParser
import Foundation
import TheoryBench

/// Finds `claim@instance` in the catalog, with a message listing what exists when it does not.
func findPairing(_ id: String, in c: Catalog) throws -> (claim: Claim, instance: Instance) {
    let parts = id.split(separator: "@", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { throw ValidationError("'\(id)': expected CLAIM@INSTANCE (see `theorybench list`)") }
    guard let claim = c.claims.first(where: { $0.id == parts[0] }) else {
        throw ValidationError("unknown claim '\(parts[0])' (see `theorybench list`)")
    }
    guard let instance = c.instances.first(where: { $0.id == parts[1] }) else {
        throw ValidationError("unknown instance '\(parts[1])' (see `theorybench list`)")
    }
    guard claim.pairs(with: instance) else {
        let pairs = c.instances.filter(claim.pairs).map(\.id)
        throw ValidationError("\(claim.id) does not pair with \(instance.id); it pairs with: \(pairs.joined(separator: ", "))")
    }
    return (claim, instance)
}

/// The export of `claim@instance`, or the reason it has none as a usage error.
func exportOf(_ p: (claim: Claim, instance: Instance)) throws -> ExperimentExport {
    do { return try ExperimentExport(claim: p.claim, instance: p.instance) } catch let e as ExportError { throw ValidationError(e.reason) }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write everything an outside implementation needs to run a claim's experiment (docs/export-judge.md).")
    @Option(help: "Directory of instance files.") var problems = "problems"
    @Argument(help: "CLAIM@INSTANCE (see `theorybench list`).") var pairing: String
    @Option(help: "Output directory (experiment.json and one CSV per array).") var out: String

    func run() throws {
        let c = try Catalog.load(directory: problems)
        let p = try findPairing(pairing, in: c)
        let export = try exportOf(p)
        try export.write(to: out)
        print("wrote \(out)/experiment.json and \(export.matrices.count) CSV file(s): \(export.checkpoints.count) checkpoints, at least \(p.claim.runs.oracle) runs")
    }
}

/// Outside measurements of one pairing: `PAIRING=FILE` (`report --measurements`) or the arguments of `judge`.
struct ExternalRun {
    let pairing: String
    let files: [String]

    init(pairing: String, files: [String]) { self.pairing = pairing; self.files = files }

    init(parsing spec: String) throws {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ValidationError("--measurements '\(spec)': expected PAIRING=FILE.csv") }
        self.init(pairing: parts[0], files: [parts[1]])
    }

    func judged(_ c: Catalog) throws -> PairingResult {
        let p = try findPairing(pairing, in: c)
        let export = try exportOf(p)
        let texts = try files.map { path -> (name: String, text: String) in
            guard let t = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("\(path): cannot read the file as UTF-8 text") }
            return (path, t)
        }
        let reader = ExternalMeasurements(checkpoints: export.checkpoints, minimumRuns: p.claim.runs.oracle,
                                          scalars: p.claim.check.runScalars)
        do {
            return ExternalJudge.judge(export, traces: try reader.traces(texts), source: files.joined(separator: ", "))
        } catch let e as MeasurementError { throw ValidationError(e.description) }
    }
}

struct Judge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Judge outside measurements of a claim's experiment with the claim's own check; exit 1 when it fails.")
    @Option(help: "Directory of instance files.") var problems = "problems"
    @Argument(help: "CLAIM@INSTANCE (see `theorybench list`).") var pairing: String
    @Option(help: "CSV run,iteration,value (or one `theorybench trace` file k,value,… per run; repeat the option).")
    var measurements: [String]
    @Option(help: "text or json") var format: OutputFormat = .text

    func validate() throws {
        if measurements.isEmpty { throw ValidationError("--measurements: give the measurement file") }
        if format == .junit { throw ValidationError("--format: judge prints text or json") }
    }

    func run() throws {
        let r = try ExternalRun(pairing: pairing, files: measurements).judged(try Catalog.load(directory: problems))
        if format == .json {
            print(try JSONFile.encode(r), terminator: "")
        } else {
            let widths = r.verdict.widths.map { ", \($0.formatted3) widths from flipping" } ?? ""
            print("\(r.isGreen ? "ok  " : "FAIL") \(pairing) (external, \(r.runs) runs): \(r.verdict.outcome.rawValue) (tightness \(r.verdict.margin?.formatted3 ?? "—")\(widths))")
            print("     \(r.check)")
            print("     \(r.verdict.detail)")
            for c in r.closeCalls { print("     close call: \(c)") }
        }
        if !r.isGreen { throw ExitCode(1) }
    }
}
