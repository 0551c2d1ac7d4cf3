import ArgumentParser
import Foundation
import TheoryBench

@main
struct TheoryBenchCommand: AsyncParsableCommand {
    static func main() async {
        InterruptHandler.install()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "theorybench",
        abstract: "Check optimization theorems against experiments on instances with exact constants.",
        subcommands: [List.self, Verify.self, Report.self, Show.self, Trace.self, Merge.self, Export.self, Judge.self, Speed.self,
                      Schema.self, Calibrate.self, Falsify.self, MicroAdamSpeedCommand.self])
}

/// Options every command takes.
struct CatalogOptions: ParsableArguments {
    @Option(help: "Directory of instance files.")
    var problems = "problems"

    @Option(help: "Regular expression on pairing ids (claim-id@instance-id).")
    var filter: String?

    /// Loads the catalog; a bad file is reported as `file: key: reason` (no usage text: the command
    /// line was fine, the input was not).
    func load() throws -> Catalog {
        try Catalog.load(directory: problems)
    }

    func pairings(_ catalog: Catalog) throws -> [(claim: Claim, instance: Instance)] {
        do { return try catalog.pairings(matching: filter) } catch {
            throw ValidationError("--filter: '\(filter ?? "")' is not a valid regular expression")
        }
    }
}

/// Options of the commands that run experiments.
struct RunOptions: ParsableArguments {
    @Option(help: "Number of runs per pairing (default: the claim's oracle count, or the instance budget at full scale).")
    var runs: Int?

    @Option(help: "oracle (the test suite's scale) or full (the instance budgets).")
    var scale: Scale = .full

    @Option(help: "Run only shard i of N (1-based, e.g. 2/4): pairings are dealt round-robin.")
    var shard: String?

    @Option(help: "Worker tasks (default: the number of cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seed salt: 0 (default) gives the reference streams; any other value another deterministic set of streams.")
    var salt: UInt64 = 0

    @Flag(help: "No progress on stderr.")
    var quiet = false

    func validate() throws {
        if let runs, runs < 2 { throw ValidationError("--runs: \(runs) is invalid: at least 2 runs are needed for intervals") }
        if workers < 1 { throw ValidationError("--workers: must be at least 1") }
        _ = try parsedShard()
    }

    func parsedShard() throws -> (index: Int, count: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else {
            throw ValidationError("--shard: '\(shard)' is invalid: expected i/N with 1 ≤ i ≤ N")
        }
        return (parts[0], parts[1])
    }

