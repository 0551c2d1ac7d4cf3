import Foundation
import TheoryBenchCore

/// Why a pairing cannot be exported or judged from outside.
public struct ExportError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// Everything an outside implementation needs to run a claim's experiment and have theorybench judge
/// it (`theorybench export`, documented in `docs/export-judge.md`): `experiment.json` (the claim, the
/// check and its statistic, the method and its parameters, the instance's formula, scalars, exact
/// constants and parts, the checkpoints and run counts, the measurement file format) and one CSV
/// file per array (start, x*, matrices; row-major, one row per line, shortest round-trip decimals).
public struct ExperimentExport: Sendable {
    public let claim: Claim
    public let instance: Instance
    public let experiment: Experiment
    /// The arrays written out, by name: the start x₀ and the objective's own (computed once).
    public let matrices: [String: Matrix]

    public init(claim: Claim, instance: Instance) throws {
        guard let prepared = claim.prepared(instance) else {
            throw ExportError(reason: "\(claim.pairingID(instance)): the claim does not pair with this instance")
        }
        guard let objective = instance.problem as? any ExportableObjective else {
            throw ExportError(reason: "\(instance.id): the \(instance.family) family does not export its data (it conforms to no ExportableObjective)")
        }
        if let p = instance.parts.first(where: { !($0 is any ExportablePart) }) {
            throw ExportError(reason: "\(instance.id): its \(p.kind) part does not export its definition (no ExportablePart)")
        }
        self.claim = claim; self.instance = instance; experiment = prepared.claim
        matrices = objective.exportArrays.merging(["start": Matrix(column: instance.start)]) { $1 }
    }

    public var checkpoints: Checkpoints { claim.grid.checkpoints(for: instance) }

    /// The CSV files: name → content.
    public var arrays: [String: String] {
        Dictionary(uniqueKeysWithValues: matrices.map { ("\($0.key).csv", Self.csv($0.value)) })
    }

    public var json: ExportValue {
        let p = instance.problem as! any ExportableObjective
        let arrays = Dictionary(uniqueKeysWithValues: matrices.map { ($0.key, Self.describe("\($0.key).csv", $0.value)) })
        let parts = instance.parts.map { part -> ExportValue in
            let e = part as! any ExportablePart
            return .object(["kind": .string(part.kind.name), "definition": .string(e.exportDefinition), "fields": .object(e.exportFields)])
        }
        let c = claim.check
        return .object([
            "format": .string("theorybench-experiment/1"),
            "pairing": .string(claim.pairingID(instance)),
            "claim": .object([
                "id": .string(claim.id), "paper": .string(claim.paper.reference), "title": .string(claim.paper.title),
                "theorem": .string(claim.theorem), "statement": .string(claim.statement),
                "assumptions": .array(claim.assumptions.map(ExportValue.string)),
            ]),
            "check": .object([
                "formula": .string(c.formula), "statistic": .string(c.statistic), "confidence": .number(c.confidence),
                "tolerance": .string(c.tolerance), "provenance": .string("\(c.provenance.kind): \(c.provenance.detail)"),
            ]),
            "measured": .object([
                "formula": .string(claim.measured),
                "per_run_value": .string("the quantity inside the statistic (\(c.statistic)) of `formula`, evaluated on one run's iterate after `iteration` steps"),
            ]),
            "method": .object(["name": .string(experiment.methodName), "parameters": ExportValue.reflecting(experiment.parameters)]),
            "instance": .object([
                "id": .string(instance.id), "family": .string(instance.family), "summary": .string(instance.summary),
                "source": .string(instance.source), "dimension": .integer(instance.dimension),
                "objective": .string(p.exportFormula), "scalars": .object(p.exportScalars.mapValues(ExportValue.number)),
                "arrays": .object(arrays), "constants": .object(instance.reportedConstants.mapValues(ExportValue.number)),
                "parts": .array(parts),
            ]),
            "checkpoints": .array(checkpoints.iterations.map(ExportValue.integer)),
            "runs": .object(["minimum": .integer(claim.runs.oracle), "full": .integer(claim.runs.runs(.full, instance))]),
            "measurements": .object([
                "header": .string((["run", "iteration", "value"] + c.runScalars).joined(separator: ",")),
                "run_scalars": .array(c.runScalars.map(ExportValue.string)),
                "layout": .string("CSV: one row per run (0…R−1, R ≥ runs.minimum) and checkpoint; value is the per-run measured quantity, inf for a run that diverged (and at every later checkpoint)\(c.runScalars.isEmpty ? "" : "; each run scalar (defined in measured.formula) on at least one row of its run, inf when censored")"),
                "judge": .string("theorybench judge \(claim.pairingID(instance)) --measurements FILE.csv"),
            ]),
        ])
    }

    /// Writes `experiment.json` and the CSV files into `directory` as a whole (staged, then renamed).
    public func write(to directory: String) throws {
        let staged = try StagedDirectory(directory)
        try AtomicFile.write(try JSONFile.encode(json), to: "\(staged.staging)/experiment.json")
        for (name, text) in arrays { try AtomicFile.write(text, to: "\(staged.staging)/\(name)") }
        try staged.commit()
    }

    static func describe(_ file: String, _ m: Matrix) -> ExportValue {
        .object(["file": .string(file), "rows": .integer(m.rows), "cols": .integer(m.cols)])
    }

    static func csv(_ m: Matrix) -> String {
        var s = ""
        for i in 0..<m.rows {
            s += (0..<m.cols).map { "\(m.data[i * m.cols + $0])" }.joined(separator: ",") + "\n"
        }
        return s
    }
}

/// Judges measurements made outside theorybench with a claim's own check (`theorybench judge`).
public enum ExternalJudge {
    /// The verdict of the claim's check on `traces` (the claim's constants, the method parameters the
    /// claim fixes), as a result marked external; it has no controls.
    public static func judge(_ export: ExperimentExport, traces: [Trace], source: String) -> PairingResult {
        let e = export.experiment
        var verdict: Verdict
        if e.violations.isEmpty {
            verdict = e.judge(export.checkpoints, traces)
        } else {
            verdict = Verdict(outcome: .assumptionViolated, detail: e.violations.joined(separator: "; "), violations: e.violations)
        }
        verdict.violations = e.violations
        var r = PairingResult(export.claim, export.instance, method: "external: \(source)", verdict: verdict, controls: [],
                              runs: traces.count, seconds: 0, scale: .full, external: source)
        r.pairing += "+external"   // beside the built-in result of the same pairing, with its own figure
        return r
    }
}
