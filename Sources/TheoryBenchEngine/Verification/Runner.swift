import TheoryBenchCore
import Foundation

/// The verdict of a claim's control experiment.
public struct ControlResult: Sendable, Codable, Equatable {
    public var id: String
    public var description: String
    /// `detected` when the claim's check failed on the control, as it must; `missed` otherwise
    /// (false too when the control does not apply here).
    public var detected: Bool
    public var verdict: Verdict
    /// For a control restricted to some instances (`Control.only`): its condition in words (absent in
    /// results of unrestricted controls and of older versions).
    public var condition: String?

    /// False when the control's condition fails on this instance: it was not run (verdict
    /// `not-applicable`), and it counts neither as detected nor as missed.
    public var applies: Bool { verdict.outcome != .notApplicable }
    /// True when the control applies here and the claim's check did not fail on it.
    public var missed: Bool { applies && !detected }

    /// The result of a control that does not apply to the pairing's instance.
    static func notApplicable(_ c: PreparedControl) -> ControlResult {
        let condition = c.condition ?? "its condition"
        return ControlResult(id: c.id, description: c.description, detected: false,
                             verdict: Verdict(outcome: .notApplicable, detail: "not applicable here: \(condition)"),
                             condition: c.condition)
    }
}

/// A reference method's series on a pairing (drawn, never judged; full scale only).
public struct ReferenceResult: Sendable, Codable, Equatable {
    public var label: String
    public var method: String
    public var series: Series?

    public init(label: String, method: String, series: Series?) {
        self.label = label; self.method = method; self.series = series
    }
}

/// Everything known about one claim × instance pairing after it ran: the view-independent result
/// that tests assert on and reports render.
public struct PairingResult: Sendable, Codable, Equatable {
    public var pairing: String
    public var claim: String
    public var instance: String
    public var paper: Paper
    public var theorem: String
    public var statement: String
    public var provenance: String
    public var provenanceDetail: String
    public var check: String
    public var tolerance: String
    public var measured: String
    public var method: String
    public var problem: String
    public var constants: [String: Double]
    public var verdict: Verdict
    /// One result per negative control, in the claim's order.
    public var controls: [ControlResult]
    public var runs: Int
    public var seconds: Double
    public var scale: Scale
    /// True when the claim's check predicts an exact level (its false-alarm rate is 1 − confidence,
    /// so the widths rule does not apply to the claim's verdict).
    public var equalityCheck: Bool?
    /// Set when the measurements came from outside theorybench (`theorybench judge`): where from.
    /// Such a result has no controls (they belong to theorybench's own implementation).
    public var external: String?
    /// The exact worst case of the claim's margin over its class at this instance's constants, where
    /// known (`Claim.worstCase`), and its provenance.
    public var worstCase: Double?
    public var worstCaseProvenance: String?
    /// The reference methods' series (full scale; nil when the claim has none or at oracle scale).
    public var references: [ReferenceResult]?
    /// The exact curves describing the instance (`Instance.illustrations`); nil when it has none.
    public var illustrations: [Illustration]?

    init(_ claim: Claim, _ instance: Instance, method: String, verdict: Verdict, controls: [ControlResult], runs: Int,
         seconds: Double, scale: Scale, external: String? = nil) {
        pairing = claim.pairingID(instance); self.claim = claim.id; self.instance = instance.id; paper = claim.paper
        theorem = claim.theorem; statement = claim.statement; provenance = claim.check.provenance.kind
        provenanceDetail = claim.check.provenance.detail; check = claim.check.formula; tolerance = claim.check.tolerance
        measured = claim.measured; self.method = method; problem = instance.summary; constants = instance.reportedConstants
        self.verdict = verdict; self.controls = controls; self.runs = runs; self.seconds = seconds; self.scale = scale
        equalityCheck = claim.check.isEquality; self.external = external
        worstCase = claim.worstCase?.margin(instance); worstCaseProvenance = claim.worstCase?.provenance
        illustrations = instance.illustrations.isEmpty ? nil : instance.illustrations
    }

    /// True when every control that applies here was detected.
    public var controlsDetected: Bool { !controls.contains(where: \.missed) }
    /// True when the claim holds, every control was detected, and no verdict is within
    /// `Reliability.minimumWidths` of flipping.
    public var isGreen: Bool { verdict.outcome == .pass && controlsDetected && closeCalls.isEmpty }
    /// "detected" when every control was, else the missed controls' ids.
    public var controlSummary: String {
        let missed = controls.filter(\.missed).map(\.id)
        return missed.isEmpty ? "detected" : "MISSED: " + missed.joined(separator: ", ")
    }
}

/// RunProgress of a long evaluation: runs done of the total, for the named pairing.
public struct RunProgress: Sendable {
    public let pairing: String
    public let done: Int
    public let total: Int
}