    /// A live line on a terminal; nothing when stderr is redirected (a log then holds one line per
    /// pairing, written by `execute`).
    static func progressPrinter(_ label: String) -> (@Sendable (RunProgress) -> Void)? {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        return { pr in
            let line = "\r" + label + " " + pr.pairing + ": run \(pr.done)/\(pr.total)   "
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// Runs the pairings of this shard, reporting progress on stderr.
    func execute(_ pairings: [(claim: Claim, instance: Instance)]) async throws -> [PairingResult] {
        var mine = pairings
        if let (i, n) = try parsedShard() { mine = pairings.enumerated().filter { $0.offset % n == i - 1 }.map(\.element) }
        let runner = Runner(workers: workers, scale: scale, runsOverride: runs, salt: salt)
        var results = [PairingResult]()
        for (n, p) in mine.enumerated() {
            let label = "[\(n + 1)/\(mine.count)]"
            let progress = quiet ? nil : Self.progressPrinter(label)
            let lead = isatty(STDERR_FILENO) != 0 ? "\r" : ""
            let r = try await runner.evaluate(p.claim, on: p.instance, progress: progress)
            if !quiet {
                FileHandle.standardError.write(Data("\(lead)\(label) \(r.pairing): \(r.verdict.outcome.rawValue), controls \(r.controlSummary) (\(r.seconds.formatted3) s)\n".utf8))
            }
            results.append(r)
        }
        return results
    }
}

enum OutputFormat: String, ExpressibleByArgument { case text, json, junit }

/// The git revision of the checkout the command runs in, when there is one (part of `ResultsOrigin`).
func sourceRevision() -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git", "rev-parse", "HEAD"]
    let out = Pipe()
    p.standardOutput = out; p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return nil }
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { return nil }
    let s = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return s.isEmpty ? nil : s
}
extension Scale: ExpressibleByArgument {}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List claims, instances and their pairings.")
    @OptionGroup var catalog: CatalogOptions
    @Option(help: "text or json") var format: OutputFormat = .text

    func run() throws {
        let c = try catalog.load()
        let pairs = try catalog.pairings(c)
        if format == .json {
            let rows = pairs.map { ["pairing": $0.claim.pairingID($0.instance), "claim": $0.claim.id, "instance": $0.instance.id,
                                    "paper": $0.claim.paper.reference, "theorem": $0.claim.theorem] }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("Claims (\(c.claims.count)):")
        for cl in c.claims { print("  \(cl.id)  [\(cl.paper.reference), \(cl.theorem)]  needs: \(cl.needs)") }
        print("Instances (\(c.instances.count)):")
        for i in c.instances { print("  \(i.id)  \(i.summary)  (\(i.source))") }
        print("Pairings (\(pairs.count)):")
        for p in pairs { print("  \(p.claim.pairingID(p.instance))") }
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run claims and their controls; exit non-zero when a claim fails or a control is missed.")
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var run: RunOptions
    @Option(help: "text, json, or junit (JUnit XML: a test case per pairing and per control)") var format: OutputFormat = .text
    @Option(help: "Also write results JSON to this file (for `merge`).") var out: String?

    func run() async throws {
        let c = try catalog.load()
        let results = try await run.execute(try catalog.pairings(c))
        let file = ResultsFile(scale: run.scale, shard: run.shard, origin: ResultsOrigin(c, revision: sourceRevision()), results: results)
        if let out { try AtomicFile.write(try file.encoded(), to: out) }
        if format == .json {
            print(try file.encoded(), terminator: "")
        } else if format == .junit {
            print(JUnitReport(results: results).xml, terminator: "")
        } else {
            for r in results {
                let widths = r.verdict.widths.map { ", \($0.formatted3) widths from flipping" } ?? ""
                print("\(r.isGreen ? "ok  " : "FAIL") \(r.pairing): \(r.verdict.outcome.rawValue) (tightness \(r.verdict.margin?.formatted3 ?? "—")\(widths)); controls \(r.controlSummary)")
                if !r.isGreen {
                    print("     \(r.verdict.detail)")
                    for c in r.closeCalls { print("     close call: \(c)") }
                    for c in r.controls where c.missed { print("     control \(c.id): \(c.verdict.detail)") }
                }
            }
            print("\(results.filter(\.isGreen).count)/\(results.count) pairings hold with their controls detected and every verdict ≥ \(Reliability.minimumWidths.formatted3) CI widths from flipping")
        }
        if !results.allSatisfy(\.isGreen) { throw ExitCode(1) }
    }
}

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run claims and write REPORT.md, figures/ and results.json.")
    @OptionGroup var catalog: CatalogOptions
    @OptionGroup var run: RunOptions
    @Option(help: "Output directory.") var out = "reports"
    @Option(help: "Append the summary table to this file (e.g. $GITHUB_STEP_SUMMARY).") var summary: String?
    @Option(help: "Candidates per searched claim for the falsification section (0: no section). One claim per paper family (its probe: the cheapest bound claim with a searchable instance) unless --falsify-all.")
    var falsifyBudget = 0
    @Flag(help: "With --falsify-budget: search every searchable claim whose check is a bound, not one per family.")
    var falsifyAll = false
    @Option(help: "Outside measurements to judge and render beside the built-in results, marked external: PAIRING=FILE.csv (repeatable; see `judge`).")
    var measurements: [String] = []

    func run() async throws {
        let c = try catalog.load()
        let results = try await run.execute(try catalog.pairings(c))
        if run.shard != nil {
            let path = "\(out)/results-shard-\(run.shard!.replacingOccurrences(of: "/", with: "-of-")).json"
            let origin = ResultsOrigin(c, revision: sourceRevision())
            try AtomicFile.write(try ResultsFile(scale: run.scale, shard: run.shard, origin: origin, results: results).encoded(), to: path)
            print("wrote \(path); combine shards with `theorybench merge`")
            return
        }
        var searches = [FalsificationResult]()
        if falsifyBudget > 0 {
            let chosen = falsifyAll ? c.claims.filter { !$0.check.isEquality }.compactMap { claim in
                Falsifier.seed(for: claim, in: c.instances, registry: registry).map { (claim: claim, seed: $0) }
            } : registry.papers.compactMap { Falsifier.probe(of: $0, in: c.instances, registry: registry) }
            for (claim, start) in chosen where results.contains(where: { $0.claim == claim.id }) {
                let f = Falsifier(claim: claim, seedInstance: start, registry: registry, budget: falsifyBudget, workers: run.workers)
                guard let r = try? await f.run(progress: run.quiet ? nil : Self.progress(claim.id)) else { continue }
                if !run.quiet { FileHandle.standardError.write(Data("\(isatty(STDERR_FILENO) != 0 ? "\r" : "")\(r.summary)\n".utf8)) }
                searches.append(r)
            }
        }
        let external = try measurements.map { try ExternalRun(parsing: $0).judged(c) }
        try writeReport(results + external, scale: run.scale, out: out, summary: summary, prune: catalog.filter == nil,
                        falsification: searches, origin: ResultsOrigin(c, revision: sourceRevision()))
    }

    /// A live line on a terminal; nothing when stderr is redirected (the search's summary line stays).
    static func progress(_ id: String) -> (@Sendable (String) -> Void)? {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        return { line in FileHandle.standardError.write(Data("\rfalsify \(id): \(line)    ".utf8)) }
    }
}

