import Foundation
import TheoryBenchCore

/// Searches a claim's class for the instance where its bound comes closest to failing: the margin
/// (measured ÷ allowed, the tightness of the report) is maximized over the instance space spanned by
/// a seed instance's family and parts (`InstanceSpace`), every candidate written as an instance file
/// and read by `InstanceFile.parse`, so it passes the same validation as `problems/`.
///
/// Method: a (μ/μ, λ) evolution strategy with isotropic Gaussian steps in the unit cube, step-size
/// control by success (×1.25 on a new best, ×0.8 otherwise) and restarts from a fresh random mean
/// when the step falls below 0.02. Why: the objective is noisy, non-smooth (max over checkpoints) and
/// cheap to evaluate only at oracle scale; an ES needs no gradients, tolerates noise through its
/// population average, and on a 25-coordinate cube a covariance model (CMA-ES) buys little for the
/// budgets used here. Every candidate of a generation runs on the same streams (one salt per
/// generation: common random numbers), so candidates are compared on the same noise.
///
/// The best of a noisy search is biased upward, so the best candidates are re-evaluated at full scale
/// on fresh, independent streams (salts never used by the search), and only that re-evaluation is
/// reported as the worst margin.
public struct Falsifier: Sendable {
    public let claim: Claim
    public let seedInstance: Instance
    public let registry: Registry
    public var budget: Int
    public var population: Int
    public var seed: UInt64
    public var workers: Int
    /// Candidates re-evaluated at the end.
    public var finalists: Int
    /// The scale of the re-evaluation (full; a test's short search may re-evaluate at oracle scale,
    /// still on fresh streams).
    public var finalScale: Scale = .full

    public init(claim: Claim, seedInstance: Instance, registry: Registry, budget: Int = 64, population: Int = 8,
                seed: UInt64 = 1, workers: Int = 2, finalists: Int = 3) {
        self.claim = claim; self.seedInstance = seedInstance; self.registry = registry; self.budget = budget
        self.population = population; self.seed = seed; self.workers = workers; self.finalists = finalists
    }

    public enum Failure: Error, CustomStringConvertible {
        case noSpace(String)
        public var description: String {
            switch self { case .noSpace(let s): return s }
        }
    }

    /// The seed instance of a search for `claim`: the first catalog instance it pairs with whose family
    /// and parts all declare a space (nil: none does yet).
    public static func seed(for claim: Claim, in instances: [Instance], registry: Registry) -> Instance? {
        instances.first { claim.pairs(with: $0) && (try? Falsifier(claim: claim, seedInstance: $0, registry: registry).spaces()) != nil }
    }

    /// A paper family's probe (the short search of `make test` and the report's falsification
    /// section): among its claims whose check is a bound (not a predicted exact level) and whose seed
    /// instance (`seed(for:in:registry:)`) has at least `share` of its space inside the claim's
    /// requirements and assumptions (16 uniform points, a parse each), the cheapest to evaluate
    /// (oracle runs × iterations × d of the seed; the first on ties); nil when no claim qualifies
    /// (the family's spaces are not declared yet).
    public static func probe(of family: PaperFamily, in instances: [Instance], registry: Registry,
                             share: Double = 1.0 / 8) -> (claim: Claim, seed: Instance)? {
        var best: (claim: Claim, seed: Instance, cost: Double)?
        for claim in family.claims where !claim.check.isEquality {
            guard let seed = seed(for: claim, in: instances, registry: registry),
                  let f = try? Falsifier(claim: claim, seedInstance: seed, registry: registry).admissibleFraction(samples: 16),
                  f >= share else { continue }
            let cost = Double(claim.runs.runs(.oracle, seed)) * Double(seed.budget.iterations) * Double(seed.dimension)
            if best == nil || cost < best!.cost { best = (claim, seed, cost) }
        }
        return best.map { ($0.claim, $0.seed) }
    }

