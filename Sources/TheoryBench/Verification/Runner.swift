import Foundation

/// The verdict of a claim's control experiment.
public struct ControlResult: Sendable, Codable, Equatable {
    public var id: String
    public var description: String
    /// `detected` when the claim's check failed on the control, as it must; `missed` otherwise.
    public var detected: Bool
    public var verdict: Verdict
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

    /// True when every control was detected.
    public var controlsDetected: Bool { controls.allSatisfy(\.detected) }
    /// True when the claim holds and every control was detected.
    public var isGreen: Bool { verdict.outcome == .pass && controlsDetected }
    /// "detected" when every control was, else the missed controls' ids.
    public var controlSummary: String {
        let missed = controls.filter { !$0.detected }.map(\.id)
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
/// stream `RandomStream(name: "c@i", run: r)` (its controls use the same streams — common random
/// numbers), so traces and verdicts are bitwise identical whatever the worker count.
public struct Runner: Sendable {
    public var workers: Int
    public var scale: Scale
    public var runsOverride: Int?

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, scale: Scale = .full,
                runsOverride: Int? = nil) {
        self.workers = max(1, workers); self.scale = scale; self.runsOverride = runsOverride
    }

    /// Runs the claim and each of its controls on `instance` and judges them all.
    public func evaluate(_ claim: Claim, on instance: Instance,
                         progress: (@Sendable (RunProgress) -> Void)? = nil) async throws -> PairingResult {
        let started = Date()
        let pairing = claim.pairingID(instance)
        let runs = runsOverride ?? claim.runs.runs(scale, instance)
        let checkpoints = claim.grid.checkpoints(for: instance)
        let spec = claim.method(instance)
        let violations = claim.violations(instance, spec)
        let verdict: Verdict
        if violations.isEmpty {
            let traces = try await execute(spec, instance, checkpoints, runs, seedName: pairing, progress: progress)
            verdict = Judge.verdict(claim.check, instance: instance, method: spec, checkpoints: checkpoints, traces: traces)
        } else {
            verdict = Verdict(outcome: .assumptionViolated, detail: violations.joined(separator: "; "), violations: violations)
        }
        var controls = [ControlResult]()
        for c in claim.controls {
            controls.append(try await evaluate(c, of: claim, instance, checkpoints, runs, pairing, progress))
        }
        return PairingResult(
            pairing: pairing, claim: claim.id, instance: instance.id, paper: claim.paper, theorem: claim.theorem,
            statement: claim.statement, provenance: claim.check.provenance.kind,
            provenanceDetail: claim.check.provenance.detail, check: claim.check.formula,
            tolerance: claim.check.tolerance, measured: claim.measured, method: spec.name,
            problem: instance.summary, constants: Runner.constants(of: instance), verdict: verdict,
            controls: controls, runs: runs, seconds: Date().timeIntervalSince(started), scale: scale)
    }

    func evaluate(_ c: Control, of claim: Claim, _ base: Instance, _ checkpoints: Checkpoints, _ runs: Int,
                  _ pairing: String, _ progress: (@Sendable (RunProgress) -> Void)?) async throws -> ControlResult {
        let instance = c.instance?(base) ?? base
        let spec = (c.method ?? claim.method)(instance)
        let traces = try await execute(spec, instance, checkpoints, runs, seedName: pairing, progress: progress)
        // The check is the claim's, with its constants taken from the claim's instance (the theorem as
        // stated there); only the experiment changed.
        let verdict = Judge.verdict(claim.check, instance: base, method: spec, checkpoints: checkpoints,
                                    traces: traces, violations: claim.violations(instance, spec))
        return ControlResult(id: c.id, description: c.description, detected: verdict.outcome.isFailure, verdict: verdict)
    }

    /// Runs `runs` independent runs in parallel, returning traces in run order.
    func execute(_ spec: MethodSpec, _ instance: Instance, _ checkpoints: Checkpoints, _ runs: Int,
                 seedName: String, progress: (@Sendable (RunProgress) -> Void)?) async throws -> [Trace] {
        let workers = min(self.workers, runs)
        let chunks = try await withThrowingTaskGroup(of: (Int, [Trace]).self) { group in
            for w in 0..<workers {
                group.addTask {
                    var out = [Trace]()
                    for r in stride(from: w, to: runs, by: workers) {
                        try Task.checkCancellation()
                        var rng = RandomStream(name: seedName, run: r)
                        out.append(try spec.run(instance, checkpoints, &rng))
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

    static func constants(of instance: Instance) -> [String: Double] {
        let c = instance.constants
        var out: [String: Double] = ["L": c.L, "d": Double(instance.dimension), "K": Double(instance.budget.iterations)]
        if let mu = c.mu { out["mu"] = mu }
        if let f = c.fStar { out["f*"] = f; out["f(x0)-f*"] = instance.initialGap }
        if c.xStar != nil { out["|x0-x*|^2"] = instance.initialDistanceSquared }
        if let s = instance.oracleVariance { out["sigma^2"] = s }
        return out
    }
}