func writeReport(_ results: [PairingResult], scale: Scale, out: String, summary: String?, prune: Bool = false,
                 falsification: [FalsificationResult] = [], origin: ResultsOrigin? = nil) throws {
    var report = MarkdownReport(results: results, scale: scale)
    report.falsification = falsification
    report.origin = origin
    report.tables = Dictionary(registry.papers.map { ($0.paper.key, $0.tables) }, uniquingKeysWith: +)
    report.overviewFigures = Dictionary(registry.papers.map { ($0.paper.key, $0.figures) }, uniquingKeysWith: +)
    try report.write(to: out, prune: prune)
    if let summary, let h = FileHandle(forWritingAtPath: summary) {
        h.seekToEndOfFile()
        h.write(Data(("## theorybench\n\n" + report.summaryTable()).utf8))
        h.closeFile()
    }
    print("wrote \(out)/REPORT.md: \(report.greenCount)/\(results.count) pairings hold with their controls detected")
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Combine shard results into one report.")
    @Argument(help: "results JSON files written by `verify --out` or `report --shard`.") var files: [String]
    @Option(help: "Output directory.") var out = "reports"
    @Option(help: "Append the summary table to this file.") var summary: String?

    func run() throws {
        let parts = try files.map { path -> (name: String, file: ResultsFile) in
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(path): cannot read") }
            do { return (path, try ResultsFile.decode(data)) } catch { throw ValidationError("\(path): not a theorybench results file: \(error)") }
        }
        let merged: ResultsFile
        do { merged = try ResultsFile.merge(parts) } catch let e as MergeError { throw ValidationError(e.reason) }
        try writeReport(merged.pairingResults, scale: merged.scale, out: out, summary: summary, prune: true, origin: merged.origin)
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a claim: statement, bound, provenance, control, and its pairings' constants.")
    @OptionGroup var catalog: CatalogOptions
    @Argument(help: "A claim id (see `theorybench list`).") var claimID: String

    func run() throws {
        let c = try catalog.load()
        guard let claim = c.claims.first(where: { $0.id == claimID }) else {
            throw ValidationError("unknown claim '\(claimID)'; known: \(c.claims.map(\.id).joined(separator: ", "))")
        }
        print("\(claim.id) — \(claim.paper.title) (\(claim.paper.reference)), \(claim.theorem)\n")
        print(claim.statement + "\n")
        print("measured:   \(claim.measured)\ncheck:      \(claim.check.formula)\ntolerance:  \(claim.check.tolerance)")
        print("provenance: \(claim.check.provenance.kind) — \(claim.check.provenance.detail)")
        print("needs:      \(claim.needs)")
        print("understands parts: \(claim.understands.isEmpty ? "none (plain objectives only)" : claim.understands.sorted().map(\.name).joined(separator: ", "))")
        print("assumes:    \(claim.assumptions.joined(separator: "; "))")
        for c in claim.controls { print("control:    \(c.id) — \(c.description)\(c.condition.map { " (only on: \($0))" } ?? "")") }
        print()
        for i in c.instances {
            guard let prepared = claim.prepared(i) else { continue }
            print("on \(i.id): \(i.summary)")
            print("  method \(prepared.claim.methodName); K = \(i.budget.iterations), runs: oracle \(claim.runs.oracle), full \(claim.runs.runs(.full, i))")
            let v = prepared.claim.violations
            print("  assumptions: " + (v.isEmpty ? "all hold" : v.joined(separator: "; ")))
            let constants = i.reportedConstants.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value.formatted3)" }
            print("  constants: " + constants.joined(separator: ", "))
            print("  figure: reports/figures/\(claim.pairingID(i).replacingOccurrences(of: "@", with: "__")).svg")
        }
    }
}