/// Executes pairings. Runs are spread over `workers` tasks; run r of pairing `c@i` always uses the
/// stream `RandomStream(name: "c@i", run: r, salt: salt)` (its controls use the same streams — common random
/// numbers), so traces and verdicts are bitwise identical whatever the worker count.
public struct Runner: Sendable {
    public var workers: Int
    public var scale: Scale
    public var runsOverride: Int?
    /// The seed salt (0: the reference streams); see `RandomStream(name:run:salt:)`.
    public var salt: UInt64

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, scale: Scale = .full,
                runsOverride: Int? = nil, salt: UInt64 = 0) {
        self.workers = max(1, workers); self.scale = scale; self.runsOverride = runsOverride; self.salt = salt
    }

    /// Runs the claim and each of its controls on `instance` and judges them all. The claim's own
    /// experiment runs only when its hypotheses hold; the controls always run where they apply, their
    /// violated hypotheses recorded beside their verdicts (a restricted control whose condition fails
    /// here is recorded as not applicable, not run).
    public func evaluate(_ claim: Claim, on instance: Instance,
                         progress: (@Sendable (RunProgress) -> Void)? = nil) async throws -> PairingResult {
        let started = Date()
        let pairing = claim.pairingID(instance)
        guard let prepared = claim.prepared(instance) else {
            throw RunnerError.doesNotPair(pairing, claim.needs, instance.partKinds.subtracting(claim.understands).sorted())
        }
        let runs = runsOverride ?? claim.runs.runs(scale, instance)
        let checkpoints = claim.grid.checkpoints(for: instance)
        let main = prepared.claim
        let verdict: Verdict
        if main.violations.isEmpty {
            verdict = try await judged(main, checkpoints, runs, pairing, progress)
        } else {
            verdict = Verdict(outcome: .assumptionViolated, detail: main.violations.joined(separator: "; "), violations: main.violations)
        }
        var controls = [ControlResult]()
        for c in prepared.controls {
            guard let e = c.experiment else { controls.append(.notApplicable(c)); continue }
            let v = try await judged(e, checkpoints, runs, pairing, progress)
            controls.append(ControlResult(id: c.id, description: c.description, detected: v.outcome.isFailure, verdict: v,
                                          condition: c.condition))
        }
        var result = PairingResult(claim, instance, method: main.methodName, verdict: verdict, controls: controls, runs: runs,
                                   seconds: Date().timeIntervalSince(started), scale: scale)
        if scale == .full, !prepared.references.isEmpty {
            var drawn = [ReferenceResult]()
            for ref in prepared.references {
                let v = try await judged(ref.experiment, checkpoints, runs, pairing, progress)
                drawn.append(ReferenceResult(label: ref.label, method: ref.experiment.methodName, series: v.series))
            }
            result.references = drawn
            result.seconds = Date().timeIntervalSince(started)
        }
        return result
    }

    /// Runs one experiment (on the pairing's streams: controls share the claim's common random
    /// numbers) and judges it, its violated hypotheses attached.
    func judged(_ e: Experiment, _ checkpoints: Checkpoints, _ runs: Int, _ pairing: String,
                _ progress: (@Sendable (RunProgress) -> Void)?) async throws -> Verdict {
        let traces = try await execute(e.run, e.instance, checkpoints, runs, seedName: pairing, progress: progress)
        var verdict = e.judge(checkpoints, traces)
        verdict.violations = e.violations
        return verdict
    }

    /// Runs `runs` independent runs in parallel, returning traces in run order.
    func execute(_ run: @escaping @Sendable (Instance, Checkpoints, inout RandomStream) throws -> Trace,
                 _ instance: Instance, _ checkpoints: Checkpoints, _ runs: Int,
                 seedName: String, progress: (@Sendable (RunProgress) -> Void)?) async throws -> [Trace] {
        let workers = min(self.workers, runs)
        let chunks = try await withThrowingTaskGroup(of: (Int, [Trace]).self) { group in
            for w in 0..<workers {
                group.addTask {
                    var out = [Trace]()
                    for r in stride(from: w, to: runs, by: workers) {
                        try Task.checkCancellation()
                        var rng = RandomStream(name: seedName, run: r, salt: salt)
                        out.append(try run(instance, checkpoints, &rng))
                        if w == 0, let progress, (r / workers) % max(1, runs / (10 * workers)) == 0 {
                            progress(RunProgress(pairing: seedName, done: r + 1, total: runs))
                        }
                    }
                    return (w, out)
                }
            }
            var all = [[Trace]](repeating: [], count: workers)
            for try await (w, out) in group { all[w] = out }
            return all
        }
        return (0..<runs).map { r in chunks[r % workers][r / workers] }
    }
}

/// A pairing asked of the runner that the catalog would not make.
public enum RunnerError: Error, CustomStringConvertible {
    case doesNotPair(String, String, [PartKind])

    public var description: String {
        switch self {
        case .doesNotPair(let pairing, let needs, let unknown):
            let parts = unknown.isEmpty ? "" : "; the claim does not understand the instance's parts \(unknown.map(\.name).joined(separator: ", "))"
            return "\(pairing): the instance does not meet the claim's needs (\(needs))\(parts)"
        }
    }
}