    /// The spaces of the seed instance's family and parts, in coordinate order.
    public func spaces() throws -> [InstanceSpace] {
        guard let family = registry.problemFamilies.first(where: { $0.name == seedInstance.family }), let fs = family.space else {
            throw Failure.noSpace("family '\(seedInstance.family)' declares no instance space yet: falsify cannot search it")
        }
        var out = [fs]
        for part in seedInstance.parts {
            guard let schema = registry.parts.first(where: { $0.kind == part.kind }) else { continue }
            if let make = schema.space, let s = make(part) { out.append(s) } else {
                throw Failure.noSpace("part '\(part.kind)' declares no instance space yet: falsify cannot vary it")
            }
        }
        return out
    }

    /// The instance file at point `u`: the spaces' keys, the seed instance's budget and (unless a space
    /// renders it) its seed. Parts render in the dimension the family's space gives at `u`.
    public func yaml(_ u: [Double], spaces: [InstanceSpace], id: String) -> String {
        var lines = ["id: \(id)", "description: \"falsification candidate for \(claim.id) (from \(seedInstance.id))\"",
                     "family: \(seedInstance.family)"]
        var offset = 0, d = seedInstance.dimension
        for s in spaces {
            let slice = Array(u[offset..<(offset + s.coordinates)])
            if let dim = s.dimension { d = dim(slice) }
            for (k, v) in s.render(slice, dimension: d) { lines.append("\(k): \(v)") }
            offset += s.coordinates
        }
        lines.append("budget: { iterations: \(seedInstance.budget.iterations), runs: \(seedInstance.budget.runs) }")
        if !lines.contains(where: { $0.hasPrefix("seed: ") }) { lines.append("seed: \(seedInstance.seed)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The candidate's instance and the claim's experiment there, when it is an instance of the claim:
    /// a valid file that pairs and meets the claim's assumptions. Costs a parse, never a run.
    func admissible(_ text: String) -> (Instance, Experiment)? {
        guard let inst = try? InstanceFile.parse(text, file: "falsify.yaml", registry: registry),
              let main = claim.prepared(inst)?.claim, main.violations.isEmpty else { return nil }
        return (inst, main)
    }

    /// The fraction of `samples` uniform points of the space that are instances of the claim (no run).
    public func admissibleFraction(samples: Int) throws -> Double {
        let spaces = try spaces(), m = spaces.reduce(0) { $0 + $1.coordinates }
        var rng = RandomStream(name: "falsify-admissible:\(claim.id)@\(seedInstance.id)", run: 0)
        let hits = (0..<samples).filter { _ in admissible(yaml((0..<m).map { _ in rng.uniform() }, spaces: spaces, id: "falsify-candidate")) != nil }
        return Double(hits.count) / Double(samples)
    }

    /// One evaluation of the claim's own experiment (its controls are not run: a search asks only how
    /// close the claim comes to failing): the margin and its interval (where the check gives one), or
    /// nil when the candidate is not an instance of the claim.
    func evaluate(_ text: String, scale: Scale, salt: UInt64, runs: Int? = nil) async throws -> Evaluation? {
        guard let candidate = admissible(text) else { return nil }
        let (inst, main) = candidate
        let runner = Runner(workers: workers, scale: scale, runsOverride: runs, salt: salt)
        let v = try await runner.judged(main, claim.grid.checkpoints(for: inst), runs ?? claim.runs.runs(scale, inst),
                                        claim.pairingID(inst), nil)
        let margin: Double = v.outcome == .diverged ? .infinity : (v.margin ?? -.infinity)
        return Evaluation(margin: margin, interval: Self.interval(v), outcome: v.outcome, yaml: text,
                          worstCase: claim.worstCase.map { $0.margin(inst) })
    }

    /// [lower, upper] of measured ÷ bound at the checkpoint that sets the margin (bound checks).
    static func interval(_ v: Verdict) -> [Double]? {
        guard let s = v.series, let ref = s.reference, s.referenceLabel == "bound" else { return nil }
        var best = -Double.infinity, j = -1
        for i in s.iterations.indices where s.iterations[i] >= 1 && ref[i] > 0 {
            let ratio = s.estimate[i] / ref[i]
            if ratio > best { best = ratio; j = i }
        }
        return j < 0 ? nil : [s.lower[j] / ref[j], s.upper[j] / ref[j]]
    }

    /// Points that are not instances of the claim (they do not pair or break an assumption: a parse,
    /// no run) are drawn again, up to this many times, before one counts against the budget.
    public static let redraws = 64

    public func run(progress: (@Sendable (String) -> Void)? = nil) async throws -> FalsificationResult {
        let spaces = try spaces()
        let m = spaces.reduce(0) { $0 + $1.coordinates }
        var rng = RandomStream(name: "falsify:\(claim.id)@\(seedInstance.id)", run: Int(seed % UInt64(Int.max)))
        /// A point drawn by `draw` until it is an instance of the claim (the last draw otherwise).
        func admissiblePoint(_ draw: () -> [Double]) -> [Double] {
            var u = draw(), draws = 1
            while draws < Self.redraws, admissible(yaml(u, spaces: spaces, id: "falsify-candidate")) == nil { u = draw(); draws += 1 }
            return u
        }
        func uniformPoint() -> [Double] { admissiblePoint { (0..<m).map { _ in rng.uniform() } } }
        var mean = uniformPoint(), step = 0.3
        var all = [(u: [Double], e: Evaluation)](), bestSoFar = [Double](), best = -Double.infinity
        var generation = 0, valid = 0
        while all.count < budget {
            generation += 1
            let salt = 7_000 + UInt64(generation)   // one salt per generation: common random numbers
            var offspring = [(u: [Double], e: Evaluation)]()
            for _ in 0..<min(population, budget - all.count) {
                let centre = mean, sigma = step
                let u = admissiblePoint { centre.map { min(1, max(0, $0 + sigma * rng.gaussian())) } }
                let text = yaml(u, spaces: spaces, id: "falsify-candidate")
                let e = try await evaluate(text, scale: .oracle, salt: salt)
                if let e { offspring.append((u, e)); valid += 1 }
                // An invalid candidate is recorded as such (not as the generation's previous valid one).
                all.append((u, e ?? Evaluation(margin: -.infinity, interval: nil, outcome: .assumptionViolated, yaml: text, worstCase: nil)))
                best = max(best, all.last!.e.margin); bestSoFar.append(best)
            }
            let ranked = offspring.sorted { $0.e.margin > $1.e.margin }
            let improved = (ranked.first?.e.margin ?? -.infinity) >= best
            if ranked.count >= 2 {
                let elite = ranked.prefix(max(2, population / 4))
                mean = (0..<m).map { j in elite.reduce(0) { $0 + $1.u[j] } / Double(elite.count) }
            }
            step *= improved ? 1.25 : 0.8
            if step < 0.02 { mean = uniformPoint(); step = 0.3 }
            progress?("generation \(generation): \(all.count)/\(budget) evaluations, best margin \(best.formatted3)")
        }
        // Re-evaluation of the distinct best candidates on fresh streams, at full scale (`finalScale`).
        var seen = Set<String>(), chosen = [String]()
        for c in all.sorted(by: { $0.e.margin > $1.e.margin }) where c.e.margin > -.infinity && !seen.contains(c.e.yaml) {
            seen.insert(c.e.yaml); chosen.append(c.e.yaml)
            if chosen.count == finalists { break }
        }
        var finals = [Evaluation]()
        for (j, text) in chosen.enumerated() {
            progress?("re-evaluating finalist \(j + 1)/\(chosen.count) at full scale on fresh streams")
            if let e = try await evaluate(text, scale: finalScale, salt: 9_000_000 + UInt64(j)) { finals.append(e) }
        }
        let worst = finals.max { $0.margin < $1.margin }
        return FalsificationResult(
            claim: claim.id, seedInstance: seedInstance.id, space: spaces.map(\.description).joined(separator: "; "),
            method: "(μ/μ, λ)-ES, λ = \(population), success-based step size, restarts; common random numbers per generation",
            budget: budget, validCandidates: valid, bestMarginByEvaluation: bestSoFar.map { $0.isFinite ? $0 : -1 },
            searchBest: best, finalists: finals, worst: worst,
            worstCaseProvenance: claim.worstCase?.provenance)
    }

    public struct Evaluation: Codable, Sendable {
        public var margin: Double
        /// The margin's confidence interval, for bound checks.
        public var interval: [Double]?
        public var outcome: Outcome
        public var yaml: String
        /// The exact worst-case margin over the class at this instance's constants, where known.
        public var worstCase: Double?
    }
}

/// What `theorybench falsify` writes (`falsify.json`).
public struct FalsificationResult: Codable, Sendable {
    public var claim: String
    public var seedInstance: String
    public var space: String
    public var method: String
    public var budget: Int
    /// Candidates of the search that were instances of the claim (the others count against the
    /// budget only after `Falsifier.redraws` draws failed).
    public var validCandidates: Int
    /// The best margin after each evaluation of the search (−1 where none was valid yet).
    public var bestMarginByEvaluation: [Double]
    public var searchBest: Double
    /// The re-evaluated finalists; the verdict rests on these alone.
    public var finalists: [Falsifier.Evaluation]
    public var worst: Falsifier.Evaluation?
    public var worstCaseProvenance: String?

    /// True when a re-evaluated instance violates the claim inside its hypotheses (a finding).
    public var violated: Bool { (worst?.outcome).map { $0.isFailure } ?? false }
}

/// The exact worst case of a claim's margin over its class, where the literature gives it: a
/// function of an instance's constants (and the claim's grid), with its citation.
public struct WorstCase: Sendable {
    public let provenance: String
    public let margin: @Sendable (Instance) -> Double
    public init(_ provenance: String, margin: @escaping @Sendable (Instance) -> Double) {
        self.provenance = provenance; self.margin = margin
    }
}

extension FalsificationResult {
    /// The worst instance as a ready-to-add `problems/` file.
    public var worstFile: String? {
        worst.map { $0.yaml.replacingOccurrences(of: "id: falsify-candidate", with: "id: worst-\(claim.replacingOccurrences(of: ".", with: "-"))") }
    }

    /// The files `falsify` writes for this claim, by name relative to its directory.
    public func files() throws -> [(name: String, text: String)] {
        var out = [("falsify.json", try JSONFile.encode(self))]
        if let w = worstFile { out.append(("worst.yaml", w)) }
        let xs = bestMarginByEvaluation.indices.map { Double($0 + 1) }
        let plot = SVGPlot(title: "\(claim): best margin found vs candidates evaluated", xLabel: "candidates evaluated",
                           yLabel: "best margin (measured ÷ allowed)", logX: false,
                           curves: [.init(label: "search (oracle scale)", x: xs, y: bestMarginByEvaluation, color: "#1f77b4")])
        out.append(("progress.svg", plot.render()))
        return out
    }

    /// One line: the re-evaluated worst margin, its interval, the exact worst case, the verdict.
    public var summary: String {
        guard let w = worst else { return "\(claim): no valid candidate in \(budget) evaluations" }
        let ci = w.interval.map { " [\($0[0].formatted3), \($0[1].formatted3)]" } ?? ""
        let exact = w.worstCase.map { "; exact worst case at its constants \($0.formatted3) (\(worstCaseProvenance ?? ""))" } ?? ""
        let verdict = violated ? "VIOLATION inside the hypotheses (a finding)" : "no violation"
        return "\(claim): worst margin \(w.margin.formatted3)\(ci) after re-evaluation on fresh streams (search best \(searchBest.formatted3) over \(validCandidates)/\(budget) valid candidates)\(exact); \(verdict)"
    }
}