struct Trace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one run's iterates and measured values as CSV.",
        discussion: "Columns: k (iteration), value (the claim's measured quantity for this one run, e.g. f(x_k) − f*), x1…xd (the method's point). Run r uses the same random stream as run r of the claim.")
    @OptionGroup var catalog: CatalogOptions
    @Argument(help: "A pairing id, claim-id@instance-id.") var pairing: String
    @Option(help: "Run index (its seed is the one the claim's runs use).") var run = 0
    @Option(help: "Seed salt (as `verify --salt`).") var salt: UInt64 = 0
    @Option(help: "Trace the claim's negative control number N (1 = the first; see `show`) instead.") var control: Int?
    @Flag(help: "Record every iteration instead of the claim's checkpoints.") var every = false
    @Option(help: "Output CSV file (default: stdout).") var out: String?

    func run() async throws {
        let c = try catalog.load()
        guard let p = try c.pairings().first(where: { $0.claim.pairingID($0.instance) == pairing }) else {
            throw ValidationError("unknown pairing '\(pairing)'; see `theorybench list`")
        }
        guard let prepared = p.claim.prepared(p.instance) else { throw ValidationError("\(pairing) does not pair") }
        var experiment = prepared.claim
        if let n = control {
            guard prepared.controls.indices.contains(n - 1) else {
                throw ValidationError("--control \(n): claim \(p.claim.id) has \(p.claim.controls.count) control(s), numbered from 1")
            }
            let control = prepared.controls[n - 1]
            guard let e = control.experiment else {
                throw ValidationError("--control \(n): \(control.id) is not applicable on \(p.instance.id) (only on: \(control.condition ?? "its condition"))")
            }
            experiment = e
        }
        let instance = experiment.instance
        let K = instance.budget.iterations
        let checkpoints = every ? Checkpoints(Array(0...K)) : p.claim.grid.checkpoints(for: instance)
        let sink = IterateSink()
        var rng = RandomStream(name: pairing, run: run, salt: salt)
        _ = try IterateCapture.$sink.withValue(sink) { try experiment.run(instance, checkpoints, &rng) }
        let csv = sink.csv()
        if let out { try AtomicFile.write(csv, to: out) } else { print(csv, terminator: "") }
    }
}

struct Calibrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the pairings under seed salts 1…N and write CALIBRATION.md and calibration.json (rows of other pairings are kept).")
    @OptionGroup var catalog: CatalogOptions
    @Option(help: "Number of salts (1…N).") var salts: UInt64 = 20
    @Option(help: "oracle (the test suite's scale, default) or full.") var scale: Scale = .oracle
    @Option(help: "Worker tasks.") var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Output directory.") var out = "reports"
    @Option(help: "Instead of running, merge the rows of these calibration.json files (written by calibrate jobs run in parallel on the same code) for pairings of this catalog.")
    var merge: [String] = []

    /// The rows of other calibration files at this scale, for the pairings in `ids`.
    func rowsToMerge(_ ids: Set<String>) throws -> [Calibration.Row] {
        try merge.flatMap { path -> [Calibration.Row] in
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("--merge: \(path): cannot read") }
            let file: Calibration
            do { file = try Calibration.decode(data) } catch { throw ValidationError("--merge: \(path): not a calibration file: \(error)") }
            guard file.scale == scale else { throw ValidationError("--merge: \(path) is at \(file.scale.rawValue) scale, not \(scale.rawValue)") }
            return file.rows.filter { ids.contains($0.pairing) }
        }
    }

    func run() async throws {
        guard salts >= 1 else { throw ValidationError("--salts: at least 1") }
        let c = try catalog.load()
        let pairs = merge.isEmpty ? try catalog.pairings(c) : []
        var rows = try rowsToMerge(Set(try c.pairings().map { $0.claim.pairingID($0.instance) }))
        for (n, p) in pairs.enumerated() {
            var results = [(salt: UInt64, result: PairingResult)]()
            for salt in 1...salts {
                FileHandle.standardError.write(Data("\r[\(n + 1)/\(pairs.count)] \(p.claim.pairingID(p.instance)): salt \(salt)/\(salts)   ".utf8))
                results.append((salt, try await Runner(workers: workers, scale: scale, salt: salt).evaluate(p.claim, on: p.instance)))
            }
            let row = Calibration.row(p.claim.pairingID(p.instance), results)
            FileHandle.standardError.write(Data("\r[\(n + 1)/\(pairs.count)] \(row.pairing): \(row.allGreen ? "green" : "NOT GREEN") under \(salts) salts\n".utf8))
            rows.append(row)
        }
        let path = "\(out)/calibration.json"
        var existing = Calibration(scale: scale)
        if let data = FileManager.default.contents(atPath: path), let old = try? Calibration.decode(data), old.scale == scale { existing = old }
        let merged = existing.merging(rows, order: try c.pairings().map { $0.claim.pairingID($0.instance) })
        try AtomicFile.write(try merged.encoded(), to: path)
        try AtomicFile.write(merged.markdown(), to: "\(out)/CALIBRATION.md")
        print("wrote \(out)/CALIBRATION.md: \(merged.rows.filter(\.allGreen).count)/\(merged.rows.count) pairings green under every salt")
        if !rows.allSatisfy(\.allGreen) { throw ExitCode(1) }
    }
}

struct Falsify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search a claim's class for the instance where its bound comes closest to failing (worst margin), then re-evaluate the best candidates on fresh streams.",
        discussion: "The space is spanned by a catalog instance's problem family and parts (--from; default: the claim's first pairing whose family and parts all declare a space). Writes OUT/CLAIM/falsify.json, worst.yaml (a ready-to-add problems/ file) and progress.svg.")
    @OptionGroup var catalog: CatalogOptions
    @Argument(help: "A claim id (see `theorybench list`).") var claimID: String
    @Option(help: "The catalog instance whose family and parts span the search space.") var from: String?
    @Option(help: "Candidates evaluated by the search (oracle scale).") var budget = 128
    @Option(help: "Seed of the search.") var seed: UInt64 = 1
    @Option(help: "Worker tasks.") var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Output directory.") var out = "reports/falsify"

    func run() async throws {
        let c = try catalog.load()
        guard let claim = c.claims.first(where: { $0.id == claimID }) else {
            throw ValidationError("unknown claim '\(claimID)'; known: \(c.claims.map(\.id).joined(separator: ", "))")
        }
        let start = from == nil ? Falsifier.seed(for: claim, in: c.instances, registry: registry)
            : c.instances.first { $0.id == from && claim.pairs(with: $0) }
        guard let start else {
            throw ValidationError(from.map { "--from: '\($0)' is not an instance \(claimID) pairs with" }
                                  ?? "\(claimID) pairs with no instance whose family and parts all declare an instance space")
        }
        guard budget >= 2 else { throw ValidationError("--budget: at least 2 candidates") }
        let falsifier = Falsifier(claim: claim, seedInstance: start, registry: registry, budget: budget, seed: seed, workers: workers)
        let result: FalsificationResult
        do {
            result = try await falsifier.run { FileHandle.standardError.write(Data("\r\(claimID): \($0)    ".utf8)) }
        } catch let e as Falsifier.Failure { throw ValidationError("\(claimID) from \(start.id): \(e)") }
        FileHandle.standardError.write(Data("\n".utf8))
        for f in try result.files() { try AtomicFile.write(f.text, to: "\(out)/\(claimID)/\(f.name)") }
        print(result.summary)
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the instance-file vocabulary (problem families and parts) as markdown, from the registry.",
        discussion: "The reference section of problems/README.md is this output; a unit test keeps them equal.")
    func run() { print(registry.schemaDocumentation, terminator: "") }
}

struct Speed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time a reference workload (R runs × d × K steps); compare with its NumPy loop in scripts/perf/ run beside it.")
    @Option(help: "sgd-gauss (scripts/perf/numpy_sgd_gauss.py), clip-adagrad-norm (scripts/perf/numpy_clip_adagrad_norm.py) or topk-ef (scripts/perf/numpy_topk_ef.py).")
    var workload: SpeedReference = .sgdGauss
    @Option var runs = 1000
    @Option var dimension = 100
    @Option var steps = 1000
    @Option(help: "Worker tasks.") var workers = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .customLong("repeat"), help: "Time the workload this many times in one process, a line each (like the scripts' --repeat): a run of R = 1000 lasts about 50 ms, so the first ones can include the machine's warm-up.")
    var repetitions = 1

    func validate() throws {
        guard runs >= 1, dimension >= 1, steps >= 1, workers >= 1, repetitions >= 1 else {
            throw ValidationError("--runs, --dimension, --steps, --workers and --repeat must be at least 1")
        }
    }

    func run() async throws {
        let setUp = Date()
        SpeedReference.prepare()
        let setUpSeconds = Date().timeIntervalSince(setUp)
        for _ in 0..<repetitions {
            let start = Date()
            let finals = await workload.run(runs: runs, dimension: dimension, steps: steps, workers: workers)
            let sec = Date().timeIntervalSince(start)
            let ns = sec / Double(runs * dimension * steps) * 1e9
            let sorted = finals.sorted()
            let mean = finals.reduce(0, +) / Double(finals.count), q99 = sorted[Int(0.99 * Double(sorted.count - 1))]
            print("theorybench \(workload.rawValue) R=\(runs) d=\(dimension) K=\(steps) workers=\(workers): \(String(format: "%.3f", sec)) s, \(String(format: "%.2f", ns)) ns/coord-update, mean f=\(String(format: "%.4e", mean)), q99=\(String(format: "%.3e", q99)) (table set-up \(String(format: "%.3f", setUpSeconds)) s, not counted)")
        }
    }
}

extension SpeedReference: ExpressibleByArgument {}

/// SIGINT and SIGTERM end the process with one line on stderr and a non-zero status (130, 143);
/// outputs being written are left as they were (`StagedDirectory`, `Interruption`). The signal handler
/// only writes the signal number to a pipe (async-signal-safe); a thread of its own reads it and acts,
/// so the signal is answered even while every worker is busy.
nonisolated(unsafe) var interruptPipe: [Int32] = [-1, -1]

enum InterruptHandler {
    static func install() {
        guard pipe(&interruptPipe) == 0 else { return }
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { s in
                var byte = UInt8(truncatingIfNeeded: s)
                _ = write(interruptPipe[1], &byte, 1)
            }
        }
        let reader = Thread {
            var byte: UInt8 = 0
            guard read(interruptPipe[0], &byte, 1) == 1 else { return }
            let sig = Int32(byte), name = sig == SIGINT ? "SIGINT" : "SIGTERM"
            Interruption.shared.interrupt {
                FileHandle.standardError.write(Data("\ntheorybench: interrupted by \(name); outputs being written were left as they were\n".utf8))
                exit(128 + sig)
            }
        }
        reader.start()
    }
}
